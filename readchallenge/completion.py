"""What the shell completes: paper names and ids from the store, day and week words."""

from __future__ import annotations

import sqlite3

DAY_WORDS = (
    "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "next monday", "this sunday", "last friday",
)  # fmt: skip
WEEK_WORDS = ("this", "next", "last")


def papers(incomplete: str) -> list[str]:
    """Names and ids of stored papers that start with what was typed (case aside)."""
    from readchallenge import config
    from readchallenge.store import queries

    try:
        path = config.load().db_path
        if not path.exists():
            return []
        rows = queries.ids_and_names(path)
    except (sqlite3.Error, OSError, ValueError):
        return []  # completion never fails loudly
    typed = incomplete.lower()
    found = [value for row in rows for value in row if value and value.lower().startswith(typed)]
    return list(dict.fromkeys(found))


def days(incomplete: str) -> list[str]:
    return [word for word in DAY_WORDS if word.startswith(incomplete.lower())]


def weeks(incomplete: str) -> list[str]:
    return [word for word in WEEK_WORDS if word.startswith(incomplete.lower())]
