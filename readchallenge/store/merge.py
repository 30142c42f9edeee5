"""The merged history of every device: another device's entries applied (rc sync), and
this device's own reverted (rc undo). docs/sync.md states the rules.

For each field the operation with the latest clock wins; the latest insert or removal
decides whether a row exists; a removed paper takes everything that belonged to it, and
what another device wrote to it after the removal is reported on every device, not kept
silently (an undo of the removal brings it back). Each query here is one range of the
index on (table, key, clock), so applying N entries costs N of them, however many
operations a row had before.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from readchallenge.core.schema import LOGGED
from readchallenge.core.text import device_name
from readchallenge.store.entries import Entry, Op, Row
from readchallenge.store.history import child_ops_after, ops_after, ops_before, removal_before
from readchallenge.store.log import (
    PAPER_CHILDREN,
    as_op,
    child_range,
    delete_row,
    has_clock,
    insert_change,
    insert_row,
    key_text,
    last_seq,
    mute,
    next_change_id,
    row_of,
    set_state,
    state,
    store_ops,
    update_row,
    witness,
)

# Fields that say when, not what: a later one winning is no conflict worth a line.
STAMPS = frozenset(("updated_at", "read_at", "created_at", "fetched_at", "looked_up_at"))
SETTLED = "rc sync (days planned on two devices"  # the start of a settled day's entry
CHILD_WORDS = {
    "links": "link", "plan": "day in the plan", "readings": "reading", "notes": "note",
    "takeaways": "takeaway", "hf_pages": "Hugging Face page",
}  # fmt: skip
LAST = "\U0010ffff"  # later than every clock


def paper_label(conn: sqlite3.Connection, paper_id: str, row: Row | None = None) -> str:
    if row is None:
        found = conn.execute("SELECT name FROM papers WHERE id = ?", (paper_id,)).fetchone()
        row = {"name": found[0]} if found else {}
    return str(row.get("name") or row.get("title") or paper_id)


def _describe(conn: sqlite3.Connection, op: Op) -> str:
    if op.table == "papers" or op.table in PAPER_CHILDREN:
        return paper_label(conn, str(op.key[0]))
    if op.table == "challenge":
        return "the challenge"
    return f"{op.table.rstrip('s')} {'/'.join(str(k) for k in op.key)}"


def _kinds(tables: Sequence[str]) -> str:
    words = [CHILD_WORDS[t] for t in PAPER_CHILDREN if t in tables]
    return ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1]


class Merge:
    """Applies entries from other devices so that every device ends with the same store,
    whatever order the entries arrive in."""

    def __init__(self, conn: sqlite3.Connection, own_device: str) -> None:
        self.conn = conn
        self.own = own_device
        self.notes: list[str] = []
        self._seen_own = 0  # the last own entry the device of the entry at hand had seen
        self._seen: dict[str, int] = {}  # and what it had seen of every device
        self._own_last = last_seq(conn, own_device)
        self._change_id = 0  # the entry whose parts are being applied
        self._next_id = next_change_id(conn)  # counted here, stored at the end
        self._papers: dict[str, bool] = {}  # whether a paper is in the store, once looked up
        self._days: set[str] = set()  # the days the entries applied planned a paper on
        # Papers written to before they arrived (kept from one sync to the next).
        self._waiting: set[str] = set(json.loads(state(conn, "waiting") or "[]"))
        # Fields set on two devices, reported at the end: (kind, table, key, field, device).
        self._clashes: dict[tuple[str, str, str, str, str], str] = {}
        self._reporting = True
        self.newest = ""
        # The entries are kept as written (record_entry), not as the triggers would see them.
        mute(conn)

    # Entries -----------------------------------------------------------------------------

    def apply(self, entry: Entry, *, continued: bool = False) -> bool:
        """Apply one entry (or, `continued`, the next part of the one before); whether it
        was new here."""
        if continued:
            if not self._change_id:
                return False  # the rest of an entry this device already had
            keys = self._apply_ops(entry)
            store_ops(self.conn, self._change_id, entry.clock, entry.ops, keys)
            return True
        self._change_id = 0
        try:  # the entry first: one this store has already is known by its clock
            insert_change(self.conn, self._next_id, entry)
        except sqlite3.IntegrityError:
            if has_clock(self.conn, entry.clock):
                return False
            raise
        self._change_id = self._next_id
        self._next_id += 1
        keys = self._apply_ops(entry)
        store_ops(self.conn, self._change_id, entry.clock, entry.ops, keys)
        if entry.clock > self.newest:
            self.newest = entry.clock
        return True

    def _apply_ops(self, entry: Entry) -> list[str]:
        """Apply an entry's operations; their key texts."""
        self._seen_own = entry.seen.get(self.own, 0)
        self._seen = entry.seen
        settled = entry.command.startswith(SETTLED)
        keys = []
        for op in entry.ops:
            if settled and op.table == "plan" and op.new is None:
                self._report_settled(op, entry.device)
            key = key_text(self.conn, op.key)
            keys.append(key)
            self._apply(op, entry.clock, entry.device, key)
        return keys

    def finish(self) -> None:
        """After the last entry: this device's own changes are logged again, and its next
        clock is later than all of the entries'."""
        mute(self.conn, False)
        next_change_id(self.conn, self._next_id)
        set_state(
            self.conn, "waiting", json.dumps(sorted(self._waiting)) if self._waiting else None
        )
        if self.newest:
            witness(self.conn, self.newest)
        self._report_clashes()

    # One operation -----------------------------------------------------------------------

    def _parent_missing(self, table: str, key: Sequence[Any]) -> bool:
        if table not in PAPER_CHILDREN:
            return False
        known = self._papers.get(key[0])
        if known is None:
            found = self.conn.execute("SELECT 1 FROM papers WHERE id = ?", (key[0],)).fetchone()
            known = self._papers[key[0]] = found is not None
        return not known

    def _apply(self, op: Op, clock: str, device: str, key: str | None = None) -> None:
        conn = self.conn
        key = key or key_text(conn, op.key)
        if op.table == "plan" and op.new is not None:
            self._days.add(str(op.new["day"]))
        later = ops_after(conn, op.table, key, clock)
        decided = [lat for lat in later if lat[0].old is None or lat[0].new is None]
        present = row_of(conn, op.table, op.key)
        if op.new is None:
            if decided:
                if op.table == "papers":
                    self._cascade_before(op.key[0], clock)
                return
            if present is not None:
                if op.table == "papers":
                    self._report_removal(key, present, clock, device)
                    self._papers[op.key[0]] = False
                delete_row(conn, op.table, op.key)
            return
        if present is None:
            if decided:
                return
            if self._parent_missing(op.table, op.key):
                self._orphan(op, key, clock, device)
                return
            if op.old is not None:  # a change to a row this store does not have
                before = self._last_existence_before(op.table, key, clock)
                if before is not None and before.new is None:
                    return  # removed before it was changed: the removal stands
            insert_row(conn, op.table, op.new)
            for later_op, *_ in later:  # changes that came while the row was not here
                if later_op.new is not None:
                    fields = {f: later_op.new[f] for f in later_op.sets}
                    update_row(conn, op.table, op.key, fields)
            if op.table == "papers":
                self._papers[op.key[0]] = True
                self.replay_children(key, clock)
            return
        self._update(op, key, clock, device, present, later)

    def _update(
        self,
        op: Op,
        key: str,
        clock: str,
        device: str,
        present: Row,
        later: list[tuple[Op, str, str, int]],
    ) -> None:
        assert op.new is not None
        taken_later: dict[str, tuple[str, int]] = {}
        for later_op, _, later_device, later_seq in later:
            for name in later_op.gives:
                taken_later[name] = (later_device, later_seq)
        keys = LOGGED[op.table][0]
        fields = {}
        for name in sorted(op.gives - set(keys)):
            if name in taken_later:
                winner, winner_seq = taken_later[name]
                if (
                    winner == self.own
                    and winner_seq > self._seen_own
                    and present.get(name) != op.new[name]
                ):
                    self._clash("kept", op, key, name, device)
                continue
            if present.get(name) != op.new[name]:
                fields[name] = op.new[name]
                if self._own_unseen(op.table, key, name):
                    self._clash("took", op, key, name, device)
        update_row(self.conn, op.table, op.key, fields)

    def _last_existence_before(self, table: str, key: str, clock: str) -> Op | None:
        for earlier in ops_before(self.conn, table, key, clock):
            if earlier.old is None or earlier.new is None:
                return earlier
        return None

    def _cascade_before(self, paper_id: str, clock: str) -> None:
        """A removal that lost to a later re-add still removed what the paper had then."""
        for table in PAPER_CHILDREN:
            keys = LOGGED[table][0]
            for values in self.conn.execute(
                f"SELECT {', '.join(keys)} FROM {table} WHERE paper_id = ?", (paper_id,)
            ).fetchall():
                key = key_text(self.conn, values)
                newest = self.conn.execute(
                    "SELECT max(clock) FROM change_ops WHERE tbl = ? AND key = ? AND old IS NULL",
                    (table, key),
                ).fetchone()[0]
                if newest is None or newest < clock:
                    delete_row(self.conn, table, values)

    def replay_children(self, key: str, clock: str) -> None:
        """A paper that comes (back) brings what was written to it while it was not here:
        after its last removal before `clock` (on a device that had not seen the removal
        yet), or before it arrived at all (its entries came out of order, as they do when
        a device sends its history again). A paper neither removed nor waited for has
        nothing waiting, and costs no look."""
        paper_id = str(json.loads(key)[0])
        removal = removal_before(self.conn, key, clock)
        waited = paper_id in self._waiting
        if removal is None and not waited:
            return
        self._waiting.discard(paper_id)
        since = removal[0] if removal is not None else ""
        reporting, self._reporting = self._reporting, False
        try:
            for table, child_key, old, new, child_clock, device, _ in child_ops_after(
                self.conn, key, since
            ):
                if old is None and new == "{}":
                    continue  # an insert "as stored" whose row went with the paper
                self._apply(as_op(table, child_key, old, new), child_clock, device)
        finally:
            self._reporting = reporting

    # What rc sync reports ------------------------------------------------------------------

    def _own_unseen(self, table: str, key: str, name: str) -> bool:
        """Whether this device set `name` of the row in a change the other had not seen."""
        if self._own_last <= self._seen_own:
            return False  # this device made nothing the other had not seen
        row = self.conn.execute(
            "SELECT clock FROM changes WHERE device = ? AND seq > ? ORDER BY seq LIMIT 1",
            (self.own, self._seen_own),
        ).fetchone()
        if row is None:
            return False
        for old, new in self.conn.execute(
            "SELECT o.old, o.new FROM change_ops o JOIN changes c ON c.id = o.change_id"
            " WHERE o.tbl = ? AND o.key = ? AND o.clock >= ? AND c.device = ?",
            (table, key, row[0], self.own),
        ).fetchall():
            if name in as_op(table, key, old, new).gives:
                return True
        return False

    def _clash(self, kind: str, op: Op, key: str, name: str, device: str) -> None:
        """A field both devices set without seeing the other's: reported once everything
        is applied, and only if the two devices' values really differ."""
        if self._reporting and name not in STAMPS:
            self._clashes.setdefault((kind, op.table, key, name, device), _describe(self.conn, op))

    def _latest(self, table: str, key: str, name: str, device: str) -> tuple[bool, Any]:
        """The last value `device` gave the field (and whether it gave one)."""
        for new, old in self.conn.execute(
            "SELECT o.new, o.old FROM change_ops o JOIN changes c ON c.id = o.change_id"
            " WHERE o.tbl = ? AND o.key = ? AND c.device = ? AND o.new IS NOT NULL"
            " ORDER BY o.clock DESC, o.id DESC",
            (table, key, device),
        ):
            op = as_op(table, key, old, new)
            if name in op.gives and op.new is not None:
                return True, op.new[name]
        return False, None

    def _report_clashes(self) -> None:
        for (kind, table, key, name, device), label in self._clashes.items():
            present = row_of(self.conn, table, as_op(table, key, None, None).key)
            if present is None:
                continue
            mine = device if kind == "kept" else self.own
            known, value = self._latest(table, key, name, mine)
            if known and value == present.get(name):
                continue  # both devices ended with the same value: nothing to report
            other = device_name(device)
            what = (
                f"kept this device's (set later) over {other}'s"
                if kind == "kept"
                else f"took {other}'s (set later) over this device's"
            )
            self.notes.append(f"{label}, {name}: {what}")
        self._clashes.clear()

    def _report_removal(self, key: str, paper: Row, clock: str, device: str) -> None:
        """A removal from another device takes what was written to the paper where it had
        not been seen (its device had not seen that writing): say so, since that work goes
        too, on this device and on any other that has it."""
        if not self._reporting:
            return
        low, high = child_range(key)
        unseen = set()
        for table in PAPER_CHILDREN:
            if table == "hf_pages":
                continue  # what rc looked up, not what someone wrote
            for writer, seq in self.conn.execute(
                "SELECT c.device, max(c.seq) FROM change_ops o JOIN changes c"
                " ON c.id = o.change_id WHERE o.tbl = ? AND (o.key = ? OR (o.key >= ?"
                " AND o.key < ?)) AND o.new IS NOT NULL AND c.device != ? GROUP BY c.device",
                (table, key, low, high, device),
            ):
                if seq > self._seen.get(writer, 0):
                    unseen.add(table)
        if unseen:
            self.notes.append(
                f"{paper_label(self.conn, str(paper['id']), paper)} was removed on "
                f"{device_name(device)}: its {_kinds(sorted(unseen))} written meanwhile went "
                f"with it (rc undo on {device_name(device)} brings them back)"
            )

    def _orphan(self, op: Op, key: str, clock: str, device: str) -> None:
        """What was written to a paper this store does not have: if the paper was removed
        before, not kept, and said; otherwise the paper has not arrived yet, and what was
        written to it waits for it (kept in the log, replayed when the paper comes)."""
        paper_key = key_text(self.conn, [op.key[0]])
        removal = removal_before(self.conn, paper_key, clock)
        if removal is None:
            self._waiting.add(str(op.key[0]))
            return
        if not self._reporting or op.table == "hf_pages":
            return
        label = paper_label(self.conn, str(op.key[0]), removal[1])
        note = (
            f"{label} was removed before {device_name(device)} wrote its "
            f"{CHILD_WORDS[op.table]}: not kept (an undo of the removal brings it back)"
        )
        if note not in self.notes:
            self.notes.append(note)

    def _report_settled(self, op: Op, device: str) -> None:
        """A day another device settled: reported here too, when its result arrives."""
        if not self._reporting or op.old is None:
            return
        day = op.old.get("day")
        kept = self.conn.execute(
            "SELECT paper_id FROM plan WHERE day = ? AND paper_id != ?", (day, op.key[0])
        ).fetchone()
        kept_name = f"kept {paper_label(self.conn, kept[0])} (planned later), " if kept else ""
        self.notes.append(
            f"{day} was planned on two devices: {device_name(device)} {kept_name}moved "
            f"{paper_label(self.conn, str(op.key[0]))} to the backlog"
        )

    def settle_days(self, per_day: int) -> list[str]:
        """A day planned on two devices keeps the later plan; the others go to the backlog.
        Only the days another device's entries planned are looked at: a day this device
        crowded by itself (`rc plan move --force`, a smaller `--per-day`) is the user's."""
        moved = []
        crowded = [
            (day,)
            for day in sorted(self._days)
            if self.conn.execute("SELECT count(*) FROM plan WHERE day = ?", (day,)).fetchone()[0]
            > per_day
        ]
        for (day,) in crowded:
            planned = []
            for (paper_id,) in self.conn.execute(
                "SELECT paper_id FROM plan WHERE day = ?", (day,)
            ).fetchall():
                key = key_text(self.conn, [paper_id])
                newest = self.conn.execute(
                    "SELECT max(clock) FROM change_ops WHERE tbl = 'plan' AND key = ?"
                    " AND new IS NOT NULL"
                    " AND (old IS NULL OR json_extract(old, '$.day') IS NOT NULL)",
                    (key,),
                ).fetchone()[0]
                planned.append((newest or "", paper_id))
            if len({clock.rsplit(".", 1)[-1] for clock, _ in planned}) < 2:
                continue  # crowded by one device (rc plan move --force): that user's choice
            planned.sort(reverse=True)
            kept = [p for _, p in planned[:per_day]]
            for _, paper_id in planned[per_day:]:
                delete_row(self.conn, "plan", [paper_id])
                moved.append(paper_id)
                self.notes.append(
                    f"{day} was planned on two devices: kept {paper_label(self.conn, kept[0])}"
                    f" (planned later), moved {paper_label(self.conn, paper_id)} to the backlog"
                )
        return moved
