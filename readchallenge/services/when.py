"""Days and weeks as the user typed them; what cannot be read is a usage error."""

from __future__ import annotations

from datetime import date

from readchallenge.config import Config
from readchallenge.core.dates import InvalidDate, parse_day, parse_week
from readchallenge.errors import UsageError


def day(text: str, cfg: Config) -> date:
    try:
        return parse_day(text, cfg.today())
    except InvalidDate as exc:
        raise UsageError(str(exc)) from None


def week(text: str | None, cfg: Config) -> date:
    """The Monday of the week `text` names (the default week for None)."""
    try:
        return parse_week(text, cfg.today())
    except InvalidDate as exc:
        raise UsageError(str(exc)) from None
