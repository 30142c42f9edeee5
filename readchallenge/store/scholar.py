"""What Semantic Scholar said of papers, kept on this device (never logged or synced): each
paper's TLDR and citation count, a 404 remembered, and the arXiv papers each one cites."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readchallenge.core.rows import BuildsOn, ScholarFacts, ScholarSummary


def _marks(items: Sequence[object]) -> str:
    return ", ".join("?" for _ in items)


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def facts(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, ScholarFacts]:
    """The cached facts of `ids` that Semantic Scholar was asked about."""
    found: dict[str, ScholarFacts] = {}
    for chunk in _chunks(ids):
        cursor = conn.execute(
            "SELECT arxiv_id, status, tldr, citations, refs_status, looked_up_at"
            f" FROM s2_papers WHERE arxiv_id IN ({_marks(chunk)})",
            list(chunk),
        )
        for arxiv_id, status, tldr, citations, refs_status, at in cursor:
            found[arxiv_id] = {
                "status": status,
                "tldr": tldr,
                "citations": citations,
                "refs_status": refs_status,
                "looked_up_at": at,
            }
    return found


def save_found(
    conn: sqlite3.Connection,
    arxiv_id: str,
    s2_id: str | None,
    tldr: str | None,
    citations: int | None,
    cites: Sequence[str] | None,
    stamp: str,
) -> None:
    """What Semantic Scholar said of a paper; `cites` (its references' arXiv ids) replaces
    what was kept when given, and is kept as it was when not."""
    conn.execute(
        "INSERT INTO s2_papers (arxiv_id, status, s2_id, tldr, citations, refs_status,"
        " looked_up_at) VALUES (?, 'found', ?, ?, ?, ?, ?) ON CONFLICT (arxiv_id) DO UPDATE"
        " SET status = 'found', s2_id = excluded.s2_id, tldr = excluded.tldr,"
        " citations = excluded.citations,"
        " refs_status = coalesce(excluded.refs_status, s2_papers.refs_status),"
        " looked_up_at = excluded.looked_up_at",
        (arxiv_id, s2_id, tldr, citations, None if cites is None else "fetched", stamp),
    )
    if cites is not None:
        save_cites(conn, arxiv_id, cites)


def save_cites(conn: sqlite3.Connection, arxiv_id: str, cites: Sequence[str]) -> None:
    conn.execute("DELETE FROM s2_refs WHERE paper_id = ?", (arxiv_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO s2_refs (paper_id, cited_id) VALUES (?, ?)",
        [(arxiv_id, cited) for cited in cites if cited != arxiv_id],
    )
    conn.execute("UPDATE s2_papers SET refs_status = 'fetched' WHERE arxiv_id = ?", (arxiv_id,))


def save_not_found(conn: sqlite3.Connection, arxiv_id: str, stamp: str) -> None:
    """A 404 (not indexed yet), remembered so that it is not asked again on every command."""
    conn.execute(
        "INSERT INTO s2_papers (arxiv_id, status, looked_up_at) VALUES (?, 'not_found', ?)"
        " ON CONFLICT (arxiv_id) DO UPDATE SET status = 'not_found',"
        " looked_up_at = excluded.looked_up_at",
        (arxiv_id, stamp),
    )


def cites(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    """The arXiv ids each of `ids` cites, as kept."""
    found: dict[str, list[str]] = {}
    for chunk in _chunks(ids):
        cursor = conn.execute(
            f"SELECT paper_id, cited_id FROM s2_refs WHERE paper_id IN ({_marks(chunk)})"
            " ORDER BY paper_id, cited_id",
            list(chunk),
        )
        for paper_id, cited in cursor:
            found.setdefault(paper_id, []).append(cited)
    return found


def builds_on(conn: sqlite3.Connection, paper_id: str) -> list[BuildsOn]:
    """The stored papers that `paper_id` cites, with the day each was first read."""
    cursor = conn.execute(
        "SELECT p.id, p.name, p.title,"
        " (SELECT min(day) FROM readings r WHERE r.paper_id = p.id) AS read_on"
        " FROM s2_refs s JOIN papers p ON p.id = s.cited_id"
        " WHERE s.paper_id = ? ORDER BY read_on IS NULL, read_on, p.added_at",
        (paper_id,),
    )
    return [
        {"id": pid, "name": name, "title": title, "read_on": read_on}
        for pid, name, title, read_on in cursor
    ]


def summary(conn: sqlite3.Connection, paper_id: str) -> ScholarSummary | None:
    """What `rc show` says of Semantic Scholar's facts: status, TLDR, citations."""
    row = conn.execute(
        "SELECT status, tldr, citations, refs_status FROM s2_papers WHERE arxiv_id = ?",
        (paper_id,),
    ).fetchone()
    if row is None:
        return None
    status, tldr, citations, refs_status = row
    return {"status": status, "tldr": tldr, "citations": citations, "references": refs_status}


def hints(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str | None, int | None]]:
    """The TLDR and citation count kept for each of `ids` (those Semantic Scholar knows)."""
    return {
        arxiv_id: (row["tldr"], row["citations"])
        for arxiv_id, row in facts(conn, ids).items()
        if row["status"] == "found"
    }


def forget_unused(conn: sqlite3.Connection) -> None:
    """Drop what is kept of papers that are neither stored, nor candidates, nor liked: the
    caches follow what rc still shows."""
    used = (
        "SELECT id FROM papers UNION SELECT arxiv_id FROM candidates"
        " UNION SELECT paper_id FROM likes"
    )
    conn.execute(f"DELETE FROM s2_refs WHERE paper_id NOT IN ({used})")
    conn.execute(f"DELETE FROM s2_papers WHERE arxiv_id NOT IN ({used})")
    conn.execute(f"DELETE FROM taste_terms WHERE doc NOT IN ({used})")


def arxiv_papers(conn: sqlite3.Connection, ids: Sequence[str] | None) -> list[str]:
    """Stored arXiv papers (of `ids`, or all), oldest first."""
    if ids is None:
        rows = conn.execute(
            "SELECT id FROM papers WHERE source = 'arxiv' AND status = 'ok' ORDER BY rowid"
        ).fetchall()
        return [r[0] for r in rows]
    wanted = set(ids)
    rows = conn.execute("SELECT id FROM papers WHERE source = 'arxiv' ORDER BY rowid").fetchall()
    return [r[0] for r in rows if r[0] in wanted]


def names(conn: sqlite3.Connection, ids: Mapping[str, object] | Sequence[str]) -> dict[str, str]:
    """Each stored paper's name to show: its name, else its title, else its id."""
    wanted = list(ids)
    found: dict[str, str] = {}
    for chunk in _chunks(wanted):
        cursor = conn.execute(
            f"SELECT id, coalesce(name, title, id) FROM papers WHERE id IN ({_marks(chunk)})",
            list(chunk),
        )
        found.update((pid, str(name)) for pid, name in cursor)
    return found
