"""The Sunday post: note, week, export-week."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from readchallenge.commands.common import Paper, Week, console, printed_as_json, say, write_text
from readchallenge.core.text import display_name, printable
from readchallenge.errors import IncompleteResult, RcError, UsageError
from readchallenge.params import PLAN_AND_POST, Group, Opt

if TYPE_CHECKING:
    from datetime import date

    from readchallenge.config import Config

commands = Group(panel=PLAN_AND_POST)


@commands.command()
def note(
    cfg: Config,
    paper: Paper,
    description: Annotated[
        str | None, Opt(help="The short description (replaces the old one).")
    ] = None,
    takeaway: Annotated[
        list[str] | None, Opt(help="A key takeaway to append (repeatable).")
    ] = None,
    clear_takeaways: Annotated[
        bool, Opt(help="Remove the takeaways before appending new ones.")
    ] = False,
) -> None:
    """Write a paper's description and key takeaways (in the editor without options)."""
    from readchallenge.core.forms import note_form, parse_note_form
    from readchallenge.services import notes

    if description is None and not takeaway and not clear_takeaways:
        # The editor stays open as long as the user likes: the note is read first, and the
        # write (in a transaction of its own) finds the paper again by its id.
        current = notes.current_note(cfg, paper)
        name = display_name(current)
        hf, s2 = current["huggingface"], current["semantic_scholar"]
        summary = hf["ai_summary"] if hf else None
        tldr = s2["tldr"] if s2 else None
        form = note_form(
            name, current["description"], current["takeaways"], summary, tldr, current["builds_on"]
        )
        saved = edit_text(form)
        new_description, new_takeaways = parse_note_form(saved)
        if not new_description and not new_takeaways:
            say("empty note: nothing changed")
            return
        paper_id, changed = notes.save_note(
            cfg, current["id"], description=new_description, replace=new_takeaways
        )
    else:
        paper_id, changed = notes.save_note(
            cfg, paper, description=description, add=takeaway or [], clear=clear_takeaways
        )
    say(f"saved the note of {paper_id}" if changed else "nothing changed")


@commands.command()
def week(
    cfg: Config,
    which: Week = None,
    theme: Annotated[str | None, Opt(help="The week's theme (the post's title).")] = None,
    intro: Annotated[str | None, Opt(help="The post's introduction.")] = None,
    conclusion: Annotated[str | None, Opt(help="The post's conclusion.")] = None,
    next_: Annotated[str | None, Opt("--next", help="A teaser for next week's post.")] = None,
    signoff: Annotated[
        str | None, Opt(help="The post's last paragraph, for this week (default: post_signoff).")
    ] = None,
    edit: Annotated[bool, Opt("--edit", help="Write all four in the editor.")] = False,
    tag: Annotated[
        list[str] | None,
        Opt(
            metavar="TAG",
            complete="tags",
            help="A tag of the post besides its papers' (repeatable).",
        ),
    ] = None,
    untag: Annotated[
        list[str] | None, Opt(metavar="TAG", complete="tags", help="Take a tag of the post off.")
    ] = None,
    url: Annotated[
        str | None, Opt(metavar="URL", help="Where the post was published ('' forgets it).")
    ] = None,
    json_output: Annotated[bool, Opt("--json", help="Print JSON.")] = False,
) -> None:
    """Set or show the theme, intro, conclusion and teaser of a week's post."""
    from readchallenge.services import when

    monday = when.week(which, cfg)
    given = {
        k: v
        for k, v in (
            ("theme", theme),
            ("intro", intro),
            ("conclusion", conclusion),
            ("next", next_),
            ("signoff", signoff),
        )
        if v is not None
    }
    if tag or untag or url is not None:
        if edit:
            raise UsageError("--edit writes the words alone; tag the week or give --url apart")
        _week_season(cfg, monday, tag or [], untag or [], url, given)
        return
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
    if printed_as_json(json_output, words):
        return
    out = console()
    out.print(f"Week {words['week']}", style="bold", markup=False)
    for key in ("theme", "intro", "conclusion", "next", "signoff", "url"):
        out.print(printable(f"{key}: {words[key] or '(not set)'}"), markup=False)
    out.print(printable(f"tags: {', '.join(words['tags']) or '(none)'}"), markup=False)


def _week_season(
    cfg: Config,
    monday: date,
    tag: list[str],
    untag: list[str],
    url: str | None,
    words: dict[str, str],
) -> None:
    """A week's own tags and the address of its post (rc week --tag, --untag, --url), with
    any words given beside them, as one change."""
    from readchallenge.services.tags import change_week

    done = change_week(cfg, monday, add=tag, remove=untag, url=url, words=words)
    for word, tags in (("tagged", done["added"]), ("untagged", done["removed"])):
        if tags:
            say(f"{word} week {done['week']}: {', '.join(tags)}")
    if done["url_changed"]:
        where = done["url"] or "(forgotten)"
        say(f"week {done['week']}: the post is at {where}")
    if done["words_changed"]:
        say("saved")
    if not (done["added"] or done["removed"] or done["url_changed"] or done["words_changed"]):
        say(f"week {done['week']}: nothing changed")


@commands.command("export-week")
def export_week(
    cfg: Config,
    which: Week = None,
    output: Annotated[
        Path | None, Opt("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    force: Annotated[bool, Opt(help="Overwrite the output file if it exists.")] = False,
    template: Annotated[
        str | None,
        Opt(
            metavar="NAME|FILE",
            help="sunday (the default: post_template), detailed, or your own Jinja2 file.",
        ),
    ] = None,
    format_: Annotated[
        str,
        Opt(
            "--format",
            metavar="FORMAT",
            choices=("markdown", "html"),
            help="markdown, or html for pasting.",
        ),
    ] = "markdown",
    open_: Annotated[
        bool, Opt("--open", help="Write the post as HTML to a temporary file and open it.")
    ] = False,
    front_matter: Annotated[
        bool, Opt(help="Start with YAML front matter (title, date, tags).")
    ] = False,
    check: Annotated[
        bool, Opt("--check", help="List what is missing; exit 1 if anything is.")
    ] = False,
) -> None:
    """Draft the week's post as Markdown."""
    from readchallenge.render.post import render_post
    from readchallenge.services import post

    data = post.week_data(cfg, which, template or cfg.post_template)
    for ignored in data["ignored_links"]:
        say(f"warning: ignored a non-http link ({ignored}); rc link replaces it")
    if check:
        problems = post.check(data)
        for problem in problems:
            write_text(problem + "\n")
        if problems:
            raise IncompleteResult(f"{len(problems)} thing(s) missing in week {data['week']}")
        say(f"week {data['week']} is ready to post")
        return
    if not any(day["papers"] for day in data["days"]):
        say(
            f"warning: week {data['week']} has no papers planned (rc plan fill, rc add ID --on DAY)"
        )
    for name in data["unresolved"]:
        say(f"warning: [[{name}]] names no stored paper; it is written as it is")
    data["front_matter"] = front_matter
    # Titles, names and notes may come from arXiv, an import or another device: no
    # control character reaches the terminal, the file or the blog.
    text = printable(render_post(data, template or cfg.post_template))
    if format_ == "html" or open_:
        from readchallenge.render.html import post_html

        text = post_html(text, data["title"], cfg.post_language, preview=open_)
    if open_:
        _open_in_browser(text, data["week"])
        return
    if output is None:
        write_text(text)
        return
    from readchallenge.files import write_atomically

    write_atomically(output, text, force)
    say(f"wrote {output}")


def edit_text(text: str, suffix: str = ".md") -> str:
    """Open $VISUAL or $EDITOR on `text` and return what was saved."""
    import shlex
    import subprocess
    import tempfile

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


def _open_in_browser(html: str, week: str) -> None:
    """Write the HTML post to a temporary file and open it (BROWSER is honoured)."""
    import tempfile
    import webbrowser

    fd, name = tempfile.mkstemp(prefix=f"rc-{week}-", suffix=".html")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(html)
    url = Path(name).as_uri()
    if not webbrowser.open(url):
        sys.stdout.write(url + "\n")  # no browser here: the file to open by hand
    say(f"wrote {name}")
