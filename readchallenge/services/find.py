"""`rc find`: everything you wrote and every paper you stored, searched at once."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from readchallenge.config import Config
from readchallenge.core.dates import week_label
from readchallenge.core.tags import normalise_tag
from readchallenge.core.text import display_name
from readchallenge.errors import UsageError
from readchallenge.results.season import FindHit, Found
from readchallenge.services import when
from readchallenge.store import db, find, queries, season

# Which matched field's snippet a hit shows: the one that says most (an abstract over the
# title its line already shows).
SHOWN_FIRST = ("abstract", "notes", "takeaways", "intro", "conclusion", "teaser", "theme",
               "title", "name", "authors")  # fmt: skip


def _marks(text: str) -> tuple[str, list[list[int]]]:
    """A snippet without its marks, and where the marked matches are in it."""
    plain: list[str] = []
    spans: list[list[int]] = []
    length = 0
    for piece in text.replace(find.CLOSE, find.OPEN).split(find.OPEN):
        if len(plain) % 2:
            spans.append([length, length + len(piece)])
        plain.append(piece)
        length += len(piece)
    return "".join(plain), spans


def _clean_authors(snippet: str) -> str:
    """Authors are stored as a JSON list: the snippet without its brackets and quotes."""
    return snippet.replace('", "', ", ").translate({ord(c): None for c in '[]"'})


def _hit(hit: find.Hit, names: dict[str, str]) -> FindHit:
    matched = hit.snippets
    field = next((c for c in SHOWN_FIRST if c in matched), "")
    text = matched.get(field, "")
    if field == "authors":
        text = _clean_authors(text)
    snippet, spans = _marks(" ".join(text.split()))
    return {
        "kind": hit.kind,
        "id": hit.key,
        "name": names.get(hit.key, hit.key),
        "field": field,
        "fields": [c for c in SHOWN_FIRST if c in matched],
        "snippet": snippet,
        "highlights": spans,
        "score": round(hit.score, 6),
    }


def _scope(
    cfg: Config, conn: sqlite3.Connection, tag: str | None, read: bool, week: str | None
) -> find.Scope:
    where: list[str] = []
    params: list[object] = []
    weeks: set[str] | None = None
    if tag is not None:
        try:
            tag = normalise_tag(tag)
        except ValueError as exc:
            raise UsageError(f"--tag: {exc}") from None
        where.append("EXISTS (SELECT 1 FROM tags g WHERE g.paper_id = p.id AND g.tag = ?)")
        params.append(tag)
        weeks = season.weeks_tagged(conn, tag)
    if read:
        where.append("EXISTS (SELECT 1 FROM readings r WHERE r.paper_id = p.id)")
    if week is not None:
        monday = when.week(week, cfg)
        where.append(
            "EXISTS (SELECT 1 FROM plan w WHERE w.paper_id = p.id AND w.day BETWEEN ? AND ?)"
        )
        params += [monday.isoformat(), (monday + timedelta(days=6)).isoformat()]
        label = week_label(monday)
        weeks = {label} if weeks is None or label in weeks else set()
    if read:
        weeks = set()  # a week is not read: only papers
    return find.Scope(where, params, None if weeks is None else sorted(weeks))


def find_text(
    cfg: Config,
    query: str,
    *,
    limit: int = 20,
    tag: str | None = None,
    read: bool = False,
    week: str | None = None,
) -> Found:
    """The best `limit` hits for an FTS5 query (words, "a phrase", prefix*, AND/OR/NOT)."""
    query = " ".join(query.split())
    if not query:
        raise UsageError('say what to find: rc find WORDS (a "phrase", a prefix*)')
    try:
        find.check(query)
    except find.BadQuery as exc:
        raise UsageError(_explain(query, str(exc))) from None
    with db.opened(cfg.db_path) as conn:
        scope = _scope(cfg, conn, tag, read, week)
        found = find.search(conn, query, scope, limit)
        total = find.count(conn, query, scope)
        papers = season.paper_names(conn, [h.key for h in found if h.kind == "paper"])
        names = {k: display_name(v) for k, v in papers.items()}
        for h in found:
            if h.kind == "week":
                names[h.key] = _week_name(conn, h.key)
        hits = [_hit(h, names) for h in found]
    return {"query": query, "total": total, "hits": hits}


def _week_name(conn: sqlite3.Connection, label: str) -> str:
    theme = queries.week_words(conn, label)["theme"]
    return f"{label}: {' '.join(str(theme).split())}" if theme else label


def _explain(query: str, problem: str) -> str:
    """A query FTS5 cannot read, said in one line with what to do."""
    if problem.startswith("no such column: "):
        word = problem.removeprefix("no such column: ")
        problem = f"it reads {word!r} as a field, and there is no such field"
    return (
        f"rc find cannot read {query!r}: {problem}; put words with punctuation in double "
        'quotes ("phi-2"), and write AND, OR, NOT in capitals'
    )
