"""An entry of the change log as a line of a sync file: written, read back and checked.

Every line that arrives from another device is checked before anything is applied: its
shape (the fields of an entry and of each operation), its clock (well formed, owned by its
device, and one this device can still advance past) and every value by the rules an import
is checked against (`core/records.py`). docs/sync.md describes the format.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, NamedTuple

from readchallenge.core.records import RULES, JsonObject
from readchallenge.core.records import Row as Row
from readchallenge.core.schema import LOGGED

# The format of a line: 1, one line an entry in one file a device (read as before); 2, the
# same entry, in closed chunks, where a large entry continues on the next lines (`more`).
FORMAT = 2
READ_FORMATS = (1, 2)
DEVICE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}\Z")
CLOCK = re.compile(r"(\d{15})\.(\d{6})\.(.+)\Z", re.DOTALL)
# A clock further ahead of this machine's than this is refused: adopted, it would hold
# every later clock of this device there (a device whose clock is off by hours or days
# still syncs).
AHEAD_LIMIT_MS = 366 * 24 * 3600 * 1000
MAX_SEQ = 1 << 62
MAX_TEXT = 10_000  # characters of an entry's command line or time
MAX_SEEN = 10_000  # devices an entry may name in `seen`


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

    @property
    def gives(self) -> set[str]:
        """The fields this operation gives a value to in a merge: an insert's empty (NULL)
        fields give nothing, so a row made on two devices at once keeps what either wrote
        (a note's description is not lost to a note made elsewhere for a takeaway)."""
        if self.old is None and self.new:
            return {f for f, v in self.new.items() if v is not None}
        return self.sets

    def to_json(self) -> JsonObject:
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
    # The entry goes on in the next line (a large entry is written a part a line).
    more: bool = False

    def line_of(self, ops: list[str]) -> str:
        """`to_line` of this entry with `ops`, operations written as JSON text already
        (`Op.to_json` as the store reads it), spliced in as they are."""
        data = self._replace(ops=[]).to_line()
        head, _, tail = data.partition('"ops":[]')  # the first: the fields before are fixed
        return f'{head}"ops":[{",".join(ops)}]{tail}'

    def to_line(self) -> str:
        data: JsonObject = {
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
        if self.more:
            data["more"] = True
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def moved_line(device: str) -> str:
    """The last line of a device's single file once it writes chunks: an older rc that
    reads it says it was written by a newer rc, instead of missing what follows."""
    return json.dumps({"rc": FORMAT, "moved": f"changes/{device}/"}) + "\n"


class EntryError(ValueError):
    """A line of a sync file that is not an entry this rc can apply."""


def split_clock(clock: str) -> tuple[int, int]:
    millis, counter, _ = clock.split(".", 2)
    return int(millis), int(counter)


def make_clock(millis: int, counter: int, device: str) -> str:
    """A clock sorts as text: fixed-width milliseconds, a counter, then the device."""
    return f"{millis:015d}.{counter:06d}.{device}"


def _clock_problem(clock: Any, device: str, now_ms: int) -> str | None:
    if not isinstance(clock, str):
        return "the clock is not text"
    match = CLOCK.match(clock)
    if match is None or match[3] != device:
        return f"the clock {clock[:60]!r} is not a clock of {device[:40]!r}"
    millis = int(match[1])
    if millis > now_ms + AHEAD_LIMIT_MS:
        years = (millis - now_ms) / (365.25 * 24 * 3600 * 1000)
        return (
            f"the clock {clock[:40]!r} is {years:,.0f} years ahead of this machine's "
            "(rc refuses a clock more than a year ahead: fix the date on that device)"
        )
    return None


def _value_problem(table: str, name: str, value: Any) -> str | None:
    check = RULES[table].get(name)
    if check is None:
        return f"a {table} operation has an unknown field {str(name)[:40]!r}"
    problem = check(value)
    return None if problem is None else f"a {table} operation's {name} {problem}"


def _check_row(table: str, row: Any, what: str, whole: bool) -> Row | None:
    if row is None:
        return None
    if not isinstance(row, dict):
        raise EntryError(f"{what} of a {table} operation is not an object")
    for name, value in row.items():
        problem = _value_problem(table, name, value)
        if problem is not None:
            raise EntryError(problem)
    if whole:
        missing = [c for c in LOGGED[table][1] if c not in row]
        if missing:
            raise EntryError(f"{what} of a {table} operation has no {missing[0]!r}")
    return row


def _check_op(raw: Any) -> Op:
    if not isinstance(raw, dict) or not isinstance(raw.get("t"), str):
        raise EntryError("an operation is not an object with a table")
    table = raw["t"]
    if table not in LOGGED:
        raise EntryError(f"an operation names an unknown table {table[:40]!r}")
    key = raw.get("k")
    keys = LOGGED[table][0]
    if not isinstance(key, list) or len(key) != len(keys):
        raise EntryError(f"a {table} operation has a malformed key")
    old_raw, new_raw = raw.get("o"), raw.get("n")
    for name, value in zip(keys, key, strict=True):
        if isinstance(new_raw, dict) and new_raw.get(name) == value and name in new_raw:
            continue  # checked with the row, which must match the key
        problem = _value_problem(table, name, value)
        if problem is not None:
            raise EntryError(f"{problem} (in its key)")
    new = _check_row(table, new_raw, "the new row", whole=True)
    old = _check_row(table, old_raw, "the old row", whole=new is None)
    if old is None and new is None:
        raise EntryError(f"a {table} operation changes nothing")
    pairs = list(zip(keys, key, strict=True))
    for row in (old, new):
        if row is not None and any(k in row and row[k] != v for k, v in pairs):
            raise EntryError(f"a {table} operation's row does not match its key")
    return Op(table, key, old, new)


def _header(data: JsonObject, now_ms: int) -> tuple[Any, ...]:
    try:
        clock, device, seq, at, command = (
            data["clock"], data["device"], data["seq"], data["at"], data["command"]
        )  # fmt: skip
        undoes, raw_ops, seen = data.get("undoes"), data["ops"], data.get("seen", {})
    except KeyError as exc:
        raise EntryError(f"the entry has no {exc.args[0]!r}") from None
    if not isinstance(device, str) or not DEVICE.match(device):
        raise EntryError(f"the device {str(device)[:40]!r} is not a device id")
    problem = _clock_problem(clock, device, now_ms)
    if problem is not None:
        raise EntryError(problem)
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq < MAX_SEQ:
        raise EntryError("the entry's seq is not a whole number from 1")
    if not isinstance(at, str) or len(at) > 64:
        raise EntryError("the entry's time is not a time")
    try:
        datetime.fromisoformat(at)
    except ValueError:
        raise EntryError(f"the entry's time {at[:40]!r} is not a time") from None
    if not isinstance(command, str) or len(command) > MAX_TEXT:
        raise EntryError("the entry's command is not text (or longer than 10,000 characters)")
    if undoes is not None and (not isinstance(undoes, str) or CLOCK.match(undoes) is None):
        raise EntryError("the entry's undoes is not a clock")
    if not isinstance(raw_ops, list):
        raise EntryError("the entry's ops is not a list")
    if not (
        isinstance(seen, dict)
        and len(seen) <= MAX_SEEN
        and all(
            isinstance(k, str)
            and isinstance(v, int)
            and not isinstance(v, bool)
            and 0 <= v < MAX_SEQ
            for k, v in seen.items()
        )
    ):
        raise EntryError("the entry's seen is not a map of devices to numbers")
    more = data.get("more", False)
    if not isinstance(more, bool):
        raise EntryError("the entry's more is not true or false")
    return clock, device, seq, at, command, undoes, raw_ops, seen, more


def parse_entry(line: str, now_ms: int) -> Entry | None:
    """One line of a sync file, checked field by field and value by value; None for the
    line that says a device's single file moved to chunks."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        raise EntryError("not JSON (a truncated or damaged line)") from None
    if not isinstance(data, dict):
        raise EntryError("not an entry")
    version = data.get("rc")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT:
        raise EntryError(f"written by a newer rc (entry format {version}); upgrade rc here")
    if version not in READ_FORMATS or isinstance(version, bool):
        raise EntryError("not an rc entry")
    if "moved" in data and version == FORMAT:
        return None
    clock, device, seq, at, command, undoes, raw_ops, seen, more = _header(data, now_ms)
    ops = [_check_op(raw) for raw in raw_ops]
    return Entry(clock, device, seq, at, command, undoes, ops, seen, more)
