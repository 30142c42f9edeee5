"""`rc find`'s full-text index: its schema (migration 11) and how it is kept current.

One FTS5 index, `find_index`, holds a row for each paper (its name, title, authors,
abstract, note and takeaways) and one for each week (its theme, intro, conclusion and
teaser), so that every hit is ranked by the same statistics. Its text is read from the
tables through the view `find_source` (external content: nothing is stored twice); a
paper's row has the paper's rowid, a week's the negative of the week's.

Triggers on those tables queue each index row a write touches, with the values the index
holds for it (read before the first change: BEFORE triggers), and `catch_up` brings the
index level with the queue just before a transaction commits (`db.transaction`): every
write, import, sync and undo. The triggers are never muted, since the index is this
store's own view, not a change to record. (Writing the index from the triggers themselves
would flush FTS5's pending terms to disk at every statement: 0.25 ms a row.) FTS5 must be
told to forget exactly what it holds for a row: the queue keeps the first values seen, and
the view and the queue read them with the same expressions. No rc write replaces a row of
these tables with `INSERT OR REPLACE`, which would remove the old row without its trigger.
"""

from __future__ import annotations

import sqlite3

INDEX = "find_index"
# The index's columns (each hit names the one it matched) and their bm25 weights: a name
# or a theme weighs most, your own words (notes, takeaways, a week's words) several times
# an abstract.
COLUMNS = ("name", "title", "authors", "abstract", "notes", "takeaways",
           "theme", "intro", "conclusion", "teaser")  # fmt: skip
WEIGHTS = "10.0, 5.0, 2.0, 1.0, 4.0, 4.0, 6.0, 3.0, 3.0, 3.0"
SLOTS = tuple(f"c{n}" for n in range(1, len(COLUMNS) + 1))

# What the index holds for a paper (`p`) and for a week (`w`), in COLUMNS' order. The
# takeaways are walked in the order of their key (paper, position).
PAPER_TEXT = (
    "p.name, p.title, p.authors, p.abstract,"
    " (SELECT description FROM notes WHERE paper_id = p.id),"
    " (SELECT group_concat(text, char(10)) FROM takeaways WHERE paper_id = p.id),"
    " NULL, NULL, NULL, NULL"
)
WEEK_TEXT = "NULL, NULL, NULL, NULL, NULL, NULL, w.theme, w.intro, w.conclusion, w.teaser"

_FIRST = "NOT EXISTS (SELECT 1 FROM find_queue WHERE rid = {rid})"


def _queue_paper(paper_id: str) -> str:
    """Queue a paper's index row with what the index holds for it now (a BEFORE trigger
    reads the row before the change)."""
    return (
        f"INSERT INTO find_queue (rid, indexed, {', '.join(SLOTS)})"
        f" SELECT p.rowid, 1, {PAPER_TEXT} FROM papers p"
        f" WHERE p.id = {paper_id} AND {_FIRST.format(rid='p.rowid')};"
    )


def _queue_new(rid: str) -> str:
    """Queue a row the index does not hold yet."""
    return f"INSERT INTO find_queue (rid, indexed) SELECT {rid}, 0 WHERE {_FIRST.format(rid=rid)};"


def _trigger(name: str, when: str, table: str, body: str) -> str:
    return f"CREATE TRIGGER {INDEX}_{name} {when} ON {table} BEGIN\n    {body}\nEND;\n"


def schema() -> str:
    """The SQL that makes the index, its view, queue and triggers, and fills it."""
    week_now = (
        f"INSERT INTO find_queue (rid, indexed, {', '.join(SLOTS)})"
        f" SELECT -w.rowid, 1, {WEEK_TEXT} FROM weeks w"
        f" WHERE w.rowid = OLD.rowid AND {_FIRST.format(rid='-w.rowid')};"
    )
    names = ", ".join(COLUMNS)
    return (
        f"""
CREATE VIEW find_source (rid, {names}) AS
    SELECT p.rowid, {PAPER_TEXT} FROM papers p
    UNION ALL SELECT -w.rowid, {WEEK_TEXT} FROM weeks w;
CREATE VIRTUAL TABLE {INDEX} USING fts5({names}, content='find_source', content_rowid='rid',
    tokenize='porter unicode61 remove_diacritics 2');
INSERT INTO {INDEX} ({INDEX}, rank) VALUES ('rank', 'bm25({WEIGHTS})');
CREATE TABLE find_queue (
    rid INTEGER PRIMARY KEY NOT NULL,
    indexed INTEGER NOT NULL,
    {", ".join(f"{slot} TEXT" for slot in SLOTS)}
);
"""
        + _trigger("paper_insert", "AFTER INSERT", "papers", _queue_new("NEW.rowid"))
        + _trigger(
            "paper_update",
            "BEFORE UPDATE OF name, title, authors, abstract",
            "papers",
            _queue_paper("OLD.id"),
        )
        + _trigger("paper_delete", "BEFORE DELETE", "papers", _queue_paper("OLD.id"))
        + _trigger("note_insert", "BEFORE INSERT", "notes", _queue_paper("NEW.paper_id"))
        + _trigger(
            "note_update", "BEFORE UPDATE OF description", "notes", _queue_paper("OLD.paper_id")
        )
        + _trigger("note_delete", "BEFORE DELETE", "notes", _queue_paper("OLD.paper_id"))
        + _trigger("takeaway_insert", "BEFORE INSERT", "takeaways", _queue_paper("NEW.paper_id"))
        + _trigger(
            "takeaway_update",
            "BEFORE UPDATE OF text, position",
            "takeaways",
            _queue_paper("OLD.paper_id"),
        )
        + _trigger("takeaway_delete", "BEFORE DELETE", "takeaways", _queue_paper("OLD.paper_id"))
        + _trigger("week_insert", "AFTER INSERT", "weeks", _queue_new("-NEW.rowid"))
        + _trigger(
            "week_update", "BEFORE UPDATE OF theme, intro, conclusion, teaser", "weeks", week_now
        )
        + _trigger("week_delete", "BEFORE DELETE", "weeks", week_now)
        + f"INSERT INTO {INDEX} ({INDEX}) VALUES ('rebuild');\n"
    )


def catch_up(conn: sqlite3.Connection) -> None:
    """Bring the index level with the rows the transaction touched (one look at an empty
    queue when it touched none of the indexed tables)."""
    if conn.execute("SELECT 1 FROM find_queue LIMIT 1").fetchone() is None:
        return
    names = ", ".join(COLUMNS)
    conn.execute(
        f"INSERT INTO {INDEX} ({INDEX}, rowid, {names})"
        f" SELECT 'delete', rid, {', '.join(SLOTS)} FROM find_queue WHERE indexed ORDER BY rid"
    )
    conn.execute(
        f"INSERT INTO {INDEX} (rowid, {names}) SELECT p.rowid, {PAPER_TEXT}"
        " FROM find_queue q JOIN papers p ON p.rowid = q.rid WHERE q.rid > 0 ORDER BY q.rid"
    )
    conn.execute(
        f"INSERT INTO {INDEX} (rowid, {names}) SELECT -w.rowid, {WEEK_TEXT}"
        " FROM find_queue q JOIN weeks w ON w.rowid = -q.rid WHERE q.rid < 0 ORDER BY q.rid"
    )
    conn.execute("DELETE FROM find_queue")


def rebuild(conn: sqlite3.Connection) -> None:
    """The index made anew from the tables (after a bulk insert without the triggers)."""
    conn.execute(f"INSERT INTO {INDEX} ({INDEX}) VALUES ('rebuild')")
    conn.execute("DELETE FROM find_queue")


def check(conn: sqlite3.Connection) -> None:
    """FTS5's own check that the index holds exactly what the tables say (raises
    sqlite3.DatabaseError when it does not)."""
    conn.execute(f"INSERT INTO {INDEX} ({INDEX}, rank) VALUES ('integrity-check', 1)")
