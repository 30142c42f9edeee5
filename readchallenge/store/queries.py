"""Read queries over plain sqlite3, for the fast read path (no ORM imports)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from readchallenge.core import schema
from readchallenge.core.ids import InvalidId, parse_arxiv_id
from readchallenge.core.records import LINK_KINDS, Row
from readchallenge.errors import NotFound
from readchallenge.store import db, scholar, season

if TYPE_CHECKING:
    from readchallenge.core.rows import ChallengeInfo, ListRow, PaperDetail, PlannedPaper
    from readchallenge.core.schema import ChallengeRow, HFPageRow, LinkRow, PaperRow, WeekRow


def _select(table: str) -> str:
    """SELECT of a table's declared columns, in the order its row builder takes them."""
    return f"SELECT {', '.join(schema.COLUMNS[table])} FROM {table}"


_PAPER = _select("papers")
_WORDS = tuple(c for c in schema.COLUMNS["weeks"] if c not in schema.KEYS["weeks"])


def resolve_paper_id(conn: sqlite3.Connection, text: str) -> str | None:
    """The stored id the user means: an arXiv id in any form, a slug, or a display name."""
    candidates = [text.strip(), text.strip().lower()]
    try:
        candidates.insert(0, parse_arxiv_id(text).id)
    except InvalidId:
        pass
    for candidate in candidates:
        row = conn.execute("SELECT id FROM papers WHERE id = ?", (candidate,)).fetchone()
        if row:
            return str(row[0])
    rows = conn.execute(
        "SELECT id FROM papers WHERE lower(name) = lower(?) ORDER BY added_at", (text.strip(),)
    ).fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None


def require_paper_id(conn: sqlite3.Connection, text: str) -> str:
    """`resolve_paper_id`, or NotFound with the one message every command gives."""
    paper_id = resolve_paper_id(conn, text)
    if paper_id is None:
        import difflib

        names = {
            str(name): str(name)
            for row in conn.execute("SELECT id, name FROM papers")
            for name in row
            if name
        }
        by_lower = {name.lower(): name for name in names}
        close = difflib.get_close_matches(text.strip().lower(), list(by_lower), n=1, cutoff=0.75)
        if close:
            raise NotFound(f"no paper {text!r}; did you mean {by_lower[close[0]]!r}?")
        raise NotFound(f"no paper {text!r} in the store (rc list shows what is there)")
    return paper_id


def links_of(conn: sqlite3.Connection, paper_id: str) -> dict[str, str]:
    rows = conn.execute("SELECT kind, url FROM links WHERE paper_id = ?", (paper_id,)).fetchall()
    found = dict(rows)
    return {kind: found[kind] for kind in LINK_KINDS if kind in found}


def paper_reading_days(conn: sqlite3.Connection, paper_id: str) -> list[str]:
    rows = conn.execute("SELECT day FROM readings WHERE paper_id = ? ORDER BY day", (paper_id,))
    return [r[0] for r in rows]


def link_sources(conn: sqlite3.Connection, paper_id: str) -> dict[str, str]:
    rows = conn.execute("SELECT kind, source FROM links WHERE paper_id = ?", (paper_id,))
    found = dict(rows.fetchall())
    return {kind: found[kind] for kind in LINK_KINDS if kind in found}


def hf_page(conn: sqlite3.Connection, paper_id: str) -> HFPageRow | None:
    """What Hugging Face Papers said of a paper (models and keywords decoded), if asked."""
    row = conn.execute(f"{_select('hf_pages')} WHERE paper_id = ?", (paper_id,)).fetchone()
    return None if row is None else schema.hf_page_row(row)


def queued_hf_lookups(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT paper_id FROM hf_pages WHERE status = 'queued' ORDER BY rowid")
    return [r[0] for r in rows]


def paper(conn: sqlite3.Connection, paper_id: str) -> PaperDetail | None:
    """Everything stored about one paper: metadata, links, plan day, note, readings."""
    row = paper_row(conn, paper_id)
    if row is None:
        return None
    page = hf_page(conn, paper_id)
    planned = conn.execute("SELECT day FROM plan WHERE paper_id = ?", (paper_id,)).fetchone()
    description, takeaways = notes_for(conn, paper_id)
    return {
        **row,
        "links": links_of(conn, paper_id),
        "link_sources": link_sources(conn, paper_id),
        "huggingface": None
        if page is None
        else {
            "status": page["status"],
            "upvotes": page["upvotes"],
            "github_stars": page["github_stars"],
            "ai_keywords": page["ai_keywords"],
            "ai_summary": page["ai_summary"],
            "models": page["num_models"],
        },
        "planned_on": planned[0] if planned else None,
        "description": description,
        "takeaways": takeaways,
        "read_on": paper_reading_days(conn, paper_id),
        "tags": season.paper_tags(conn, paper_id),
        "post": None,  # the services name the post, which takes the season's rules
        "semantic_scholar": scholar.summary(conn, paper_id),
        "builds_on": scholar.builds_on(conn, paper_id),
    }


_READ = "EXISTS (SELECT 1 FROM readings r WHERE r.paper_id = p.id)"
_PLANNED = "EXISTS (SELECT 1 FROM plan q WHERE q.paper_id = p.id)"
FILTERS = {  # `rc list` filters: name -> SQL condition on papers p
    "read": _READ,
    "unread": f"NOT {_READ}",
    "planned": _PLANNED,
    "backlog": f"NOT {_PLANNED}",
}
Span = tuple[date, date]


def _listing_sql(
    status: str | None,
    filters: tuple[str, ...],
    kind: str | None,
    week: Span | None,
    tag: str | None = None,
) -> tuple[str, list[str | int]]:
    conditions = [FILTERS[name] for name in filters]
    params: list[str | int] = []
    if tag:
        conditions.append("EXISTS (SELECT 1 FROM tags g WHERE g.paper_id = p.id AND g.tag = ?)")
        params.append(tag)
    if status:
        conditions.append("p.status = ?")
        params.append(status)
    if kind:
        conditions.append("p.kind = ?")
        params.append(kind)
    if week:
        conditions.append(
            "EXISTS (SELECT 1 FROM plan w WHERE w.paper_id = p.id AND w.day BETWEEN ? AND ?)"
        )
        params += [week[0].isoformat(), week[1].isoformat()]
    return (" WHERE " + " AND ".join(conditions) if conditions else ""), params


def iter_papers(
    conn: sqlite3.Connection,
    limit: int | None,
    status: str | None,
    filters: tuple[str, ...] = (),
    kind: str | None = None,
    week: Span | None = None,
    by_upvotes: bool = False,
    tag: str | None = None,
) -> Iterator[ListRow]:
    """Papers newest first with their plan day, whether they were read and their tags, one
    at a time: a listing of 100,000 papers never holds them all."""
    where, params = _listing_sql(status, filters, kind, week, tag)
    sql = (
        "SELECT p.id, p.name, p.title, p.kind, p.status, p.authors, p.categories, p.published,"
        f" p.added_at, pl.day, {_READ}, h.upvotes, h.github_stars,"
        " (SELECT group_concat(g.tag, ' ') FROM tags g WHERE g.paper_id = p.id)"
        " FROM papers p LEFT JOIN plan pl ON pl.paper_id = p.id"
        " LEFT JOIN hf_pages h ON h.paper_id = p.id"
        f"{where} ORDER BY "
        + ("h.upvotes IS NULL, h.upvotes DESC, " if by_upvotes else "")
        + "p.added_at DESC, p.rowid DESC"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    for v in conn.execute(sql, params):
        yield {
            "id": v[0],
            "name": v[1],
            "title": v[2],
            "kind": v[3],
            "status": v[4],
            "authors": json.loads(v[5] or "[]"),
            "categories": json.loads(v[6] or "[]"),
            "published": v[7],
            "added_at": v[8],
            "planned_on": v[9],
            "read": bool(v[10]),
            "upvotes": v[11],
            "stars": v[12],
            "tags": sorted(v[13].split()) if v[13] else [],  # a tag has no space
        }


def count_papers(
    conn: sqlite3.Connection,
    status: str | None,
    filters: tuple[str, ...] = (),
    kind: str | None = None,
    week: Span | None = None,
    tag: str | None = None,
) -> int:
    where, params = _listing_sql(status, filters, kind, week, tag)
    return int(conn.execute(f"SELECT count(*) FROM papers p{where}", params).fetchone()[0])


def plan_between(conn: sqlite3.Connection, first: date, last: date) -> list[PlannedPaper]:
    """Planned papers from `first` to `last`, by day, with links and reading state."""
    rows = conn.execute(
        "SELECT pl.day, p.id, p.name, p.title, p.kind, p.status, p.authors, p.categories,"
        " p.abstract, p.published, p.link_order,"
        " EXISTS (SELECT 1 FROM readings r WHERE r.paper_id = p.id)"
        " FROM plan pl JOIN papers p ON p.id = pl.paper_id"
        " WHERE pl.day BETWEEN ? AND ? ORDER BY pl.day, p.added_at, p.rowid",
        (first.isoformat(), last.isoformat()),
    ).fetchall()
    return [
        {
            "day": v[0],
            "id": v[1],
            "name": v[2],
            "title": v[3],
            "kind": v[4],
            "status": v[5],
            "authors": json.loads(v[6] or "[]"),
            "categories": json.loads(v[7] or "[]"),
            "abstract": v[8],
            "published": v[9],
            "link_order": v[10],
            "read": bool(v[11]),
            "links": links_of(conn, v[1]),
        }
        for v in rows
    ]


def challenge_row(conn: sqlite3.Connection) -> ChallengeRow:
    """Every column of the challenge (which must exist)."""
    row = conn.execute(f"{_select('challenge')} WHERE id = 1").fetchone()
    assert row is not None
    return schema.challenge_row(row)


def ids_and_names(path: Path) -> list[tuple[str, str | None]]:
    """The ids and names of the stored papers, newest first, for the shell's completion:
    read-only, so a store is neither made nor upgraded by pressing TAB."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT id, name FROM papers ORDER BY added_at DESC").fetchall()
    finally:
        conn.close()


def challenge(conn: sqlite3.Connection) -> ChallengeInfo | None:
    row = conn.execute("SELECT name, start, until, per_day FROM challenge WHERE id = 1").fetchone()
    if row is None:
        return None
    return {"name": row[0], "start": row[1], "until": row[2], "per_day": row[3]}


def skip_days(conn: sqlite3.Connection) -> dict[date, str | None]:
    return {
        date.fromisoformat(d): reason
        for d, reason in conn.execute("SELECT day, reason FROM skips ORDER BY day")
    }


def reading_days_between(conn: sqlite3.Connection, first: date, last: date) -> set[date]:
    return {
        date.fromisoformat(d)
        for (d,) in conn.execute(
            "SELECT DISTINCT day FROM readings WHERE day BETWEEN ? AND ?",
            (first.isoformat(), last.isoformat()),
        )
    }


def counter(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row else None


def remember(conn: sqlite3.Connection, values: dict[str, int]) -> bool:
    """Store derived counters, all or none, if the store can be written right now.

    Never waits: a busy or read-only store just means the values are recomputed next time.
    """
    try:
        with db.transaction(conn, derived=True):
            conn.executemany(
                "INSERT INTO counters (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )
    except sqlite3.OperationalError:
        return False
    return True


def reading_days_without(conn: sqlite3.Connection, paper_ids: list[str]) -> set[date]:
    """The days with a reading of some paper other than `paper_ids`."""
    marks = ", ".join("?" for _ in paper_ids)
    rows = conn.execute(
        f"SELECT DISTINCT day FROM readings WHERE paper_id NOT IN ({marks})", paper_ids
    )
    return {date.fromisoformat(d) for (d,) in rows}


def reading_days(conn: sqlite3.Connection) -> set[date]:
    return {date.fromisoformat(d) for (d,) in conn.execute("SELECT DISTINCT day FROM readings")}


def readings_between(conn: sqlite3.Connection, first: date, last: date) -> int:
    row = conn.execute(
        "SELECT count(*) FROM readings WHERE day BETWEEN ? AND ?",
        (first.isoformat(), last.isoformat()),
    ).fetchone()
    return int(row[0])


def readings_in(conn: sqlite3.Connection, first: date, last: date) -> int:
    """Readings from `first` to `last`: the kept total less the (few) readings outside."""
    total = counter(conn, "readings_total")
    if total is None:
        return readings_between(conn, first, last)
    outside = conn.execute(
        "SELECT (SELECT count(*) FROM readings WHERE day < ?)"
        " + (SELECT count(*) FROM readings WHERE day > ?)",
        (first.isoformat(), last.isoformat()),
    ).fetchone()
    return total - int(outside[0])


def readings_by_day(conn: sqlite3.Connection, first: date, last: date) -> dict[date, int]:
    return {
        date.fromisoformat(d): n
        for d, n in conn.execute(
            "SELECT day, count(*) FROM readings WHERE day BETWEEN ? AND ? GROUP BY day",
            (first.isoformat(), last.isoformat()),
        )
    }


def planned_days(conn: sqlite3.Connection, first: date, last: date) -> set[date]:
    return {
        date.fromisoformat(d)
        for (d,) in conn.execute(
            "SELECT DISTINCT day FROM plan WHERE day BETWEEN ? AND ?",
            (first.isoformat(), last.isoformat()),
        )
    }


def weeks_with_papers_before(conn: sqlite3.Connection, monday: date) -> int:
    """How many Monday-Sunday weeks before `monday` have a paper planned: the post's series
    number. Counting takes ~15 ms over 100,000 planned papers, so the count is kept with the
    plan's revision (bumped by triggers on any change to the plan) and reused until then."""
    # The counters' names changed when the count was fixed (it counted Friday-Thursday
    # weeks), so a count kept by an older rc is never reused.
    revision = counter(conn, "plan_revision")
    if (
        revision is not None
        and counter(conn, "post_weeks_revision") == revision
        and counter(conn, "post_weeks_monday") == monday.toordinal()
    ):
        return counter(conn, "post_weeks_count") or 0
    from readchallenge.store.season import count_weeks_before

    count = count_weeks_before(conn, monday)
    if revision is not None:
        remember(
            conn,
            {
                "post_weeks_count": count,
                "post_weeks_monday": monday.toordinal(),
                "post_weeks_revision": revision,
            },
        )
    return count


def texts_with_references(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """The papers whose note, and the weeks whose words, hold a `[[` (a reference, maybe)."""
    papers = [
        str(r[0])
        for r in conn.execute(
            "SELECT paper_id FROM notes WHERE instr(description, '[[')"
            " UNION SELECT paper_id FROM takeaways WHERE instr(text, '[[') ORDER BY 1"
        )
    ]
    words = " || ".join(f"coalesce({word}, '')" for word in _WORDS)
    weeks = [
        str(r[0])
        for r in conn.execute(f"SELECT week FROM weeks WHERE instr({words}, '[[') ORDER BY week")
    ]
    return papers, weeks


def week_words(conn: sqlite3.Connection, label: str) -> WeekRow:
    """The words of a week's post (all None for a week without any)."""
    row = conn.execute(f"{_select('weeks')} WHERE week = ?", (label,)).fetchone()
    return schema.week_row(row or (label, *(None for _ in _WORDS)))


def notes_for(conn: sqlite3.Connection, paper_id: str) -> tuple[str | None, list[str]]:
    note = conn.execute("SELECT description FROM notes WHERE paper_id = ?", (paper_id,)).fetchone()
    takeaways = [
        r[0]
        for r in conn.execute(
            "SELECT text FROM takeaways WHERE paper_id = ? ORDER BY position", (paper_id,)
        )
    ]
    return (note[0] if note else None), takeaways


def item_with_url(conn: sqlite3.Connection, url: str, kinds: tuple[str, ...]) -> str | None:
    """The stored non-arXiv item whose own link is `url`, if any."""
    row = conn.execute(
        f"SELECT paper_id FROM links WHERE url = ? AND kind IN ({', '.join('?' for _ in kinds)})"
        " LIMIT 1",
        (url, *kinds),
    ).fetchone()
    return str(row[0]) if row else None


def free_slug(conn: sqlite3.Connection, base: str) -> str:
    """`base`, or `base-2`, `base-3`… whichever no paper has yet."""
    slug, n = base, 1
    while conn.execute("SELECT 1 FROM papers WHERE id = ?", (slug,)).fetchone():
        n += 1
        slug = f"{base}-{n}"
    return slug


def paper_row(conn: sqlite3.Connection, paper_id: str) -> PaperRow | None:
    """The papers row (authors and categories decoded)."""
    row = conn.execute(f"{_PAPER} WHERE id = ?", (paper_id,)).fetchone()
    return None if row is None else schema.paper_row(row)


def paper_source(conn: sqlite3.Connection, paper_id: str) -> str | None:
    row = conn.execute("SELECT source FROM papers WHERE id = ?", (paper_id,)).fetchone()
    return str(row[0]) if row else None


def pending_ids(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT id FROM papers WHERE status = 'pending' ORDER BY added_at, rowid")
    return [r[0] for r in rows]


def fetched_arxiv_ids(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT id FROM papers WHERE source = 'arxiv' AND status = 'ok' ORDER BY rowid"
    )
    return [r[0] for r in rows]


def papers_as_added(conn: sqlite3.Connection) -> list[PaperRow]:
    """Every paper, in the order they were stored (for BibTeX)."""
    return [schema.paper_row(v) for v in conn.execute(f"{_PAPER} ORDER BY rowid")]


def every_link(conn: sqlite3.Connection) -> list[LinkRow]:
    return [schema.link_row(v) for v in conn.execute(f"{_select('links')} ORDER BY rowid")]


def iter_table(conn: sqlite3.Connection, table: str) -> Iterator[Row]:
    """The rows of one of the challenge's tables as stored, in the export's order, one at a
    time (for a streamed export)."""
    names = schema.COLUMNS[table]
    cursor = conn.execute(f"{_select(table)} ORDER BY {schema.EXPORT_ORDER[table]}")
    for values in cursor:
        yield dict(zip(names, values, strict=True))


has_papers = db.has_papers
