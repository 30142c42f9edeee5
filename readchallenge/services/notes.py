"""Notes on papers and the words of a week (ORM writes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col, delete, select

from readchallenge.config import Config
from readchallenge.core.dates import week_label
from readchallenge.core.text import has_control_chars
from readchallenge.errors import UsageError
from readchallenge.services.library import show_paper
from readchallenge.store import db, queries
from readchallenge.store.models import Note, Takeaway, Week
from readchallenge.store.orm import write_session


def _clean(text: str, what: str) -> str:
    text = text.replace("\r\n", "\n")
    if has_control_chars(text):
        raise UsageError(f"the {what} contains control characters")
    return text.strip()


def current_note(cfg: Config, text: str) -> dict[str, Any]:
    """The paper as `rc show` sees it, with its description and takeaways."""
    return show_paper(cfg, text)


def save_note(
    cfg: Config,
    paper_id: str,
    *,
    description: str | None = None,
    add: list[str] | None = None,
    replace: list[str] | None = None,
    clear: bool = False,
) -> bool:
    """Store a description and takeaways; return whether anything changed."""
    add = [_clean(t, "takeaway") for t in add or [] if t.strip()]
    if description is not None:
        description = _clean(description, "description")
    if replace is not None:
        replace = [_clean(t, "takeaway") for t in replace if t.strip()]
    with write_session(cfg.db_path) as session:
        note = session.get(Note, paper_id)
        old_description = note.description if note else None
        rows = session.exec(
            select(Takeaway).where(Takeaway.paper_id == paper_id).order_by(col(Takeaway.position))
        ).all()
        old = [r.text for r in rows]
        new = [] if clear else list(old)
        if replace is not None:
            new = replace
        new += add
        new_description = old_description if description is None else (description or None)
        if new == old and new_description == old_description:
            return False
        stamp = cfg.utc_now().isoformat(timespec="seconds")
        if note is None:
            note = Note(paper_id=paper_id, updated_at=stamp)
        note.description, note.updated_at = new_description, stamp
        session.add(note)
        if new != old:
            session.exec(delete(Takeaway).where(col(Takeaway.paper_id) == paper_id))
            session.add_all(
                Takeaway(paper_id=paper_id, position=i, text=t) for i, t in enumerate(new, 1)
            )
    return True


WORD_KEYS = {"theme": "theme", "intro": "intro", "conclusion": "conclusion", "next": "teaser"}


def week_words(cfg: Config, monday: date) -> dict[str, Any]:
    with db.opened(cfg.db_path) as conn:
        words = queries.week_words(conn, week_label(monday))
    return {"week": week_label(monday), **{k: words[col_] for k, col_ in WORD_KEYS.items()}}


def save_week(cfg: Config, monday: date, changes: dict[str, str]) -> bool:
    """Store the given words of a week (keys theme, intro, conclusion, next)."""
    label = week_label(monday)
    with write_session(cfg.db_path) as session:
        week = session.get(Week, label) or Week(week=label)
        before = week.model_dump()
        for key, value in changes.items():
            setattr(week, WORD_KEYS[key], _clean(value, key) or None)
        if week.model_dump() == before:
            return False
        session.add(week)
    return True
