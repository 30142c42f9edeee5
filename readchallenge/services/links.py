"""Links found for you: each arXiv paper's code, model and project page from Hugging Face."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from readchallenge.config import Config
from readchallenge.core.links import found_links
from readchallenge.results.links import Candidates
from readchallenge.services import clients
from readchallenge.services.background import Lookups
from readchallenge.services.report import AddReport
from readchallenge.store import db, queries, writes

if TYPE_CHECKING:
    from readchallenge.core.schema import HFPageRow
    from readchallenge.sources.huggingface import HuggingFace


def look_up(
    cfg: Config, ids: Sequence[str], report: AddReport, hf: HuggingFace | None = None
) -> None:
    """Ask Hugging Face about `ids` (as many at once as its limit allows) and fill the links
    they lack; `hf` is a client to reuse, whose allowance spans all its lookups.

    A link you set is never replaced; a failed lookup is queued for the next `rc fetch` and
    never fails the command that asked.
    """
    if not ids:
        return
    from readchallenge.sources.huggingface import HuggingFaceUnavailable

    if hf is None:
        with clients.huggingface(cfg) as own:
            pages = own.papers(list(ids))
    else:
        pages = hf.papers(list(ids))
    stamp = cfg.utc_now().isoformat(timespec="seconds")
    with db.writing(cfg.db_path, cfg.command) as conn:
        for paper_id, page in pages.items():
            if queries.paper_source(conn, paper_id) is None:
                continue  # removed meanwhile
            if isinstance(page, HuggingFaceUnavailable):
                writes.queue_hf_lookup(conn, paper_id, page.message, stamp)
                report.links_queued.append(paper_id)
                report.links_problem = page.message
                continue
            if page.ignored:
                report.links_ignored[paper_id] = list(page.ignored)
            writes.save_hf_page(conn, page, stamp)
            found = found_links(page)
            report.links_found[paper_id] = {
                kind: url
                for kind, url in found.items()
                if writes.fill_link(conn, paper_id, kind, url, "huggingface")
            }
            if not page.indexed:
                report.links_not_indexed.append(paper_id)


class Background(Lookups):
    """Link lookups beside the arXiv fetch; one Hugging Face client serves every batch, so
    its allowance counts all their requests."""

    thread_name = "rc-links"

    def __init__(self, cfg: Config, report: AddReport) -> None:
        super().__init__()
        self.cfg, self.report = cfg, report
        self.hf = clients.huggingface(cfg)

    def batch(self, ids: list[str]) -> None:
        look_up(self.cfg, ids, self.report, self.hf)

    def close(self) -> None:
        self.hf.close()


def queued(cfg: Config) -> list[str]:
    with db.opened(cfg.db_path) as conn:
        return queries.queued_hf_lookups(conn)


def candidates(cfg: Config, text: str, refresh: bool) -> Candidates:
    """`rc links PAPER`: everything Hugging Face offers for the paper, to choose from."""
    with db.opened(cfg.db_path) as conn:
        paper_id = queries.require_paper_id(conn, text)
        source = queries.paper_source(conn, paper_id)
        page = queries.hf_page(conn, paper_id)
        if source != "arxiv" or not (refresh or page is None or page["status"] == "queued"):
            return _candidates(conn, paper_id, page)
    look_up(cfg, [paper_id], AddReport())  # on the network: no connection held meanwhile
    with db.opened(cfg.db_path) as conn:
        return _candidates(conn, paper_id, queries.hf_page(conn, paper_id))


def _candidates(conn: sqlite3.Connection, paper_id: str, page: HFPageRow | None) -> Candidates:
    return {
        "id": paper_id,
        "links": queries.links_of(conn, paper_id),
        "link_sources": queries.link_sources(conn, paper_id),
        "huggingface": page,
    }
