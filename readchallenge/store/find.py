"""`rc find` in the store: an FTS5 query over the index of store/fts.py, ranked by bm25,
with the snippet of each field a hit matched."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, NamedTuple

from readchallenge.store.fts import COLUMNS, INDEX

OPEN, CLOSE = "\ue000", "\ue001"  # marks around a match in a snippet (private use: never text)
SNIPPET_TOKENS = 16


class BadQuery(ValueError):
    """A query FTS5 cannot read; the message is FTS5's."""


class Hit(NamedTuple):
    kind: str  # paper or week
    key: str  # the paper's id, or the week (YYYY-Www)
    score: float  # bm25, higher is better
    snippets: dict[str, str]  # column: snippet with OPEN/CLOSE marks, for each column matched


class Scope(NamedTuple):
    """What to look in: papers passing `paper_where` (SQL on papers p, with its params);
    weeks among `weeks` (None: every week; empty: none)."""

    paper_where: Sequence[str] = ()
    paper_params: Sequence[Any] = ()
    weeks: Sequence[str] | None = None

    def condition(self) -> tuple[str, list[Any]]:
        """The index rows within the scope, as a condition on their rowid ('' for all),
        asked of each row the MATCH finds (a few hundred lookups for a rare word, where a
        list of every paper read would cost a pass over all of them). Written so that
        SQLite cannot take it for a way to walk the index by rowid, which would leave the
        MATCH with no index to run in."""
        if not self.paper_where and self.weeks is None:
            return "", []
        parts, params = [], []
        if self.paper_where:
            where = " AND ".join(self.paper_where)
            parts.append(
                f"EXISTS (SELECT 1 FROM papers p WHERE p.rowid = {INDEX}.rowid AND {where})"
            )
            params += list(self.paper_params)
        else:
            parts.append("+rowid > 0")
        if self.weeks is None:
            parts.append("+rowid < 0")
        elif self.weeks:
            marks = ", ".join("?" for _ in self.weeks)
            parts.append(
                f"EXISTS (SELECT 1 FROM weeks w WHERE w.rowid = -{INDEX}.rowid"
                f" AND w.week IN ({marks}))"
            )
            params += list(self.weeks)
        return " AND (" + " OR ".join(parts) + ")", params


def check(query: str) -> None:
    """Raise BadQuery, with FTS5's reason, if FTS5 cannot read `query`: asked of an empty
    index of the same fields in memory, where nothing but the query can go wrong."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE q USING fts5({', '.join(COLUMNS)})")
        conn.execute("SELECT count(*) FROM q WHERE q MATCH ?", (query,)).fetchone()
    except sqlite3.Error as exc:
        raise BadQuery(str(exc)) from None
    finally:
        conn.close()


def _run(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    return conn.execute(sql, params).fetchall()


def count(conn: sqlite3.Connection, query: str, scope: Scope) -> int:
    """How many papers and weeks match within the scope (no ranking: cheap)."""
    condition, params = scope.condition()
    rows = _run(
        conn, f"SELECT count(*) FROM {INDEX} WHERE {INDEX} MATCH ?{condition}", [query, *params]
    )
    return int(rows[0][0])


def search(conn: sqlite3.Connection, query: str, scope: Scope, limit: int) -> list[Hit]:
    """The best `limit` papers and weeks for `query`, best first."""
    condition, params = scope.condition()
    snippets = ", ".join(
        f"snippet({INDEX}, {n}, '{OPEN}', '{CLOSE}', '…', {SNIPPET_TOKENS})"
        for n in range(len(COLUMNS))
    )
    # ORDER BY rank with a LIMIT: FTS5 ranks inside the index and makes the snippets of the
    # rows it returns only.
    rows = _run(
        conn,
        f"SELECT rowid, rank, {snippets} FROM {INDEX} WHERE {INDEX} MATCH ?{condition}"
        " ORDER BY rank LIMIT ?",
        [query, *params, limit],
    )
    hits = []
    for rowid, rank, *texts in rows:
        if rowid > 0:
            kind, owner = "paper", conn.execute("SELECT id FROM papers WHERE rowid = ?", (rowid,))
        else:
            kind, owner = "week", conn.execute("SELECT week FROM weeks WHERE rowid = ?", (-rowid,))
        key = owner.fetchone()
        if key is None:
            continue  # a row the index has not caught up with (a write by hand)
        matched = {c: t for c, t in zip(COLUMNS, texts, strict=True) if t and OPEN in t}
        hits.append(Hit(kind, str(key[0]), -float(rank), matched))
    return hits
