"""rc itself: demo, info, config, path, backup, export, import."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from readchallenge.commands.common import (
    Json,
    console,
    err_console,
    printed_as_json,
    say,
    write_text,
)
from readchallenge.errors import UsageError
from readchallenge.params import RC_ITSELF, Arg, Group, Opt

if TYPE_CHECKING:
    from readchallenge.config import Config

commands = Group(panel=RC_ITSELF)


@commands.command()
def demo() -> None:
    """Show rc on a sample week, offline, without touching your own store."""
    from readchallenge import config as config_module
    from readchallenge.render.calendar_svg import calendar_svg
    from readchallenge.render.daily import calendar_view, today_view
    from readchallenge.render.html import post_html
    from readchallenge.render.post import render_post
    from readchallenge.services import daily, post
    from readchallenge.services import demo as demo_service

    with tempfile.TemporaryDirectory(prefix="rc-demo-") as home:
        cfg = config_module.load({**os.environ, "RC_HOME": home})
        label = demo_service.build(cfg)
        out = console()
        out.rule("rc today", style="dim")
        today_view(out, daily.today_status(cfg), cfg.hyperlinks)
        out.rule("rc calendar", style="dim")
        calendar = daily.calendar(cfg)
        calendar_view(out, calendar)
        out.rule(f"rc export-week {label}", style="dim")
        week = post.week_data(cfg, label)
        markdown = render_post(week)
        write_text(markdown)
        # The pictures a reader of the blog sees, kept after the store is gone.
        pictures = Path(tempfile.mkdtemp(prefix="rc-demo-"))
        svg, page = pictures / "calendar.svg", pictures / "post.html"
        svg.write_text(calendar_svg(calendar), encoding="utf-8")
        html = post_html(markdown, week["title"], cfg.post_language, preview=True)
        page.write_text(html, encoding="utf-8")
    err = err_console()
    err.rule("try it yourself", style="dim")
    say(f"the calendar as a picture to post (rc calendar -o FILE): {svg.as_uri()}")
    say(f"the post as a web page to paste (rc export-week --open): {page.as_uri()}")
    for line in (
        "rc init                       start your challenge (until 31 July)",
        "rc add 2404.07965 --as Rho-1  add a paper from arXiv on the next free day",
        "rc today                      today's paper, streak and pace",
        "rc read                       log today's paper as read",
        "rc note 2404.07965            write its description and key takeaways",
        "rc export-week -o post.md     draft the week's post",
        "rc calendar -o calendar.svg   draw the challenge as a picture",
    ):
        err.print("  " + line, markup=False, highlight=False)


@commands.command()
def info(cfg: Config, json_output: Json = False) -> None:
    """Show the store, the config file, the schema, versions and effective settings."""
    from readchallenge.services.info import info as info_service

    data = info_service(cfg)
    if printed_as_json(json_output, data):
        return
    out = console()
    out.print(f"rc {data['version']}", markup=False)
    schema = data["schema_version"]
    state = f"schema {schema}" if schema is not None else "not created yet"
    out.print(f"store:        {data['store']} ({state})", markup=False)
    exists = "" if data["config_file_exists"] else " (not present)"
    out.print(f"config file:  {data['config_file']}{exists}", markup=False)
    out.print(f"today:        {data['today']}", markup=False)
    deps = ", ".join(f"{k} {v}" for k, v in data["dependencies"].items())
    out.print(f"dependencies: {deps}", markup=False)
    out.print("settings:", markup=False)
    for key, setting in data["settings"].items():
        out.print(f"  {key} = {setting['value']!r}  ({setting['from']})", markup=False)


@commands.command("config")
def config_(
    cfg: Config,
    key: Annotated[str | None, Arg(metavar="KEY", help="A setting's name.")] = None,
    value: Annotated[str | None, Arg(metavar="VALUE", help="Its new value in config.toml.")] = None,
    unset: Annotated[bool, Opt("--unset", help="Remove KEY from config.toml.")] = False,
    json_output: Json = False,
) -> None:
    """Show the settings and where each comes from, or set one in config.toml."""
    from readchallenge.services import settings

    if unset:
        if key is None or value is not None:
            raise UsageError("--unset takes one KEY: rc config --unset KEY")
        removed = settings.unset(cfg, key)
        say(f"removed {key} from {cfg.config_path}" if removed else f"{key} was not set there")
        return
    if key is not None and value is not None:
        stored = settings.set_value(cfg, key, value)
        say(f"{key} = {stored!r} in {cfg.config_path}")
        return
    rows = settings.effective(cfg)
    if key is not None:
        rows = [r for r in rows if r["key"] == key]
        if not rows:
            raise UsageError(f"no setting {key!r} (rc config lists them)")
    if printed_as_json(json_output, rows):
        return
    out = console()
    for row in rows:
        out.print(f"{row['key']} = {row['value']!r}  ({row['from']})", markup=False)


@commands.command()
def path(cfg: Config) -> None:
    """Print the folder where rc keeps its store (set it with RC_HOME)."""
    sys.stdout.write(f"{cfg.home}\n")


@commands.command()
def backup(
    cfg: Config,
    file: Annotated[
        Path | None,
        Arg(metavar="FILE", help="Where to write the copy (default: RC_HOME/backups/rc-DATE.db)."),
    ] = None,
) -> None:
    """Write a consistent copy of the store, safe while rc is in use."""
    from readchallenge.services.data import backup as backup_service

    say(f"backed up to {backup_service(cfg, file)}")


@commands.command()
def export(
    cfg: Config,
    format_: Annotated[
        str,
        Opt(
            "--format",
            choices=("json", "bibtex"),
            help="json (everything, for rc import) or bibtex.",
        ),
    ] = "json",
    output: Annotated[
        Path | None, Opt("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    force: Annotated[bool, Opt(help="Overwrite the output file if it exists.")] = False,
) -> None:
    """Export the whole store as JSON, or the papers as BibTeX."""
    from readchallenge.files import write_atomically
    from readchallenge.services import data

    ignored: list[str] = []
    pieces = data.export_json(cfg, ignored) if format_ == "json" else [data.export_bibtex(cfg)]
    if output is None:
        for piece in pieces:
            sys.stdout.write(piece)
    else:
        write_atomically(output, pieces, force)
    for link in ignored:
        say(f"warning: left out what is not an http(s) URL ({link})")
    if output is not None:
        say(f"wrote {output}")


@commands.command("import")
def import_(
    cfg: Config,
    file: Annotated[Path, Arg(metavar="FILE", help="A file written by rc export --format json.")],
) -> None:
    """Restore an rc export into an empty store."""
    from readchallenge.services.data import import_json

    counts = import_json(cfg, file)
    say("imported " + ", ".join(f"{n} {table}" for table, n in counts.items()))
