"""HTML building blocks shared by the report pages (escaping, tables, the sources table)."""

from __future__ import annotations

import html


def esc(value: object) -> str:
    return html.escape(str(value))


def table(headers: list[str], rows: list[list[object]], classes: list[str] | None = None) -> str:
    """A table whose cells are already HTML; ``classes`` (one per row) style the rows."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        f"<tr class='{(classes or [''] * len(rows))[i]}'>"
        + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
        for i, row in enumerate(rows)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def sources_table(sources: list[dict]) -> str:
    """The as-of date of every source: newest retrieval and, for SEC company facts, filing."""
    return table(
        ["source", "partition", "retrieved", "last status", "newest filing"],
        [[esc(s.get("source")), esc(s.get("partition")), esc(s.get("retrieved_at")),
          esc(s.get("last_status")), esc(s.get("newest_filing") or "")]
         for s in sources],
    )


def stale_list(stale_sources: list[str]) -> str:
    """A partial run's sources that failed alone (their last good data was used), or ''."""
    if not stale_sources:
        return ""
    items = "".join(f"<li>{esc(note)}</li>" for note in stale_sources)
    return ("<div class='fail'><p><b>Partial run</b>: these sources failed alone; the marts "
            f"were built from their last good data (stale):</p><ul>{items}</ul></div>")
