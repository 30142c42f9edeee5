"""The daily habit: today, read, unread, skip, calendar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from readchallenge.commands.common import (
    Day,
    Json,
    ask_choice,
    console,
    day_arg,
    printed_as_json,
    say,
)
from readchallenge.errors import NotFound
from readchallenge.params import EVERY_DAY, Arg, Group, Opt

if TYPE_CHECKING:
    from readchallenge.config import Config

commands = Group(panel=EVERY_DAY)


@commands.command()
def today(cfg: Config, json_output: Json = False) -> None:
    """Today's paper, your streak and your pace towards the deadline."""
    from readchallenge.services.daily import today_status

    status = today_status(cfg)
    if printed_as_json(json_output, status):
        return
    from readchallenge.render.daily import today_view

    today_view(console(), status, cfg.hyperlinks)


@commands.command()
def read(
    cfg: Config,
    paper: Annotated[
        str | None,
        Arg(
            metavar="PAPER",
            complete="papers",
            help="The paper read (default: today's planned paper).",
        ),
    ] = None,
    on: Day = None,
) -> None:
    """Log that you read a paper (today's by default)."""
    from readchallenge.services import challenge

    result = challenge.read(cfg, paper, day_arg(on, cfg))
    verb = "already logged" if result["already"] else "logged"
    say(f"{verb}: read {result['id']} on {result['day']}")


@commands.command()
def unread(
    cfg: Config,
    paper: Annotated[
        str, Arg(metavar="PAPER", complete="papers", help="The paper whose reading to remove.")
    ],
    on: Day = None,
    every: Annotated[bool, Opt("--all", help="Remove every reading of the paper.")] = False,
) -> None:
    """Remove a reading logged by mistake."""
    from readchallenge.errors import Ambiguous
    from readchallenge.services import challenge

    try:
        result = challenge.unread(cfg, paper, day_arg(on, cfg), every)
    except Ambiguous as question:
        day = ask_choice(question)  # on a terminal, ask which; elsewhere the message stands
        result = challenge.unread(cfg, paper, day_arg(day, cfg))
    say(f"removed reading of {result['id']} on {', '.join(result['removed'])}")


@commands.command()
def skip(
    cfg: Config,
    on: Day = None,
    reason: Annotated[str | None, Opt(help="Why the day is skipped.")] = None,
    undo: Annotated[bool, Opt("--undo", help="Un-skip the day.")] = False,
) -> None:
    """Skip a day: it neither breaks nor extends the streak."""
    from readchallenge.services import challenge

    result = challenge.skip(cfg, day_arg(on, cfg), reason, undo)
    say(f"{'un-skipped' if undo else 'skipped'} {result['day']}")


@commands.command()
def calendar(
    cfg: Config,
    output: Annotated[
        Path | None,
        Opt("--output", "-o", "--svg", help="Also draw the calendar as SVG in this file."),
    ] = None,
    force: Annotated[bool, Opt(help="Overwrite the SVG file if it exists.")] = False,
    theme: Annotated[
        str,
        Opt(metavar="THEME", choices=("light", "dark"), help="The SVG's colours: light or dark."),
    ] = "light",
    json_output: Json = False,
) -> None:
    """A heat-map of the challenge: read, skipped, missed, planned and future days."""
    from readchallenge.services.daily import calendar as calendar_service

    data = calendar_service(cfg)
    if printed_as_json(json_output, data):
        return
    from readchallenge.render.daily import calendar_view

    calendar_view(console(), data)
    if output is None:
        return
    if data["challenge"] is None:
        raise NotFound("no challenge to draw: start one with rc init")
    from readchallenge.files import write_atomically
    from readchallenge.render.calendar_svg import calendar_svg

    write_atomically(output, calendar_svg(data, theme), force)
    say(f"wrote {output}")
