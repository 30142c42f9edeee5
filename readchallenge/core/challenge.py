"""Streaks, pace and the challenge calendar as pure functions of days."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import NamedTuple


def current_streak(read_days: Collection[date], skip_days: Collection[date], today: date) -> int:
    """Consecutive read days ending today (or yesterday while today is still open).

    A skipped day neither breaks nor extends the streak.
    """
    return streak_walk(read_days, skip_days, today)[0]


def streak_walk(
    read_days: Collection[date], skip_days: Collection[date], today: date
) -> tuple[int, date]:
    """The current streak and the day the walk back from today stopped at (the gap).

    Its cost is the streak's length; days before the gap are never looked at.
    """
    day = today if today in read_days else today - timedelta(days=1)
    streak = 0
    while True:
        if day in read_days:
            streak += 1
        elif day not in skip_days:
            return streak, day
        day -= timedelta(days=1)


def longest_streak(read_days: Collection[date], skip_days: Collection[date]) -> int:
    """The longest run of read days, skipped days passing through without counting."""
    best = run = 0
    previous: date | None = None
    for day in sorted(set(read_days) | set(skip_days)):
        if previous is None or day - previous != timedelta(days=1):
            run = 0
        if day in read_days:
            run += 1
            best = max(best, run)
        previous = day
    return best


class Pace(NamedTuple):
    """Where the reader stands against the challenge's target."""

    day_number: int
    total_days: int
    read: int
    target: int
    days_left: int
    remaining: int

    @property
    def ahead_by(self) -> int:
        """Positive when ahead of the target, negative when behind."""
        return self.read - self.target


def pace(
    start: date,
    until: date,
    per_day: int,
    today: date,
    read_count: int,
    read_today: int,
    skip_days: Collection[date],
) -> Pace:
    """Papers read against the target so far; today counts once its quota is met or skipped."""
    total_days = (until - start).days + 1
    skipped_total = sum(1 for d in skip_days if start <= d <= until)
    if today < start:
        return Pace(0, total_days, read_count, 0, total_days, per_day * total_days - read_count)
    last_due = today if (read_today >= per_day or today in skip_days) else today - timedelta(1)
    last_due = min(last_due, until)
    due_days = (last_due - start).days + 1 if last_due >= start else 0
    skipped_due = sum(1 for d in skip_days if start <= d <= last_due)
    target = per_day * (due_days - skipped_due)
    days_left = max(0, (until - today).days + 1)
    remaining = max(0, per_day * (total_days - skipped_total) - read_count)
    day_number = min((today - start).days + 1, total_days)
    return Pace(day_number, total_days, read_count, target, days_left, remaining)


def coming_deadline(today: date, month: int = 7, day: int = 31) -> date:
    """The next 31 July on or after today (next year's once this year's has passed)."""
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)


def month_columns(first_monday: date, start: date, until: date) -> list[tuple[int, date]]:
    """Where a calendar of Monday-Sunday columns from `first_monday` labels its months: the
    column of the challenge's first day, and of each 1st of a month inside the challenge.
    A month that starts after the last day gets no label, even if its column is drawn."""
    firsts = [start]
    month = date(start.year, start.month, 1)
    while True:
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        if month > until:
            break
        firsts.append(month)
    return [((day - first_monday).days // 7, day) for day in firsts]


def default_start(today: date) -> date:
    """The first day of a challenge started today: today, or on Saturday and Sunday the
    coming Monday, so that its weeks are whole and no weekend day starts as missed."""
    return today + timedelta(days=(7 - today.weekday()) % 7 if today.weekday() >= 5 else 0)
