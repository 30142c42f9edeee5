"""Small text rules: slugs for non-arXiv items, URL checks, whitespace."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit


def slugify(text: str) -> str:
    """A readable id such as `phi-2` from a name or title."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower()).strip("-.")
    slug = re.sub(r"-{2,}", "-", slug)[:60].strip("-.")
    return slug or "item"


def is_http_url(text: str) -> bool:
    """An http(s) URL with a host and no whitespace or control characters."""
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def one_line(text: str) -> str:
    return " ".join(text.split())


def display_name(paper: dict[str, Any]) -> str:
    return str(paper.get("name") or paper.get("title") or paper["id"])


def authors_short(authors: list[str], most: int = 2) -> str:
    if not authors:
        return ""
    if len(authors) <= most:
        return ", ".join(authors)
    return ", ".join(authors[:most]) + " et al."
