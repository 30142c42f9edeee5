"""Bodies of the season's commands: find, tag, export-index, recap, publish."""

from __future__ import annotations

from pathlib import Path

from readchallenge.actions.common import config, console, print_json, say, write_text
from readchallenge.core.text import printable
from readchallenge.errors import UsageError

FORMATS = ("markdown", "html")


def find(
    query: list[str], tag: str | None, read: bool, week: str | None, limit: int, json_output: bool
) -> None:
    from readchallenge.services.find import find_text

    found = find_text(config(), " ".join(query), limit=limit, tag=tag, read=read, week=week)
    if json_output:
        print_json(found)
        return
    from readchallenge.render.season import find_view

    find_view(console(), found)
    if not found["hits"]:
        say(f"nothing found for {found['query']!r}")
    elif found["total"] > len(found["hits"]):
        say(f"the best {len(found['hits'])} of {found['total']}; --limit shows more")


def tag(paper: str | None, tags: list[str] | None, remove: bool, json_output: bool) -> None:
    from readchallenge.services import tags as service

    cfg = config()
    if paper is None:
        if remove:
            raise UsageError("name the PAPER to take tags off: rc tag PAPER --remove TAG")
        counts = service.tag_counts(cfg)
        if json_output:
            print_json(counts)
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
    if json_output:
        print_json(result)
        return
    for word, done in (("tagged", result["added"]), ("untagged", result["removed"])):
        if done:
            say(f"{word} {result['id']}: {', '.join(done)}")
    if given and not result["added"] and not result["removed"]:
        say("nothing changed")
    console().print(
        printable(f"{result['name']}: {', '.join(result['tags']) or '(no tags)'}"), markup=False
    )


def _check_format(format_: str) -> None:
    if format_ not in FORMATS:
        raise UsageError(f"--format must be markdown or html, not {format_!r}")


def _deliver(text: str, title: str, format_: str, output: Path | None, force: bool) -> None:
    """A page to stdout or a file, as Markdown or as the same standalone HTML as a post."""
    text = printable(text)
    if format_ == "html":
        from readchallenge.render.html import post_html

        text = post_html(text, title, config().post_language)
    if output is None:
        write_text(text)
        return
    from readchallenge.files import write_atomically

    write_atomically(output, text, force)
    say(f"wrote {output}")


def export_index(output: Path | None, force: bool, format_: str, json_output: bool) -> None:
    from readchallenge.services.season import season_index

    _check_format(format_)
    index = season_index(config())
    if json_output:
        print_json(index)
        return
    from readchallenge.render.post import render_builtin

    text = render_builtin("index.md.j2", {**index, "front_matter": ""})
    _deliver(text, index["series"], format_, output, force)


def recap(
    output: Path | None, force: bool, format_: str, calendar: Path | None, json_output: bool
) -> None:
    from readchallenge.services.season import recap as service

    _check_format(format_)
    cfg = config()
    shown = None
    if calendar is not None:
        shown = _calendar_link(calendar, output)
    data = service(cfg, shown)
    if calendar is not None:
        _draw_calendar(calendar, force)
    if json_output:
        print_json(data)
        return
    from readchallenge.render.post import render_builtin

    _deliver(render_builtin("recap.md.j2", data), data["series"], format_, output, force)


def _calendar_link(calendar: Path, output: Path | None) -> str:
    """The calendar's address as the recap links it: beside the recap's file, its name."""
    if output is not None and calendar.resolve().parent == output.resolve().parent:
        return calendar.name
    return calendar.as_posix()


def _draw_calendar(calendar: Path, force: bool) -> None:
    from readchallenge.errors import NotFound
    from readchallenge.files import write_atomically
    from readchallenge.render.calendar_svg import calendar_svg
    from readchallenge.services.daily import calendar as calendar_data

    data = calendar_data(config())
    if data["challenge"] is None:
        raise NotFound("no challenge to draw: start one with rc init")
    write_atomically(calendar, calendar_svg(data, "light"), force)
    say(f"wrote {calendar}")


def publish(folder: Path, layout: str | None, force: bool, json_output: bool) -> None:
    from readchallenge.services.publish import publish as service

    result = service(config(), folder, layout, force)
    if json_output:
        print_json(result)
        return
    for verb in ("wrote", "kept", "removed"):
        for path in result[verb]:
            draft = result["drafts"].get(path)
            say(f"{verb} {path}" + (f" (draft: {draft})" if draft and verb != "removed" else ""))
    for path in result["skipped"]:
        say(f"skipped {path}: changed by hand since rc wrote it (--force overwrites it)")
