"""The change log: each transaction's row operations sealed into one entry, and read back
(rc log, rc undo, rc sync). docs/sync.md has the rules; `store/merge.py` applies other
devices' entries and reverts this device's own.

Triggers (migration 8) write every row's old and new values into `change_ops` under the id
that `counters.next_change` holds. `seal` turns those operations into an entry of `changes`
with this device's id, a hybrid logical clock and the command line; `db.transaction` calls it
just before COMMIT, so an entry and its change are one. Each operation carries its entry's
clock (migration 10), so the operations on a row before or after a clock are one index range.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from readchallenge.core.schema import LOGGED, PARENTS, SHARED
from readchallenge.store.entries import Entry, EntryError, Op, Row, make_clock, split_clock

__all__ = ["Entry", "EntryError", "Op", "Row"]

PAPER_CHILDREN = tuple(table for table in SHARED if PARENTS.get(table) == "papers")
DEFAULT_CHALLENGE = "(the default challenge)"
SNAPSHOT = "rc sync --init (the store as it was)"
MAX_COUNTER = 999_999  # the widest counter a clock holds; the next one moves a millisecond on

# Devices and clocks ----------------------------------------------------------------------


def state(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def set_state(conn: sqlite3.Connection, name: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM sync_state WHERE name = ?", (name,))
    else:
        conn.execute(
            "INSERT INTO sync_state (name, value) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )


def device_states(conn: sqlite3.Connection, kind: str) -> dict[str, int]:
    """A number kept for each other device (`seen`), by device id."""
    prefix = f"{kind}:"
    rows = conn.execute(
        "SELECT name, value FROM sync_state WHERE substr(name, 1, ?) = ?", (len(prefix), prefix)
    )
    return {name[len(prefix) :]: int(value or 0) for name, value in rows}


def device_id(conn: sqlite3.Connection) -> str:
    """This store's device id, made on first use from RC_DEVICE or the host name."""
    existing = state(conn, "device")
    if existing is not None:
        return existing
    import secrets

    wanted = os.environ.get("RC_DEVICE") or os.uname().nodename.split(".")[0] or "device"
    name = re.sub(r"[^a-z0-9]+", "-", wanted.lower()).strip("-")[:24] or "device"
    new = f"{name}-{secrets.token_hex(3)}"
    set_state(conn, "device", new)
    return new


def now() -> datetime:
    """The wall clock as rc's commands see it (RC_NOW, or RC_TODAY at the present time)."""
    real = datetime.now().astimezone()
    try:
        if os.environ.get("RC_NOW"):
            return datetime.fromisoformat(os.environ["RC_NOW"]).astimezone()
        if os.environ.get("RC_TODAY"):
            day = datetime.fromisoformat(os.environ["RC_TODAY"]).date()
            return real.replace(year=day.year, month=day.month, day=day.day)
    except ValueError:
        pass  # the command itself reports a malformed value
    return real


def now_ms() -> int:
    """This machine's clock in milliseconds: what a clock from elsewhere is measured by."""
    return int(max(now(), datetime.now().astimezone()).timestamp() * 1000)


def tick(conn: sqlite3.Connection, device: str, when: datetime) -> str:
    """The next hybrid logical clock of this device: later than every clock it has seen.
    A counter that would outgrow its six digits moves the milliseconds on instead, so the
    clock stays one every device accepts."""
    millis = int(when.timestamp() * 1000)
    last = state(conn, "clock")
    counter = 0
    if last is not None:
        last_millis, last_counter = split_clock(last)
        if last_millis >= millis:
            millis, counter = last_millis, last_counter + 1
            if counter > MAX_COUNTER:
                millis, counter = last_millis + 1, 0
    clock = make_clock(millis, counter, device)
    set_state(conn, "clock", clock)
    return clock


def witness(conn: sqlite3.Connection, clock: str) -> None:
    """Remember a clock from another device, so this device's next one is later."""
    last = state(conn, "clock")
    if last is None or split_clock(clock) > split_clock(last):
        set_state(conn, "clock", clock)


# Sealing ---------------------------------------------------------------------------------


def _pending_id(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM counters WHERE name = 'next_change'").fetchone()
    if row is None:
        raise sqlite3.OperationalError("the store has no change log (schema before 8)")
    return int(row[0])


def _next_seq(conn: sqlite3.Connection, device: str) -> int:
    row = conn.execute("SELECT max(seq) FROM changes WHERE device = ?", (device,)).fetchone()
    return int(row[0] or 0) + 1


def insert_change(conn: sqlite3.Connection, change_id: int, entry: Entry) -> None:
    seen = json.dumps(entry.seen, separators=(",", ":")) if entry.seen else None
    conn.execute(
        "INSERT INTO changes (id, clock, device, seq, at, command, undoes, seen)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (change_id, entry.clock, entry.device, entry.seq, entry.at, entry.command, entry.undoes,
         seen),
    )  # fmt: skip


def _record(conn: sqlite3.Connection, entry: Entry) -> int:
    change_id = _pending_id(conn)
    insert_change(conn, change_id, entry)
    conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'next_change'")
    return change_id


def seal(
    conn: sqlite3.Connection,
    *,
    command: str | None = None,
    undoes: str | None = None,
    default: bool = False,
    always: bool = False,
    lowest: bool = False,
) -> str | None:
    """Make the operations recorded so far in this transaction one entry; its clock, or
    None when nothing changed (`always` makes an entry even then: an undo whose rows were
    already back). A `default` entry (the challenge rc makes by itself) and a `lowest` one
    (the store as it was before its history was recorded) get the lowest clock there is,
    so anything a person did on any device wins over them."""
    change_id = _pending_id(conn)
    found = conn.execute(
        "SELECT 1 FROM change_ops WHERE change_id = ? LIMIT 1", (change_id,)
    ).fetchone()
    if found is None and not always:
        return None
    device = device_id(conn)
    seq = _next_seq(conn, device)
    when = now()
    clock = make_clock(0, seq, device) if default or lowest else tick(conn, device, when)
    text = DEFAULT_CHALLENGE if default else (command or "rc")
    at = when.isoformat(timespec="seconds")
    _record(conn, Entry(clock, device, seq, at, text, undoes, [], device_states(conn, "seen")))
    conn.execute(
        "UPDATE change_ops SET clock = ? WHERE change_id = ? AND clock IS NOT ?",
        (clock, change_id, clock),
    )
    return clock


def next_change_id(conn: sqlite3.Connection, value: int | None = None) -> int:
    """The id the next entry gets; with `value`, set it."""
    if value is not None:
        conn.execute("UPDATE counters SET value = ? WHERE name = 'next_change'", (value,))
        return value
    return _pending_id(conn)


def store_ops(
    conn: sqlite3.Connection,
    change_id: int,
    clock: str,
    ops: Iterable[Op],
    keys: Sequence[str] | None = None,
) -> None:
    """Keep operations under an entry; `keys`, their key texts when known already."""

    def text(row: Row | None) -> str | None:
        return None if row is None else json.dumps(row, ensure_ascii=False)

    ops = list(ops)
    if keys is None:
        keys = [key_text(conn, op.key) for op in ops]
    conn.executemany(
        "INSERT INTO change_ops (change_id, tbl, key, old, new, clock) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (change_id, op.table, key, text(op.old), text(op.new), clock)
            for op, key in zip(ops, keys, strict=True)
        ],
    )


@contextmanager
def bulk(conn: sqlite3.Connection) -> Iterator[None]:
    """A bulk insert (rc import) inside the current transaction, without the per-row
    triggers of the log and of the plan's revision (1.6 s and 0.7 s of an import of
    100,000 papers): they are dropped and made again from their own SQL afterwards (DDL is
    transactional in SQLite), `record_inserted` logs the rows, and the plan's revision is
    bumped once."""
    saved = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        " AND (name LIKE 'log\\_%' ESCAPE '\\' OR name LIKE 'plan\\_%' ESCAPE '\\')"
    ).fetchall()
    for name, _ in saved:
        conn.execute(f"DROP TRIGGER {name}")
    yield
    for _, sql in saved:
        conn.execute(sql)
    conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'plan_revision'")


def record_op(conn: sqlite3.Connection, op: Op) -> None:
    """Add one operation to the pending entry by hand (a change made inside `bulk`)."""
    store_ops(conn, _pending_id(conn), "", [op])  # the clock comes with `seal`


def mute(conn: sqlite3.Connection, muted: bool = True) -> None:
    """Stop (or restart) the triggers recording rows, inside the current transaction."""
    conn.execute("UPDATE counters SET value = ? WHERE name = 'log_muted'", (int(muted),))


def high_water(conn: sqlite3.Connection) -> dict[str, int]:
    """The last rowid of every logged table: what `record_inserted` starts after."""
    return {
        table: int(conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0])
        for table in LOGGED
    }


def record_inserted(conn: sqlite3.Connection, since: dict[str, int]) -> None:
    """Record the rows inserted after `since` (high_water) as inserts of the pending entry,
    one statement a table (a bulk insert, rc import, is made with the triggers muted).

    Each is an insert "as stored" (`new` is `{}`): its key, not a copy of the row, which
    would double what an import of 100,000 papers writes. Undo needs only the key; the
    row's values are read when the entry goes into a sync file (`entry_lines`)."""
    change_id = _pending_id(conn)
    for table, (keys, _) in LOGGED.items():
        key = "json_array(" + ", ".join(keys) + ")"
        conn.execute(
            "INSERT INTO change_ops (change_id, tbl, key, old, new)"
            f" SELECT ?, ?, {key}, NULL, '{{}}' FROM {table} WHERE rowid > ? ORDER BY rowid",
            (change_id, table, since[table]),
        )


def drop_pending(conn: sqlite3.Connection) -> None:
    """Forget the operations recorded since the last entry (they are recorded otherwise)."""
    conn.execute("DELETE FROM change_ops WHERE change_id = ?", (_pending_id(conn),))


@functools.cache
def _plain() -> re.Pattern[str]:
    """Text that SQLite's JSON and Python's write alike (no quote, backslash or control)."""
    return re.compile(r'[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029]*\Z')


def key_text(conn: sqlite3.Connection, key: Sequence[Any]) -> str:
    """A key as the triggers write it (SQLite's own JSON), so both compare equal. Plain
    text and whole numbers are written alike by both (and here without the JSON encoder,
    which a sync of 100,000 entries would call 200,000 times); the rest is left to SQLite."""
    plain = _plain()
    parts = []
    for k in key:
        if isinstance(k, str) and plain.match(k):
            parts.append(f'"{k}"')
        elif isinstance(k, int) and not isinstance(k, bool):
            parts.append(str(k))
        else:
            marks = ", ".join("?" for _ in key)
            return str(conn.execute(f"SELECT json_array({marks})", list(key)).fetchone()[0])
    return "[" + ",".join(parts) + "]"


def child_range(key: str) -> tuple[str, str]:
    """The keys of a paper's links, readings, notes… as a range of key texts: a paper's
    key `["2401.00001"]` begins each of theirs (`["2401.00001","code"]`)."""
    prefix = key[:-1] + ","
    return prefix, prefix + "\U0010ffff"


# Reading ---------------------------------------------------------------------------------


def as_op(table: str, key: str, old: str | None, new: str | None) -> Op:
    return Op(
        table,
        json.loads(key),
        None if old is None else json.loads(old),
        None if new is None else json.loads(new),
    )


def ops_of(conn: sqlite3.Connection, change_id: int) -> list[Op]:
    rows = conn.execute(
        "SELECT tbl, key, old, new FROM change_ops WHERE change_id = ? ORDER BY id", (change_id,)
    )
    return [as_op(*row) for row in rows]


def op_count(conn: sqlite3.Connection, change_id: int) -> int:
    """How many rows one entry of the log changed."""
    row = conn.execute("SELECT count(*) FROM change_ops WHERE change_id = ?", (change_id,))
    return int(row.fetchone()[0])


def last_seq(conn: sqlite3.Connection, device: str) -> int:
    return _next_seq(conn, device) - 1


def has_clock(conn: sqlite3.Connection, clock: str) -> bool:
    return conn.execute("SELECT 1 FROM changes WHERE clock = ?", (clock,)).fetchone() is not None


# Rows ------------------------------------------------------------------------------------


def _where(table: str) -> str:
    return " AND ".join(f"{k} = ?" for k in LOGGED[table][0])


@functools.cache
def _select_row(table: str) -> str:
    return f"SELECT {', '.join(LOGGED[table][1])} FROM {table} WHERE {_where(table)}"


def row_of(conn: sqlite3.Connection, table: str, key: Sequence[Any]) -> Row | None:
    row = conn.execute(_select_row(table), list(key)).fetchone()
    return None if row is None else dict(zip(LOGGED[table][1], row, strict=True))


def insert_row(conn: sqlite3.Connection, table: str, row: Row) -> None:
    names = [c for c in LOGGED[table][1] if c in row]
    conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        [row[c] for c in names],
    )


def update_row(conn: sqlite3.Connection, table: str, key: Sequence[Any], fields: Row) -> None:
    if fields:
        sets = ", ".join(f"{f} = ?" for f in fields)
        conn.execute(f"UPDATE {table} SET {sets} WHERE {_where(table)}", [*fields.values(), *key])


def delete_row(conn: sqlite3.Connection, table: str, key: Sequence[Any]) -> None:
    conn.execute(f"DELETE FROM {table} WHERE {_where(table)}", list(key))
