"""Papers picked for you (#25), through the real `rc` process: five papers read about
low-rank training and two skipped about speech, against loopback stand-ins of arXiv,
Hugging Face's daily papers and Semantic Scholar (tests/suggest_world.py)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import env_for, run_rc
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

TIMEOUT = 300
KEY = "s2-secret-key-8d3f0a"
DOWN = Faults(503, b'{"error": "down for maintenance"}', count=-1)


def rc(env: dict[str, str], *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    kwargs.pop("stdin", None)  # never a terminal: rc asks nothing
    return run_rc(args, env, timeout=TIMEOUT, **kwargs)


def ok(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = rc(env, *args)
    assert result.returncode == 0, (args, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Arxiv, DailyPapers, Scholar]]:
    found = (Arxiv(), DailyPapers(), Scholar())
    yield found
    for server in found:
        server.close()


@pytest.fixture(autouse=True)
def healthy(servers) -> None:
    for server in servers[1:]:
        server.faults = Faults()
        server.requests.clear()


@pytest.fixture(scope="module")
def stocked(tmp_path_factory, servers) -> Path:
    """Five papers read about low-rank training (2026-06-01 to -05, four of them named),
    two about speech planned on the days 2026-06-08 and -09, which were skipped."""
    from typer.testing import CliRunner

    from readchallenge.cli import app

    home = tmp_path_factory.mktemp("stocked") / "home"
    env = {**env_for(home, servers[0].url), "RC_LINKS_LOOKUP": "0", "RC_REFS_LOOKUP": "0"}
    steps = [["init", "--start", "2026-06-01"], ["add", *READ, "--on", "2026-06-01"],
             ["add", *SKIPPED, "--on", "2026-06-08"],
             *(["read", pid, "--on", f"2026-06-0{n}"] for n, pid in enumerate(READ, start=1)),
             ["skip", "--on", "2026-06-08"], ["skip", "--on", "2026-06-09"],
             *(["edit", p, "--as", NAMES[p]] for p in READ if p != "2307.05695")]  # fmt: skip
    for args in steps:
        result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
    return home


@pytest.fixture
def env(stocked, servers, tmp_path) -> dict[str, str]:
    home = tmp_path / "home"
    shutil.copytree(stocked, home)
    arxiv, hub, s2 = servers
    return env_for(home, arxiv.url, RC_HF_API_URL=hub.url, RC_S2_API_URL=s2.url,
                   RC_S2_MIN_INTERVAL="0", COLUMNS="150")  # fmt: skip


def rows(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def test_low_rank_candidates_come_first_and_say_why(env):
    table = ok(env, "suggest").stdout.splitlines()
    assert table[0].split() == ["#", "id", "date", "title", "why"]
    first = [line.split()[1] for line in table[1:5]]
    assert set(first) == LOW_RANK_CANDIDATES, table
    lora_plus = next(line for line in table if "2402.12354" in line)
    assert "like LoRA" in lora_plus and "builds on LoRA" in lora_plus and "↑12" in lora_plus
    llama = next(line for line in table if "2407.21783" in line)
    assert llama.rstrip().endswith("↑115 · code")
    found = rows(ok(env, "suggest", "--json"))
    assert found[0]["id"] == "2402.12354" and found[0]["number"] == 1
    assert found[0]["score"] == pytest.approx(sum(found[0]["parts"].values()), abs=1e-3)
    assert set(found[0]["parts"]) == {"taste", "builds_on", "recommended", "upvotes", "recency",
                                      "code", "unlike"}  # fmt: skip


def test_semantic_scholar_received_what_was_read_and_what_was_skipped(env, servers):
    ok(env, "suggest")
    (body,) = servers[2].recommendation_bodies()
    assert sorted(body["positivePaperIds"]) == sorted(f"arXiv:{pid}" for pid in READ)
    assert sorted(body["negativePaperIds"]) == sorted(f"arXiv:{pid}" for pid in SKIPPED)


def test_stored_papers_never_appear(env, servers):
    offered = set(servers[1].listed + servers[2].recommended)
    found = {row["id"] for row in rows(ok(env, "suggest", "--json", "--limit", "500"))}
    assert offered & (set(READ) | set(SKIPPED))  # both sources offer stored papers …
    assert not found & (set(READ) | set(SKIPPED))  # … and none is suggested
    assert found == offered - set(READ) - set(SKIPPED)


@pytest.mark.parametrize(
    ("down", "left", "offered"),
    [
        (1, "Semantic Scholar", {"2310.11454", "2404.02948", "2312.03732", "2303.08774"}),
        (2, "Hugging Face", {"2402.12354", "2404.02948", "2005.08100", "2106.07447", "2407.21783"}),
    ],
    ids=["Hugging Face down", "Semantic Scholar down"],
)
def test_a_source_down_is_one_line_and_the_other_sources_result(env, servers, down, left, offered):
    servers[down].faults = DOWN
    result = ok(env, "suggest", "--json", "--limit", "50")
    name = {1: "Hugging Face", 2: "Semantic Scholar"}[down]
    assert one_line(result) == (
        f"warning: {name}: {name} answered HTTP 503; suggesting from {left} only"
    )
    assert {r["id"] for r in rows(result)} == offered


def test_down_later_uses_what_was_kept_and_says_so(env, servers):
    _, hub, s2 = servers
    before = rows(ok(env, "suggest", "--json"))
    s2.faults = DOWN
    s2_down = ok(env, "suggest", "--json", "--refresh")
    assert one_line(s2_down).startswith(
        "warning: Semantic Scholar: Semantic Scholar answered HTTP 503; using its candidates of "
        "2026-06-10 "
    )
    assert [r["id"] for r in rows(s2_down)] == [r["id"] for r in before]
    hub.faults = DOWN
    both = ok(env, "suggest", "--refresh")
    line = one_line(both)
    assert line.startswith("warning: Hugging Face: Hugging Face answered HTTP 503; Semantic")
    assert "suggesting from the candidates of 2026-06-10" in line
    assert [line.split()[1] for line in both.stdout.splitlines()[1:]] == [r["id"] for r in before]


def test_both_down_with_nothing_kept_is_one_error(env, servers):
    for server in servers[1:]:
        server.faults = DOWN
    result = rc(env, "suggest")
    assert result.returncode == 1 and result.stdout == ""
    assert one_line(result).startswith("error: Hugging Face: Hugging Face answered HTTP 503; ")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--source", "arxiv"], "error: --source must be all, hf or s2, not 'arxiv'"),
        (["--limit", "0"], "error: --limit must be at least 1"),
        (["--limit", "501"], "error: --limit must be at most 500"),
    ],
)
def test_a_source_or_limit_outside_the_declaration_asks_nobody(env, servers, args, said):
    result = rc(env, "suggest", *args)
    assert (result.returncode, result.stdout, one_line(result)) == (2, "", said)
    assert not servers[1].requests and not servers[2].requests


def test_the_key_is_sent_and_never_printed(env, servers):
    env = {**env, "S2_API_KEY": KEY}
    asked = (["suggest"], ["suggest", "--json"], ["suggest", "--explain", "1"], ["info"],
             ["config"], ["refresh", "--refs"])  # fmt: skip
    shown = [ok(env, *args) for args in asked]
    keys = {headers.get("x-api-key") for _, _, _, headers in servers[2].requests}
    assert keys == {KEY}
    servers[2].faults = Faults(403, json.dumps({"message": f"bad key {KEY}"}).encode(), count=-1)
    shown.append(rc(env, "suggest", "--refresh"))
    shown.append(rc(env, "refresh", "--refs"))
    assert all(KEY not in r.stdout + r.stderr for r in shown)
    assert "Semantic Scholar answered HTTP 403" in shown[-1].stderr


def test_pick_puts_suggestions_in_the_backlog(env):
    found = rows(ok(env, "suggest", "--json"))
    picked = ok(env, "suggest", "--pick", "1,3")
    assert f"added {found[0]['id']}, in the backlog" in picked.stderr
    stored = {p["id"]: p["planned_on"] for p in rows(ok(env, "list", "--json"))}
    assert stored[found[0]["id"]] is None and found[2]["id"] in stored
    again = {r["id"] for r in rows(ok(env, "suggest", "--json"))}
    assert not again & {found[0]["id"], found[2]["id"]}
    assert "there is no result 99" in rc(env, "suggest", "--pick", "99").stderr


def test_like_not_leaves_a_paper_out_and_undo_brings_it_back(env, servers):
    assert "turned down" in ok(env, "like", "2005.08100", "--not").stderr
    assert "2005.08100" not in {r["id"] for r in rows(ok(env, "suggest", "--json"))}
    assert "like 2005.08100 --not" in ok(env, "log").stdout
    ok(env, "undo")
    assert "2005.08100" in {r["id"] for r in rows(ok(env, "suggest", "--json", "--limit", "50"))}
    ok(env, "like", "GaLore", "--not", "--")
    ok(env, "suggest", "--refresh")
    body = servers[2].recommendation_bodies()[-1]
    assert "arXiv:2403.03507" in body["negativePaperIds"]


def test_explain_shows_the_words_that_matched(env):
    explained = ok(env, "suggest", "--explain", "1").stdout
    assert explained.startswith("1. 2402.12354  LoRA+")
    assert "words that matched: " in explained and "low rank" in explained
    assert "like: LoRA (" in explained
    assert "TLDR (machine-written by Semantic Scholar): LoRA+ gives" in explained
    assert "there is no suggestion 42" in rc(env, "suggest", "--explain", "42").stderr


@pytest.fixture
def editor(tmp_path: Path) -> tuple[str, Path]:
    seen = tmp_path / "form.md"
    script = tmp_path / "editor"
    script.write_text(f'#!/bin/sh\ncp "$1" {seen}\n')
    script.chmod(0o755)
    return str(script), seen


def test_what_a_paper_builds_on_in_add_show_and_the_note_form(env, editor):
    env = {**env, "RC_REFS_LOOKUP": "true", "EDITOR": editor[0]}
    added = ok(env, "add", "2402.12354", "--on", "2026-06-10")
    assert "2402.12354: builds on LoRA" in added.stderr
    shown = ok(env, "show", "2402.12354").stdout
    assert "builds on" in shown and "LoRA (read 2026-06-01)" in shown
    assert "cited by 150" in shown
    assert "TLDR (machine-written by Semantic Scholar, not yours)" in shown
    data = json.loads(ok(env, "show", "2402.12354", "--json").stdout)
    assert [(b["id"], b["read_on"]) for b in data["builds_on"]] == [
        ("2106.09685", "2026-06-01"), ("2006.11477", None),  # read; stored, skipped
    ]  # fmt: skip
    ok(env, "note", "2402.12354")
    form = editor[1].read_text()
    assert "#|   [[LoRA]] (read 2026-06-01)" in form
    assert "#|   [[2006.11477]] wav2vec 2.0: A Framework for" in form
    assert "#|   LoRA+ gives the two LoRA matrices different learning rates." in form


def test_the_tldr_never_reaches_export_week(env):
    env = {**env, "RC_REFS_LOOKUP": "true"}
    ok(env, "add", "2402.12354", "--on", "2026-06-10")
    ok(env, "note", "2402.12354", "--description", "Two learning rates.")
    tldr = "LoRA+ gives the two LoRA matrices different learning rates."
    assert tldr in ok(env, "show", "2402.12354").stdout  # kept, and shown where it belongs
    post = ok(env, "export-week", "2026-W24").stdout
    assert "Two learning rates." in post and "LoRA+" in post
    assert tldr not in post and "TLDR" not in post
    assert tldr not in ok(env, "export", "--format", "json").stdout


def test_refresh_refs_matches_the_store_and_remembers_what_is_unknown(env, servers):
    s2 = servers[2]
    ok(env, "add", "--url", "https://example.org/notes", "--title", "Notes")  # never asked
    s2.unknown = {"2307.05695"}
    try:
        refreshed = ok(env, "refresh", "--refs")
        for pid in ("2403.03507", "2305.14314", "2402.09353"):
            assert f"{pid}: builds on LoRA" in refreshed.stderr
        assert "2307.05695: not on Semantic Scholar yet" in refreshed.stderr
        assert s2.batches() == [READ + SKIPPED]  # one request for every stored arXiv paper
        ok(env, "refresh", "--refs")
        assert sorted(s2.batches()[-1]) == sorted(set(READ + SKIPPED) - {"2307.05695"})
        s2.unknown = set()
        named = ok(env, "refresh", "--refs", "2307.05695")  # named: asked at once
        assert s2.batches()[-1] == ["2307.05695"]
        assert "2307.05695: builds on LoRA" in named.stderr
    finally:
        s2.unknown = set()
    assert "LoRA (read 2026-06-01)" in ok(env, "show", "2307.05695").stdout
    assert one_line(rc(env, "refresh", "--refs", "notes")) == "error: not an arXiv paper: notes"


def _stored(home: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(home / "rc.db")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "body",
    [b"[" * 200_000 + b"]" * 200_000, b'{"recommendedPapers": "many"}', b"\xff\xfe nonsense"],
    ids=["deep", "wrong type", "not JSON"],
)
def test_an_unreadable_answer_is_one_line_and_nothing_is_kept(env, servers, body):
    servers[2].faults = Faults(200, body, count=-1)
    result = ok(env, "suggest", "--json")
    assert one_line(result) == (
        "warning: Semantic Scholar: Semantic Scholar sent an answer rc cannot read; suggesting "
        "from Hugging Face only"
    )
    home = Path(env["RC_HOME"])
    assert _stored(home, "SELECT count(*) FROM candidates WHERE source = 's2'") == [(0,)]


def test_odd_values_are_left_out_and_escapes_never_reach_the_terminal(env, servers):
    s2 = servers[2]
    evil = "Low-rank\x1b]8;;https://x.example/\x07 adapters\x9b31m"
    items = [
        {
            "paperId": "1" * 40,
            "externalIds": {"ArXiv": "--renderer-cmd-prefix=x"},
            "title": "Not an id",
        },
        {
            "paperId": "2" * 40,
            "externalIds": {"ArXiv": "2401.00007"},
            "title": evil,
            "abstract": "low-rank adaptation",
            "citationCount": 10**30,
            "publicationDate": 5,
        },
    ]
    s2.faults = Faults(200, json.dumps({"recommendedPapers": items}).encode(), count=1)  # fmt: skip
    result = ok(env, "suggest", "--limit", "50")
    assert "\x1b" not in result.stdout + result.stderr and "\x9b" not in result.stdout
    assert "2401.00007" in result.stdout and "renderer" not in result.stdout
    home = Path(env["RC_HOME"])
    kept = _stored(home, "SELECT arxiv_id, published FROM candidates WHERE source = 's2'")
    assert kept == [("2401.00007", None)]


def test_daily_commands_do_not_load_what_suggest_uses(tmp_path):
    from tests.test_read_path import PROBE, SUGGEST

    out = tmp_path / "probe.json"
    env = {**os.environ, "RC_HOME": str(tmp_path / "home"), "PROBE_OUT": str(out),
           "PROBE_HEAVY": " ".join(SUGGEST)}  # fmt: skip
    subprocess.run([sys.executable, "-c", "import readchallenge.core.taste\n" + PROBE,
                    "--version"], env=env, check=False, timeout=TIMEOUT)  # fmt: skip
    assert json.loads(out.read_text())["heavy"] == ["readchallenge.core.taste"]


def test_discover_shows_the_tldr_and_citations_once_semantic_scholar_was_asked(env, servers):
    before = {r["id"]: r for r in rows(ok(env, "discover", "--json"))}
    assert before["2402.12354"]["tldr"] is None  # rc discover asks Hugging Face only
    asked = len(servers[2].requests)
    ok(env, "suggest")
    after = {r["id"]: r for r in rows(ok(env, "discover", "--json"))}
    lora_plus = after["2402.12354"]
    assert lora_plus["tldr"] == "LoRA+ gives the two LoRA matrices different learning rates."
    assert lora_plus["citations"] == 150
    table = ok(env, "discover").stdout.splitlines()
    assert "cited" in table[0].split() and "150" in next(r for r in table if "2402.12354" in r)
    assert len(servers[2].requests) > asked == 0
