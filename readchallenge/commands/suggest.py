"""Papers picked for you: suggest (ranked by what you read) and like."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

from readchallenge.commands.common import Json, ask, console, print_json, say
from readchallenge.commands.papers import Pick, PickOn, add
from readchallenge.config import SUGGEST_SOURCES
from readchallenge.params import PAPERS, Arg, Group, Opt

if TYPE_CHECKING:
    from readchallenge.config import Config

commands = Group(panel=PAPERS)


@commands.command()
def suggest(
    cfg: Config,
    limit: Annotated[int, Opt(min=1, max=500, help="Show at most this many suggestions.")] = 20,
    source: Annotated[
        str | None,
        Opt(
            metavar="SOURCE",
            choices=SUGGEST_SOURCES,
            help="Where to find candidates: all, hf (Hugging Face) or s2 (Semantic Scholar); "
            "default: the setting suggest_sources.",
        ),
    ] = None,
    explain: Annotated[
        int | None,
        Opt(metavar="N", min=1, help="Explain suggestion N: its score and the words that matched."),
    ] = None,
    refresh: Annotated[
        bool, Opt("--refresh", help="Ask the sources again, even for fresh candidates.")
    ] = False,
    pick: Pick = None,
    on: PickOn = None,
    json_output: Json = False,
) -> None:
    """Papers picked for you from what you read, with why; pick some into the backlog."""
    from readchallenge.services import suggest as service

    found = service.suggest(cfg, source, limit, explain, refresh)
    for warning in found.warnings:
        say(f"warning: {warning}")
    if found.explained is not None:
        if json_output:
            print_json(found.explained)
            return
        from readchallenge.render.suggest import explanation

        explanation(console(), found.explained)
        return
    if json_output:
        print_json(found.rows)
    else:
        from readchallenge.render.suggest import suggestions_table

        suggestions_table(console(), found.rows)
    if not found.rows:
        say("no suggestions: no candidate you have not stored or turned down")
        return
    if not found.history and not json_output:
        say("read a few papers (or rc like some) and rc suggest learns what you like")
    if pick is None and not json_output and sys.stdin.isatty():
        pick = ask("add which numbers to the backlog? (1,3 or 2-4; empty: none) ")
    if not pick:
        return
    from readchallenge.services.discover import picked

    add(cfg, picked([row["id"] for row in found.rows], pick), on=on, backlog=on is None)


@commands.command()
def like(
    cfg: Config,
    paper: Annotated[
        str,
        Arg(
            metavar="PAPER",
            complete="papers",
            help="A stored paper (id or name) or any arXiv id, such as a suggestion's.",
        ),
    ],
    not_: Annotated[
        bool, Opt("--not", help="Not this: suggest less like it, and never it.")
    ] = False,
) -> None:
    """Say you like a paper (or not, with --not): rc suggest learns from it."""
    from readchallenge.services.scholar import like as mark

    paper_id, name, changed = mark(cfg, paper, not not_)
    shown = name if name == paper_id else f"{name} ({paper_id})"
    if not changed:
        say(f"{shown} was already {'turned down' if not_ else 'liked'}: nothing changed")
    elif not_:
        say(f"turned down {shown}: rc suggest leaves it out and looks for less like it")
    else:
        say(f"liked {shown}: rc suggest looks for more like it")
