"""The one error boundary: whatever a command raises becomes one line on stderr and an
`ExitStatus`, the same on the fast path (`fastpath`) and in the Typer app (`cli`)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from readchallenge.errors import ExitStatus, RcError, UsageError

if TYPE_CHECKING:
    from readchallenge.params import CommandEntry

INTERRUPTED = "interrupted: the last unfinished change was not kept"


def say_error(message: str) -> None:
    """`error: message` on stderr, on one line whatever the message holds."""
    from readchallenge.core.text import printable
    from readchallenge.output import err_console

    text = " ".join(printable(message).split())
    err_console().print(f"error: {text}", markup=False, soft_wrap=True, style="red")


def report(error: RcError) -> ExitStatus:
    say_error(error.message)
    return ExitStatus(error.exit_code)


def parser_error(
    message: str, usage: str | None, status: ExitStatus = ExitStatus.USAGE
) -> ExitStatus:
    """A mistake in the words typed that only Typer's parser names (an unknown option, a
    missing argument): its message, then the command's usage line."""
    from readchallenge.output import err_console

    say = err_console().print
    say(f"error: {message}", markup=False, soft_wrap=True)
    if usage is not None:
        say(usage, markup=False, soft_wrap=True)
    return status


def quiet_broken_pipe() -> ExitStatus:
    """The reader went away (`rc list | head -1`): silence stdout so that exiting stays
    quiet. Python's docs advise status 1, which is also what rich ends with on its own."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return ExitStatus.ERROR


def guarded(run: Callable[[], object]) -> ExitStatus:
    """Run `run` and give the status it ends with, reporting any error on the way."""
    try:
        run()
        sys.stdout.flush()
    except RcError as error:
        return report(error)
    except UnicodeError:
        # Arguments that are not valid text (undecodable bytes on the command line).
        return report(UsageError("an argument is not valid UTF-8 text"))
    except BrokenPipeError:
        return quiet_broken_pipe()
    except KeyboardInterrupt:
        from readchallenge.output import err_console

        err_console().print(INTERRUPTED, style="red")
        return ExitStatus.INTERRUPTED
    return ExitStatus.SUCCESS


def run_command(
    entry: CommandEntry, values: dict[str, object], command_line: Sequence[str]
) -> ExitStatus:
    """Run a command of the table with the values parsed for it: its choices and bounds
    checked, the configuration loaded (with the command line, for the change log), the
    function called. Both paths end here."""
    from readchallenge.dispatch import check, target

    def run() -> None:
        check(entry, values)
        body = target(entry)
        if not entry["config"]:
            body(**values)
            return
        from readchallenge import config

        body(config.load(command_line=command_line), **values)

    return guarded(run)
