"""Small text rules: slugs for non-arXiv items, URL checks, whitespace."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any, overload
from urllib.parse import urlsplit


def slugify(text: str) -> str:
    """A readable id such as `phi-2` from a name or title."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower()).strip("-.")
    slug = re.sub(r"-{2,}", "-", slug)[:60].strip("-.")
    return slug or "item"


_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
# A plain URL (a host of letters, digits, dots and dashes; no port, user, brackets, space or
# control): urlsplit would accept it, so it is accepted without asking (an import checks
# 200,000 URLs at 100,000 papers; urlsplit took a second of that).
_PLAIN_URL = re.compile(r"(?i:https?)://[A-Za-z0-9.-]+(?:[/?#][^\s\x00-\x1f\x7f-\x9f]*)?")


def is_http_url(text: object) -> bool:
    """An http(s) URL with a host, a valid port if any, and no whitespace or control
    characters (C0, DEL, C1): the one rule for every link, whatever its source (typed,
    imported, synced or found on Hugging Face), when it is stored and again when it is
    opened or exported, and for the settings that are URLs. Such a URL starts with `http`,
    so a browser never reads it as an option."""
    if not isinstance(text, str):
        return False
    if _PLAIN_URL.fullmatch(text):
        return True
    if _SPACE_OR_CONTROL.search(text):
        return False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 -- reading it checks the port is a number from 0 to 65535
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# C0 controls but tab and newline, DEL, and the C1 controls: ESC sequences and the like.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def has_control_chars(text: str) -> bool:
    """Whether `text` holds a character that would steer a terminal (tab and newline do not)."""
    return _CONTROL.search(text) is not None


@overload
def printable(value: str) -> str: ...


@overload
def printable(value: Any) -> Any: ...


def printable(value: Any) -> Any:
    """`value` with every control character in its strings replaced by U+FFFD, recursively:
    what came from arXiv or an import must not move the cursor or recolour the terminal."""
    if isinstance(value, str):
        return _CONTROL.sub("\ufffd", value)
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [printable(item) for item in value]
    return value


_C1 = re.compile(r"[\x7f-\x9f]")


def escape_c1(json_text: str) -> str:
    """JSON text with DEL and the C1 controls written as `\\u00XX` escapes, as `json.dumps`
    writes the C0 ones: the same value for a JSON reader, no CSI or OSC for a terminal."""
    return _C1.sub(lambda m: f"\\u{ord(m[0]):04x}", json_text)


CELL_LIMIT = 200  # characters of a title or name shown in a table cell


def clip(text: str, limit: int = CELL_LIMIT) -> str:
    """`text` cut to `limit` characters with an ellipsis: a table row stays a few lines
    (and quick to lay out) even for a title of megabytes."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plural(count: int, word: str) -> str:
    """`1 day`, `2 days`: a count that agrees with its number."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def one_line(text: str) -> str:
    return " ".join(text.split())


def display_name(paper: Mapping[str, Any]) -> str:
    return str(paper.get("name") or paper.get("title") or paper["id"])


def device_name(name: str) -> str:
    """A device id's readable part: `laptop` for `laptop-3f9a2c`."""
    return name.rsplit("-", 1)[0] if "-" in name else name


def authors_short(authors: list[str]) -> str:
    """`A`, `A and B`, or `A et al.` for three or more: the one way rc names authors."""
    if len(authors) <= 2:
        return " and ".join(authors)
    return f"{authors[0]} et al."
