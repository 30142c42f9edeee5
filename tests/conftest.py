"""Every test gets its own RC_HOME, a fixed clock and a fast, fake arXiv."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from readchallenge.cli import app

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "arxiv"


@pytest.fixture(autouse=True)
def rc_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for name in list(os.environ):
        if name.startswith("RC_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RC_HOME", str(home))
    monkeypatch.setenv("RC_TODAY", "2026-06-10")
    monkeypatch.setenv("RC_ARXIV_MIN_INTERVAL", "0")
    monkeypatch.setenv("RC_ARXIV_API_URL", "http://arxiv.test/api/query")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return home


@pytest.fixture
def run() -> Callable[..., Any]:
    """Run the real CLI in-process: `run("add", "1605.08386")`."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Any:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def db(rc_home: Path) -> Callable[[], sqlite3.Connection]:
    def open_db() -> sqlite3.Connection:
        return sqlite3.connect(rc_home / "rc.db")

    return open_db


def recording(prefix: str) -> dict[str, Any]:
    """The recorded API response whose file name starts with `prefix`."""
    matches = sorted(FIXTURES.glob(f"{prefix}_s*.json"))
    assert matches, f"no recording {prefix}"
    data: dict[str, Any] = json.loads(matches[0].read_text(encoding="utf-8"))
    return data


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Record the waits the arXiv client asks for instead of sleeping through them."""
    from readchallenge.sources import arxiv

    waits: list[float] = []
    monkeypatch.setattr(arxiv, "sleep", waits.append)
    yield waits
