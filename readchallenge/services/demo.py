"""A sample week on a throw-away store, built offline from a bundled data file."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources
from typing import TYPE_CHECKING, NotRequired, TypedDict

from readchallenge.config import Config
from readchallenge.core.challenge import coming_deadline
from readchallenge.core.dates import monday_of, week_label
from readchallenge.store import db, writes

if TYPE_CHECKING:

    class SampleDay(TypedDict):
        """A day of the bundled sample: a paper and what the reader wrote of it."""

        id: str
        name: str
        title: str
        authors: list[str]
        links: dict[str, str]
        source: NotRequired[str]
        kind: NotRequired[str]
        primary_category: NotRequired[str]
        categories: NotRequired[list[str]]
        published: NotRequired[str]
        description: NotRequired[str]
        takeaways: NotRequired[list[str]]

    class Sample(TypedDict):
        theme: str
        intro: str
        conclusion: str
        next: str
        days: list[SampleDay]


def sample() -> Sample:
    """The bundled sample week (readchallenge/data/demo.json, which rc ships and tests run)."""
    text = resources.files("readchallenge.data").joinpath("demo.json").read_text("utf-8")
    data: Sample = json.loads(text)
    return data


def build(cfg: Config) -> str:
    """Fill the (empty) store of `cfg` with the sample week around today; return its label."""
    data = sample()
    today = cfg.today()
    monday = monday_of(today)
    stamp = cfg.utc_now().isoformat(timespec="seconds")
    with db.writing(cfg.db_path, cfg.command) as conn:
        writes.create_challenge(
            conn,
            name="Demo challenge",
            start=monday,
            until=coming_deadline(today),
            per_day=1,
            stamp=stamp,
        )
        for offset, item in enumerate(data["days"]):
            day = monday + timedelta(days=offset)
            arxiv = item.get("source", "arxiv") == "arxiv"
            abs_url = f"https://arxiv.org/abs/{item['id']}" if arxiv else None
            writes.insert_paper(
                conn,
                item["id"],
                {
                    "source": item.get("source", "arxiv"),
                    "kind": item.get("kind", "paper"),
                    "name": item["name"],
                    "title": item["title"],
                    "authors": item["authors"],
                    "primary_category": item.get("primary_category"),
                    "categories": item.get("categories", []),
                    "published": item.get("published"),
                    "abs_url": abs_url,
                    "pdf_url": f"https://arxiv.org/pdf/{item['id']}" if arxiv else None,
                    "added_at": stamp,
                },
            )
            links = dict(item["links"])
            if abs_url:
                links["paper"] = abs_url
            for kind, url in links.items():
                source = "arxiv" if kind == "paper" and arxiv else "you"
                writes.set_link(conn, item["id"], kind, url, source=source)
            writes.place(conn, item["id"], day, per_day=1)
            if item.get("description") or item.get("takeaways"):
                writes.set_note(
                    conn, item["id"], item.get("description"), item.get("takeaways", []), stamp
                )
            if day < today:
                writes.add_reading(conn, item["id"], day, stamp)
        writes.set_week_words(
            conn,
            week_label(monday),
            {
                "theme": data["theme"],
                "intro": data["intro"],
                "conclusion": data["conclusion"],
                "teaser": data["next"],
            },
        )
    return week_label(monday)
