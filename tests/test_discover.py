"""Finding papers: rc search over arXiv and Hugging Face, rc discover, --pick, through the real
rc process against loopback stand-ins of both APIs.

`/api/papers/search` answers are real recordings (tests/fixtures/hf). No real recording of
`/api/daily_papers` exists: its answers are built here from the documented shape (the search
answer's `paper` objects with `id`, `title`, `upvotes`, `publishedAt`), and say so.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import env_for
from tests.hostile import DOWN, Answer, HostileArxiv, feed_with
from tests.test_links import FIXTURES, FakeHub

LLAMA = "2407.21783"


def daily_by_hand(params: dict[str, list[str]]) -> list[dict[str, Any]]:
    """A daily-papers answer built from the documented shape (no recording exists)."""
    papers = [("2406.00001", "A quiet paper", 3), ("2406.00002", "A loud paper", 250),
              ("2406.00003", "A middling paper", 40)]  # fmt: skip
    return [
        {
            "paper": {
                "id": pid,
                "title": title,
                "upvotes": votes,
                "publishedAt": "2026-06-09T00:00:00.000Z",
                "authors": [{"name": "Ada Lovelace"}],
            },
            "title": title,
            "publishedAt": "2026-06-09T00:00:00.000Z",
        }
        for pid, title, votes in papers
    ]


class SearchHub(FakeHub):
    def answer(self, path: str) -> tuple[int, Any]:
        if self.fail_next:
            self.fail_next -= 1
            return self.status, {"error": "try later"}
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/api/papers/search":
            name = {"llama 3 herd": "llama_3_herd", "kazakh": "kazakh"}[query["q"][0]]
            body = json.loads((FIXTURES / f"papers_search_{name}.json").read_text())["body"]
            return 200, body
        if parts.path == "/api/daily_papers":
            return 200, daily_by_hand(query)
        return super().answer(path)


@pytest.fixture
def hub() -> Iterator[SearchHub]:
    server = SearchHub()
    yield server
    server.close()


def arxiv_search_answer() -> Answer:
    """arXiv's answer to the search: one entry, the Llama 3 paper that Hugging Face also has."""
    return Answer(
        "body",
        body=feed_with(
            lambda e: e.replace("1605.08386", LLAMA).replace(
                "Heat-bath random walks with Markov bases", "The Llama 3 Herd of Models"
            )
        ),
    )


@pytest.fixture
def rc(tmp_path, hub) -> Any:
    servers: list[HostileArxiv] = []

    def run(*args: str, arxiv: list[Answer] | None = None) -> subprocess.CompletedProcess[str]:
        servers.append(HostileArxiv(*(arxiv or [])))
        env = env_for(
            tmp_path / "home", servers[-1].url, RC_HF_API_URL=hub.url, RC_LINKS_LOOKUP="true"
        )
        return subprocess.run(
            [sys.executable, "-m", "readchallenge", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )

    yield run
    for server in servers:
        server.close()


def test_search_merges_both_sources_by_arxiv_id(rc):
    result = rc("search", "llama 3 herd", "--json", arxiv=[arxiv_search_answer()])
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["number"] for r in rows] == list(range(1, len(rows) + 1))
    llama = next(r for r in rows if r["id"] == LLAMA)
    assert llama["sources"] == ["arxiv", "hf"] and llama["upvotes"] == 115
    assert len(rows) == 11  # one merged, ten from Hugging Face alone
    with_repo = next(r for r in rows if r["id"] == "2503.05856")
    assert with_repo["repo"] == "https://github.com/lorenzflow/robust-moa"


def test_one_source_down_is_a_warning_both_down_an_error(rc, hub):
    arxiv_down = rc("search", "kazakh", "--json", arxiv=[DOWN])
    assert arxiv_down.returncode == 0, arxiv_down.stderr
    assert "warning: arXiv:" in arxiv_down.stderr
    assert len(json.loads(arxiv_down.stdout)) == 9
    hub.status, hub.fail_next = 503, 1
    both = rc("search", "kazakh", arxiv=[DOWN])
    assert both.returncode == 1
    assert both.stderr.startswith("error: arXiv:") and "Hugging Face" in both.stderr


def test_pick_adds_results_to_the_backlog_and_marks_them_stored(rc):
    picked = rc("search", "llama 3 herd", "--pick", "1", arxiv=[arxiv_search_answer()])
    assert picked.returncode == 0, picked.stderr
    assert f"added {LLAMA}, in the backlog" in picked.stderr
    listed = json.loads(rc("list", "--json").stdout)
    assert [(p["id"], p["status"], p["planned_on"]) for p in listed] == [(LLAMA, "ok", None)]
    again = rc("search", "llama 3 herd", "--json", arxiv=[arxiv_search_answer()])
    llama = next(r for r in json.loads(again.stdout) if r["id"] == LLAMA)
    assert llama["in_store"] == "backlog"


def test_discover_sorts_the_daily_papers_by_upvotes_and_picks_onto_days(rc, hub):
    result = rc("discover", "--json")
    assert result.returncode == 0, result.stderr
    assert [r["id"] for r in json.loads(result.stdout)] == [
        "2406.00002", "2406.00003", "2406.00001",
    ]  # fmt: skip
    assert hub.paths()[-1] == "/api/daily_papers?week=2026-W24"
    yesterday = rc("discover", "yesterday", "--limit", "1", "--json")
    assert [r["id"] for r in json.loads(yesterday.stdout)] == ["2406.00002"]
    assert hub.paths()[-1] == "/api/daily_papers?date=2026-06-09"
    month = rc("discover", "2026-05", "--json")
    assert len(json.loads(month.stdout)) == 3
    assert hub.paths()[-1] == "/api/daily_papers?month=2026-05"
    picked = rc("discover", "--pick", "1-2", "--on", "2026-06-11")
    assert picked.returncode == 0, picked.stderr
    days = {p["id"]: p["planned_on"] for p in json.loads(rc("list", "--json").stdout)}
    assert days == {"2406.00002": "2026-06-11", "2406.00003": "2026-06-12"}


def test_a_bad_pick_is_a_usage_error(rc):
    result = rc("discover", "--pick", "9")
    assert result.returncode == 2
    assert "there is no result 9 (1 to 3)" in result.stderr


def test_list_sorts_by_upvotes(rc, hub):
    for arxiv_id in ("2401.18030", "2602.15763", "2501.12948"):
        added = rc("add", arxiv_id, "--backlog")
        assert added.returncode == 0, added.stderr
    listed = json.loads(rc("list", "--sort", "upvotes", "--json").stdout)
    assert [(p["id"], p["upvotes"]) for p in listed] == [
        ("2501.12948", 462), ("2602.15763", 220), ("2401.18030", 0),
    ]  # fmt: skip
