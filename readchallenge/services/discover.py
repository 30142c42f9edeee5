"""Finding papers: arXiv and Hugging Face searched together, the daily papers, picking."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from readchallenge.config import Config
from readchallenge.core.dates import InvalidDate, parse_day, parse_week, week_label
from readchallenge.errors import RcError, UsageError
from readchallenge.results.discover import Found, FoundRow
from readchallenge.store import db, queries, scholar

if TYPE_CHECKING:
    from readchallenge.sources.huggingface import Hit


def _row(arxiv_id: str) -> FoundRow:
    return {
        "number": 0,
        "id": arxiv_id,
        "title": "",
        "authors": [],
        "date": "",
        "upvotes": None,
        "repo": None,
        "stars": None,
        "models": None,
        "sources": [],
        "in_store": None,
        "tldr": None,
        "citations": None,
    }


def _merge_hits(rows: dict[str, FoundRow], hits: list[Hit]) -> None:
    for hit in hits:
        row = rows.setdefault(hit.arxiv_id, _row(hit.arxiv_id))
        row["title"] = row["title"] or hit.title
        row["authors"] = row["authors"] or hit.authors
        row["date"] = row["date"] or hit.published
        row["upvotes"], row["repo"] = hit.upvotes, hit.github_repo
        row["stars"] = hit.github_stars
        row["models"] = hit.models
        row["sources"].append("hf")


def _mark_stored(cfg: Config, rows: list[FoundRow]) -> None:
    """Say which results are in the store already: planned (the day), read, or backlog;
    and what Semantic Scholar said of them, when rc asked it before (rc suggest, rc add)."""
    if not cfg.db_path.exists():
        return
    with db.opened(cfg.db_path) as conn:
        hints = scholar.hints(conn, [row["id"] for row in rows])
        for row in rows:
            row["tldr"], row["citations"] = hints.get(row["id"], (None, None))
        for row in rows:
            if queries.paper_source(conn, row["id"]) is None:
                continue
            paper = queries.paper(conn, row["id"])
            assert paper is not None
            if paper["read_on"]:
                row["in_store"] = "read"
            else:
                row["in_store"] = paper["planned_on"] or "backlog"


def _numbered(rows: list[FoundRow]) -> list[FoundRow]:
    for number, row in enumerate(rows, start=1):
        row["number"] = number
    return rows


def search(cfg: Config, query: str, source: str, most: int, sort: str = "relevance") -> Found:
    """`rc search`: arXiv and Hugging Face's paper search, merged by arXiv id."""
    if not query.strip():
        raise UsageError("the search query is empty")
    found = Found(title=f"results for {query!r}")
    rows: dict[str, FoundRow] = {}
    failures = 0
    from readchallenge.services import clients
    from readchallenge.sources.http import new_client

    # One client for both sources: each request carries its own headers and deadline.
    with new_client(timeout=cfg.arxiv_timeout, connections=2) as http:
        if source in ("all", "arxiv"):
            try:
                with clients.arxiv(cfg, http=http) as arxiv:
                    papers = arxiv.search(query, most, sort)
                for p in papers:
                    row = rows.setdefault(p.id, _row(p.id))
                    row["title"], row["authors"], row["date"] = p.title, p.authors, p.published
                    row["sources"].append("arxiv")
            except RcError as exc:
                failures += 1
                found.warnings.append(f"arXiv: {exc.message}")
        if source in ("all", "hf"):
            try:
                with clients.huggingface(cfg, http=http) as hf:
                    _merge_hits(rows, hf.search(query, most))
            except RcError as exc:
                failures += 1
                found.warnings.append(f"Hugging Face: {exc.message}")
    asked = 2 if source == "all" else 1
    if failures == asked:
        raise RcError("; ".join(found.warnings))
    found.rows = _numbered(list(rows.values()))
    _mark_stored(cfg, found.rows)
    return found


def daily_params(cfg: Config, when: str | None) -> tuple[dict[str, str], str]:
    """`date=`, `week=` or `month=` for what the user said, and how to name it."""
    text = (when or "this").strip().lower()
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return {"month": text}, f"month {text}"
    if text in ("this", "next", "last") or re.fullmatch(r"\d{4}-?w\d{1,2}", text):
        try:
            label = week_label(parse_week(text, cfg.today()))
        except InvalidDate as exc:
            raise UsageError(str(exc)) from None
        return {"week": label}, f"week {label}"
    try:
        day: date = parse_day(text, cfg.today())
    except InvalidDate as exc:
        raise UsageError(f"{exc}; or a week (this, next, YYYY-Www) or a month (YYYY-MM)") from None
    return {"date": day.isoformat()}, day.isoformat()


def discover(cfg: Config, when: str | None, limit: int) -> Found:
    """`rc discover`: Hugging Face's daily papers, most upvoted first."""
    params, named = daily_params(cfg, when)
    from readchallenge.services import clients

    with clients.huggingface(cfg) as hf:
        hits = hf.daily(params)
    rows: dict[str, FoundRow] = {}
    _merge_hits(rows, sorted(hits, key=lambda h: -h.upvotes)[:limit])
    found = Found(rows=_numbered(list(rows.values())), title=f"daily papers, {named}")
    _mark_stored(cfg, found.rows)
    return found


def chosen(found: Found, numbers: str) -> list[str]:
    """The arXiv ids of the results numbered in `numbers` (`1,3,5`, `2-4`)."""
    return picked([row["id"] for row in found.rows], numbers)


def picked(ids: list[str], numbers: str) -> list[str]:
    """The ids numbered in `numbers` (`1,3,5`, `2-4`), counting from 1."""
    chosen_ids = []
    for part in (p.strip() for p in numbers.split(",") if p.strip()):
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise UsageError(f"--pick takes numbers such as 1,3,5 or 2-4, not {numbers!r}")
        for number in range(int(low), int(high or low) + 1):
            if not 1 <= number <= len(ids):
                raise UsageError(f"there is no result {number} (1 to {len(ids)})")
            chosen_ids.append(ids[number - 1])
    return list(dict.fromkeys(chosen_ids))
