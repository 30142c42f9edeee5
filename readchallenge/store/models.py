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


class Tag(SQLModel, table=True):
    """A paper filed under a tag (docs/season.md)."""

    __tablename__ = "tags"

    paper_id: str = Field(primary_key=True, foreign_key="papers.id", ondelete="CASCADE")
    tag: str = Field(primary_key=True, index=True)


class WeekTag(SQLModel, table=True):
    """A tag of a week's post besides its papers' (rc week --tag)."""

    __tablename__ = "week_tags"

    week: str = Field(primary_key=True)
    tag: str = Field(primary_key=True)


class Post(SQLModel, table=True):
    """Where a week's post was published (rc week --url)."""

    __tablename__ = "posts"

    week: str = Field(primary_key=True)
    url: str


class FindQueue(SQLModel, table=True):
    """Rows a transaction touched, for `rc find`'s index to catch up with (store/fts.py)."""

    __tablename__ = "find_queue"

    rid: int = Field(primary_key=True)  # a paper's rowid, or minus a week's
    indexed: int
    # What the index holds for the row: name, title, authors, abstract, notes, takeaways,
    # theme, intro, conclusion, teaser (store/fts.py COLUMNS).
    c1: str | None = None
    c2: str | None = None
    c3: str | None = None
    c4: str | None = None
    c5: str | None = None
    c6: str | None = None
    c7: str | None = None
    c8: str | None = None
    c9: str | None = None
    c10: str | None = None


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
