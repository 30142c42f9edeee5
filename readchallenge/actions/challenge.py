"""Bodies of the daily habit: init, today, read, unread, skip, plan, calendar."""

from __future__ import annotations

from pathlib import Path

from readchallenge.actions.common import (
    ask_choice,
    config,
    console,
    day_arg,
    print_json,
    required_day,
    say,
)
from readchallenge.core.text import printable
from readchallenge.errors import NotFound, UsageError


def init(
    start: str | None, until: str | None, per_day: int | None, name: str | None, json_output: bool
) -> None:
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


def today(json_output: bool) -> None:
    from readchallenge.services.daily import today_status

    cfg = config()
    status = today_status(cfg)
    if json_output:
        print_json(status)
        return
    from readchallenge.render.daily import today_view

    today_view(console(), status, cfg.hyperlinks)


def read(paper: str | None, on: str | None) -> None:
    from readchallenge.services import challenge

    cfg = config()
    result = challenge.read(cfg, paper, day_arg(on, cfg))
    verb = "already logged" if result["already"] else "logged"
    say(f"{verb}: read {result['id']} on {result['day']}")


def unread(paper: str, on: str | None, every: bool) -> None:
    from readchallenge.errors import Ambiguous
    from readchallenge.services import challenge

    cfg = config()
    try:
        result = challenge.unread(cfg, paper, day_arg(on, cfg), every)
    except Ambiguous as question:
        day = ask_choice(question)  # on a terminal, ask which; elsewhere the message stands
        result = challenge.unread(cfg, paper, day_arg(day, cfg))
    say(f"removed reading of {result['id']} on {', '.join(result['removed'])}")


def skip(on: str | None, reason: str | None, undo: bool) -> None:
    from readchallenge.services import challenge

    cfg = config()
    result = challenge.skip(cfg, day_arg(on, cfg), reason, undo)
    say(f"{'un-skipped' if undo else 'skipped'} {result['day']}")


def plan_show(week: str | None, json_output: bool) -> None:
    from readchallenge.services.daily import week_plan

    cfg = config()
    data = week_plan(cfg, week)
    if json_output:
        print_json(data)
        return
    from readchallenge.render.daily import week_view

    week_view(console(), data, cfg.hyperlinks)


def plan_move(paper: str, day: list[str], force: bool) -> None:
    from readchallenge.services import challenge

    cfg = config()
    result = challenge.move(cfg, paper, required_day(" ".join(day), cfg), force)
    say(f"moved {result['id']} to {result['day']}")
    for other, other_day in result["moved"].items():
        say(f"moved {other} to {other_day}")


def plan_swap(first: str, second: str) -> None:
    from readchallenge.services import challenge

    cfg = config()
    result = challenge.swap(cfg, required_day(first, cfg), required_day(second, cfg))
    say(f"swapped {result['swapped'][0]} and {result['swapped'][1]}")


def plan_clear(day: list[str]) -> None:
    from readchallenge.services import challenge

    cfg = config()
    result = challenge.clear(cfg, required_day(" ".join(day), cfg))
    say(f"cleared {result['day']}: {', '.join(result['backlog'])} back in the backlog")


def plan_fill() -> None:
    from readchallenge.services import challenge

    result = challenge.fill(config())
    if not result.placed:
        say("the backlog is empty")
    for paper_id, day in result.placed.items():
        say(f"planned {paper_id} on {day}")


def calendar(output: Path | None, force: bool, theme: str, json_output: bool) -> None:
    from readchallenge.services.daily import calendar as calendar_service

    if theme not in ("light", "dark"):
        raise UsageError(f"--theme must be light or dark, not {theme!r}")
    data = calendar_service(config())
    if json_output:
        print_json(data)
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
