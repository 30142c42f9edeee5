"""The daily habit: init, today, plan, read, unread, skip, calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from readchallenge.commands.common import (
    DefaultCommandGroup,
    JsonOpt,
    config,
    console,
    day_arg,
    print_json,
    say,
)

OnOpt = Annotated[
    str | None, typer.Option(help="The day (YYYY-MM-DD, today, yesterday, a weekday...).")
]


def _day(text: str) -> date:
    day = day_arg(text, config())
    assert day is not None
    return day


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
    from readchallenge.services import challenge

    cfg = config()
    result = challenge.init(
        cfg, start=day_arg(start, cfg), until=day_arg(until, cfg), per_day=per_day, name=name
    )
    if json_output:
        print_json(result)
        return
    c = result["challenge"]
    if result["created"]:
        say("started a new challenge")
    for key, (old, new) in result["changed"].items():
        if not result["created"]:
            say(f"changed {key}: {old} -> {new}")
    console().print(
        f"{c['name']}: {c['start']} to {c['until']}, {c['per_day']} a day", markup=False
    )


def today(json_output: JsonOpt = False) -> None:
    """Today's paper, your streak and your pace towards the deadline."""
    from readchallenge import views

    views.today(json_output)


def read(
    paper: Annotated[
        str | None,
        typer.Argument(metavar="PAPER", help="The paper read (default: today's planned paper)."),
    ] = None,
    on: OnOpt = None,
) -> None:
    """Log that you read a paper (today's by default)."""
    from readchallenge.services import challenge

    cfg = config()
    result = challenge.read(cfg, paper, day_arg(on, cfg))
    verb = "already logged" if result["already"] else "logged"
    say(f"{verb}: read {result['id']} on {result['day']}")


def unread(
    paper: Annotated[
        str, typer.Argument(metavar="PAPER", help="The paper whose reading to remove.")
    ],
    on: OnOpt = None,
) -> None:
    """Remove a reading logged by mistake."""
    from readchallenge.services import challenge

    cfg = config()
    result = challenge.unread(cfg, paper, day_arg(on, cfg))
    say(f"removed reading of {result['id']} on {', '.join(result['removed'])}")


def skip(
    on: OnOpt = None,
    reason: Annotated[str | None, typer.Option(help="Why the day is skipped.")] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Un-skip the day.")] = False,
) -> None:
    """Skip a day: it neither breaks nor extends the streak."""
    from readchallenge.services import challenge

    cfg = config()
    result = challenge.skip(cfg, day_arg(on, cfg), reason, undo)
    say(f"{'un-skipped' if undo else 'skipped'} {result['day']}")


plan_app = typer.Typer(
    cls=DefaultCommandGroup,
    help="Show the week's plan (rc plan [WEEK]) or change it.",
    invoke_without_command=True,
)


@plan_app.callback()
def plan_root(ctx: typer.Context) -> None:
    """Show the week's plan (rc plan [WEEK]) or change it."""
    if ctx.invoked_subcommand is None:
        plan_show(None)


@plan_app.command("show")
def plan_show(
    week: Annotated[
        str | None,
        typer.Argument(
            metavar="WEEK", help="this, next, last, YYYY-Www or a day (default: the coming week)."
        ),
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Show a Monday-Sunday week: papers, read status and links."""
    from readchallenge.services.daily import week_plan

    data = week_plan(config(), week)
    if json_output:
        print_json(data)
        return
    from readchallenge.render.daily import week_view

    week_view(console(), data)


@plan_app.command("move")
def plan_move(
    paper: Annotated[str, typer.Argument(metavar="PAPER", help="The paper to move.")],
    day: Annotated[str, typer.Argument(metavar="DAY", help="The day to move it to.")],
    force: Annotated[
        bool, typer.Option(help="Move the paper already there to the next free day.")
    ] = False,
) -> None:
    """Move a paper to another day."""
    from readchallenge.services import challenge

    result = challenge.move(config(), paper, _day(day), force)
    say(f"moved {result['id']} to {result['day']}")
    for other, other_day in result["moved"].items():
        say(f"moved {other} to {other_day}")


@plan_app.command("swap")
def plan_swap(
    first: Annotated[str, typer.Argument(metavar="DAY", help="One day.")],
    second: Annotated[str, typer.Argument(metavar="DAY", help="The other day.")],
) -> None:
    """Swap the papers of two days."""
    from readchallenge.services import challenge

    result = challenge.swap(config(), _day(first), _day(second))
    say(f"swapped {result['swapped'][0]} and {result['swapped'][1]}")


@plan_app.command("clear")
def plan_clear(
    day: Annotated[str, typer.Argument(metavar="DAY", help="The day to clear.")],
) -> None:
    """Take a day's papers back to the backlog."""
    from readchallenge.services import challenge

    result = challenge.clear(config(), _day(day))
    say(f"cleared {result['day']}: {', '.join(result['backlog'])} back in the backlog")


@plan_app.command("fill")
def plan_fill() -> None:
    """Put backlog papers, oldest first, on the free days from today on."""
    from readchallenge.services import challenge

    result = challenge.fill(config())
    if not result.placed:
        say("the backlog is empty")
    for paper_id, day in result.placed.items():
        say(f"planned {paper_id} on {day}")


def calendar(
    svg: Annotated[Path | None, typer.Option(help="Also write the picture as SVG here.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite the SVG file if it exists.")] = False,
    json_output: JsonOpt = False,
) -> None:
    """A heat-map of the challenge: read, skipped, missed, planned and future days."""
    from readchallenge.services.daily import calendar as calendar_service

    data = calendar_service(config())
    if json_output:
        print_json(data)
        return
    from readchallenge.render.daily import calendar_view

    out = console()
    if svg is None:
        calendar_view(out, data)
        return
    from rich.console import Console

    from readchallenge.files import write_atomically

    recorder = Console(record=True, width=80, force_terminal=True, file=out.file)
    calendar_view(recorder, data)
    write_atomically(svg, recorder.export_svg(title="rc calendar"), force)
    say(f"wrote {svg}")


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(today)
    app.command()(read)
    app.command()(unread)
    app.command()(skip)
    app.add_typer(plan_app, name="plan")
    app.command()(calendar)
