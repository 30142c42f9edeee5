"""Assembling a week's post: data for the template, the check, and writing it safely."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from readchallenge.config import Config
from readchallenge.core.dates import days_between, week_label
from readchallenge.core.markdown import first_sentence, link_target
from readchallenge.core.records import LINK_KINDS, POST_LINKS
from readchallenge.core.text import authors_short
from readchallenge.services import when
from readchallenge.store import db, queries


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


def week_data(cfg: Config, spec: str | None) -> dict[str, Any]:
    """Every variable the post template sees (docs/export.md)."""
    monday = when.week(spec, cfg)
    sunday = monday + timedelta(days=6)
    with db.opened(cfg.db_path) as conn:
        planned = queries.plan_between(conn, monday, sunday)
        words = queries.week_words(conn, week_label(monday))
        notes = {p["id"]: queries.notes_for(conn, p["id"]) for p in planned}
    days, tags = [], []
    for day in days_between(monday, sunday):
        papers = []
        for p in (p for p in planned if p["day"] == day.isoformat()):
            description, takeaways = notes[p["id"]]
            title = unlatex(p["title"] or p["id"])
            papers.append(
                {
                    "id": p["id"],
                    "name": unlatex(p["name"]) if p["name"] else title,
                    "title": title,
                    "kind": p["kind"],
                    "authors": p["authors"],
                    "authors_short": authors_short(p["authors"]),
                    "links": [
                        {"kind": k, "url": link_target(p["links"][k])}
                        for k in POST_LINKS
                        if k in p["links"]
                    ],
                    "other_links": [
                        {"kind": k, "url": link_target(p["links"][k])}
                        for k in LINK_KINDS
                        if k in p["links"] and k not in POST_LINKS
                    ],
                    "description": description,
                    "takeaways": takeaways,
                    "hint": first_sentence(p["abstract"]),
                    "categories": p["categories"],
                    "read": p["read"],
                }
            )
            tags += [c for c in p["categories"] if c not in tags]
        days.append({"date": day.isoformat(), "weekday": day.strftime("%A"), "papers": papers})
    theme = words["theme"]
    return {
        "week": week_label(monday),
        "monday": monday.isoformat(),
        "sunday": sunday.isoformat(),
        "post_date": (monday - timedelta(days=1)).isoformat(),
        "theme": theme,
        "title": f"Sunday Papers: {theme}"
        if theme
        else f"Sunday Papers, week {week_label(monday)}",
        "intro": words["intro"],
        "conclusion": words["conclusion"],
        "teaser": words["teaser"],
        "days": days,
        "tags": tags,
        "front_matter": False,
    }


def check(data: dict[str, Any]) -> list[str]:
    """What is missing before the post can go out."""
    problems = [f"no {key}" for key in ("theme", "intro", "conclusion", "teaser") if not data[key]]
    for day in data["days"]:
        if not day["papers"]:
            problems.append(f"{day['weekday']} {day['date']}: no paper planned")
        for p in day["papers"]:
            where = f"{day['weekday']} {p['name']}"
            if not p["description"]:
                problems.append(f"{where}: no description")
            if not p["takeaways"]:
                problems.append(f"{where}: no takeaways")
            if not p["links"]:
                problems.append(f"{where}: no links")
    return problems
