"""The daily views: today, the week's plan and the calendar (sqlite3 only: fast read path)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from readchallenge.config import Config
from readchallenge.core import challenge as rules
from readchallenge.core.dates import days_between, week_label
from readchallenge.core.text import display_name
from readchallenge.services import when
from readchallenge.store import db, queries


def _paper_view(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": p["id"],
        "name": display_name(p),
        "title": p["title"],
        "authors": p["authors"],
        "links": p["links"],
        "read": p["read"],
        "status": p["status"],
    }


def _current_streak(conn: Any, today: date, skips: dict[date, str | None]) -> int:
    """The current streak from recent readings only: a window that grows until the walk
    back from today stops inside it, so the cost follows the streak, not the store."""
    window = 64
    while True:
        first = today - timedelta(days=window)
        days = queries.reading_days_between(conn, first, today)
        streak, gap = rules.streak_walk(days, skips, today)
        if gap >= first:
            return streak
        window *= 4


def _longest_streak(conn: Any, skips: dict[date, str | None]) -> int:
    """The longest streak, recomputed only when readings or skips changed since last time."""
    revision = queries.counter(conn, "history_revision")
    if revision is not None and queries.counter(conn, "longest_streak_revision") == revision:
        return queries.counter(conn, "longest_streak") or 0
    longest = rules.longest_streak(queries.reading_days(conn), skips)
    if revision is not None:
        queries.remember(conn, {"longest_streak": longest, "longest_streak_revision": revision})
    return longest


def today_status(cfg: Config) -> dict[str, Any]:
    today = cfg.today()
    with db.opened(cfg.db_path) as conn:
        info = queries.challenge(conn)
        planned = queries.plan_between(conn, today, today + timedelta(days=1))
        skips = queries.skip_days(conn)
        current = _current_streak(conn, today, skips)
        longest = max(current, _longest_streak(conn, skips))
        read_today = queries.readings_between(conn, today, today)
        read_count = (
            queries.readings_in(conn, date.fromisoformat(info["start"]), today) if info else 0
        )
        has_papers = queries.has_papers(conn)
    status: dict[str, Any] = {
        "today": today.isoformat(),
        "challenge": info,
        "papers": [_paper_view(p) for p in planned if p["day"] == today.isoformat()],
        "tomorrow": [_paper_view(p) for p in planned if p["day"] != today.isoformat()],
        "read_today": read_today > 0,
        "skipped_today": today in skips,
        "streak": {
            "current": current,
            "longest": longest,
            "at_stake": read_today == 0 and today not in skips,
        },
        "pace": None,
        "has_papers": has_papers,
    }
    if info:
        p = rules.pace(
            date.fromisoformat(info["start"]),
            date.fromisoformat(info["until"]),
            info["per_day"],
            today,
            read_count,
            read_today,
            skips,
        )
        status["pace"] = {
            "day": p.day_number,
            "total_days": p.total_days,
            "read": p.read,
            "target": p.target,
            "ahead_by": p.ahead_by,
            "days_left": p.days_left,
            "remaining": p.remaining,
        }
    return status


def week_plan(cfg: Config, spec: str | None) -> dict[str, Any]:
    monday = when.week(spec, cfg)
    sunday = monday + timedelta(days=6)
    with db.opened(cfg.db_path) as conn:
        planned = queries.plan_between(conn, monday, sunday)
        skips = queries.skip_days(conn)
        words = queries.week_words(conn, week_label(monday))
    days = []
    for day in days_between(monday, sunday):
        days.append(
            {
                "date": day.isoformat(),
                "weekday": day.strftime("%A"),
                "skipped": day in skips,
                "papers": [_paper_view(p) for p in planned if p["day"] == day.isoformat()],
            }
        )
    return {
        "week": week_label(monday),
        "monday": monday.isoformat(),
        "theme": words["theme"],
        "days": days,
    }


def calendar(cfg: Config) -> dict[str, Any]:
    """Each day of the challenge period with its state, as weeks of Monday-Sunday."""
    today = cfg.today()
    with db.opened(cfg.db_path) as conn:
        info = queries.challenge(conn)
        if info is None:
            return {"challenge": None, "weeks": []}
        start, until = date.fromisoformat(info["start"]), date.fromisoformat(info["until"])
        reads = queries.readings_by_day(conn, start, until)
        skips = queries.skip_days(conn)
        planned = queries.planned_days(conn, start, until)
    first = start - timedelta(days=start.weekday())
    last = until + timedelta(days=6 - until.weekday())
    weeks: list[list[dict[str, Any]]] = []
    for day in days_between(first, last):
        if day.weekday() == 0:
            weeks.append([])
        if day < start or day > until:
            state = "outside"
        elif reads.get(day):
            state = "read"
        elif day in skips:
            state = "skipped"
        elif day < today:
            state = "missed"
        elif day in planned:
            state = "planned"
        else:
            state = "future"
        weeks[-1].append({"date": day.isoformat(), "state": state, "read": reads.get(day, 0)})
    return {"challenge": info, "today": today.isoformat(), "weeks": weeks}
