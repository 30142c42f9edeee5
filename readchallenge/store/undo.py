"""Undo: this device's change reverted as the history of all devices has it (docs/sync.md).

An undone field takes the value of the latest earlier operation that set it, on any device;
an undone insert that another device also made brings back that device's row; a paper that
comes back brings what other devices wrote to it after its removal. An undo is refused when
another device changed the same rows later, or built on what the change added.
"""

from __future__ import annotations

import sqlite3

from readchallenge.core.schema import LOGGED
from readchallenge.store.entries import Op, Row
from readchallenge.store.history import ops_before
from readchallenge.store.log import (
    PAPER_CHILDREN,
    child_range,
    delete_row,
    insert_row,
    key_text,
    mute,
    ops_of,
    row_of,
    update_row,
)
from readchallenge.store.merge import LAST, Merge


def _previous(conn: sqlite3.Connection, op: Op, clock: str) -> Row:
    """The values the fields `op` set had before it, in the merged history: each from the
    latest earlier operation that set it, on any device. That is the row's old value for a
    change made on top of this device's own, and the other device's value when the two were
    made at the same time and this one won: undoing it brings the other one back."""
    assert op.old is not None
    wanted, found = set(op.sets), {}
    for earlier in ops_before(conn, op.table, key_text(conn, op.key), clock):
        if earlier.new is None:
            break  # the row was removed then: nothing before that counts
        if not earlier.new:
            break  # an insert "as stored" (an import) keeps no values
        for name in wanted & earlier.sets:
            found[name] = earlier.new[name]
        wanted -= earlier.sets
        if not wanted:
            break
    return {name: found.get(name, op.old[name]) for name in op.sets}


def _row_before(conn: sqlite3.Connection, op: Op, clock: str) -> Row | None:
    """The row `op` inserted as it was before, in the history of all machines: None when it
    did not exist; its values when another machine had inserted it too, at the same time."""
    found: Row = {}
    for earlier in ops_before(conn, op.table, key_text(conn, op.key), clock):
        if earlier.new is None or not earlier.new:
            return None  # removed then (or imported, without values): it did not exist
        for name in earlier.sets:
            found.setdefault(name, earlier.new[name])
        if earlier.old is None:  # its insert: every field is known from here
            return found
    return None


def revert(conn: sqlite3.Connection, change_id: int, own_device: str) -> None:
    """Apply the inverse of a change, newest operation first (foreign keys are checked at
    COMMIT, so a paper comes back before its links do). A paper that comes back brings
    what other devices wrote to it after its removal, as a sync that receives the undo
    does."""
    clock = conn.execute("SELECT clock FROM changes WHERE id = ?", (change_id,)).fetchone()[0]
    conn.execute("PRAGMA defer_foreign_keys = ON")
    returned = []
    for op in reversed(ops_of(conn, change_id)):
        if op.old is None:
            before = _row_before(conn, op, clock)
            if before is None:
                delete_row(conn, op.table, op.key)
            else:  # inserted on two machines at once: the other one's row comes back
                keys = LOGGED[op.table][0]
                fields = {f: v for f, v in before.items() if f not in keys}
                update_row(conn, op.table, op.key, fields)
        elif op.new is None:
            if row_of(conn, op.table, op.key) is None:
                insert_row(conn, op.table, op.old)
                if op.table == "papers":
                    returned.append(key_text(conn, op.key))
        else:
            update_row(conn, op.table, op.key, _previous(conn, op, clock))
    if returned:
        merge = Merge(conn, own_device)
        for key in returned:
            merge.replay_children(key, LAST)
        mute(conn, False)


def later_from_others(
    conn: sqlite3.Connection, clock: str, change_id: int, device: str
) -> tuple[str, bool] | None:
    """The first operation from another device, later than the change at `clock`, on a row
    it touched, or on what belongs to a paper it added: undoing the change would undo part
    of that one too. Its clock, and whether it was on a row the change touched (rather than
    on what belongs to a paper the change added); None when there is none."""
    first: tuple[str, bool] | None = None
    rows = conn.execute(
        "SELECT DISTINCT tbl, key, old IS NULL FROM change_ops WHERE change_id = ?", (change_id,)
    ).fetchall()
    for table, key, inserted in rows:
        same = conn.execute(
            "SELECT min(o.clock) FROM change_ops o JOIN changes c ON c.id = o.change_id"
            " WHERE o.tbl = ? AND o.key = ? AND o.clock > ? AND c.device != ?",
            (table, key, clock, device),
        ).fetchone()[0]
        if same is not None and (first is None or same < first[0]):
            first = (same, True)
        if table != "papers" or not inserted:
            continue
        low, high = child_range(key)
        for child in PAPER_CHILDREN:
            below = conn.execute(
                "SELECT min(o.clock) FROM change_ops o JOIN changes c ON c.id = o.change_id"
                " WHERE o.tbl = ? AND (o.key = ? OR (o.key >= ? AND o.key < ?))"
                " AND o.clock > ? AND c.device != ?",
                (child, key, low, high, clock, device),
            ).fetchone()[0]
            if below is not None and (first is None or below < first[0]):
                first = (below, False)
    return first
