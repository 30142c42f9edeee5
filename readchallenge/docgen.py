"""The parts of docs/ that list what the code declares, generated from the declarations.

A generated part sits between two marker lines in its document:

    <!-- generated: settings (python -m readchallenge.docgen) -->
    ...
    <!-- end: settings -->

`python -m readchallenge.docgen` rewrites every part from the code; `--check` rewrites
nothing and exits 1 naming each stale part (a test runs it). To generate another part: write
a function returning its Markdown, add it to PARTS with the document it lives in, and put the
two marker lines in that document.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from readchallenge.params import CommandEntry, ParamEntry

ROOT = Path(__file__).resolve().parents[1]  # the checkout: docs/ sits beside the package


def _default(value: Any) -> str:
    """A setting's default as it would be written in config.toml."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    if isinstance(value, int):
        return f"`{value}`"
    if isinstance(value, time):
        return f'`"{value:%H:%M}"`'
    return f'`"{value}"`'


def settings_table() -> str:
    """docs/configuration.md's table of settings, from `config.SETTINGS`."""
    from readchallenge.config import SETTINGS

    lines = [
        "| key (config file) | environment | default | meaning |",
        "|---|---|---|---|",
    ]
    for s in SETTINGS:
        key = f"`{s.key}`" if s.in_file else "—"
        meaning = s.help + (f"; {s.more}" if s.more else "")
        lines.append(f"| {key} | `{s.env}` | {_default(s.default)} | {meaning} |")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _values(param: ParamEntry) -> str:
    """What a value may be, as declared: its choices or bounds."""
    if param["choices"]:
        return ", ".join(f"`{c}`" for c in param["choices"])
    low, high = param["min"], param["max"]
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    return "" if high is None else f"at most {high}"


def _param_row(param: ParamEntry) -> str:
    if param["kind"] == "argument":
        name = param["metavar"] or param["name"].upper()
        name += "..." if param["nargs"] == -1 else ""
    else:
        name = ", ".join(param["opts"] + param["secondary"])
        name += "" if param["flag"] else f" {param['metavar'] or param['name'].upper()}"
    default = param["default"]
    shown = "" if default in (None, False) or param["required"] else f"`{default}`"
    if param["required"]:
        shown = "required"
    return f"| `{_cell(name)}` | {shown} | {_values(param)} | {_cell(param['help'])} |"


def _command_section(entry: CommandEntry) -> list[str]:
    from readchallenge.helptext import usage

    lines = [f"### rc {entry['path']}", "", f"`{usage(entry).removeprefix('Usage: ')}`", ""]
    lines += [entry["help"], ""]
    if entry["params"]:
        lines += ["| argument or option | default | values | meaning |", "|---|---|---|---|"]
        lines += [_param_row(p) for p in entry["params"]]
        lines.append("")
    return lines


def command_reference() -> str:
    """docs/commands.md: every command, argument and option, read off the command functions
    (`cli_table.build()`), grouped by the themes of `rc --help`."""
    from readchallenge.cli_table import build

    table = build()
    root = table[""]
    lines: list[str] = []
    for panel in root.get("panels", []):
        lines += [f"## {panel}", ""]
        for name in root["commands"]:
            if table[name]["panel"] != panel:
                continue
            lines += _command_section(table[name])
            lines += [line for sub in table[name]["commands"]
                      for line in _command_section(table[f"{name} {sub}"])]  # fmt: skip
    return "\n".join(lines)


def export_tables() -> str:
    """docs/data.md's list of what `rc export` holds, from the declared tables
    (core/schema.py, generated from store/models.py)."""
    from readchallenge.core.schema import COLUMNS, EXPORT_ORDER, JSON_COLUMNS, KEYS, SHARED

    lines = ["| table | a row is named by | in the order of | fields |", "|---|---|---|---|"]
    for table in SHARED:
        key = ", ".join(f"`{k}`" for k in KEYS[table])
        order = ", ".join(f"`{c}`" for c in EXPORT_ORDER[table].split(", "))
        json_text = JSON_COLUMNS.get(table, ())
        fields = ", ".join(f"`{c}` (JSON)" if c in json_text else f"`{c}`" for c in COLUMNS[table])
        lines.append(f"| `{table}` | {key} | {order} | {fields} |")
    return "\n".join(lines)


# name -> (the document, relative to the checkout; the function that writes the part)
PARTS: dict[str, tuple[str, Callable[[], str]]] = {
    "settings": ("docs/configuration.md", settings_table),
    "commands": ("docs/commands.md", command_reference),
    "export": ("docs/data.md", export_tables),
}


def _markers(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- generated: {re.escape(name)} [^\n]*-->\n)(.*?)(<!-- end: {re.escape(name)} -->)",
        re.DOTALL,
    )


def render(text: str, name: str, content: str) -> str:
    """`text` with the part `name` holding `content`; ValueError when its markers are missing."""
    pattern = _markers(name)
    if not pattern.search(text):
        raise ValueError(f"no markers for the generated part {name!r}")
    return pattern.sub(lambda m: m[1] + content.rstrip("\n") + "\n" + m[3], text, count=1)


def stale(root: Path = ROOT) -> list[str]:
    """The generated parts whose text differs from what the code gives now."""
    found = []
    for name, (document, write) in PARTS.items():
        text = (root / document).read_text(encoding="utf-8")
        if render(text, name, write()) != text:
            found.append(f"{document}: {name}")
    return found


def regenerate(root: Path = ROOT) -> list[str]:
    """Rewrite every generated part; return the documents that changed."""
    changed = []
    for name, (document, write) in PARTS.items():
        path = root / document
        text = path.read_text(encoding="utf-8")
        new = render(text, name, write())
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(document)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    rest = [a for a in args if a != "--check"]
    root = Path(rest[0]) if rest else ROOT
    try:
        if check:
            for part in (found := stale(root)):
                sys.stderr.write(f"stale: {part} (python -m readchallenge.docgen rewrites it)\n")
            return 1 if found else 0
        for document in regenerate(root):
            sys.stderr.write(f"wrote {document}\n")
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
