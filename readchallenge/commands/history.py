"""The change log and the other devices: log, undo, redo, sync."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from readchallenge.commands.common import Json, console, printed_as_json, say
from readchallenge.params import HISTORY, Arg, Group, Opt

if TYPE_CHECKING:
    from readchallenge.config import Config

commands = Group(panel=HISTORY)


@commands.command()
def log(
    cfg: Config,
    number: Annotated[
        int | None, Opt("-n", metavar="N", min=1, help="Show only the newest N changes.")
    ] = None,
    json_output: Json = False,
) -> None:
    """Show the changes made to the challenge, newest first, from every device."""
    from readchallenge.services.history import history

    lines = history(cfg, number if number is not None else (None if json_output else 20))
    if printed_as_json(json_output, lines):
        return
    if not lines:
        say("no changes recorded yet")
        return
    from readchallenge.core.text import device_name, printable

    out = console()
    for line in lines:
        when = line["at"][:16].replace("T", " ")
        undone = "  (undone)" if line["reverted"] else ""
        # Another device's name and command line arrive by sync: shown, never obeyed.
        out.print(
            printable(f"{when} {device_name(line['device'])}: {line['command']}{undone}"),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def _revert(cfg: Config, count: int, redo: bool) -> None:
    from readchallenge.services.history import undo as undo_service

    verb = "redid" if redo else "undid"
    for done in undo_service(cfg, count, redo=redo):
        say(f"{verb}: {done.command}  ({done.at[:16].replace('T', ' ')})")


@commands.command()
def undo(
    cfg: Config,
    count: Annotated[int, Arg(metavar="N", min=1, help="How many of this device's changes.")] = 1,
) -> None:
    """Revert this device's last changes; the undo is a change too, and syncs."""
    _revert(cfg, count, redo=False)


@commands.command()
def redo(
    cfg: Config,
    count: Annotated[int, Arg(metavar="N", min=1, help="How many of this device's undos.")] = 1,
) -> None:
    """Revert this device's last undos."""
    _revert(cfg, count, redo=True)


@commands.command()
def sync(
    cfg: Config,
    init: Annotated[
        str | None,
        Opt(
            "--init",
            metavar="REMOTE",
            help="Set up syncing through this git repository (a URL, or a folder holding "
            "a bare repository) and record the store as it is.",
        ),
    ] = None,
) -> None:
    """Send this device's changes and take the other devices' through a git repository."""
    from readchallenge.services import sync as sync_service

    report = sync_service.init(cfg, init) if init is not None else sync_service.sync(cfg)
    if init is not None:
        recorded = "; recorded the store as it was" if report.recorded else ""
        say(f"syncing through {report.remote}{recorded}")
    received = ", ".join(f"{n} from {device}" for device, n in sorted(report.received.items()))
    say(
        f"sent {report.sent} change{'s' if report.sent != 1 else ''}; received {received or 'none'}"
    )
    for note in report.notes:
        say(f"conflict: {note}")
