"""The daily read path stays light: no ORM, HTTP client or feed parser imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlmodel", "sqlalchemy", "httpx", "arxiv")
# The daily commands skip Typer (and the pydantic it loads) altogether.
FRAMEWORK = ("typer", "pydantic")

# Runs the CLI as `rc` would, then writes which heavy top-level packages were imported.
PROBE = """
import json, os, sys
from readchallenge.fastpath import main
sys.argv = ["rc", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exit:
    code = exit.code or 0
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(os.environ["PROBE_HEAVY"].split()))
with open(os.environ["PROBE_OUT"], "w") as out:
    json.dump({"heavy": heavy, "code": code}, out)
"""


def run_probe(tmp_path: Path, *args: str) -> dict[str, object]:
    out = tmp_path / "probe.json"
    env = {**os.environ, "PROBE_OUT": str(out), "PROBE_HEAVY": " ".join(HEAVY + FRAMEWORK)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True
    )
    assert out.exists(), proc.stderr
    data: dict[str, object] = json.loads(out.read_text())
    return data


READ_COMMANDS = [
    ["--help"], ["--version"], ["info"], ["info", "--json"], ["today"], ["today", "--json"],
    ["list"], ["list", "--limit", "20"], ["show", "2404.07965"], ["plan"], ["calendar"],
]  # fmt: skip


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_read_path_imports_no_heavy_module(args: list[str], tmp_path: Path):
    data = run_probe(tmp_path, *args)
    assert data["code"] == (1 if args[0] == "show" else 0)
    assert [m for m in data["heavy"] if m in HEAVY] == []


FAST = [["--help"], ["--version"], ["today"], ["today", "--json"], ["list", "--limit", "20"],
        ["show", "2404.07965", "--json"]]  # fmt: skip


@pytest.mark.parametrize("args", FAST, ids=" ".join)
def test_daily_commands_do_not_load_typer(args: list[str], tmp_path: Path):
    assert run_probe(tmp_path, *args)["heavy"] == []


def test_probe_notices_a_heavy_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # The guard itself must be able to fail: importing httpx first is seen.
    monkeypatch.setenv("PYTHONSTARTUP", "")
    out = tmp_path / "probe.json"
    env = {**os.environ, "PROBE_OUT": str(out), "PROBE_HEAVY": " ".join(HEAVY)}
    subprocess.run(
        [sys.executable, "-c", "import httpx\n" + PROBE, "--version"], env=env, check=False
    )
    assert json.loads(out.read_text())["heavy"] == ["httpx"]
