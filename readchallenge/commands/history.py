"""Commands about the change log and the other devices: log, undo, redo, sync."""

from __future__ import annotations

from typing import Annotated

import typer

from readchallenge.actions import history as run
from readchallenge.commands.common import HISTORY, JsonOpt, declare


def log(
    number: Annotated[
        int | None, typer.Option("-n", metavar="N", help="Show only the newest N changes.")
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Show the changes made to the challenge, newest first, from every device."""


def undo(
    count: Annotated[
        int, typer.Argument(metavar="N", help="How many of this device's changes.")
    ] = 1,
) -> None:
    """Revert this device's last changes; the undo is a change too, and syncs."""


def redo(
    count: Annotated[int, typer.Argument(metavar="N", help="How many of this device's undos.")] = 1,
) -> None:
    """Revert this device's last undos."""


def sync(
    init: Annotated[
        str | None,
        typer.Option(
            "--init",
            metavar="REMOTE",
            help="Set up syncing through this git repository (a URL, or a folder holding "
            "a bare repository) and record the store as it is.",
        ),
    ] = None,
) -> None:
    """Send this device's changes and take the other devices' through a git repository."""


def register(app: typer.Typer) -> None:
    declare(app, run.log, panel=HISTORY)(log)
    declare(app, run.undo, panel=HISTORY)(undo)
    declare(app, run.redo, panel=HISTORY)(redo)
    declare(app, run.sync, panel=HISTORY)(sync)
