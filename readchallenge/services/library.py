"""Read-only views of the stored papers (sqlite3 only: part of the fast read path)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TYPE_CHECKING

from readchallenge.config import Config
from readchallenge.core.dates import monday_of, week_label
from readchallenge.core.season import post_title
from readchallenge.core.tags import normalise_tag
from readchallenge.errors import UsageError
from readchallenge.results.library import Listing
from readchallenge.services import when
from readchallenge.store import db, queries, season

if TYPE_CHECKING:
    from readchallenge.core.rows import PaperDetail, PostRef


@contextmanager
def listing(
    cfg: Config,
    limit: int | None,
    status: str | None,
    filters: tuple[str, ...] = (),
    kind: str | None = None,
    week: str | None = None,
    sort: str = "added",
    tag: str | None = None,
) -> Iterator[Listing]:
    """The papers, newest first, read from the store while the block runs."""
    for a, b in (("read", "unread"), ("planned", "backlog")):
        if a in filters and b in filters:
            raise UsageError(f"--{a} and --{b} do not go together")
    if tag is not None:
        try:
            tag = normalise_tag(tag)
        except ValueError as exc:
            raise UsageError(f"--tag: {exc}") from None
    span = None
    if week is not None:
        monday = when.week(week, cfg)
        span = (monday, monday + timedelta(days=6))
    words = [status or "", kind or "", *filters]
    if span:
        words.append(f"planned in week {week_label(span[0])}")
    if tag:
        words.append(f"tagged {tag}")
    described = ", ".join(w for w in words if w)
    with db.opened(cfg.db_path) as conn:
        rows = queries.iter_papers(
            conn, limit, status, filters, kind, span, sort == "upvotes", tag=tag
        )
        yield Listing(
            rows,
            queries.count_papers(conn, status, filters, kind, span, tag=tag),
            status,
            described,
        )


def show_paper(cfg: Config, text: str) -> PaperDetail:
    with db.opened(cfg.db_path) as conn:
        paper = queries.paper(conn, queries.require_paper_id(conn, text))
        assert paper is not None
        paper["post"] = post_of(conn, paper["planned_on"])
    return paper


def post_of(conn: sqlite3.Connection, day: str | None) -> PostRef | None:
    """The post whose week holds `day` (a paper's day in the plan)."""
    if day is None:
        return None
    monday = monday_of(date.fromisoformat(day))
    label = week_label(monday)
    number = 1 + season.count_weeks_before(conn, monday)
    theme = queries.week_words(conn, label)["theme"]
    title = post_title(number, " ".join(theme.split()) if theme else None)
    return {"week": label, "number": number, "title": title, "url": season.post_url(conn, label)}


def names_starting(cfg: Config, typed: str) -> list[str]:
    """Names and ids of the stored papers that start with `typed` (case aside), newest
    first, for the shell's completion: nothing without a readable store, never an error."""
    try:
        if not cfg.db_path.exists():
            return []
        rows = queries.ids_and_names(cfg.db_path)
    except (sqlite3.Error, OSError, ValueError):
        return []
    typed = typed.lower()
    found = [value for row in rows for value in row if value and value.lower().startswith(typed)]
    return list(dict.fromkeys(found))
