"""Rich views of the daily challenge: today, the week's plan, the calendar heat-map."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Console
from rich.text import Text

from readchallenge.core.text import authors_short, clip, printable

CELLS = {
    "read": ("■", "green"),
    "skipped": ("○", "blue"),
    "missed": ("×", "red"),
    "planned": ("□", "yellow"),
    "future": ("·", "bright_black"),
    "outside": (" ", ""),
}


def _paper_lines(papers: list[dict[str, Any]]) -> list[Text]:
    lines = []
    for p in papers:
        mark = Text("✓ read  ", style="green") if p["read"] else Text("○ to read  ", style="yellow")
        line = mark + Text(clip(p["name"]), style="bold")
        if p["title"] and p["title"] != p["name"]:
            line += Text(f" — {clip(p['title'])}")
        lines.append(line)
        if p["authors"]:
            lines.append(Text("    " + clip(authors_short(p["authors"])), style="dim"))
        for kind, url in p["links"].items():
            lines.append(Text(f"    {kind}: {url}", style="cyan"))
        if p["status"] == "pending":
            lines.append(Text("    metadata pending: rc sync", style="yellow"))
    return lines


def today_view(console: Console, s: dict[str, Any]) -> None:
    s = printable(s)
    if s["challenge"] is None and not s["has_papers"]:
        console.print("No challenge yet. Start one:")
        console.print("  rc init                     # today until the coming 31 July")
        console.print("  rc add 2404.07965 --as Rho-1  # plan your first paper")
        return
    pace = s["pace"]
    header = f"{s['today']}"
    if pace:
        header += f" · day {pace['day']} of {pace['total_days']}"
    console.print(Text(header, style="bold"))
    if s["papers"]:
        for line in _paper_lines(s["papers"]):
            console.print(line)
    elif s["skipped_today"]:
        console.print("Today is skipped.")
    else:
        console.print("Nothing planned today (rc add ID or rc plan fill).")
    streak = s["streak"]
    text = f"streak {streak['current']} day(s), longest {streak['longest']}"
    if streak["at_stake"] and streak["current"]:
        text += " — at stake today: read to keep it"
    console.print(Text(text, style="magenta"))
    if pace:
        ahead = pace["ahead_by"]
        where = (
            "on pace"
            if ahead == 0
            else (f"ahead by {ahead}" if ahead > 0 else f"behind by {-ahead}")
        )
        console.print(
            f"read {pace['read']} of {pace['target']} due so far ({where}); "
            f"{pace['days_left']} day(s) left, {pace['remaining']} paper(s) to go"
        )
    if s["tomorrow"]:
        names = ", ".join(clip(p["name"]) for p in s["tomorrow"])
        console.print(Text(f"tomorrow: {names}", style="dim"))


def week_view(console: Console, w: dict[str, Any]) -> None:
    from rich.table import Table

    w = printable(w)

    title = f"Week {w['week']}" + (f" — {w['theme']}" if w["theme"] else "")
    table = Table(title=title, box=None, header_style="bold", pad_edge=False)
    for column in ("date", "day", "paper", "read", "links"):
        table.add_column(column, overflow="fold" if column == "paper" else "ellipsis")
    for d in w["days"]:
        if not d["papers"]:
            table.add_row(
                d["date"],
                d["weekday"][:3],
                Text("skipped" if d["skipped"] else "—", style="dim"),
                "",
                "",
            )
        for p in d["papers"]:
            table.add_row(
                d["date"],
                d["weekday"][:3],
                Text(clip(p["name"])),
                Text("✓", style="green") if p["read"] else "",
                " | ".join(p["links"]),
            )
    console.print(table)


def month_labels(weeks: list[list[dict[str, Any]]]) -> str:
    """Month names over the week columns where each month begins, never overlapping."""
    cells = [" "] * (len(weeks) + 3)
    free_from = 0
    previous = None
    for column, week in enumerate(weeks):
        month = date.fromisoformat(week[-1]["date"]).strftime("%b")
        if month != previous and column >= free_from:
            cells[column : column + len(month)] = list(month)
            free_from = column + len(month) + 1
        previous = month
    return "".join(cells).rstrip()


def calendar_view(console: Console, c: dict[str, Any]) -> None:
    c = printable(c)
    if c["challenge"] is None:
        console.print("No challenge yet: rc init")
        return
    weeks = c["weeks"]
    per_block = 70  # 4 columns of labels + 70 weeks + margins stays within 80 columns
    console.print(
        Text(
            f"{c['challenge']['name']}: {c['challenge']['start']} → {c['challenge']['until']}",
            style="bold",
        )
    )
    for first in range(0, len(weeks), per_block):
        block = weeks[first : first + per_block]
        console.print(Text("    " + month_labels(block)))
        for weekday, label in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
            row = Text(f"{label:<4}")
            for week in block:
                symbol, style = CELLS[week[weekday]["state"]]
                row.append(symbol, style=style)
            console.print(row)
    legend = Text()
    for state in ("read", "skipped", "missed", "planned", "future"):
        symbol, style = CELLS[state]
        legend.append(f"{symbol} ", style=style)
        legend.append(f"{state}  ")
    console.print(legend)
