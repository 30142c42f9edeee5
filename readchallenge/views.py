"""Bodies of the daily read commands, shared by the Typer app and the fast path."""

from __future__ import annotations

from readchallenge import config
from readchallenge.output import console, print_json


def today(json_output: bool) -> None:
    from readchallenge.services.daily import today_status

    status = today_status(config.load())
    if json_output:
        print_json(status)
        return
    from readchallenge.render.daily import today_view

    today_view(console(), status)


def list_papers(limit: int | None, status: str | None, json_output: bool) -> None:
    from readchallenge.services.library import list_papers as list_service

    rows = list_service(config.load(), limit, status)
    if json_output:
        print_json(rows)
        return
    from readchallenge.render.terminal import papers_table

    papers_table(console(), rows)


def show(paper: str, json_output: bool) -> None:
    from readchallenge.services.library import show_paper

    data = show_paper(config.load(), paper)
    if json_output:
        print_json(data)
        return
    from readchallenge.render.terminal import paper_detail

    paper_detail(console(), data)
