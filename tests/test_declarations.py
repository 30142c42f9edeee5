"""Each command is declared once, by its function: the Typer app, the dispatcher's table,
the help and the command reference all come from it, and what it declares of a value (its
choices, its bounds) is held to on both paths."""

from __future__ import annotations

import ast
import io
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

import readchallenge
from readchallenge import dispatch
from readchallenge.cli import app
from readchallenge.command_table import TABLE
from readchallenge.fastpath import run_fast

PACKAGE = Path(readchallenge.__file__).parent
ROOT = PACKAGE.parent


def _click_commands(command: Any, path: str = "") -> dict[str, Any]:
    found = {path: command}
    for name, sub in getattr(command, "commands", {}).items():
        found |= _click_commands(sub, f"{path} {name}".strip())
    return found


def test_the_typer_app_is_the_table():
    """Typer builds from the same reading of the functions the dispatcher runs from: every
    command, its help, and each parameter as click parses it."""
    commands = _click_commands(get_command(app))
    assert sorted(commands) == sorted(TABLE)
    for path, command in commands.items():
        entry = TABLE[path]
        assert (command.help or "").strip() == entry["help"], path
        assert list(getattr(command, "commands", [])) == entry["commands"], path
        params = [p for p in command.params if p.expose_value]
        assert [p.name for p in params] == [p["name"] for p in entry["params"]], path
        for param, declared in zip(params, entry["params"], strict=True):
            assert list(param.opts) == declared["opts"], (path, param.name)
            assert list(param.secondary_opts) == declared["secondary"], (path, param.name)
            assert (param.nargs, param.multiple) == (declared["nargs"], declared["multiple"])
            assert param.required == declared["required"], (path, param.name)
            assert param.default == declared["default"], (path, param.name)
            assert param.metavar == declared["metavar"], (path, param.name)


BELOW = ("core", "store", "sources", "sync", "services", "render", "results")


def _signatures() -> dict[str, list[str]]:
    """Every function of the commands' floor (`module:name`) with its parameters' names,
    `cfg` aside; what lies below takes its own arguments."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        if relative.parts[1] in BELOW:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                names += [a.arg for a in node.args.kwonlyargs]
                found[f"{'.'.join(relative.parts)}:{node.name}"] = [n for n in names if n != "cfg"]
    return found


def test_no_parameter_list_is_written_twice():
    """A command's parameters are written in its function and in no other: no separate
    declaration, no body elsewhere taking the same list."""
    signatures = _signatures()
    commands = {entry["run"] for entry in TABLE.values()}
    repeated = []
    for entry in TABLE.values():
        names = [p["name"] for p in entry["params"]]
        if len(names) < 2:
            continue
        also = [f for f, params in signatures.items() if params == names and f not in commands]
        if also:
            repeated.append((entry["run"], also))
    assert repeated == []


def test_every_default_is_within_what_its_parameter_takes():
    for entry in TABLE.values():
        defaults = {p["name"]: p["default"] for p in entry["params"]}
        dispatch.check(entry, defaults)  # raises for a default outside its choices or bounds
        assert all(p["default"] in [None, *p["choices"]] for p in entry["params"] if p["choices"])


@pytest.fixture(scope="module")
def stocked(tmp_path_factory: Any) -> Path:
    home = tmp_path_factory.mktemp("declared")
    env = {**os.environ, "RC_HOME": str(home), "RC_TODAY": "2026-06-10"}
    for args in (
        ["init", "--start", "2026-06-01"],
        ["add", "--url", "https://example.org/a", "--title", "A"],
    ):
        subprocess.run([sys.executable, "-m", "readchallenge", *args], env=env, check=True,
                       capture_output=True)  # fmt: skip
    return home


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--limit", "0"], "--limit must be at least 1"),
        (["list", "--limit", "99999999999"], "--limit must be at most 1000000000"),
        (["list", "--status", "gone"], "--status must be ok, pending or missing, not 'gone'"),
        (["list", "--sort", "stars"], "--sort must be added or upvotes, not 'stars'"),
        (["list", "--kind", "video"], "--kind must be paper, blog, model or code, not 'video'"),
        (["calendar", "--theme", "sepia"], "--theme must be light or dark, not 'sepia'"),
        (["log", "-n", "0"], "-n must be at least 1"),
        (["undo", "0"], "N must be at least 1"),
        (["link", "a", "repo", "https://example.org/r"],
         "KIND must be model, paper, code, blog or other, not 'repo'"),
        (["add", "--url", "https://example.org/b", "--title", "B", "--kind", "video"],
         "--kind must be paper, blog, model or code, not 'video'"),
        (["edit", "a", "--kind", "video"],
         "--kind must be paper, blog, model or code, not 'video'"),
        (["init", "--per-day", "21"], "--per-day must be at most 20"),
        (["export", "--format", "xml"], "--format must be json or bibtex, not 'xml'"),
        (["export-week", "--format", "pdf"], "--format must be markdown or html, not 'pdf'"),
        (["search", "q", "--sort", "new"], "--sort must be relevance or submitted, not 'new'"),
        (["search", "q", "--source", "web"], "--source must be all, arxiv or hf, not 'web'"),
        (["search", "q", "--max", "101"], "--max must be at most 100"),
        (["discover", "--limit", "0"], "--limit must be at least 1"),
    ],
)  # fmt: skip
def test_declared_choices_and_bounds_are_one_line_on_both_paths(
    stocked: Path, rc_home: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
):
    home = rc_home.parent / "copy"
    shutil.copytree(stocked, home)
    monkeypatch.setenv("RC_HOME", str(home))
    before = {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()}
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run_fast(args)
    typer_result = CliRunner().invoke(app, args)
    assert (code, out.getvalue(), err.getvalue()) == (2, "", f"error: {message}\n")
    assert (typer_result.exit_code, typer_result.stdout, typer_result.stderr) == (
        2, "", f"error: {message}\n"
    )  # fmt: skip
    assert {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()} == before


def test_a_new_option_is_its_declaration_and_nothing_else(tmp_path: Path):
    """In a copy of rc, an option added to one command function reaches both paths, the help
    and the checks for stale generated files, with no other file edited by hand."""
    copy = tmp_path / "copy"
    shutil.copytree(PACKAGE, copy / "readchallenge", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", copy / "docs")
    admin = copy / "readchallenge" / "commands" / "admin.py"
    text = admin.read_text(encoding="utf-8")
    before = "def path(cfg: Config) -> None:\n"
    after = (
        "def path(\n"
        "    cfg: Config,\n"
        '    parent: Annotated[bool, Opt("--parent", help="Print its parent.")] = False,\n'
        ") -> None:\n"
    )
    body = 'sys.stdout.write(f"{cfg.home}\\n")'
    assert before in text and body in text
    text = text.replace(before, after)
    text = text.replace(body, 'sys.stdout.write(f"{cfg.home.parent if parent else cfg.home}\\n")')
    admin.write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy), "RC_HOME": str(tmp_path / "home" / "rc")}

    def rc(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], env=env, cwd=copy, capture_output=True,
                              text=True, timeout=300)  # fmt: skip

    assert rc("-m", "readchallenge.cli_table", "--check").returncode == 1  # the table is stale
    assert rc("-m", "readchallenge.docgen", "--check").returncode == 1  # so is the reference
    assert rc("-m", "readchallenge.cli_table").returncode == 0
    assert rc("-m", "readchallenge.docgen").returncode == 0
    fast = rc("-m", "readchallenge", "path", "--parent")
    typer = rc("-c", "from readchallenge.cli import main; main()", "path", "--parent")
    assert fast.stdout == typer.stdout == f"{tmp_path / 'home'}\n", (fast.stderr, typer.stderr)
    assert "--parent" in rc("-m", "readchallenge", "path", "--help").stdout
    assert "`--parent`" in (copy / "docs" / "commands.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_in_the_reference():
    text = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    for path, entry in TABLE.items():
        if path:
            assert f"### rc {path}\n" in text, path
        for param in entry["params"]:
            if path and param["kind"] == "option":
                assert f"| `{param['opts'][0]}" in text.split(f"### rc {path}\n")[1], (path, param)
