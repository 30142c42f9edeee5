"""The schema, declared once: SQLModel classes for every table the migrations build.

The migrations (`store/migrations.py`) are the history that builds a store; these classes
say what that history must come to, column by column (tests/test_store.py compares a
migrated store with them: names in order, types, NULL, defaults, keys, foreign keys). The
daily commands never load SQLModel (about 95 ms with pydantic and SQLAlchemy): what they
need of the declaration, each table's key and columns and a typed row for each, is written
by `python -m readchallenge.store.models` into `readchallenge/core/schema.py`, and a test
fails when that file is stale. Change a table here, in a new migration, then generate.

Beyond the columns, a class says what rc does with its rows:

- `SHARED` lists the challenge's tables, parents before children: the change log records
  them, `rc export` writes them, `rc import` and `rc sync` take them in.
- A row's key, the columns that name it on every device, is its primary key; where the
  primary key is a number of this store's own (`readings.id`), it is the unique key, and
  the number is left out of what is logged, exported and synced.
- `export_order`: the ORDER BY of `rc export` where it is not the key.
- `json_columns`: columns kept as JSON text, with the type they are read as.
"""

from __future__ import annotations

import json
import sys
import types
import typing
from pathlib import Path
from typing import ClassVar, TypedDict

from sqlalchemy import Table, UniqueConstraint
from sqlmodel import Field, SQLModel


class HFModel(TypedDict):
    """A model linked from a paper's Hugging Face page, as `hf_pages.models` holds it."""

    id: str
    author: str
    likes: int


class SchemaMigration(SQLModel, table=True):
    __tablename__ = "schema_migrations"

    version: int = Field(primary_key=True)
    name: str
    applied_at: str


class Challenge(SQLModel, table=True):
    __tablename__ = "challenge"

    id: int = Field(primary_key=True)  # always 1: one challenge a store
    name: str
    start: str
    until: str
    per_day: int = 1
    created_at: str


class Paper(SQLModel, table=True):
    __tablename__ = "papers"
    export_order: ClassVar[str] = "added_at, id"
    json_columns: ClassVar[dict[str, object]] = {"authors": list[str], "categories": list[str]}

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
    day: str


class Reading(SQLModel, table=True):
    __tablename__ = "readings"
    __table_args__ = (UniqueConstraint("paper_id", "day"),)
    export_order: ClassVar[str] = "day, paper_id"

    id: int | None = Field(default=None, primary_key=True)
    paper_id: str = Field(foreign_key="papers.id", ondelete="CASCADE")
    day: str
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
    tag: str = Field(primary_key=True)


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


class HFPage(SQLModel, table=True):
    """What Hugging Face Papers knows of a paper; a lookup that failed waits as `queued`."""

    __tablename__ = "hf_pages"
    json_columns: ClassVar[dict[str, object]] = {"models": list[HFModel], "ai_keywords": list[str]}

    paper_id: str = Field(primary_key=True, foreign_key="papers.id", ondelete="CASCADE")
    status: str
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
    """Values kept beside the data: revisions bumped by triggers, and what reads derive."""

    __tablename__ = "counters"

    name: str = Field(primary_key=True)
    value: int


class ChangeEntry(SQLModel, table=True):
    """One entry of the change log: what one command changed (docs/sync.md)."""

    __tablename__ = "changes"
    __table_args__ = (UniqueConstraint("device", "seq"),)

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
    change_id: int
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


# The challenge's tables, parents before children (an import satisfies every foreign key as
# it goes): logged, exported, imported and synced.
SHARED: tuple[type[SQLModel], ...] = (
    Challenge, Paper, Link, PlanSlot, Reading, Skip, Note, Takeaway, Week, HFPage,
    Tag, WeekTag, Post, Like,
)  # fmt: skip

# This device's caches of what Semantic Scholar and Hugging Face answered for rc suggest:
# never logged, exported or synced; asked again on any device that needs them.
CACHES: tuple[type[SQLModel], ...] = (
    S2Paper, S2Ref, Candidate, CandidateFetch, TasteTerms, TasteModel,
)  # fmt: skip

TABLES: tuple[type[SQLModel], ...] = (
    SchemaMigration, *SHARED, Counter, ChangeEntry, ChangeOp, SyncState, FindQueue, *CACHES,
)  # fmt: skip


# The light module -------------------------------------------------------------------------

TARGET = Path(__file__).resolve().parents[1] / "core" / "schema.py"


def _table(model: type[SQLModel]) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def _own_number(model: type[SQLModel]) -> str | None:
    """The primary key, when it is a number this store gives a row (`readings.id`)."""
    pk = [c.name for c in _table(model).primary_key.columns]
    field = model.model_fields[pk[0]]
    return pk[0] if len(pk) == 1 and field.annotation == int | None else None


def key_of(model: type[SQLModel]) -> tuple[str, ...]:
    """The columns that name a row on every device."""
    if _own_number(model) is None:
        return tuple(c.name for c in _table(model).primary_key.columns)
    (unique,) = [c for c in _table(model).constraints if isinstance(c, UniqueConstraint)]
    return tuple(c.name for c in unique.columns)


def columns_of(model: type[SQLModel]) -> tuple[str, ...]:
    """The columns rc keeps of a row as its data (not the store's own row number)."""
    return tuple(c.name for c in _table(model).columns if c.name != _own_number(model))


def _type_text(annotation: object) -> str:
    if annotation is type(None):
        return "None"
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__name__
    args = typing.get_args(annotation)
    if isinstance(annotation, types.UnionType):
        return " | ".join(_type_text(a) for a in args)
    origin = typing.get_origin(annotation)
    assert isinstance(origin, type), annotation
    return f"{origin.__name__}[{', '.join(_type_text(a) for a in args)}]"


def _json_types(model: type[SQLModel]) -> dict[str, object]:
    return dict(getattr(model, "json_columns", {}))


def _read_type(model: type[SQLModel], column: str) -> str:
    """The type a column is read as (a JSON column's decoded type)."""
    decoded = _json_types(model).get(column)
    return _type_text(decoded if decoded is not None else model.model_fields[column].annotation)


def _snake(name: str) -> str:
    return {"HFPage": "hf_page", "PlanSlot": "plan_slot"}.get(name, name.lower())


def _literal(value: object, prefix: str, indent: str) -> str:
    """`value` (text, a tuple of texts, a dict) as ruff formats it after `prefix` on a line
    indented by `indent`: on that line when it fits, else an item a line."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, tuple):
        items = [_literal(v, "", indent + "    ") for v in value]
        inline = "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        opening, closing = "(", ")"
    else:
        assert isinstance(value, dict)
        items = [
            f"{json.dumps(k)}: {_literal(v, json.dumps(k) + ': ', indent + '    ')}"
            for k, v in value.items()
        ]
        inline = "{" + ", ".join(items) + "}"
        opening, closing = "{", "}"
    if len(indent) + len(prefix) + len(inline) + 1 <= 100 and "\n" not in inline:
        return inline
    inner = indent + "    "
    return opening + "\n" + "".join(f"{inner}{i},\n" for i in items) + indent + closing


def _assignment(name: str, kind: str, value: object, comment: str) -> str:
    lines = "".join(f"# {line}\n" for line in comment.splitlines())
    return f"{lines}{name}: {kind} = {_literal(value, f'{name}: {kind} = ', '')}\n\n"


def _row_types(model: type[SQLModel]) -> str:
    name, key = model.__name__, key_of(model)
    doc = f"A row of {_table(model).name} as rc reads it"
    row = [f"    class {name}Row(TypedDict):", f'        """{doc}."""', ""]
    fields = [
        f"    class {name}Fields(TypedDict, total=False):",
        f'        """Columns of {_table(model).name} a write sets by name."""',
        "",
    ]
    for column in columns_of(model):
        line = f"        {column}: {_read_type(model, column)}"
        row.append(line)
        if column not in key:
            fields.append(line)
    if len(fields) == 3:  # every column is the key: the docstring is the whole class
        fields.pop()
    return "\n".join(row) + "\n\n" + "\n".join(fields) + "\n"


def _builder(model: type[SQLModel]) -> str:
    name = model.__name__
    json_columns = _json_types(model)
    values = []
    for n, column in enumerate(columns_of(model)):
        value = f"values[{n}]"
        if column in json_columns:
            default = model.model_fields[column].default
            value = f"json.loads({value} or {json.dumps(default)})"
        values.append(f'        "{column}": {value},')
    return (
        f"def {_snake(name)}_row(values: Values) -> {name}Row:\n"
        f'    """A row of {_table(model).name} from its COLUMNS\' values, JSON decoded."""\n'
        "    return {\n" + "\n".join(values) + "\n    }\n"
    )


HEADER = '''\
"""The store's tables as `store/models.py` declares them, for the code that must not load
SQLModel: the daily commands, the change log, the export and the import.

Generated by `python -m readchallenge.store.models`; do not edit (tests/test_store.py fails
when this file is stale). The row types are for the type checker only: a TypedDict costs
about 0.1 ms to create, which thirty of them would add to every command.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

# A row's values as sqlite3 returns them: the SQL edge, named by the row builders below.
Values = Sequence[Any]

'''


def render() -> str:
    """The text of `core/schema.py`, from the classes above."""
    shared = [_table(m).name for m in SHARED]
    parents = {}
    for n, model in enumerate(SHARED):
        for fk in _table(model).foreign_keys:
            parents[shared[n]] = fk.column.table.name
            assert parents[shared[n]] in shared[:n], f"{shared[n]} comes before its parent"
    names = {_table(m).name: m for m in TABLES}
    types_ = {
        t: {c: _type_text(m.model_fields[c].annotation) for c in columns_of(m)}
        for t, m in names.items()
        if t in shared
    }
    return "".join(
        [
            HEADER,
            _assignment(
                "SHARED",
                "tuple[str, ...]",
                tuple(shared),
                "The challenge's tables, parents before children: the change log records them,\n"
                "rc export writes them, rc import and rc sync take them in.",
            ),
            _assignment(
                "COLUMNS",
                "dict[str, tuple[str, ...]]",
                {t: columns_of(m) for t, m in names.items()},
                "The columns of each table that rc keeps as data, in the table's order (a number\n"
                "a store gives its own rows, readings.id, is left out).",
            ),
            _assignment(
                "KEYS",
                "dict[str, tuple[str, ...]]",
                {t: key_of(m) for t, m in names.items()},
                "The columns that name a row on every device.",
            ),
            _assignment(
                "TYPES",
                "dict[str, dict[str, str]]",
                types_,
                "Each column's type as stored (`| None` where it may be NULL).",
            ),
            _assignment(
                "JSON_COLUMNS",
                "dict[str, tuple[str, ...]]",
                {_table(m).name: tuple(_json_types(m)) for m in SHARED if _json_types(m)},
                "Columns kept as JSON text and read decoded.",
            ),
            _assignment(
                "PARENTS",
                "dict[str, str]",
                parents,
                "The table whose row each row belongs to, and goes with (ON DELETE CASCADE).",
            ),
            _assignment(
                "EXPORT_ORDER",
                "dict[str, str]",
                {t: getattr(names[t], "export_order", ", ".join(key_of(names[t]))) for t in shared},
                "The ORDER BY of each table in rc export.",
            ),
            "# Each table's (key, columns), as the change log records a row.\n"
            "LOGGED = {table: (KEYS[table], COLUMNS[table]) for table in SHARED}\n\n"
            "if TYPE_CHECKING:\n    from typing import TypedDict\n\n",
            "    class HFModel(TypedDict):\n",
            f'        """{HFModel.__doc__}"""\n\n',
            *(f"        {n}: {_type_text(t)}\n" for n, t in typing.get_type_hints(HFModel).items()),
            "\n",
            "\n".join(_row_types(m) for m in SHARED),
            "\n\n",
            "\n\n".join(_builder(m) for m in SHARED),
        ]
    )


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"stale: {TARGET.name} (python -m readchallenge.store.models)\n")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    sys.stderr.write(f"wrote {TARGET}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
