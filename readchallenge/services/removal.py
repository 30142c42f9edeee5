"""`rc rm`: removing papers the user names, after saying what goes and taking a backup."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from readchallenge.config import Config
from readchallenge.core import challenge as rules
from readchallenge.core.text import display_name
from readchallenge.store import db, queries, writes


@dataclass
class Removal:
    """What removing some papers takes with it."""

    papers: list[dict[str, object]] = field(default_factory=list)
    streak_before: int = 0
    streak_after: int = 0
    backup: Path | None = None


def plan_removal(cfg: Config, texts: list[str]) -> Removal:
    """Every paper named, with its day, readings, note and links, and the streak after."""
    removal = Removal()
    today = cfg.today()
    with db.opened(cfg.db_path) as conn:
        ids = list(dict.fromkeys(queries.require_paper_id(conn, t) for t in texts))
        for paper_id in ids:
            paper = queries.paper(conn, paper_id)
            assert paper is not None
            removal.papers.append(
                {
                    "id": paper_id,
                    "name": display_name(paper),
                    "planned_on": paper["planned_on"],
                    "read_on": paper["read_on"],
                    "has_note": bool(paper["description"] or paper["takeaways"]),
                    "links": len(paper["links"]),
                }
            )
        skips = queries.skip_days(conn)
        days = queries.reading_days(conn)
        kept = queries.reading_days_without(conn, ids)
    removal.streak_before = rules.current_streak(days, skips, today)
    removal.streak_after = rules.current_streak(kept, skips, today)
    return removal


def remove(cfg: Config, removal: Removal) -> Removal:
    """Back the store up, then remove the papers with their plan, links, notes and readings."""
    from readchallenge.services.data import backup

    removal.backup = backup(cfg, None)
    with db.writing(cfg.db_path, cfg.command) as conn:
        writes.remove_papers(conn, [str(p["id"]) for p in removal.papers])
    return removal
