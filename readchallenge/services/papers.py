"""Bringing papers in from arXiv: add, pending ids and sync, refresh, search."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from readchallenge import interrupts
from readchallenge.config import Config
from readchallenge.core.ids import ArxivId, InvalidId, parse_arxiv_id
from readchallenge.core.text import plural
from readchallenge.errors import ArxivError, UsageError
from readchallenge.services import clients, links, plan
from readchallenge.services.items import (
    check_text,
    check_url,
    name_in_references,
    rename_references,
)
from readchallenge.services.report import AddReport
from readchallenge.sources.arxiv import ArxivPaper, Waiter
from readchallenge.store import db, queries, writes

if TYPE_CHECKING:
    from readchallenge.core.schema import PaperFields, PaperRow

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


def _stamp(cfg: Config) -> str:
    return str(cfg.utc_now().isoformat(timespec="seconds"))


def _changes(old: PaperRow, meta: ArxivPaper) -> list[str]:
    """What a refresh found that a reader cares about."""
    changes = []
    if old["version"] and meta.version and meta.version != old["version"]:
        changes.append(f"new version v{old['version']} -> v{meta.version}")
    for label, before, after in (
        ("DOI", old["doi"], meta.doi),
        ("journal ref", old["journal_ref"], meta.journal_ref),
        ("title", old["title"], meta.title),
    ):
        if (before or None) != (after or None):
            changes.append(f"{label}: {before or '-'} -> {after or '-'}")
    return changes


def _metadata(meta: ArxivPaper, cfg: Config) -> PaperFields:
    return {
        "status": "ok",
        "title": meta.title,
        "authors": meta.authors,
        "abstract": meta.abstract,
        "version": meta.version,
        "primary_category": meta.primary_category,
        "categories": meta.categories,
        "published": meta.published,
        "updated": meta.updated,
        "comment": meta.comment,
        "journal_ref": meta.journal_ref,
        "doi": meta.doi,
        "abs_url": meta.abs_url,
        "pdf_url": meta.pdf_url,
        "fetched_at": _stamp(cfg),
    }


def _store_batch(
    cfg: Config,
    conn: sqlite3.Connection,
    found: dict[str, ArxivPaper],
    missing: list[str],
    report: AddReport,
    refreshing: bool,
) -> None:
    with db.transaction(conn, cfg.command):
        for paper_id, meta in found.items():
            old = queries.paper_row(conn, paper_id)
            if old is None:  # removed by another rc meanwhile
                continue
            changes = _changes(old, meta) if old["status"] == "ok" else []
            writes.update_paper(conn, paper_id, _metadata(meta, cfg))
            if "paper" not in queries.links_of(conn, paper_id):
                # The abstract page without a version always shows the latest one; a
                # version is pinned by setting the link (rc link PAPER paper URL).
                writes.set_link(conn, paper_id, "paper", meta.abs_url, source="arxiv")
            asked = old["requested_version"]
            if not refreshing and asked and meta.version and asked > meta.version:
                report.missing_versions[paper_id] = (asked, meta.version)
            if refreshing:
                report.changes[paper_id] = changes
            else:
                report.stored.append(paper_id)
        for paper_id in missing:
            # Never delete: the paper may carry a name, links, a day, readings and notes.
            # arXiv leaving an id out of one answer is no reason to lose them.
            old = queries.paper_row(conn, paper_id)
            if old is not None and old["status"] == "pending":
                writes.update_paper(conn, paper_id, {"status": "missing"})
            report.not_found.append(paper_id)


def fetch_and_store(
    cfg: Config,
    ids: Sequence[ArxivId],
    report: AddReport,
    *,
    refreshing: bool = False,
    on_wait: Waiter | None = None,
    on_progress: Progress | None = None,
    after_batch: Callable[[list[str]], None] | None = None,
) -> AddReport:
    """Fetch `ids` batch by batch, storing each batch in its own transaction; `after_batch`
    gets the ids each batch stored (the link lookups start while arXiv is still asked).

    When arXiv cannot be reached or answers nonsense, what is not yet fetched stays pending
    (nothing typed is lost) and the report says why.
    """
    done: set[str] = set()
    with clients.arxiv(cfg, on_wait) as arxiv, db.opened(cfg.db_path) as conn:
        total = arxiv.batches_needed(len(ids))
        try:
            for number, batch in enumerate(arxiv.fetch(ids), start=1):
                missing = [a.id for a in batch.missing]
                with interrupts.held():  # a Ctrl-C now waits until the report matches the store
                    _store_batch(cfg, conn, batch.found, missing, report, refreshing)
                    done.update(a.id for a in batch.asked)
                if after_batch is not None and batch.found:
                    after_batch(list(batch.found))
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
    find_links: bool = True,
    on_wait: Waiter | None = None,
    on_progress: Progress | None = None,
) -> AddReport:
    """`rc add ID...`: validate, keep each new id as pending, fetch its metadata, then look
    up its links on Hugging Face (unless `find_links` is off)."""
    ids = parse_ids(texts)
    check_text("--as", name or "")
    if name is not None and len(ids) > 1:
        raise UsageError("--as names one paper; give one id with it")
    links = {kind: check_url(kind, url) for kind, url in (links or {}).items()}
    placement = placement or plan.Placement()
    report = AddReport()
    new: list[ArxivId] = []
    with db.writing(cfg.db_path, cfg.command) as conn:
        per_day, report.challenge_created = plan.per_day_or_create(conn, cfg)
        for aid in dict.fromkeys(ArxivId(a.id, a.version) for a in ids):
            if aid.id in {a.id for a in new}:
                continue
            existing = queries.paper_row(conn, aid.id)
            if existing is not None:
                report.updates[aid.id] = _apply_options(
                    conn, aid.id, name, links, placement, per_day, _stamp(cfg)
                )
                day = writes.planned_day(conn, aid.id)
                if day is not None:
                    report.planned[aid.id] = day
                if existing["status"] in ("pending", "missing"):
                    new.append(aid)  # asked again: try the fetch again
                else:
                    report.already.append(aid.id)
                continue
            writes.insert_paper(
                conn,
                aid.id,
                {
                    "status": "pending",
                    "requested_version": aid.version,
                    "name": name,
                    "added_at": _stamp(cfg),
                },
            )
            for kind, url in links.items():
                writes.set_link(conn, aid.id, kind, url)
            report.placed(aid.id, *plan.put(conn, aid.id, placement, cfg.today(), per_day))
            new.append(aid)
    if new:
        _fetch_with_links(cfg, new, report, find_links, on_wait, on_progress)
    return report


def _fetch_with_links(
    cfg: Config,
    ids: Sequence[ArxivId],
    report: AddReport,
    find_links: bool,
    on_wait: Waiter | None,
    on_progress: Progress | None,
) -> None:
    if not (find_links and cfg.links_lookup):
        with _references(cfg, report) as refs:
            fetch_and_store(
                cfg, ids, report, on_wait=on_wait, on_progress=on_progress, after_batch=refs
            )
        return
    submitted: set[str] = set()
    with links.Background(cfg, report) as lookups, _references(cfg, report) as refs:

        def after_batch(stored: list[str]) -> None:
            submitted.update(stored)
            lookups.submit(stored)
            if refs is not None:
                refs(stored)

        fetch_and_store(
            cfg, ids, report, on_wait=on_wait, on_progress=on_progress, after_batch=after_batch
        )
        # What earlier commands left queued; a lookup of this command that failed is queued
        # too by now (or not yet: the lookups run beside), and waits for `rc fetch` either way.
        lookups.submit([i for i in links.queued(cfg) if i not in submitted])


@contextmanager
def _references(cfg: Config, report: AddReport) -> Iterator[Callable[[list[str]], None] | None]:
    """What the stored papers build on, asked of Semantic Scholar in the background (unless
    the setting `refs_lookup` is off): the function that takes each stored batch."""
    if not cfg.values["refs_lookup"]:
        yield None
        return
    from readchallenge.services import scholar

    with scholar.Background(cfg, report) as lookups:
        yield lookups.submit


def _apply_options(
    conn: sqlite3.Connection,
    paper_id: str,
    name: str | None,
    links: dict[str, str],
    placement: plan.Placement,
    per_day: int,
    stamp: str,
) -> list[str]:
    """Apply what `rc add` was given to a paper already in the store; say what changed."""
    changes = []
    old = queries.paper_row(conn, paper_id)
    assert old is not None
    if name is not None and name != old["name"]:
        named = name_in_references(conn, paper_id, old["name"])
        writes.update_paper(conn, paper_id, {"name": name})
        changes.append(f"named {name}")
        if named is not None:
            count, target = rename_references(conn, paper_id, named, stamp)
            if count:
                changes.append(f"rewrote {plural(count, 'reference')} to [[{target}]]")
    current = queries.links_of(conn, paper_id)
    for kind, url in links.items():
        if current.get(kind) != url:
            writes.set_link(conn, paper_id, kind, url)
            changes.append(f"{kind} link set")
    if placement.on is not None and writes.planned_day(conn, paper_id) != placement.on.isoformat():
        moved = writes.place(conn, paper_id, placement.on, per_day, force=placement.force)
        changes.append(f"planned on {placement.on.isoformat()}")
        changes += [f"moved {other} to {day.isoformat()}" for other, day in moved]
    return changes


def pending_ids(cfg: Config) -> list[ArxivId]:
    with db.opened(cfg.db_path) as conn:
        return [ArxivId(paper_id) for paper_id in queries.pending_ids(conn)]


def fetch_pending(
    cfg: Config, on_wait: Waiter | None = None, on_progress: Progress | None = None
) -> AddReport:
    """`rc fetch`: fetch every pending id."""
    report = AddReport()
    _fetch_with_links(cfg, pending_ids(cfg), report, True, on_wait, on_progress)
    if report.stored:  # where each one is: a day, or the backlog
        with db.opened(cfg.db_path) as conn:
            for paper_id in report.stored:
                day = writes.planned_day(conn, paper_id)
                if day is not None:
                    report.planned[paper_id] = day
    return report


def refresh(
    cfg: Config,
    texts: Sequence[str],
    on_wait: Waiter | None = None,
    on_progress: Progress | None = None,
    only_links: bool = False,
) -> AddReport:
    """`rc refresh [ID...]`: fetch stored arXiv papers again and report what changed; with
    `only_links`, look their links up on Hugging Face again instead."""
    with db.opened(cfg.db_path) as conn:
        ids = (
            [queries.require_paper_id(conn, text) for text in texts]
            if texts
            else queries.fetched_arxiv_ids(conn)
        )
        sources = {paper_id: queries.paper_source(conn, paper_id) for paper_id in ids}
    not_arxiv = [i for i in ids if sources.get(i) != "arxiv"]
    if not_arxiv:
        raise UsageError(f"not an arXiv paper: {not_arxiv[0]}")
    report = AddReport()
    if only_links:
        links.look_up(cfg, ids, report)
        return report
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
