"""Placing papers on days, and the challenge they belong to (ORM writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from readchallenge.config import Config
from readchallenge.core.challenge import coming_deadline
from readchallenge.errors import Conflict
from readchallenge.store.models import Challenge, PlanSlot

DEFAULT_NAME = "Paper a day"


@dataclass
class Placement:
    """Where a new paper goes: `on` a day, the next free day, or the backlog."""

    on: date | None = None
    force: bool = False
    backlog: bool = False


def get_or_create_challenge(session: Session, cfg: Config) -> tuple[Challenge, bool]:
    """The store's challenge; the default one (today to the coming 31 July) if there is none."""
    existing = session.get(Challenge, 1)
    if existing is not None:
        return existing, False
    today = cfg.today()
    created = Challenge(
        id=1,
        name=DEFAULT_NAME,
        start=today.isoformat(),
        until=coming_deadline(today).isoformat(),
        per_day=1,
        created_at=cfg.utc_now().isoformat(timespec="seconds"),
    )
    session.add(created)
    session.flush()
    return created, True


def load_on(session: Session, day: date) -> int:
    count = session.exec(
        select(func.count()).select_from(PlanSlot).where(PlanSlot.day == day.isoformat())
    ).one()
    return int(count)


def first_free_day(session: Session, start: date, per_day: int) -> date:
    """The first day on or after `start` with fewer than `per_day` papers planned."""
    rows = session.exec(
        select(PlanSlot.day, func.count())
        .where(PlanSlot.day >= start.isoformat())
        .group_by(col(PlanSlot.day))
    ).all()
    load = {day: int(n) for day, n in rows}
    day = start
    while load.get(day.isoformat(), 0) >= per_day:
        day += timedelta(days=1)
    return day


def place(
    session: Session,
    paper_id: str,
    day: date,
    per_day: int,
    *,
    force: bool = False,
) -> list[tuple[str, date]]:
    """Put `paper_id` on `day`; with `force`, move the last paper there to the next free day.

    Returns the papers that were moved, with their new day.
    """
    moved: list[tuple[str, date]] = []
    slot = session.get(PlanSlot, paper_id)
    if slot is not None and slot.day == day.isoformat():
        return moved
    if load_on(session, day) >= per_day:
        if not force:
            raise Conflict(f"{day.isoformat()} is already planned; use --force to move it along")
        bumped = session.exec(select(PlanSlot).where(PlanSlot.day == day.isoformat())).all()[-1]
        new_day = first_free_day(session, day + timedelta(days=1), per_day)
        bumped.day = new_day.isoformat()
        session.add(bumped)
        moved.append((bumped.paper_id, new_day))
    if slot is None:
        slot = PlanSlot(paper_id=paper_id, day=day.isoformat())
    else:
        slot.day = day.isoformat()
    session.add(slot)
    session.flush()
    return moved


def put(
    session: Session, paper_id: str, placement: Placement, today: date, per_day: int
) -> tuple[date | None, list[tuple[str, date]]]:
    """Place a new paper as asked; return its day (None in the backlog) and who moved."""
    if placement.backlog:
        return None, []
    day = placement.on or first_free_day(session, today, per_day)
    return day, place(session, paper_id, day, per_day, force=placement.force)
