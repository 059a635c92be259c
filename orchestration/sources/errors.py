"""The download error every source raises, apart from the HTTP client so that importing a
source (or its raw load) does not import the client's dependencies."""

from __future__ import annotations


class FetchError(RuntimeError):
    """A download failed for good; the message names the URL and the last cause."""

    def __init__(self, url: str, message: str, attempts: int, status: int | None = None) -> None:
        super().__init__(f"{url}: {message} (after {attempts} attempt(s))")
        self.url = url
        self.attempts = attempts
        self.status = status  # the HTTP status of the last answer (None: no answer)
