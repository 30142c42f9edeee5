"""The small text forms `rc note` and `rc week --edit` open in the editor.

The text is Markdown as the author writes it, so a `#` heading or a `- ` list must survive:
rc's own lines start with `#|` (which Markdown never reads as a heading, since a heading's
`#` is followed by a space). `#| <section>` starts a section; any other `#|` line is a comment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from readchallenge.core.references import can_name

MARK = "#|"
NOTE_HELP = f"""\
{MARK} Notes for {{name}}: the description first (Markdown, paragraphs and all), then one key
{MARK} takeaway per line starting with "- " under the takeaways line. Lines starting with
{MARK} "{MARK}" are rc's and are ignored; saving an empty form changes nothing.
"""
TAKEAWAYS = f"{MARK} takeaways"

WEEK_SECTIONS = ("theme", "intro", "conclusion", "next", "signoff")
WEEK_HELP = f"""\
{MARK} The words of week {{week}}, in Markdown, each under its "{MARK} <name>" line. Other
{MARK} lines starting with "{MARK}" are ignored; saving an empty form changes nothing.
"""


def _is_mark(line: str) -> bool:
    return line.startswith(MARK)


def hint_lines(title: str, text: str) -> list[str]:
    """`text` as `#|` comment lines under `title`: shown in the form, never kept."""
    import textwrap

    wrapped = textwrap.wrap(" ".join(text.split()), width=86)
    return [f"{MARK} {title}", *(f"{MARK}   {line}" for line in wrapped), ""]


def builds_on_lines(papers: Sequence[Mapping[str, Any]]) -> list[str]:
    """The stored papers a paper cites as `#|` hints, each with the `[[NAME]]` to type."""
    if not papers:
        return []
    lines = [f"{MARK} Builds on (from Semantic Scholar's references); [[NAME]] names one:"]
    for paper in papers:
        name = paper.get("name")
        named = isinstance(name, str) and can_name(name)
        reference = f"[[{name if named else paper['id']}]]"
        title = "" if named else f" {' '.join(str(paper.get('title') or '').split())[:60]}"
        state = f"read {paper['read_on']}" if paper.get("read_on") else "not read"
        lines.append(f"{MARK}   {reference}{title} ({state})")
    return [*lines, ""]


def note_form(
    name: str,
    description: str | None,
    takeaways: list[str],
    summary: str | None = None,
    tldr: str | None = None,
    builds_on: Sequence[Mapping[str, Any]] = (),
) -> str:
    """The note form; `summary` (Hugging Face's machine-written one), `tldr` (Semantic
    Scholar's) and the stored papers it `builds_on` show as hints."""
    parts = [NOTE_HELP.format(name=name)]
    if summary and summary.strip():
        parts += hint_lines("Hugging Face's machine-written summary, a hint to rewrite:", summary)
    if tldr and tldr.strip():
        parts += hint_lines("Semantic Scholar's machine-written TLDR, a hint to rewrite:", tldr)
    parts += builds_on_lines(builds_on)
    parts += [(description or "").strip(), "", TAKEAWAYS]
    parts += [f"- {t}" for t in takeaways]
    return "\n".join(parts).rstrip() + "\n"


def parse_note_form(text: str) -> tuple[str, list[str]]:
    """(description, takeaways) from a saved note form."""
    description: list[str] = []
    takeaways: list[str] = []
    in_takeaways = False
    for line in text.splitlines():
        if _is_mark(line):
            in_takeaways = in_takeaways or line.strip() == TAKEAWAYS
            continue
        if not in_takeaways:
            description.append(line.rstrip())
            continue
        stripped = line.strip()
        if stripped.startswith("- "):
            takeaways.append(stripped[2:].strip())
        elif takeaways and stripped:
            takeaways[-1] += " " + stripped
    return "\n".join(description).strip(), [t for t in takeaways if t]


def week_form(week: str, words: Mapping[str, object]) -> str:
    parts = [WEEK_HELP.format(week=week)]
    for key in WEEK_SECTIONS:
        parts += [f"{MARK} {key}", str(words.get(key) or "").strip(), ""]
    return "\n".join(parts)


def parse_week_form(text: str) -> dict[str, str]:
    """The sections of a saved week form."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        if _is_mark(line):
            name = line[len(MARK) :].strip().lower()
            if name in WEEK_SECTIONS:
                current = name
                found.setdefault(current, [])
            continue
        if current is not None:
            found[current].append(line.rstrip())
    return {key: "\n".join(lines).strip() for key, lines in found.items()}
