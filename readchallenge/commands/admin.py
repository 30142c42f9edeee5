"""Commands about rc itself: info and the store path."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from readchallenge.commands.common import JsonOpt, config, console, print_json, say
from readchallenge.errors import UsageError


def info(json_output: JsonOpt = False) -> None:
    """Show the store, the config file, the schema, versions and effective settings."""
    from readchallenge.services.info import info as info_service

    data = info_service(config())
    if json_output:
        print_json(data)
        return
    out = console()
    out.print(f"rc {data['version']}", markup=False)
    out.print(f"store:        {data['store']} (schema {data['schema_version']})", markup=False)
    exists = "" if data["config_file_exists"] else " (not present)"
    out.print(f"config file:  {data['config_file']}{exists}", markup=False)
    out.print(f"today:        {data['today']}", markup=False)
    deps = ", ".join(f"{k} {v}" for k, v in data["dependencies"].items())
    out.print(f"dependencies: {deps}", markup=False)
    out.print("settings:", markup=False)
    for key, setting in data["settings"].items():
        out.print(f"  {key} = {setting['value']!r}  ({setting['from']})", markup=False)


def path() -> None:
    """Print the folder where rc keeps its store (set it with RC_HOME)."""
    typer.echo(str(config().home))


def backup(
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE", help="Where to write the copy (default: RC_HOME/backups/rc-DATE.db)."
        ),
    ] = None,
) -> None:
    """Write a consistent copy of the store, safe while rc is in use."""
    from readchallenge.services.data import backup as backup_service

    say(f"backed up to {backup_service(config(), file)}")


def export(
    format_: Annotated[
        str, typer.Option("--format", help="json (everything, for rc import) or bibtex.")
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite the output file if it exists.")] = False,
) -> None:
    """Export the whole store as JSON, or the papers as BibTeX."""
    from readchallenge.files import write_atomically
    from readchallenge.services import data

    if format_ == "json":
        text = json.dumps(data.export_json(config()), indent=1, ensure_ascii=False) + "\n"
    elif format_ == "bibtex":
        text = data.export_bibtex(config())
    else:
        raise UsageError("--format must be json or bibtex")
    if output is None:
        sys.stdout.write(text)
        return
    write_atomically(output, text, force)
    say(f"wrote {output}")


def import_(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A file written by rc export --format json.")
    ],
) -> None:
    """Restore an rc export into an empty store."""
    from readchallenge.services.data import import_json

    counts = import_json(config(), file)
    say("imported " + ", ".join(f"{n} {table}" for table, n in counts.items()))


def register(app: typer.Typer) -> None:
    app.command()(info)
    app.command()(path)
    app.command()(backup)
    app.command()(export)
    app.command("import")(import_)
