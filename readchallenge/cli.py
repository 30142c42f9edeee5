"""The Typer app: parse, call one service, render. Heavy imports stay inside commands."""

from __future__ import annotations

from typing import Annotated

import typer

from readchallenge import __version__
from readchallenge.commands import admin, challenge, history, papers, post, suggest
from readchallenge.commands.common import CONTEXT, RcGroup

app = typer.Typer(
    cls=RcGroup,
    name="rc",
    help="rc: a companion for a daily research-paper reading challenge.",
    no_args_is_help=True,
    add_completion=True,  # rc --install-completion / --show-completion (bash, zsh, fish)
    pretty_exceptions_enable=False,
    context_settings=CONTEXT,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"rc {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Print rc's version and exit.",
        ),
    ] = False,
) -> None:
    """rc keeps a reading challenge in a local SQLite store: collect papers from arXiv, plan
    them onto days, log what you read, keep your streak, and draft each week's post."""


challenge.register_daily(app)
papers.register(app)
suggest.register(app)
challenge.register_plan(app)
post.register(app)
history.register(app)
admin.register(app)


def main() -> None:
    """Entry point without the fast path (the console script uses `fastpath.main`)."""
    app(prog_name="rc")
