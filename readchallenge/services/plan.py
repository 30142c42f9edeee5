"""Placing papers on days, and the challenge they belong to."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import NamedTuple

from readchallenge.config import Config
from readchallenge.core.challenge import coming_deadline
from readchallenge.store import log, queries, writes

DEFAULT_NAME = "Paper a day"


class Placement(NamedTuple):
    """Where a new paper goes: `on` a day, the next free day, or the backlog."""

    on: date | None = None
    force: bool = False
    backlog: bool = False
    start: date | None = None  # the next free day from this one (default: today)


def per_day_or_create(
    conn: sqlite3.Connection, cfg: Config, start: date | None = None
) -> tuple[int, bool]:
    """The challenge's papers a day, creating the default challenge (from `start`, by
    default today, to the coming 31 July) if there is none; and whether it was created."""
    existing = queries.challenge(conn)
    if existing is not None:
        return int(existing["per_day"]), False
    today = cfg.today()
    writes.create_challenge(
        conn,
        name=DEFAULT_NAME,
        start=start or today,
        until=coming_deadline(today),
        per_day=1,
        stamp=cfg.utc_now().isoformat(timespec="seconds"),
    )
    # An entry of its own with the lowest clock: a challenge set on any device wins over it.
    log.seal(conn, default=True)
    return 1, True


def put(
    conn: sqlite3.Connection, paper_id: str, placement: Placement, today: date, per_day: int
) -> tuple[date | None, list[tuple[str, date]]]:
    """Place a new paper as asked; return its day (None in the backlog) and who moved."""
    if placement.backlog:
        return None, []
    day = placement.on or writes.first_free_day(
        conn, placement.start or first_day(conn, today), per_day
    )
    return day, writes.place(conn, paper_id, day, per_day, force=placement.force)


def first_day(conn: sqlite3.Connection, today: date) -> date:
    """Where planning starts: today, or the challenge's first day while it is ahead."""
    info = queries.challenge(conn)
    start = date.fromisoformat(info["start"]) if info else today
    return max(today, start)
