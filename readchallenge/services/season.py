"""The season as a whole: the series page (`rc export-index`) and the recap (`rc recap`)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date

from readchallenge.config import Config
from readchallenge.core import challenge as rules
from readchallenge.core.markdown import escape, link_target
from readchallenge.core.season import SERIES
from readchallenge.core.text import is_http_url
from readchallenge.results.daily import Calendar
from readchallenge.results.post import Week
from readchallenge.results.season import (
    IndexPaper,
    IndexWeek,
    Mentioned,
    Recap,
    RecapDays,
    RecapTakeaway,
    RecapWeek,
    SeasonIndex,
)
from readchallenge.services import daily
from readchallenge.services.post import heading, http_links, ordered_links, week_post
from readchallenge.store import db, queries, season


def _address(url: str | None) -> str | None:
    """A post's address as a Markdown link takes it (safe inside `(…)`), if it is one."""
    return link_target(url) if url and is_http_url(url) else None


def _index_week(post: Week) -> IndexWeek:
    papers: list[IndexPaper] = [
        {
            "id": p["id"],
            "name": p["name"],
            "heading": p["heading"],
            "date": day["date"],
            "weekday": day["weekday"],
            "read": p["read"],
        }
        for day in post["days"]
        for p in day["papers"]
    ]
    return {
        "week": post["week"],
        "number": post["number"],
        "title": " ".join(post["title"].split()),
        "theme": post["theme"],
        "dates": post["dates"],
        "monday": post["monday"],
        "post_date": post["post_date"],
        "url": _address(post["url"]),
        "tags": post["tags"],
        "papers": papers,
        "mentioned": post["mentioned"],
    }


def season_posts(conn: sqlite3.Connection, cfg: Config) -> list[Week]:
    """Every week with a paper planned, as its post reads (numbered 1, 2, 3…)."""
    return [
        week_post(conn, cfg, monday, cfg.post_template, number)
        for number, monday in enumerate(season.weeks_with_papers(conn), start=1)
    ]


def _mentioned(conn: sqlite3.Connection, weeks: list[IndexWeek]) -> list[Mentioned]:
    """Each paper the posts' references name, with the posts that name it, most first."""
    posts: dict[str, list[int]] = {}
    for week in weeks:
        for paper_id in week["mentioned"]:
            posts.setdefault(paper_id, []).append(week["number"])
    found: list[Mentioned] = []
    for paper_id, numbers in sorted(posts.items(), key=lambda item: (-len(item[1]), item[0])):
        paper = queries.paper(conn, paper_id)
        if paper is None:
            continue
        name = str(paper["name"] or paper["title"] or paper_id)
        links = ordered_links(http_links(paper, []), paper["link_order"])
        found.append(
            {
                "id": paper_id,
                "name": name,
                "heading": heading(name, links),
                "planned_on": paper["planned_on"],
                "posts": numbers,
            }
        )
    return found


def season_index(cfg: Config) -> SeasonIndex:
    """Every week with its number, dates, theme, post and papers; the backlog papers the
    posts mention; and how many of each."""
    with db.opened(cfg.db_path) as conn:
        weeks = [_index_week(post) for post in season_posts(conn, cfg)]
        mentioned = [m for m in _mentioned(conn, weeks) if m["planned_on"] is None]
        info = queries.challenge(conn)
    papers = [p for w in weeks for p in w["papers"]]
    return {
        "series": SERIES,
        "challenge": info,
        "weeks": weeks,
        "backlog_mentioned": mentioned,
        "counts": {
            "weeks": len(weeks),
            "published": sum(1 for w in weeks if w["url"]),
            "papers": len(papers),
            "read": sum(1 for p in papers if p["read"]),
            "mentioned": len(mentioned),
        },
    }


# The recap -------------------------------------------------------------------------------


def _recap_days(calendar: Calendar) -> RecapDays:
    states = Counter(
        day["state"]
        for week in calendar.get("weeks", [])
        for day in week
        if day["state"] != "outside"
    )
    return {
        "total": sum(states.values()),
        "read": states["read"],
        "skipped": states["skipped"],
        "missed": states["missed"],
        "planned": states["planned"],
        "future": states["future"],
    }


def _recap_week(post: Week) -> RecapWeek:
    takeaways: list[RecapTakeaway] = [
        {"name": escape(p["name"]), "text": text}
        for day in post["days"]
        for p in day["papers"]
        for text in p["takeaways"]
        if text
    ]
    return {
        "number": post["number"],
        "week": post["week"],
        "title": " ".join(post["title"].split()),
        "theme": post["theme"],
        "dates": post["dates"],
        "url": _address(post["url"]),
        "takeaways": takeaways,
    }


def recap(cfg: Config, calendar_file: str | None = None, most: int = 5) -> Recap:
    """The end-of-challenge post's facts, at any time of the season (a recap mid-season
    counts the days so far); the days' counts are `rc calendar --json`'s."""
    calendar = daily.calendar(cfg)
    info = calendar.get("challenge")
    today = cfg.today()
    with db.opened(cfg.db_path) as conn:
        posts = season_posts(conn, cfg)
        weeks = [_index_week(post) for post in posts]
        referenced = _mentioned(conn, weeks)[:most]
        skips = queries.skip_days(conn)
        longest = rules.longest_streak(queries.reading_days(conn), skips)
        if info is not None:
            first, last = date.fromisoformat(info["start"]), date.fromisoformat(info["until"])
            kinds = season.reading_kinds(conn, first, min(last, today))
        else:
            kinds = {}
    return {
        "series": SERIES,
        "challenge": info,
        "today": today.isoformat(),
        "so_far": info is None or today <= date.fromisoformat(info["until"]),
        "days": _recap_days(calendar),
        "papers_read": int(calendar.get("read", 0)),
        "target": int(calendar.get("target", 0)),
        "current_streak": int(calendar.get("streak", 0)),
        "longest_streak": max(longest, int(calendar.get("streak", 0))),
        "kinds": kinds,
        "weeks": [_recap_week(post) for post in posts],
        "most_referenced": referenced,
        "calendar": calendar_file,
    }
