"""Items that are not on arXiv (blog posts, model cards) and the links of any paper."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from readchallenge.config import Config
from readchallenge.core.records import ITEM_KINDS, LINK_KINDS
from readchallenge.core.text import has_control_chars, is_http_url, one_line, slugify
from readchallenge.errors import NotFound, UsageError
from readchallenge.services import plan
from readchallenge.services.report import AddReport
from readchallenge.store import db, queries
from readchallenge.store.models import Link, Paper
from readchallenge.store.orm import write_session


def check_text(label: str, text: str) -> None:
    """Refuse text with characters that would steer a terminal (tab and newline are fine)."""
    if has_control_chars(text):
        raise UsageError(f"{label} contains control characters")


def check_url(kind: str, url: str) -> str:
    if not is_http_url(url):
        raise UsageError(f"--{kind} must be an http(s) URL, not {url!r}")
    return url


def set_link_row(session: Session, paper_id: str, kind: str, url: str) -> None:
    link = session.get(Link, (paper_id, kind))
    if link is None:
        session.add(Link(paper_id=paper_id, kind=kind, url=url))
    else:
        link.url = url
        session.add(link)


def add_item(
    cfg: Config,
    *,
    url: str,
    title: str,
    kind: str,
    name: str | None,
    authors: str | None,
    placement: plan.Placement | None = None,
) -> AddReport:
    """`rc add --url`: a blog post, model card or any page that is not on arXiv."""
    check_url("url", url)
    if kind not in ITEM_KINDS:
        raise UsageError(f"--kind must be one of {', '.join(ITEM_KINDS)}, not {kind!r}")
    title = one_line(title)
    if not title:
        raise UsageError("--title must not be empty")
    for label, value in (("--title", title), ("--as", name or ""), ("--authors", authors or "")):
        check_text(label, value)
    placement = placement or plan.Placement()
    report = AddReport()
    with write_session(cfg.db_path) as session:
        existing = session.exec(
            select(Link).where(Link.url == url, col(Link.kind).in_(ITEM_KINDS))
        ).first()
        if existing is not None:
            report.already.append(existing.paper_id)
            return report
        challenge, report.challenge_created = plan.get_or_create_challenge(session, cfg)
        base = slugify(name or title)
        slug, n = base, 1
        while session.get(Paper, slug) is not None:
            n += 1
            slug = f"{base}-{n}"
        author_list = [a.strip() for a in (authors or "").split(",") if a.strip()]
        session.add(
            Paper(
                id=slug,
                source="web",
                kind=kind,
                status="ok",
                name=name,
                title=title,
                authors=json.dumps(author_list, ensure_ascii=False),
                added_at=cfg.utc_now().isoformat(timespec="seconds"),
            )
        )
        session.flush()  # the paper row must exist before its link
        session.add(Link(paper_id=slug, kind=kind, url=url))
        report.placed(slug, *plan.put(session, slug, placement, cfg.today(), challenge.per_day))
        report.stored.append(slug)
    return report


def set_link(cfg: Config, text: str, kind: str, url: str | None) -> dict[str, Any]:
    """`rc link ID KIND URL` adds or replaces a link; with url None, removes it."""
    if kind not in LINK_KINDS:
        raise UsageError(f"link kind must be one of {', '.join(LINK_KINDS)}, not {kind!r}")
    if url is not None:
        check_url(kind, url)
    with db.opened(cfg.db_path) as conn:
        paper_id = queries.resolve_paper_id(conn, text)
    if paper_id is None:
        raise NotFound(f"no paper {text!r} in the store")
    with write_session(cfg.db_path) as session:
        link = session.get(Link, (paper_id, kind))
        if url is None:
            if link is None:
                raise NotFound(f"{paper_id} has no {kind} link")
            session.delete(link)
        else:
            set_link_row(session, paper_id, kind, url)
    return {"id": paper_id, "kind": kind, "url": url}
