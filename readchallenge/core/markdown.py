"""Markdown text rules: escaping, the first sentence of an abstract, where a list ends."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)([#+\-]|\d+\.)(\s)", re.MULTILINE)


def escape(text: str) -> str:
    """Escape what Markdown would otherwise read as formatting, links or HTML."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m[1] + "\\" + m[2] + m[3], text)


# What could end a Markdown link target or open HTML; everything else stays readable.
_URL_UNSAFE = re.compile(r"[\s()<>\[\]\"'`\\]")


def link_target(url: str) -> str:
    """`url` percent-encoded where it would break out of `[text](url)`."""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), url)


def first_sentence(text: str | None, limit: int = 300) -> str:
    """The first sentence of an abstract (whole words, at most `limit` characters)."""
    if not text:
        return ""
    # Only the start can hold it; a bounded, anchored match keeps a huge abstract linear.
    flat = " ".join(text[: limit * 4].split())
    match = re.match(r"(.+?[.!?])(\s+[A-Z(]|$)", flat)
    sentence = match[1] if match else flat
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " …"
    return sentence


_LIST_ITEM = re.compile(r"^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")


def ends_with_list(text: str | None) -> bool:
    """Whether Markdown ends inside a list, so that a list written right after it would
    join it (CommonMark and Python-Markdown both merge two lists with only blank lines
    between them)."""
    blocks = re.split(r"\n[ \t]*\n", (text or "").rstrip())
    while blocks:
        lines = blocks.pop().splitlines()
        if any(_LIST_ITEM.match(line) for line in lines):
            return True
        if not all(line.startswith(("  ", "\t")) for line in lines):
            return False  # a paragraph of its own (an indented one may belong to an item)
    return False
