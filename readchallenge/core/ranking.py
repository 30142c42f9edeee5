"""Which papers to suggest, in which order, and why (pure: the numbers docs/discover.md
documents).

A candidate's score is the sum of its parts, each a weight times a measure from 0 to 1:

| part | weight | measure |
|---|---:|---|
| taste | 0.50 | mean similarity to its 3 nearest papers you read or liked, over the best's |
| builds_on | 0.15 | 1 when it cites a paper you read or liked |
| recommended | 0.10 | Semantic Scholar's order: 1 for its first recommendation, falling to 0 |
| upvotes | 0.10 | ln(1 + upvotes) over the most upvoted candidate's, on Hugging Face |
| recency | 0.10 | 1 on the day it appeared, halving every 7 days |
| code | 0.05 | 1 when it has a code repository |
| unlike | −0.25 | similarity to the nearest paper you turned down, measured as taste is |
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from readchallenge.core import taste
from readchallenge.core.taste import Vector

WEIGHTS: dict[str, float] = {
    "taste": 0.50,
    "builds_on": 0.15,
    "recommended": 0.10,
    "upvotes": 0.10,
    "recency": 0.10,
    "code": 0.05,
}
UNLIKE = 0.25  # taken off per unit of similarity to a paper you turned down
NEIGHBOURS = 3  # the taste is the mean similarity to this many nearest papers you liked
HALF_LIFE_DAYS = 7.0
LIKE_AT_LEAST = 0.05  # a paper is named in "like …" from this similarity on …
LIKE_SHARE = 0.5  # … and when it is at least half as similar as the nearest one
NAMED = 2  # papers named in a reason


@dataclass(frozen=True)
class Candidate:
    """A paper a source offers: not stored, not turned down."""

    id: str
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    published: str = ""  # YYYY-MM-DD, or "" when unknown
    upvotes: int | None = None  # on Hugging Face
    repo: str | None = None
    sources: tuple[str, ...] = ()  # hf, s2
    recommended: float = 0.0  # Semantic Scholar's order, 1 for its first, 0 for none
    tldr: str | None = None  # machine-written by Semantic Scholar
    citations: int | None = None


@dataclass(frozen=True)
class Known:
    """A paper of your history, as a reason names it."""

    id: str
    name: str
    liked: bool  # read or liked (True), or turned down (False)


@dataclass
class Ranked:
    """A candidate with its score, the parts that make it, and the reasons to show."""

    candidate: Candidate
    score: float
    parts: dict[str, float]
    like: list[tuple[str, float]] = field(default_factory=list)  # (known id, similarity)
    unlike: list[tuple[str, float]] = field(default_factory=list)
    builds_on: list[str] = field(default_factory=list)  # known ids it cites
    reasons: list[str] = field(default_factory=list)


def recency(published: str, today: date) -> float:
    try:
        day = date.fromisoformat(published)
    except ValueError:
        return 0.0
    age = max(0, (today - day).days)
    return float(0.5 ** (age / HALF_LIFE_DAYS))


def _mean(similarities: Sequence[tuple[str, float]]) -> float:
    return sum(s for _, s in similarities) / len(similarities) if similarities else 0.0


Neighbours = dict[str, list[tuple[str, float]]]  # candidate -> (known paper, similarity)


def neighbours(
    vectors: Mapping[str, Vector], liked: taste.Index, disliked: taste.Index
) -> tuple[Neighbours, Neighbours]:
    """For each candidate's vector, its nearest papers you liked, and the nearest you
    turned down: all the model contributes to the ranking (and what rc keeps of it)."""
    near = {cid: liked.nearest(v, NEIGHBOURS) for cid, v in vectors.items()}
    far = {cid: disliked.nearest(v, 1) for cid, v in vectors.items()}
    return near, far


def rank(
    candidates: Sequence[Candidate],
    near: Mapping[str, Sequence[tuple[str, float]]],
    far: Mapping[str, Sequence[tuple[str, float]]],
    cites: Mapping[str, Sequence[str]],
    known: Mapping[str, Known],
    today: date,
) -> list[Ranked]:
    """Every candidate scored and given its reasons, best first. `near` and `far` are
    its neighbours (`neighbours`), `cites` says which known papers each one cites."""
    close = {c.id: list(near.get(c.id, ())) for c in candidates}
    against = {c.id: list(far.get(c.id, ())) for c in candidates}
    best = max((_mean(n) for n in close.values()), default=0.0) or 1.0
    most_upvotes = max((c.upvotes or 0 for c in candidates), default=0)
    ranked = []
    for c in candidates:
        builds_on = [k for k in dict.fromkeys(cites.get(c.id, ())) if k in known and known[k].liked]
        measures = {
            "taste": _mean(close[c.id]) / best,
            "builds_on": 1.0 if builds_on else 0.0,
            "recommended": c.recommended,
            "upvotes": math.log1p(c.upvotes or 0) / math.log1p(most_upvotes) if most_upvotes else 0,
            "recency": recency(c.published, today),
            "code": 1.0 if c.repo else 0.0,
        }
        parts = {name: round(WEIGHTS[name] * value, 4) for name, value in measures.items()}
        unlike = against[c.id]
        parts["unlike"] = round(-UNLIKE * min(1.0, _mean(unlike) / best), 4) if unlike else 0
        top = close[c.id][0][1] if close[c.id] else 0.0
        like = [(k, s) for k, s in close[c.id] if s >= max(LIKE_AT_LEAST, LIKE_SHARE * top)]
        ranked.append(Ranked(c, round(sum(parts.values()), 4), parts, like, unlike, builds_on))
    ranked.sort(key=lambda r: (-r.score, -_day(r), r.candidate.id))
    for r in ranked:
        r.reasons = reasons(r, known)
    return ranked


def _day(r: Ranked) -> int:
    try:
        return date.fromisoformat(r.candidate.published).toordinal()
    except ValueError:
        return 0


def reasons(r: Ranked, known: Mapping[str, Known]) -> list[str]:
    """`like GaLore, LoRA`, `builds on LoRA`, `↑115`, `code`, `S2`: why it is here."""
    found = []
    if r.like:
        found.append("like " + ", ".join(known[k].name for k, _ in r.like[:NAMED] if k in known))
    if r.builds_on:
        found.append("builds on " + ", ".join(known[k].name for k in r.builds_on[:NAMED]))
    if r.candidate.upvotes:
        found.append(f"↑{r.candidate.upvotes}")
    if r.candidate.repo:
        found.append("code")
    if r.candidate.recommended:
        found.append("S2")
    return [reason for reason in found if reason not in ("like ", "builds on ")]
