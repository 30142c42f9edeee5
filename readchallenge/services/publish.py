"""`rc publish DIR`: the season as a static site's files (Hugo or Jekyll): one Markdown file
a post, the series page and an Atom feed; written again only where something changed, and
never over a file changed by hand (docs/season.md)."""

from __future__ import annotations

import hashlib
import json
import re
import stat
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from readchallenge.config import Config
from readchallenge.core.records import JsonObject
from readchallenge.core.season import SERIES, post_file
from readchallenge.core.text import is_http_url, printable
from readchallenge.errors import RcError, UsageError
from readchallenge.results.post import Week
from readchallenge.results.season import FeedEntry, Published
from readchallenge.services import post as posts
from readchallenge.services import season
from readchallenge.store import db, queries

MANIFEST = ".rc-publish.json"  # what rc wrote in the folder, and when (one per site)
MANIFEST_FORMAT = 1
POST_NAME = re.compile(r"\d{4}-\d{2}-\d{2}-sunday-papers-\d{1,6}\.md")

if TYPE_CHECKING:
    from readchallenge.core.schema import ChallengeRow


class Layout(NamedTuple):
    posts: str  # the folder of the posts
    page: str  # the series page
    feed: str


LAYOUTS = {
    "hugo": Layout("content/posts", "content/sunday-papers.md", "static/feed.xml"),
    "jekyll": Layout("_posts", "sunday-papers.md", "feed.xml"),
}


class _Target(NamedTuple):
    path: str  # relative to the folder
    text: str


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _quoted(value: Any) -> str:
    """A YAML value: JSON's quoting is YAML's (strings, lists of strings, numbers)."""
    return json.dumps(value, ensure_ascii=False)


def _read_manifest(folder: Path) -> JsonObject:
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"format": MANIFEST_FORMAT, "layout": None, "files": {}}
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RcError(
            f"{path} is not rc's record of what it wrote ({exc}); move it away to start anew"
        ) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(v, dict)
        and isinstance(v.get("sha256"), str)
        and isinstance(v.get("written"), str)
        for v in files.values()
    ):
        raise RcError(f"{path} is not rc's record of what it wrote; move it away to start anew")
    # Only names rc writes are acted on: a record brought from elsewhere cannot make rc
    # remove `../../somewhere` whose content it knows.
    data["files"] = {rel: entry for rel, entry in files.items() if _is_ours(rel)}
    return dict(data)


def _is_ours(rel: str) -> bool:
    """Whether `rel` is a file name rc writes in a site's folder (a post, a page, a feed)."""
    folder, _, name = rel.rpartition("/")
    if any(rel in (layout.page, layout.feed) for layout in LAYOUTS.values()):
        return True
    return any(folder == layout.posts for layout in LAYOUTS.values()) and bool(
        POST_NAME.fullmatch(name)
    )


def _layout(folder: Path, asked: str | None, manifest: JsonObject) -> str:
    if asked is not None:  # one of LAYOUTS: `rc publish --layout` declares them
        return asked
    if manifest.get("layout") in LAYOUTS:
        return str(manifest["layout"])
    if any((folder / name).exists() for name in ("_config.yml", "_config.yaml", "_config.toml")):
        return "jekyll"
    return "hugo"


def _front_matter(layout: str, week: Week, draft: bool) -> str:
    lines = ["---"]
    if layout == "jekyll":
        lines.append("layout: post")
    lines += [
        f"title: {_quoted(' '.join(week['title'].split()))}",
        f"date: {week['post_date']}",
        f"draft: {str(draft).lower()}",
    ]
    if layout == "jekyll":  # Jekyll leaves out a post with `published: false`
        lines.append(f"published: {str(not draft).lower()}")
    series = _quoted([SERIES]) if layout == "hugo" else _quoted(SERIES)
    lines += [
        f"tags: {_quoted(week['tags'])}",
        f"arxiv_categories: {_quoted(week['categories'])}",
        f"series: {series}",
        f"series_number: {week['number']}",
        f"week: {_quoted(week['week'])}",
        "---",
        "",
        "",
    ]
    return "\n".join(lines)


def _draft_reason(week: Week, today: date) -> str | None:
    """Why a post is still a draft: its Sunday has not come, or `--check` finds something."""
    if today < date.fromisoformat(week["post_date"]):
        return f"until {week['post_date']}"
    problems = posts.check(week)
    if problems:
        return f"rc export-week {week['week']} --check lists {len(problems)} thing(s) to do"
    return None


def _page(layout: str, cfg: Config) -> str:
    from readchallenge.render.post import render_builtin

    head = f"---\ntitle: {_quoted(SERIES)}\n---"
    if layout == "jekyll":
        head = f"---\nlayout: page\ntitle: {_quoted(SERIES)}\npermalink: /sunday-papers/\n---"
    return printable(
        render_builtin("index.md.j2", {**season.season_index(cfg), "front_matter": head})
    )


def _feed_ids(challenge: ChallengeRow | None) -> uuid.UUID:
    """The feed's own id: from the challenge (the same on every device), never changing."""
    seed = f"rc:{challenge['created_at']}:{challenge['start']}" if challenge else "rc:season"
    return uuid.uuid5(uuid.NAMESPACE_URL, seed)


def _feed(
    cfg: Config, weeks: list[tuple[Week, str, str]], times: dict[str, str], page_time: str
) -> str:
    from readchallenge.render.feed import atom
    from readchallenge.render.html import body_html

    with db.opened(cfg.db_path) as conn:
        challenge = queries.challenge_row(conn) if queries.challenge(conn) else None
    base = _feed_ids(challenge)
    entries: list[FeedEntry] = []
    for week, path, markdown in reversed(weeks):
        url = week["url"]
        if not url or not is_http_url(url):
            continue  # not published (rc week --url says where it was)
        published = f"{week['post_date']}T00:00:00Z"
        entries.append(
            {
                "id": f"urn:uuid:{uuid.uuid5(base, week['week'])}",
                "title": printable(" ".join(week["title"].split())),
                "url": url,
                "published": min(published, times[path]),
                "updated": times[path],
                "tags": week["tags"],
                "html": body_html(markdown),
            }
        )
    site = cfg.site_url
    name = printable(str(challenge["name"])) if challenge else None  # from anywhere: no controls
    return atom(
        {
            "id": f"urn:uuid:{base}",
            "title": SERIES,
            "subtitle": name,
            "author": cfg.post_author or name or "rc",
            "updated": max([e["updated"] for e in entries] or [page_time]),
            "site": site,
            "self_url": site.rstrip("/") + "/feed.xml" if site else None,
            "lang": cfg.post_language,
            "entries": entries,
        }
    )


class _Plan:
    """What to do with each file, decided before anything is written."""

    def __init__(self, folder: Path, manifest: JsonObject, force: bool, now: str) -> None:
        self.folder = folder
        self.known: dict[str, dict[str, str]] = dict(manifest["files"])
        self.force = force
        self.now = now
        self.writes: dict[str, str] = {}
        self.result: dict[str, list[str]] = {"wrote": [], "kept": [], "skipped": []}

    def _current(self, rel: str) -> bytes | None:
        path = self.folder / rel
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise RcError(f"{path} is {kind}; rc writes only to files (nothing was written)")
        return path.read_bytes()

    def decide(self, target: _Target) -> str:
        """Whether `target` is written, kept or skipped; the time its text was written."""
        data = target.text.encode("utf-8")
        current = self._current(target.path)
        known = self.known.get(target.path)
        if current == data:
            self.result["kept"].append(target.path)
            if known is None or known["sha256"] != _digest(data):
                self.known[target.path] = {"sha256": _digest(data), "written": self.now}
            return self.known[target.path]["written"]
        ours = current is None or (known is not None and known["sha256"] == _digest(current))
        if not ours and not self.force:
            self.result["skipped"].append(target.path)
            return known["written"] if known else self.now
        self.writes[target.path] = target.text
        self.result["wrote"].append(target.path)
        self.known[target.path] = {"sha256": _digest(data), "written": self.now}
        return self.now

    def stale(self, wanted: set[str]) -> list[str]:
        """rc's files that are no longer produced: removed when unchanged since."""
        removed = []
        for rel in sorted(set(self.known) - wanted):
            current = self._current(rel)
            if current is None:
                del self.known[rel]
            elif _digest(current) == self.known[rel]["sha256"]:
                removed.append(rel)
                del self.known[rel]
            else:
                self.result["skipped"].append(rel)
        return removed


def publish(cfg: Config, folder: Path, layout: str | None = None, force: bool = False) -> Published:
    """Write the season into `folder` as a static site's files."""
    from readchallenge.files import write_atomically
    from readchallenge.render.post import render_post

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    manifest = _read_manifest(folder)
    chosen = _layout(folder, layout, manifest)
    where = LAYOUTS[chosen]
    today, now = cfg.today(), _stamp(cfg.utc_now())
    plan = _Plan(folder, manifest, force, now)
    weeks: list[tuple[Week, str, str]] = []
    drafts: dict[str, str] = {}
    times: dict[str, str] = {}
    with db.opened(cfg.db_path) as conn:
        season_posts = season.season_posts(conn, cfg)
    for week in season_posts:
        body = printable(render_post(week, cfg.post_template))
        reason = _draft_reason(week, today)
        rel = f"{where.posts}/{post_file(date.fromisoformat(week['monday']), week['number'])}"
        if reason:
            drafts[rel] = reason
        times[rel] = plan.decide(
            _Target(rel, _front_matter(chosen, week, reason is not None) + body)
        )
        weeks.append((week, rel, body))
    page_time = plan.decide(_Target(where.page, _page(chosen, cfg)))
    plan.decide(_Target(where.feed, _feed(cfg, weeks, times, page_time)))
    removed = plan.stale({rel for _, rel, _ in weeks} | {where.page, where.feed})
    for rel, text in plan.writes.items():
        path = folder / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RcError(f"cannot create folder {path.parent}: {exc.strerror}") from None
        write_atomically(path, text, force=True)
    for rel in removed:
        (folder / rel).unlink(missing_ok=True)
    record = {
        "format": MANIFEST_FORMAT,
        "layout": chosen,
        "files": dict(sorted(plan.known.items())),
    }
    if record != manifest:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / MANIFEST, json.dumps(record, indent=1) + "\n", force=True)
    return {
        "folder": str(folder),
        "layout": chosen,
        "wrote": plan.result["wrote"],
        "kept": plan.result["kept"],
        "skipped": plan.result["skipped"],
        "removed": removed,
        "drafts": drafts,
    }
