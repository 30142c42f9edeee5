"""Rich views of the daily challenge: today, the week's plan, the calendar heat-map."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console
from rich.style import Style
from rich.text import Text

from readchallenge.core.text import authors_short, clip, is_http_url, plural, printable

if TYPE_CHECKING:
    from readchallenge.results.daily import (
        Calendar,
        CalendarDay,
        PaperView,
        Summary,
        TodayStatus,
        WeekPlan,
    )

CELLS = {
    "read": ("■", "green"),
    "skipped": ("○", "blue"),
    "missed": ("×", "red"),
    "planned": ("□", "yellow"),
    "future": ("·", "bright_black"),
    "outside": (" ", ""),
}


def hyperlinks(console: Console, mode: str = "auto") -> bool:
    """Whether links are shown as terminal hyperlinks (OSC 8), by the setting `hyperlinks`:
    `never`; `always` on a terminal; `auto` on a terminal with colour allowed, outside tmux
    and screen (which may drop OSC 8 and leave a label that leads nowhere)."""
    if mode == "never" or not console.is_terminal:
        return False
    if mode == "always":
        return True
    import os

    multiplexed = bool(os.environ.get("TMUX")) or os.environ.get("TERM", "").startswith(
        ("screen", "tmux")
    )
    return not console.no_color and not multiplexed


def link_text(console: Console, kind: str, url: str, mode: str = "auto") -> Text:
    """A link labelled by its kind: a terminal hyperlink (OSC 8) that never wraps mid-URL on
    a terminal; on a pipe, with NO_COLOR or `hyperlinks = never`, the plain URL. Only an
    http(s) URL becomes a hyperlink (one stored before rc checked every link is text)."""
    if hyperlinks(console, mode) and is_http_url(url):
        return Text(kind, style=Style(color="cyan", link=url))
    return Text(printable(f"{kind}: {url}"))


def _paper_lines(
    console: Console, papers: Sequence[PaperView], skipped: bool, mode: str
) -> list[Text]:
    lines = []
    for p in papers:
        if p["read"]:
            mark = Text("✓ read  ", style="green")
        elif skipped:
            mark = Text("– skipped  ", style="blue")
        else:
            mark = Text("○ to read  ", style="yellow")
        line = mark + Text(clip(p["name"]), style="bold")
        if p["title"] and p["title"] != p["name"]:
            line += Text(f" — {clip(p['title'])}")
        lines.append(line)
        if p["authors"]:
            lines.append(Text("    " + clip(authors_short(p["authors"])), style="dim"))
        if p["links"]:
            links = Text("    ")
            for number, (kind, url) in enumerate(p["links"].items()):
                links += Text(" | " if number else "") + link_text(console, kind, url, mode)
            lines.append(links)
        if p["status"] == "pending":
            lines.append(Text("    metadata pending: rc fetch", style="yellow"))
    return lines


def _challenge_over(console: Console, summary: Summary) -> None:
    console.print(
        Text(
            f"The challenge is over: read {summary['read']} of {summary['of']}, "
            f"longest streak {plural(summary['longest_streak'], 'day')}.",
            style="bold",
        )
    )
    for theme, count in summary["by_theme"].items():
        console.print(Text(f"  {theme}: {plural(count, 'paper')}"))
    console.print(
        f"Start the next one: rc init --start {summary['next_start']} --until YYYY-07-31",
        markup=False,
    )


def today_view(console: Console, s: TodayStatus, mode: str = "auto") -> None:
    """`rc today`; `mode` is the setting `hyperlinks`."""
    s = printable(s)
    if s["challenge"] is None and not s["has_papers"]:
        console.print("No challenge yet. Start one:")
        console.print("  rc init                     # today until the coming 31 July")
        console.print("  rc add 2404.07965 --as Rho-1  # plan your first paper")
        return
    if s["summary"] is not None:
        _challenge_over(console, s["summary"])
        return
    pace = s["pace"]
    header = f"{s['today']}"
    if s["starts_in"] is not None:
        header += f" · the challenge starts in {plural(s['starts_in'], 'day')}"
    elif pace:
        header += f" · day {pace['day']} of {pace['total_days']}"
    console.print(Text(header, style="bold"))
    if s["papers"]:
        for line in _paper_lines(console, s["papers"], s["skipped_today"], mode):
            console.print(line, soft_wrap=True)  # the terminal wraps; a URL is never cut
    elif s["skipped_today"]:
        console.print("Today is skipped.")
    else:
        console.print("Nothing planned today (rc add ID or rc plan fill).")
    for p in s["yesterday_unread"]:
        console.print(
            Text(f"yesterday's {p['name']} is unread — rc read {p['id']} --on yesterday"),
            style="yellow",
        )
    streak = s["streak"]
    text = f"streak {plural(streak['current'], 'day')}, longest {streak['longest']}"
    if streak["at_stake"] and streak["current"]:
        text += " — at stake today: read to keep it"
    console.print(Text(text, style="magenta"))
    if pace and s["starts_in"] is None:
        ahead = pace["ahead_by"]
        where = (
            "on pace"
            if ahead == 0
            else (f"ahead by {ahead}" if ahead > 0 else f"behind by {-ahead}")
        )
        console.print(
            f"read {pace['read']} of {pace['target']} due so far ({where}); "
            f"{plural(pace['days_left'], 'day')} left, {plural(pace['remaining'], 'paper')} to go"
        )
    if s["tomorrow"]:
        names = ", ".join(clip(p["name"]) for p in s["tomorrow"])
        console.print(Text(f"tomorrow: {names}", style="dim"))
    coming = s["next_week"]
    if coming is not None:
        missing = coming["notes_missing"]
        console.print(
            Text(
                f"next week: {coming['planned']} of {coming['slots']} planned"
                + (f", {plural(missing, 'note')} missing" if missing else "")
                + " — rc export-week --check",
                style="dim",
            )
        )


NARROW = 60  # columns under which `rc plan` folds the day into the date and shortens both


def week_view(console: Console, w: WeekPlan, mode: str = "auto") -> None:
    """`rc plan`; `mode` is the setting `hyperlinks`."""
    from rich.table import Table

    w = printable(w)
    narrow = console.width < NARROW
    title = f"Week {w['week']}" + (f" — {w['theme']}" if w["theme"] else "")
    table = Table(title=title, box=None, header_style="bold", pad_edge=False)
    # A date is never cut: on a narrow terminal it is `Mon 06-08`, the paper's name gives way.
    between = " " if narrow else " | "
    if narrow:  # widths set here: left to itself, rich would drop the last columns
        names = [len(clip(p["name"])) for d in w["days"] for p in d["papers"]] or [5]
        kinds = [len(between.join(p["links"])) for d in w["days"] for p in d["papers"]]
        room = console.width - 9 - 4 - 2 * 3  # date, read and the gaps between columns
        paper = max(8, min(max(names), room - max([5, *kinds])))
        table.add_column("date", no_wrap=True, width=9)
        table.add_column("paper", overflow="ellipsis", no_wrap=True, width=paper)
        table.add_column("read", no_wrap=True, width=4)
        table.add_column("links", width=max(5, room - paper))
    else:
        table.add_column("date", no_wrap=True, min_width=10)
        table.add_column("day", no_wrap=True, min_width=3)
        table.add_column("paper", overflow="fold")
        table.add_column("read", no_wrap=True, min_width=4)
        table.add_column("links")
    for d in w["days"]:
        day = date.fromisoformat(d["date"])
        when = [f"{day:%a} {day:%m-%d}"] if narrow else [d["date"], d["weekday"][:3]]
        if not d["papers"]:
            table.add_row(*when, Text("skipped" if d["skipped"] else "—", style="dim"), "", "")
        for p in d["papers"]:
            links = Text()
            for number, (kind, url) in enumerate(p["links"].items()):
                linked = hyperlinks(console, mode)
                label = link_text(console, kind, url, mode) if linked else Text(kind)
                links += Text(between if number else "") + label
            read = Text("✓", style="green") if p["read"] else ""
            table.add_row(*when, Text(clip(p["name"])), read, links)
    console.print(table)
    if not hyperlinks(console, mode):  # the whole URLs, one a line, after the table
        for d in w["days"]:
            for p in d["papers"]:
                for kind, url in p["links"].items():
                    console.print(f"{d['weekday'][:3]} {kind}: {url}", markup=False, soft_wrap=True)


def month_labels(weeks: Sequence[Sequence[CalendarDay]], start: str, until: str) -> str:
    """Month names over the week columns where each month of the challenge begins, never
    overlapping."""
    from readchallenge.core.challenge import month_columns

    first_monday = date.fromisoformat(weeks[0][0]["date"])
    cells = [" "] * (len(weeks) + 3)
    free_from = 0
    for column, day in month_columns(
        first_monday, date.fromisoformat(start), date.fromisoformat(until)
    ):
        name = day.strftime("%b")
        if free_from <= column < len(weeks):
            cells[column : column + len(name)] = list(name)
            free_from = column + len(name) + 1
    return "".join(cells).rstrip()


def calendar_view(console: Console, c: Calendar) -> None:
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
    start, until = c["challenge"]["start"], c["challenge"]["until"]
    for first in range(0, len(weeks), per_block):
        block = weeks[first : first + per_block]
        console.print(Text("    " + month_labels(block, start, until)))
        for weekday, label in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
            row = Text(f"{label:<4}")
            for week in block:
                day = week[weekday]
                symbol, style = CELLS[day["state"]]
                if day["date"] == c["today"] and style:
                    style += " reverse"  # today, marked as the SVG outlines it
                row.append(symbol, style=style)
            console.print(row)
    legend = Text()
    for state in ("read", "skipped", "missed", "planned", "future"):
        symbol, style = CELLS[state]
        legend.append(f"{symbol} ", style=style)
        legend.append(f"{state}  ")
    console.print(legend)
