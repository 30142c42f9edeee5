"""Read-only views of the stored papers (sqlite3 only: part of the fast read path)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from readchallenge.config import Config
from readchallenge.core.records import STATUSES
from readchallenge.errors import UsageError
from readchallenge.store import db, queries


@dataclass
class Listing:
    """What `rc list` shows: the papers asked for, streamed, and how many there are in all."""

    papers: Iterator[dict[str, Any]]
    total: int
    status: str | None


@contextmanager
def listing(cfg: Config, limit: int | None, status: str | None) -> Iterator[Listing]:
    """The papers, newest first, read from the store while the block runs."""
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    if status not in (None, *STATUSES):
        raise UsageError(f"--status must be one of {', '.join(STATUSES)}")
    with db.opened(cfg.db_path) as conn:
        yield Listing(
            queries.iter_papers(conn, limit, status), queries.count_papers(conn, status), status
        )


def show_paper(cfg: Config, text: str) -> dict[str, Any]:
    with db.opened(cfg.db_path) as conn:
        paper = queries.paper(conn, queries.require_paper_id(conn, text))
    assert paper is not None
    return paper
