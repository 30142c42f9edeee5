"""The challenge as a picture to post: an SVG heat-map, one square for each day.

Weeks are columns and weekdays rows, as in GitHub's contribution graph; each day of the
challenge is a `<rect>` coloured by its state, today is outlined, months are labelled over
their first week, and a legend says what the colours mean. Everything is drawn here: no
font, stylesheet or script is loaded from anywhere, so the file shows the same offline.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING, NamedTuple

from readchallenge.core.challenge import month_columns
from readchallenge.core.text import plural

if TYPE_CHECKING:
    from readchallenge.results.daily import Calendar

STATES = ("read", "skipped", "missed", "planned", "future")
THEMES = ("light", "dark")


class Palette(NamedTuple):
    background: str
    text: str
    muted: str
    today: str
    cells: dict[str, str]
    numbers: dict[str, str]  # the day of the month written in a cell, readable on its colour


PALETTES = {
    "light": Palette(
        background="#ffffff",
        text="#1f2328",
        muted="#59636e",
        today="#1f2328",
        cells={
            "read": "#2da44e",
            "skipped": "#54aeff",
            "missed": "#ff8182",
            "planned": "#eac54f",
            "future": "#ebedf0",
        },  # fmt: skip
        numbers={
            "read": "#ffffff",
            "skipped": "#0a3069",
            "missed": "#82071e",
            "planned": "#4d2d00",
            "future": "#59636e",
        },  # fmt: skip
    ),
    "dark": Palette(
        background="#0d1117",
        text="#e6edf3",
        muted="#9198a1",
        today="#f0f6fc",
        cells={
            "read": "#2ea043",
            "skipped": "#1f6feb",
            "missed": "#da3633",
            "planned": "#bb8009",
            "future": "#21262d",
        },  # fmt: skip
        numbers={
            "read": "#ffffff",
            "skipped": "#ffffff",
            "missed": "#ffffff",
            "planned": "#ffffff",
            "future": "#9198a1",
        },  # fmt: skip
    ),
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
WIDTH = 700  # what a blog post shows well: a two-month challenge fills it
MARGIN, LABELS = 24, 40  # the margin, and the column of weekday names
TOP = 100  # the title, the counts and the month names above the grid
MOST, LEAST = 64, 11  # the pitch of a cell (its side and the gap after it), in pixels
LEGEND_WIDTH = 520


def title_of(c: Calendar) -> tuple[str, str]:
    """The picture's title and the line of counts under it."""
    info = c["challenge"]
    assert info is not None
    start, until = date.fromisoformat(info["start"]), date.fromisoformat(info["until"])
    span = f"{start.day} {start:%B %Y} – {until.day} {until:%B %Y}"
    counts = f"streak {plural(c['streak'], 'day')} · {c['read']} of {c['target']} read"
    return f"{info['name']}, {span}", counts


def _pitch(weeks: int) -> int:
    return max(LEAST, min(MOST, (WIDTH - 2 * MARGIN - LABELS) // max(weeks, 1)))


def _long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def calendar_svg(c: Calendar, theme: str = "light") -> str:
    """The calendar `c` as a standalone SVG document in the `light` or `dark` theme."""
    palette = PALETTES[theme]
    weeks = c["weeks"]
    pitch = _pitch(len(weeks))
    gap = max(2, pitch // 8)
    side = pitch - gap
    grid_width = len(weeks) * pitch - gap
    title, counts = title_of(c)
    # As wide as the grid, the legend and the title need (about 10 px a letter at 18 px).
    width = 2 * MARGIN + max(LABELS + grid_width, LEGEND_WIDTH, 10 * len(title))
    legend_y = TOP + 7 * pitch + 16
    height = legend_y + 16 + MARGIN
    label = f"{title}: {counts}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'font-family="{FONT}">',
        f"<title>{escape(label)}</title>",
        f'<rect class="background" width="{width}" height="{height}" fill="{palette.background}"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 16}" font-size="18" font-weight="600" '
        f'fill="{palette.text}">{escape(title)}</text>',
        f'<text x="{MARGIN}" y="{MARGIN + 38}" font-size="14" '
        f'fill="{palette.muted}">{escape(counts)}</text>',
    ]
    left = MARGIN + LABELS
    out += _months(c, left, pitch, palette)
    out += _weekdays(pitch, side, palette)
    out += _cells(c, left, pitch, side, palette)
    out += _legend(legend_y, side, palette)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _months(c: Calendar, left: int, pitch: int, palette: Palette) -> list[str]:
    info = c["challenge"]
    assert info is not None
    first_monday = date.fromisoformat(c["weeks"][0][0]["date"])
    start, until = date.fromisoformat(info["start"]), date.fromisoformat(info["until"])
    wide = pitch >= 40
    out, free_from = [], 0
    for column, day in month_columns(first_monday, start, until):
        x = left + column * pitch
        name = f"{day:%B}" if wide else f"{day:%b}"
        if x < free_from:
            continue  # two months begin within a few columns: the first keeps its label
        out.append(
            f'<text class="month" x="{x}" y="{TOP - 9}" font-size="13" '
            f'fill="{palette.text}">{name}</text>'
        )
        free_from = x + 8 * len(name) + 6
    return out


def _weekdays(pitch: int, side: int, palette: Palette) -> list[str]:
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    every = 1 if pitch >= 20 else 2  # small cells: Mon, Wed, Fri, Sun
    return [
        f'<text class="weekday" x="{MARGIN}" y="{TOP + row * pitch + side // 2 + 4}" '
        f'font-size="12" fill="{palette.muted}">{name}</text>'
        for row, name in enumerate(names)
        if row % every == 0
    ]


def _cells(c: Calendar, left: int, pitch: int, side: int, palette: Palette) -> list[str]:
    out = []
    radius = max(2, side // 8)
    numbered = side >= 28  # big enough to carry the day of the month
    for column, week in enumerate(c["weeks"]):
        for row, day in enumerate(week):
            state = day["state"]
            if state == "outside":
                continue
            x, y = left + column * pitch, TOP + row * pitch
            when = date.fromisoformat(day["date"])
            today = day["date"] == c["today"]
            outline = (
                f' stroke="{palette.today}" stroke-width="3"' if today else ""
            )  # drawn inside the gap, so no neighbour is covered
            tip = f"{_long_date(when)}: {state}" + (" (today)" if today else "")
            if day["read"] > 1:
                tip += f", {day['read']} papers"
            out.append(
                f'<rect class="day{" today" if today else ""}" data-date="{day["date"]}" '
                f'data-state="{state}" x="{x}" y="{y}" width="{side}" height="{side}" '
                f'rx="{radius}" fill="{palette.cells[state]}"{outline}>'
                f"<title>{escape(tip)}</title></rect>"
            )
            if numbered:
                out.append(
                    f'<text x="{x + 6}" y="{y + 16}" font-size="12" '
                    f'fill="{palette.numbers[state]}" aria-hidden="true">{when.day}</text>'
                )
    return out


def _legend(y: int, side: int, palette: Palette) -> list[str]:
    box = min(side, 14)
    out, x = [], MARGIN
    for state in STATES:
        out.append(
            f'<rect class="legend" data-state="{state}" x="{x}" y="{y}" width="{box}" '
            f'height="{box}" rx="2" fill="{palette.cells[state]}"/>'
        )
        out.append(
            f'<text x="{x + box + 6}" y="{y + box - 2}" font-size="13" '
            f'fill="{palette.text}">{state}</text>'
        )
        x += box + 6 + 8 * len(state) + 18
    out.append(
        f'<rect class="legend" data-state="today" x="{x}" y="{y}" width="{box}" '
        f'height="{box}" rx="2" fill="none" stroke="{palette.today}" stroke-width="2"/>'
    )
    out.append(
        f'<text x="{x + box + 6}" y="{y + box - 2}" font-size="13" '
        f'fill="{palette.text}">today</text>'
    )
    return out
