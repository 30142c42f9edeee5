"""What rc suggest hands to its renderer and prints as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict


class SuggestionRow(TypedDict):
    """One numbered suggestion; `rc suggest --json` prints these."""

    number: int
    id: str
    title: str
    authors: list[str]
    date: str
    score: float
    parts: dict[str, float]  # weight × measure of each part; they add up to the score
    reasons: list[str]
    like: list[str]  # the papers you read or liked that it is most like
    builds_on: list[str]  # the papers you read or liked that it cites
    upvotes: int | None
    repo: str | None
    sources: list[str]  # hf, s2
    tldr: str | None  # machine-written by Semantic Scholar
    citations: int | None


class Explanation(TypedDict):
    """`rc suggest --explain N`: the words that matched, and with which papers."""

    number: int
    id: str
    title: str
    words: list[tuple[str, float]]
    like: list[tuple[str, float]]
    unlike: list[tuple[str, float]]
    parts: dict[str, float]
    tldr: str | None
    citations: int | None


@dataclass
class Suggestions:
    rows: list[SuggestionRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    explained: Explanation | None = None
    history: int = 0  # papers you read or liked that the model learnt from
