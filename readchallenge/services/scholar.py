"""What each paper builds on (Semantic Scholar's references, matched to the store), its TLDR
and citation count; and your word on papers (`rc like`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from readchallenge.config import Config
from readchallenge.core.ids import InvalidId, parse_arxiv_id
from readchallenge.core.text import display_name
from readchallenge.services.background import Lookups
from readchallenge.services.report import AddReport
from readchallenge.store import db, queries, scholar, suggestions

if TYPE_CHECKING:
    from readchallenge.core.rows import ScholarFacts
    from readchallenge.sources.semanticscholar import ScholarPaper, SemanticScholar

NOT_FOUND_DAYS = 7  # a paper Semantic Scholar had not indexed is asked again after a week


def client(cfg: Config) -> SemanticScholar:
    from readchallenge.sources.semanticscholar import SemanticScholar

    return SemanticScholar(
        str(cfg.values["s2_api_url"]),
        key=os.environ.get("S2_API_KEY") or None,
        deadline=float(cfg.values["s2_timeout"]),
        min_interval=float(cfg.values["s2_min_interval"]),
        retries=cfg.arxiv_retries,
    )


def stamp(cfg: Config) -> str:
    return str(cfg.utc_now().isoformat(timespec="seconds"))


def remembered_missing(cfg: Config, row: ScholarFacts | None) -> bool:
    """Whether Semantic Scholar said it does not know the paper, recently enough to believe."""
    if row is None or row["status"] != "not_found":
        return False
    try:
        asked = datetime.fromisoformat(row["looked_up_at"])
    except (TypeError, ValueError):
        return False
    return cfg.utc_now() - asked < timedelta(days=NOT_FOUND_DAYS)


def look_up(
    cfg: Config,
    ids: Sequence[str],
    report: AddReport,
    *,
    again: bool = False,
    s2: SemanticScholar | None = None,
) -> None:
    """Ask Semantic Scholar what `ids` (stored arXiv papers) cite, with their TLDR and
    citation count: a batch request per 500, a page at a time for a paper the batch did not
    list in full. A 404 is remembered (asked again after a week, or when `again`); a
    failure never fails the command that asked, and what was found so far is kept."""
    with db.opened(cfg.db_path) as conn:
        known = scholar.facts(conn, list(ids))
    asking = [i for i in ids if again or not remembered_missing(cfg, known.get(i))]
    report.refs_not_indexed += [i for i in ids if i not in asking]
    if not asking:
        return
    from readchallenge.sources.semanticscholar import ScholarUnavailable

    found: dict[str, ScholarPaper | None] = {}
    own = s2 is None
    asker = client(cfg) if s2 is None else s2
    try:
        for batch in asker.batch(asking, references=True):
            found.update(batch)
        for paper_id, paper in found.items():
            if paper is not None and (paper.cites is None or not paper.complete):
                cites = asker.references(paper_id)  # page by page, as far as it goes
                found[paper_id] = paper if cites is None else _with(paper, cites)
    except ScholarUnavailable as exc:
        report.refs_problem = exc.message
    finally:
        if own:
            asker.__exit__()
    _keep(cfg, found, report)


def _with(paper: ScholarPaper, cites: tuple[str, ...]) -> ScholarPaper:
    from dataclasses import replace

    return replace(paper, cites=cites, complete=True)


def _keep(cfg: Config, found: dict[str, ScholarPaper | None], report: AddReport) -> None:
    if not found:
        return
    at = stamp(cfg)
    with db.writing(cfg.db_path, cfg.command) as conn:
        for paper_id, paper in found.items():
            if paper is None:
                scholar.save_not_found(conn, paper_id, at)
                report.refs_not_indexed.append(paper_id)
                continue
            scholar.save_found(
                conn, paper_id, paper.s2_id, paper.tldr, paper.citations, paper.cites, at
            )
            if queries.paper_source(conn, paper_id) is not None:
                report.refs_found[paper_id] = [
                    display_name(p) for p in scholar.builds_on(conn, paper_id)
                ]


class Background(Lookups):
    """Lookups of what papers build on, beside the arXiv fetch; one client for all (one rate
    limit, one deadline), made when the first batch needs it."""

    thread_name = "rc-refs"

    def __init__(self, cfg: Config, report: AddReport) -> None:
        super().__init__()
        self.cfg, self.report = cfg, report
        self.s2: SemanticScholar | None = None

    def batch(self, ids: list[str]) -> None:
        if self.s2 is None:
            self.s2 = client(self.cfg)
        look_up(self.cfg, ids, self.report, s2=self.s2)

    def close(self) -> None:
        if self.s2 is not None:
            self.s2.__exit__()


def refresh(cfg: Config, texts: Sequence[str]) -> AddReport:
    """`rc refresh --refs [PAPER...]`: ask again what stored arXiv papers build on (all of
    them without PAPER; a paper not indexed a few days ago waits its week unless named)."""
    with db.opened(cfg.db_path) as conn:
        named = [queries.require_paper_id(conn, t) for t in texts] if texts else None
        ids = scholar.arxiv_papers(conn, named)
    if named:
        not_arxiv = [i for i in named if i not in ids]
        if not_arxiv:
            from readchallenge.errors import UsageError

            raise UsageError(f"not an arXiv paper: {not_arxiv[0]}")
    report = AddReport()
    look_up(cfg, ids, report, again=bool(named))
    return report


def like(cfg: Config, text: str, liked: bool) -> tuple[str, str, bool]:
    """`rc like PAPER [--not]`: a stored paper (by id or name) or any arXiv id; the paper's
    id, its name, and whether anything changed."""
    with db.writing(cfg.db_path, cfg.command) as conn:
        paper_id = queries.resolve_paper_id(conn, text)
        if paper_id is None:
            try:
                paper_id = parse_arxiv_id(text).id
            except InvalidId:
                paper_id = queries.require_paper_id(conn, text)  # says what is stored
        paper = queries.paper_row(conn, paper_id)
        name = display_name(paper) if paper else _candidate_title(conn, paper_id) or paper_id
        changed = suggestions.set_like(conn, paper_id, liked, stamp(cfg))
    return paper_id, name, changed


def _candidate_title(conn: Any, paper_id: str) -> str | None:
    for source in ("hf", "s2"):
        for row in suggestions.candidates(conn, source):
            if row["arxiv_id"] == paper_id:
                return str(row["title"])
    return None
