"""The Sunday post: note, week, export-week."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from readchallenge.commands.common import config, console, print_json, say
from readchallenge.errors import IncompleteResult, RcError, UsageError

WeekArg = Annotated[
    str | None,
    typer.Argument(
        metavar="WEEK", help="this, next, last, YYYY-Www or a day (default: the week of tomorrow)."
    ),
]


def edit_text(text: str, suffix: str = ".md") -> str:
    """Open $VISUAL or $EDITOR on `text` and return what was saved."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError("set $EDITOR (or $VISUAL), or pass the text as options")
    fd, name = tempfile.mkstemp(prefix="rc-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            code = subprocess.call([*shlex.split(editor), str(path)])
        except OSError as exc:
            raise RcError(f"cannot start editor {editor!r}: {exc.strerror}") from None
        if code != 0:
            raise RcError(f"the editor exited with code {code}; nothing was changed")
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RcError("the editor removed the file; nothing was changed") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise RcError(
                f"cannot read what the editor saved ({exc}); nothing was changed"
            ) from None
    finally:
        path.unlink(missing_ok=True)


def note(
    paper: Annotated[
        str, typer.Argument(metavar="PAPER", help="Paper id, arXiv id or display name.")
    ],
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
    from readchallenge.core.forms import note_form, parse_note_form
    from readchallenge.services import notes

    cfg = config()
    current = notes.current_note(cfg, paper)
    if description is None and not takeaway and not clear_takeaways:
        name = current["name"] or current["title"] or current["id"]
        saved = edit_text(note_form(name, current["description"], current["takeaways"]))
        new_description, new_takeaways = parse_note_form(saved)
        if not new_description and not new_takeaways:
            say("empty note: nothing changed")
            return
        changed = notes.save_note(
            cfg, current["id"], description=new_description, replace=new_takeaways
        )
    else:
        changed = notes.save_note(
            cfg, current["id"], description=description, add=takeaway or [], clear=clear_takeaways
        )
    say(f"saved the note of {current['id']}" if changed else "nothing changed")


def week(
    which: WeekArg = None,
    theme: Annotated[str | None, typer.Option(help="The week's theme (the post's title).")] = None,
    intro: Annotated[str | None, typer.Option(help="The post's introduction.")] = None,
    conclusion: Annotated[str | None, typer.Option(help="The post's conclusion.")] = None,
    next_: Annotated[
        str | None, typer.Option("--next", help="A teaser for next week's post.")
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Write all four in the editor.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Set or show the theme, intro, conclusion and teaser of a week's post."""
    from readchallenge.services.post import monday_of_spec

    cfg = config()
    monday = monday_of_spec(cfg, which)
    given = {
        k: v
        for k, v in (
            ("theme", theme),
            ("intro", intro),
            ("conclusion", conclusion),
            ("next", next_),
        )
        if v is not None
    }
    if given or edit:
        from readchallenge.services import notes

        if edit:
            from readchallenge.core.forms import parse_week_form, week_form

            words = notes.week_words(cfg, monday)
            parsed = parse_week_form(edit_text(week_form(words["week"], words)))
            given = {**{k: v for k, v in parsed.items() if v}, **given}
            if not given:
                say("empty form: nothing changed")
                return
        changed = notes.save_week(cfg, monday, given)
        say("saved" if changed else "nothing changed")
        return
    from readchallenge.services.notes import week_words

    words = week_words(cfg, monday)
    if json_output:
        print_json(words)
        return
    out = console()
    out.print(f"Week {words['week']}", style="bold", markup=False)
    for key in ("theme", "intro", "conclusion", "next"):
        out.print(f"{key}: {words[key] or '(not set)'}", markup=False)


def export_week(
    which: WeekArg = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite the output file if it exists.")] = False,
    template: Annotated[
        Path | None, typer.Option(help="Render with your own Jinja2 template.")
    ] = None,
    front_matter: Annotated[
        bool, typer.Option(help="Start with YAML front matter (title, date, tags).")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="List what is missing; exit 1 if anything is.")
    ] = False,
) -> None:
    """Draft the week's post as Markdown."""
    from readchallenge.render.post import render_post
    from readchallenge.services import post

    cfg = config()
    data = post.week_data(cfg, which)
    if check:
        problems = post.check(data)
        for problem in problems:
            typer.echo(problem)
        if problems:
            raise IncompleteResult(f"{len(problems)} thing(s) missing in week {data['week']}")
        say(f"week {data['week']} is ready to post")
        return
    data["front_matter"] = front_matter
    text = render_post(data, template)
    if output is None:
        typer.echo(text, nl=False)
        return
    from readchallenge.files import write_atomically

    write_atomically(output, text, force)
    say(f"wrote {output}")


def register(app: typer.Typer) -> None:
    app.command()(note)
    app.command()(week)
    app.command("export-week")(export_week)
