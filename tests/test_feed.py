"""Parsing feeds: the current format and older ones (http links, wrapped text, other order)."""

from __future__ import annotations

import re

import pytest

from readchallenge.errors import ArxivError
from readchallenge.sources.arxiv import parse_feed
from tests.conftest import recording


def test_current_feed_parses():
    [paper] = parse_feed(recording("id_1605.08386")["body"].encode())
    assert paper.id == "1605.08386" and paper.version == 1
    assert paper.abs_url == "https://arxiv.org/abs/1605.08386"
    assert paper.comment


def test_older_feed_format_parses_the_same():
    body = recording("id_1605.08386")["body"]
    [current] = parse_feed(body.encode())
    old = body.replace("https://arxiv.org", "http://arxiv.org")
    # Hard-wrap the abstract and title as older feeds did, and move <author> before <title>.
    old = re.sub(
        r"<summary>(.*?)</summary>",
        lambda m: "<summary>" + m[1].replace(" ", "\n  ", 5) + "</summary>",
        old,
        flags=re.DOTALL,
    )
    old = re.sub(
        r"<title>(.*?)</title>",
        lambda m: "<title>" + m[1].replace(" ", "\n ", 2) + "</title>",
        old,
        count=2,
    )
    entry = re.search(r"<entry>(.*?)</entry>", old, re.DOTALL)[1]
    authors = "".join(re.findall(r"<author>.*?</author>", entry, re.DOTALL))
    moved = re.sub(r"<author>.*?</author>", "", entry, flags=re.DOTALL)
    old = old.replace(entry, authors + moved)
    [parsed] = parse_feed(old.encode())
    assert parsed == current


def test_error_feed_raises_with_arxiv_text():
    with pytest.raises(ArxivError, match="incorrect id format for abc"):
        parse_feed(recording("id_abc")["body"].encode())


@pytest.mark.parametrize("body", [b"", b"<html>oops", b"\x00\x01garbage", b"<feed><entry>"])
def test_garbage_is_an_arxiv_error(body: bytes):
    with pytest.raises(ArxivError):
        parse_feed(body)


def test_empty_feed_is_empty():
    assert parse_feed(recording("id_0000.0000")["body"].encode()) == []
