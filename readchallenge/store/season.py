"""The season in the store: tags, where each week's post lives, the weeks with papers, and
what each post mentions (docs/season.md)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from readchallenge.core.dates import week_label

# Whole weeks since 0001-01-01 (a Monday, julianday 1721425.5) number the Monday-Sunday
# weeks, as the post's series number counts them (queries.weeks_with_papers_before).
WEEK_INDEX = "CAST((julianday({day}) - julianday('0001-01-01')) / 7 AS INTEGER)"
EPOCH = date(1, 1, 1)

if TYPE_CHECKING:
    from readchallenge.core.rows import PaperName


def _monday(index: int) -> date:
    return EPOCH + timedelta(days=7 * index)


# Tags ------------------------------------------------------------------------------------


def paper_tags(conn: sqlite3.Connection, paper_id: str) -> list[str]:
    rows = conn.execute("SELECT tag FROM tags WHERE paper_id = ? ORDER BY tag", (paper_id,))
    return [str(r[0]) for r in rows]


def add_tags(conn: sqlite3.Connection, paper_id: str, tags: Iterable[str]) -> list[str]:
    """File a paper under `tags`; the ones it was not under yet."""
    added = []
    for tag in tags:
        cursor = conn.execute(
            "INSERT INTO tags (paper_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (paper_id, tag),
        )
        if cursor.rowcount > 0:
            added.append(tag)
    return added


def remove_tags(conn: sqlite3.Connection, paper_id: str, tags: Iterable[str]) -> list[str]:
    """Take `tags` off a paper; the ones it had."""
    removed = []
    for tag in tags:
        cursor = conn.execute("DELETE FROM tags WHERE paper_id = ? AND tag = ?", (paper_id, tag))
        if cursor.rowcount > 0:
            removed.append(tag)
    return removed


def own_week_tags(conn: sqlite3.Connection, label: str) -> list[str]:
    rows = conn.execute("SELECT tag FROM week_tags WHERE week = ? ORDER BY tag", (label,))
    return [str(r[0]) for r in rows]


def add_week_tags(conn: sqlite3.Connection, label: str, tags: Iterable[str]) -> list[str]:
    added = []
    for tag in tags:
        cursor = conn.execute(
            "INSERT INTO week_tags (week, tag) VALUES (?, ?) ON CONFLICT DO NOTHING", (label, tag)
        )
        if cursor.rowcount > 0:
            added.append(tag)
    return added


def remove_week_tags(conn: sqlite3.Connection, label: str, tags: Iterable[str]) -> list[str]:
    removed = []
    for tag in tags:
        cursor = conn.execute("DELETE FROM week_tags WHERE week = ? AND tag = ?", (label, tag))
        if cursor.rowcount > 0:
            removed.append(tag)
    return removed


def planned_tags(conn: sqlite3.Connection, first: date, last: date) -> list[str]:
    """The tags of the papers planned from `first` to `last`, in the order of their days."""
    rows = conn.execute(
        "SELECT g.tag FROM plan pl JOIN papers p ON p.id = pl.paper_id"
        " JOIN tags g ON g.paper_id = pl.paper_id WHERE pl.day BETWEEN ? AND ?"
        " ORDER BY pl.day, p.added_at, p.rowid, g.tag",
        (first.isoformat(), last.isoformat()),
    )
    return list(dict.fromkeys(str(r[0]) for r in rows))


def tag_counts(conn: sqlite3.Connection) -> list[tuple[str, int, int]]:
    """Every tag with the number of papers and of weeks (by `rc week --tag`) under it."""
    rows = conn.execute(
        "SELECT tag, sum(paper), sum(week) FROM ("
        " SELECT tag, 1 AS paper, 0 AS week FROM tags"
        " UNION ALL SELECT tag, 0, 1 FROM week_tags) GROUP BY tag ORDER BY tag"
    )
    return [(str(t), int(p), int(w)) for t, p, w in rows]


def weeks_tagged(conn: sqlite3.Connection, tag: str) -> set[str]:
    """The weeks (YYYY-Www) whose tags hold `tag`: their own, or one of their papers'."""
    own = {str(r[0]) for r in conn.execute("SELECT week FROM week_tags WHERE tag = ?", (tag,))}
    rows = conn.execute(
        f"SELECT DISTINCT {WEEK_INDEX.format(day='pl.day')} FROM plan pl"
        " JOIN tags g ON g.paper_id = pl.paper_id WHERE g.tag = ?",
        (tag,),
    )
    return own | {week_label(_monday(int(r[0]))) for r in rows}


def all_tags(path: Path) -> list[str]:
    """Every tag in use, for the shell's completion: read-only, so a store is neither made
    nor upgraded by pressing TAB (and one older than tags has none)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT tag FROM tags UNION SELECT tag FROM week_tags ORDER BY 1")
        return [str(r[0]) for r in rows]
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def week_labels(path: Path) -> list[str]:
    """The weeks that have papers or words, newest first, for the shell's completion."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            f"SELECT DISTINCT {WEEK_INDEX.format(day='day')} AS w FROM plan ORDER BY w DESC"
        ).fetchall()
        words = conn.execute("SELECT week FROM weeks ORDER BY week DESC").fetchall()
    finally:
        conn.close()
    labels = [week_label(_monday(int(r[0]))) for r in rows] + [str(r[0]) for r in words]
    return sorted(set(labels), reverse=True)


# Where each post lives -------------------------------------------------------------------


def post_url(conn: sqlite3.Connection, label: str) -> str | None:
    row = conn.execute("SELECT url FROM posts WHERE week = ?", (label,)).fetchone()
    return None if row is None else str(row[0])


def set_post_url(conn: sqlite3.Connection, label: str, url: str | None) -> bool:
    """Record (or, None, forget) where a week's post was published; whether that changed."""
    if url is None:
        return conn.execute("DELETE FROM posts WHERE week = ?", (label,)).rowcount > 0
    if post_url(conn, label) == url:
        return False
    conn.execute(
        "INSERT INTO posts (week, url) VALUES (?, ?)"
        " ON CONFLICT (week) DO UPDATE SET url = excluded.url",
        (label, url),
    )
    return True


def post_urls(conn: sqlite3.Connection) -> dict[str, str]:
    return {str(w): str(u) for w, u in conn.execute("SELECT week, url FROM posts")}


# The weeks of the season -------------------------------------------------------------------


def count_weeks_before(conn: sqlite3.Connection, monday: date) -> int:
    """How many Monday-Sunday weeks before `monday` have a paper planned (the post's series
    number less one; `queries.weeks_with_papers_before` keeps it for the week at hand)."""
    # 0001-01-01 is a Monday before any day rc stores, so the division never goes below
    # zero (where CAST would round towards it and join two weeks).
    row = conn.execute(
        f"SELECT count(DISTINCT {WEEK_INDEX.format(day='day')}) FROM plan WHERE day < ?",
        (monday.isoformat(),),
    ).fetchone()
    return int(row[0])


def weeks_with_papers(conn: sqlite3.Connection) -> list[date]:
    """The Mondays of every week with a paper planned, in order: the n-th is post #n."""
    rows = conn.execute(f"SELECT DISTINCT {WEEK_INDEX.format(day='day')} AS w FROM plan ORDER BY w")
    return [_monday(int(r[0])) for r in rows]


def reading_kinds(conn: sqlite3.Connection, first: date, last: date) -> dict[str, int]:
    """How many of the papers read from `first` to `last` are papers, blogs, models, code."""
    rows = conn.execute(
        "SELECT p.kind, count(DISTINCT p.id) FROM readings r JOIN papers p ON p.id = r.paper_id"
        " WHERE r.day BETWEEN ? AND ? GROUP BY p.kind ORDER BY p.kind",
        (first.isoformat(), last.isoformat()),
    )
    return {str(k): int(n) for k, n in rows}


def paper_names(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, PaperName]:
    """id, name, title and plan day of each of `ids` that is stored."""
    found: dict[str, PaperName] = {}
    for paper_id in dict.fromkeys(ids):
        row = conn.execute(
            "SELECT p.id, p.name, p.title, pl.day FROM papers p"
            " LEFT JOIN plan pl ON pl.paper_id = p.id WHERE p.id = ?",
            (paper_id,),
        ).fetchone()
        if row is not None:
            found[paper_id] = {"id": row[0], "name": row[1], "title": row[2], "day": row[3]}
    return found
