"""One boundary turns whatever a command raises into one line on stderr and an exit status,
the same on the fast path and in the Typer app."""

from __future__ import annotations

import importlib
import io
import os
import pkgutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

import pytest
from typer.testing import CliRunner

import readchallenge
from readchallenge import errors
from readchallenge.cli import app
from readchallenge.errors import ExitStatus
from readchallenge.fastpath import run_fast

# Every kind of error rc reports, and the status it ends rc with. A new kind fails the first
# test below until it is given its status here.
STATUS = {
    "RcError": ExitStatus.ERROR,
    "UsageError": ExitStatus.USAGE,
    "ConfigError": ExitStatus.ERROR,
    "SettingError": ExitStatus.USAGE,
    "StoreError": ExitStatus.ERROR,
    "NotFound": ExitStatus.ERROR,
    "Ambiguous": ExitStatus.USAGE,
    "Conflict": ExitStatus.ERROR,
    "ArxivError": ExitStatus.ERROR,
    "ArxivUnavailable": ExitStatus.ERROR,
    "IncompleteResult": ExitStatus.ERROR,
    "Interrupted": ExitStatus.INTERRUPTED,
    "GitError": ExitStatus.ERROR,
    "HuggingFaceUnavailable": ExitStatus.ERROR,
    "ScholarUnavailable": ExitStatus.ERROR,
    "NoPositives": ExitStatus.ERROR,
    "FolderError": ExitStatus.ERROR,
}


def _kinds() -> dict[str, type[errors.RcError]]:
    for module in pkgutil.walk_packages(readchallenge.__path__, "readchallenge."):
        if module.name not in ("readchallenge.__main__",):
            importlib.import_module(module.name)
    found: dict[str, type[errors.RcError]] = {}
    pending: list[type[errors.RcError]] = [errors.RcError]
    while pending:
        kind = pending.pop()
        found[kind.__name__] = kind
        pending += kind.__subclasses__()
    return found


def test_every_kind_of_error_has_its_status():
    assert sorted(_kinds()) == sorted(STATUS)


def _raising(exception: BaseException) -> Any:
    def body(*args: object, **kwargs: object) -> None:
        raise exception

    return body


def _both_paths(args: list[str]) -> list[tuple[int | None, str, str]]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run_fast(args)
    typer_result = CliRunner().invoke(app, args)
    return [
        (code, out.getvalue(), err.getvalue()),
        (typer_result.exit_code, typer_result.stdout, typer_result.stderr),
    ]


@pytest.mark.parametrize("name", sorted(STATUS))
def test_each_error_is_one_line_and_its_status_on_both_paths(name, monkeypatch):
    kind = _kinds()[name]
    error = kind("it went wrong", ["a"]) if name == "Ambiguous" else kind("it went wrong")  # type: ignore[call-arg]
    monkeypatch.setattr("readchallenge.commands.daily.today", _raising(error))
    expected = (STATUS[name], "", "error: it went wrong\n")
    assert _both_paths(["today"]) == [expected, expected]


def test_ctrl_c_is_130_and_says_what_was_kept_on_both_paths(monkeypatch):
    monkeypatch.setattr("readchallenge.commands.daily.today", _raising(KeyboardInterrupt()))
    said = "interrupted: the last unfinished change was not kept\n"
    expected = (ExitStatus.INTERRUPTED, "", said)
    assert _both_paths(["today"]) == [expected, expected]


def test_a_usage_error_is_2_with_the_usage_line():
    fast, typer = _both_paths(["today", "--bogus"])
    assert fast[0] is None  # the table cannot settle it: Typer reports it
    assert typer == (
        ExitStatus.USAGE,
        "",
        "error: No such option: --bogus\nUsage: rc today [OPTIONS]\n",
    )
    declared = ["calendar", "--theme", "sepia"]
    expected = (ExitStatus.USAGE, "", "error: --theme must be light or dark, not 'sepia'\n")
    assert _both_paths(declared) == [expected, expected]


PIPE = """
import sys
from readchallenge.commands import daily

def today(*args, **kwargs):
    raise BrokenPipeError

daily.today = today
sys.argv = ["rc", "today"]
from readchallenge.{module} import main
main()
"""


@pytest.mark.parametrize("module", ["fastpath", "cli"])
def test_a_reader_gone_away_is_status_1_and_silence(module, tmp_path):
    env = {**os.environ, "RC_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-c", PIPE.replace("{module}", module)], env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert (result.returncode, result.stdout, result.stderr) == (ExitStatus.ERROR, "", "")


def test_a_number_that_is_not_one_is_a_usage_error_not_a_traceback(tmp_path):
    env = {**os.environ, "RC_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "readchallenge", "list", "--limit", "--1"],
                            env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == ExitStatus.USAGE
    assert result.stderr.startswith("error: Invalid value for '--limit'")
    assert "Traceback" not in result.stderr
