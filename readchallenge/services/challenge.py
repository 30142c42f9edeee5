"""Changing the challenge, the plan, readings and skips (ORM writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from readchallenge.config import Config
from readchallenge.core.records import MAX_PER_DAY
from readchallenge.errors import NotFound, UsageError
from readchallenge.services import plan
from readchallenge.services.items import check_text
from readchallenge.store import db, queries
from readchallenge.store.models import Challenge, Paper, PlanSlot, Reading, Skip
from readchallenge.store.orm import write_session


def _resolve(cfg: Config, text: str) -> str:
    with db.opened(cfg.db_path) as conn:
        paper_id = queries.resolve_paper_id(conn, text)
    if paper_id is None:
        raise NotFound(f"no paper {text!r} in the store (rc list shows what is there)")
    return paper_id


def _challenge(session: Session, cfg: Config) -> Challenge:
    return plan.get_or_create_challenge(session, cfg)[0]


def init(
    cfg: Config,
    *,
    start: date | None,
    until: date | None,
    per_day: int | None,
    name: str | None,
) -> dict[str, Any]:
    """Create or change the challenge; report what changed."""
    if per_day is not None and not 1 <= per_day <= MAX_PER_DAY:
        raise UsageError(f"--per-day must be between 1 and {MAX_PER_DAY}")
    check_text("--name", name or "")
    with write_session(cfg.db_path) as session:
        challenge, created = plan.get_or_create_challenge(session, cfg)
        before = challenge.model_dump()
        if start is not None:
            challenge.start = start.isoformat()
        if until is not None:
            challenge.until = until.isoformat()
        if per_day is not None:
            challenge.per_day = per_day
        if name is not None and name.strip():
            challenge.name = " ".join(name.split())
        if challenge.until < challenge.start:
            raise UsageError(f"the challenge would end ({challenge.until}) before it starts")
        session.add(challenge)
        after = challenge.model_dump()
    changed = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    return {"challenge": after, "created": created, "changed": changed}


def read(cfg: Config, text: str | None, on: date | None) -> dict[str, Any]:
    """Log a reading of `text` (default: the day's first unread planned paper) on a day."""
    day = on or cfg.today()
    if text is not None:
        paper_id = _resolve(cfg, text)
    else:
        with db.opened(cfg.db_path) as conn:
            planned = queries.plan_between(conn, day, day)
        unread = [p for p in planned if not p["read"]]
        if not planned:
            raise NotFound(f"nothing is planned on {day.isoformat()}: name the paper you read")
        paper_id = (unread or planned)[0]["id"]
    with write_session(cfg.db_path) as session:
        existing = session.exec(
            select(Reading).where(Reading.paper_id == paper_id, Reading.day == day.isoformat())
        ).first()
        if existing is None:
            session.add(
                Reading(
                    paper_id=paper_id,
                    day=day.isoformat(),
                    read_at=cfg.utc_now().isoformat(timespec="seconds"),
                )
            )
            skip = session.get(Skip, day.isoformat())
            if skip is not None:  # reading on a skipped day un-skips it
                session.delete(skip)
    return {"id": paper_id, "day": day.isoformat(), "already": existing is not None}


def unread(cfg: Config, text: str, on: date | None) -> dict[str, Any]:
    paper_id = _resolve(cfg, text)
    with write_session(cfg.db_path) as session:
        query = select(Reading).where(Reading.paper_id == paper_id)
        if on is not None:
            query = query.where(Reading.day == on.isoformat())
        readings = session.exec(query).all()
        if not readings:
            when = f" on {on.isoformat()}" if on else ""
            raise NotFound(f"no reading of {paper_id}{when} is logged")
        for reading in readings:
            session.delete(reading)
    return {"id": paper_id, "removed": [r.day for r in readings]}


def skip(cfg: Config, on: date | None, reason: str | None, undo: bool) -> dict[str, Any]:
    check_text("--reason", reason or "")
    day = on or cfg.today()
    with write_session(cfg.db_path) as session:
        existing = session.get(Skip, day.isoformat())
        if undo:
            if existing is None:
                raise NotFound(f"{day.isoformat()} is not skipped")
            session.delete(existing)
        elif existing is None:
            session.add(
                Skip(
                    day=day.isoformat(),
                    reason=reason,
                    created_at=cfg.utc_now().isoformat(timespec="seconds"),
                )
            )
        else:
            existing.reason = reason or existing.reason
            session.add(existing)
    return {"day": day.isoformat(), "undone": undo}


def move(cfg: Config, text: str, day: date, force: bool) -> dict[str, Any]:
    paper_id = _resolve(cfg, text)
    with write_session(cfg.db_path) as session:
        challenge = _challenge(session, cfg)
        moved = plan.place(session, paper_id, day, challenge.per_day, force=force)
    return {
        "id": paper_id,
        "day": day.isoformat(),
        "moved": {pid: d.isoformat() for pid, d in moved},
    }


def swap(cfg: Config, first: date, second: date) -> dict[str, Any]:
    with write_session(cfg.db_path) as session:
        a = session.exec(select(PlanSlot).where(PlanSlot.day == first.isoformat())).all()
        b = session.exec(select(PlanSlot).where(PlanSlot.day == second.isoformat())).all()
        if not a and not b:
            raise NotFound(f"nothing is planned on {first.isoformat()} or {second.isoformat()}")
        for slot in a:
            slot.day = second.isoformat()
            session.add(slot)
        for slot in b:
            slot.day = first.isoformat()
            session.add(slot)
    return {"swapped": [first.isoformat(), second.isoformat()]}


def clear(cfg: Config, day: date) -> dict[str, Any]:
    with write_session(cfg.db_path) as session:
        slots = session.exec(select(PlanSlot).where(PlanSlot.day == day.isoformat())).all()
        if not slots:
            raise NotFound(f"nothing is planned on {day.isoformat()}")
        for slot in slots:
            session.delete(slot)
    return {"day": day.isoformat(), "backlog": [s.paper_id for s in slots]}


@dataclass
class Filled:
    placed: dict[str, str]


def fill(cfg: Config) -> Filled:
    """Put backlog papers (oldest first) on the free days from today on."""
    placed: dict[str, str] = {}
    with write_session(cfg.db_path) as session:
        challenge = _challenge(session, cfg)
        planned = select(PlanSlot.paper_id)
        backlog = session.exec(
            select(Paper)
            .where(col(Paper.id).not_in(planned))
            .where(~col(Paper.id).in_(select(Reading.paper_id)))
            .order_by(col(Paper.added_at))
        ).all()
        day = cfg.today()
        for paper in backlog:
            day = plan.first_free_day(session, day, challenge.per_day)
            plan.place(session, paper.id, day, challenge.per_day)
            placed[paper.id] = day.isoformat()
    return Filled(placed)
