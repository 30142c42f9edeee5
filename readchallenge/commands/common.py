"""What every command shares: consoles, the config, the error boundary, shared options."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from readchallenge.errors import RcError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from readchallenge.config import Config

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

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


def warn(message: str) -> None:
    err_console().print(f"warning: {message}", markup=False, soft_wrap=True, style="yellow")


def config() -> Config:
    from readchallenge import config as config_module

    return config_module.load()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def fail(error: RcError) -> typer.Exit:
    """Report an RcError as one line on stderr and give the exit to raise."""
    message = " ".join(error.message.split()) if "\n" not in error.message else error.message
    err_console().print(f"error: {message}", markup=False, soft_wrap=True, style="red")
    return typer.Exit(code=error.exit_code)


class RcGroup(TyperGroup):
    """The one place where errors become messages and exit codes."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RcError as error:
            raise fail(error) from None
        except BrokenPipeError:
            _quiet_broken_pipe()
        except KeyboardInterrupt:
            err_console().print("interrupted: nothing half-written was kept", style="red")
            raise typer.Exit(code=130) from None


def _quiet_broken_pipe() -> None:
    # The reader went away (`rc list | head -1`): end quietly, as other tools do.
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise typer.Exit(code=0)


class DefaultCommandGroup(RcGroup):
    """A group whose first argument, when it names no subcommand, goes to `default_command`."""

    default_command = "show"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


def day_arg(text: str | None, cfg: Config) -> date | None:
    """A day as the user typed it, or None; unreadable text is a usage error."""
    if text is None:
        return None
    from readchallenge.core.dates import InvalidDate, parse_day

    try:
        return parse_day(text, cfg.today())
    except InvalidDate as exc:
        raise UsageError(str(exc)) from None
