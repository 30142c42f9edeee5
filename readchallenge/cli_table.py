"""The command table: every command, option and help text, read off the command functions.

The functions in `commands/` are the declarations (see `params`). `python -m
readchallenge.cli_table` writes what they declare to `readchallenge/command_table.py`, which
the dispatcher imports (in about half a millisecond) instead of evaluating the functions'
annotations on every start; `--check` fails while that module is stale (a test runs it). The
Typer app (`cli`) is built from `build()` itself, so both paths see the same commands.
"""

from __future__ import annotations

import inspect
import sys
import typing
from collections.abc import Callable
from functools import cache
from importlib import import_module
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Literal

from readchallenge.params import PANELS, Group, Opt, Param

if typing.TYPE_CHECKING:
    from readchallenge.params import CommandEntry, ParamEntry, Table

TABLE_PATH = Path(__file__).parent / "command_table.py"
TypeName = Literal["str", "int", "float", "bool", "path"]
_TYPES: dict[object, TypeName] = {
    str: "str",
    int: "int",
    float: "float",
    bool: "bool",
    Path: "path",
}
# Each module of `commands/` in the order `rc --help` and completion list their commands.
MODULES = ("daily", "papers", "library", "suggest", "plan", "post", "season", "history", "admin")


def _marker_and_type(body: Callable[..., None], param: inspect.Parameter) -> tuple[Param, object]:
    hint = param.annotation
    if isinstance(hint, str):
        hint = eval(hint, vars(sys.modules[body.__module__]))
    markers = [m for m in getattr(hint, "__metadata__", ()) if isinstance(m, Param)]
    if len(markers) != 1 or (markers[0].kind == "argument" and markers[0].names):
        raise TypeError(f"{body.__qualname__}({param.name}): annotate it with one Opt or Arg")
    return markers[0], typing.get_args(hint)[0]


def _type_name(annotation: object) -> tuple[TypeName, bool]:
    """rc's name for the type, and whether the parameter takes a list."""
    if isinstance(annotation, UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not NoneType)
    if typing.get_origin(annotation) is list:
        return _TYPES[typing.get_args(annotation)[0]], True
    return _TYPES[annotation], False


def describe_param(body: Callable[..., None], param: inspect.Parameter) -> ParamEntry:
    marker, annotation = _marker_and_type(body, param)
    kind, (type_name, many) = marker.kind, _type_name(annotation)
    flag = type_name == "bool"
    dashed = param.name.replace("_", "-")
    opts = [param.name] if kind == "argument" else list(marker.names or [f"--{dashed}"])
    required = param.default is inspect.Parameter.empty
    return {
        "name": param.name,
        "kind": kind,
        "opts": opts,
        "secondary": [f"--no-{dashed}"] if flag and not marker.names else [],
        "flag": flag,
        "multiple": many and kind == "option",
        "nargs": -1 if many and kind == "argument" else 1,
        "required": required,
        "default": None if required else param.default,
        "type": type_name,
        "min": marker.min,
        "max": marker.max,
        "choices": list(marker.choices),
        "metavar": marker.metavar,
        "help": inspect.cleandoc(marker.help),
        "complete": marker.complete,
    }


def describe(body: Callable[..., None], path: str, panel: str | None) -> CommandEntry:
    """One command as the dispatcher, the help text and the Typer app see it. A first
    parameter named `cfg` is no option: the body gets the configuration there."""
    params = list(inspect.signature(body).parameters.values())
    takes_config = bool(params) and params[0].name == "cfg"
    return {
        "path": path,
        "help": inspect.cleandoc(body.__doc__ or ""),
        "panel": panel,
        "run": f"{body.__module__}:{body.__name__}",
        "config": takes_config,
        "params": [describe_param(body, p) for p in params[takes_config:]],
        "commands": [],
        "default_command": None,
    }


def _group_entry(group: Group, path: str) -> CommandEntry:
    return {
        "path": path,
        "help": group.help,
        "panel": group.panel,
        "run": None,
        "config": False,
        "params": [],
        "commands": [name for name, _ in group.members],
        "default_command": group.default,
    }


def _add(table: Table, path: str, member: Callable[..., None] | Group, panel: str | None) -> None:
    if not isinstance(member, Group):
        table[path] = describe(member, path, panel)
        return
    table[path] = _group_entry(member, path)
    for name, sub in member.members:
        _add(table, f"{path} {name}", sub, None)


def groups() -> list[Group]:
    """The command groups of `commands/`, in order."""
    return [import_module(f"readchallenge.commands.{name}").commands for name in MODULES]


def rc(
    version: Annotated[bool, Opt("--version", help="Print rc's version and exit.")] = False,
) -> None:
    """rc: a companion for a daily research-paper reading challenge."""


@cache
def build() -> Table:
    """Every command by its path (`""` for rc itself, `"plan move"`…), read off the functions."""
    table: Table = {"": describe(rc, "", None)}
    table[""] |= {"run": None, "panels": list(PANELS)}
    members = [(name, m, g.panel) for g in groups() for name, m in g.members]
    # Commands first, then groups, as Typer lists them.
    for name, member, panel in sorted(members, key=lambda m: isinstance(m[1], Group)):
        table[""]["commands"].append(name)
        _add(table, name, member, panel)
    return table


HEADER = '''"""Generated by `python -m readchallenge.cli_table` from the command functions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readchallenge.params import Table

TABLE: Table = json.loads(
    r"""{
'''


def render(table: Table) -> str:
    """The module's text: the table as JSON, one command a line, keys in order, in a raw
    string: Python compiles one string constant, with or without a bytecode cache, and json
    decodes it in well under a millisecond."""
    import json

    lines = [
        json.dumps(path) + ": " + json.dumps(entry, ensure_ascii=False, sort_keys=True)
        for path, entry in table.items()
    ]
    text = HEADER + ",\n".join(lines) + '\n}"""\n)\n'
    if '"""' in "".join(lines):
        raise ValueError("the table cannot stand in a raw string")  # JSON escapes its quotes
    return text


def main() -> None:
    text = render(build())
    if "--check" in sys.argv[1:]:
        if TABLE_PATH.read_text(encoding="utf-8") != text:
            sys.exit(f"{TABLE_PATH.name} is stale: run python -m readchallenge.cli_table")
        return
    TABLE_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE_PATH.name}")


if __name__ == "__main__":
    main()
