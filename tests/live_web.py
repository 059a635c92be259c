"""A loopback server that answers like the live web sources, from the recorded fixtures.

The pipeline reaches it through ``AICAPEX_LIVE_BASE_URL``: every live request for
``https://<host><path>?<query>`` arrives here as ``/<host><path>?<query>``. ``routes`` maps each
live URL to the bytes to answer; a URL in ``down`` answers HTTP 500 forever; anything else 404.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from orchestration.sources import eia, epoch, gpu
from tests.reliability.loopback import LoopbackServer, send


def _key(url: str) -> str:
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return unquote(f"/{parts.netloc}{parts.path}{query}")


def price_routes(fixtures: Path) -> dict[str, bytes]:
    """Every price source's live URL -> the recorded bytes (EIA workbook, GPU files, Azure and
    AWS pricing pages, Epoch's NVIDIA revenue)."""
    routes = {eia.EIA861M_URL: (fixtures / eia.EIA861M_RELATIVE).read_bytes(),
              epoch.NVIDIA_REVENUE_URL: (fixtures / epoch.NVIDIA_REVENUE_RELATIVE).read_bytes()}
    routes |= {doc.url: (fixtures / doc.relative_path).read_bytes()
               for doc in gpu.gpu_documents() if doc.url}
    [azure] = sorted((fixtures / "gpu" / "azure_retail_prices").glob("*.json"))
    routes[gpu.AZURE_URL] = azure.read_bytes()
    aws = json.loads((fixtures / "gpu" / "aws_price_list" / "aws_pricing_page_documents" /
                      "aws.json").read_bytes())
    routes |= {gpu.AWS_PAGE_URL.format(location=quote(location)):
               json.dumps(aws[location]).encode() for location in gpu.AWS_LOCATIONS}
    return routes


class LiveWeb(LoopbackServer):
    """Serves ``routes`` (live URL -> bytes) on 127.0.0.1; ``down`` URLs answer 500."""

    def __init__(self, routes: dict[str, bytes], down: Iterable[str] = ()) -> None:
        super().__init__()
        self.routes = {_key(url): body for url, body in routes.items()}
        self.down = {_key(url) for url in down}
        self.requests: list[str] = []

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = unquote(handler.path)
        self.requests.append(path)
        if path in self.down:
            send(handler, 500, {}, b"internal error")
        elif path in self.routes:
            send(handler, 200, {}, self.routes[path])
        else:
            send(handler, 404, {}, b"not found")

    def requested(self, url: str) -> int:
        return self.requests.count(_key(url))
