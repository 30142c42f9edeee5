"""The dispatcher runs commands from a table derived from the command functions, and a
user cannot tell it from the Typer app built from the same functions: same output, same
errors, same exit codes."""

from __future__ import annotations

import io
import json
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from readchallenge import cli_table, dispatch
from readchallenge.cli import app
from readchallenge.command_table import TABLE
from readchallenge.fastpath import run_fast

# Commands that reach the network, open an editor, write files or take long: their own tests
# run them through both paths; here every other command meets random arguments.
LEFT_OUT = {"add", "fetch", "sync", "refresh", "search", "demo", "backup", "import", "export"}
COMMANDS = sorted(
    path
    for path, entry in TABLE.items()
    if path and path.split()[0] not in LEFT_OUT and not entry["commands"]
)
WORDS = ["a", "bee", "Bee", "2026-06-11", "tomorrow", "next", "2026-W25", "x y", "", "-", "é"]
NUMBERS = ["0", "1", "3", "20", "x", "-1", "--1", "99999999999", "²"]
JUNK = ["--bogus", "-h", "--help", "extra", "--", "-x", "--json"]


def test_the_table_is_the_command_functions():
    assert cli_table.render(cli_table.build()) == cli_table.TABLE_PATH.read_text("utf-8"), (
        "command_table.py is stale: run python -m readchallenge.cli_table"
    )


def test_every_command_has_a_body_that_takes_its_parameters():
    import inspect

    for path, entry in TABLE.items():
        if not path or entry["commands"]:
            continue
        body = dispatch.target(entry)
        config = ["cfg"] if entry["config"] else []
        assert list(inspect.signature(body).parameters) == config + [
            p["name"] for p in entry["params"]
        ]


@st.composite
def argument_lists(draw: Any) -> list[str]:
    path = draw(st.sampled_from(COMMANDS))
    entry = TABLE[path]
    args = path.split()
    for param in draw(st.permutations(entry["params"])):
        if param["type"] == "path" or param["name"] == "open_" or not draw(st.booleans()):
            continue  # files and a browser: their own tests
        if param["kind"] == "argument":
            count = draw(st.integers(1, 2)) if param["nargs"] == -1 else 1
            args += [draw(st.sampled_from(WORDS)) for _ in range(count)]
            continue
        name = draw(st.sampled_from(param["opts"] + param["secondary"]))
        if param["flag"]:
            args.append(name)
            continue
        value = draw(st.sampled_from(NUMBERS if param["type"] == "int" else WORDS))
        args += [f"{name}={value}"] if draw(st.booleans()) else [name, value]
    if draw(st.integers(0, 4)) == 0:
        args.insert(draw(st.integers(len(path.split()), len(args))), draw(st.sampled_from(JUNK)))
    return args


@pytest.fixture(scope="module")
def template_store(tmp_path_factory: Any) -> Path:
    """A store with two items, a reading, a note and a week's words, made once."""
    home = tmp_path_factory.mktemp("template")
    runner = CliRunner()
    old = os.environ.get("RC_HOME")
    os.environ.update(RC_HOME=str(home), RC_TODAY="2026-06-10")
    try:
        for args in (
            ["init", "--start", "2026-06-01"],
            ["add", "--url", "https://example.org/a", "--title", "A"],
            ["add", "--url", "https://example.org/b", "--title", "B", "--as", "Bee"],
            ["read", "a"],
            ["note", "a", "--description", "d", "--takeaway", "t"],
            ["week", "--theme", "T"],
        ):
            assert runner.invoke(app, args).exit_code == 0, args
    finally:
        os.environ.pop("RC_HOME") if old is None else os.environ.update(RC_HOME=old)
    return home


def _fresh_home(template: Path, tmp_path: Path, name: str) -> None:
    home = tmp_path / name
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(template, home)
    os.environ["RC_HOME"] = str(home)


def _through_dispatch(args: list[str]) -> tuple[int | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run_fast(args)
    return code, out.getvalue(), err.getvalue()


# One and a half times the profile's count: 150 by default, 2,400 with the thorough profile.
@settings(
    max_examples=settings.default.max_examples * 3 // 2,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(args=argument_lists())
def test_dispatch_and_typer_agree(template_store, tmp_path, args):
    _fresh_home(template_store, tmp_path, "home")
    code, out, err = _through_dispatch(args)
    _fresh_home(template_store, tmp_path, "home")
    typer_result = CliRunner().invoke(app, args)
    if code is None:
        # Left to Typer, which must refuse them as typed: the fast path declines nothing else.
        lines = typer_result.stderr.splitlines()
        assert typer_result.exit_code == 2, (args, typer_result.output)
        assert lines[0].startswith("error: ") and lines[-1].startswith("Usage: rc"), lines
        return
    assert (code, out, err) == (typer_result.exit_code, typer_result.stdout, typer_result.stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["today"], ["today", "--json"], ["list", "--limit", "1", "--json"], ["show", "bee"],
        ["read", "bee", "--on=2026-06-09"], ["note", "bee", "--takeaway", "x", "--takeaway", "y"],
        ["plan"], ["plan", "next", "--json"], ["plan", "move", "bee", "tomorrow", "--force"],
        ["week", "--theme", "U"], ["skip", "--on", "2026-06-11", "--reason", "ill"],
        ["export-week", "this"], ["info", "--json"], ["--help"], ["read", "--help"],
        ["plan", "-h"], ["plan", "swap", "-h"], ["link", "a", "code", "https://c.org/a"],
        ["--version"],
    ],
)  # fmt: skip
def test_the_daily_commands_run_from_the_table(template_store, tmp_path, args):
    _fresh_home(template_store, tmp_path, "home")
    code, out, err = _through_dispatch(args)
    assert code == 0, err
    _fresh_home(template_store, tmp_path, "home")
    typer_result = CliRunner().invoke(app, args)
    assert (code, out, err) == (typer_result.exit_code, typer_result.stdout, typer_result.stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--limit", "x"], ["list", "--limit"], ["show"], ["show", "a", "b"],
        ["list", "--bogus"], ["today", "extra"], ["frobnicate"], ["read", "--json=1"],
        ["list", "--limit", "--1"], ["plan", "--bogus"],
    ],
)  # fmt: skip
def test_usage_errors_are_left_to_typer(args):
    assert run_fast(args) is None


def test_errors_are_the_same_one_line(template_store, tmp_path):
    _fresh_home(template_store, tmp_path, "home")
    code, out, err = _through_dispatch(["show", "nothing-here"])
    typer_result = CliRunner().invoke(app, ["show", "nothing-here"])
    assert code == typer_result.exit_code == 1
    assert err == typer_result.stderr
    assert err.startswith("error: no paper")


def test_json_of_list_is_valid(template_store, tmp_path):
    _fresh_home(template_store, tmp_path, "home")
    code, out, _ = _through_dispatch(["list", "--json"])
    assert code == 0
    assert [p["id"] for p in json.loads(out)] == ["bee", "a"]
