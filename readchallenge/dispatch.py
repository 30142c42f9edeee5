"""Run a command straight from the command table, without loading Typer.

`cli_table` reads the command functions (`commands/`) into `command_table.py`. Here argv is
parsed against that table with click's rules for the forms rc uses (`--opt value`,
`--opt=value`, `-o value`, `-ovalue`, flags and their `--no-` twins, repeated options, `--`),
into the values Typer would pass the function. What the table cannot settle -- an unknown
option, a missing argument, a number that is not one -- returns None, and Typer reports it
as it always does. `check` holds each value to the choices and bounds declared for it, on
both paths.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from readchallenge.command_table import TABLE
from readchallenge.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from readchallenge.params import CommandEntry, ParamEntry

HELP = ("-h", "--help")
Values = dict[str, object]
Found = tuple["CommandEntry", Values]  # a command and the values to run it with


class _Fallback(Exception):
    """The table cannot settle these arguments: leave them to Typer."""


class _Help(Exception):
    """`-h` or `--help` stood where an option may: the command's help, whatever else came."""


def _convert(param: ParamEntry, text: str) -> object:
    kind = param["type"]
    if kind == "int":
        digits = text[1:] if text.startswith("-") else text
        if not (digits.isascii() and digits.isdigit()):
            raise _Fallback  # Typer names what a number may look like
        return int(text)
    if kind == "float":
        raise _Fallback  # no command takes one yet; Typer knows the rules
    if kind == "path":
        # An empty path would read as `.`: left as text for `check` to refuse, so an unset
        # shell variable (`rc publish "$SITE"`) does not write into the current folder.
        return Path(text) if text else text
    return text


def _name(param: ParamEntry) -> str:
    """How messages name a parameter: its first option name, or an argument's metavar."""
    if param["kind"] == "option":
        return param["opts"][0]
    return param["metavar"] or param["name"].upper()


def _either(choices: list[str]) -> str:
    return ", ".join(choices[:-1]) + " or " + choices[-1] if len(choices) > 1 else choices[0]


def check(entry: CommandEntry, values: Values) -> None:
    """Refuse, as a usage error, a value outside its declared choices or bounds."""
    for param in entry["params"]:
        given = values.get(param["name"])
        low, high, choices = param["min"], param["max"], param["choices"]
        for value in given if isinstance(given, list) else [given]:
            if param["type"] == "path" and value == "":
                raise UsageError(f"{_name(param)} is empty: give a file or folder")
            if choices and isinstance(value, str) and value not in choices:
                raise UsageError(f"{_name(param)} must be {_either(choices)}, not {value!r}")
            if isinstance(value, int) and low is not None and value < low:
                raise UsageError(f"{_name(param)} must be at least {low}")
            if isinstance(value, int) and high is not None and value > high:
                raise UsageError(f"{_name(param)} must be at most {high}")


def _option_for(entry: CommandEntry, token: str) -> tuple[ParamEntry, bool]:
    """The option a token names, and whether it is the `--no-` form of a flag."""
    for param in entry["params"]:
        if param["kind"] != "option":
            continue
        if token in param["opts"]:
            return param, False
        if token in param["secondary"]:
            return param, True
    raise _Fallback


Given = dict[str, list[tuple["ParamEntry", "str | bool"]]]


def _read(entry: CommandEntry, args: list[str]) -> tuple[Given, list[str]]:
    """Options (as raw text, or True/False for flags) and positional arguments, as click's
    parser splits them; raises _Help once the parse is through if help was asked for."""
    options: Given = {}
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


def parse(entry: CommandEntry, args: list[str]) -> Values:
    """The keyword arguments of the command's function, as Typer would pass them."""
    options, positional = _read(entry, args)
    values: Values = {}
    for name, given in options.items():
        param = given[0][0]
        texts = [str(text) for _, text in given]
        if param["flag"]:
            values[name] = given[-1][1]
        elif param["multiple"]:
            values[name] = [_convert(param, text) for text in texts]
        else:
            values[name] = _convert(param, texts[-1])  # the last one wins, as in click
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


def target(entry: CommandEntry) -> Callable[..., None]:
    """The command's function, imported when it runs."""
    module, _, name = str(entry["run"]).partition(":")
    body: Callable[..., None] = getattr(import_module(module), name)
    return body


def resolve(args: list[str]) -> tuple[CommandEntry, list[str]] | None:
    """The table entry that `args` name, and the arguments left for it."""
    if not args or args[0] not in TABLE or args[0] == "":
        return None
    entry, rest = TABLE[args[0]], args[1:]
    while entry["commands"]:
        if rest and rest[0] in entry["commands"]:
            entry, rest = TABLE[f"{entry['path']} {rest[0]}"], rest[1:]
        elif rest and rest[0] in HELP:
            return entry, rest
        elif entry["default_command"]:
            entry = TABLE[f"{entry['path']} {entry['default_command']}"]
        else:
            return None
    return entry, rest


def subcommands(entry: CommandEntry) -> list[CommandEntry]:
    return [TABLE[f"{entry['path']} {name}".strip()] for name in entry["commands"]]


def runner(args: list[str]) -> str | Found | None:
    """What `args` ask for: a help text to print, a command with the values to run it with,
    or None to leave them to Typer."""
    from readchallenge import helptext

    if not args or args in (["--help"], ["-h"]):
        return helptext.overview(TABLE)
    found = resolve(args)
    if found is None:
        return None
    entry, rest = found
    try:
        if entry["commands"]:
            _read(entry, rest)  # a group's own arguments: only its help
            return None
        return entry, parse(entry, rest)
    except _Help:
        return helptext.command_help(entry, subcommands(entry))
    except _Fallback:
        return None


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


def value_words(param: ParamEntry, typed: str) -> list[str]:
    """What may be typed for `param`: its declared completion, or its choices."""
    from readchallenge import completion

    if param["complete"] is not None:
        words: list[str] = getattr(completion, param["complete"])(typed)
        return words
    return [c for c in param["choices"] if c.startswith(typed.lower())]


def candidates(args: list[str], typed: str) -> list[str]:
    """What may stand where the cursor is, after `args`."""
    entry, rest = TABLE[""], list(args)
    while rest and rest[0] in entry["commands"]:
        entry, rest = TABLE[f"{entry['path']} {rest[0]}".strip()], rest[1:]
    names: list[str] = []
    if entry["commands"] and not rest:
        names = [n for n in entry["commands"] if n.startswith(typed)]
        if not entry["default_command"] or typed.startswith("-"):
            options = [o for p in entry["params"] for o in p["opts"] + p["secondary"]]
            return names + [
                o for o in [*options, "--help"] if typed.startswith("-") and o.startswith(typed)
            ]
        entry = TABLE[f"{entry['path']} {entry['default_command']}"]
    if entry["commands"]:
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
        return names + value_words(waiting, typed)
    arguments = [p for p in entry["params"] if p["kind"] == "argument"]
    if not arguments:
        return names
    index = min(positional, len(arguments) - 1)
    if positional >= len(arguments) and arguments[-1]["nargs"] != -1:
        return names
    return names + value_words(arguments[index], typed)


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
