"""What every command body shares: the config, days as typed, and the output streams."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from readchallenge.output import console, err_console, print_json, say

if TYPE_CHECKING:
    from readchallenge.config import Config

__all__ = ["config", "console", "day_arg", "err_console", "print_json", "required_day", "say"]


def config() -> Config:
    from readchallenge import config as config_module

    return config_module.load()


def day_arg(text: str | None, cfg: Config) -> date | None:
    """A day as the user typed it, or None; unreadable text is a usage error."""
    if text is None:
        return None
    from readchallenge.services import when

    return when.day(text, cfg)


def required_day(text: str, cfg: Config) -> date:
    day = day_arg(text, cfg)
    assert day is not None
    return day
