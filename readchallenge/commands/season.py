"""The season: find, tag, export-index, recap, publish."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from readchallenge.commands.common import Json, console, printed_as_json, say, write_text
from readchallenge.core.text import printable
from readchallenge.errors import UsageError
from readchallenge.params import SEASON, Arg, Group, Opt

if TYPE_CHECKING:
    from readchallenge.config import Config

commands = Group(panel=SEASON)

Output = Annotated[Path | None, Opt("--output", "-o", help="Write to this file, not stdout.")]
Force = Annotated[bool, Opt(help="Overwrite the output file if it exists.")]
Format = Annotated[
    str,
    Opt(
        "--format",
        metavar="FORMAT",
        choices=("markdown", "html"),
        help="markdown, or html for pasting.",
    ),
]


@commands.command()
def find(
    cfg: Config,
    query: Annotated[
        list[str],
        Arg(
            metavar="QUERY",
            help='Words to find, the rest of the line: a "phrase", a prefix*, AND, OR, NOT, '
            "and a field (notes:mamba).",
        ),
    ],
    tag: Annotated[
        str | None,
        Opt(
            metavar="TAG",
            complete="tags",
            help="Only papers with this tag (and weeks whose tags hold it).",
        ),
    ] = None,
    read: Annotated[bool, Opt("--read", help="Only papers you have read.")] = False,
    week: Annotated[
        str | None,
        Opt(
            metavar="WEEK",
            complete="weeks",
            help="Only this week's papers and words (this, next, last, YYYY-Www or a day).",
        ),
    ] = None,
    limit: Annotated[int, Opt(min=1, max=10_000, help="Show at most this many hits.")] = 20,
    json_output: Json = False,
) -> None:
    """Search everything you stored and wrote: papers, notes, takeaways, weeks' words."""
    from readchallenge.services.find import find_text

    found = find_text(cfg, " ".join(query), limit=limit, tag=tag, read=read, week=week)
    if printed_as_json(json_output, found):
        return
    from readchallenge.render.season import find_view

    find_view(console(), found)
    if not found["hits"]:
        say(f"nothing found for {found['query']!r}")
    elif found["total"] > len(found["hits"]):
        say(f"the best {len(found['hits'])} of {found['total']}; --limit shows more")


@commands.command()
def tag(
    cfg: Config,
    paper: Annotated[
        str | None,
        Arg(
            metavar="PAPER",
            complete="papers",
            help="The paper to tag (without it: every tag with its count).",
        ),
    ] = None,
    tags: Annotated[
        list[str] | None,
        Arg(
            metavar="TAG",
            complete="tags",
            help="Tags to file it under (without any: its tags).",
        ),
    ] = None,
    remove: Annotated[bool, Opt("--remove", help="Take these tags off the paper instead.")] = False,
    json_output: Json = False,
) -> None:
    """File a paper under tags, take them off, or list every tag."""
    from readchallenge.services import tags as service

    if paper is None:
        if remove:
            raise UsageError("name the PAPER to take tags off: rc tag PAPER --remove TAG")
        counts = service.tag_counts(cfg)
        if printed_as_json(json_output, counts):
            return
        from readchallenge.render.season import tags_view

        tags_view(console(), counts)
        if not counts:
            say("no tags yet: rc tag PAPER TAG…")
        return
    if remove and not tags:
        raise UsageError("name the tags to take off: rc tag PAPER --remove TAG")
    given = list(tags or [])
    result = service.tag_paper(cfg, paper, [] if remove else given, given if remove else [])
    if printed_as_json(json_output, result):
        return
    for word, done in (("tagged", result["added"]), ("untagged", result["removed"])):
        if done:
            say(f"{word} {result['id']}: {', '.join(done)}")
    if given and not result["added"] and not result["removed"]:
        say("nothing changed")
    console().print(
        printable(f"{result['name']}: {', '.join(result['tags']) or '(no tags)'}"), markup=False
    )


@commands.command("export-index")
def export_index(
    cfg: Config,
    output: Output = None,
    force: Force = False,
    format_: Format = "markdown",
    json_output: Json = False,
) -> None:
    """Draft the series page: every week's post with its papers, and what they mention."""
    from readchallenge.services.season import season_index

    index = season_index(cfg)
    if printed_as_json(json_output, index):
        return
    from readchallenge.render.post import render_builtin

    text = render_builtin("index.md.j2", {**index, "front_matter": ""})
    _deliver(cfg, text, index["series"], format_, output, force)


@commands.command()
def recap(
    cfg: Config,
    output: Output = None,
    force: Force = False,
    format_: Format = "markdown",
    calendar: Annotated[
        Path | None,
        Opt(
            "--calendar",
            metavar="FILE",
            help="Draw the calendar as SVG into this file and show it in the recap.",
        ),
    ] = None,
    json_output: Json = False,
) -> None:
    """Draft the season's recap: days, streaks, themes, takeaways, papers referenced most."""
    from readchallenge.services.season import recap as service

    shown = None if calendar is None else _calendar_link(calendar, output)
    data = service(cfg, shown)
    if calendar is not None:
        _draw_calendar(cfg, calendar, force)
    if printed_as_json(json_output, data):
        return
    from readchallenge.render.post import render_builtin

    _deliver(cfg, render_builtin("recap.md.j2", data), data["series"], format_, output, force)


@commands.command()
def publish(
    cfg: Config,
    folder: Annotated[Path, Arg(metavar="DIR", help="The static site's folder (made if missing).")],
    layout: Annotated[
        str | None,
        Opt(
            metavar="LAYOUT",
            choices=("hugo", "jekyll"),
            help="hugo or jekyll (default: as last time, else jekyll where _config.yml is, "
            "else hugo).",
        ),
    ] = None,
    force: Annotated[
        bool, Opt(help="Also overwrite files changed by hand since rc wrote them.")
    ] = False,
    json_output: Json = False,
) -> None:
    """Write the season into a Hugo or Jekyll site: a file a post, the series page, a feed."""
    from readchallenge.services.publish import publish as service

    result = service(cfg, folder, layout, force)
    if printed_as_json(json_output, result):
        return
    for verb in ("wrote", "kept", "removed"):
        for path in result[verb]:
            draft = result["drafts"].get(path)
            say(f"{verb} {path}" + (f" (draft: {draft})" if draft and verb != "removed" else ""))
    for path in result["skipped"]:
        say(f"skipped {path}: changed by hand since rc wrote it (--force overwrites it)")


def _deliver(
    cfg: Config, text: str, title: str, format_: str, output: Path | None, force: bool
) -> None:
    """A page to stdout or a file, as Markdown or as the same standalone HTML as a post."""
    text = printable(text)
    if format_ == "html":
        from readchallenge.render.html import post_html

        text = post_html(text, title, cfg.post_language)
    if output is None:
        write_text(text)
        return
    from readchallenge.files import write_atomically

    write_atomically(output, text, force)
    say(f"wrote {output}")


def _calendar_link(calendar: Path, output: Path | None) -> str:
    """The calendar's address as the recap links it: beside the recap's file, its name."""
    if output is not None and calendar.resolve().parent == output.resolve().parent:
        return calendar.name
    return calendar.as_posix()


def _draw_calendar(cfg: Config, calendar: Path, force: bool) -> None:
    from readchallenge.errors import NotFound
    from readchallenge.files import write_atomically
    from readchallenge.render.calendar_svg import calendar_svg
    from readchallenge.services.daily import calendar as calendar_data

    data = calendar_data(cfg)
    if data["challenge"] is None:
        raise NotFound("no challenge to draw: start one with rc init")
    write_atomically(calendar, calendar_svg(data, "light"), force)
    say(f"wrote {calendar}")
