"""Assembling a week's post: the data its template sees, and what is missing from it."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING

from readchallenge.config import Config
from readchallenge.core.dates import days_between, week_label
from readchallenge.core.markdown import escape, first_sentence, link_target
from readchallenge.core.records import LINK_KINDS, POST_LINKS
from readchallenge.core.references import expand
from readchallenge.core.text import authors_short, is_http_url
from readchallenge.results.post import Link, PostDay, PostPaper, Week
from readchallenge.services import when
from readchallenge.store import db, queries

if TYPE_CHECKING:
    from readchallenge.core.rows import PaperDetail, PlannedPaper


def unlatex(text: str) -> str:
    """LaTeX in a title (`$\\rho$-1`) as Unicode where it can be; otherwise as it was."""
    if "$" not in text and "\\" not in text:
        return text
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        converted = LatexNodes2Text(math_mode="text").latex_to_text(text)
    except Exception:  # pylatexenc raises several kinds on odd input; keep the title as is
        return text
    return " ".join(str(converted).split()) or text


def ordered_links(links: dict[str, str], order: str | None) -> list[Link]:
    """A paper's links for its heading: in its own order (`rc link P --order`) if it has
    one, else model | paper | code | blog; each URL safe inside a Markdown link."""
    kinds = order.split(",") if order else list(POST_LINKS)
    kinds += [k for k in POST_LINKS if k not in kinds]
    return [{"kind": k, "url": link_target(links[k])} for k in kinds if k in links]


def http_links(paper: PlannedPaper | PaperDetail, ignored: list[str]) -> dict[str, str]:
    """The paper's links that pass the one URL rule; the others are named in `ignored`
    (stored before rc checked every link, or by hand) and never reach the post."""
    links = paper["links"]
    kept = {kind: url for kind, url in links.items() if is_http_url(url)}
    for kind in links.keys() - kept.keys():
        note = f"{_display(paper)}: {kind}"
        if note not in ignored:
            ignored.append(note)
    return kept


def _link_list(links: list[Link]) -> str:
    return " | ".join(f"[{link['kind']}]({link['url']})" for link in links)


def heading(name: str, links: list[Link]) -> str:
    """`NAME ([model](…) | [paper](…))`, as a day's heading and a first reference show a
    paper."""
    return f"{escape(name)} ({_link_list(links)})" if links else escape(name)


def _display(paper: PlannedPaper | PaperDetail) -> str:
    title = unlatex(paper["title"] or paper["id"])
    return unlatex(paper["name"]) if paper["name"] else title


def _dates(monday: date, sunday: date) -> str:
    if monday.month == sunday.month:
        return f"{monday.day}–{sunday.day} {sunday:%B}"
    return f"{monday.day} {monday:%B} – {sunday.day} {sunday:%B}"


class _References:
    """Expands the references of one post, in the order the post reads: a paper's first
    mention carries its links; later mentions, and mentions of a paper that has a day of
    its own in the post, are its name alone."""

    def __init__(self, conn: sqlite3.Connection, own_days: set[str]) -> None:
        self.conn = conn
        self.linked = set(own_days)
        self.unresolved: list[str] = []
        self.ignored: list[str] = []  # links left out: not http(s) URLs

    def _render(self, name: str, shown: str | None) -> str | None:
        paper_id = queries.resolve_paper_id(self.conn, name)
        paper = queries.paper(self.conn, paper_id) if paper_id else None
        if paper is None:
            return None
        text = shown if shown is not None else escape(_display(paper))
        if paper["id"] in self.linked:
            return text
        self.linked.add(paper["id"])
        links = ordered_links(http_links(paper, self.ignored), paper["link_order"])
        return f"{text} ({_link_list(links)})" if links else text

    def __call__(self, text: str | None) -> str | None:
        """The author's Markdown as written, with its references expanded."""
        if not text:
            return text
        expanded, missing = expand(text, self._render)
        self.unresolved.extend(m for m in missing if m not in self.unresolved)
        return expanded


def _post_paper(
    p: PlannedPaper, notes: tuple[str | None, list[str]], refs: _References
) -> PostPaper:
    description, takeaways = notes
    usable = http_links(p, refs.ignored)
    links = ordered_links(usable, p["link_order"])
    return {
        "id": p["id"],
        "name": _display(p),
        "heading": heading(_display(p), links),
        "title": unlatex(p["title"] or p["id"]),
        "kind": p["kind"],
        "authors": p["authors"],
        "authors_short": authors_short(p["authors"]),
        "links": links,
        "other_links": [
            {"kind": k, "url": link_target(usable[k])}
            for k in LINK_KINDS
            if k in usable and k not in POST_LINKS
        ],
        "description": refs(description),
        "takeaways": [refs(t) or "" for t in takeaways],
        "hint": first_sentence(p["abstract"]),
        "categories": p["categories"],
        "read": p["read"],
    }


def week_data(cfg: Config, spec: str | None) -> Week:
    """Every variable the post template sees (docs/export.md)."""
    monday = when.week(spec, cfg)
    sunday = monday + timedelta(days=6)
    with db.opened(cfg.db_path) as conn:
        planned = queries.plan_between(conn, monday, sunday)
        words = queries.week_words(conn, week_label(monday))
        notes = {p["id"]: queries.notes_for(conn, p["id"]) for p in planned}
        number = 1 + queries.weeks_with_papers_before(conn, monday)
        refs = _References(conn, {p["id"] for p in planned})
        intro = refs(words["intro"])  # expanded in the order the post reads
        days: list[PostDay] = []
        tags: list[str] = []
        for day in days_between(monday, sunday):
            papers: list[PostPaper] = []
            for p in (p for p in planned if p["day"] == day.isoformat()):
                papers.append(_post_paper(p, notes[p["id"]], refs))
                tags += [c for c in p["categories"] if c not in tags]
            days.append({"date": day.isoformat(), "weekday": day.strftime("%A"), "papers": papers})
        theme = words["theme"]
        conclusion, teaser = refs(words["conclusion"]), refs(words["teaser"])
        signoff = refs(words["signoff"] or cfg.post_signoff)
    return {
        "week": week_label(monday),
        "number": number,
        "monday": monday.isoformat(),
        "sunday": sunday.isoformat(),
        "dates": _dates(monday, sunday),
        "post_date": (monday - timedelta(days=1)).isoformat(),
        "theme": theme,
        "title": f"Sunday Papers #{number}: {theme}" if theme else f"Sunday Papers #{number}",
        "intro": intro,
        "conclusion": conclusion,
        "teaser": teaser,
        "signoff": signoff,
        "days": days,
        "tags": tags,
        "unresolved": refs.unresolved,
        "ignored_links": refs.ignored,
        "front_matter": False,
    }


TODO = re.compile(r"\bTODO\b")


def check(data: Week) -> list[str]:
    """What is missing or unfinished before the post can go out."""
    problems = [f"no {key}" for key in ("intro", "conclusion", "teaser") if not data[key]]
    if not any(day["papers"] for day in data["days"]):
        problems.append(f"week {data['week']} has no papers")
    for key in ("intro", "conclusion", "teaser", "signoff"):
        text = data[key]
        if text and TODO.search(text):
            problems.append(f"the {key} still has a TODO")
    for day in data["days"]:
        if not day["papers"]:
            problems.append(f"{day['weekday']} {day['date']}: no paper planned")
        for p in day["papers"]:
            where = f"{day['weekday']} {p['name']}"
            if not p["description"]:
                problems.append(f"{where}: no description")
            elif TODO.search(p["description"]):
                problems.append(f"{where}: the description still has a TODO")
            if any(TODO.search(t) for t in p["takeaways"]):
                problems.append(f"{where}: a takeaway still has a TODO")
            if not [link for link in p["links"] if link["kind"] != "paper"]:
                problems.append(f"{where}: no link besides the paper (model, code or blog)")
    problems += [f"unresolved reference [[{name}]]" for name in data["unresolved"]]
    return problems
