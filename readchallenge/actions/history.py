"""Bodies of the history and sync commands: log, undo, redo, sync."""

from __future__ import annotations

from readchallenge.actions.common import config, console, print_json, say


def log(number: int | None, json_output: bool) -> None:
    from readchallenge.services.history import history

    lines = history(config(), number if number is not None else (None if json_output else 20))
    if json_output:
        print_json(lines)
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


def _revert(count: int, redo: bool) -> None:
    from readchallenge.services.history import undo as undo_service

    verb = "redid" if redo else "undid"
    for done in undo_service(config(), count, redo=redo):
        say(f"{verb}: {done.command}  ({done.at[:16].replace('T', ' ')})")


def undo(count: int) -> None:
    _revert(count, redo=False)


def redo(count: int) -> None:
    _revert(count, redo=True)


def sync(init: str | None) -> None:
    from readchallenge.services import sync as sync_service

    cfg = config()
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
