"""The rows the store reads for the services beyond whole table rows, typed.

`store/queries.py` builds them (a table's columns come from `core/schema.py`); services pass
them on, renderers draw them and `--json` prints them: `rc show --json` prints a
`PaperDetail`, `rc list --json` a `ListRow` a paper. Like the row types of `core/schema.py`,
they exist for the type checker only: import them under `TYPE_CHECKING`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypedDict

    from readchallenge.core.schema import PaperRow

    class ChallengeInfo(TypedDict):
        """The challenge as the daily views show it."""

        name: str
        start: str
        until: str
        per_day: int

    class HFSummary(TypedDict):
        """What `rc show` tells of a paper's Hugging Face page."""

        status: str  # found, not_indexed or queued
        upvotes: int | None
        github_stars: int | None
        ai_keywords: list[str]
        ai_summary: str | None
        models: int | None

    class ScholarSummary(TypedDict):
        """What `rc show` tells of Semantic Scholar's facts (machine-written hints)."""

        status: str  # found, or not_found (not indexed when last asked)
        tldr: str | None  # machine-written by Semantic Scholar
        citations: int | None
        references: str | None  # fetched, once what it cites was asked

    class BuildsOn(TypedDict):
        """A stored paper another cites (Semantic Scholar's references)."""

        id: str
        name: str | None
        title: str | None
        read_on: str | None  # the day it was first read

    class PaperName(TypedDict):
        """How `rc find` names a paper it hit: its name or title, and its day if planned."""

        id: str
        name: str | None
        title: str | None
        day: str | None

    class PostRef(TypedDict):
        """The post a paper was a day of: `Sunday Papers #N`, its week and where it lives."""

        week: str
        number: int
        title: str
        url: str | None

    class PaperDetail(PaperRow):
        """Everything stored about a paper: `rc show --json`."""

        links: dict[str, str]
        link_sources: dict[str, str]
        huggingface: HFSummary | None
        planned_on: str | None
        description: str | None
        takeaways: list[str]
        read_on: list[str]
        tags: list[str]
        post: PostRef | None  # the week's post it is a day of
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
        tags: list[str]

    class PlannedPaper(TypedDict):
        """A paper planned on a day, as the daily views and the post use it."""

        day: str
        id: str
        name: str | None
        title: str | None
        kind: str
        status: str
        authors: list[str]
        categories: list[str]
        abstract: str | None
        published: str | None
        link_order: str | None
        read: bool
        links: dict[str, str]

    class ScholarFacts(TypedDict):
        """What is kept of a paper Semantic Scholar was asked about (a row of s2_papers)."""

        status: str  # found, or not_found (not indexed when last asked)
        tldr: str | None
        citations: int | None
        refs_status: str | None  # fetched, once what it cites was asked
        looked_up_at: str

    class CandidateRow(TypedDict):
        """A paper a source offered for `rc suggest` (a row of candidates, in its order)."""

        arxiv_id: str
        title: str
        abstract: str | None
        authors: list[str]
        published: str | None
        upvotes: int | None  # on Hugging Face
        github_repo: str | None

    class Offered(CandidateRow):
        """A candidate of every source that offered it, merged by arXiv id."""

        sources: list[str]  # hf, s2
        recommended: float  # Semantic Scholar's order, 1 for its first, 0 for none

    class SeenPaper(TypedDict):
        """A paper of your history as the taste model reads it: skipped or removed."""

        id: str
        source: str | None
        name: str | None
        title: str | None
        abstract: str | None

    class LikedPaper(SeenPaper):
        """A stored paper you gave your word on (`rc like`), with your description."""

        description: str | None

    class ReadPaper(LikedPaper):
        """A paper you read, with your notes and the day you first read it."""

        takeaways: str | None  # every takeaway, joined by spaces
        read_on: str | None
