"""A sample week on a throw-away store, built offline from a bundled data file."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources
from typing import Any

from readchallenge.config import Config
from readchallenge.core.challenge import coming_deadline
from readchallenge.core.dates import monday_of, week_label
from readchallenge.store.models import (
    Challenge,
    Link,
    Note,
    Paper,
    PlanSlot,
    Reading,
    Takeaway,
    Week,
)
from readchallenge.store.orm import write_session


def sample() -> dict[str, Any]:
    text = resources.files("readchallenge.data").joinpath("demo.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def build(cfg: Config) -> str:
    """Fill the (empty) store of `cfg` with the sample week around today; return its label."""
    data = sample()
    today = cfg.today()
    monday = monday_of(today)
    stamp = cfg.utc_now().isoformat(timespec="seconds")
    with write_session(cfg.db_path) as session:
        session.add(
            Challenge(
                id=1,
                name="Demo challenge",
                start=monday.isoformat(),
                until=coming_deadline(today).isoformat(),
                per_day=1,
                created_at=stamp,
            )
        )
        for offset, item in enumerate(data["days"]):
            day = monday + timedelta(days=offset)
            arxiv = item.get("source", "arxiv") == "arxiv"
            abs_url = f"https://arxiv.org/abs/{item['id']}" if arxiv else None
            session.add(
                Paper(
                    id=item["id"],
                    source=item.get("source", "arxiv"),
                    kind=item.get("kind", "paper"),
                    name=item["name"],
                    title=item["title"],
                    authors=json.dumps(item["authors"], ensure_ascii=False),
                    primary_category=item.get("primary_category"),
                    categories=json.dumps(item.get("categories", [])),
                    published=item.get("published"),
                    abs_url=abs_url,
                    pdf_url=f"https://arxiv.org/pdf/{item['id']}" if arxiv else None,
                    added_at=stamp,
                )
            )
            session.flush()
            links = dict(item["links"])
            if abs_url:
                links["paper"] = abs_url
            session.add_all(Link(paper_id=item["id"], kind=k, url=u) for k, u in links.items())
            session.add(PlanSlot(paper_id=item["id"], day=day.isoformat()))
            if item.get("description"):
                session.add(
                    Note(paper_id=item["id"], description=item["description"], updated_at=stamp)
                )
            session.add_all(
                Takeaway(paper_id=item["id"], position=i, text=t)
                for i, t in enumerate(item.get("takeaways", []), 1)
            )
            if day < today:
                session.add(Reading(paper_id=item["id"], day=day.isoformat(), read_at=stamp))
        session.add(
            Week(
                week=week_label(monday),
                theme=data["theme"],
                intro=data["intro"],
                conclusion=data["conclusion"],
                teaser=data["next"],
            )
        )
    return week_label(monday)
