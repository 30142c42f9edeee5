"""Cross-references in the author's words: `[[NAME-or-ID]]` or `[[NAME-or-ID|text]]` names
another paper."""

from __future__ import annotations

import re
from collections.abc import Callable

REFERENCE = re.compile(r"\[\[([^\[\]|\n]{1,200})(?:\|([^\[\]|\n]{1,200}))?\]\]")


def expand(text: str, render: Callable[[str, str | None], str | None]) -> tuple[str, list[str]]:
    """`text` with each reference replaced by what `render(name, text)` makes of it (`text`
    is what follows a `|`, or None); the references it could not resolve are left as they
    were (visible in the post) and their names returned."""
    unresolved: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match[1].strip()
        shown = match[2].strip() if match[2] is not None else None
        rendered = render(name, shown or None)
        if rendered is None:
            unresolved.append(name)
            return match[0]
        return rendered

    return REFERENCE.sub(replace, text), unresolved


def can_name(name: str) -> bool:
    """Whether `name` can stand inside `[[…]]` and be read back as itself."""
    match = REFERENCE.fullmatch(f"[[{name}]]")
    return match is not None and match[2] is None and match[1] == name.strip() == name


def rename(text: str, old: str, new: str) -> tuple[str, int]:
    """`text` with the references that name `old` (in any case) naming `new` instead, the
    text after a `|` kept; and how many were rewritten."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if match[1].strip().lower() != old.lower():
            return match[0]
        count += 1
        return f"[[{new}|{match[2]}]]" if match[2] is not None else f"[[{new}]]"

    return REFERENCE.sub(replace, text), count
