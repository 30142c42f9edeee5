"""Help text for rc and each command, rendered from the command table (no Typer import).

One plain style everywhere: `rc --help` lists the commands by theme, `rc COMMAND --help` gives
the usage line, the description, the arguments and the options with their defaults; the
Typer app prints the same text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readchallenge.params import CommandEntry, ParamEntry, Table
HELP_OPTION = "-h, --help"
WIDTH = 24  # the column where the explanations start


def _argument_name(param: ParamEntry) -> str:
    name = str(param["metavar"] or param["name"].upper())
    if param["nargs"] == -1:
        name = f"{name}..."
    return name if param["required"] else f"[{name}]"


def usage(entry: CommandEntry) -> str:
    """The one-line usage of a command or group."""
    words = ["Usage: rc", entry["path"]] if entry["path"] else ["Usage: rc"]
    if entry["commands"]:
        return " ".join([*words, "[COMMAND] [ARGS]..."])
    if any(p["kind"] == "option" for p in entry["params"]):
        words.append("[OPTIONS]")
    words += [_argument_name(p) for p in entry["params"] if p["kind"] == "argument"]
    return " ".join(words)


def _option_label(param: ParamEntry) -> str:
    names = ", ".join(sorted(param["opts"], key=len))
    if param["secondary"]:
        names += " / " + ", ".join(param["secondary"])
    if not param["flag"]:
        names += " " + str(param["metavar"] or param["name"].upper())
    return names


def _default(param: ParamEntry) -> str:
    default = param["default"]
    if default is None or default is False or param["required"]:
        return ""
    if default is True:
        return f" (default: {param['opts'][0]})"
    return f" (default: {default})"


def _rows(rows: list[tuple[str, str]]) -> list[str]:
    lines = []
    for label, text in rows:
        if len(label) >= WIDTH - 2:
            lines += [f"  {label}", f"  {'':<{WIDTH - 2}}{text}"]
        else:
            lines.append(f"  {label:<{WIDTH - 2}}{text}")
    return lines


def command_help(entry: CommandEntry, subcommands: list[CommandEntry] | None = None) -> str:
    """`rc COMMAND --help`."""
    lines = [usage(entry), "", *entry["help"].splitlines()]
    arguments = [p for p in entry["params"] if p["kind"] == "argument"]
    if arguments:
        lines += ["", "Arguments:"]
        lines += _rows([(_argument_name(p), p["help"] + _default(p)) for p in arguments])
    if subcommands:
        lines += ["", "Commands:"]
        lines += _rows([(s["path"].split()[-1], _summary(s)) for s in subcommands])
    options = [p for p in entry["params"] if p["kind"] == "option"]
    lines += ["", "Options:"]
    lines += _rows([(_option_label(p), p["help"] + _default(p)) for p in options])
    lines += _rows([(HELP_OPTION, "Show this help and exit.")])
    return "\n".join(lines) + "\n"


def _summary(entry: CommandEntry) -> str:
    text: str = entry["help"]
    return text.splitlines()[0] if text else ""


def overview(table: Table) -> str:
    """`rc` and `rc --help`: every command, grouped by theme in the order they are declared."""
    root = table[""]
    panels: dict[str, list[CommandEntry]] = {panel: [] for panel in root.get("panels", [])}
    for name in root["commands"]:
        entry = table[name]
        panels.setdefault(entry["panel"] or "Commands", []).append(entry)
    lines = ["Usage: rc [--version] [-h | --help] COMMAND [ARGS]...", "", _summary(root), ""]
    for panel, entries in panels.items():
        lines.append(f"{panel}:")
        lines += [f"  {e['path']:<12} {_summary(e)}" for e in entries]
        lines.append("")
    lines.append("Options: --version prints rc's version; -h, --help shows this overview.")
    lines.append("Run 'rc COMMAND --help' for the options of a command.")
    lines.append(
        "Tab completion: rc --install-completion sets it up for your shell (bash, zsh, fish);"
    )
    lines.append("rc --show-completion prints the script instead.")
    return "\n".join(lines) + "\n"
