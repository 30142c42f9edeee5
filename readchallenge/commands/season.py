"""The season: find, tag, export-index, recap, publish."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from readchallenge import completion
from readchallenge.actions import season as run
from readchallenge.commands.common import SEASON, JsonOpt, declare

TagOpt = Annotated[
    str | None,
    typer.Option(
        metavar="TAG",
        autocompletion=completion.tags,
        help="Only papers with this tag (and weeks whose tags hold it).",
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
]
ForceOpt = Annotated[bool, typer.Option(help="Overwrite the output file if it exists.")]
FormatOpt = Annotated[
    str, typer.Option("--format", metavar="FORMAT", help="markdown, or html for pasting.")
]


def find(
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY",
            help='Words to find, the rest of the line: a "phrase", a prefix*, AND, OR, NOT, '
            "and a field (notes:mamba).",
        ),
    ],
    tag: TagOpt = None,
    read: Annotated[bool, typer.Option("--read", help="Only papers you have read.")] = False,
    week: Annotated[
        str | None,
        typer.Option(
            metavar="WEEK",
            autocompletion=completion.weeks,
            help="Only this week's papers and words (this, next, last, YYYY-Www or a day).",
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=10_000, help="Show at most this many hits.")
    ] = 20,
    json_output: JsonOpt = False,
) -> None:
    """Search everything you stored and wrote: papers, notes, takeaways, weeks' words."""


def tag(
    paper: Annotated[
        str | None,
        typer.Argument(
            autocompletion=completion.papers,
            metavar="PAPER",
            help="The paper to tag (without it: every tag with its count).",
        ),
    ] = None,
    tags: Annotated[
        list[str] | None,
        typer.Argument(
            autocompletion=completion.tags,
            metavar="TAG",
            help="Tags to file it under (without any: its tags).",
        ),
    ] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Take these tags off the paper instead.")
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """File a paper under tags, take them off, or list every tag."""


def export_index(
    output: OutputOpt = None,
    force: ForceOpt = False,
    format_: FormatOpt = "markdown",
    json_output: JsonOpt = False,
) -> None:
    """Draft the series page: every week's post with its papers, and what they mention."""


def recap(
    output: OutputOpt = None,
    force: ForceOpt = False,
    format_: FormatOpt = "markdown",
    calendar: Annotated[
        Path | None,
        typer.Option(
            "--calendar",
            metavar="FILE",
            help="Draw the calendar as SVG into this file and show it in the recap.",
        ),
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Draft the season's recap: days, streaks, themes, takeaways, papers referenced most."""


def publish(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="The static site's folder (made if missing).")
    ],
    layout: Annotated[
        str | None,
        typer.Option(
            metavar="LAYOUT",
            help="hugo or jekyll (default: as last time, else jekyll where _config.yml is, "
            "else hugo).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Also overwrite files changed by hand since rc wrote them.")
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Write the season into a Hugo or Jekyll site: a file a post, the series page, a feed."""


def register(app: typer.Typer) -> None:
    declare(app, run.find, panel=SEASON)(find)
    declare(app, run.tag, panel=SEASON)(tag)
    declare(app, run.export_index, panel=SEASON, name="export-index")(export_index)
    declare(app, run.recap, panel=SEASON)(recap)
    declare(app, run.publish, panel=SEASON)(publish)
