"""The `rc` entry point: the daily read commands run without loading Typer.

`rc today`, `rc list` and `rc show` are run many times a day. Typer, with the pydantic
adapter it loads to run any command, costs more start-up than the whole command; so
simple invocations of these commands are parsed here and run through the same bodies
(`views.py`). `rc` and `rc --help` print the overview below without Typer too. Anything
else -- a command's help, an unknown or malformed option -- goes to Typer, which owns usage
and its errors. A test keeps the overview in step with the Typer app.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from readchallenge.errors import RcError

Runner = Callable[[], None]
MAX_LIMIT = 1_000_000_000  # as `rc list --limit` declares it

SUMMARY = "rc: a companion for a daily research-paper reading challenge."
OVERVIEW: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Every day", (
        ("today", "Today's paper, your streak and your pace towards the deadline."),
        ("read", "Log that you read a paper (today's by default)."),
        ("unread", "Remove a reading logged by mistake."),
        ("skip", "Skip a day: it neither breaks nor extends the streak."),
        ("calendar",
         "A heat-map of the challenge: read, skipped, missed, planned and future days."),
    )),
    ("Papers", (
        ("add", "Add papers by arXiv id (fetching their metadata) or a non-arXiv item with --url."),
        ("sync", "Fetch the metadata of every pending id (kept when arXiv was unreachable)."),
        ("refresh",
         "Fetch stored arXiv papers again and report new versions, DOIs and journal refs."),
        ("search", "Search arXiv for candidate papers."),
        ("list", "List stored papers, newest first, with their day and state."),
        ("show", "Show everything stored about one paper."),
        ("link", "Add, replace or remove one link of a paper."),
    )),
    ("The plan and the Sunday post", (
        ("init", "Start the challenge, or show or change it."),
        ("plan", "Show the week's plan (rc plan [WEEK]) or change it."),
        ("note", "Write a paper's description and key takeaways (in the editor without options)."),
        ("week", "Set or show the theme, intro, conclusion and teaser of a week's post."),
        ("export-week", "Draft the week's post as Markdown."),
    )),
    ("rc itself", (
        ("demo", "Show rc on a sample week, offline, without touching your own store."),
        ("info", "Show the store, the config file, the schema, versions and effective settings."),
        ("path", "Print the folder where rc keeps its store (set it with RC_HOME)."),
        ("backup", "Write a consistent copy of the store, safe while rc is in use."),
        ("export", "Export the whole store as JSON, or the papers as BibTeX."),
        ("import", "Restore an rc export into an empty store."),
    )),
)  # fmt: skip


def overview() -> str:
    """The text of `rc --help`."""
    lines = ["Usage: rc [--version] [--help] COMMAND [ARGS]...", "", SUMMARY, ""]
    for title, commands in OVERVIEW:
        lines.append(f"{title}:")
        lines += [f"  {name:<12} {text}" for name, text in commands]
        lines.append("")
    lines.append("Options: --version prints rc's version; --help shows this overview.")
    lines.append("Run 'rc COMMAND --help' for the options of a command.")
    return "\n".join(lines) + "\n"


def _print_overview() -> None:
    sys.stdout.write(overview())


def _print_version() -> None:
    from readchallenge import __version__

    sys.stdout.write(f"rc {__version__}\n")


def _parse(args: Sequence[str]) -> Runner | None:
    from readchallenge import views

    if not args or list(args) in (["--help"], ["-h"]):
        return _print_overview
    if list(args) == ["--version"]:
        return _print_version
    command, rest = args[0], list(args[1:])
    json_output = "--json" in rest
    rest = [a for a in rest if a != "--json"]
    if command == "today" and not rest:
        return lambda: views.today(json_output)
    if command == "show" and len(rest) == 1 and not rest[0].startswith("-"):
        paper = rest[0]
        return lambda: views.show(paper, json_output)
    if command == "list":
        options: dict[str, str] = {}
        while rest:
            name = rest.pop(0)
            if name not in ("--limit", "--status") or not rest or name in options:
                return None
            options[name] = rest.pop(0)
        limit_text = options.get("--limit")
        if limit_text is not None and not (limit_text.isascii() and limit_text.isdigit()):
            return None  # Typer owns the usage error
        if limit_text is not None and int(limit_text) > MAX_LIMIT:
            return None
        limit = int(limit_text) if limit_text is not None else None
        status = options.get("--status")
        return lambda: views.list_papers(limit, status, json_output)
    return None


def run_fast(args: Sequence[str]) -> int | None:
    """Run `args` on the fast path and return the exit code, or None to leave it to Typer."""
    runner = _parse(args)
    if runner is None:
        return None
    from readchallenge.output import quiet_broken_pipe, report_error

    try:
        runner()
        sys.stdout.flush()
    except RcError as error:
        return report_error(error)
    except UnicodeError:
        from readchallenge.errors import UsageError

        return report_error(UsageError("an argument is not valid UTF-8 text"))
    except BrokenPipeError:
        return quiet_broken_pipe()
    except KeyboardInterrupt:
        return 130
    return 0


def _replace_unencodable_output() -> None:
    """A terminal or pipe that cannot show a character gets a replacement, not a crash:
    an output encoding error is no fault of the user's arguments."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def main() -> None:
    """Console-script entry point."""
    _replace_unencodable_output()
    code = run_fast(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from readchallenge.cli import app

    app(prog_name="rc")
