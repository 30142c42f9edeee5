"""Changing the challenge, the plan, readings and skips."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from readchallenge.config import Config
from readchallenge.core.challenge import default_start
from readchallenge.errors import Ambiguous, NotFound, UsageError
from readchallenge.services import plan
from readchallenge.services.items import check_text
from readchallenge.store import db, queries, writes

if TYPE_CHECKING:
    from readchallenge.core.schema import ChallengeFields
    from readchallenge.core.schema import ChallengeRow as ChallengeRow

# The results of the challenge's writes, printed as they are by --json where a command has it.


class InitResult(TypedDict):
    challenge: ChallengeRow
    created: bool
    changed: dict[str, tuple[object, object]]  # field -> (before, after)


class ReadResult(TypedDict):
    id: str
    day: str
    already: bool  # the reading was logged before


class UnreadResult(TypedDict):
    id: str
    removed: list[str]  # the days whose readings went


class SkipResult(TypedDict):
    day: str
    undone: bool


class MoveResult(TypedDict):
    id: str
    day: str
    moved: dict[str, str]  # papers moved along (with --force), to their new day


class SwapResult(TypedDict):
    swapped: list[str]


class ClearResult(TypedDict):
    day: str
    backlog: list[str]


def _stamp(cfg: Config) -> str:
    return cfg.utc_now().isoformat(timespec="seconds")


def _inside(conn: sqlite3.Connection, cfg: Config, day: date, what: str) -> None:
    """Refuse a day outside the challenge, naming the command that widens it."""
    plan.per_day_or_create(conn, cfg)
    info = queries.challenge_row(conn)
    start, until = date.fromisoformat(info["start"]), date.fromisoformat(info["until"])
    if day < start:
        widen = f"rc init --start {day.isoformat()}"
    elif day > until:
        widen = f"rc init --until {day.isoformat()}"
    else:
        return
    raise UsageError(
        f"cannot {what} {day.isoformat()}: the challenge runs from {start} to {until} "
        f"({widen} widens it)"
    )


def init(
    cfg: Config,
    *,
    start: date | None,
    until: date | None,
    per_day: int | None,
    name: str | None,
) -> InitResult:
    """Create or change the challenge; report what changed."""
    check_text("--name", name or "")
    with db.writing(cfg.db_path, cfg.command) as conn:
        # Started on a weekend, a challenge begins the coming Monday: its weeks are whole,
        # and no weekend day is missed before the first paper is read.
        first = default_start(cfg.today())
        _, created = plan.per_day_or_create(conn, cfg, start=first)
        before = queries.challenge_row(conn)
        fields: ChallengeFields = {}
        if start is not None:
            fields["start"] = start.isoformat()
        if until is not None:
            fields["until"] = until.isoformat()
        if per_day is not None:
            fields["per_day"] = per_day
        if name is not None and name.strip():
            fields["name"] = " ".join(name.split())
        after: ChallengeRow = {**before, **fields}
        if after["until"] < after["start"]:
            raise UsageError(f"the challenge would end ({after['until']}) before it starts")
        writes.update_challenge(conn, fields)
    old: Mapping[str, object] = before
    new: Mapping[str, object] = after
    changed = {k: (old[k], new[k]) for k in new if old[k] != new[k]}
    return {"challenge": after, "created": created, "changed": changed}


def read(cfg: Config, text: str | None, on: date | None) -> ReadResult:
    """Log a reading of `text` (default: the day's first unread planned paper) on a day."""
    day = on or cfg.today()
    with db.writing(cfg.db_path, cfg.command) as conn:
        _inside(conn, cfg, day, "log a reading on")
        if day > cfg.today():  # a reading ahead of time would count in the streaks early
            raise UsageError(
                f"cannot log a reading on {day.isoformat()}: that day has not come yet "
                f"(today is {cfg.today().isoformat()})"
            )
        if text is not None:
            paper_id = queries.require_paper_id(conn, text)
        else:
            planned = queries.plan_between(conn, day, day)
            if not planned:
                raise NotFound(f"nothing is planned on {day.isoformat()}: name the paper you read")
            unread = [p for p in planned if not p["read"]]
            paper_id = (unread or planned)[0]["id"]
        added = writes.add_reading(conn, paper_id, day, _stamp(cfg))
    return {"id": paper_id, "day": day.isoformat(), "already": not added}


def unread(cfg: Config, text: str, on: date | None, every: bool = False) -> UnreadResult:
    """Remove the reading of a paper on a day; without a day, its only reading, or with
    `every`, all of them (several readings and no day: say which)."""
    with db.writing(cfg.db_path, cfg.command) as conn:
        paper_id = queries.require_paper_id(conn, text)
        days = queries.paper_reading_days(conn, paper_id)
        if on is None and not every and len(days) > 1:
            raise Ambiguous(
                f"{paper_id} was read on {', '.join(days)}: say which with --on DAY, "
                "or --all for every one",
                days,
            )
        removed = writes.remove_readings(conn, paper_id, on)
        if not removed:
            when = f" on {on.isoformat()}" if on else ""
            raise NotFound(f"no reading of {paper_id}{when} is logged")
    return {"id": paper_id, "removed": removed}


def skip(cfg: Config, on: date | None, reason: str | None, undo: bool) -> SkipResult:
    check_text("--reason", reason or "")
    day = on or cfg.today()
    with db.writing(cfg.db_path, cfg.command) as conn:
        if not undo:
            _inside(conn, cfg, day, "skip")
        if undo:
            if not writes.remove_skip(conn, day):
                raise NotFound(f"{day.isoformat()} is not skipped")
        else:
            writes.set_skip(conn, day, reason or None, _stamp(cfg))
    return {"day": day.isoformat(), "undone": undo}


def move(cfg: Config, text: str, day: date, force: bool) -> MoveResult:
    with db.writing(cfg.db_path, cfg.command) as conn:
        paper_id = queries.require_paper_id(conn, text)
        per_day, _ = plan.per_day_or_create(conn, cfg)
        moved = writes.place(conn, paper_id, day, per_day, force=force)
    return {
        "id": paper_id,
        "day": day.isoformat(),
        "moved": {pid: d.isoformat() for pid, d in moved},
    }


def swap(cfg: Config, first: date, second: date) -> SwapResult:
    with db.writing(cfg.db_path, cfg.command) as conn:
        if not writes.papers_on(conn, first) and not writes.papers_on(conn, second):
            raise NotFound(f"nothing is planned on {first.isoformat()} or {second.isoformat()}")
        writes.swap_days(conn, first, second)
    return {"swapped": [first.isoformat(), second.isoformat()]}


def clear(cfg: Config, day: date) -> ClearResult:
    with db.writing(cfg.db_path, cfg.command) as conn:
        backlog = writes.clear_day(conn, day)
        if not backlog:
            raise NotFound(f"nothing is planned on {day.isoformat()}")
    return {"day": day.isoformat(), "backlog": backlog}


class Filled(NamedTuple):
    placed: dict[str, str]


def fill(cfg: Config) -> Filled:
    """Put backlog papers (oldest first) on the free days from today on."""
    placed: dict[str, str] = {}
    with db.writing(cfg.db_path, cfg.command) as conn:
        per_day, _ = plan.per_day_or_create(conn, cfg)
        day = plan.first_day(conn, cfg.today())
        for paper_id in writes.backlog(conn):
            day = writes.first_free_day(conn, day, per_day)
            _inside(conn, cfg, day, "plan a paper on")
            writes.place(conn, paper_id, day, per_day)
            placed[paper_id] = day.isoformat()
    return Filled(placed)
