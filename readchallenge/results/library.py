"""What the views of the stored papers hand to their renderers and print as JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple, TypedDict


class HFSummary(TypedDict):
    status: str  # found, not_indexed or queued
    upvotes: int | None
    github_stars: int | None
    ai_keywords: list[str]
    ai_summary: str | None
    models: int | None


class PostRef(TypedDict):
    """The post a paper was a day of: `Sunday Papers #N`, its week and where it lives."""

    week: str
    number: int
    title: str
    url: str | None


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
    tags: list[str]
    post: PostRef | None  # the week's post it is a day of


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
    tags: list[str]


class Listing(NamedTuple):
    """What `rc list` shows: the papers asked for, streamed, and how many there are in all."""

    papers: Iterator[ListRow]
    total: int
    status: str | None
    described: str = ""  # what was asked for, for "no papers match: …" when nothing does
