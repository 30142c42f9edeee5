"""The Typer app, built from the command functions: help, usage errors and completion.

Every command comes from `cli_table.build()`, the same reading of `commands/` the dispatcher's
table is written from: each parameter becomes a `typer.Option` or `typer.Argument`, and the
callback hands the parsed values to `boundary.run_command`, where the fast path ends too.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from readchallenge import __version__, boundary, cli_table, dispatch
from readchallenge.errors import ExitStatus

if TYPE_CHECKING:
    from readchallenge.params import CommandEntry, ParamEntry

CONTEXT = {"help_option_names": ["-h", "--help"]}
_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool, "path": Path}


def _entry(ctx: Any) -> CommandEntry:
    """The table entry of the command a context runs (`rc plan move` → "plan move")."""
    return cli_table.build()[ctx.command_path.partition(" ")[2]]


class RcCommand(TyperCommand):
    """A command whose help is rc's plain help, the same text the dispatcher prints."""

    def get_help(self, ctx: Any) -> str:
        from readchallenge.helptext import command_help

        return command_help(_entry(ctx)).rstrip("\n")


class RcGroup(TyperGroup):
    """rc and its command groups: rc's help, and usage errors in rc's one style."""

    def get_help(self, ctx: Any) -> str:
        from readchallenge import helptext

        if ctx.parent is None:
            return helptext.overview(cli_table.build()).rstrip("\n")
        entry = _entry(ctx)
        subs = [cli_table.build()[f"{entry['path']} {name}"] for name in entry["commands"]]
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
        """`error: …` and the usage line on stderr, exit 2 (Typer would draw a panel). The
        command line goes to the commands as the context's `obj`, for the change log."""
        from typer._click import exceptions  # Typer's own click, which raises these

        words = list(args) if args is not None else sys.argv[1:]
        extra.setdefault("obj", words)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except exceptions.UsageError as exc:
            from readchallenge.helptext import usage

            if exc.ctx is not None:
                line: str | None = usage(_entry(exc.ctx))
            else:  # click's parser names no command for an option without its value
                found = dispatch.resolve(words)
                line = usage(found[0]) if found is not None else None
            sys.exit(boundary.parser_error(exc.format_message(), line))
        except exceptions.ClickException as exc:
            sys.exit(boundary.parser_error(exc.format_message(), None, ExitStatus(exc.exit_code)))
        except typer.Abort:
            sys.exit(ExitStatus.ERROR)
        sys.exit(code if isinstance(code, int) else ExitStatus.SUCCESS)


class DefaultCommandGroup(RcGroup):
    """A group whose first argument, when it names no subcommand, goes to `default_command`."""

    default_command = ""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


def _completer(param: ParamEntry) -> Callable[[str], list[str]] | None:
    if param["complete"] is None and not param["choices"]:
        return None

    def complete(incomplete: str) -> list[str]:
        return dispatch.value_words(param, incomplete)

    return complete


def _parameter(param: ParamEntry, **typer_only: Any) -> inspect.Parameter:
    """A parameter of a Typer callback that declares what `param` says."""
    annotation: Any = _TYPES[param["type"]]
    if param["multiple"] or param["nargs"] == -1:
        annotation = list[annotation]
    if param["default"] is None and not param["required"]:
        annotation = annotation | None
    info: Any
    if param["kind"] == "argument":
        info = typer.Argument(metavar=param["metavar"], help=param["help"])
    else:
        names = "/".join(param["opts"][:1] + param["secondary"])
        info = typer.Option(names, *param["opts"][1:], metavar=param["metavar"], help=param["help"])
    info.autocompletion = _completer(param)
    for key, value in typer_only.items():
        setattr(info, key, value)
    default = inspect.Parameter.empty if param["required"] else param["default"]
    return inspect.Parameter(
        param["name"],
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[annotation, info],
    )


def _callback(
    run: Callable[..., None], params: list[inspect.Parameter], name: str
) -> Callable[..., None]:
    """A function whose signature Typer reads, calling `run(ctx, **values)`."""

    def callback(ctx: typer.Context, **values: Any) -> None:
        run(ctx, **values)

    context = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    context = context.replace(annotation=typer.Context)
    signature = inspect.Signature([context, *params])
    callback.__signature__ = signature  # type: ignore[attr-defined]
    callback.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
    callback.__name__ = callback.__qualname__ = name.replace("-", "_")
    return callback


def _runner(entry: CommandEntry) -> Callable[..., None]:
    def run(ctx: typer.Context, **values: Any) -> None:
        status = boundary.run_command(entry, values, ctx.obj or [])
        if status != ExitStatus.SUCCESS:
            raise typer.Exit(status)

    return run


def _add_command(app: typer.Typer, entry: CommandEntry, name: str) -> None:
    params = [_parameter(p) for p in entry["params"]]
    app.command(name, help=entry["help"], rich_help_panel=entry["panel"], cls=RcCommand,
                context_settings=CONTEXT)(_callback(_runner(entry), params, name))  # fmt: skip


def _group(entry: CommandEntry) -> typer.Typer:
    """A command group such as `rc plan`: alone, it runs its default command."""
    table = cli_table.build()
    default = table[f"{entry['path']} {entry['default_command']}"]
    run_default = _runner(default)

    def show_default(ctx: typer.Context) -> None:
        if ctx.invoked_subcommand is None:
            run_default(ctx, **{p["name"]: p["default"] for p in default["params"]})

    cls = type("Group", (DefaultCommandGroup,), {"default_command": entry["default_command"]})
    group = typer.Typer(cls=cls, help=entry["help"], invoke_without_command=True,
                        context_settings=CONTEXT)  # fmt: skip
    group.callback()(_callback(show_default, [], entry["path"]))
    for sub in entry["commands"]:
        _add_command(group, table[f"{entry['path']} {sub}"], sub)
    return group


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"rc {__version__}")
        raise typer.Exit()


def build() -> typer.Typer:
    """The Typer app of every command in the table."""
    table = cli_table.build()
    root = table[""]
    app = typer.Typer(
        cls=RcGroup,
        name="rc",
        help=root["help"],
        no_args_is_help=True,
        add_completion=True,  # rc --install-completion / --show-completion (bash, zsh, fish)
        pretty_exceptions_enable=False,
        context_settings=CONTEXT,
    )
    version = [_parameter(p, callback=_show_version, is_eager=True) for p in root["params"]]
    app.callback()(_callback(lambda ctx, **_: None, version, "rc"))
    for name in root["commands"]:
        entry = table[name]
        if entry["commands"]:
            app.add_typer(_group(entry), name=name, rich_help_panel=entry["panel"])
        else:
            _add_command(app, entry, name)
    return app


app = build()


def main() -> None:
    """Entry point without the fast path (the console script uses `fastpath.main`)."""
    app(prog_name="rc")
