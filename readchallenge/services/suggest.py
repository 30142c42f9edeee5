"""`rc suggest`: papers you have not stored, ranked by a model of what you read and why
(docs/discover.md). Candidates come from services/candidates.py; the model and the ranking
are core/taste.py and core/ranking.py; this joins them to the store."""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from readchallenge.config import Config
from readchallenge.core import ranking, taste
from readchallenge.core.text import clip, display_name
from readchallenge.errors import UsageError
from readchallenge.results.suggest import Explanation, SuggestionRow, Suggestions
from readchallenge.services import candidates as gathering
from readchallenge.store import db, scholar, suggestions

if TYPE_CHECKING:
    from readchallenge.core.rows import CandidateRow, Offered

NAME_WIDTH = 40  # a paper named in a reason: its name, or its title cut to this


@dataclass
class History:
    """Your word on papers, from what you did: each paper's text, name and side."""

    texts: dict[str, str] = field(default_factory=dict)
    known: dict[str, ranking.Known] = field(default_factory=dict)
    excluded: set[str] = field(default_factory=set)  # stored, removed, liked or turned down
    said: dict[str, bool] = field(default_factory=dict)  # rc like, newest first

    def ids(self, liked: bool, arxiv_only: bool = True) -> list[str]:
        """The papers on one side, your word first, then newest first."""
        ordered = dict.fromkeys([*self.said, *self.known])
        return [
            k for k in ordered
            if self.known[k].liked == liked and (not arxiv_only or _is_arxiv(k))
        ]  # fmt: skip


def _is_arxiv(paper_id: str) -> bool:
    from readchallenge.core.ids import InvalidId, parse_arxiv_id

    try:
        return parse_arxiv_id(paper_id).id == paper_id
    except InvalidId:
        return False


def text_of(row: Mapping[str, object]) -> str:
    """What the model reads of a paper: its title twice (titles are dense), its abstract
    and, for papers you read, your description and takeaways."""
    parts = [row.get("title"), row.get("title"), row.get("abstract")]
    parts += [row.get("description"), row.get("takeaways")]
    return "\n".join(str(p) for p in parts if p)


def short_name(row: Mapping[str, object]) -> str:
    """A paper as a reason names it: its name, else the short name its title starts with
    ("LoRA: Low-Rank Adaptation…" is LoRA), else its title cut short."""
    if row.get("name") or not row.get("title"):
        return clip(display_name(row), NAME_WIDTH)
    title = str(row["title"])
    head, colon, _ = title.partition(": ")
    return head if colon and 0 < len(head) <= 24 else clip(title, NAME_WIDTH)


def history(conn: Any) -> History:
    """Positives: papers read and `rc like`; negatives: papers skipped (planned on a day you
    skipped, never read), removed, and `rc like --not`. Your word wins over what you did."""
    found = History()
    said = found.said = suggestions.likes(conn)
    for row in suggestions.read_papers(conn):
        found.texts[row["id"]] = text_of(row)
        found.known[row["id"]] = ranking.Known(
            row["id"], short_name(row), said.get(row["id"], True)
        )
    for seen in suggestions.skipped_papers(conn) + suggestions.removed_papers(conn):
        if seen["id"] not in found.known:
            found.texts[seen["id"]] = text_of(seen)
            found.known[seen["id"]] = ranking.Known(
                seen["id"], short_name(seen), said.get(seen["id"], False)
            )
    words = suggestions.stored_papers(conn, [k for k in said if k not in found.known])
    kept = {r["arxiv_id"]: r for s in ("hf", "s2") for r in suggestions.candidates(conn, s)}
    for paper_id, liked in said.items():
        words_of: Mapping[str, object] = (
            words.get(paper_id) or kept.get(paper_id) or {"id": paper_id}
        )
        found.texts.setdefault(paper_id, text_of(words_of))
        if paper_id not in found.known:
            found.known[paper_id] = ranking.Known(
                paper_id, short_name({**words_of, "id": paper_id}), liked
            )
    found.excluded = suggestions.stored_ids(conn) | set(found.known)
    return found


def _sources(cfg: Config, source: str | None) -> tuple[str, ...]:
    chosen = source or str(cfg.values["suggest_sources"])  # both checked against the choices
    return ("hf", "s2") if chosen == "all" else (chosen,)


def suggest(
    cfg: Config,
    source: str | None = None,
    limit: int = 20,
    explain: int | None = None,
    refresh: bool = False,
) -> Suggestions:
    """`rc suggest`: the best `limit` candidates, numbered, with their reasons."""
    sources = _sources(cfg, source)
    with db.opened(cfg.db_path) as conn:
        past = history(conn)
    gathered = gathering.gather(cfg, sources, past.ids(liked=True), past.ids(liked=False), refresh)
    offered = _merged(gathered.rows, past.excluded)
    with db.opened(cfg.db_path) as conn:
        hints = scholar.hints(conn, list(offered))
        cites = scholar.cites(conn, list(offered))
        model = Model(conn, past, offered)
        near, far = model.neighbours(explain is None)
    found = Suggestions(warnings=gathered.warnings, history=len(past.ids(True, False)))
    cands = [_candidate(row, hints.get(pid)) for pid, row in offered.items()]
    ranked = ranking.rank(cands, near, far, cites, past.known, cfg.today())[:limit]
    found.rows = [_row(number, r, past.known) for number, r in enumerate(ranked, start=1)]
    if explain is not None:
        if not 1 <= explain <= len(ranked):
            raise UsageError(f"there is no suggestion {explain} (1 to {len(ranked)})")
        found.explained = _explain(explain, ranked[explain - 1], model, past.known)
    return found


def _merged(rows: Mapping[str, list[CandidateRow]], excluded: set[str]) -> dict[str, Offered]:
    """The candidates of every source by arXiv id (Hugging Face's facts first), without
    what you stored or gave your word on; each with its sources and Semantic Scholar's rank."""
    merged: dict[str, Offered] = {}
    for source in ("hf", "s2"):
        listed = rows.get(source, [])
        for rank, row in enumerate(listed):
            if row["arxiv_id"] in excluded:
                continue
            entry = merged.get(row["arxiv_id"])
            if entry is None:
                entry = merged[row["arxiv_id"]] = {**row, "sources": [], "recommended": 0.0}
            else:
                _fill(entry, row)
            entry["sources"].append(source)
            if source == "s2":
                entry["recommended"] = 1.0 - rank / len(listed)
    return merged


def _fill(entry: Offered, row: CandidateRow) -> None:
    """What the sources before left empty of a paper, from another that offered it."""
    entry["title"] = entry["title"] or row["title"]
    entry["abstract"] = entry["abstract"] or row["abstract"]
    entry["authors"] = entry["authors"] or row["authors"]
    entry["published"] = entry["published"] or row["published"]
    entry["upvotes"] = entry["upvotes"] or row["upvotes"]
    entry["github_repo"] = entry["github_repo"] or row["github_repo"]


def _candidate(row: Offered, hint: tuple[str | None, int | None] | None) -> ranking.Candidate:
    return ranking.Candidate(
        id=row["arxiv_id"],
        title=row["title"],
        abstract=row["abstract"] or "",
        authors=tuple(row["authors"] or ()),
        published=row["published"] or "",
        upvotes=row["upvotes"],
        repo=row["github_repo"],
        sources=tuple(row["sources"]),
        recommended=row["recommended"],
        tldr=hint[0] if hint else None,
        citations=hint[1] if hint else None,
    )


class Model:
    """The taste model over your history and the candidates, as cheap as what changed
    allows: each paper's counted words are kept until its text changes (a paper read
    since, a note written); each candidate's nearest papers are kept with the signature of
    every text, and reused while it holds (the next `rc suggest` within three hours)."""

    def __init__(self, conn: Any, past: History, offered: Mapping[str, Offered]) -> None:
        self.conn, self.past, self.offered = conn, past, offered
        self.texts = dict(past.texts)
        self.texts.update((pid, text_of(row)) for pid, row in offered.items())
        self.crcs = {
            doc: zlib.crc32(f"{taste.VERSION}\n{text}".encode("utf-8", "replace"))
            for doc, text in self.texts.items()
        }
        sides = "".join(
            f"{doc}\t{crc}\t{self._side(doc)}\n" for doc, crc in sorted(self.crcs.items())
        )
        self.signature = zlib.crc32(sides.encode("utf-8", "replace"))
        self.vectors: dict[str, taste.Vector] = {}
        self.liked = self.disliked = taste.Index({})

    def _side(self, doc: str) -> str:
        known = self.past.known.get(doc)
        return "candidate" if known is None else ("liked" if known.liked else "not")

    def neighbours(self, reuse: bool) -> tuple[ranking.Neighbours, ranking.Neighbours]:
        kept = suggestions.taste_model(self.conn, "neighbours") if reuse else None
        if kept is not None and kept[0] == self.signature:
            try:
                value = json.loads(kept[1])
                return _pairs(value["near"]), _pairs(value["far"])
            except (ValueError, KeyError, TypeError):
                pass  # made by another rc, or damaged: made again
        self.build()
        near, far = ranking.neighbours(
            {pid: self.vectors[pid] for pid in self.offered}, self.liked, self.disliked
        )
        value = json.dumps({"near": near, "far": far}, separators=(",", ":"))
        suggestions.remember_taste_model(self.conn, "neighbours", self.signature, value)
        return near, far

    def build(self) -> None:
        """Count (or take the kept counts of) every paper's words; weigh; index."""
        kept = suggestions.taste_terms(self.conn)
        counts: dict[str, taste.Terms] = {}
        new: list[tuple[str, int, str]] = []
        for doc, text in self.texts.items():
            crc, cached = self.crcs[doc], kept.get(doc)
            if cached is not None and cached[0] == crc:
                counts[doc] = json.loads(cached[1])
            else:
                counts[doc] = taste.terms(text)
                new.append((doc, crc, json.dumps(counts[doc], ensure_ascii=False)))
        if new:
            suggestions.remember_taste_terms(self.conn, new)  # or counted again next time
        idf = taste.idf_of(counts.values())
        self.vectors = {doc: taste.vector(c, idf) for doc, c in counts.items()}
        sides = self.past.known
        self.liked = taste.Index(
            {d: v for d, v in self.vectors.items() if d in sides and sides[d].liked}
        )
        self.disliked = taste.Index(
            {d: v for d, v in self.vectors.items() if d in sides and not sides[d].liked}
        )


def _pairs(value: Mapping[str, Any]) -> ranking.Neighbours:
    return {cid: [(str(doc), float(sim)) for doc, sim in pairs] for cid, pairs in value.items()}


def _row(number: int, r: ranking.Ranked, known: Mapping[str, ranking.Known]) -> SuggestionRow:
    c = r.candidate
    return {
        "number": number,
        "id": c.id,
        "title": c.title,
        "authors": list(c.authors),
        "date": c.published,
        "score": r.score,
        "parts": r.parts,
        "reasons": r.reasons,
        "like": [known[k].name for k, _ in r.like if k in known],
        "builds_on": [known[k].name for k in r.builds_on],
        "upvotes": c.upvotes,
        "repo": c.repo,
        "sources": list(c.sources),
        "tldr": c.tldr,
        "citations": c.citations,
    }


def _explain(
    number: int, r: ranking.Ranked, model: Model, known: Mapping[str, ranking.Known]
) -> Explanation:
    v = model.vectors.get(r.candidate.id, {})
    nearest = model.liked.nearest(v, ranking.NEIGHBOURS)
    near = [model.liked.vectors[k] for k, _ in nearest]
    return {
        "number": number,
        "id": r.candidate.id,
        "title": r.candidate.title,
        "words": [(w, round(s, 4)) for w, s in taste.shared_words(v, near)],
        "like": [(known[k].name, round(s, 3)) for k, s in nearest if k in known],
        "unlike": [
            (known[k].name, round(s, 3))
            for k, s in r.unlike
            if k in known and s >= ranking.LIKE_AT_LEAST  # below it, the part says enough
        ],
        "parts": r.parts,
        "tldr": r.candidate.tldr,
        "citations": r.candidate.citations,
    }
