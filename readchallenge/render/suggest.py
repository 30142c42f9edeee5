"""`rc suggest` on a terminal: numbered suggestions with their reasons, and `--explain N`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from readchallenge.core.text import clip, printable

if TYPE_CHECKING:
    from readchallenge.results.suggest import Explanation, SuggestionRow

COMPACT_BELOW = 60  # columns under which each suggestion takes two lines instead of a row
WHY_WIDTH = 48  # the reasons' column at most; the title takes the rest


def _cells(row: SuggestionRow) -> dict[str, str]:
    return {
        "#": str(row["number"]),
        "id": row["id"],
        "date": row["date"],
        "title": clip(" ".join(row["title"].split()), 300),
        "why": clip(" · ".join(row["reasons"]), WHY_WIDTH),
    }


def suggestions_table(console: Console, rows: list[SuggestionRow]) -> None:
    """One line a suggestion: number, id, date, title (cut to the width left) and why; on a
    narrow terminal, two lines: the number and title, then the id, date and why."""
    if not rows:
        return
    from rich.cells import cell_len
    from rich.table import Table

    cells = [_cells(r) for r in printable(rows)]
    names = ["#", "id", "date", "title", "why"]
    widths = {n: max(cell_len(n), *(cell_len(c[n]) for c in cells)) for n in names}
    others = sum(w for n, w in widths.items() if n != "title") + 2 * (len(names) - 1)
    title_width = min(widths["title"], console.width - others)
    if console.width < COMPACT_BELOW or title_width < 16:
        for c in cells:
            console.print(
                Text(f"{c['#']:>2}. {c['title']}"), no_wrap=True, overflow="ellipsis", crop=True
            )
            line = Text(f"    {c['id']} · {c['date'] or '?'}", style="dim")
            if c["why"]:
                line += Text(f" · {c['why']}", style="green")
            console.print(line, no_wrap=True, overflow="ellipsis", crop=True)
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in names:
        width = title_width if name == "title" else widths[name]
        table.add_column(name, no_wrap=True, overflow="ellipsis", width=width)
    for c in cells:
        table.add_row(*(Text(c[n], style="green" if n == "why" else "") for n in names))
    console.print(table)


PART_NAMES = {"builds_on": "builds on", "recommended": "Semantic Scholar's pick"}


def explanation(console: Console, e: Explanation) -> None:
    """`rc suggest --explain N`: the score's parts, the papers it is like, the words that
    matched, and Semantic Scholar's machine-written hints."""
    e = printable(e)
    console.print(Text(f"{e['number']}. {e['id']}  {e['title']}", style="bold"))
    parts = [(PART_NAMES.get(n, n), v) for n, v in e["parts"].items() if v]
    total = sum(v for _, v in parts)
    terms = " ".join(f"{'−' if v < 0 else '+'} {n} {abs(v):.2f}" for n, v in parts)
    console.print(Text(f"score {total:.2f} = {terms.removeprefix('+ ')}"))
    if e["like"]:
        like = ", ".join(f"{name} ({similarity:.2f})" for name, similarity in e["like"])
        console.print(Text(f"like: {like}"))
    if e["words"]:
        console.print(Text("words that matched: " + ", ".join(w for w, _ in e["words"])))
    else:
        console.print(Text("words that matched: none (nothing you read is like it)", style="dim"))
    if e["unlike"]:
        unlike = ", ".join(f"{name} ({similarity:.2f})" for name, similarity in e["unlike"])
        console.print(Text(f"like what you turned down: {unlike}"))
    if e["tldr"]:
        console.print(Text("TLDR (machine-written by Semantic Scholar): " + e["tldr"], style="dim"))
    if e["citations"] is not None:
        console.print(Text(f"cited by {e['citations']:,} (Semantic Scholar)", style="dim"))
