"""The fast entry point gives the same results as the Typer app, without loading Typer."""

from __future__ import annotations

import json

import pytest

from readchallenge.fastpath import run_fast


@pytest.fixture
def stocked(run, arxiv_api) -> None:
    assert run("add", "1605.08386", "--as", "Walks").exit_code == 0
    assert run("add", "--url", "https://example.org/x", "--title", "X").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["today"], ["today", "--json"], ["list"], ["list", "--json"],
        ["list", "--limit", "1", "--json"], ["list", "--status", "ok"],
        ["show", "walks"], ["show", "1605.08386", "--json"], ["--version"],
    ],
)  # fmt: skip
def test_same_output_as_typer(stocked, run, capsys, args):
    typer_result = run(*args)
    code = run_fast(args)
    fast = capsys.readouterr()
    assert code == typer_result.exit_code == 0
    assert fast.out == typer_result.stdout


def test_errors_are_the_same_one_line(run, capsys):
    code = run_fast(["show", "nothing-here"])
    fast = capsys.readouterr()
    typer_result = run("show", "nothing-here")
    assert code == typer_result.exit_code == 1
    assert fast.err == typer_result.stderr
    assert fast.err.startswith("error: no paper")


@pytest.mark.parametrize(
    "args",
    [
        ["today", "--help"], ["list", "--limit", "x"], ["list", "--limit"], ["show"],
        ["show", "a", "b"], ["list", "--bogus"], ["add", "1605.08386"], ["today", "extra"],
    ],
)  # fmt: skip
def test_anything_else_goes_to_typer(args):
    assert run_fast(args) is None


def test_json_of_list_is_valid(stocked, capsys):
    assert run_fast(["list", "--json"]) == 0
    assert [p["id"] for p in json.loads(capsys.readouterr().out)] == ["x", "1605.08386"]
