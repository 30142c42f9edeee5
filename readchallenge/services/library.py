"""Read-only views of the stored papers (sqlite3 only: part of the fast read path)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

from readchallenge.config import Config
from readchallenge.core.dates import week_label
from readchallenge.errors import UsageError
from readchallenge.results.library import Listing
from readchallenge.services import when
from readchallenge.store import db, queries

if TYPE_CHECKING:
    from readchallenge.core.rows import PaperDetail


@contextmanager
def listing(
    cfg: Config,
    limit: int | None,
    status: str | None,
    filters: tuple[str, ...] = (),
    kind: str | None = None,
    week: str | None = None,
    sort: str = "added",
) -> Iterator[Listing]:
    """The papers, newest first, read from the store while the block runs."""
    for a, b in (("read", "unread"), ("planned", "backlog")):
        if a in filters and b in filters:
            raise UsageError(f"--{a} and --{b} do not go together")
    span = None
    if week is not None:
        monday = when.week(week, cfg)
        span = (monday, monday + timedelta(days=6))
    words = [status or "", kind or "", *filters]
    if span:
        words.append(f"planned in week {week_label(span[0])}")
    described = ", ".join(w for w in words if w)
    with db.opened(cfg.db_path) as conn:
        rows = queries.iter_papers(conn, limit, status, filters, kind, span, sort == "upvotes")
        yield Listing(
            rows,
            queries.count_papers(conn, status, filters, kind, span),
            status,
            described,
        )


def show_paper(cfg: Config, text: str) -> PaperDetail:
    with db.opened(cfg.db_path) as conn:
        paper = queries.paper(conn, queries.require_paper_id(conn, text))
    assert paper is not None
    return paper


def names_starting(cfg: Config, typed: str) -> list[str]:
    """Names and ids of the stored papers that start with `typed` (case aside), newest
    first, for the shell's completion: nothing without a readable store, never an error."""
    import sqlite3

    try:
        if not cfg.db_path.exists():
            return []
        rows = queries.ids_and_names(cfg.db_path)
    except (sqlite3.Error, OSError, ValueError):
        return []
    typed = typed.lower()
    found = [value for row in rows for value in row if value and value.lower().startswith(typed)]
    return list(dict.fromkeys(found))
