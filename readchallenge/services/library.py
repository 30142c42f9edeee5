"""Read-only views of the stored papers (sqlite3 only: part of the fast read path)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, NamedTuple

from readchallenge.config import Config
from readchallenge.core.dates import week_label
from readchallenge.core.records import ITEM_KINDS, STATUSES
from readchallenge.errors import UsageError
from readchallenge.services import when
from readchallenge.store import db, queries

if TYPE_CHECKING:
    # The rows the store builds are the results: named here too for the renderers.
    from readchallenge.core.rows import ListRow as ListRow
    from readchallenge.core.rows import PaperDetail as PaperDetail


class Listing(NamedTuple):
    """What `rc list` shows: the papers asked for, streamed, and how many there are in all."""

    papers: Iterator[ListRow]
    total: int
    status: str | None
    described: str = ""  # what was asked for, for "no papers match: …" when nothing does


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
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    if status not in (None, *STATUSES):
        raise UsageError(f"--status must be one of {', '.join(STATUSES)}")
    if sort not in ("added", "upvotes"):
        raise UsageError("--sort must be added or upvotes")
    if kind not in (None, *ITEM_KINDS):
        raise UsageError(f"--kind must be one of {', '.join(ITEM_KINDS)}")
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
