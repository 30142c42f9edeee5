"""The season in the terminal: `rc find`'s hits and `rc tag`'s counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from readchallenge.core.text import printable

if TYPE_CHECKING:
    from rich.console import Console

    from readchallenge.results.season import Found, TagCount

MATCH = "bold reverse"  # a match in a snippet (a terminal only: piped, the text is plain)


def find_view(console: Console, found: Found) -> None:
    """Each hit: what it is and the fields it matched, then its snippet with the matches
    marked."""
    for hit in found["hits"]:
        name = printable(hit["name"])
        head = Text(name, style="bold")
        if hit["kind"] == "paper" and hit["id"] != name:
            head.append(f"  {printable(hit['id'])}", style="dim")
        head.append(f"  {', '.join(hit['fields'])}", style="cyan")
        console.print(head, soft_wrap=True)
        snippet = Text("  " + printable(hit["snippet"]))
        for start, end in hit["highlights"]:
            snippet.stylize(MATCH, start + 2, end + 2)
        console.print(snippet, soft_wrap=True)


def tags_view(console: Console, counts: list[TagCount]) -> None:
    """Every tag with how many papers (and weeks) carry it."""
    for row in counts:
        line = Text(printable(row["tag"]), style="bold")
        papers = f"{row['papers']} paper{'s' if row['papers'] != 1 else ''}"
        weeks = f", {row['weeks']} week{'s' if row['weeks'] != 1 else ''}" if row["weeks"] else ""
        line.append(f"  {papers}{weeks}")
        console.print(line, soft_wrap=True)
