"""Cross-references in the author's words: `[[NAME-or-ID]]` names another paper."""

from __future__ import annotations

import re
from collections.abc import Callable

REFERENCE = re.compile(r"\[\[([^\[\]\n]{1,200})\]\]")


def expand(text: str, render: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """`text` with each reference replaced by what `render` makes of it; the references it
    could not resolve are left as they were (visible in the post) and returned."""
    unresolved: list[str] = []

    def replace(match: re.Match[str]) -> str:
        rendered = render(match[1].strip())
        if rendered is None:
            unresolved.append(match[1].strip())
            return match[0]
        return rendered

    return REFERENCE.sub(replace, text), unresolved
