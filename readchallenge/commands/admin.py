"""Commands about rc itself: demo, info, path, backup, export, import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from readchallenge.actions import admin as run
from readchallenge.commands.common import RC_ITSELF, JsonOpt, declare


def info(json_output: JsonOpt = False) -> None:
    """Show the store, the config file, the schema, versions and effective settings."""


def path() -> None:
    """Print the folder where rc keeps its store (set it with RC_HOME)."""


def backup(
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE", help="Where to write the copy (default: RC_HOME/backups/rc-DATE.db)."
        ),
    ] = None,
) -> None:
    """Write a consistent copy of the store, safe while rc is in use."""


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


def import_(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A file written by rc export --format json.")
    ],
) -> None:
    """Restore an rc export into an empty store."""


def demo() -> None:
    """Show rc on a sample week, offline, without touching your own store."""


def config_(
    key: Annotated[str | None, typer.Argument(metavar="KEY", help="A setting's name.")] = None,
    value: Annotated[
        str | None, typer.Argument(metavar="VALUE", help="Its new value in config.toml.")
    ] = None,
    unset: Annotated[bool, typer.Option("--unset", help="Remove KEY from config.toml.")] = False,
    json_output: JsonOpt = False,
) -> None:
    """Show the settings and where each comes from, or set one in config.toml."""


def register(app: typer.Typer) -> None:
    declare(app, run.demo, panel=RC_ITSELF)(demo)
    declare(app, run.info, panel=RC_ITSELF)(info)
    declare(app, run.config_, panel=RC_ITSELF, name="config")(config_)
    declare(app, run.path, panel=RC_ITSELF)(path)
    declare(app, run.backup, panel=RC_ITSELF)(backup)
    declare(app, run.export, panel=RC_ITSELF)(export)
    declare(app, run.import_, panel=RC_ITSELF, name="import")(import_)
