"""What every command body shares: the config, days as typed, and the output streams."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from readchallenge.errors import Ambiguous, UsageError
from readchallenge.output import console, err_console, print_json, say, write_text

if TYPE_CHECKING:
    from readchallenge.config import Config

__all__ = [
    "ask",
    "config",
    "console",
    "day_arg",
    "err_console",
    "print_json",
    "required_day",
    "say",
    "write_text",
]


def config() -> Config:
    from readchallenge import config as config_module

    return config_module.load()


def ask(prompt: str) -> str:
    """A line typed at a prompt, stripped; end of input (Ctrl-D) is an empty answer, "none"."""
    try:
        return input(prompt).strip()
    except EOFError:
        import sys

        sys.stderr.write("\n")  # the prompt's line ends, as it would after Enter
        return ""


def ask_choice(question: Ambiguous) -> str:
    """On a terminal, ask which of `question.choices` is meant; elsewhere raise it."""
    import sys

    if not sys.stdin.isatty():
        raise question
    say(question.message)
    for number, choice in enumerate(question.choices, start=1):
        say(f"  {number}. {choice}")
    answer = ask("which one? ")
    if answer.isdigit() and 1 <= int(answer) <= len(question.choices):
        return question.choices[int(answer) - 1]
    raise UsageError("nothing chosen: nothing changed")


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
