"""The change log as a user sees it: rc log, rc undo and rc redo."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple, TypedDict

from readchallenge.config import Config
from readchallenge.core.text import device_name
from readchallenge.errors import Conflict, NotFound
from readchallenge.store import db, log
from readchallenge.store import history as entries
from readchallenge.store import undo as reverting


class LogLine(TypedDict):
    """One entry of `rc log --json` (docs/sync.md lists the keys)."""

    clock: str
    at: str
    device: str
    command: str
    undoes: str | None
    reverted: bool
    operations: int


class Reverted(NamedTuple):
    command: str  # what the reverted entry did, as typed
    at: str
    device: str


def words(command: str) -> str:
    """A command line as the log shows it: without the leading `rc`."""
    return command[3:] if command.startswith("rc ") else command


def _line(conn: sqlite3.Connection, change: entries.Change) -> LogLine:
    command = words(change.command)
    if change.undoes:
        target = entries.change_by_clock(conn, change.undoes)
        done = "redo" if target is not None and target.undoes else "undo"
        what = words(target.command) if target is not None else "a change"
        if target is not None and target.undoes:
            origin = entries.change_by_clock(conn, target.undoes)
            what = words(origin.command) if origin is not None else "a change"
        command = f"{done}: {what}"
    return LogLine(
        clock=change.clock,
        at=change.at,
        device=change.device,
        command=command,
        undoes=change.undoes,
        reverted=entries.reverted(conn, change.clock),
        operations=log.op_count(conn, change.id),
    )


def history(cfg: Config, limit: int | None) -> list[LogLine]:
    """The newest entries first, from every device this store has heard of; only the
    entries shown are read (the newest 20 of 100,000 cost 20)."""
    if not cfg.db_path.exists():
        return []
    with db.opened(cfg.db_path) as conn:
        return [_line(conn, change) for change in entries.changes(conn, limit=limit)]


def undoable(change: entries.Change) -> bool:
    """What rc recorded by itself is not undone: the default challenge, the store as it was
    at `rc sync --init`, and the days `rc sync` settled (undoing those would crowd a day
    again, or empty the store)."""
    return change.command != log.DEFAULT_CHALLENGE and not change.command.startswith("rc sync")


def _targets(conn: sqlite3.Connection, count: int, redo: bool) -> list[entries.Change]:
    """This device's last `count` changes in force (or undos in force, for `redo`), newest
    first, read one at a time until they are found."""
    device = log.device_id(conn)
    chosen = []
    for change in entries.changes(conn, device=device):
        if not undoable(change) or entries.reverted(conn, change.clock):
            continue
        target = entries.change_by_clock(conn, change.undoes) if change.undoes else None
        is_undo = change.undoes is not None and not (target is not None and target.undoes)
        if redo and is_undo:
            chosen.append(change)
        elif not redo and change.undoes is None:
            chosen.append(change)
        if len(chosen) == count:
            break
    return chosen


def undo(cfg: Config, count: int, *, redo: bool = False) -> list[Reverted]:
    """Revert this device's last `count` changes (or undos, with `redo`) by recording their
    inverse; refuse, changing nothing, when another device changed the same rows later."""
    what = "redo" if redo else "undo"
    with db.writing(cfg.db_path, cfg.command) as conn:
        device = log.device_id(conn)
        targets = _targets(conn, count, redo)
        if not targets:
            raise NotFound(
                "nothing to redo: no undo of this device is in force"
                if redo
                else "nothing to undo: no change of this device is in force"
            )
        done = []
        for target in targets:
            found = reverting.later_from_others(conn, target.clock, target.id, device)
            later = entries.change_by_clock(conn, found[0]) if found else None
            if found is not None and later is not None:
                did = "changed the same rows" if found[1] else "built on what it added"
                raise Conflict(
                    f"cannot {what} '{words(target.command)}': "
                    f"{device_name(later.device)} {did} after it "
                    f"('{words(later.command)}', {later.at[:16].replace('T', ' ')}); "
                    "nothing was changed"
                )
            reverting.revert(conn, target.id, device)
            log.seal(conn, command=cfg.command, undoes=target.clock, always=True)
            shown = target.command
            if redo and target.undoes:
                origin = entries.change_by_clock(conn, target.undoes)
                shown = origin.command if origin is not None else shown
            done.append(Reverted(words(shown), target.at, device_name(target.device)))
    return done
