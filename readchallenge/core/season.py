"""The season's pure rules: a post's title and dates, its file name on a static site."""

from __future__ import annotations

from datetime import date, timedelta

SERIES = "Sunday Papers"


def post_title(number: int, theme: str | None) -> str:
    """`Sunday Papers #N: THEME`, or `Sunday Papers #N` without a theme."""
    return f"{SERIES} #{number}: {theme}" if theme else f"{SERIES} #{number}"


def week_dates(monday: date) -> str:
    """A week's dates as read: `14–20 December`, `28 December – 3 January`."""
    sunday = monday + timedelta(days=6)
    if monday.month == sunday.month:
        return f"{monday.day}–{sunday.day} {sunday:%B}"
    return f"{monday.day} {monday:%B} – {sunday.day} {sunday:%B}"


def post_date(monday: date) -> date:
    """The day a week's post goes out: the Sunday before the week."""
    return monday - timedelta(days=1)


def post_file(monday: date, number: int) -> str:
    """The post's file name on a static site: `YYYY-MM-DD-sunday-papers-N.md`."""
    return f"{post_date(monday).isoformat()}-sunday-papers-{number}.md"
