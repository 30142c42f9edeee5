"""SQLModel classes mapping the tables the migrations create; used by the write paths."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class SchemaMigration(SQLModel, table=True):
    __tablename__ = "schema_migrations"

    version: int = Field(primary_key=True)
    name: str
    applied_at: str


class Paper(SQLModel, table=True):
    __tablename__ = "papers"

    id: str = Field(primary_key=True)
    source: str = "arxiv"
    kind: str = "paper"
    status: str = "ok"
    name: str | None = None
    title: str | None = None
    authors: str = "[]"
    abstract: str | None = None
    version: int | None = None
    requested_version: int | None = None
    primary_category: str | None = None
    categories: str = "[]"
    published: str | None = None
    updated: str | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    abs_url: str | None = None
    pdf_url: str | None = None
    added_at: str
    fetched_at: str | None = None
    link_order: str | None = None


class Link(SQLModel, table=True):
    __tablename__ = "links"

    paper_id: str = Field(primary_key=True, foreign_key="papers.id", ondelete="CASCADE")
    kind: str = Field(primary_key=True)
    url: str
    source: str = "you"


class PlanSlot(SQLModel, table=True):
    __tablename__ = "plan"

    paper_id: str = Field(primary_key=True, foreign_key="papers.id", ondelete="CASCADE")
    day: str = Field(index=True)


class Reading(SQLModel, table=True):
    __tablename__ = "readings"

    id: int | None = Field(default=None, primary_key=True)
    paper_id: str = Field(foreign_key="papers.id", ondelete="CASCADE")
    day: str = Field(index=True)
    read_at: str


class Skip(SQLModel, table=True):
    __tablename__ = "skips"

    day: str = Field(primary_key=True)
    reason: str | None = None
    created_at: str


class Note(SQLModel, table=True):
    __tablename__ = "notes"

    paper_id: str = Field(primary_key=True, foreign_key="papers.id", ondelete="CASCADE")
    description: str | None = None
    updated_at: str


class Takeaway(SQLModel, table=True):
    __tablename__ = "takeaways"

    paper_id: str = Field(primary_key=True, foreign_key="papers.id", ondelete="CASCADE")
    position: int = Field(primary_key=True)
    text: str


class Week(SQLModel, table=True):
    __tablename__ = "weeks"

    week: str = Field(primary_key=True)
    theme: str | None = None
    intro: str | None = None
    conclusion: str | None = None
    teaser: str | None = None
    signoff: str | None = None


class Challenge(SQLModel, table=True):
    __tablename__ = "challenge"

    id: int = Field(default=1, primary_key=True)
    name: str
    start: str
    until: str
    per_day: int = 1
    created_at: str


class HFPage(SQLModel, table=True):
    __tablename__ = "hf_pages"

    paper_id: str = Field(primary_key=True, foreign_key="papers.id", ondelete="CASCADE")
    status: str = Field(index=True)
    reason: str | None = None
    upvotes: int | None = None
    github_stars: int | None = None
    github_repo: str | None = None
    github_repo_added_by: str | None = None
    project_page: str | None = None
    organization: str | None = None
    models: str = "[]"
    num_models: int | None = None
    ai_keywords: str = "[]"
    ai_summary: str | None = None
    looked_up_at: str


class Counter(SQLModel, table=True):
    __tablename__ = "counters"

    name: str = Field(primary_key=True)
    value: int


class ChangeEntry(SQLModel, table=True):
    """One entry of the change log: what one command changed (docs/sync.md)."""

    __tablename__ = "changes"

    id: int = Field(primary_key=True)
    clock: str = Field(unique=True)
    device: str
    seq: int
    at: str
    command: str
    undoes: str | None = None
    seen: str | None = None  # JSON: the last seq of each other device its device had applied


class ChangeOp(SQLModel, table=True):
    """One row operation of an entry: the row's values before and after, as JSON."""

    __tablename__ = "change_ops"

    id: int = Field(primary_key=True)
    change_id: int = Field(index=True)
    tbl: str
    key: str
    old: str | None = None
    new: str | None = None
    clock: str | None = None  # its entry's clock: the operations on a row in clock order


class SyncState(SQLModel, table=True):
    """Device-local facts: this device's id, its last clock, what it applied from others."""

    __tablename__ = "sync_state"

    name: str = Field(primary_key=True)
    value: str | None = None


class Like(SQLModel, table=True):
    """The user's word on a paper, stored or not: 1 more like this, 0 not this."""

    __tablename__ = "likes"

    paper_id: str = Field(primary_key=True)
    liked: int
    marked_at: str


class S2Paper(SQLModel, table=True):
    """What Semantic Scholar said of an arXiv paper (this device's cache)."""

    __tablename__ = "s2_papers"

    arxiv_id: str = Field(primary_key=True)
    status: str  # found, not_found
    s2_id: str | None = None
    tldr: str | None = None
    citations: int | None = None
    refs_status: str | None = None  # fetched, once its references are in s2_refs
    looked_up_at: str


class S2Ref(SQLModel, table=True):
    """A paper (by arXiv id) that another cites, as Semantic Scholar lists its references."""

    __tablename__ = "s2_refs"

    paper_id: str = Field(primary_key=True)
    cited_id: str = Field(primary_key=True, index=True)


class Candidate(SQLModel, table=True):
    """A paper a source offered the last time rc suggest asked it (this device's cache)."""

    __tablename__ = "candidates"

    source: str = Field(primary_key=True)  # hf, s2
    arxiv_id: str = Field(primary_key=True)
    rank: int
    title: str
    abstract: str | None = None
    authors: str = "[]"
    published: str | None = None
    upvotes: int | None = None
    github_repo: str | None = None


class CandidateFetch(SQLModel, table=True):
    __tablename__ = "candidate_fetches"

    source: str = Field(primary_key=True)
    fetched_at: str


class TasteTerms(SQLModel, table=True):
    """The weighted words of one paper's text, kept until its text changes (crc)."""

    __tablename__ = "taste_terms"

    doc: str = Field(primary_key=True)
    crc: int
    terms: str


class TasteModel(SQLModel, table=True):
    """What the model made of the papers it was given (each candidate's nearest papers),
    kept with the signature of those papers' texts: reused while none of them changed."""

    __tablename__ = "taste_model"

    name: str = Field(primary_key=True)
    signature: int
    value: str
