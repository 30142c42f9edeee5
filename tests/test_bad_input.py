"""Random and extreme input through the real CLI: exit 0/1/2 only, no traceback, and the
store unchanged whenever the exit code is not 0."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from readchallenge.cli import app

# Each example runs the whole CLI, so a quarter of the profile's count (see conftest.py).
FUZZ = settings(
    max_examples=max(1, settings.default.max_examples // 4),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Text a shell can pass: no NUL and no lone surrogates, plus the tricky characters.
words = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "-",
            "--",
            "2026-02-30",
            "last",
            "W99",
            "2404.07965v0",
            "https://",
            "‮evil",
            "🙂",
            "a" * 500,
            "[x](y)",
            "$\\rho$",
        ]
    ),
)


def snapshot(home: Path) -> list[tuple[object, ...]]:
    path = home / "rc.db"
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    rows: list[tuple[object, ...]] = []
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY 1"):
        if table != "counters":  # derived values rc may refresh on any read
            rows += [(table, *r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1")]
    conn.close()
    return rows


class Cli:
    """Runs the CLI in-process and checks the promises above after each command."""

    def __init__(self, home: Path, template: Path) -> None:
        self.home = home
        self.template = template
        self.runner = CliRunner()

    def fresh(self) -> None:
        """Start an example from the seeded store. Examples stay independent, so hypothesis
        can replay and shrink a failure, and the change log does not grow from one example to
        the next (which made each example slower than the last)."""
        shutil.rmtree(self.home)
        shutil.copytree(self.template, self.home)

    def __call__(self, *args: str) -> None:
        before = snapshot(self.home)
        result = self.runner.invoke(app, list(args))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert "Traceback" not in result.output
        if result.exit_code != 0:
            assert snapshot(self.home) == before, args


@pytest.fixture
def invoke(rc_home: Path, arxiv_api, tmp_path: Path) -> Cli:
    seeded = CliRunner().invoke(app, ["add", "--url", "https://example.org/a", "--title", "A"])
    assert seeded.exit_code == 0
    shutil.copytree(rc_home, tmp_path / "seeded")
    return Cli(rc_home, tmp_path / "seeded")


@FUZZ
@given(st.lists(words, min_size=1, max_size=3))
def test_add_ids(invoke, ids):
    invoke.fresh()
    invoke("add", *ids)


@FUZZ
@given(words, words, words, words)
def test_add_items(invoke, url, title, name, authors):
    invoke.fresh()
    invoke("add", "--url", url, "--title", title, "--as", name, "--authors", authors)
    invoke("add", "--url", f"https://example.org/{url}", "--title", title, "--on", name)


@FUZZ
@given(words, words)
def test_read_and_plan(invoke, paper, day):
    invoke.fresh()
    invoke("read", paper, "--on", day)
    invoke("plan", "move", paper, day)
    invoke("plan", day)
    invoke("skip", "--on", day, "--reason", paper)


@FUZZ
@given(words, words)
def test_notes_and_weeks(invoke, text, week):
    invoke.fresh()
    invoke("note", "a", "--description", text, "--takeaway", text)
    invoke("week", week, "--theme", text, "--next", text)
    invoke("export-week", week)
    invoke("link", "a", text, text)


def test_extreme_but_valid_data_round_trips(run, rc_home):
    title = "Ünïcödé 🙂 title " + "x" * 5000
    authors = ", ".join(f"Author {n} محمد" for n in range(1000))
    result = run(
        "add",
        "--url",
        "https://example.org/big",
        "--title",
        title,
        "--as",
        "Big",
        "--authors",
        authors,
    )
    assert result.exit_code == 0, result.output
    note = "שלום עולם — right-to-left, and emoji 🚀🚀"
    assert run("note", "big", "--description", note).exit_code == 0
    shown = json.loads(run("show", "big", "--json").stdout)
    assert shown["title"] == title and len(shown["authors"]) == 1000
    assert shown["description"] == note
    assert run("show", "big").exit_code == 0
    assert note in run("export-week", "this").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["note", "a", "--description", "bad\x00byte"],
        ["add", "--url", "https://example.org/n", "--title", "nul\x00title"],
        ["week", "--theme", "nul\x00"],
    ],
)
def test_nul_bytes_are_refused_clearly(invoke, args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "error:" in result.stderr
    invoke(*args)


def test_undecodable_argument_is_a_usage_error(run, rc_home):
    result = run("add", "--url", "https://example.org/x", "--title", "bad \udcff bytes")
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr
