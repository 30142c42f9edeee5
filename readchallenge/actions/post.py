"""Bodies of the Sunday post's commands: note, week, export-week."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from readchallenge.actions.common import config, console, print_json, say, write_text
from readchallenge.core.text import display_name, printable
from readchallenge.errors import IncompleteResult, RcError, UsageError


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


def note(
    paper: str, description: str | None, takeaway: list[str] | None, clear_takeaways: bool
) -> None:
    from readchallenge.core.forms import note_form, parse_note_form
    from readchallenge.services import notes

    cfg = config()
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


def week(
    which: str | None,
    theme: str | None,
    intro: str | None,
    conclusion: str | None,
    next_: str | None,
    signoff: str | None,
    edit: bool,
    json_output: bool,
) -> None:
    from readchallenge.services import when

    cfg = config()
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
    for key in ("theme", "intro", "conclusion", "next", "signoff"):
        out.print(printable(f"{key}: {words[key] or '(not set)'}"), markup=False)


def export_week(
    which: str | None,
    output: Path | None,
    force: bool,
    template: str | None,
    format_: str,
    open_: bool,
    front_matter: bool,
    check: bool,
) -> None:
    from readchallenge.render.post import render_post
    from readchallenge.services import post

    if format_ not in ("markdown", "html"):
        raise UsageError("--format must be markdown or html")
    cfg = config()
    data = post.week_data(cfg, which)
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
