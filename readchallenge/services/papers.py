"""Bringing papers in: arXiv ids, pending ids, refresh, links, and non-arXiv items."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from readchallenge.config import Config
from readchallenge.core.ids import ArxivId, InvalidId, parse_arxiv_id
from readchallenge.core.text import is_http_url, one_line, slugify
from readchallenge.errors import ArxivUnavailable, NotFound, UsageError
from readchallenge.services import plan
from readchallenge.sources.arxiv import ArxivClient, ArxivPaper, Waiter
from readchallenge.store import db, queries
from readchallenge.store.models import Link, Paper
from readchallenge.store.orm import write_session

LINK_KINDS = ("paper", "code", "model", "blog", "other")
ITEM_KINDS = ("paper", "blog", "model", "code")

Progress = Callable[[int, int], None]


@dataclass
class Placement:
    """Where new papers go: `on` a day, the next free days, or the backlog."""

    on: date | None = None
    force: bool = False
    backlog: bool = False


@dataclass
class AddReport:
    """What an add, sync or refresh did, paper by paper."""

    stored: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    planned: dict[str, str] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)
    changes: dict[str, list[str]] = field(default_factory=dict)
    challenge_created: bool = False
    unavailable: str | None = None
    interrupted: bool = False
    requests: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.not_found or self.pending or self.unavailable or self.interrupted)


def parse_ids(texts: Sequence[str]) -> list[ArxivId]:
    """Validate every id before anything is fetched; name each malformed one."""
    parsed, bad = [], []
    for text in texts:
        try:
            parsed.append(parse_arxiv_id(text))
        except InvalidId as exc:
            bad.append(f"{text!r} ({exc})")
    if bad:
        raise UsageError("not an arXiv id: " + "; ".join(bad))
    return parsed


def check_text(label: str, text: str) -> None:
    if any(ord(ch) < 32 and ch not in "\t\n" for ch in text):
        raise UsageError(f"{label} contains control characters")


def check_url(kind: str, url: str) -> str:
    if not is_http_url(url):
        raise UsageError(f"--{kind} must be an http(s) URL, not {url!r}")
    return url


def client(cfg: Config, on_wait: Waiter | None = None) -> ArxivClient:
    return ArxivClient(
        cfg.arxiv_api_url,
        min_interval=cfg.arxiv_min_interval,
        timeout=cfg.arxiv_timeout,
        retries=cfg.arxiv_retries,
        max_wait=cfg.arxiv_max_wait,
        on_wait=on_wait,
    )


def _stamp(cfg: Config) -> str:
    return str(cfg.utc_now().isoformat(timespec="seconds"))


def _fill(paper: Paper, meta: ArxivPaper, cfg: Config) -> list[str]:
    """Copy fetched metadata into the row; return what changed that a reader cares about."""
    changes = []
    if paper.status == "ok":
        if paper.version and meta.version and meta.version != paper.version:
            changes.append(f"new version v{paper.version} -> v{meta.version}")
        for label, old, new in (
            ("DOI", paper.doi, meta.doi),
            ("journal ref", paper.journal_ref, meta.journal_ref),
            ("title", paper.title, meta.title),
        ):
            if (old or None) != (new or None):
                changes.append(f"{label}: {old or '-'} -> {new or '-'}")
    paper.status = "ok"
    paper.title = meta.title
    paper.authors = json.dumps(meta.authors, ensure_ascii=False)
    paper.abstract = meta.abstract
    paper.version = meta.version
    paper.primary_category = meta.primary_category
    paper.categories = json.dumps(meta.categories)
    paper.published, paper.updated = meta.published, meta.updated
    paper.comment, paper.journal_ref, paper.doi = meta.comment, meta.journal_ref, meta.doi
    paper.abs_url, paper.pdf_url = meta.abs_url, meta.pdf_url
    paper.fetched_at = _stamp(cfg)
    return changes


def _paper_link(paper: Paper) -> str:
    base = paper.abs_url or f"https://arxiv.org/abs/{paper.id}"
    return f"{base}v{paper.requested_version}" if paper.requested_version else base


def _set_link(session: Session, paper_id: str, kind: str, url: str) -> None:
    link = session.get(Link, (paper_id, kind))
    if link is None:
        session.add(Link(paper_id=paper_id, kind=kind, url=url))
    else:
        link.url = url
        session.add(link)


def _store_batch(
    cfg: Config,
    found: dict[str, ArxivPaper],
    missing: list[str],
    report: AddReport,
    refreshing: bool,
) -> None:
    with write_session(cfg.db_path) as session:
        for paper_id, meta in found.items():
            paper = session.get(Paper, paper_id)
            if paper is None:  # removed by another rc meanwhile
                continue
            changes = _fill(paper, meta, cfg)
            session.add(paper)
            if session.get(Link, (paper_id, "paper")) is None:
                session.add(Link(paper_id=paper_id, kind="paper", url=_paper_link(paper)))
            if refreshing:
                report.changes[paper_id] = changes
            else:
                report.stored.append(paper_id)
        for paper_id in missing:
            paper = session.get(Paper, paper_id)
            if paper is not None and paper.status == "pending":
                session.delete(paper)
            report.not_found.append(paper_id)


def fetch_and_store(
    cfg: Config,
    ids: Sequence[ArxivId],
    report: AddReport,
    *,
    refreshing: bool = False,
    on_wait: Waiter | None = None,
    on_progress: Progress | None = None,
) -> AddReport:
    """Fetch `ids` batch by batch, storing each batch in its own transaction.

    When arXiv cannot be reached, what is not yet fetched stays pending (nothing typed is lost).
    """
    done: set[str] = set()
    with client(cfg, on_wait) as arxiv:
        total = arxiv.batches_needed(len(ids))
        try:
            for number, batch in enumerate(arxiv.fetch(ids), start=1):
                _store_batch(cfg, batch.found, [a.id for a in batch.missing], report, refreshing)
                done.update(a.id for a in batch.asked)
                if on_progress is not None:
                    on_progress(number, total)
        except ArxivUnavailable as exc:
            report.unavailable = exc.message
            if not refreshing:
                report.pending = [a.id for a in ids if a.id not in done]
        except KeyboardInterrupt:
            report.interrupted = True
            if not refreshing:
                report.pending = [a.id for a in ids if a.id not in done]
        finally:
            report.requests = arxiv.requests
    return report


def add_arxiv(
    cfg: Config,
    texts: Sequence[str],
    *,
    name: str | None = None,
    links: dict[str, str] | None = None,
    placement: Placement | None = None,
    on_wait: Waiter | None = None,
    on_progress: Progress | None = None,
) -> AddReport:
    """`rc add ID...`: validate, keep each new id as pending, then fetch its metadata."""
    ids = parse_ids(texts)
    check_text("--as", name or "")
    if name is not None and len(ids) > 1:
        raise UsageError("--as names one paper; give one id with it")
    links = {kind: check_url(kind, url) for kind, url in (links or {}).items()}
    placement = placement or Placement()
    report = AddReport()
    new: list[ArxivId] = []
    with write_session(cfg.db_path) as session:
        challenge, report.challenge_created = plan.get_or_create_challenge(session, cfg)
        next_day = placement.on or cfg.today()
        for aid in dict.fromkeys(ids):
            if session.get(Paper, aid.id) is not None or aid.id in {a.id for a in new}:
                report.already.append(aid.id)
                continue
            session.add(
                Paper(
                    id=aid.id,
                    status="pending",
                    requested_version=aid.version,
                    name=name,
                    added_at=_stamp(cfg),
                )
            )
            session.flush()  # the paper row must exist before rows that refer to it
            for kind, url in links.items():
                session.add(Link(paper_id=aid.id, kind=kind, url=url))
            session.flush()
            if not placement.backlog:
                day = (
                    next_day
                    if placement.on
                    else plan.first_free_day(session, next_day, challenge.per_day)
                )
                for moved_id, moved_day in plan.place(
                    session, aid.id, day, challenge.per_day, force=placement.force
                ):
                    report.moved[moved_id] = moved_day.isoformat()
                report.planned[aid.id] = day.isoformat()
            new.append(aid)
    if new:
        fetch_and_store(cfg, new, report, on_wait=on_wait, on_progress=on_progress)
    return report


def pending_ids(cfg: Config) -> list[ArxivId]:
    with db.opened(cfg.db_path) as conn:
        rows = conn.execute(
            "SELECT id FROM papers WHERE status = 'pending' ORDER BY added_at, rowid"
        ).fetchall()
    return [ArxivId(r[0]) for r in rows]


def sync(
    cfg: Config, on_wait: Waiter | None = None, on_progress: Progress | None = None
) -> AddReport:
    """`rc sync`: fetch every pending id."""
    report = AddReport()
    ids = pending_ids(cfg)
    if ids:
        fetch_and_store(cfg, ids, report, on_wait=on_wait, on_progress=on_progress)
    return report


def refresh(
    cfg: Config,
    texts: Sequence[str],
    on_wait: Waiter | None = None,
    on_progress: Progress | None = None,
) -> AddReport:
    """`rc refresh [ID...]`: fetch stored arXiv papers again and report what changed."""
    with db.opened(cfg.db_path) as conn:
        if texts:
            ids = []
            for text in texts:
                paper_id = queries.resolve_paper_id(conn, text)
                if paper_id is None:
                    raise NotFound(f"no paper {text!r} in the store")
                ids.append(paper_id)
        else:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM papers WHERE source = 'arxiv' AND status = 'ok' ORDER BY rowid"
                )
            ]
        sources = dict(conn.execute("SELECT id, source FROM papers"))
    not_arxiv = [i for i in ids if sources.get(i) != "arxiv"]
    if not_arxiv:
        raise UsageError(f"not an arXiv paper: {not_arxiv[0]}")
    report = AddReport()
    if ids:
        fetch_and_store(
            cfg,
            [ArxivId(i) for i in ids],
            report,
            refreshing=True,
            on_wait=on_wait,
            on_progress=on_progress,
        )
    return report


def add_item(
    cfg: Config,
    *,
    url: str,
    title: str,
    kind: str,
    name: str | None,
    authors: str | None,
    placement: Placement | None = None,
) -> AddReport:
    """`rc add --url`: a blog post, model card or any page that is not on arXiv."""
    check_url("url", url)
    if kind not in ITEM_KINDS:
        raise UsageError(f"--kind must be one of {', '.join(ITEM_KINDS)}, not {kind!r}")
    title = one_line(title)
    if not title:
        raise UsageError("--title must not be empty")
    for label, value in (("--title", title), ("--as", name or ""), ("--authors", authors or "")):
        check_text(label, value)
    placement = placement or Placement()
    report = AddReport()
    with write_session(cfg.db_path) as session:
        existing = session.exec(
            select(Link).where(Link.url == url, col(Link.kind).in_(ITEM_KINDS))
        ).first()
        if existing is not None:
            report.already.append(existing.paper_id)
            return report
        challenge, report.challenge_created = plan.get_or_create_challenge(session, cfg)
        base = slugify(name or title)
        slug, n = base, 1
        while session.get(Paper, slug) is not None:
            n += 1
            slug = f"{base}-{n}"
        author_list = [a.strip() for a in (authors or "").split(",") if a.strip()]
        session.add(
            Paper(
                id=slug,
                source="web",
                kind=kind,
                status="ok",
                name=name,
                title=title,
                authors=json.dumps(author_list, ensure_ascii=False),
                added_at=_stamp(cfg),
            )
        )
        session.flush()  # the paper row must exist before its link
        session.add(Link(paper_id=slug, kind=kind, url=url))
        session.flush()
        if not placement.backlog:
            day = placement.on or plan.first_free_day(session, cfg.today(), challenge.per_day)
            for moved_id, moved_day in plan.place(
                session, slug, day, challenge.per_day, force=placement.force
            ):
                report.moved[moved_id] = moved_day.isoformat()
            report.planned[slug] = day.isoformat()
        report.stored.append(slug)
    return report


def set_link(cfg: Config, text: str, kind: str, url: str | None) -> dict[str, Any]:
    """`rc link ID KIND URL` adds or replaces a link; with url None, removes it."""
    if kind not in LINK_KINDS:
        raise UsageError(f"link kind must be one of {', '.join(LINK_KINDS)}, not {kind!r}")
    if url is not None:
        check_url(kind, url)
    with db.opened(cfg.db_path) as conn:
        paper_id = queries.resolve_paper_id(conn, text)
    if paper_id is None:
        raise NotFound(f"no paper {text!r} in the store")
    with write_session(cfg.db_path) as session:
        link = session.get(Link, (paper_id, kind))
        if url is None:
            if link is None:
                raise NotFound(f"{paper_id} has no {kind} link")
            session.delete(link)
        else:
            _set_link(session, paper_id, kind, url)
    return {"id": paper_id, "kind": kind, "url": url}


def search(cfg: Config, query: str, max_results: int, sort: str) -> list[dict[str, Any]]:
    """`rc search`: candidates from arXiv, marked when already in the store."""
    if not query.strip():
        raise UsageError("the search query is empty")
    with client(cfg) as arxiv:
        found = arxiv.search(query, max_results, sort)
    with db.opened(cfg.db_path) as conn:
        stored = {r[0] for r in conn.execute("SELECT id FROM papers")}
    return [
        {
            "id": p.id,
            "version": p.version,
            "published": p.published,
            "first_author": p.authors[0] if p.authors else None,
            "authors": p.authors,
            "title": p.title,
            "primary_category": p.primary_category,
            "stored": p.id in stored,
        }
        for p in found
    ]
