"""The change log read back: its entries newest first (rc log, rc undo), what reverts what,
and each entry as the lines of a sync file (rc sync), read as they are used: the newest 20
of 100,000 entries cost 20 rows, and an import of 100,000 papers is never in memory at once.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from readchallenge.core.schema import COLUMNS, LOGGED
from readchallenge.store.entries import Entry, Op, Row
from readchallenge.store.log import PAPER_CHILDREN, SNAPSHOT, as_op, child_range, device_id


class Change(NamedTuple):
    id: int
    clock: str
    device: str
    seq: int
    at: str
    command: str
    undoes: str | None
    seen: str | None  # JSON, or None for an entry made before it was kept

    def entry(self, ops: list[Op], seen: dict[str, int], more: bool = False) -> Entry:
        """This change as an entry of a sync file; `seen` stands in where none was kept."""
        kept = json.loads(self.seen) if self.seen else seen
        return Entry(
            self.clock, self.device, self.seq, self.at, self.command, self.undoes, ops, kept, more
        )


_CHANGE_COLUMNS = ", ".join(COLUMNS["changes"])  # in the order of `Change`


def changes(
    conn: sqlite3.Connection,
    *,
    device: str | None = None,
    newest_first: bool = True,
    limit: int | None = None,
) -> Iterator[Change]:
    """The log's entries in clock order, read as they are used (the newest 20 of 100,000
    read 20 rows)."""
    where, params = ("WHERE device = ?", [device]) if device else ("", [])
    order = "DESC" if newest_first else ""
    tail = f" LIMIT {int(limit)}" if limit is not None else ""
    cursor = conn.execute(
        f"SELECT {_CHANGE_COLUMNS} FROM changes {where} ORDER BY clock {order}{tail}", params
    )
    for row in cursor:
        yield Change(*row)


def change_by_clock(conn: sqlite3.Connection, clock: str) -> Change | None:
    row = conn.execute(
        f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE clock = ?", (clock,)
    ).fetchone()
    return None if row is None else Change(*row)


def undoers(conn: sqlite3.Connection, clock: str) -> list[str]:
    """The clocks of the entries that revert the entry at `clock` (undos, or redos)."""
    rows = conn.execute("SELECT clock FROM changes WHERE undoes = ?", (clock,))
    return [str(row[0]) for row in rows]


def reverted(conn: sqlite3.Connection, clock: str, depth: int = 0) -> bool:
    """Whether an entry in force reverts the entry at `clock` (an undo that was itself
    undone no longer counts)."""
    if depth > 1000:
        return False  # a chain no device makes; it only guards the recursion
    return any(not reverted(conn, u, depth + 1) for u in undoers(conn, clock))


PART_BYTES = 1 << 20  # an entry larger than this is written a part a line


def _insert_json(table: str, keys: Sequence[str], columns: Sequence[str]) -> str:
    """SQL for the size and the JSON text of a row of `table` (as `t`) as an insert
    operation, `Op.to_json` written by SQLite: 100,000 rows are never Python dicts."""
    key = ", ".join(f"t.{k}" for k in keys)
    row = ", ".join(f"'{c}', t.{c}" for c in columns)
    size = " + ".join(f"coalesce(length(t.{c}), 4) + {len(c) + 6}" for c in columns)
    op = f"json_object('t', '{table}', 'k', json_array({key}), 'o', NULL, 'n', json_object({row}))"
    return f"{size}, {op}"


def _as_stored(conn: sqlite3.Connection, change_id: int) -> Iterator[tuple[int, str]]:
    """The inserts "as stored" of an entry (an import, the store as it was) with the rows'
    values now, a table at a time through each table's key index (one statement a table,
    not one a row); a row gone since is left out (its removal is an entry of its own)."""
    for table, (keys, columns) in LOGGED.items():
        join = " AND ".join(f"t.{k} = json_extract(o.key, '$[{n}]')" for n, k in enumerate(keys))
        cursor = conn.execute(
            f"SELECT {_insert_json(table, keys, columns)} FROM change_ops o"
            f" JOIN {table} t ON {join}"
            " WHERE o.change_id = ? AND o.tbl = ? AND o.old IS NULL AND o.new = '{}'"
            " ORDER BY o.id",
            (change_id, table),
        )
        yield from cursor


def _logged_ops(conn: sqlite3.Connection, change_id: int) -> Iterator[tuple[int, str]]:
    cursor = conn.execute(
        "SELECT tbl, key, old, new FROM change_ops WHERE change_id = ?"
        " AND NOT (old IS NULL AND new = '{}') ORDER BY id",
        (change_id,),
    )
    for table, key, old, new in cursor:
        op = as_op(table, key, old, new)
        yield len(new or "") + len(old or "") + len(key) + 16, _dumps(op.to_json())


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _unexplained(conn: sqlite3.Connection) -> Iterator[tuple[int, str]]:
    """Every row no operation of the log explains (a store whose history came before the
    log), as inserts: what this device's `SNAPSHOT` entry holds, read when it is sent."""
    for table, (keys, columns) in LOGGED.items():
        key = "json_array(" + ", ".join(f"t.{k}" for k in keys) + ")"
        cursor = conn.execute(
            f"SELECT {_insert_json(table, keys, columns)} FROM {table} t"
            " WHERE NOT EXISTS (SELECT 1 FROM change_ops o"
            f" WHERE o.tbl = ? AND o.key = {key} AND o.clock IS NOT NULL) ORDER BY t.rowid",
            (table,),
        )
        yield from cursor


def entry_lines(
    conn: sqlite3.Connection, change: Change, seen: dict[str, int], part_bytes: int = PART_BYTES
) -> Iterator[str]:
    """An entry as the lines of a sync file, a part of about `part_bytes` a line: an import
    of 100,000 papers is never in memory at once. Its operations as logged come first, then
    its inserts "as stored", parents before children (papers before their links); this
    device's snapshot of the store as it was holds the rows no entry explains."""
    ops: list[str] = []  # each operation as its JSON text
    size = 0
    base = change.entry([], seen)
    parts = [_logged_ops(conn, change.id), _as_stored(conn, change.id)]
    if change.command == SNAPSHOT and change.device == device_id(conn):
        parts.append(_unexplained(conn))
    for cost, op in itertools.chain(*parts):
        ops.append(op)
        size += cost
        if size >= part_bytes:
            yield base._replace(more=True).line_of(ops)
            ops, size = [], 0
    yield base.line_of(ops)


def snapshot_of(conn: sqlite3.Connection, device: str) -> str | None:
    """The clock of this device's entry of the store as it was, if it has one."""
    row = conn.execute(
        "SELECT clock FROM changes WHERE device = ? AND command = ? LIMIT 1", (device, SNAPSHOT)
    ).fetchone()
    return None if row is None else str(row[0])


def has_unexplained_rows(conn: sqlite3.Connection) -> bool:
    """Whether some row of the store has no operation in the log (a store whose history
    came before the log); a look at each row's key, through the index."""
    for table, (keys, _) in LOGGED.items():
        key = "json_array(" + ", ".join(f"{table}.{k}" for k in keys) + ")"
        found = conn.execute(
            f"SELECT 1 FROM {table} WHERE NOT EXISTS (SELECT 1 FROM change_ops o"
            f" WHERE o.tbl = ? AND o.key = {key} AND o.clock IS NOT NULL) LIMIT 1",
            (table,),
        ).fetchone()
        if found is not None:
            return True
    return False


def changes_after(conn: sqlite3.Connection, device: str, seq: int) -> Iterator[Change]:
    """One device's entries after `seq`, in order (what this device has not sent yet)."""
    for row in conn.execute(
        f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE device = ? AND seq > ? ORDER BY seq",
        (device, seq),
    ):
        yield Change(*row)


# A row's operations ---------------------------------------------------------------------


def _ops(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    return conn.execute(sql, params).fetchall()


def ops_after(
    conn: sqlite3.Connection, table: str, key: str, clock: str
) -> list[tuple[Op, str, str, int]]:
    """The operations on one row after `clock`, with their clock, device and seq."""
    rows = _ops(
        conn,
        "SELECT o.old, o.new, o.clock, c.device, c.seq FROM change_ops o"
        " JOIN changes c ON c.id = o.change_id"
        " WHERE o.tbl = ? AND o.key = ? AND o.clock > ? ORDER BY o.clock, o.id",
        (table, key, clock),
    )
    return [(as_op(table, key, old, new), c, d, s) for old, new, c, d, s in rows]


def ops_before(conn: sqlite3.Connection, table: str, key: str, clock: str) -> Iterator[Op]:
    """The operations on one row before `clock`, on every device, latest first."""
    rows = conn.execute(
        "SELECT old, new FROM change_ops WHERE tbl = ? AND key = ? AND clock < ?"
        " ORDER BY clock DESC, id DESC",
        (table, key, clock),
    )
    for old, new in rows:
        yield as_op(table, key, old, new)


def removal_before(conn: sqlite3.Connection, key: str, clock: str) -> tuple[str, Row] | None:
    """The latest removal of a paper before `clock`: its clock and the row it removed."""
    row = conn.execute(
        "SELECT clock, old FROM change_ops WHERE tbl = 'papers' AND key = ? AND clock < ?"
        " AND new IS NULL ORDER BY clock DESC LIMIT 1",
        (key, clock),
    ).fetchone()
    if row is None:
        return None
    return str(row[0]), as_op("papers", key, row[1], None).old or {}


def child_ops_after(
    conn: sqlite3.Connection, paper_key: str, clock: str
) -> list[tuple[str, str, str | None, str | None, str, str, int]]:
    """Every operation on a paper's links, readings, notes… after `clock`, in clock order:
    table, key, old, new, clock, device, id."""
    low, high = child_range(paper_key)
    rows: list[tuple[str, str, str | None, str | None, str, str, int]] = []
    for table in PAPER_CHILDREN:
        rows += _ops(
            conn,
            "SELECT o.tbl, o.key, o.old, o.new, o.clock, c.device, o.id FROM change_ops o"
            " JOIN changes c ON c.id = o.change_id"
            " WHERE o.tbl = ? AND (o.key = ? OR (o.key >= ? AND o.key < ?)) AND o.clock > ?",
            (table, paper_key, low, high, clock),
        )
    rows.sort(key=lambda r: (r[4], r[6]))
    return rows
