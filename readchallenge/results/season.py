"""What the season's commands hand to their renderers and print as JSON: `rc find`'s hits,
tags, the series page, the recap, what `rc publish` did, and the feed it writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from readchallenge.core.rows import ChallengeInfo


class FindHit(TypedDict):
    """One hit of `rc find` (and an object of `rc find --json`)."""

    kind: str  # paper or week
    id: str  # the paper's id, or the week (YYYY-Www)
    name: str  # the paper's name or title, or the week's theme (or the week)
    field: str  # the field whose snippet is shown
    fields: list[str]  # every field that matched
    snippet: str  # plain text
    highlights: list[list[int]]  # [start, end) of each match in the snippet
    score: float  # bm25, higher is better


class Found(TypedDict):
    query: str
    total: int  # rows matched in all, of which `hits` are the best
    hits: list[FindHit]


class PaperTags(TypedDict):
    id: str
    name: str
    tags: list[str]
    added: list[str]
    removed: list[str]


class TagCount(TypedDict):
    tag: str
    papers: int
    weeks: int  # weeks tagged by `rc week --tag`


class WeekChange(TypedDict):
    week: str
    added: list[str]
    removed: list[str]
    url: str | None
    url_changed: bool
    words_changed: bool


class IndexPaper(TypedDict):
    id: str
    name: str
    heading: str  # `NAME ([model](…) | [paper](…))`, as the post's headings show a paper
    date: str
    weekday: str
    read: bool


class IndexWeek(TypedDict):
    week: str
    number: int
    title: str
    theme: str | None
    dates: str
    monday: str
    post_date: str
    url: str | None
    tags: list[str]
    papers: list[IndexPaper]
    mentioned: list[str]  # ids of the papers its references name


class Mentioned(TypedDict):
    id: str
    name: str
    heading: str
    planned_on: str | None  # None: in the backlog
    posts: list[int]  # the numbers of the posts that mention it


class SeasonCounts(TypedDict):
    weeks: int
    published: int
    papers: int
    read: int
    mentioned: int  # backlog papers the posts mention


class SeasonIndex(TypedDict):
    """The series page (`rc export-index --json`)."""

    series: str
    challenge: ChallengeInfo | None
    weeks: list[IndexWeek]
    backlog_mentioned: list[Mentioned]
    counts: SeasonCounts


class RecapDays(TypedDict):
    """The challenge's days by their state in `rc calendar --json`."""

    total: int
    read: int
    skipped: int
    missed: int
    planned: int
    future: int


class RecapTakeaway(TypedDict):
    name: str
    text: str


class RecapWeek(TypedDict):
    number: int
    week: str
    title: str
    theme: str | None
    dates: str
    url: str | None
    takeaways: list[RecapTakeaway]


class Recap(TypedDict):
    """`rc recap --json`: the season in numbers and words, for the last post."""

    series: str
    challenge: ChallengeInfo | None
    today: str
    so_far: bool  # the challenge is still on
    days: RecapDays
    papers_read: int  # readings on the challenge's days, as `rc calendar --json` counts them
    target: int
    current_streak: int
    longest_streak: int
    kinds: dict[str, int]  # papers read by kind
    weeks: list[RecapWeek]
    most_referenced: list[Mentioned]
    calendar: str | None  # the picture the recap shows (a file beside it)


class Published(TypedDict):
    """What `rc publish` did (`--json`): files by what happened to them."""

    folder: str
    layout: str
    wrote: list[str]
    kept: list[str]  # as rc would write them already
    skipped: list[str]  # changed by hand since rc wrote them (or never rc's): left as they are
    removed: list[str]  # rc's own, no longer a post (a week that lost its papers)
    drafts: dict[str, str]  # post file: why it is still a draft


class FeedEntry(TypedDict):
    id: str  # an IRI that never changes (urn:uuid:…)
    title: str
    url: str  # where the post is read
    published: str  # RFC 3339
    updated: str  # RFC 3339
    tags: list[str]
    html: str  # the post's body


class Feed(TypedDict):
    id: str
    title: str
    subtitle: str | None
    author: str
    updated: str
    site: str | None  # the site's address: the feed's alternate and self links
    self_url: str | None
    lang: str
    entries: list[FeedEntry]
