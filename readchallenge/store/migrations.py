"""Numbered plain-SQL schema steps; each runs in its own transaction and is recorded."""

from __future__ import annotations

from typing import NamedTuple

from readchallenge.store import fts


class Migration(NamedTuple):
    version: int
    name: str
    sql: str


M001_INITIAL = """
CREATE TABLE papers (
    id TEXT PRIMARY KEY NOT NULL,
    source TEXT NOT NULL DEFAULT 'arxiv',
    kind TEXT NOT NULL DEFAULT 'paper',
    status TEXT NOT NULL DEFAULT 'ok',
    name TEXT,
    title TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    abstract TEXT,
    version INTEGER,
    requested_version INTEGER,
    primary_category TEXT,
    categories TEXT NOT NULL DEFAULT '[]',
    published TEXT,
    updated TEXT,
    comment TEXT,
    journal_ref TEXT,
    doi TEXT,
    abs_url TEXT,
    pdf_url TEXT,
    added_at TEXT NOT NULL,
    fetched_at TEXT
);
CREATE TABLE links (
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (paper_id, kind)
);
CREATE TABLE plan (
    paper_id TEXT PRIMARY KEY NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    day TEXT NOT NULL
);
CREATE TABLE readings (
    id INTEGER PRIMARY KEY,
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    read_at TEXT NOT NULL,
    UNIQUE (paper_id, day)
);
CREATE TABLE skips (
    day TEXT PRIMARY KEY NOT NULL,
    reason TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE notes (
    paper_id TEXT PRIMARY KEY NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    description TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE takeaways (
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (paper_id, position)
);
CREATE TABLE weeks (
    week TEXT PRIMARY KEY NOT NULL,
    theme TEXT,
    intro TEXT,
    conclusion TEXT,
    teaser TEXT
);
CREATE TABLE challenge (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    name TEXT NOT NULL,
    start TEXT NOT NULL,
    until TEXT NOT NULL,
    per_day INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
"""

# The daily views look papers up by day and walk readings back from today.
M002_DAY_INDEXES = """
CREATE INDEX ix_plan_day ON plan (day);
CREATE INDEX ix_readings_day ON readings (day);
CREATE INDEX ix_papers_status ON papers (status);
"""

# `rc list` shows the newest papers first; without this it sorts the whole table.
M003_ADDED_INDEX = """
CREATE INDEX ix_papers_added ON papers (added_at);
"""

# The longest streak needs the whole reading history; `rc today` keeps it in `counters`
# with the history revision it was computed at. Triggers bump the revision on any change
# to readings or skips (also by import or by hand), which makes the stored value stale.
M004_HISTORY_REVISION = """
CREATE TABLE counters (
    name TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('history_revision', 0);
""" + "".join(
    f"""
CREATE TRIGGER {table}_{event.lower()} AFTER {event} ON {table} BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'history_revision';
END;
"""
    for table in ("readings", "skips")
    for event in ("INSERT", "DELETE", "UPDATE")
)

# The pace counts the readings since the challenge began; with years of history that range
# count dominated `rc today`. A total kept by triggers turns it into a count of the few
# readings outside the challenge.
M005_READINGS_TOTAL = """
INSERT INTO counters (name, value) SELECT 'readings_total', count(*) FROM readings;
CREATE TRIGGER readings_total_insert AFTER INSERT ON readings BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'readings_total';
END;
CREATE TRIGGER readings_total_delete AFTER DELETE ON readings BEGIN
    UPDATE counters SET value = value - 1 WHERE name = 'readings_total';
END;
"""

# The post as the blogger writes it: a paper's own order of links in its heading, and a
# sign-off for one week that replaces the configured one.
M006_POST_WORDS = """
ALTER TABLE papers ADD COLUMN link_order TEXT;
ALTER TABLE weeks ADD COLUMN signoff TEXT;
"""

# Links found for you: where each link came from (you, arxiv, huggingface), and what Hugging
# Face Papers knows of a paper; a lookup that failed waits here as `queued`.
M007_LINK_SOURCES = """
ALTER TABLE links ADD COLUMN source TEXT NOT NULL DEFAULT 'you';
UPDATE links SET source = 'arxiv'
    WHERE kind = 'paper' AND paper_id IN (SELECT id FROM papers WHERE source = 'arxiv');
CREATE TABLE hf_pages (
    paper_id TEXT PRIMARY KEY NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    reason TEXT,
    upvotes INTEGER,
    github_stars INTEGER,
    github_repo TEXT,
    github_repo_added_by TEXT,
    project_page TEXT,
    organization TEXT,
    models TEXT NOT NULL DEFAULT '[]',
    num_models INTEGER,
    ai_keywords TEXT NOT NULL DEFAULT '[]',
    ai_summary TEXT,
    looked_up_at TEXT NOT NULL
);
CREATE INDEX ix_hf_pages_status ON hf_pages (status);
"""

# The change log (docs/sync.md): every change a command makes is recorded, in its own
# transaction, as row operations under one entry of `changes`. Triggers write each row's old
# and new values into `change_ops` under the id `counters.next_change` holds; `store/log.py`
# seals them into an entry when the transaction commits. The key and columns each trigger
# records are those of this version, kept here as history: a later migration that adds a
# column to one of these tables makes its triggers again (`log_triggers`) with the new
# columns, and tests/test_store.py fails until the triggers record what store/models.py
# declares.
LOGGED_AT_8: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "challenge": (("id",), ("id", "name", "start", "until", "per_day", "created_at")),
    "papers": (
        ("id",),
        tuple(
            (
                "id source kind status name title authors abstract version requested_version"
                " primary_category categories published updated comment journal_ref doi abs_url"
                " pdf_url added_at fetched_at link_order"
            ).split()
        ),
    ),
    "links": (("paper_id", "kind"), ("paper_id", "kind", "url", "source")),
    "plan": (("paper_id",), ("paper_id", "day")),
    "readings": (("paper_id", "day"), ("paper_id", "day", "read_at")),
    "skips": (("day",), ("day", "reason", "created_at")),
    "notes": (("paper_id",), ("paper_id", "description", "updated_at")),
    "takeaways": (("paper_id", "position"), ("paper_id", "position", "text")),
    "weeks": (("week",), ("week", "theme", "intro", "conclusion", "teaser", "signoff")),
    "hf_pages": (
        ("paper_id",),
        tuple(
            (
                "paper_id status reason upvotes github_stars github_repo github_repo_added_by"
                " project_page organization models num_models ai_keywords ai_summary"
                " looked_up_at"
            ).split()
        ),
    ),
}


def log_triggers(table: str, keys: tuple[str, ...], columns: tuple[str, ...]) -> str:
    def key(row: str) -> str:
        return "json_array(" + ", ".join(f"{row}.{k}" for k in keys) + ")"

    def values(row: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {row}.{c}" for c in columns) + ")"

    into = (
        "INSERT INTO change_ops (change_id, tbl, key, old, new) VALUES "
        "((SELECT value FROM counters WHERE name = 'next_change'), "
        f"'{table}', "
    )
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    # Muted while another device's entries are applied: those are kept as they were written.
    on = "(SELECT value FROM counters WHERE name = 'log_muted') = 0"
    return f"""
CREATE TRIGGER log_{table}_insert AFTER INSERT ON {table} WHEN {on} BEGIN
    {into}{key("NEW")}, NULL, {values("NEW")});
END;
CREATE TRIGGER log_{table}_update AFTER UPDATE ON {table} WHEN {on} AND ({changed}) BEGIN
    {into}{key("OLD")}, {values("OLD")}, {values("NEW")});
END;
CREATE TRIGGER log_{table}_delete AFTER DELETE ON {table} WHEN {on} BEGIN
    {into}{key("OLD")}, {values("OLD")}, NULL);
END;
"""


M008_CHANGE_LOG = """
CREATE TABLE changes (
    id INTEGER PRIMARY KEY NOT NULL,
    clock TEXT NOT NULL UNIQUE,
    device TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    command TEXT NOT NULL,
    undoes TEXT,
    UNIQUE (device, seq)
);
CREATE TABLE change_ops (
    id INTEGER PRIMARY KEY NOT NULL,
    change_id INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    key TEXT NOT NULL,
    old TEXT,
    new TEXT
);
CREATE INDEX ix_change_ops_change ON change_ops (change_id);
CREATE INDEX ix_change_ops_key ON change_ops (tbl, key);
CREATE INDEX ix_changes_device ON changes (device, seq);
CREATE TABLE sync_state (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT
);
INSERT INTO counters (name, value) VALUES ('next_change', 1);
INSERT INTO counters (name, value) VALUES ('log_muted', 0);
""" + "".join(log_triggers(table, *spec) for table, spec in LOGGED_AT_8.items())

# The post's series number counts the weeks with a plan before it: kept in `counters` with
# the plan's revision, which these triggers bump on any change to the plan.
M009_PLAN_REVISION = """
INSERT INTO counters (name, value) VALUES ('plan_revision', 0);
""" + "".join(
    f"""
CREATE TRIGGER plan_{event.lower()} AFTER {event} ON plan BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'plan_revision';
END;
"""
    for event in ("INSERT", "DELETE", "UPDATE")
)

# Sync at any size (docs/sync.md): each operation carries its entry's clock, so the
# operations on a row before or after a clock are one index range, not a scan of every
# operation the row ever had (joining a hub was quadratic); an undo finds what reverts an
# entry through `undoes`. Each entry keeps what its device had seen of the others when it
# was made (a removal then says what it took that its device had not seen).
M010_OP_CLOCKS = """
ALTER TABLE change_ops ADD COLUMN clock TEXT;
ALTER TABLE changes ADD COLUMN seen TEXT;
UPDATE change_ops SET clock = (SELECT clock FROM changes WHERE changes.id = change_ops.change_id);
DROP INDEX ix_change_ops_key;
CREATE INDEX ix_change_ops_row ON change_ops (tbl, key, clock);
CREATE INDEX ix_changes_undoes ON changes (undoes) WHERE undoes IS NOT NULL;
"""

# The season (docs/season.md): tags on papers and on weeks, where each week's post was
# published, and `rc find`'s full-text index (store/fts.py).
M011_SEASON = (
    """
CREATE TABLE tags (
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (paper_id, tag)
);
CREATE INDEX ix_tags_tag ON tags (tag);
CREATE TABLE week_tags (
    week TEXT NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (week, tag)
);
CREATE TABLE posts (
    week TEXT PRIMARY KEY NOT NULL,
    url TEXT NOT NULL
);
"""
    + log_triggers("tags", ("paper_id", "tag"), ("paper_id", "tag"))
    + log_triggers("week_tags", ("week", "tag"), ("week", "tag"))
    + log_triggers("posts", ("week",), ("week", "url"))
    + fts.schema()
)

# Papers picked for you (docs/discover.md): `likes` is the user's word on a paper (`rc like
# PAPER [--not]`), any paper, stored or not (no foreign key), logged and synced like the rest
# of the challenge: its log triggers are made here, for this table only. The other tables are
# this device's caches of what Semantic Scholar and Hugging Face answered (papers' facts and
# what each cites, the last candidates, the taste model's words): never logged, never synced,
# never exported; asked again on any device that needs them.
LIKES: tuple[tuple[str, ...], tuple[str, ...]] = (("paper_id",), ("paper_id", "liked", "marked_at"))
M012_SUGGESTIONS = """
CREATE TABLE likes (
    paper_id TEXT PRIMARY KEY NOT NULL,
    liked INTEGER NOT NULL,
    marked_at TEXT NOT NULL
);
CREATE TABLE s2_papers (
    arxiv_id TEXT PRIMARY KEY NOT NULL,
    status TEXT NOT NULL,
    s2_id TEXT,
    tldr TEXT,
    citations INTEGER,
    refs_status TEXT,
    looked_up_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE s2_refs (
    paper_id TEXT NOT NULL,
    cited_id TEXT NOT NULL,
    PRIMARY KEY (paper_id, cited_id)
) WITHOUT ROWID;
CREATE TABLE candidates (
    source TEXT NOT NULL,
    arxiv_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    title TEXT NOT NULL,
    abstract TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    published TEXT,
    upvotes INTEGER,
    github_repo TEXT,
    PRIMARY KEY (source, arxiv_id)
);
CREATE TABLE candidate_fetches (
    source TEXT PRIMARY KEY NOT NULL,
    fetched_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE taste_terms (
    doc TEXT PRIMARY KEY NOT NULL,
    crc INTEGER NOT NULL,
    terms TEXT NOT NULL
);
CREATE TABLE taste_model (
    name TEXT PRIMARY KEY NOT NULL,
    signature INTEGER NOT NULL,
    value TEXT NOT NULL
);
""" + log_triggers("likes", *LIKES)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial", M001_INITIAL),
    Migration(2, "day_indexes", M002_DAY_INDEXES),
    Migration(3, "added_index", M003_ADDED_INDEX),
    Migration(4, "history_revision", M004_HISTORY_REVISION),
    Migration(5, "readings_total", M005_READINGS_TOTAL),
    Migration(6, "post_words", M006_POST_WORDS),
    Migration(7, "link_sources", M007_LINK_SOURCES),
    Migration(8, "change_log", M008_CHANGE_LOG),
    Migration(9, "plan_revision", M009_PLAN_REVISION),
    Migration(10, "op_clocks", M010_OP_CLOCKS),
    Migration(11, "season", M011_SEASON),
    Migration(12, "suggestions", M012_SUGGESTIONS),
)

LATEST = MIGRATIONS[-1].version
