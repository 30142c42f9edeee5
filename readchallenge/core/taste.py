"""Your taste as arithmetic: TF-IDF over the words of papers, and cosine similarity between
them (the model arxiv-sanity-lite showed is enough). Pure: no I/O, standard library only.

A paper's text becomes its words (lower case, common English and paper words left out, a
plural's `s` dropped) and the pairs of neighbouring words ("low rank", "speech recognition"),
each counted. A word weighs more the more often the paper uses it (1 + ln count) and the
fewer papers use it (ln((1 + N) / (1 + df)) + 1, over every paper the model was given); a
paper's weights are scaled to length 1, so the similarity of two papers is the cosine of
their vectors, from 0 (no word in common) to 1 (the same words in the same proportions).
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import NamedTuple

Terms = dict[str, int]  # a paper's words and word pairs, counted
Vector = dict[str, float]  # the same words, weighted and scaled to length 1

VERSION = 2  # of the way words are counted: kept counts of another version are counted again
TOP_TERMS = 40  # a candidate is compared by its heaviest shared words (most of its weight)

_WORD = re.compile(r"[a-z][a-z0-9]*")
STOPWORDS = frozenset(
    """
    a about above across after again against all almost also although always am among an and
    another any are around as at be because been before being below between both but by can
    cannot could did do does doing done down during each either else enough especially etc even
    ever every few for from further given had has have having he her here hers him his how
    however i if in into is it its itself just least less let like made main make makes many may
    me might more most much must my neither no nor not now of off often on once one only onto
    or other others otherwise our out over own per perhaps rather same several shall she should
    show shown shows since so some such than that the their them then there these they this
    those though through thus to too toward towards under until up upon us use used uses using
    very via was we well were what when where whether which while who whom whose why will with
    within without would yet you your
    paper papers propose proposed proposes present presents approach approaches method methods
    result results work works new novel based achieve achieves achieved demonstrate demonstrates
    experiment experiments experimental existing furthermore moreover respectively significantly
    outperform outperforms state art study studies introduce introduces effective efficient
    including task tasks performance improve improves improved improvement different various
    code available https github com www org
    """.split()
)


def _stem(word: str) -> str:
    """A plural's ending dropped, so "adapters" meets "adapter": nothing cleverer."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> Terms:
    """The words of `text` and the pairs of neighbouring words (once stopwords are out),
    counted: what a paper contributes to the model."""
    words = [_stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1]
    counts = Counter(words)
    counts.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a != b)
    return dict(counts)


COMMON_SHARE, COMMON_LEAST = 0.1, 30  # a word more papers use than both says little


class Idf(NamedTuple):
    """Each word's weight for its rarity: `common` for the words two papers or more use,
    `rare` for a word only one paper uses (it counts towards that paper's length, and can
    match nothing, so vectors leave it out). A word that more than a tenth of the papers
    (and more than 30) use is left out altogether, as arxiv-sanity-lite does (its weight
    here is 0): it tells papers apart no better than "the"."""

    common: dict[str, float]
    rare: float


def idf_of(documents: Iterable[Mapping[str, int]]) -> Idf:
    df: Counter[str] = Counter()
    n = 0
    for counts in documents:
        df.update(counts.keys())
        n += 1
    most = max(COMMON_SHARE * n, COMMON_LEAST)
    return Idf(
        {
            term: math.log((1 + n) / (1 + count)) + 1.0 if count <= most else 0.0
            for term, count in df.items()
            if count > 1
        },
        math.log((1 + n) / 2) + 1.0,
    )


def vector(counts: Mapping[str, int], idf: Idf) -> Vector:
    """The weighted words of a paper, scaled to length 1, without the words no other paper
    uses and those too many use (empty for a paper without such words)."""
    common, rare = idf.common, idf.rare
    kept: dict[str, float] = {}
    length = 0.0
    for term, count in counts.items():
        weight = 1.0 + math.log(count) if count > 1 else 1.0
        shared = common.get(term)
        if shared is None:
            length += (weight * rare) ** 2
        elif shared:
            weight *= shared
            length += weight * weight
            kept[term] = weight
    norm = math.sqrt(length)
    return {t: w / norm for t, w in kept.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


class Index:
    """An inverted index of papers' vectors: which papers use each word, and how much. It
    finds a candidate's nearest papers by walking only the lists of its heaviest words
    (rare words have short lists), instead of comparing it with every paper."""

    def __init__(self, vectors: Mapping[str, Vector]) -> None:
        self.vectors = vectors
        self.postings: dict[str, list[tuple[str, float]]] = {}
        for doc, v in vectors.items():
            for term, weight in v.items():
                self.postings.setdefault(term, []).append((doc, weight))

    def __len__(self) -> int:
        return len(self.vectors)

    def nearest(self, v: Mapping[str, float], k: int) -> list[tuple[str, float]]:
        """The `k` papers most similar to `v`, most similar first, with their similarity:
        the exact cosine, or a little under it when `v` shares more than TOP_TERMS words
        with the index (only its heaviest shared words count then)."""
        postings = self.postings
        shared = [(t, w) for t, w in v.items() if t in postings]
        if len(shared) > TOP_TERMS:
            shared = heapq.nlargest(TOP_TERMS, shared, key=lambda item: item[1])
        scores: dict[str, float] = {}
        for term, weight in shared:
            for doc, other in postings[term]:
                scores[doc] = scores.get(doc, 0.0) + weight * other
        best = heapq.nlargest(k, scores.items(), key=lambda item: (item[1], item[0]))
        return [(doc, score) for doc, score in best if score > 0]


def shared_words(
    v: Mapping[str, float], others: Iterable[Mapping[str, float]], count: int = 8
) -> list[tuple[str, float]]:
    """The words of `v` that count most towards its similarity with `others`: what
    `rc suggest --explain` shows."""
    share: dict[str, float] = {}
    for other in others:
        for term, weight in v.items():
            if term in other:
                share[term] = share.get(term, 0.0) + weight * other[term]
    return heapq.nlargest(count, share.items(), key=lambda item: (item[1], item[0]))
