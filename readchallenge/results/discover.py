"""What a search and the daily papers hand to their renderer and print as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict


class FoundRow(TypedDict):
    """One numbered result; `rc search --json` and `rc discover --json` print these."""

    number: int
    id: str
    title: str
    authors: list[str]
    date: str
    upvotes: int | None
    repo: str | None
    stars: int | None
    models: int | None
    sources: list[str]  # arxiv, hf
    in_store: str | None  # read, backlog or the planned day, when it is stored
    tldr: str | None  # machine-written by Semantic Scholar, when rc has asked it
    citations: int | None  # on Semantic Scholar, likewise


@dataclass
class Found:
    """Numbered results, merged by arXiv id, and the warning of a source that failed."""

    rows: list[FoundRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title: str = ""
