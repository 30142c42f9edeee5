"""The Sunday post: note, week, export-week."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from readchallenge import completion
from readchallenge.actions import post as run
from readchallenge.commands.common import PLAN_AND_POST, PaperArg, WeekArg, declare


def note(
    paper: PaperArg,
    description: Annotated[
        str | None, typer.Option(help="The short description (replaces the old one).")
    ] = None,
    takeaway: Annotated[
        list[str] | None, typer.Option(help="A key takeaway to append (repeatable).")
    ] = None,
    clear_takeaways: Annotated[
        bool, typer.Option(help="Remove the takeaways before appending new ones.")
    ] = False,
) -> None:
    """Write a paper's description and key takeaways (in the editor without options)."""


def week(
    which: WeekArg = None,
    theme: Annotated[str | None, typer.Option(help="The week's theme (the post's title).")] = None,
    intro: Annotated[str | None, typer.Option(help="The post's introduction.")] = None,
    conclusion: Annotated[str | None, typer.Option(help="The post's conclusion.")] = None,
    next_: Annotated[
        str | None, typer.Option("--next", help="A teaser for next week's post.")
    ] = None,
    signoff: Annotated[
        str | None,
        typer.Option(help="The post's last paragraph, for this week (default: post_signoff)."),
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Write all four in the editor.")] = False,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            metavar="TAG",
            autocompletion=completion.tags,
            help="A tag of the post besides its papers' (repeatable).",
        ),
    ] = None,
    untag: Annotated[
        list[str] | None,
        typer.Option(
            metavar="TAG", autocompletion=completion.tags, help="Take a tag of the post off."
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(metavar="URL", help="Where the post was published ('' forgets it)."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Set or show the theme, intro, conclusion and teaser of a week's post."""


def export_week(
    which: WeekArg = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite the output file if it exists.")] = False,
    template: Annotated[
        str | None,
        typer.Option(
            metavar="NAME|FILE",
            help="sunday (the default: post_template), detailed, or your own Jinja2 file.",
        ),
    ] = None,
    format_: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="markdown, or html for pasting.")
    ] = "markdown",
    open_: Annotated[
        bool, typer.Option("--open", help="Write the post as HTML to a temporary file and open it.")
    ] = False,
    front_matter: Annotated[
        bool, typer.Option(help="Start with YAML front matter (title, date, tags).")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="List what is missing; exit 1 if anything is.")
    ] = False,
) -> None:
    """Draft the week's post as Markdown."""


def register(app: typer.Typer) -> None:
    declare(app, run.note, panel=PLAN_AND_POST)(note)
    declare(app, run.week, panel=PLAN_AND_POST)(week)
    declare(app, run.export_week, panel=PLAN_AND_POST, name="export-week")(export_week)
