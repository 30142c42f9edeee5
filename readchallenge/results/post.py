"""The variables a post template sees (docs/export.md lists them), also `--json`'s keys."""

from __future__ import annotations

from typing import TypedDict


class Link(TypedDict):
    kind: str
    url: str


class PostPaper(TypedDict):
    id: str
    name: str
    heading: str
    title: str
    kind: str
    authors: list[str]
    authors_short: str
    links: list[Link]
    other_links: list[Link]
    description: str | None
    takeaways: list[str]
    hint: str
    categories: list[str]
    read: bool


class PostDay(TypedDict):
    date: str
    weekday: str
    papers: list[PostPaper]


class Week(TypedDict):
    week: str
    number: int
    monday: str
    sunday: str
    dates: str
    post_date: str
    theme: str | None
    title: str
    intro: str | None
    conclusion: str | None
    teaser: str | None
    signoff: str | None
    days: list[PostDay]
    tags: list[str]
    unresolved: list[str]
    ignored_links: list[str]  # `NAME: KIND`, left out: not http(s) URLs
    front_matter: bool
