"""The taste model and the ranking, in-process: TF-IDF and cosine similarity over what you
read, blended with upvotes, recency and references (core/taste.py, core/ranking.py)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readchallenge.core import ranking, taste
from tests.suggest_world import NAMES, READ, SKIPPED, P

TODAY = date(2026, 6, 10)


def _text(pid: str) -> str:
    return f"{P[pid].title}\n{P[pid].title}\n{P[pid].abstract}"


def _rank(candidates: list[str], read: list[str] = READ, skipped: list[str] = SKIPPED) -> list:
    docs = {pid: taste.terms(_text(pid)) for pid in [*read, *skipped, *candidates]}
    idf = taste.idf_of(docs.values())
    vectors = {pid: taste.vector(c, idf) for pid, c in docs.items()}
    liked = taste.Index({pid: vectors[pid] for pid in read})
    disliked = taste.Index({pid: vectors[pid] for pid in skipped})
    known = {pid: ranking.Known(pid, NAMES[pid], pid in read) for pid in [*read, *skipped]}
    offered = [
        ranking.Candidate(
            pid,
            P[pid].title,
            P[pid].abstract,
            published=P[pid].published,
            upvotes=P[pid].upvotes or None,
            repo=P[pid].repo,
            sources=("hf",),
        )  # fmt: skip
        for pid in candidates
    ]
    cites = {pid: list(P[pid].cites) for pid in candidates}
    near, far = ranking.neighbours({pid: vectors[pid] for pid in candidates}, liked, disliked)
    return ranking.rank(offered, near, far, cites, known, TODAY)


LOW_RANK = ["2402.12354", "2404.02948", "2310.11454", "2312.03732"]
OTHERS = ["2005.08100", "2106.07447", "2407.21783", "2303.08774"]


def test_low_rank_papers_come_first_whatever_their_upvotes():
    ranked = _rank(OTHERS + LOW_RANK)
    assert {r.candidate.id for r in ranked[:4]} == set(LOW_RANK), [
        (r.candidate.id, r.score, r.parts) for r in ranked
    ]
    speech = [r for r in ranked if r.candidate.id in ("2005.08100", "2106.07447")]
    assert all(r.parts["unlike"] < 0 for r in speech)  # like the speech papers you skipped


def test_each_reason_says_why():
    ranked = {r.candidate.id: r for r in _rank(OTHERS + LOW_RANK)}
    lora_plus = ranked["2402.12354"].reasons
    assert lora_plus[0].startswith("like ") and "LoRA" in lora_plus[0]
    assert "builds on LoRA" in lora_plus  # wav2vec 2.0, also cited, was skipped: not named
    assert "↑12" in lora_plus
    assert ranked["2404.02948"].reasons[-1] == "code"
    assert ranked["2407.21783"].reasons == ["↑115", "code"]  # nothing you read is like it


def test_the_parts_add_up_to_the_score_and_follow_the_weights():
    for r in _rank(OTHERS + LOW_RANK):
        assert r.score == pytest.approx(sum(r.parts.values()), abs=1e-3)
        for name, weight in ranking.WEIGHTS.items():
            assert 0 <= r.parts[name] <= weight + 1e-9


def test_without_history_upvotes_and_recency_decide():
    ranked = _rank(OTHERS + LOW_RANK, read=[], skipped=[])
    # ↑115, code, 3 days old; ↑250, today; ↑300, a day old: upvotes, recency and code
    assert [r.candidate.id for r in ranked[:3]] == ["2407.21783", "2106.07447", "2005.08100"]
    assert all(r.parts["taste"] == 0 and not r.like for r in ranked)


def test_the_nearest_papers_found_through_the_index_are_the_exact_ones():
    docs = {pid: taste.terms(_text(pid)) for pid in P}
    idf = taste.idf_of(docs.values())
    vectors = {pid: taste.vector(c, idf) for pid, c in docs.items()}
    index = taste.Index({pid: vectors[pid] for pid in READ})
    for pid in LOW_RANK + OTHERS:
        exact = sorted(READ, key=lambda r: -taste.cosine(vectors[pid], vectors[r]))
        found = index.nearest(vectors[pid], 2)
        assert [doc for doc, _ in found] == [r for r in exact[:2] if found]
        for doc, similarity in found:
            assert similarity <= taste.cosine(vectors[pid], vectors[doc]) + 1e-9


def test_words_are_stemmed_paired_and_common_words_left_out():
    counted = taste.terms("We propose Low-Rank adapters; the adapters use low-rank updates.")
    assert counted["adapter"] == 2 and counted["low rank"] == 2
    assert "we" not in counted and "propose" not in counted and "the" not in counted


@given(st.text(max_size=300), st.text(max_size=300))
def test_similarity_is_between_zero_and_one_and_one_with_itself(a, b):
    docs = [taste.terms(a), taste.terms(a), taste.terms(b)]  # every word of a used twice
    idf = taste.idf_of(docs)
    va, _, vb = (taste.vector(d, idf) for d in docs)
    assert -1e-9 <= taste.cosine(va, vb) <= 1 + 1e-9
    if va:
        assert taste.cosine(va, va) == pytest.approx(1.0)


def test_a_word_too_many_papers_use_is_left_out():
    docs = [taste.terms(f"adapter {n} paper{'s' * n} quantum") for n in range(40)]
    docs += [taste.terms("quantum adapter")]
    idf = taste.idf_of(docs)  # "adapter" in all 41, "quantum" too: more than 30 and a tenth
    assert taste.vector(docs[-1], idf) == {}
    few = taste.idf_of(docs[:3] + [docs[-1]])  # in a small history, nothing is too common
    assert set(taste.vector(docs[-1], few)) == {"adapter", "quantum"}


def test_a_word_one_paper_uses_counts_towards_its_length_only():
    docs = [taste.terms("adapter adapter quantum"), taste.terms("adapter")]
    idf = taste.idf_of(docs)
    v = taste.vector(docs[0], idf)
    assert set(v) == {"adapter"} and 0 < v["adapter"] < 1


def test_recency_halves_every_week():
    assert ranking.recency("2026-06-10", TODAY) == 1.0
    assert ranking.recency("2026-06-03", TODAY) == pytest.approx(0.5)
    assert ranking.recency("", TODAY) == 0.0
    assert ranking.recency("2026-06-20", TODAY) == 1.0  # a date to come counts as today
