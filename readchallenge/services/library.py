"""Read-only views of the stored papers (sqlite3 only: part of the fast read path)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import NamedTuple, TypedDict, cast

from readchallenge.config import Config
from readchallenge.core.dates import week_label
from readchallenge.core.records import ITEM_KINDS, STATUSES
from readchallenge.errors import UsageError
from readchallenge.services import when
from readchallenge.store import db, queries


class HFSummary(TypedDict):
    status: str  # found, not_indexed or queued
    upvotes: int | None
    github_stars: int | None
    ai_keywords: list[str]
    ai_summary: str | None
    models: int | None


class ScholarSummary(TypedDict):
    status: str  # found, or not_found (not indexed when last asked)
    tldr: str | None  # machine-written by Semantic Scholar
    citations: int | None
    references: str | None  # fetched, once what it cites was asked


class BuildsOn(TypedDict):
    """A stored paper this one cites (Semantic Scholar's references)."""

    id: str
    name: str | None
    title: str | None
    read_on: str | None  # the day it was first read


class PaperDetail(TypedDict):
    """Everything stored about a paper: `rc show --json` (docs/data.md lists the keys)."""

    id: str
    source: str
    kind: str
    status: str
    name: str | None
    title: str | None
    authors: list[str]
    abstract: str | None
    version: int | None
    requested_version: int | None
    primary_category: str | None
    categories: list[str]
    published: str | None
    updated: str | None
    comment: str | None
    journal_ref: str | None
    doi: str | None
    abs_url: str | None
    pdf_url: str | None
    added_at: str
    fetched_at: str | None
    link_order: str | None
    links: dict[str, str]
    link_sources: dict[str, str]
    huggingface: HFSummary | None
    planned_on: str | None
    description: str | None
    takeaways: list[str]
    read_on: list[str]
    semantic_scholar: ScholarSummary | None
    builds_on: list[BuildsOn]


class ListRow(TypedDict):
    """A paper as `rc list` shows it (and `rc list --json` prints it)."""

    id: str
    name: str | None
    title: str | None
    kind: str
    status: str
    authors: list[str]
    categories: list[str]
    published: str | None
    added_at: str
    planned_on: str | None
    read: bool
    upvotes: int | None
    stars: int | None


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
            cast("Iterator[ListRow]", rows),
            queries.count_papers(conn, status, filters, kind, span),
            status,
            described,
        )


def show_paper(cfg: Config, text: str) -> PaperDetail:
    with db.opened(cfg.db_path) as conn:
        paper = queries.paper(conn, queries.require_paper_id(conn, text))
    assert paper is not None
    return cast(PaperDetail, paper)
