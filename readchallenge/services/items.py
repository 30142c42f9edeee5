"""Items that are not on arXiv (blog posts, model cards) and the links of any paper."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from readchallenge.config import Config
from readchallenge.core import schema
from readchallenge.core.records import ITEM_KINDS, POST_LINKS, link_order_problem
from readchallenge.core.references import can_name, rename
from readchallenge.core.text import has_control_chars, is_http_url, one_line, slugify
from readchallenge.errors import NotFound, UsageError
from readchallenge.services import plan
from readchallenge.services.report import AddReport
from readchallenge.store import db, queries, writes

if TYPE_CHECKING:
    from readchallenge.core.schema import PaperFields


def check_text(label: str, text: str) -> None:
    """Refuse text with characters that would steer a terminal (tab and newline are fine)."""
    if has_control_chars(text):
        raise UsageError(f"{label} contains control characters")


def check_url(kind: str, url: str, label: str | None = None) -> str:
    """`url` if it is an http(s) URL; else a usage error naming the option (or `label`)."""
    if not is_http_url(url):
        raise UsageError(f"{label or '--' + kind} must be an http(s) URL, not {url!r}")
    return url


def add_item(
    cfg: Config,
    *,
    url: str,
    title: str,
    kind: str,
    name: str | None,
    authors: str | None,
    links: dict[str, str] | None = None,
    placement: plan.Placement | None = None,
) -> AddReport:
    """`rc add --url`: a blog post, model card or any page that is not on arXiv."""
    check_url("url", url)
    title = one_line(title)
    if not title:
        raise UsageError("--title must not be empty")
    for label, value in (("--title", title), ("--as", name or ""), ("--authors", authors or "")):
        check_text(label, value)
    links = {k: check_url(k, u) for k, u in (links or {}).items() if k != kind}
    placement = placement or plan.Placement()
    report = AddReport()
    with db.writing(cfg.db_path, cfg.command) as conn:
        existing = queries.item_with_url(conn, url, ITEM_KINDS)
        if existing is not None:
            report.already.append(existing)
            return report
        per_day, report.challenge_created = plan.per_day_or_create(conn, cfg)
        slug = queries.free_slug(conn, slugify(name or title))
        author_list = [a.strip() for a in (authors or "").split(",") if a.strip()]
        writes.insert_paper(
            conn,
            slug,
            {
                "source": "web",
                "kind": kind,
                "status": "ok",
                "name": name,
                "title": title,
                "authors": author_list,
                "added_at": cfg.utc_now().isoformat(timespec="seconds"),
            },
        )
        for link_kind, link_url in {kind: url, **links}.items():
            writes.set_link(conn, slug, link_kind, link_url)
        report.placed(slug, *plan.put(conn, slug, placement, cfg.today(), per_day))
        report.stored.append(slug)
    return report


def set_link_order(cfg: Config, text: str, order: str) -> tuple[str, list[str]]:
    """`rc link PAPER --order code,paper`: the order of the paper's links in the post ('' for
    the default); returns the paper and the order now in force."""
    kinds = [k.strip() for k in order.split(",") if k.strip()]
    problem = link_order_problem(",".join(kinds)) if kinds else None
    if problem is not None:
        raise UsageError(f"--order {problem}, not {order!r}")
    with db.writing(cfg.db_path, cfg.command) as conn:
        paper_id = queries.require_paper_id(conn, text)
        writes.update_paper(conn, paper_id, {"link_order": ",".join(kinds) or None})
    return paper_id, kinds + [k for k in POST_LINKS if k not in kinds]


class LinkSet(TypedDict):
    id: str
    kind: str
    url: str | None  # None: the link was removed


def set_link(cfg: Config, text: str, kind: str, url: str | None) -> LinkSet:
    """`rc link ID KIND URL` adds or replaces a link; with url None, removes it."""
    if url is not None:
        check_url(kind, url, label="URL")
    with db.writing(cfg.db_path, cfg.command) as conn:
        paper_id = queries.require_paper_id(conn, text)
        if url is None:
            if not writes.remove_link(conn, paper_id, kind):
                raise NotFound(f"{paper_id} has no {kind} link")
        else:
            writes.set_link(conn, paper_id, kind, url)
    return {"id": paper_id, "kind": kind, "url": url}


class Edited(NamedTuple):
    """What `rc edit` changed: the fields, and the references rewritten to a new name."""

    paper_id: str
    changed: list[str]
    references: int
    renamed_to: str | None  # what references now name


def edit(
    cfg: Config,
    text: str,
    *,
    name: str | None,
    title: str | None,
    authors: str | None,
    kind: str | None,
) -> Edited:
    """`rc edit PAPER`: change a paper's name, or a non-arXiv item's title, authors and kind.
    `--as ''` takes the name away. References to the old name follow the new one."""
    for label, value in (("--as", name), ("--title", title), ("--authors", authors)):
        check_text(label, value or "")
    if title is not None and not one_line(title):
        raise UsageError("--title must not be empty")
    with db.writing(cfg.db_path, cfg.command) as conn:
        paper_id = queries.require_paper_id(conn, text)
        old = queries.paper_row(conn, paper_id)
        assert old is not None
        if old["source"] == "arxiv" and (title, authors, kind) != (None, None, None):
            raise UsageError(
                f"{paper_id} is an arXiv paper: its title, authors and kind come from arXiv "
                "(rc refresh updates them); rc edit --as names it"
            )
        fields: PaperFields = {}
        if name is not None:
            fields["name"] = one_line(name) or None
        if title is not None:
            fields["title"] = one_line(title)
        if authors is not None:
            fields["authors"] = [a.strip() for a in authors.split(",") if a.strip()]
        if kind is not None:
            fields["kind"] = kind
        stored: Mapping[str, object] = old
        changed = [key for key, value in fields.items() if value != stored[key]]
        named = name_in_references(conn, paper_id, old["name"])
        writes.update_paper(conn, paper_id, {k: v for k, v in fields.items() if k in changed})
        count, target = 0, None
        if "name" in changed and named is not None:
            stamp = cfg.utc_now().isoformat(timespec="seconds")
            count, target = rename_references(conn, paper_id, named, stamp)
    return Edited(paper_id, changed, count, target)


def name_in_references(conn: sqlite3.Connection, paper_id: str, name: str | None) -> str | None:
    """`name` if references by it (`[[name]]`) mean this paper, else None."""
    return name if name and queries.resolve_paper_id(conn, name) == paper_id else None


def rename_references(
    conn: sqlite3.Connection, paper_id: str, old_name: str, stamp: str
) -> tuple[int, str]:
    """After a paper's name changed from `old_name`: make every `[[old_name]]` in notes and
    week words name it again (by its new name, or by its id when the new name cannot stand
    in a reference or names another paper too). Returns how many and what they now name."""
    row = queries.paper_row(conn, paper_id)
    assert row is not None
    new_name = row["name"]
    target = paper_id
    if new_name and can_name(new_name) and queries.resolve_paper_id(conn, new_name) == paper_id:
        target = new_name
    total = 0
    papers, weeks = queries.texts_with_references(conn)
    for holder in papers:
        description, takeaways = queries.notes_for(conn, holder)
        new_description, count = rename(description or "", old_name, target)
        renamed = [rename(t, old_name, target) for t in takeaways]
        if count or any(n for _, n in renamed):
            new_takeaways = [t for t, _ in renamed]
            keep = new_takeaways if new_takeaways != takeaways else None
            writes.set_note(conn, holder, new_description or description, keep, stamp)
            total += count + sum(n for _, n in renamed)
    for label in weeks:
        words = queries.week_words(conn, label)
        changed: dict[str, str | None] = {}
        for column, value in words.items():
            if column in schema.KEYS["weeks"] or not isinstance(value, str):
                continue
            new_value, count = rename(value, old_name, target)
            if count:
                changed[column], total = new_value, total + count
        if changed:
            writes.set_week_words(conn, label, changed)
    return total, target
