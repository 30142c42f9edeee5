"""The daily views: today, the week's plan and the calendar (sqlite3 only: fast read path)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from readchallenge.config import Config
from readchallenge.core import challenge as rules
from readchallenge.core.dates import days_between, monday_of, week_label
from readchallenge.core.text import display_name
from readchallenge.results.daily import (
    Calendar,
    CalendarDay,
    PaperView,
    PlanDay,
    Summary,
    TodayStatus,
    WeekAhead,
    WeekPlan,
)
from readchallenge.services import when
from readchallenge.store import db, queries

if TYPE_CHECKING:
    from sqlite3 import Connection

    from readchallenge.core.rows import ChallengeInfo, PlannedPaper


def _paper_view(p: PlannedPaper) -> PaperView:
    return {
        "id": p["id"],
        "name": display_name(p),
        "title": p["title"],
        "authors": p["authors"],
        "links": p["links"],
        "read": p["read"],
        "status": p["status"],
    }


def _current_streak(conn: Connection, today: date, skips: dict[date, str | None]) -> int:
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


def _longest_streak(conn: Connection, skips: dict[date, str | None]) -> int:
    """The longest streak, recomputed only when readings or skips changed since last time."""
    revision = queries.counter(conn, "history_revision")
    if revision is not None and queries.counter(conn, "longest_streak_revision") == revision:
        return queries.counter(conn, "longest_streak") or 0
    longest = rules.longest_streak(queries.reading_days(conn), skips)
    if revision is not None:
        queries.remember(conn, {"longest_streak": longest, "longest_streak_revision": revision})
    return longest


def _inside(info: ChallengeInfo, day: date) -> bool:
    return date.fromisoformat(info["start"]) <= day <= date.fromisoformat(info["until"])


def _week_ahead(conn: Connection, today: date, info: ChallengeInfo | None) -> WeekAhead | None:
    """On Saturday and Sunday: how ready next week's post is."""
    if today.weekday() < 5:
        return None
    monday = monday_of(today) + timedelta(days=7)
    planned = queries.plan_between(conn, monday, monday + timedelta(days=6))
    per_day = int(info["per_day"]) if info else 1
    notes_missing = sum(1 for p in planned if not queries.notes_for(conn, p["id"])[0])
    return {
        "week": week_label(monday),
        "planned": len(planned),
        "slots": 7 * per_day,
        "notes_missing": notes_missing,
    }


def _summary(conn: Connection, info: ChallengeInfo) -> Summary:
    """After the end: what the challenge came to."""
    start, until = date.fromisoformat(info["start"]), date.fromisoformat(info["until"])
    skips = queries.skip_days(conn)
    days = (until - start).days + 1
    themes: dict[str, int] = {}
    for day in sorted(queries.reading_days_between(conn, start, until)):
        theme = queries.week_words(conn, week_label(monday_of(day)))["theme"] or "no theme"
        themes[theme] = themes.get(theme, 0) + queries.readings_between(conn, day, day)
    return {
        "read": queries.readings_between(conn, start, until),
        "of": days * int(info["per_day"]),
        "longest_streak": rules.longest_streak(queries.reading_days(conn), skips),
        "by_theme": themes,
        "next_start": (until + timedelta(days=1)).isoformat(),
    }


def today_status(cfg: Config) -> TodayStatus:
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
        yesterday = today - timedelta(days=1)
        missed = [
            _paper_view(p)
            for p in queries.plan_between(conn, yesterday, yesterday)
            if not p["read"] and yesterday not in skips
        ]
        week_ahead = _week_ahead(conn, today, info)
        summary = (
            _summary(conn, info) if info and today > date.fromisoformat(info["until"]) else None
        )
    status: TodayStatus = {
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
        "yesterday_unread": missed if info and _inside(info, yesterday) else [],
        "next_week": week_ahead,
        "starts_in": (date.fromisoformat(info["start"]) - today).days
        if info and today < date.fromisoformat(info["start"])
        else None,
        "summary": summary,
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


def week_plan(cfg: Config, spec: str | None) -> WeekPlan:
    monday = when.week(spec, cfg)
    sunday = monday + timedelta(days=6)
    with db.opened(cfg.db_path) as conn:
        planned = queries.plan_between(conn, monday, sunday)
        skips = queries.skip_days(conn)
        words = queries.week_words(conn, week_label(monday))
    days: list[PlanDay] = []
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


def calendar(cfg: Config) -> Calendar:
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
        streak = _current_streak(conn, today, skips)
    first = start - timedelta(days=start.weekday())
    last = until + timedelta(days=6 - until.weekday())
    weeks: list[list[CalendarDay]] = []
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
    open_days = sum(1 for day in days_between(start, until) if day not in skips)
    return {
        "challenge": info,
        "today": today.isoformat(),
        "weeks": weeks,
        "streak": streak,
        "read": sum(reads.values()),
        "target": open_days * int(info["per_day"]),
    }
