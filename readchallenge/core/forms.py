"""The small text forms `rc note --edit` and `rc week --edit` open in the editor."""

from __future__ import annotations

NOTE_HELP = """\
# Notes for {name}
# Write the description first, then one key takeaway per line starting with "- ".
# Lines starting with "#" are ignored; saving an empty form changes nothing.
"""

WEEK_SECTIONS = ("theme", "intro", "conclusion", "next")
WEEK_HELP = """\
# The words of week {week}. Write under each "## " heading; lines starting with "# " are
# ignored; saving an empty form changes nothing.
"""


def note_form(name: str, description: str | None, takeaways: list[str]) -> str:
    parts = [NOTE_HELP.format(name=name), (description or "").strip(), ""]
    parts += [f"- {t}" for t in takeaways]
    return "\n".join(parts).rstrip() + "\n"


def parse_note_form(text: str) -> tuple[str, list[str]]:
    """(description, takeaways) from a saved note form."""
    description: list[str] = []
    takeaways: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        stripped = line.strip()
        if stripped.startswith("- "):
            takeaways.append(" ".join(stripped[2:].split()))
        elif takeaways and stripped and line.startswith((" ", "\t")):
            takeaways[-1] += " " + " ".join(stripped.split())
        elif not takeaways:
            description.append(line.rstrip())
    return "\n".join(description).strip(), [t for t in takeaways if t]


def week_form(week: str, words: dict[str, str | None]) -> str:
    parts = [WEEK_HELP.format(week=week)]
    for key in WEEK_SECTIONS:
        parts += [f"## {key}", (words.get(key) or "").strip(), ""]
    return "\n".join(parts)


def parse_week_form(text: str) -> dict[str, str]:
    """The sections of a saved week form; unknown headings are kept with the text above."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        if line.startswith("## ") and line[3:].strip().lower() in WEEK_SECTIONS:
            current = line[3:].strip().lower()
            found.setdefault(current, [])
        elif line.startswith("# "):
            continue
        elif current is not None:
            found[current].append(line.rstrip())
    return {key: "\n".join(lines).strip() for key, lines in found.items()}
