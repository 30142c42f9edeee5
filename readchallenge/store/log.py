"""The change log: each transaction's row operations sealed into one entry, read back,
reverted (rc undo) and merged from another device (rc sync). docs/sync.md has the rules.

Triggers (migration 8) write every row's old and new values into `change_ops` under the id
that `counters.next_change` holds. `seal` turns those operations into an entry of `changes`
with this device's id, a hybrid logical clock and the command line; `db.transaction` calls it
just before COMMIT, so an entry and its change are one.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NamedTuple

from readchallenge.store.migrations import LOGGED

FORMAT = 1  # the version of an entry as written to a sync file
PAPER_CHILDREN = ("links", "plan", "readings", "notes", "takeaways", "hf_pages")
DEFAULT_CHALLENGE = "(the default challenge)"
# Fields that say when, not what: a later one winning is no conflict worth a line.
STAMPS = frozenset(("updated_at", "read_at", "created_at", "fetched_at", "looked_up_at"))

Row = dict[str, Any]


class Op(NamedTuple):
    """One row operation: `old` is None for an insert, `new` None for a removal."""

    table: str
    key: list[Any]
    old: Row | None
    new: Row | None

    @property
    def sets(self) -> set[str]:
        """The fields this operation gives a value to."""
        if self.new is None:
            return set()
        if self.old is None:
            return set(self.new) if self.new else set(LOGGED[self.table][1])
        return {f for f, v in self.old.items() if self.new.get(f) != v}

    def to_json(self) -> dict[str, Any]:
        old = self.old
        if old is not None and self.new is not None:
            old = {f: old[f] for f in sorted(self.sets)}
        return {"t": self.table, "k": self.key, "o": old, "n": self.new}


class Entry(NamedTuple):
    clock: str
    device: str
    seq: int
    at: str
    command: str
    undoes: str | None
    ops: list[Op]
    # What the writing device had applied from each other device (its last seq) when it
    # made this entry: an own change it had not seen is a concurrent one, a conflict.
    seen: dict[str, int] = {}  # noqa: RUF012 -- NamedTuple default, never mutated

    def to_json(self) -> dict[str, Any]:
        return {
            "rc": FORMAT,
            "clock": self.clock,
            "device": self.device,
            "seq": self.seq,
            "at": self.at,
            "command": self.command,
            "undoes": self.undoes,
            "ops": [op.to_json() for op in self.ops],
            "seen": self.seen,
        }


class EntryError(ValueError):
    """A line of a sync file that is not an entry this rc can apply."""


# Devices and clocks ----------------------------------------------------------------------


def _state(conn: sqlite3.Connection, name: str) -> str | None:
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


def state(conn: sqlite3.Connection, name: str) -> str | None:
    return _state(conn, name)


def device_states(conn: sqlite3.Connection, kind: str) -> dict[str, int]:
    """A number kept for each other device (`applied`, `seen`), by device id."""
    prefix = f"{kind}:"
    rows = conn.execute(
        "SELECT name, value FROM sync_state WHERE substr(name, 1, ?) = ?", (len(prefix), prefix)
    )
    return {name[len(prefix) :]: int(value or 0) for name, value in rows}


def op_count(conn: sqlite3.Connection, change_id: int) -> int:
    """How many rows one entry of the log changed."""
    row = conn.execute("SELECT count(*) FROM change_ops WHERE change_id = ?", (change_id,))
    return int(row.fetchone()[0])


def device_name(name: str) -> str:
    """A device id's readable part: `laptop` for `laptop-3f9a2c`."""
    return name.rsplit("-", 1)[0] if "-" in name else name


def device_id(conn: sqlite3.Connection) -> str:
    """This store's device id, made on first use from RC_DEVICE or the host name."""
    existing = _state(conn, "device")
    if existing is not None:
        return existing
    import re
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


def _split(clock: str) -> tuple[int, int]:
    millis, counter, _ = clock.split(".", 2)
    return int(millis), int(counter)


def make_clock(millis: int, counter: int, device: str) -> str:
    """A clock sorts as text: fixed-width milliseconds, a counter, then the device."""
    return f"{millis:015d}.{counter:06d}.{device}"


def tick(conn: sqlite3.Connection, device: str, now: datetime) -> str:
    """The next hybrid logical clock of this device: later than every clock it has seen."""
    millis = int(now.timestamp() * 1000)
    last = _state(conn, "clock")
    counter = 0
    if last is not None:
        last_millis, last_counter = _split(last)
        if last_millis >= millis:
            millis, counter = last_millis, last_counter + 1
    clock = make_clock(millis, counter, device)
    set_state(conn, "clock", clock)
    return clock


def witness(conn: sqlite3.Connection, clock: str) -> None:
    """Remember a clock from another device, so this device's next one is later."""
    last = _state(conn, "clock")
    if last is None or _split(clock) > _split(last):
        set_state(conn, "clock", clock)


# Sealing ---------------------------------------------------------------------------------


def _pending_id(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM counters WHERE name = 'next_change'").fetchone()
    if row is None:
        raise sqlite3.OperationalError("the store has no change log (schema before 8)")
    return int(row[0])


def _command() -> str:
    import shlex

    from readchallenge import store

    argv = store.command_line if store.command_line is not None else sys.argv[1:]
    return shlex.join(["rc", *argv])


def _next_seq(conn: sqlite3.Connection, device: str) -> int:
    row = conn.execute("SELECT max(seq) FROM changes WHERE device = ?", (device,)).fetchone()
    return int(row[0] or 0) + 1


def _record(conn: sqlite3.Connection, entry: Entry) -> int:
    change_id = _pending_id(conn)
    conn.execute(
        "INSERT INTO changes (id, clock, device, seq, at, command, undoes)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (change_id, entry.clock, entry.device, entry.seq, entry.at, entry.command, entry.undoes),
    )
    conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'next_change'")
    return change_id


def seal(
    conn: sqlite3.Connection,
    *,
    command: str | None = None,
    undoes: str | None = None,
    default: bool = False,
    always: bool = False,
) -> str | None:
    """Make the operations recorded so far in this transaction one entry; its clock, or
    None when nothing changed (`always` makes an entry even then: an undo whose rows were
    already back). A `default` entry (the challenge rc makes by itself) gets the
    lowest clock there is, so anything a person set on any device wins over it."""
    change_id = _pending_id(conn)
    found = conn.execute(
        "SELECT 1 FROM change_ops WHERE change_id = ? LIMIT 1", (change_id,)
    ).fetchone()
    if found is None and not always:
        return None
    device = device_id(conn)
    seq = _next_seq(conn, device)
    when = now()
    clock = make_clock(0, seq, device) if default else tick(conn, device, when)
    text = DEFAULT_CHALLENGE if default else (command or _command())
    _record(conn, Entry(clock, device, seq, when.isoformat(timespec="seconds"), text, undoes, []))
    return clock


def record_entry(conn: sqlite3.Connection, entry: Entry) -> None:
    """Keep an entry whose operations were not made here (another device's, or a snapshot)
    as it is, with its operations as written."""
    _store_ops(conn, _record(conn, entry), entry.ops)


def _store_ops(conn: sqlite3.Connection, change_id: int, ops: Iterable[Op]) -> None:
    def text(row: Row | None) -> str | None:
        return None if row is None else json.dumps(row, ensure_ascii=False)

    conn.executemany(
        "INSERT INTO change_ops (change_id, tbl, key, old, new) VALUES (?, ?, ?, ?, ?)",
        [(change_id, op.table, key_text(conn, op.key), text(op.old), text(op.new)) for op in ops],
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
    _store_ops(conn, _pending_id(conn), [op])


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
    row's values are read when the entry goes into a sync file (entries_after)."""
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
    text and whole numbers are written alike by both; anything else is left to SQLite."""
    plain = _plain()
    if all(
        (isinstance(k, int) and not isinstance(k, bool)) or (isinstance(k, str) and plain.match(k))
        for k in key
    ):
        return json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))
    marks = ", ".join("?" for _ in key)
    return str(conn.execute(f"SELECT json_array({marks})", list(key)).fetchone()[0])


# Reading ---------------------------------------------------------------------------------


def _op(table: str, key: str, old: str | None, new: str | None) -> Op:
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
    return [_op(*row) for row in rows]


class Change(NamedTuple):
    id: int
    clock: str
    device: str
    seq: int
    at: str
    command: str
    undoes: str | None


_CHANGE_COLUMNS = "id, clock, device, seq, at, command, undoes"


def changes(
    conn: sqlite3.Connection, *, device: str | None = None, newest_first: bool = True
) -> Iterator[Change]:
    where, params = ("WHERE device = ?", [device]) if device else ("", [])
    order = "DESC" if newest_first else ""
    for row in conn.execute(
        f"SELECT {_CHANGE_COLUMNS} FROM changes {where} ORDER BY clock {order}", params
    ):
        yield Change(*row)


def change_by_clock(conn: sqlite3.Connection, clock: str) -> Change | None:
    row = conn.execute(
        f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE clock = ?", (clock,)
    ).fetchone()
    return None if row is None else Change(*row)


def entries_after(conn: sqlite3.Connection, device: str, seq: int) -> Iterator[Entry]:
    """This device's entries after `seq`, in order, for its sync file."""
    rows = conn.execute(
        f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE device = ? AND seq > ? ORDER BY seq",
        (device, seq),
    ).fetchall()
    for row in rows:
        change = Change(*row)
        ops = []
        for op in ops_of(conn, change.id):
            if op.old is None and op.new == {}:  # an insert "as stored" (record_inserted)
                row = row_of(conn, op.table, op.key)
                if row is None:
                    continue  # removed since: its removal is an entry of its own
                op = op._replace(new=row)
            ops.append(op)
        yield Entry(*change[1:], ops)  # an entry is a change without its local id


def last_seq(conn: sqlite3.Connection, device: str) -> int:
    return _next_seq(conn, device) - 1


def has_clock(conn: sqlite3.Connection, clock: str) -> bool:
    return conn.execute("SELECT 1 FROM changes WHERE clock = ?", (clock,)).fetchone() is not None


# Parsing a sync file's line ---------------------------------------------------------------


def _check_row(table: str, row: Any, what: str) -> Row | None:
    if row is None:
        return None
    if not isinstance(row, dict):
        raise EntryError(f"{what} of a {table} operation is not an object")
    unknown = set(row) - set(LOGGED[table][1])
    if unknown:
        raise EntryError(f"a {table} operation has an unknown field {sorted(unknown)[0]!r}")
    for value in row.values():
        if value is not None and not isinstance(value, (str, int, float)):
            raise EntryError(f"a {table} operation holds a value that is not text or a number")
    return row


def parse_entry(line: str) -> Entry:
    """One line of a sync file, checked field by field."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        raise EntryError("not JSON (a truncated or damaged line)") from None
    if not isinstance(data, dict):
        raise EntryError("not an entry")
    version = data.get("rc")
    if isinstance(version, int) and version > FORMAT:
        raise EntryError(f"written by a newer rc (entry format {version}); upgrade rc here")
    if version != FORMAT:
        raise EntryError("not an rc entry")
    try:
        clock, device, seq, at, command = (
            data["clock"], data["device"], data["seq"], data["at"], data["command"]
        )  # fmt: skip
        undoes, raw_ops, seen = data.get("undoes"), data["ops"], data.get("seen", {})
    except KeyError as exc:
        raise EntryError(f"the entry has no {exc.args[0]!r}") from None
    if not (
        isinstance(clock, str)
        and isinstance(device, str)
        and isinstance(seq, int)
        and isinstance(at, str)
        and isinstance(command, str)
        and (undoes is None or isinstance(undoes, str))
        and isinstance(raw_ops, list)
        and isinstance(seen, dict)
        and all(isinstance(k, str) and isinstance(v, int) for k, v in seen.items())
    ):
        raise EntryError("a field of the entry has the wrong type")
    try:
        millis, counter, owner = clock.split(".", 2)
        int(millis), int(counter)
    except ValueError:
        raise EntryError(f"the clock {clock[:40]!r} is not a clock") from None
    if owner != device or len(millis) != 15 or len(counter) != 6:
        raise EntryError(f"the clock {clock[:40]!r} is not a clock of {device[:40]!r}")
    ops = []
    for raw in raw_ops:
        if not isinstance(raw, dict) or not isinstance(raw.get("t"), str):
            raise EntryError("an operation is not an object with a table")
        table = raw["t"]
        if table not in LOGGED:
            raise EntryError(f"an operation names an unknown table {table[:40]!r}")
        key = raw.get("k")
        keys = LOGGED[table][0]
        if not isinstance(key, list) or len(key) != len(keys):
            raise EntryError(f"a {table} operation has a malformed key")
        old = _check_row(table, raw.get("o"), "the old row")
        new = _check_row(table, raw.get("n"), "the new row")
        if old is None and new is None:
            raise EntryError(f"a {table} operation changes nothing")
        if new is not None and [new.get(k) for k in keys] != key:
            raise EntryError(f"a {table} operation's row does not match its key")
        ops.append(Op(table, key, old, new))
    return Entry(clock, device, seq, at, command, undoes, ops, seen)


# Rows ------------------------------------------------------------------------------------


def _where(table: str) -> str:
    return " AND ".join(f"{k} = ?" for k in LOGGED[table][0])


def row_of(conn: sqlite3.Connection, table: str, key: Sequence[Any]) -> Row | None:
    columns = LOGGED[table][1]
    row = conn.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE {_where(table)}", list(key)
    ).fetchone()
    return None if row is None else dict(zip(columns, row, strict=True))


def _insert(conn: sqlite3.Connection, table: str, row: Row) -> None:
    names = [c for c in LOGGED[table][1] if c in row]
    conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        [row[c] for c in names],
    )


def _update(conn: sqlite3.Connection, table: str, key: Sequence[Any], fields: Row) -> None:
    if fields:
        sets = ", ".join(f"{f} = ?" for f in fields)
        conn.execute(f"UPDATE {table} SET {sets} WHERE {_where(table)}", [*fields.values(), *key])


def _delete(conn: sqlite3.Connection, table: str, key: Sequence[Any]) -> None:
    conn.execute(f"DELETE FROM {table} WHERE {_where(table)}", list(key))


def _only_default_challenge(conn: sqlite3.Connection) -> bool:
    """Whether the challenge is still the one rc made by itself (nobody changed it since)."""
    kinds = {
        command == DEFAULT_CHALLENGE
        for (command,) in conn.execute(
            "SELECT c.command FROM change_ops o JOIN changes c ON c.id = o.change_id"
            " WHERE o.tbl = 'challenge'"
        )
    }
    return kinds == {True}


def snapshot(
    conn: sqlite3.Connection, chunk: int = 500, *, skip_default_challenge: bool = False
) -> Iterator[list[Op]]:
    """The store's present state as inserts, a chunk at a time (rc sync --init). The default
    challenge is left out on request: its own entry, with the lowest clock, goes instead."""
    skip = skip_default_challenge and _only_default_challenge(conn)
    ops: list[Op] = []
    for table, (keys, columns) in LOGGED.items():
        if table == "challenge" and skip:
            continue
        for values in conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid"):
            row = dict(zip(columns, values, strict=True))
            ops.append(Op(table, [row[k] for k in keys], None, row))
            if len(ops) >= chunk:
                yield ops
                ops = []
    if ops:
        yield ops


# Undo ------------------------------------------------------------------------------------


def _earlier(conn: sqlite3.Connection, op: Op, clock: str) -> Iterator[Op]:
    """The operations on `op`'s row before `clock`, on every device, latest first."""
    rows = conn.execute(
        "SELECT o.old, o.new FROM change_ops o JOIN changes c ON c.id = o.change_id"
        " WHERE o.tbl = ? AND o.key = ? AND c.clock < ? ORDER BY c.clock DESC, o.id DESC",
        (op.table, key_text(conn, op.key), clock),
    )
    for old, new in rows:
        yield _op(op.table, "[]", old, new)


def _previous(conn: sqlite3.Connection, op: Op, clock: str) -> Row:
    """The values the fields `op` set had before it, in the merged history: each from the
    latest earlier operation that set it, on any device. That is the row's old value for a
    change made on top of this device's own, and the other device's value when the two were
    made at the same time and this one won: undoing it brings the other one back."""
    assert op.old is not None
    wanted, found = set(op.sets), {}
    for earlier in _earlier(conn, op, clock):
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
    for earlier in _earlier(conn, op, clock):
        if earlier.new is None or not earlier.new:
            return None  # removed then (or imported, without values): it did not exist
        for name in earlier.sets:
            found.setdefault(name, earlier.new[name])
        if earlier.old is None:  # its insert: every field is known from here
            return found
    return None


def revert(conn: sqlite3.Connection, change_id: int) -> None:
    """Apply the inverse of a change, newest operation first (foreign keys are checked at
    COMMIT, so a paper comes back before its links do)."""
    clock = conn.execute("SELECT clock FROM changes WHERE id = ?", (change_id,)).fetchone()[0]
    conn.execute("PRAGMA defer_foreign_keys = ON")
    for op in reversed(ops_of(conn, change_id)):
        if op.old is None:
            before = _row_before(conn, op, clock)
            if before is None:
                _delete(conn, op.table, op.key)
            else:  # inserted on two machines at once: the other one's row comes back
                keys = LOGGED[op.table][0]
                _update(conn, op.table, op.key, {f: v for f, v in before.items() if f not in keys})
        elif op.new is None:
            if row_of(conn, op.table, op.key) is None:
                _insert(conn, op.table, op.old)
        else:
            _update(conn, op.table, op.key, _previous(conn, op, clock))


def keys_of(conn: sqlite3.Connection, change_id: int) -> set[tuple[str, str]]:
    return set(
        conn.execute("SELECT DISTINCT tbl, key FROM change_ops WHERE change_id = ?", (change_id,))
    )


def later_from_others(conn: sqlite3.Connection, change: Change) -> Change | None:
    """The first change from another device, later than `change`, that touches a row it
    touched: undoing `change` would undo part of that one too."""
    row = conn.execute(
        f"SELECT {', '.join('c.' + c for c in _CHANGE_COLUMNS.split(', '))} FROM changes c"
        " JOIN change_ops o ON o.change_id = c.id"
        " WHERE c.clock > ? AND c.device != ? AND EXISTS (SELECT 1 FROM change_ops m"
        "   WHERE m.change_id = ? AND m.tbl = o.tbl AND m.key = o.key)"
        " ORDER BY c.clock LIMIT 1",
        (change.clock, change.device, change.id),
    ).fetchone()
    return None if row is None else Change(*row)


# Merging another device's entries --------------------------------------------------------


class Merge:
    """Applies entries from other devices so that every device ends with the same store,
    whatever order the entries arrive in: for each field the operation with the latest
    clock wins, and the latest insert or removal decides whether a row exists."""

    def __init__(self, conn: sqlite3.Connection, own_device: str) -> None:
        self.conn = conn
        self.own = own_device
        self.notes: list[str] = []
        self._seen_own = 0  # the last own entry the device of the entry at hand had seen
        self.newest = ""
        # The entries are kept as written (record_entry), not as the triggers would see them.
        mute(conn)

    def _later(self, table: str, key: str, clock: str) -> list[tuple[Op, str, str, int]]:
        rows = self.conn.execute(
            "SELECT o.old, o.new, c.clock, c.device, c.seq FROM change_ops o"
            " JOIN changes c ON c.id = o.change_id"
            " WHERE o.tbl = ? AND o.key = ? AND c.clock > ? ORDER BY c.clock, o.id",
            (table, key, clock),
        ).fetchall()
        return [(_op(table, key, old, new), c, d, s) for old, new, c, d, s in rows]

    def _last_existence_before(self, table: str, key: str, clock: str) -> Op | None:
        row = self.conn.execute(
            "SELECT o.old, o.new FROM change_ops o JOIN changes c ON c.id = o.change_id"
            " WHERE o.tbl = ? AND o.key = ? AND c.clock < ? AND (o.old IS NULL OR o.new IS NULL)"
            " ORDER BY c.clock DESC, o.id DESC LIMIT 1",
            (table, key, clock),
        ).fetchone()
        return None if row is None else _op(table, key, *row)

    def _parent_missing(self, table: str, key: Sequence[Any]) -> bool:
        if table not in PAPER_CHILDREN:
            return False
        return self.conn.execute("SELECT 1 FROM papers WHERE id = ?", (key[0],)).fetchone() is None

    def apply(self, entry: Entry) -> None:
        if has_clock(self.conn, entry.clock):
            return
        self._seen_own = entry.seen.get(self.own, 0)
        for op in entry.ops:
            self._apply(op, entry.clock, entry.device)
        self._seen_own = 1 << 62  # replays of stored operations report nothing
        record_entry(self.conn, entry)
        if entry.clock > self.newest:
            self.newest = entry.clock

    def finish(self) -> None:
        """After the last entry: this device's own changes are logged again, and its next
        clock is later than all of the entries'."""
        mute(self.conn, False)
        if self.newest:
            witness(self.conn, self.newest)

    def _apply(self, op: Op, clock: str, device: str) -> None:
        key = key_text(self.conn, op.key)
        later = self._later(op.table, key, clock)
        decided = [lat for lat in later if lat[0].old is None or lat[0].new is None]
        present = row_of(self.conn, op.table, op.key)
        if op.new is None:
            if decided:
                if op.table == "papers":
                    self._cascade_before(op.key[0], clock)
                return
            if present is not None:
                _delete(self.conn, op.table, op.key)
            return
        if present is None:
            if decided or self._parent_missing(op.table, op.key):
                return
            if op.old is not None:  # a change to a row this store does not have
                before = self._last_existence_before(op.table, key, clock)
                if before is not None and before.new is None:
                    return  # removed before it was changed: the removal stands
            _insert(self.conn, op.table, op.new)
            for later_op, *_ in later:  # changes that came while the row was not here
                if later_op.new is not None:
                    fields = {f: later_op.new[f] for f in later_op.sets}
                    _update(self.conn, op.table, op.key, fields)
            if op.table == "papers":
                self._replay_children(op.key[0], key, clock)
            return
        taken_later: dict[str, tuple[str, int]] = {}
        for later_op, _, later_device, later_seq in later:
            for name in later_op.sets:
                taken_later[name] = (later_device, later_seq)
        keys = LOGGED[op.table][0]
        fields = {}
        for name in sorted(op.sets - set(keys)):
            if name in taken_later:
                winner, winner_seq = taken_later[name]
                if winner == self.own and winner_seq > self._seen_own:
                    self._note(
                        op, name, f"kept this device's (set later) over {device_name(device)}'s"
                    )
                continue
            if present.get(name) != op.new[name]:
                fields[name] = op.new[name]
                if self._own_unseen(op.table, key, name):
                    self._note(
                        op, name, f"took {device_name(device)}'s (set later) over this device's"
                    )
        _update(self.conn, op.table, op.key, fields)

    def _cascade_before(self, paper_id: str, clock: str) -> None:
        """A removal that lost to a later re-add still removed what the paper had then."""
        for table in PAPER_CHILDREN:
            keys = LOGGED[table][0]
            for values in self.conn.execute(
                f"SELECT {', '.join(keys)} FROM {table} WHERE paper_id = ?", (paper_id,)
            ).fetchall():
                key = key_text(self.conn, values)
                newest = self.conn.execute(
                    "SELECT max(c.clock) FROM change_ops o JOIN changes c ON c.id = o.change_id"
                    " WHERE o.tbl = ? AND o.key = ? AND o.old IS NULL",
                    (table, key),
                ).fetchone()[0]
                if newest is None or newest < clock:
                    _delete(self.conn, table, values)

    def _replay_children(self, paper_id: str, key: str, clock: str) -> None:
        """A paper that comes back brings what was added to it after its last removal.
        (A paper never removed has nothing waiting: a device changes a paper only after it
        has the paper's insert, which therefore always arrives first, with an earlier clock.)"""
        removal = self.conn.execute(
            "SELECT max(c.clock) FROM change_ops o JOIN changes c ON c.id = o.change_id"
            " WHERE o.tbl = 'papers' AND o.key = ? AND o.new IS NULL AND c.clock < ?",
            (key, clock),
        ).fetchone()[0]
        if removal is None:
            return
        prefix = key[:-1] + ","  # '["2401.00001",' begins the keys of its links, readings...
        rows = []
        for table in PAPER_CHILDREN:
            rows += self.conn.execute(
                "SELECT o.tbl, o.key, o.old, o.new, c.clock, c.device, o.id FROM change_ops o"
                " JOIN changes c ON c.id = o.change_id"
                " WHERE o.tbl = ? AND (o.key = ? OR (o.key >= ? AND o.key < ?)) AND c.clock > ?",
                (table, key, prefix, prefix + "\U0010ffff", removal),
            ).fetchall()
        rows.sort(key=lambda r: (r[4], r[6]))
        for table, child_key, old, new, child_clock, child_device, _ in rows:
            if old is None and new == "{}":
                continue  # an insert "as stored" whose row went with the paper
            self._apply(_op(table, child_key, old, new), child_clock, child_device)

    # What rc sync reports ------------------------------------------------------------------

    def _own_unseen(self, table: str, key: str, name: str) -> bool:
        """Whether this device set `name` of the row in a change the other had not seen."""
        for old, new in self.conn.execute(
            "SELECT o.old, o.new FROM change_ops o JOIN changes c ON c.id = o.change_id"
            " WHERE o.tbl = ? AND o.key = ? AND c.device = ? AND c.seq > ?",
            (table, key, self.own, self._seen_own),
        ).fetchall():
            if name in _op(table, key, old, new).sets:
                return True
        return False

    def _note(self, op: Op, name: str, what: str) -> None:
        if name not in STAMPS:
            self.notes.append(f"{_describe(self.conn, op)}, {name}: {what}")

    def settle_days(self, per_day: int) -> list[str]:
        """A day planned on two devices keeps the later plan; the others go to the backlog."""
        moved = []
        crowded = self.conn.execute(
            "SELECT day FROM plan GROUP BY day HAVING count(*) > ? ORDER BY day", (per_day,)
        ).fetchall()
        for (day,) in crowded:
            planned = []
            for (paper_id,) in self.conn.execute(
                "SELECT paper_id FROM plan WHERE day = ?", (day,)
            ).fetchall():
                key = key_text(self.conn, [paper_id])
                newest = self.conn.execute(
                    "SELECT max(c.clock) FROM change_ops o JOIN changes c ON c.id = o.change_id"
                    " WHERE o.tbl = 'plan' AND o.key = ? AND o.new IS NOT NULL"
                    " AND (o.old IS NULL OR json_extract(o.old, '$.day') IS NOT NULL)",
                    (key,),
                ).fetchone()[0]
                planned.append((newest or "", paper_id))
            planned.sort(reverse=True)
            kept = [p for _, p in planned[:per_day]]
            for _, paper_id in planned[per_day:]:
                _delete(self.conn, "plan", [paper_id])
                moved.append(paper_id)
                self.notes.append(
                    f"{day} was planned on two devices: kept {_paper_label(self.conn, kept[0])}"
                    f" (planned later), moved {_paper_label(self.conn, paper_id)} to the backlog"
                )
        return moved


def _paper_label(conn: sqlite3.Connection, paper_id: str) -> str:
    row = conn.execute("SELECT name FROM papers WHERE id = ?", (paper_id,)).fetchone()
    return str(row[0]) if row and row[0] else paper_id


def _describe(conn: sqlite3.Connection, op: Op) -> str:
    if op.table == "papers" or op.table in PAPER_CHILDREN:
        return _paper_label(conn, str(op.key[0]))
    if op.table == "challenge":
        return "the challenge"
    return f"{op.table.rstrip('s')} {'/'.join(str(k) for k in op.key)}"


def parse_lines(lines: Iterable[tuple[int, str]], source: str) -> list[Entry]:
    """Entries of a sync file's new lines; the first bad one stops everything."""
    entries = []
    for number, line in lines:
        try:
            entries.append(parse_entry(line))
        except EntryError as exc:
            raise EntryError(f"{source} line {number}: {exc}") from None
    return entries
