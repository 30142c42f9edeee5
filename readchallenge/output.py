"""Where output goes: data on stdout, everything else on stderr (no Typer import)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from readchallenge.errors import RcError

if TYPE_CHECKING:
    from rich.console import Console

_consoles: dict[str, Console] = {}


def console() -> Console:
    """The console for data (stdout)."""
    if "out" not in _consoles or _consoles["out"].file is not sys.stdout:
        from rich.console import Console

        _consoles["out"] = Console(highlight=False, soft_wrap=False)
    return _consoles["out"]


def err_console() -> Console:
    """The console for progress, warnings and errors (stderr)."""
    if "err" not in _consoles or _consoles["err"].file is not sys.stderr:
        from rich.console import Console

        _consoles["err"] = Console(stderr=True, highlight=False)
    return _consoles["err"]


def say(message: str) -> None:
    """A line of progress or outcome for the user, on stderr."""
    err_console().print(message, markup=False, soft_wrap=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def print_json_stream(items: Iterable[Any]) -> None:
    """A JSON array written item by item, byte for byte what `print_json(list(items))`
    writes, without holding the list."""
    write = sys.stdout.write
    first = True
    for item in items:
        write("[\n" if first else ",\n")
        text = json.dumps(item, indent=2, ensure_ascii=False)
        write("  " + text.replace("\n", "\n  "))
        first = False
    write("[]\n" if first else "\n]\n")


def report_error(error: RcError) -> int:
    """Print an RcError as one line on stderr; return the exit code it calls for."""
    message = " ".join(error.message.split())
    err_console().print(f"error: {message}", markup=False, soft_wrap=True, style="red")
    return error.exit_code


BROKEN_PIPE_EXIT = 1  # what Python's docs advise, and what rich does on its own writes


def quiet_broken_pipe() -> int:
    """The reader went away (`rc list | head -1`): silence stdout so that exiting stays
    quiet, and give the exit code to end with."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return BROKEN_PIPE_EXIT
