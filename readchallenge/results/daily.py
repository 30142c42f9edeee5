"""What the daily views hand to their renderers and print as JSON (docs/challenge.md lists
the keys of `rc today --json`, `rc plan --json` and `rc calendar --json`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from readchallenge.core.rows import ChallengeInfo


class PaperView(TypedDict):
    id: str
    name: str
    title: str | None
    authors: list[str]
    links: dict[str, str]
    read: bool
    status: str


class Streak(TypedDict):
    current: int
    longest: int
    at_stake: bool


class Pace(TypedDict):
    day: int
    total_days: int
    read: int
    target: int
    ahead_by: int
    days_left: int
    remaining: int


class WeekAhead(TypedDict):
    week: str
    planned: int
    slots: int
    notes_missing: int


class Summary(TypedDict):
    read: int
    of: int
    longest_streak: int
    by_theme: dict[str, int]
    next_start: str


class TodayStatus(TypedDict):
    today: str
    challenge: ChallengeInfo | None
    papers: list[PaperView]
    tomorrow: list[PaperView]
    read_today: bool
    skipped_today: bool
    streak: Streak
    pace: Pace | None
    has_papers: bool
    yesterday_unread: list[PaperView]
    next_week: WeekAhead | None
    starts_in: int | None
    summary: Summary | None


class PlanDay(TypedDict):
    date: str
    weekday: str
    skipped: bool
    papers: list[PaperView]


class WeekPlan(TypedDict):
    week: str
    monday: str
    theme: str | None
    days: list[PlanDay]


class CalendarDay(TypedDict):
    date: str
    state: str  # outside, read, skipped, missed, planned or future
    read: int


class Calendar(TypedDict, total=False):
    challenge: ChallengeInfo | None
    today: str
    weeks: list[list[CalendarDay]]
    streak: int  # the current streak
    read: int  # papers read in the challenge's days
    target: int  # papers the challenge's days ask for (skipped days ask for none)
