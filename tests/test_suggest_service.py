"""`rc suggest` at the service level (services/suggest.py, services/candidates.py): a store
with five papers read about low-rank training and two skipped about speech, against loopback
stand-ins of arXiv, Hugging Face's daily papers and Semantic Scholar (tests/suggest_world.py).
The same story through the real process is tests/test_suggest.py."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from readchallenge import config
from readchallenge.errors import RcError, UsageError
from readchallenge.services import scholar as scholar_service
from readchallenge.services import suggest
from readchallenge.store import db, scholar, suggestions
from tests.suggest_world import (
    LOW_RANK_CANDIDATES,
    NAMES,
    READ,
    SKIPPED,
    Arxiv,
    DailyPapers,
    Faults,
    Scholar,
)

DOWN = (503, b'{"error": "down"}')


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Arxiv, DailyPapers, Scholar]]:
    found = (Arxiv(), DailyPapers(), Scholar())
    yield found
    for server in found:
        server.close()


@pytest.fixture(scope="module")
def stocked(tmp_path_factory, servers) -> Path:
    """A store built once: five papers read about low-rank training (2026-06-01 to -05),
    two about speech planned on days that were skipped (2026-06-08, -09)."""
    from typer.testing import CliRunner

    from readchallenge.cli import app

    arxiv, _, _ = servers
    home = tmp_path_factory.mktemp("stocked") / "home"
    env = {"RC_HOME": str(home), "RC_TODAY": "2026-06-10", "RC_ARXIV_API_URL": arxiv.url,
           "RC_ARXIV_MIN_INTERVAL": "0", "RC_LINKS_LOOKUP": "0", "RC_REFS_LOOKUP": "0"}  # fmt: skip
    runner = CliRunner()
    steps = [["init", "--start", "2026-06-01"], ["add", *READ, "--on", "2026-06-01"],
             ["add", *SKIPPED, "--on", "2026-06-08"],
             *(["read", pid, "--on", f"2026-06-0{n}"] for n, pid in enumerate(READ, start=1)),
             ["skip", "--on", "2026-06-08"], ["skip", "--on", "2026-06-09"],
             *(["edit", pid, "--as", NAMES[pid]] for pid in READ if pid != "2307.05695"),
             ["note", READ[1], "--description", "Gradient projection for memory."]]  # fmt: skip
    for args in steps:
        result = runner.invoke(app, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
    return home


@pytest.fixture(autouse=True)
def healthy(servers, monkeypatch) -> None:
    """Every test starts with both stand-ins answering and no request seen; a failed
    request is not retried (the waits between retries are tests/test_suggest_s2.py's)."""
    monkeypatch.setenv("RC_ARXIV_RETRIES", "0")
    for server in servers[1:]:
        server.faults = Faults()
        server.requests.clear()


@pytest.fixture
def cfg(stocked, servers, rc_home, monkeypatch) -> config.Config:
    shutil.copytree(stocked, rc_home)
    _, hub, s2 = servers
    monkeypatch.setenv("RC_HF_API_URL", hub.url)
    monkeypatch.setenv("RC_S2_API_URL", s2.url)
    monkeypatch.setenv("RC_S2_MIN_INTERVAL", "0")
    monkeypatch.setenv("RC_ARXIV_API_URL", servers[0].url)
    return config.load()


def ids(found: suggest.Suggestions) -> list[str]:
    return [row["id"] for row in found.rows]


def test_low_rank_candidates_first_for_what_you_read(cfg, servers):
    found = suggest.suggest(cfg)
    assert found.warnings == []
    assert set(ids(found)[:4]) == LOW_RANK_CANDIDATES, [(r["id"], r["score"]) for r in found.rows]
    first = found.rows[0]
    assert first["id"] == "2402.12354" and "builds on LoRA" in first["reasons"]
    assert first["tldr"] == "LoRA+ gives the two LoRA matrices different learning rates."
    pissa = next(r for r in found.rows if r["id"] == "2404.02948")
    assert pissa["sources"] == ["hf", "s2"] and pissa["parts"]["recommended"] > 0


def test_semantic_scholar_hears_what_you_read_and_what_you_skipped(cfg, servers):
    suggest.suggest(cfg)
    (body,) = servers[2].recommendation_bodies()
    assert sorted(body["positivePaperIds"]) == sorted(f"arXiv:{i}" for i in READ)
    assert sorted(body["negativePaperIds"]) == sorted(f"arXiv:{i}" for i in SKIPPED)


def test_stored_papers_are_never_suggested(cfg):
    found = suggest.suggest(cfg, limit=100)
    stored = set(READ) | set(SKIPPED)
    assert not stored & set(ids(found)) and len(found.rows) == 8  # 5 + 4 offered, one twice


def test_likes_move_papers_between_sides_and_out_of_the_candidates(cfg, servers):
    scholar_service.like(cfg, "2005.08100", True)  # a candidate: no longer offered
    scholar_service.like(cfg, "GaLore", False)  # read, but you say not this
    found = suggest.suggest(cfg, limit=100)
    assert "2005.08100" not in ids(found)
    body = servers[2].recommendation_bodies()[-1]
    assert body["positivePaperIds"][0] == "arXiv:2005.08100"  # your word first
    assert body["negativePaperIds"][0] == "arXiv:2403.03507"
    assert "arXiv:2403.03507" not in body["positivePaperIds"]


def test_a_fresh_cache_is_used_without_asking_and_refresh_asks(cfg, servers):
    suggest.suggest(cfg)
    asked = len(servers[1].requests) + len(servers[2].requests)
    assert (
        suggest.suggest(cfg).rows and len(servers[1].requests) + len(servers[2].requests) == asked
    )
    suggest.suggest(cfg, refresh=True)
    assert len(servers[1].requests) > 2  # this week's and last week's daily papers, twice


def test_semantic_scholar_down_means_hugging_face_only(cfg, servers):
    servers[2].faults = Faults(*DOWN, count=-1)
    found = suggest.suggest(cfg, limit=100)
    assert found.warnings == [
        "Semantic Scholar: Semantic Scholar answered HTTP 503; suggesting from Hugging Face only"
    ]
    assert all(row["sources"] == ["hf"] for row in found.rows) and found.rows


def test_hugging_face_down_means_semantic_scholar_only(cfg, servers):
    servers[1].faults = Faults(*DOWN, count=-1)
    found = suggest.suggest(cfg, limit=100)
    assert found.warnings == [
        "Hugging Face: Hugging Face answered HTTP 503; suggesting from Semantic Scholar only"
    ]
    assert {row["id"] for row in found.rows} == {"2310.11454", "2404.02948", "2312.03732",
                                                  "2303.08774"}  # fmt: skip


def test_both_down_uses_the_kept_candidates_and_says_so(cfg, servers):
    before = ids(suggest.suggest(cfg))
    for server in servers[1:]:
        server.faults = Faults(*DOWN, count=-1)
    found = suggest.suggest(cfg, refresh=True)
    assert ids(found) == before
    (line,) = found.warnings
    assert line.startswith("Hugging Face: Hugging Face answered HTTP 503; Semantic Scholar: ")
    assert "suggesting from the candidates of 2026-06-10" in line


def test_both_down_and_nothing_kept_is_one_error(cfg, servers):
    for server in servers[1:]:
        server.faults = Faults(*DOWN, count=-1)
    with pytest.raises(RcError, match="^Hugging Face: .*; Semantic Scholar: "):
        suggest.suggest(cfg)


def test_nothing_read_means_hugging_face_only_and_read_a_few_first(rc_home, servers, monkeypatch):
    _, hub, s2 = servers
    monkeypatch.setenv("RC_HF_API_URL", hub.url)
    monkeypatch.setenv("RC_S2_API_URL", s2.url)
    found = suggest.suggest(config.load())
    assert found.warnings == [
        "Semantic Scholar: read a few papers first; suggesting from Hugging Face only"
    ]
    assert not s2.recommendation_bodies() and found.rows


def test_semantic_scholar_alone_with_nothing_read_says_so(rc_home, servers, monkeypatch):
    monkeypatch.setenv("RC_S2_API_URL", servers[2].url)
    found = suggest.suggest(config.load(), source="s2")
    assert found.warnings == ["Semantic Scholar: read a few papers first"] and found.rows == []
    assert servers[2].requests == []


def test_the_400_for_no_positives_is_the_same_line(cfg, servers):
    s2 = servers[2]
    s2.faults = Faults(400, b'{"error": "No positive paper examples given"}', count=1)
    found = suggest.suggest(cfg)
    assert found.warnings == [
        "Semantic Scholar: read a few papers first; suggesting from Hugging Face only"
    ]


def test_explain_names_the_words_that_matched(cfg):
    found = suggest.suggest(cfg, explain=1)
    explained = found.explained
    assert explained is not None and explained["id"] == found.rows[0]["id"]
    words = [w for w, _ in explained["words"]]
    assert "low rank" in words or "lora" in words, words
    with pytest.raises(UsageError, match="there is no suggestion 99"):
        suggest.suggest(cfg, explain=99)


def test_the_model_counts_a_paper_once_until_its_text_changes(cfg, monkeypatch):
    suggest.suggest(cfg)
    counted: list[str] = []
    real = suggest.taste.terms
    monkeypatch.setattr(suggest.taste, "terms", lambda text: counted.append(text) or real(text))
    suggest.suggest(cfg)
    assert counted == []
    from readchallenge.services import notes

    notes.save_note(cfg, "LoRA", description="Low-rank updates of frozen weights.")
    suggest.suggest(cfg)
    assert len(counted) == 1 and "Low-rank updates of frozen weights." in counted[0]


def test_a_removed_paper_is_turned_down_and_never_offered_again(cfg, servers, run):
    servers[1].listed.append("2402.09353")  # DoRA, read: then removed
    try:
        assert run("rm", "DoRA", "--yes").exit_code == 0
        found = suggest.suggest(cfg, limit=100)
        assert "2402.09353" not in ids(found)
        body = servers[2].recommendation_bodies()[-1]
        assert "arXiv:2402.09353" in body["negativePaperIds"]
    finally:
        servers[1].listed.remove("2402.09353")


def test_references_of_stored_papers_are_kept_and_matched(cfg, servers):
    report = scholar_service.refresh(cfg, [])
    assert report.refs_problem is None
    assert report.refs_found["2403.03507"] == ["LoRA"]
    with db.opened(cfg.db_path) as conn:
        built = scholar.builds_on(conn, "2305.14314")
    assert [(b["id"], b["read_on"]) for b in built] == [("2106.09685", "2026-06-01")]


def test_a_batch_that_lists_fewer_references_than_it_counts_is_paged(cfg, servers):
    s2 = servers[2]
    s2.refs_of["2305.14314"] = [f"2401.{n:05d}" for n in range(2500)] + ["2106.09685"]
    s2.page, s2.batch_refs_listed = 1000, 1000
    try:
        scholar_service.refresh(cfg, ["QLoRA"])
        pages = [p for p in s2.paths() if "/references" in p]
        assert [p.split("offset=")[1].split("&")[0] for p in pages] == ["0", "1000", "2000"]
        with db.opened(cfg.db_path) as conn:
            assert len(scholar.cites(conn, ["2305.14314"])["2305.14314"]) == 2501
    finally:
        s2.refs_of["2305.14314"] = ["2106.09685"]
        s2.batch_refs_listed = None


def test_a_paper_semantic_scholar_does_not_know_is_remembered(cfg, servers, run):
    s2 = servers[2]
    assert run("add", "--url", "https://example.org/x", "--title", "X").exit_code == 0
    report = scholar_service.refresh(cfg, [])
    assert report.refs_problem is None
    with db.opened(cfg.db_path) as conn:
        kept = suggestions.stored_ids(conn)
    assert "x" in kept  # a web item: never asked
    s2.requests.clear()
    s2_missing = "2401.99999"
    report = scholar_service.AddReport()
    scholar_service.look_up(cfg, [s2_missing], report)
    scholar_service.look_up(cfg, [s2_missing], report)
    assert len(s2.requests) == 1 and report.refs_not_indexed == [s2_missing, s2_missing]


Run = Callable[..., Any]
