"""What `rc suggest` reads and keeps: your history as signals (read, liked, skipped, removed,
turned down), the candidates each source offered last, the taste model's words, and likes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readchallenge.core.rows import CandidateRow, LikedPaper, ReadPaper, SeenPaper

_READ_ON = "(SELECT min(day) FROM readings r WHERE r.paper_id = p.id)"


def read_papers(conn: sqlite3.Connection) -> list[ReadPaper]:
    """Every paper read, newest reading first, with its words and your notes."""
    cursor = conn.execute(
        "SELECT p.id, p.source, p.name, p.title, p.abstract, n.description,"
        " (SELECT group_concat(t.text, ' ') FROM takeaways t WHERE t.paper_id = p.id),"
        f" {_READ_ON} AS read_on"
        " FROM papers p LEFT JOIN notes n ON n.paper_id = p.id"
        " WHERE EXISTS (SELECT 1 FROM readings r WHERE r.paper_id = p.id)"
        " ORDER BY read_on DESC, p.rowid DESC"
    )
    return [
        {
            "id": pid,
            "source": source,
            "name": name,
            "title": title,
            "abstract": abstract,
            "description": description,
            "takeaways": takeaways,
            "read_on": read_on,
        }
        for pid, source, name, title, abstract, description, takeaways, read_on in cursor
    ]


def skipped_papers(conn: sqlite3.Connection) -> list[SeenPaper]:
    """Papers planned on a day you skipped and never read."""
    cursor = conn.execute(
        "SELECT p.id, p.source, p.name, p.title, p.abstract FROM papers p"
        " JOIN plan pl ON pl.paper_id = p.id JOIN skips s ON s.day = pl.day"
        " WHERE NOT EXISTS (SELECT 1 FROM readings r WHERE r.paper_id = p.id)"
        " ORDER BY pl.day DESC"
    )
    return [
        {"id": pid, "source": source, "name": name, "title": title, "abstract": abstract}
        for pid, source, name, title, abstract in cursor
    ]


def removed_papers(conn: sqlite3.Connection) -> list[SeenPaper]:
    """Papers you removed (`rc rm`, here or on another device) and did not bring back, as
    the change log kept them."""
    cursor = conn.execute(
        "SELECT json_extract(o.key, '$[0]') AS pid, json_extract(o.old, '$.source'),"
        " json_extract(o.old, '$.name'), json_extract(o.old, '$.title'),"
        " json_extract(o.old, '$.abstract') FROM change_ops o"
        " WHERE o.tbl = 'papers' AND o.new IS NULL AND o.old IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM papers p WHERE p.id = json_extract(o.key, '$[0]'))"
        " ORDER BY o.id DESC"
    )
    found: dict[str, SeenPaper] = {}
    for pid, source, name, title, abstract in cursor:
        if isinstance(pid, str) and pid not in found:
            found[pid] = {
                "id": pid, "source": source, "name": name, "title": title, "abstract": abstract
            }  # fmt: skip
    return list(found.values())


def likes(conn: sqlite3.Connection) -> dict[str, bool]:
    """Your word on papers: True for `rc like`, False for `rc like --not`, newest first."""
    rows = conn.execute("SELECT paper_id, liked FROM likes ORDER BY marked_at DESC, rowid DESC")
    return {str(pid): bool(liked) for pid, liked in rows}


def set_like(conn: sqlite3.Connection, paper_id: str, liked: bool, stamp: str) -> bool:
    """Record your word on a paper; False when it was already so."""
    row = conn.execute("SELECT liked FROM likes WHERE paper_id = ?", (paper_id,)).fetchone()
    if row is not None and bool(row[0]) == liked:
        return False
    conn.execute(
        "INSERT INTO likes (paper_id, liked, marked_at) VALUES (?, ?, ?) ON CONFLICT (paper_id)"
        " DO UPDATE SET liked = excluded.liked, marked_at = excluded.marked_at",
        (paper_id, int(liked), stamp),
    )
    return True


def stored_papers(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, LikedPaper]:
    """The stored papers among `ids`, with their words (for likes of stored papers)."""
    wanted = list(ids)
    found: dict[str, LikedPaper] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        cursor = conn.execute(
            "SELECT p.id, p.source, p.name, p.title, p.abstract, n.description FROM papers p"
            " LEFT JOIN notes n ON n.paper_id = p.id"
            f" WHERE p.id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        )
        for pid, source, name, title, abstract, description in cursor:
            found[pid] = {
                "id": pid, "source": source, "name": name, "title": title,
                "abstract": abstract, "description": description,
            }  # fmt: skip
    return found


def stored_ids(conn: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT id FROM papers")}


# Candidates --------------------------------------------------------------------------------

CANDIDATE_COLUMNS = (
    "arxiv_id", "rank", "title", "abstract", "authors", "published", "upvotes", "github_repo"
)  # fmt: skip


def candidates(conn: sqlite3.Connection, source: str) -> list[CandidateRow]:
    """What `source` offered the last time it was asked, in its order."""
    cursor = conn.execute(
        "SELECT arxiv_id, title, abstract, authors, published, upvotes, github_repo"
        " FROM candidates WHERE source = ? ORDER BY rank",
        (source,),
    )
    return [
        {
            "arxiv_id": arxiv_id,
            "title": title,
            "abstract": abstract,
            "authors": json.loads(authors or "[]"),
            "published": published,
            "upvotes": upvotes,
            "github_repo": github_repo,
        }
        for arxiv_id, title, abstract, authors, published, upvotes, github_repo in cursor
    ]


def fetched_at(conn: sqlite3.Connection, source: str) -> str | None:
    row = conn.execute(
        "SELECT fetched_at FROM candidate_fetches WHERE source = ?", (source,)
    ).fetchone()
    return None if row is None else str(row[0])


def save_candidates(
    conn: sqlite3.Connection, source: str, rows: Sequence[CandidateRow], stamp: str
) -> None:
    """Replace what `source` offered with `rows` (each with CANDIDATE_COLUMNS but rank)."""
    conn.execute("DELETE FROM candidates WHERE source = ?", (source,))
    conn.executemany(
        f"INSERT OR IGNORE INTO candidates (source, {', '.join(CANDIDATE_COLUMNS)})"
        f" VALUES (?, {', '.join('?' for _ in CANDIDATE_COLUMNS)})",
        [
            (
                source,
                row["arxiv_id"],
                rank,
                row["title"],
                row["abstract"],
                json.dumps(list(row["authors"]), ensure_ascii=False),
                row["published"],
                row["upvotes"],
                row["github_repo"],
            )  # fmt: skip
            for rank, row in enumerate(rows)
        ],
    )
    conn.execute(
        "INSERT INTO candidate_fetches (source, fetched_at) VALUES (?, ?)"
        " ON CONFLICT (source) DO UPDATE SET fetched_at = excluded.fetched_at",
        (source, stamp),
    )


# The taste model's words -------------------------------------------------------------------


def taste_terms(conn: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Every paper's counted words as kept: doc -> (crc of its text, JSON)."""
    rows = conn.execute("SELECT doc, crc, terms FROM taste_terms")
    return {doc: (crc, terms) for doc, crc, terms in rows}


def remember_taste_terms(conn: sqlite3.Connection, rows: Iterable[tuple[str, int, str]]) -> bool:
    """Keep papers' counted words if the store can be written right now (a busy or
    read-only store just means they are counted again next time); no change log: they are
    derived from the store and the candidates."""
    from readchallenge.store import db

    try:
        with db.transaction(conn, derived=True):
            conn.executemany(
                "INSERT INTO taste_terms (doc, crc, terms) VALUES (?, ?, ?) ON CONFLICT (doc)"
                " DO UPDATE SET crc = excluded.crc, terms = excluded.terms",
                list(rows),
            )
    except sqlite3.OperationalError:
        return False
    return True


def taste_model(conn: sqlite3.Connection, name: str) -> tuple[int, str] | None:
    row = conn.execute(
        "SELECT signature, value FROM taste_model WHERE name = ?", (name,)
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def remember_taste_model(conn: sqlite3.Connection, name: str, signature: int, value: str) -> bool:
    """Keep what the model made, if the store can be written right now (as the words)."""
    from readchallenge.store import db

    try:
        with db.transaction(conn, derived=True):
            conn.execute(
                "INSERT INTO taste_model (name, signature, value) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET signature = excluded.signature,"
                " value = excluded.value",
                (name, signature, value),
            )
    except sqlite3.OperationalError:
        return False
    return True
