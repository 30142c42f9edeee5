"""The Typer side every declaration shares: the decorator, shared options, help and errors."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from readchallenge import completion
from readchallenge.errors import RcError, UsageError
from readchallenge.output import err_console, quiet_broken_pipe, report_error

# The themes of `rc --help`, in the order it lists them.
EVERY_DAY = "Every day"
PAPERS = "Papers"
PLAN_AND_POST = "The plan and the Sunday post"
SEASON = "The season: find, tags, the series"
HISTORY = "History and other devices"
RC_ITSELF = "rc itself"
PANELS = (EVERY_DAY, PAPERS, PLAN_AND_POST, SEASON, HISTORY, RC_ITSELF)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
PaperArg = Annotated[
    str,
    typer.Argument(
        autocompletion=completion.papers,
        metavar="PAPER",
        help="Paper id, arXiv id or display name.",
    ),
]
WeekArg = Annotated[
    str | None,
    typer.Argument(
        autocompletion=completion.weeks,
        metavar="WEEK",
        help="this, next, last, YYYY-Www or a day (default: this week; on Saturday and "
        "Sunday, when the post is written, the coming one).",
    ),
]
OnOpt = Annotated[
    str | None,
    typer.Option(
        autocompletion=completion.days,
        metavar="DAY",
        help="The day: YYYY-MM-DD, today, yesterday, a weekday, next monday, this sunday, "
        "in 3 days, +3, -1 (default: today).",
    ),
]
CONTEXT = {"help_option_names": ["-h", "--help"]}


def _entry(command: Any, ctx: Any) -> dict[str, Any]:
    from readchallenge.cli_table import describe

    path = ctx.command_path.split(" ", 1)[1] if " " in ctx.command_path else ""
    return describe(command, path)


class RcCommand(TyperCommand):
    """A command whose help is rc's plain help, the same text the dispatcher prints."""

    def get_help(self, ctx: Any) -> str:
        from readchallenge.helptext import command_help

        return command_help(_entry(self, ctx)).rstrip("\n")


def fail(error: RcError) -> typer.Exit:
    """Report an RcError as one line on stderr and give the exit to raise."""
    return typer.Exit(code=report_error(error))


class RcGroup(TyperGroup):
    """The one place where errors become messages and exit codes, for the Typer path."""

    def get_help(self, ctx: Any) -> str:
        from readchallenge import helptext
        from readchallenge.cli_table import build_from

        if ctx.parent is None:
            return helptext.overview(build_from(self)).rstrip("\n")
        entry = _entry(self, ctx)
        subs = [
            _entry(sub, ctx) | {"path": f"{entry['path']} {name}"}
            for name, sub in self.commands.items()
        ]
        return helptext.command_help(entry, subs).rstrip("\n")

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Usage errors in rc's one style: `error: …` and the usage line on stderr, exit 2
        (Typer would draw a panel)."""
        from typer._click import exceptions  # Typer's own click, which raises these

        from readchallenge import store

        store.command_line = list(args) if args is not None else sys.argv[1:]
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except exceptions.UsageError as exc:
            from readchallenge.helptext import usage

            say_error = err_console().print
            say_error(f"error: {exc.format_message()}", markup=False, soft_wrap=True)
            if exc.ctx is not None:
                say_error(usage(_entry(exc.ctx.command, exc.ctx)), markup=False, soft_wrap=True)
            else:  # click's parser names no command for an option without its value
                from readchallenge.dispatch import resolve

                found = resolve(list(args) if args is not None else sys.argv[1:])
                if found is not None:
                    say_error(usage(found[0]), markup=False, soft_wrap=True)
            sys.exit(2)
        except exceptions.ClickException as exc:
            err_console().print(f"error: {exc.format_message()}", markup=False, soft_wrap=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

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


def declare(
    app: typer.Typer, run: Callable[..., None], *, panel: str | None = None, name: str | None = None
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Declare a command: its parameters, help and docstring are the decorated function's,
    its body is `run` (in `actions/`, free of Typer), called with the same keyword arguments.
    The dispatcher finds `run` through the command table; Typer calls it through here."""

    def decorator(declared: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(declared)
        def callback(**values: Any) -> None:
            run(**values)

        callback.__rc_run__ = f"{run.__module__}:{run.__qualname__}"  # type: ignore[attr-defined]
        app.command(name, rich_help_panel=panel, cls=RcCommand, context_settings=CONTEXT)(callback)
        return declared

    return decorator
