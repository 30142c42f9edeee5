"""Commands that pick papers for you: suggest (ranked by what you read) and like."""

from __future__ import annotations

from typing import Annotated

import typer

from readchallenge import completion
from readchallenge.actions import suggest as run
from readchallenge.commands.common import PAPERS, JsonOpt, declare
from readchallenge.commands.papers import PickOnOpt, PickOpt


def suggest(
    limit: Annotated[
        int, typer.Option(min=1, max=500, help="Show at most this many suggestions.")
    ] = 20,
    source: Annotated[
        str | None,
        typer.Option(
            metavar="SOURCE",
            help="Where to find candidates: all, hf (Hugging Face) or s2 (Semantic Scholar); "
            "default: the setting suggest_sources.",
        ),
    ] = None,
    explain: Annotated[
        int | None,
        typer.Option(
            metavar="N", min=1, help="Explain suggestion N: its score and the words that matched."
        ),
    ] = None,
    refresh: Annotated[
        bool,
        typer.Option("--refresh", help="Ask the sources again, even for fresh candidates."),
    ] = False,
    pick: PickOpt = None,
    on: PickOnOpt = None,
    json_output: JsonOpt = False,
) -> None:
    """Papers picked for you from what you read, with why; pick some into the backlog."""


def like(
    paper: Annotated[
        str,
        typer.Argument(
            autocompletion=completion.papers,
            metavar="PAPER",
            help="A stored paper (id or name) or any arXiv id, such as a suggestion's.",
        ),
    ],
    not_: Annotated[
        bool, typer.Option("--not", help="Not this: suggest less like it, and never it.")
    ] = False,
) -> None:
    """Say you like a paper (or not, with --not): rc suggest learns from it."""


def register(app: typer.Typer) -> None:
    declare(app, run.suggest, panel=PAPERS)(suggest)
    declare(app, run.like, panel=PAPERS)(like)
