"""Tags: short words a paper or a week is filed under, one spelling each."""

from __future__ import annotations

import re

MAX_TAG = 40
# A letter or digit first (never `-`, which would read as an option), then letters,
# digits and `_ . + -`: no space, comma, colon or quote, so a tag is one word in a shell,
# in YAML front matter and in a URL of a static site.
_TAG = re.compile(r"[^\W_][\w.+-]*\Z")


def tag_problem(value: object) -> str | None:
    """What keeps `value` from being a tag as stored; None when it is one."""
    if not isinstance(value, str) or not value:
        return "must be a tag (letters, digits and _ . + -)"
    if len(value) > MAX_TAG:
        return f"must be a tag of at most {MAX_TAG} characters"
    if value != value.lower() or not _TAG.match(value):
        return f"{value[:40]!r} is not a tag (lower-case letters, digits and _ . + -)"
    return None


def normalise_tag(text: str) -> str:
    """A tag as typed (`LLM`, `#rl`, ` data `), in the one spelling rc stores (`llm`,
    `rl`, `data`); ValueError with the reason when it cannot be one."""
    import unicodedata

    # One spelling for what looks the same: `émigré` typed or pasted decomposed (as macOS
    # file names keep it), a ligature, a full-width letter.
    tag = unicodedata.normalize("NFKC", text.strip()).removeprefix("#").lower()
    problem = tag_problem(tag)
    if problem is not None:
        shown = text.strip()[:40]
        if len(tag) > MAX_TAG:
            raise ValueError(f"{shown + '…'!r} is too long for a tag: at most {MAX_TAG} characters")
        raise ValueError(
            f"{shown!r} is not a tag: use letters, digits and _ . + - "
            f"(at most {MAX_TAG}, starting with a letter or digit)"
        )
    return tag


def merged(*groups: list[str]) -> list[str]:
    """Tags from several places, in order of appearance, without repeats."""
    seen: dict[str, None] = {}
    for group in groups:
        for tag in group:
            seen.setdefault(tag, None)
    return list(seen)
