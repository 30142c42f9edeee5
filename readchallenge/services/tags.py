"""Tags on papers and weeks, and where each week's post lives (docs/season.md)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date

from readchallenge.config import Config
from readchallenge.core.dates import week_label
from readchallenge.core.tags import normalise_tag
from readchallenge.core.text import display_name, is_http_url
from readchallenge.errors import UsageError
from readchallenge.results.season import PaperTags, TagCount, WeekChange
from readchallenge.store import db, queries, season


def tags_of(texts: Iterable[str], option: str = "TAG") -> list[str]:
    """Tags as typed, in rc's one spelling, without repeats; a usage error names the first
    that cannot be one."""
    tags: list[str] = []
    for text in texts:
        try:
            tag = normalise_tag(text)
        except ValueError as exc:
            raise UsageError(f"{option}: {exc}") from None
        if tag not in tags:
            tags.append(tag)
    return tags


def tag_paper(cfg: Config, paper: str, add: list[str], remove: list[str]) -> PaperTags:
    """File a paper under `add` and take it out of `remove`; with neither, its tags."""
    wanted, unwanted = tags_of(add), tags_of(remove)
    both = set(wanted) & set(unwanted)
    if both:
        raise UsageError(f"tag {sorted(both)[0]!r} is both added and removed")
    if not wanted and not unwanted:
        with db.opened(cfg.db_path) as conn:
            paper_id = queries.require_paper_id(conn, paper)
            return _paper_tags(conn, paper_id, [], [])
    with db.writing(cfg.db_path, cfg.command) as conn:
        paper_id = queries.require_paper_id(conn, paper)
        added = season.add_tags(conn, paper_id, wanted)
        removed = season.remove_tags(conn, paper_id, unwanted)
        return _paper_tags(conn, paper_id, added, removed)


def _paper_tags(
    conn: sqlite3.Connection, paper_id: str, added: list[str], removed: list[str]
) -> PaperTags:
    row = queries.paper_row(conn, paper_id) or {"id": paper_id, "name": None, "title": None}
    return {
        "id": paper_id,
        "name": display_name(row),
        "tags": season.paper_tags(conn, paper_id),
        "added": added,
        "removed": removed,
    }


def tag_counts(cfg: Config) -> list[TagCount]:
    """Every tag in use with how many papers and weeks carry it."""
    with db.opened(cfg.db_path) as conn:
        counts = season.tag_counts(conn)
    return [{"tag": t, "papers": p, "weeks": w} for t, p, w in counts]


def change_week(
    cfg: Config,
    monday: date,
    *,
    add: list[str],
    remove: list[str],
    url: str | None,
    words: dict[str, str] | None = None,
) -> WeekChange:
    """Tag a week's post (besides its papers' tags), record where it was published (`url`;
    '' forgets it), and set its `words` (as `rc week --theme` does), in one transaction.
    The URL passes rc's one URL rule."""
    from readchallenge.services import notes

    columns = notes.week_changes(words or {})
    wanted, unwanted = tags_of(add, "--tag"), tags_of(remove, "--untag")
    if url is not None:
        url = url.strip()
        if url and not is_http_url(url):
            raise UsageError(
                f"--url {url[:80]!r} is not an http(s) URL (http or https, a host, no spaces)"
            )
    label = week_label(monday)
    with db.writing(cfg.db_path, cfg.command) as conn:
        added = season.add_week_tags(conn, label, wanted)
        removed = season.remove_week_tags(conn, label, unwanted)
        changed = url is not None and season.set_post_url(conn, label, url or None)
        now = season.post_url(conn, label)
        worded = bool(columns) and notes.write_week(conn, label, columns)
    return {
        "week": label,
        "added": added,
        "removed": removed,
        "url": now,
        "url_changed": changed,
        "words_changed": worded,
    }


def words_starting(cfg: Config, kind: str, typed: str) -> list[str]:
    """The tags (`kind` "tags") or the weeks with papers or words ("weeks", newest first)
    that start with `typed` (case aside), for the shell's completion: nothing without a
    readable store, never an error."""
    read = season.all_tags if kind == "tags" else season.week_labels
    try:
        if not cfg.db_path.exists():
            return []
        found = read(cfg.db_path)
    except (sqlite3.Error, OSError, ValueError):
        return []
    typed = typed.lower()
    return [word for word in found if word.lower().startswith(typed)]
