"""Numbered plain-SQL schema steps; each runs in its own transaction and is recorded."""

from __future__ import annotations

from typing import NamedTuple


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

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial", M001_INITIAL),
    Migration(2, "day_indexes", M002_DAY_INDEXES),
    Migration(3, "added_index", M003_ADDED_INDEX),
    Migration(4, "history_revision", M004_HISTORY_REVISION),
    Migration(5, "readings_total", M005_READINGS_TOTAL),
    Migration(6, "post_words", M006_POST_WORDS),
    Migration(7, "link_sources", M007_LINK_SOURCES),
)

LATEST = MIGRATIONS[-1].version
