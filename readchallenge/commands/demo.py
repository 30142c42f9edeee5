"""`rc demo`: a sample week, offline, on a throw-away store."""

from __future__ import annotations

import os
import tempfile

import typer

from readchallenge.commands.common import console, err_console


def demo() -> None:
    """Show rc on a sample week, offline, without touching your own store."""
    from readchallenge import config as config_module
    from readchallenge.render.daily import today_view
    from readchallenge.render.post import render_post
    from readchallenge.services import daily, post
    from readchallenge.services import demo as demo_service

    with tempfile.TemporaryDirectory(prefix="rc-demo-") as home:
        cfg = config_module.load({**os.environ, "RC_HOME": home})
        label = demo_service.build(cfg)
        out = console()
        out.rule("rc today", style="dim")
        today_view(out, daily.today_status(cfg))
        out.rule(f"rc export-week {label}", style="dim")
        typer.echo(render_post(post.week_data(cfg, label)), nl=False)
    err = err_console()
    err.rule("try it yourself", style="dim")
    for line in (
        "rc init                       start your challenge (until 31 July)",
        "rc add 2404.07965 --as Rho-1  add a paper from arXiv on the next free day",
        "rc today                      today's paper, streak and pace",
        "rc read                       log today's paper as read",
        "rc note 2404.07965            write its description and key takeaways",
        "rc export-week -o post.md     draft the week's post",
    ):
        err.print("  " + line, markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(demo)
