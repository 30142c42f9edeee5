"""What the commands share: the parameters several of them take, days as typed, questions on a
terminal, and the output streams."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

from readchallenge.errors import Ambiguous, UsageError
from readchallenge.output import console, err_console, print_json, say, write_text
from readchallenge.params import Arg, Opt

if TYPE_CHECKING:
    from readchallenge.config import Config

__all__ = [
    "Day",
    "Json",
    "Paper",
    "Week",
    "ask",
    "ask_choice",
    "console",
    "day_arg",
    "err_console",
    "print_json",
    "printed_as_json",
    "required_day",
    "say",
    "write_text",
]

Json = Annotated[bool, Opt("--json", help="Print JSON instead of a table.")]
Paper = Annotated[
    str, Arg(metavar="PAPER", complete="papers", help="Paper id, arXiv id or display name.")
]
Week = Annotated[
    str | None,
    Arg(
        metavar="WEEK",
        complete="weeks",
        help="this, next, last, YYYY-Www or a day (default: this week; on Saturday and "
        "Sunday, when the post is written, the coming one).",
    ),
]
Day = Annotated[
    str | None,
    Opt(
        metavar="DAY",
        complete="days",
        help="The day: YYYY-MM-DD, today, yesterday, a weekday, next monday, this sunday, "
        "in 3 days, +3, -1 (default: today).",
    ),
]


def printed_as_json(asked: bool, data: object) -> bool:
    """With --json, `data` as JSON on stdout; whether it was, so the view is skipped."""
    if asked:
        print_json(data)
    return asked


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
