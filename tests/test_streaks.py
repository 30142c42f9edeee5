"""Streaks and pace against brute-force oracles over random histories."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from readchallenge.core.challenge import coming_deadline, current_streak, longest_streak, pace

BASE = date(2026, 1, 1)
days = st.sets(st.integers(0, 60).map(lambda n: BASE + timedelta(days=n)), max_size=50)


def oracle_current(read: set[date], skipped: set[date], today: date) -> int:
    # The days read in the longest run of read or skipped days that ends at the most recent
    # counted day, walked back one day at a time.
    day = today if today in read else today - timedelta(days=1)
    count = 0
    for _ in range(70):
        if day not in read and day not in skipped:
            break
        count += day in read
        day -= timedelta(days=1)
    return count


def oracle_longest(read: set[date], skipped: set[date]) -> int:
    # Every run of read or skipped days, from every first day on: the most days read in one.
    best = 0
    for first in range(-1, 62):
        count = 0
        for i in range(first, 62):
            day = BASE + timedelta(days=i)
            if day not in read and day not in skipped:
                break  # no longer window from `first` is unbroken either
            count += day in read
            best = max(best, count)
    return best


@given(days, days, st.integers(0, 62))
def test_current_streak_matches_oracle(read, skipped, offset):
    today = BASE + timedelta(days=offset)
    skipped -= read
    assert current_streak(read, skipped, today) == oracle_current(read, skipped, today)


@given(days, days)
def test_longest_streak_matches_oracle(read, skipped):
    skipped -= read
    assert longest_streak(read, skipped) == oracle_longest(read, skipped)


@given(days, st.integers(0, 60), st.integers(1, 3))
def test_pace_target_counts_due_days(skipped, offset, per_day):
    today = BASE + timedelta(days=offset)
    until = BASE + timedelta(days=60)
    p = pace(BASE, until, per_day, today, read_count=0, read_today=0, skip_days=skipped)
    due = [BASE + timedelta(days=i) for i in range(offset)]  # today not done: up to yesterday
    if today in skipped:
        due.append(today)
    assert p.target == per_day * sum(1 for d in due if d not in skipped)
    assert p.days_left == (until - today).days + 1


def test_today_counts_once_read():
    p = pace(BASE, BASE + timedelta(days=9), 1, BASE + timedelta(days=2), 3, 1, set())
    assert (p.target, p.ahead_by, p.day_number) == (3, 0, 3)


def test_deadline_is_the_coming_31_july():
    assert coming_deadline(date(2026, 7, 31)) == date(2026, 7, 31)
    assert coming_deadline(date(2026, 8, 1)) == date(2027, 7, 31)
