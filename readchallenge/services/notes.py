"""Notes on papers and the words of a week."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from readchallenge.config import Config
from readchallenge.core.dates import week_label
from readchallenge.core.text import has_control_chars
from readchallenge.errors import UsageError
from readchallenge.services.library import show_paper
from readchallenge.store import db, queries, writes

if TYPE_CHECKING:
    from readchallenge.core.rows import PaperDetail


def _clean(text: str, what: str) -> str:
    text = text.replace("\r\n", "\n")
    if has_control_chars(text):
        raise UsageError(f"the {what} contains control characters")
    return text.strip()


def current_note(cfg: Config, text: str) -> PaperDetail:
    """The paper as `rc show` sees it, with its description and takeaways."""
    return show_paper(cfg, text)


def save_note(
    cfg: Config,
    paper: str,
    *,
    description: str | None = None,
    add: list[str] | None = None,
    replace: list[str] | None = None,
    clear: bool = False,
) -> tuple[str, bool]:
    """Store a description and takeaways of a paper (an id or a name, resolved inside the
    write); return its id and whether anything changed."""
    add = [_clean(t, "takeaway") for t in add or [] if t.strip()]
    if description is not None:
        description = _clean(description, "description")
    if replace is not None:
        replace = [_clean(t, "takeaway") for t in replace if t.strip()]
    with db.writing(cfg.db_path, cfg.command) as conn:
        paper_id = queries.require_paper_id(conn, paper)
        old_description, old = queries.notes_for(conn, paper_id)
        new = [] if clear else list(old)
        if replace is not None:
            new = replace
        new += add
        new_description = old_description if description is None else (description or None)
        if new == old and new_description == old_description:
            return paper_id, False
        stamp = cfg.utc_now().isoformat(timespec="seconds")
        writes.set_note(conn, paper_id, new_description, new if new != old else None, stamp)
    return paper_id, True


WORD_KEYS = {
    "theme": "theme",
    "intro": "intro",
    "conclusion": "conclusion",
    "next": "teaser",
    "signoff": "signoff",
}


class WeekWords(TypedDict):
    """The words of a week's post as `rc week` edits them."""

    week: str
    theme: str | None
    intro: str | None
    conclusion: str | None
    next: str | None
    signoff: str | None


def week_words(cfg: Config, monday: date) -> WeekWords:
    with db.opened(cfg.db_path) as conn:
        words = queries.week_words(conn, week_label(monday))
    return {
        "week": week_label(monday),
        "theme": words["theme"],
        "intro": words["intro"],
        "conclusion": words["conclusion"],
        "next": words["teaser"],
        "signoff": words["signoff"],
    }


def save_week(cfg: Config, monday: date, changes: dict[str, str]) -> bool:
    """Store the given words of a week (keys theme, intro, conclusion, next)."""
    label = week_label(monday)
    words = {WORD_KEYS[key]: _clean(value, key) or None for key, value in changes.items()}
    with db.writing(cfg.db_path, cfg.command) as conn:
        before: Mapping[str, object] = queries.week_words(conn, label)
        if all(before[column] == value for column, value in words.items()):
            return False
        writes.set_week_words(conn, label, words)
    return True
