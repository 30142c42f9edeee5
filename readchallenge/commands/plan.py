"""The challenge and its plan: init, and rc plan show, move, swap, clear, fill."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from readchallenge.commands.common import (
    Json,
    Week,
    console,
    day_arg,
    printed_as_json,
    required_day,
    say,
)
from readchallenge.core.records import MAX_PER_DAY
from readchallenge.core.text import printable
from readchallenge.params import PLAN_AND_POST, Arg, Group, Opt

if TYPE_CHECKING:
    from readchallenge.config import Config

commands = Group(panel=PLAN_AND_POST)
plan = commands.group(
    "plan", help="Show the week's plan (rc plan [WEEK]) or change it.", default="show"
)


@commands.command()
def init(
    cfg: Config,
    start: Annotated[str | None, Opt(help="First day of the challenge.")] = None,
    until: Annotated[str | None, Opt(help="Last day (default: the coming 31 July).")] = None,
    per_day: Annotated[
        int | None, Opt(min=1, max=MAX_PER_DAY, help="Papers to read each day.")
    ] = None,
    name: Annotated[str | None, Opt(help="Name of the challenge.")] = None,
    json_output: Json = False,
) -> None:
    """Start the challenge, or show or change it."""
    from readchallenge.services import challenge

    result = challenge.init(
        cfg, start=day_arg(start, cfg), until=day_arg(until, cfg), per_day=per_day, name=name
    )
    if printed_as_json(json_output, result):
        return
    c = result["challenge"]
    if result["created"]:
        say("started a new challenge")
        if start is None and c["start"] > cfg.today().isoformat():
            say(f"started on a weekend, it begins on Monday {c['start']} "
                "(rc init --start today begins it now)")  # fmt: skip
    for key, (old, new) in result["changed"].items():
        if not result["created"]:
            say(f"changed {key}: {old} -> {new}")
    console().print(
        printable(f"{c['name']}: {c['start']} to {c['until']}, {c['per_day']} a day"),
        markup=False,
    )


@plan.command("show")
def plan_show(cfg: Config, week: Week = None, json_output: Json = False) -> None:
    """Show a Monday-Sunday week: papers, read status and links."""
    from readchallenge.services.daily import week_plan

    data = week_plan(cfg, week)
    if printed_as_json(json_output, data):
        return
    from readchallenge.render.daily import week_view

    week_view(console(), data, cfg.hyperlinks)


@plan.command("move")
def plan_move(
    cfg: Config,
    paper: Annotated[str, Arg(metavar="PAPER", complete="papers", help="The paper to move.")],
    day: Annotated[
        list[str],
        Arg(metavar="DAY", complete="days", help="The day to move it to: the rest of the line."),
    ],
    force: Annotated[bool, Opt(help="Move the paper already there to the next free day.")] = False,
) -> None:
    """Move a paper to another day."""
    from readchallenge.services import challenge

    result = challenge.move(cfg, paper, required_day(" ".join(day), cfg), force)
    say(f"moved {result['id']} to {result['day']}")
    for other, other_day in result["moved"].items():
        say(f"moved {other} to {other_day}")


@plan.command("swap")
def plan_swap(
    cfg: Config,
    first: Annotated[str, Arg(metavar="DAY", complete="days", help="One day.")],
    second: Annotated[str, Arg(metavar="DAY", complete="days", help="The other day.")],
) -> None:
    """Swap the papers of two days."""
    from readchallenge.services import challenge

    result = challenge.swap(cfg, required_day(first, cfg), required_day(second, cfg))
    say(f"swapped {result['swapped'][0]} and {result['swapped'][1]}")


@plan.command("clear")
def plan_clear(
    cfg: Config,
    day: Annotated[
        list[str],
        Arg(metavar="DAY", complete="days", help="The day to clear: the rest of the line."),
    ],
) -> None:
    """Take a day's papers back to the backlog."""
    from readchallenge.services import challenge

    result = challenge.clear(cfg, required_day(" ".join(day), cfg))
    say(f"cleared {result['day']}: {', '.join(result['backlog'])} back in the backlog")


@plan.command("fill")
def plan_fill(cfg: Config) -> None:
    """Put backlog papers, oldest first, on the free days from today on."""
    from readchallenge.services import challenge

    result = challenge.fill(cfg)
    if not result.placed:
        say("the backlog is empty")
    for paper_id, day in result.placed.items():
        say(f"planned {paper_id} on {day}")
