"""Run a command straight from the command table, without loading Typer.

Typer declares every command (`commands/`); `cli_table` reads those declarations into
`data/commands.json`. Here argv is parsed against that table with click's rules for the
forms rc uses (`--opt value`, `--opt=value`, `-o value`, `-ovalue`, flags and their `--no-`
twins, repeated options, `--`), and the command's body (`actions/`) is called with the same
values Typer would pass. Anything the table cannot settle -- an unknown option, a missing
argument, a value out of range -- returns None, and Typer reports it as it always does.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

Entry = dict[str, Any]
HELP = ("-h", "--help")


class _Fallback(Exception):
    """The table cannot settle these arguments: leave them to Typer."""


TABLE_PATH = Path(__file__).parent / "data" / "commands.json"


@cache
def table() -> dict[str, Entry]:
    # A plain file read: importlib.resources would cost more start-up than the read.
    data: dict[str, Entry] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return data


def _convert(param: Entry, text: str) -> Any:
    kind = param["type"]
    if kind == "int":
        if not (text.isascii() and text.lstrip("-").isdigit()):
            raise _Fallback
        value = int(text)
        low, high = param["min"], param["max"]
        if (low is not None and value < low) or (high is not None and value > high):
            raise _Fallback
        return value
    if kind == "float":
        raise _Fallback  # no command takes one yet; Typer knows the rules
    if kind == "path":
        return Path(text)
    return text


def _option_for(entry: Entry, token: str) -> tuple[Entry, bool]:
    """The option a token names, and whether it is the `--no-` form of a flag."""
    for param in entry["params"]:
        if param["kind"] != "option":
            continue
        if token in param["opts"]:
            return param, False
        if token in param["secondary"]:
            return param, True
    raise _Fallback


class _Help(Exception):
    """`-h` or `--help` stood where an option may: the command's help, whatever else came."""


def _read(entry: Entry, args: list[str]) -> tuple[dict[str, list[tuple[Entry, Any]]], list[str]]:
    """Options (as raw text, or True/False for flags) and positional arguments, as click's
    parser splits them; raises _Help once the parse is through if help was asked for."""
    options: dict[str, list[tuple[Entry, Any]]] = {}
    positional: list[str] = []
    rest = list(args)
    wants_help = False
    while rest:
        token = rest.pop(0)
        if token == "--":
            positional += rest
            break
        if not token.startswith("-") or token == "-":
            positional.append(token)
            continue
        if token in HELP:
            wants_help = True
            continue
        name, attached = token, None
        if token.startswith("--") and "=" in token:
            name, attached = token.split("=", 1)
        elif not token.startswith("--") and len(token) > 2:
            name, attached = token[:2], token[2:]
        param, negated = _option_for(entry, name)
        if param["flag"]:
            if attached is not None:
                raise _Fallback
            options.setdefault(param["name"], []).append((param, not negated))
            continue
        if attached is None:
            if not rest:
                raise _Fallback
            attached = rest.pop(0)
        options.setdefault(param["name"], []).append((param, attached))
    if wants_help:
        raise _Help
    return options, positional


def parse(entry: Entry, args: list[str]) -> dict[str, Any]:
    """The keyword arguments of the command's body, as Typer would pass them."""
    options, positional = _read(entry, args)
    values: dict[str, Any] = {}
    for name, given in options.items():
        param = given[0][0]
        if param["flag"]:
            values[name] = given[-1][1]
        elif param["multiple"]:
            values[name] = [_convert(param, text) for _, text in given]
        else:
            values[name] = _convert(param, given[-1][1])  # the last one wins, as in click
    for param in entry["params"]:
        if param["kind"] != "argument":
            continue
        if param["nargs"] == -1:
            taken, positional = positional, []
            if taken:
                values[param["name"]] = [_convert(param, t) for t in taken]
        elif positional:
            values[param["name"]] = _convert(param, positional.pop(0))
    if positional:
        raise _Fallback
    for param in entry["params"]:
        if param["name"] not in values:
            if param["required"]:
                raise _Fallback
            values[param["name"]] = param["default"]
    return values


def _target(entry: Entry) -> Any:
    module, _, name = str(entry["run"]).partition(":")
    return getattr(import_module(module), name)


def resolve(args: list[str]) -> tuple[Entry, list[str]] | None:
    """The table entry that `args` name, and the arguments left for it."""
    commands = table()
    if not args or args[0] not in commands or args[0] == "":
        return None
    entry, rest = commands[args[0]], args[1:]
    while "commands" in entry:
        if rest and rest[0] in entry["commands"]:
            entry, rest = commands[f"{entry['path']} {rest[0]}"], rest[1:]
        elif rest and rest[0] in HELP:
            return entry, rest
        elif entry.get("default_command"):
            entry = commands[f"{entry['path']} {entry['default_command']}"]
        else:
            return None
    return entry, rest


def _write(text: str) -> None:
    import sys

    sys.stdout.write(text)


def runner(args: list[str]) -> Any:
    """A callable that runs `args`, or None to leave them to Typer."""
    from readchallenge import helptext

    if not args or args in (["--help"], ["-h"]):
        return lambda: _write(helptext.overview(table()))
    found = resolve(args)
    if found is None:
        return None
    entry, rest = found
    try:
        if "commands" in entry:
            _read(entry, rest)  # a group's own arguments: only its help
            return None
        if entry["run"] is None:
            return None
        values = parse(entry, rest)
    except _Help:
        subs = [table()[f"{entry['path']} {n}"] for n in entry.get("commands", [])]
        return lambda: _write(helptext.command_help(entry, subs))
    except _Fallback:
        return None
    from readchallenge import store

    store.command_line = list(args)  # what the change log records
    return lambda: _target(entry)(**values)


def _split(text: str) -> list[str]:
    """Words as the shell quotes them; a word still open (`'Phi `) as typed so far."""
    import shlex

    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        words.extend(lexer)
    except ValueError:  # an open quote or a trailing backslash while typing
        words.append(lexer.token)
    return words


def _completion_words(shell: str, environ: dict[str, str]) -> tuple[list[str], str]:
    """The words before the cursor and the one being typed, as each shell hands them over
    (the same rules as Typer's completion scripts)."""
    if shell == "bash":
        words = _split(environ.get("COMP_WORDS", ""))
        index = int(environ.get("COMP_CWORD", "0") or 0)
        return words[1:index], words[index] if index < len(words) else ""
    # The line up to the cursor: a mark at its end ends up in the word being typed, which
    # is empty after a plain space but not after a quoted one (`Phi\\ `, `'Phi `).
    words = _split(environ.get("_TYPER_COMPLETE_ARGS", "") + "\x01")[1:]
    if not words:
        return [], ""
    return words[:-1], words[-1].removesuffix("\x01")


def _value_words(metavar: str | None, typed: str, command: str = "") -> list[str]:
    from readchallenge import completion

    if metavar == "PAPER":
        return completion.papers(typed)
    if metavar == "DAY":
        return completion.days(typed)
    if metavar == "WEEK":
        return completion.weeks(typed)
    if metavar == "TAG":
        return completion.tags(typed)
    if metavar == "KIND":
        return completion.open_kinds(typed) if command == "open" else completion.link_kinds(typed)
    return []


def candidates(args: list[str], typed: str) -> list[str]:
    """What may stand where the cursor is, after `args`."""
    commands = table()
    entry, rest = commands[""], list(args)
    while rest and "commands" in entry and rest[0] in entry["commands"]:
        entry, rest = commands[f"{entry['path']} {rest[0]}".strip()], rest[1:]
    names: list[str] = []
    if "commands" in entry and not rest:
        names = [n for n in entry["commands"] if n.startswith(typed)]
        if not entry.get("default_command") or typed.startswith("-"):
            options = [o for p in entry["params"] for o in p["opts"] + p["secondary"]]
            return names + [
                o for o in [*options, "--help"] if typed.startswith("-") and o.startswith(typed)
            ]
        entry = commands[f"{entry['path']} {entry['default_command']}"]
    if "commands" in entry:
        return []
    if typed.startswith("-"):
        options = [o for p in entry["params"] for o in p["opts"] + p["secondary"]]
        return [o for o in [*options, "--help"] if o.startswith(typed)]
    positional, waiting = 0, None
    for word in rest:
        if waiting is not None:
            waiting = None
        elif word.startswith("-"):
            try:
                param, _ = _option_for(entry, word.split("=", 1)[0])
            except _Fallback:
                continue
            if not param["flag"] and "=" not in word:
                waiting = param
        else:
            positional += 1
    if waiting is not None:
        return names + _value_words(waiting["metavar"], typed)
    arguments = [p for p in entry["params"] if p["kind"] == "argument"]
    if not arguments:
        return names
    index = min(positional, len(arguments) - 1)
    if positional >= len(arguments) and arguments[-1]["nargs"] != -1:
        return names
    return names + _value_words(arguments[index]["metavar"], typed, entry["path"])


def complete(environ: dict[str, str]) -> tuple[str, int] | None:
    """Answer a shell's completion request (`_RC_COMPLETE=complete_bash|zsh|fish`) from the
    table, as fast as a daily command; None leaves it to Typer."""
    shell = environ.get("_RC_COMPLETE", "").removeprefix("complete_")
    if shell not in ("bash", "zsh", "fish"):
        return None  # a source_* request: Typer prints the script
    args, typed = _completion_words(shell, environ)
    from readchallenge import completion

    found = list(dict.fromkeys(candidates(args, typed)))
    return completion.answer(shell, found, environ.get("_TYPER_COMPLETE_FISH_ACTION", ""))
