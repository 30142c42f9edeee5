"""What every command shares: consoles, the config, the error boundary, shared options."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from readchallenge.errors import RcError, UsageError
from readchallenge.output import (
    console,
    err_console,
    print_json,
    quiet_broken_pipe,
    report_error,
    say,
)

if TYPE_CHECKING:
    from readchallenge.config import Config

__all__ = ["console", "err_console", "print_json", "say"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def config() -> Config:
    from readchallenge import config as config_module

    return config_module.load()


def fail(error: RcError) -> typer.Exit:
    """Report an RcError as one line on stderr and give the exit to raise."""
    return typer.Exit(code=report_error(error))


class RcGroup(TyperGroup):
    """The one place where errors become messages and exit codes."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RcError as error:
            raise fail(error) from None
        except UnicodeError:
            # Arguments that are not valid text (undecodable bytes on the command line).
            raise fail(UsageError("an argument is not valid UTF-8 text")) from None
        except BrokenPipeError:
            raise typer.Exit(code=quiet_broken_pipe()) from None
        except KeyboardInterrupt:
            err_console().print("interrupted: the last unfinished change was not kept", style="red")
            raise typer.Exit(code=130) from None


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
