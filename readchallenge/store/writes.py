"""Every change to the store, over plain sqlite3: callers hold the transaction (db.writing)."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from readchallenge.core.links import PaperPage
from readchallenge.core.records import Row
from readchallenge.core.schema import COLUMNS, KEYS
from readchallenge.errors import Conflict

if TYPE_CHECKING:
    from readchallenge.core.schema import ChallengeRow, HFPageRow, PaperFields


def _stored(value: object) -> object:
    """A value as its column keeps it: a list (authors, models…) as JSON text."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


def _assignments(table: str, fields: Mapping[str, object]) -> tuple[str, list[object]]:
    """`name = ?, …` and the values for the columns a caller sets by name: the table's own
    columns but its key; anything else is a programming mistake."""
    unknown = set(fields) - set(COLUMNS[table]) | set(fields) & set(KEYS[table])
    if unknown:
        raise ValueError(f"not a column of {table} to set: {sorted(unknown)}")
    return ", ".join(f"{name} = ?" for name in fields), [_stored(v) for v in fields.values()]


@functools.cache
def _insert_sql(table: str, names: tuple[str, ...], replace: bool = False) -> str:
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    marks = ", ".join("?" for _ in names)
    return f"{verb} INTO {table} ({', '.join(names)}) VALUES ({marks})"


def _insert(
    conn: sqlite3.Connection, table: str, row: Mapping[str, object], replace: bool = False
) -> None:
    """Insert a row of `table` given by column name (a column left out takes its default)."""
    names = tuple(c for c in COLUMNS[table] if c in row)
    if len(names) != len(row):
        raise ValueError(f"not a column of {table}: {sorted(set(row) - set(names))}")
    conn.execute(_insert_sql(table, names, replace), [_stored(row[c]) for c in names])


# The challenge ---------------------------------------------------------------------------


def create_challenge(
    conn: sqlite3.Connection, *, name: str, start: date, until: date, per_day: int, stamp: str
) -> None:
    row: ChallengeRow = {
        "id": 1,
        "name": name,
        "start": start.isoformat(),
        "until": until.isoformat(),
        "per_day": per_day,
        "created_at": stamp,
    }
    _insert(conn, "challenge", row)


def update_challenge(conn: sqlite3.Connection, fields: Mapping[str, object]) -> None:
    """Set columns of the challenge by name (a ChallengeFields, or names checked here)."""
    if fields:
        sql, values = _assignments("challenge", fields)
        conn.execute(f"UPDATE challenge SET {sql} WHERE id = 1", values)


def clear_default_challenge(conn: sqlite3.Connection) -> None:
    """Make room for an imported challenge (import only runs on a store without papers)."""
    conn.execute("DELETE FROM challenge")


def insert_rows(conn: sqlite3.Connection, table: str, rows: list[Row]) -> None:
    """Rows of an export, checked beforehand (core/records.py), as they were exported."""
    by_keys: dict[tuple[str, ...], list[list[object]]] = {}
    for row in rows:
        by_keys.setdefault(tuple(row), []).append(list(row.values()))
    for keys, values in by_keys.items():
        conn.executemany(_insert_sql(table, keys), values)


# Papers and links ------------------------------------------------------------------------


def insert_paper(conn: sqlite3.Connection, paper_id: str, fields: PaperFields) -> None:
    _assignments("papers", fields)  # checks the names
    _insert(conn, "papers", {"id": paper_id, **fields})


def update_paper(conn: sqlite3.Connection, paper_id: str, fields: Mapping[str, object]) -> None:
    """Set columns of a paper by name (a PaperFields, or names checked here)."""
    if fields:
        sql, values = _assignments("papers", fields)
        conn.execute(f"UPDATE papers SET {sql} WHERE id = ?", [*values, paper_id])


def remove_papers(conn: sqlite3.Connection, paper_ids: list[str]) -> None:
    """Remove papers the user named (rc rm, after a backup): their plan slot, links, note,
    takeaways and readings go with them (ON DELETE CASCADE)."""
    conn.executemany("DELETE FROM papers WHERE id = ?", [(p,) for p in paper_ids])


def set_link(
    conn: sqlite3.Connection, paper_id: str, kind: str, url: str, source: str = "you"
) -> None:
    conn.execute(
        "INSERT INTO links (paper_id, kind, url, source) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (paper_id, kind) DO UPDATE SET url = excluded.url, source = excluded.source",
        (paper_id, kind, url, source),
    )


def fill_link(conn: sqlite3.Connection, paper_id: str, kind: str, url: str, source: str) -> bool:
    """Add a found link where the paper has none of that kind; a link you set is never
    replaced, and neither is one found before. Returns whether it was added."""
    cursor = conn.execute(
        "INSERT INTO links (paper_id, kind, url, source) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (paper_id, kind) DO NOTHING",
        (paper_id, kind, url, source),
    )
    return cursor.rowcount > 0


def remove_link(conn: sqlite3.Connection, paper_id: str, kind: str) -> bool:
    cursor = conn.execute("DELETE FROM links WHERE paper_id = ? AND kind = ?", (paper_id, kind))
    return cursor.rowcount > 0


# Hugging Face Papers ---------------------------------------------------------------------


def save_hf_page(conn: sqlite3.Connection, page: PaperPage, stamp: str) -> None:
    row: HFPageRow = {
        "paper_id": page.arxiv_id,
        "status": "found" if page.indexed else "not_indexed",
        "reason": None,
        "upvotes": page.upvotes,
        "github_stars": page.github_stars,
        "github_repo": page.github_repo,
        "github_repo_added_by": page.github_repo_added_by,
        "project_page": page.project_page,
        "organization": page.organization,
        "models": [{"id": m.id, "author": m.author, "likes": m.likes} for m in page.models],
        "num_models": page.num_models,
        "ai_keywords": page.ai_keywords,
        "ai_summary": page.ai_summary,
        "looked_up_at": stamp,
    }
    _insert(conn, "hf_pages", row, replace=True)


def queue_hf_lookup(conn: sqlite3.Connection, paper_id: str, reason: str, stamp: str) -> None:
    """Keep a failed lookup for the next `rc fetch`; what an earlier lookup found stays."""
    conn.execute(
        "INSERT INTO hf_pages (paper_id, status, reason, looked_up_at) VALUES (?, 'queued', ?, ?)"
        " ON CONFLICT (paper_id) DO UPDATE SET status = 'queued', reason = excluded.reason",
        (paper_id, reason, stamp),
    )


# The plan --------------------------------------------------------------------------------


def load_on(conn: sqlite3.Connection, day: date) -> int:
    row = conn.execute("SELECT count(*) FROM plan WHERE day = ?", (day.isoformat(),)).fetchone()
    return int(row[0])


def first_free_day(conn: sqlite3.Connection, start: date, per_day: int) -> date:
    """The first day on or after `start` with fewer than `per_day` papers planned."""
    load = dict(
        conn.execute(
            "SELECT day, count(*) FROM plan WHERE day >= ? GROUP BY day", (start.isoformat(),)
        ).fetchall()
    )
    day = start
    while load.get(day.isoformat(), 0) >= per_day:
        day += timedelta(days=1)
    return day


def planned_day(conn: sqlite3.Connection, paper_id: str) -> str | None:
    row = conn.execute("SELECT day FROM plan WHERE paper_id = ?", (paper_id,)).fetchone()
    return str(row[0]) if row else None


def place(
    conn: sqlite3.Connection, paper_id: str, day: date, per_day: int, *, force: bool = False
) -> list[tuple[str, date]]:
    """Put `paper_id` on `day`; with `force`, move the last paper there to the next free day.

    Returns the papers that were moved, with their new day.
    """
    moved: list[tuple[str, date]] = []
    if planned_day(conn, paper_id) == day.isoformat():
        return moved
    if load_on(conn, day) >= per_day:
        if not force:
            raise Conflict(f"{day.isoformat()} is already planned; use --force to move it along")
        bumped = conn.execute(
            "SELECT paper_id FROM plan WHERE day = ? ORDER BY rowid DESC LIMIT 1",
            (day.isoformat(),),
        ).fetchone()[0]
        new_day = first_free_day(conn, day + timedelta(days=1), per_day)
        conn.execute("UPDATE plan SET day = ? WHERE paper_id = ?", (new_day.isoformat(), bumped))
        moved.append((bumped, new_day))
    conn.execute(
        "INSERT INTO plan (paper_id, day) VALUES (?, ?)"
        " ON CONFLICT (paper_id) DO UPDATE SET day = excluded.day",
        (paper_id, day.isoformat()),
    )
    return moved


def papers_on(conn: sqlite3.Connection, day: date) -> list[str]:
    rows = conn.execute(
        "SELECT paper_id FROM plan WHERE day = ? ORDER BY rowid", (day.isoformat(),)
    )
    return [r[0] for r in rows]


def swap_days(conn: sqlite3.Connection, first: date, second: date) -> None:
    a, b = first.isoformat(), second.isoformat()
    conn.execute(
        "UPDATE plan SET day = CASE day WHEN ? THEN ? ELSE ? END WHERE day IN (?, ?)",
        (a, b, a, a, b),
    )


def clear_day(conn: sqlite3.Connection, day: date) -> list[str]:
    """Send the papers planned on `day` back to the backlog (the papers themselves stay)."""
    ids = papers_on(conn, day)
    conn.execute("DELETE FROM plan WHERE day = ?", (day.isoformat(),))
    return ids


def backlog(conn: sqlite3.Connection) -> list[str]:
    """Unplanned, unread papers, oldest first."""
    rows = conn.execute(
        "SELECT id FROM papers WHERE id NOT IN (SELECT paper_id FROM plan)"
        " AND id NOT IN (SELECT paper_id FROM readings) ORDER BY added_at, rowid"
    )
    return [r[0] for r in rows]


# Readings and skips ----------------------------------------------------------------------


def add_reading(conn: sqlite3.Connection, paper_id: str, day: date, stamp: str) -> bool:
    """Log a reading; False when it was already logged. Reading on a skipped day un-skips it."""
    cursor = conn.execute(
        "INSERT INTO readings (paper_id, day, read_at) VALUES (?, ?, ?)"
        " ON CONFLICT (paper_id, day) DO NOTHING",
        (paper_id, day.isoformat(), stamp),
    )
    if cursor.rowcount == 0:
        return False
    conn.execute("DELETE FROM skips WHERE day = ?", (day.isoformat(),))
    return True


def remove_readings(conn: sqlite3.Connection, paper_id: str, day: date | None) -> list[str]:
    """Remove the readings of a paper (on one day, or all); return their days."""
    where, params = "paper_id = ?", [paper_id]
    if day is not None:
        where, params = where + " AND day = ?", [paper_id, day.isoformat()]
    days = [
        r[0] for r in conn.execute(f"SELECT day FROM readings WHERE {where} ORDER BY day", params)
    ]
    conn.execute(f"DELETE FROM readings WHERE {where}", params)
    return days


def skip_reason(conn: sqlite3.Connection, day: date) -> tuple[bool, str | None]:
    row = conn.execute("SELECT reason FROM skips WHERE day = ?", (day.isoformat(),)).fetchone()
    return (row is not None, row[0] if row else None)


def set_skip(conn: sqlite3.Connection, day: date, reason: str | None, stamp: str) -> None:
    conn.execute(
        "INSERT INTO skips (day, reason, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (day) DO UPDATE SET reason = coalesce(excluded.reason, skips.reason)",
        (day.isoformat(), reason, stamp),
    )


def remove_skip(conn: sqlite3.Connection, day: date) -> bool:
    return conn.execute("DELETE FROM skips WHERE day = ?", (day.isoformat(),)).rowcount > 0


# Notes and the words of a week -----------------------------------------------------------


def set_note(
    conn: sqlite3.Connection,
    paper_id: str,
    description: str | None,
    takeaways: list[str] | None,
    stamp: str,
) -> None:
    """Store a paper's description, and its takeaways when given (replacing the old ones)."""
    conn.execute(
        "INSERT INTO notes (paper_id, description, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (paper_id) DO UPDATE SET description = excluded.description,"
        " updated_at = excluded.updated_at",
        (paper_id, description, stamp),
    )
    if takeaways is not None:
        conn.execute("DELETE FROM takeaways WHERE paper_id = ?", (paper_id,))
        conn.executemany(
            "INSERT INTO takeaways (paper_id, position, text) VALUES (?, ?, ?)",
            [(paper_id, n, text) for n, text in enumerate(takeaways, start=1)],
        )


def set_week_words(conn: sqlite3.Connection, label: str, words: Mapping[str, str | None]) -> None:
    """Set words of a week by column (a WeekFields, or names checked here)."""
    sql, values = _assignments("weeks", words)
    conn.execute("INSERT INTO weeks (week) VALUES (?) ON CONFLICT (week) DO NOTHING", (label,))
    conn.execute(f"UPDATE weeks SET {sql} WHERE week = ?", [*values, label])
