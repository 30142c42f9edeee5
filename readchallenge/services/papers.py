"""Bringing papers in from arXiv: add, pending ids and sync, refresh, search."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlmodel import Session

from readchallenge import interrupts
from readchallenge.config import Config
from readchallenge.core.ids import ArxivId, InvalidId, parse_arxiv_id
from readchallenge.errors import ArxivError, NotFound, UsageError
from readchallenge.services import plan
from readchallenge.services.items import check_text, check_url, set_link_row
from readchallenge.services.report import AddReport
from readchallenge.sources.arxiv import ArxivClient, ArxivPaper, Waiter
from readchallenge.store import db, queries
from readchallenge.store.models import Link, Paper, PlanSlot
from readchallenge.store.orm import write_session

Progress = Callable[[int, int], None]


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
            # Never delete: the paper may carry a name, links, a day, readings and notes.
            # arXiv leaving an id out of one answer is no reason to lose them.
            paper = session.get(Paper, paper_id)
            if paper is not None and paper.status == "pending":
                paper.status = "missing"
                session.add(paper)
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

    When arXiv cannot be reached or answers nonsense, what is not yet fetched stays pending
    (nothing typed is lost) and the report says why.
    """
    done: set[str] = set()
    with client(cfg, on_wait) as arxiv:
        total = arxiv.batches_needed(len(ids))
        try:
            for number, batch in enumerate(arxiv.fetch(ids), start=1):
                missing = [a.id for a in batch.missing]
                with interrupts.held():  # a Ctrl-C now waits until the report matches the store
                    _store_batch(cfg, batch.found, missing, report, refreshing)
                    done.update(a.id for a in batch.asked)
                if on_progress is not None:
                    on_progress(number, total)
        except ArxivError as exc:  # unreachable, or an answer rc cannot use
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
    placement: plan.Placement | None = None,
    on_wait: Waiter | None = None,
    on_progress: Progress | None = None,
) -> AddReport:
    """`rc add ID...`: validate, keep each new id as pending, then fetch its metadata."""
    ids = parse_ids(texts)
    check_text("--as", name or "")
    if name is not None and len(ids) > 1:
        raise UsageError("--as names one paper; give one id with it")
    links = {kind: check_url(kind, url) for kind, url in (links or {}).items()}
    placement = placement or plan.Placement()
    report = AddReport()
    new: list[ArxivId] = []
    with write_session(cfg.db_path) as session:
        challenge, report.challenge_created = plan.get_or_create_challenge(session, cfg)
        for aid in dict.fromkeys(ArxivId(a.id, a.version) for a in ids):
            if aid.id in {a.id for a in new}:
                continue
            existing = session.get(Paper, aid.id)
            if existing is not None:
                report.updates[aid.id] = _apply_options(
                    session, existing, name, links, placement, cfg, challenge.per_day
                )
                slot = session.get(PlanSlot, aid.id)
                if slot is not None:
                    report.planned[aid.id] = slot.day
                if existing.status in ("pending", "missing"):
                    new.append(aid)  # asked again: try the fetch again
                else:
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
            session.add_all(Link(paper_id=aid.id, kind=k, url=u) for k, u in links.items())
            report.placed(
                aid.id, *plan.put(session, aid.id, placement, cfg.today(), challenge.per_day)
            )
            new.append(aid)
    if new:
        fetch_and_store(cfg, new, report, on_wait=on_wait, on_progress=on_progress)
    return report


def _apply_options(
    session: Session,
    paper: Paper,
    name: str | None,
    links: dict[str, str],
    placement: plan.Placement,
    cfg: Config,
    per_day: int,
) -> list[str]:
    """Apply what `rc add` was given to a paper already in the store; say what changed."""
    changes = []
    if name is not None and name != paper.name:
        paper.name = name
        session.add(paper)
        changes.append(f"named {name}")
    for kind, url in links.items():
        link = session.get(Link, (paper.id, kind))
        if link is None or link.url != url:
            set_link_row(session, paper.id, kind, url)
            changes.append(f"{kind} link set")
    if placement.on is not None:
        slot = session.get(PlanSlot, paper.id)
        if slot is None or slot.day != placement.on.isoformat():
            moved = plan.place(session, paper.id, placement.on, per_day, force=placement.force)
            changes.append(f"planned on {placement.on.isoformat()}")
            changes += [f"moved {other} to {day.isoformat()}" for other, day in moved]
    return changes


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
