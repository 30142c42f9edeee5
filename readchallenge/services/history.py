"""The change log as a user sees it: rc log, rc undo and rc redo."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple, TypedDict

from readchallenge.config import Config
from readchallenge.errors import Conflict, NotFound, UsageError
from readchallenge.store import db, log


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


def _reverted_set(changes: list[log.Change]) -> set[str]:
    """Clocks of the entries an entry still in force reverts (an undo that was redone no
    longer counts)."""
    undoers: dict[str, list[str]] = {}
    for change in changes:
        if change.undoes:
            undoers.setdefault(change.undoes, []).append(change.clock)
    memo: dict[str, bool] = {}

    def reverted(clock: str) -> bool:
        if clock not in memo:
            memo[clock] = False  # cycles cannot happen; this only guards recursion
            memo[clock] = any(not reverted(u) for u in undoers.get(clock, []))
        return memo[clock]

    return {c.clock for c in changes if reverted(c.clock)}


def history(cfg: Config, limit: int | None) -> list[LogLine]:
    """The newest entries first, from every device this store has heard of."""
    if limit is not None and limit < 1:
        raise UsageError("-n must be at least 1")
    if not cfg.db_path.exists():
        return []
    with db.opened(cfg.db_path) as conn:
        everything = list(log.changes(conn))
        reverted = _reverted_set(everything)
        by_clock = {c.clock: c for c in everything}
        lines: list[LogLine] = []
        for change in everything[:limit] if limit else everything:
            command = words(change.command)
            if change.undoes:
                target = by_clock.get(change.undoes)
                done = "redo" if target is not None and target.undoes else "undo"
                what = words(target.command) if target is not None else "a change"
                if target is not None and target.undoes:
                    origin = by_clock.get(target.undoes)
                    what = words(origin.command) if origin is not None else "a change"
                command = f"{done}: {what}"
            count = log.op_count(conn, change.id)
            lines.append(
                LogLine(
                    clock=change.clock,
                    at=change.at,
                    device=change.device,
                    command=command,
                    undoes=change.undoes,
                    reverted=change.clock in reverted,
                    operations=int(count),
                )
            )
    return lines


def undoable(change: log.Change) -> bool:
    """What rc recorded by itself is not undone: the default challenge, the store as it was
    at `rc sync --init`, and the days `rc sync` settled (undoing those would crowd a day
    again, or empty the store)."""
    return change.command != log.DEFAULT_CHALLENGE and not change.command.startswith("rc sync")


def _targets(conn: sqlite3.Connection, count: int, redo: bool) -> list[log.Change]:
    device = log.device_id(conn)
    own = list(log.changes(conn, device=device))
    reverted = _reverted_set(own)
    by_clock = {c.clock: c for c in own}
    chosen = []
    for change in own:
        if change.clock in reverted or not undoable(change):
            continue
        is_undo = change.undoes is not None and not (
            change.undoes in by_clock and by_clock[change.undoes].undoes
        )
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
    if count < 1:
        raise UsageError(f"rc {what} takes a number of changes of at least 1")
    with db.writing(cfg.db_path) as conn:
        targets = _targets(conn, count, redo)
        if not targets:
            raise NotFound(
                "nothing to redo: no undo of this device is in force"
                if redo
                else "nothing to undo: no change of this device is in force"
            )
        done = []
        for target in targets:
            later = log.later_from_others(conn, target)
            if later is not None:
                raise Conflict(
                    f"cannot {what} '{words(target.command)}': "
                    f"{log.device_name(later.device)} changed the same rows after it "
                    f"('{words(later.command)}', {later.at[:16].replace('T', ' ')}); "
                    "nothing was changed"
                )
            log.revert(conn, target.id)
            log.seal(conn, undoes=target.clock, always=True)
            shown = target.command
            if redo and target.undoes:
                origin = log.change_by_clock(conn, target.undoes)
                shown = origin.command if origin is not None else shown
            done.append(Reverted(words(shown), target.at, log.device_name(target.device)))
    return done
