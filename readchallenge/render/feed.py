"""The Atom feed of the published posts (RFC 4287), for `rc publish`.

Written with the standard library's ElementTree, which escapes every text and attribute:
a feed is some forty lines of XML, and feedgen would bring lxml and dateutil for them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readchallenge.results.season import Feed

ATOM = "http://www.w3.org/2005/Atom"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def atom(feed: Feed) -> str:
    """The feed as an Atom document: the same feed always gives the same bytes."""
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": feed["lang"]})
    _add(root, "id", feed["id"])
    _add(root, "title", feed["title"])
    if feed["subtitle"]:
        _add(root, "subtitle", feed["subtitle"])
    _add(root, "updated", feed["updated"])
    author = _add(root, "author")
    _add(author, "name", feed["author"])
    if feed["site"]:
        _add(root, "link", rel="alternate", type="text/html", href=feed["site"])
    if feed["self_url"]:
        _add(root, "link", rel="self", type="application/atom+xml", href=feed["self_url"])
    _add(root, "generator", "rc")
    for entry in feed["entries"]:
        item = _add(root, "entry")
        _add(item, "id", entry["id"])
        _add(item, "title", entry["title"])
        _add(item, "link", rel="alternate", type="text/html", href=entry["url"])
        _add(item, "published", entry["published"])
        _add(item, "updated", entry["updated"])
        for tag in entry["tags"]:
            _add(item, "category", term=tag)
        _add(item, "content", entry["html"], type="html")
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"
