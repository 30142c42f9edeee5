"""Bodies of the commands that pick papers for you: suggest and like; and what Semantic
Scholar said of the papers rc add and rc refresh --refs asked about."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from readchallenge.actions.common import ask, config, console, print_json, say
from readchallenge.errors import RcError

if TYPE_CHECKING:
    from readchallenge.services.report import AddReport


def suggest(
    limit: int,
    source: str | None,
    explain: int | None,
    refresh: bool,
    pick: str | None,
    on: str | None,
    json_output: bool,
) -> None:
    from readchallenge.services import suggest as service

    found = service.suggest(config(), source, limit, explain, refresh)
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
    from readchallenge.actions.papers import add
    from readchallenge.services.discover import picked

    ids = picked([row["id"] for row in found.rows], pick)
    add(ids, None, None, None, None, None, None, "blog", None, on, False, on is None, False)


def like(paper: str, not_: bool) -> None:
    from readchallenge.services.scholar import like as mark

    paper_id, name, changed = mark(config(), paper, not not_)
    shown = name if name == paper_id else f"{name} ({paper_id})"
    if not changed:
        say(f"{shown} was already {'turned down' if not_ else 'liked'}: nothing changed")
    elif not_:
        say(f"turned down {shown}: rc suggest leaves it out and looks for less like it")
    else:
        say(f"liked {shown}: rc suggest looks for more like it")


def report_references(result: AddReport) -> None:
    """What `rc add` found in the background: `ID: builds on LoRA, GaLore`."""
    for paper_id, names in result.refs_found.items():
        if names:
            say(f"{paper_id}: builds on {', '.join(names)}")
    if result.refs_problem:
        say(f"references: {result.refs_problem}; rc refresh --refs asks again")


def refresh_references(ids: list[str]) -> None:
    """`rc refresh --refs [PAPER...]`: what each builds on, asked again."""
    from readchallenge.services import scholar

    result = scholar.refresh(config(), ids)
    for paper_id, names in result.refs_found.items():
        say(
            f"{paper_id}: builds on {', '.join(names)}" if names else f"{paper_id}: references kept"
        )
    for paper_id in dict.fromkeys(result.refs_not_indexed):
        say(f"{paper_id}: not on Semantic Scholar yet (asked again after a week)")
    if result.refs_problem:
        raise RcError(f"{result.refs_problem}; rc refresh --refs asks again")
    if not (result.refs_found or result.refs_not_indexed):
        say("no arXiv papers to ask about")
