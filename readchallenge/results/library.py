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
