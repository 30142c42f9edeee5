"""Where output goes: data on stdout, everything else on stderr (no Typer import)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

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
    """A line of progress or outcome for the user, on stderr. Names, ids and command lines
    in it may come from outside (arXiv, Hugging Face, an import, another device): control
    characters are shown replaced, never sent to the terminal."""
    from readchallenge.core.text import printable

    err_console().print(printable(message), markup=False, soft_wrap=True)


def write_text(text: str) -> None:
    """Text for stdout (a post, a list of problems) with control characters replaced."""
    from readchallenge.core.text import printable

    sys.stdout.write(printable(text))


def json_text(data: Any, indent: int | None = 2) -> str:
    """JSON with DEL and the C1 controls escaped too (`\\u009b`; json escapes the C0 ones
    itself): the same data for any reader, nothing a terminal would obey."""
    from readchallenge.core.text import escape_c1

    return escape_c1(json.dumps(data, indent=indent, ensure_ascii=False))


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")


def print_json_stream(items: Iterable[Any]) -> None:
    """A JSON array written item by item, byte for byte what `print_json(list(items))`
    writes, without holding the list."""
    write = sys.stdout.write
    first = True
    for item in items:
        write("[\n" if first else ",\n")
        text = json_text(item)
        write("  " + text.replace("\n", "\n  "))
        first = False
    write("[]\n" if first else "\n]\n")
