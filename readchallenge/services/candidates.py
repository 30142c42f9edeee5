"""Where `rc suggest` finds candidates: Hugging Face's daily papers of this week and last,
Semantic Scholar's recommendations for what you read, and Semantic Scholar's facts about
each (TLDR, citations, what it cites). What each source offered is kept on this device, so
rc suggests without a network from the last candidates, and says so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from readchallenge.config import Config
from readchallenge.core.dates import monday_of, week_label
from readchallenge.errors import RcError, StoreError
from readchallenge.services import scholar as scholar_service
from readchallenge.store import db, scholar, suggestions

if TYPE_CHECKING:
    from readchallenge.core.rows import CandidateRow, ScholarFacts
    from readchallenge.sources.huggingface import Hit
    from readchallenge.sources.semanticscholar import ScholarPaper, SemanticScholar

NAMES = {"hf": "Hugging Face", "s2": "Semantic Scholar"}
FRESH = timedelta(hours=3)  # candidates this recent are used without asking again
S2_LIMIT = 500  # recommendations asked for: the API's most
MOST_EXAMPLES = 100  # papers you liked (and turned down) sent to Semantic Scholar, newest first
READ_FIRST = "read a few papers first"


@dataclass
class Gathered:
    """The candidates each source offered (fresh or kept), and a line for each problem."""

    rows: dict[str, list[CandidateRow]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def when(at: str) -> str:
    """A kept moment as local time, for people."""
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


def _hf_rows(cfg: Config) -> list[CandidateRow]:
    from readchallenge.services import clients

    this = monday_of(cfg.today())
    hits: dict[str, Hit] = {}
    with clients.huggingface(cfg) as hf:
        for monday in (this, this - timedelta(days=7)):
            for hit in hf.daily({"week": week_label(monday)}):
                hits.setdefault(hit.arxiv_id, hit)
    return [
        {
            "arxiv_id": h.arxiv_id,
            "title": h.title,
            "abstract": h.abstract,
            "authors": h.authors,
            "published": h.published or None,
            "upvotes": h.upvotes,
            "github_repo": h.github_repo,
        }  # fmt: skip
        for h in sorted(hits.values(), key=lambda h: -h.upvotes)
        if h.title
    ]


def _s2_rows(
    s2: SemanticScholar, positives: Sequence[str], negatives: Sequence[str]
) -> list[CandidateRow]:
    papers = s2.recommend(positives[:MOST_EXAMPLES], negatives[:MOST_EXAMPLES], S2_LIMIT)
    return [
        {
            "arxiv_id": p.arxiv_id,
            "title": p.title,
            "abstract": p.abstract,
            "authors": [],
            "published": p.published or None,
            "upvotes": None,
            "github_repo": None,
        }  # fmt: skip
        for p in papers
        if p.title
    ]


def gather(
    cfg: Config,
    sources: Sequence[str],
    positives: Sequence[str],
    negatives: Sequence[str],
    refresh: bool,
) -> Gathered:
    """Ask each source in `sources` whose kept candidates are stale (or all, `refresh`);
    a source that fails leaves its kept candidates, or none, and one line saying so."""
    with db.opened(cfg.db_path) as conn:
        kept = {s: suggestions.candidates(conn, s) for s in sources}
        at = {s: suggestions.fetched_at(conn, s) for s in sources}
    now = cfg.utc_now()
    stale = [s for s in sources if refresh or at[s] is None or _age(at[s], now) >= FRESH]
    fresh: dict[str, list[CandidateRow]] = {}
    failed: dict[str, str] = {}
    s2 = _Client(cfg)
    try:
        if "hf" in stale:
            try:
                fresh["hf"] = _hf_rows(cfg)
            except RcError as exc:
                failed["hf"] = exc.message
        if "s2" in stale:
            failed.update(_ask_s2(s2, positives, negatives, fresh))
        rows = {s: fresh.get(s, kept[s]) for s in sources}
        facts: dict[str, ScholarPaper | None] = {}
        problem = None
        if "s2" in sources and failed.get("s2", READ_FIRST) == READ_FIRST:
            facts, problem = _facts(cfg, s2, rows)
    finally:
        s2.close()
    _keep(cfg, fresh, facts)
    gathered = Gathered(rows, _warnings(sources, failed, kept, at))
    if problem:
        gathered.warnings.append(f"Semantic Scholar: {problem}; no TLDRs or references this time")
    return gathered


class _Client:
    """One Semantic Scholar client for the command, made only when a request is due (a
    suggestion from kept candidates loads no HTTP client at all)."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.made: SemanticScholar | None = None

    def __call__(self) -> SemanticScholar:
        if self.made is None:
            self.made = scholar_service.client(self.cfg)
        return self.made

    def close(self) -> None:
        if self.made is not None:
            self.made.__exit__()


def _age(at: str | None, now: datetime) -> timedelta:
    try:
        return now - datetime.fromisoformat(at or "")
    except (TypeError, ValueError):
        return FRESH


def _ask_s2(
    s2: _Client,
    positives: Sequence[str],
    negatives: Sequence[str],
    fresh: dict[str, list[CandidateRow]],
) -> dict[str, str]:
    if not positives:
        return {"s2": READ_FIRST}
    from readchallenge.sources.semanticscholar import NoPositives

    try:
        fresh["s2"] = _s2_rows(s2(), positives, negatives)
    except NoPositives:
        return {"s2": READ_FIRST}
    except RcError as exc:
        return {"s2": exc.message}
    return {}


def _facts(
    cfg: Config, s2: _Client, rows: dict[str, list[CandidateRow]]
) -> tuple[dict[str, ScholarPaper | None], str | None]:
    """Semantic Scholar's facts (TLDR, citations, what it cites) for the candidates it has
    not been asked about: one batch request per 500; and the problem, if one stopped it."""
    ids = list(dict.fromkeys(r["arxiv_id"] for source in rows.values() for r in source))
    with db.opened(cfg.db_path) as conn:
        known = scholar.facts(conn, ids)
    asking = [i for i in ids if not _answered(cfg, known.get(i))]
    found: dict[str, ScholarPaper | None] = {}
    if not asking:
        return found, None
    try:
        for batch in s2().batch(asking, references=True):
            found.update(batch)
    except RcError as exc:
        return found, exc.message
    return found, None


def _answered(cfg: Config, kept: ScholarFacts | None) -> bool:
    """Whether what a candidate cites is kept, or Semantic Scholar lately said it does not
    know the paper: either way, it is not asked again."""
    return bool(kept and kept["refs_status"]) or scholar_service.remembered_missing(cfg, kept)


def _keep(
    cfg: Config, fresh: dict[str, list[CandidateRow]], facts: dict[str, ScholarPaper | None]
) -> None:
    if not fresh and not facts:
        return
    at = scholar_service.stamp(cfg)
    try:
        with db.writing(cfg.db_path, cfg.command) as conn:
            for source, rows in fresh.items():
                suggestions.save_candidates(conn, source, rows, at)
            for arxiv_id, paper in facts.items():
                if paper is None:
                    scholar.save_not_found(conn, arxiv_id, at)
                else:
                    scholar.save_found(
                        conn, arxiv_id, paper.s2_id, paper.tldr, paper.citations, paper.cites, at
                    )
            if fresh:
                scholar.forget_unused(conn)
    except StoreError:
        pass  # a store rc cannot write: suggestions still come, nothing is kept for later


def _warnings(
    sources: Sequence[str],
    failed: dict[str, str],
    kept: dict[str, list[CandidateRow]],
    at: dict[str, str | None],
) -> list[str]:
    """One line for what failed, and what rc used instead: a source's kept candidates, or
    the other source; when every source failed, the kept candidates (or an error)."""
    if not failed:
        return []
    said = "; ".join(f"{NAMES[s]}: {failed[s]}" for s in sources if s in failed)
    if len(failed) == len(sources):
        used = [when(at[s] or "") for s in sources if kept[s]]
        if not used:
            if set(failed.values()) == {READ_FIRST}:
                return [said]
            raise RcError(said)
        return [f"{said}; suggesting from the candidates of {max(used)}"]
    lines = []
    for source, reason in failed.items():
        if kept[source] and reason != READ_FIRST:
            lines.append(
                f"{NAMES[source]}: {reason}; using its candidates of {when(at[source] or '')}"
            )
        else:
            other = NAMES[next(s for s in sources if s != source)]
            lines.append(f"{NAMES[source]}: {reason}; suggesting from {other} only")
    return lines
