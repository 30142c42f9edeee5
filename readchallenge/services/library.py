"""Read-only views of the stored papers (sqlite3 only: part of the fast read path)."""

from __future__ import annotations

from typing import Any

from readchallenge.config import Config
from readchallenge.errors import NotFound, UsageError
from readchallenge.store import db, queries


def list_papers(cfg: Config, limit: int | None, status: str | None) -> list[dict[str, Any]]:
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    if status not in (None, "ok", "pending"):
        raise UsageError("--status must be ok or pending")
    with db.opened(cfg.db_path) as conn:
        return queries.list_papers(conn, limit, status)


def show_paper(cfg: Config, text: str) -> dict[str, Any]:
    with db.opened(cfg.db_path) as conn:
        paper_id = queries.resolve_paper_id(conn, text)
        paper = queries.paper(conn, paper_id) if paper_id else None
    if paper is None:
        raise NotFound(f"no paper {text!r} in the store (rc list shows what is there)")
    return paper
