"""The daily habit: init, today, plan, read, unread, skip, calendar."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from readchallenge import completion
from readchallenge.actions import challenge as run
from readchallenge.commands.common import (
    CONTEXT,
    EVERY_DAY,
    PLAN_AND_POST,
    DefaultCommandGroup,
    JsonOpt,
    OnOpt,
    WeekArg,
    declare,
)


def init(
    start: Annotated[str | None, typer.Option(help="First day of the challenge.")] = None,
    until: Annotated[
        str | None, typer.Option(help="Last day (default: the coming 31 July).")
    ] = None,
    per_day: Annotated[int | None, typer.Option(help="Papers to read each day.")] = None,
    name: Annotated[str | None, typer.Option(help="Name of the challenge.")] = None,
    json_output: JsonOpt = False,
) -> None:
    """Start the challenge, or show or change it."""


def today(json_output: JsonOpt = False) -> None:
    """Today's paper, your streak and your pace towards the deadline."""


def read(
    paper: Annotated[
        str | None,
        typer.Argument(
            autocompletion=completion.papers,
            metavar="PAPER",
            help="The paper read (default: today's planned paper).",
        ),
    ] = None,
    on: OnOpt = None,
) -> None:
    """Log that you read a paper (today's by default)."""


def unread(
    paper: Annotated[
        str,
        typer.Argument(
            autocompletion=completion.papers,
            metavar="PAPER",
            help="The paper whose reading to remove.",
        ),
    ],
    on: OnOpt = None,
    every: Annotated[
        bool, typer.Option("--all", help="Remove every reading of the paper.")
    ] = False,
) -> None:
    """Remove a reading logged by mistake."""


def skip(
    on: OnOpt = None,
    reason: Annotated[str | None, typer.Option(help="Why the day is skipped.")] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Un-skip the day.")] = False,
) -> None:
    """Skip a day: it neither breaks nor extends the streak."""


plan_app = typer.Typer(
    cls=DefaultCommandGroup,
    help="Show the week's plan (rc plan [WEEK]) or change it.",
    invoke_without_command=True,
    context_settings=CONTEXT,
)


@plan_app.callback()
def plan_root(ctx: typer.Context) -> None:
    """Show the week's plan (rc plan [WEEK]) or change it."""
    if ctx.invoked_subcommand is None:
        run.plan_show(None, False)


@declare(plan_app, run.plan_show, name="show")
def plan_show(
    week: WeekArg = None,
    json_output: JsonOpt = False,
) -> None:
    """Show a Monday-Sunday week: papers, read status and links."""


@declare(plan_app, run.plan_move, name="move")
def plan_move(
    paper: Annotated[
        str,
        typer.Argument(
            autocompletion=completion.papers, metavar="PAPER", help="The paper to move."
        ),
    ],
    day: Annotated[
        list[str],
        typer.Argument(metavar="DAY", help="The day to move it to: the rest of the line."),
    ],
    force: Annotated[
        bool, typer.Option(help="Move the paper already there to the next free day.")
    ] = False,
) -> None:
    """Move a paper to another day."""


@declare(plan_app, run.plan_swap, name="swap")
def plan_swap(
    first: Annotated[str, typer.Argument(metavar="DAY", help="One day.")],
    second: Annotated[str, typer.Argument(metavar="DAY", help="The other day.")],
) -> None:
    """Swap the papers of two days."""


@declare(plan_app, run.plan_clear, name="clear")
def plan_clear(
    day: Annotated[
        list[str], typer.Argument(metavar="DAY", help="The day to clear: the rest of the line.")
    ],
) -> None:
    """Take a day's papers back to the backlog."""


@declare(plan_app, run.plan_fill, name="fill")
def plan_fill() -> None:
    """Put backlog papers, oldest first, on the free days from today on."""


def calendar(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", "--svg", help="Also draw the calendar as SVG in this file."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite the SVG file if it exists.")] = False,
    theme: Annotated[
        str, typer.Option(metavar="THEME", help="The SVG's colours: light or dark.")
    ] = "light",
    json_output: JsonOpt = False,
) -> None:
    """A heat-map of the challenge: read, skipped, missed, planned and future days."""


def register_daily(app: typer.Typer) -> None:
    declare(app, run.today, panel=EVERY_DAY)(today)
    declare(app, run.read, panel=EVERY_DAY)(read)
    declare(app, run.unread, panel=EVERY_DAY)(unread)
    declare(app, run.skip, panel=EVERY_DAY)(skip)
    declare(app, run.calendar, panel=EVERY_DAY)(calendar)


def register_plan(app: typer.Typer) -> None:
    declare(app, run.init, panel=PLAN_AND_POST)(init)
    app.add_typer(plan_app, name="plan", rich_help_panel=PLAN_AND_POST)
