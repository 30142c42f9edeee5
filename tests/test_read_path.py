"""The daily commands stay light: no ORM, HTTP client, feed parser or Typer imported."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Stores

HEAVY = ("sqlmodel", "sqlalchemy", "httpx", "arxiv")
# What rc suggest uses: the taste model, the ranking, Semantic Scholar (#25).
SUGGEST = ("readchallenge.core.taste", "readchallenge.core.ranking",
           "readchallenge.commands.suggest", "readchallenge.render.suggest",
           "readchallenge.services.suggest", "readchallenge.services.candidates",
           "readchallenge.services.scholar", "readchallenge.sources.semanticscholar")  # fmt: skip
# The daily commands skip Typer (and the pydantic it loads) altogether.
FRAMEWORK = ("typer", "pydantic")

# Runs the CLI as `rc` would, then writes which heavy top-level packages were imported and
# how many SQLite connections the command opened.
PROBE = """
import json, os, sqlite3, sys
opened = []
connect = sqlite3.connect
sqlite3.connect = lambda *args, **kwargs: opened.append(args) or connect(*args, **kwargs)
from readchallenge.fastpath import main
sys.argv = ["rc", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exit:
    code = exit.code or 0
loaded = {m.split(".")[0] for m in sys.modules} | set(sys.modules)
heavy = sorted(loaded & set(os.environ["PROBE_HEAVY"].split()))
with open(os.environ["PROBE_OUT"], "w") as out:
    json.dump({"heavy": heavy, "code": code, "connections": len(opened)}, out)
"""


STOCKED = (
    ("init", "--start", "2026-06-01"),
    ("add", "--url", "https://example.org/a", "--title", "A"),
    ("read", "a"),
)


@pytest.fixture
def stocked_env(tmp_path: Path, stores: Stores) -> dict[str, str]:
    """The environment of an rc process on a store with a challenge, a paper and a reading."""
    home = stores.copy(tmp_path / "home", *STOCKED)
    return {**os.environ, "RC_HOME": str(home), "RC_TODAY": "2026-06-10"}


# Every command a reader runs daily, with the options they use (the goal of #11).
DAILY = [
    ["--help"], ["-h"], ["--version"], ["info"], ["info", "--json"], ["today"], ["today", "--json"],
    ["list"], ["list", "--limit", "20"], ["show", "a"], ["show", "a", "--json"], ["plan"],
    ["plan", "next", "--json"], ["week"], ["week", "--json"], ["calendar"], ["export-week"],
    ["read"], ["read", "a", "--on", "yesterday"], ["unread", "a"], ["skip", "--reason", "ill"],
    ["note", "a", "--description", "d", "--takeaway", "t"], ["link", "a", "code", "https://c.org"],
    ["week", "--theme", "T"], ["plan", "move", "a", "tomorrow"], ["read", "--help"],
    ["note", "--help"], ["plan", "--help"], ["plan", "move", "--help"], ["export-week", "-h"],
    ["log"], ["log", "--json"], ["undo"], ["log", "--help"], ["links", "a"],
    ["add", "--url", "https://example.org/c", "--title", "C"],
]  # fmt: skip


@pytest.mark.parametrize("args", DAILY, ids=" ".join)
def test_daily_commands_load_no_heavy_module_and_no_typer(
    args: list[str], tmp_path: Path, stocked_env: dict[str, str]
):
    env = stocked_env
    out = tmp_path / "probe.json"
    env.update(PROBE_OUT=str(out), PROBE_HEAVY=" ".join(HEAVY + FRAMEWORK + SUGGEST))
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, timeout=300
    )
    data = json.loads(out.read_text())
    assert data["code"] == 0, proc.stderr
    assert data["heavy"] == []
    # One connection a command: what it reads and what it changes is one view of the store.
    about_rc = {"--help", "-h", "--version"} & set(args)
    assert data["connections"] == (0 if about_rc else 1)


def test_probe_notices_a_heavy_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # The guard itself must be able to fail: importing httpx first is seen.
    monkeypatch.setenv("PYTHONSTARTUP", "")
    out = tmp_path / "probe.json"
    env = {**os.environ, "PROBE_OUT": str(out), "PROBE_HEAVY": " ".join(HEAVY)}
    subprocess.run(
        [sys.executable, "-c", "import httpx\n" + PROBE, "--version"], env=env, timeout=300
    )
    assert json.loads(out.read_text())["heavy"] == ["httpx"]


def test_a_completion_request_is_answered_without_typer(
    tmp_path: Path, stocked_env: dict[str, str]
):
    env = stocked_env
    out = tmp_path / "probe.json"
    env.update(
        PROBE_OUT=str(out),
        PROBE_HEAVY=" ".join(HEAVY + FRAMEWORK),
        _RC_COMPLETE="complete_bash",
        COMP_WORDS="rc note ",
        COMP_CWORD="2",
    )
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300
    )
    data = json.loads(out.read_text())
    assert data["code"] == 0, proc.stderr
    assert data["heavy"] == []
    assert "a" in proc.stdout.split()  # the stored paper's id


def test_export_week_leaves_openssl_out_and_hashlib_whole_for_later_code(
    tmp_path: Path, stocked_env: dict[str, str]
):
    # Jinja2 imports hashlib for a bytecode cache rc does not use; through OpenSSL that is a
    # sixth of the export's memory. Code importing hashlib after the export still gets OpenSSL.
    pytest.importorskip("_hashlib")
    env = stocked_env
    out = tmp_path / "probe.json"
    env.update(PROBE_OUT=str(out), PROBE_HEAVY="_hashlib jinja2")
    after = "\nimport hashlib\nprint(hasattr(hashlib, 'scrypt'), hashlib.sha1(b'rc').hexdigest())"
    command = [sys.executable, "-c", PROBE + after, "export-week"]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    data = json.loads(out.read_text())
    assert data["code"] == 0, proc.stderr
    assert "## Monday" in proc.stdout
    assert data["heavy"] == ["jinja2"]  # the post was rendered, without libcrypto
    assert proc.stdout.splitlines()[-1] == f"True {hashlib.sha1(b'rc').hexdigest()}"
