"""The command table: every command, option and help text, read off the Typer declarations.

`python -m readchallenge.cli_table` writes it to `readchallenge/data/commands.json`, where the
dispatcher reads it without loading Typer; a test fails when the file and the declarations
differ. The Typer app renders its help from the same description, so both paths agree.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path
from typing import Any, get_args, get_origin

TABLE_PATH = Path(__file__).parent / "data" / "commands.json"
_TYPES = {str: "str", int: "int", float: "float", bool: "bool", Path: "path"}


def _type_name(param: Any) -> str:
    annotation = param.type_descriptor.annotation
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    return _TYPES[annotation]


def describe_param(param: Any) -> dict[str, Any]:
    return {
        "name": param.name,
        "kind": param.param_type_name,
        "opts": list(param.opts),
        "secondary": list(param.secondary_opts),
        "flag": bool(getattr(param, "is_flag", False)),
        "multiple": bool(param.multiple),
        "nargs": param.nargs,
        "required": bool(param.required),
        "default": param.default,
        "type": _type_name(param),
        "min": param.min,
        "max": param.max,
        "metavar": param.metavar,
        "help": inspect.cleandoc(param.help or ""),
    }


def describe(command: Any, path: str) -> dict[str, Any]:
    """One command (or group) as the dispatcher and the help text see it."""
    entry: dict[str, Any] = {
        "path": path,
        "help": inspect.cleandoc(command.help or ""),
        "panel": getattr(command, "rich_help_panel", None),
        "run": getattr(command.callback, "__rc_run__", None),
        "params": [describe_param(p) for p in command.params if p.expose_value],
    }
    subcommands = getattr(command, "commands", None)
    if subcommands is not None:
        entry["commands"] = list(subcommands)  # in the order they were declared
        entry["default_command"] = getattr(command, "default_command", None)
    return entry


def build_from(root: Any) -> dict[str, dict[str, Any]]:
    """Every command below the root click group by its path (`""` for rc, `"plan move"`…)."""
    from readchallenge.commands.common import PANELS

    table: dict[str, dict[str, Any]] = {}

    def walk(command: Any, path: str) -> None:
        table[path] = describe(command, path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(root, "")
    table[""]["panels"] = list(PANELS)
    return table


def build(app: Any) -> dict[str, dict[str, Any]]:
    from typer.main import get_command

    return build_from(get_command(app))


def render(table: dict[str, dict[str, Any]]) -> str:
    return json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    from readchallenge.cli import app

    text = render(build(app))
    if "--check" in sys.argv[1:]:
        if TABLE_PATH.read_text(encoding="utf-8") != text:
            sys.exit(f"{TABLE_PATH} is stale: run python -m readchallenge.cli_table")
        return
    TABLE_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE_PATH}")


if __name__ == "__main__":
    main()
