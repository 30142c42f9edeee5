"""The `rc` entry point: commands run from the command table; Typer only settles the rest.

Typer, with the pydantic adapters it builds to run any command, costs more start-up than a
whole daily command. So `main` asks the dispatcher (`dispatch.py`), which reads the table
derived from the command functions, what the arguments call for, and runs it through the
error boundary (`boundary.py`); only what the table cannot settle -- a usage error, an
unknown option -- goes to the Typer app, which reports it through the same boundary.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _version() -> None:
    from readchallenge import __version__

    sys.stdout.write(f"rc {__version__}\n")


def run_fast(args: Sequence[str]) -> int | None:
    """Run `args` from the command table and return the exit status, or None for Typer."""
    from readchallenge import boundary, dispatch

    if list(args) == ["--version"]:
        return boundary.guarded(_version)
    found = dispatch.runner(list(args))
    if found is None:
        return None
    if isinstance(found, str):
        text = found
        return boundary.guarded(lambda: sys.stdout.write(text))
    entry, values = found
    return boundary.run_command(entry, values, args)


def _replace_unencodable_output() -> None:
    """A terminal or pipe that cannot show a character gets a replacement, not a crash:
    an output encoding error is no fault of the user's arguments."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def main() -> None:
    """Console-script entry point."""
    _replace_unencodable_output()
    import os

    if "_RC_COMPLETE" in os.environ:  # a shell asking for completions
        from readchallenge import dispatch

        answer = dispatch.complete(dict(os.environ))
        if answer is not None:
            sys.stdout.write(answer[0])
            sys.exit(answer[1])
        from readchallenge.cli import app

        app(prog_name="rc")  # Typer prints the completion script itself
        return
    code = run_fast(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from readchallenge.cli import app

    app(prog_name="rc")
