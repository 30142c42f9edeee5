"""Backups, the full JSON export and its import, and BibTeX (sqlite3 only)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from readchallenge.config import Config
from readchallenge.core.records import Row, row_problem, unsafe_urls
from readchallenge.core.schema import SHARED
from readchallenge.core.text import escape_c1, is_http_url, printable
from readchallenge.errors import Conflict, RcError, StoreError, UsageError
from readchallenge.store import db, log, queries, writes
from readchallenge.store.migrations import LATEST

if TYPE_CHECKING:
    from readchallenge.core.schema import PaperRow

EXPORT_FORMAT = "rc-export"
EXPORT_VERSION = 1


def backup(cfg: Config, target: Path | None) -> Path:
    """A consistent copy of the store (SQLite's online backup), safe while rc is in use."""
    if target is None:
        folder = cfg.home / "backups"
        stem = f"rc-{cfg.today().isoformat()}"
        target = folder / f"{stem}.db"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{n}.db"
    elif target.exists():
        raise Conflict(f"{target} exists; choose another name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create folder {target.parent}: {exc.strerror}") from None
    with db.opened(cfg.db_path) as conn:
        try:
            db.copy(conn, target)
        except sqlite3.Error as exc:
            target.unlink(missing_ok=True)
            raise StoreError(f"cannot write backup {target}: {exc}") from None
    return target


EXPORT_CHUNK = 500  # rows written together


def export_json(cfg: Config, ignored: list[str] | None = None) -> Iterator[str]:
    """Everything in the store, table by table in a stable order, as the pieces of one JSON
    document (`json.dumps(..., indent=1)` of it, byte for byte, with DEL and C1 controls
    escaped too), read row by row and handed out a few hundred rows at a time.

    A URL that fails the one URL rule (stored before rc checked every link) is left out
    and named in `ignored`: the export can be imported, and carries nothing a browser
    should not open."""
    ignored = [] if ignored is None else ignored
    head = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "schema": LATEST}
    yield json.dumps(head, indent=1, ensure_ascii=False)[:-2] + ',\n "tables": {'
    # A row is flat (text, numbers, null): the C encoder, with the separator that indent=1
    # puts between a row's fields at this depth, writes what the indenting encoder would,
    # several times faster.
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": ")).encode
    with db.opened(cfg.db_path) as conn:
        # Parents before children, so an import satisfies every foreign key as it goes.
        for number, table in enumerate(SHARED):
            pieces = [("\n" if number == 0 else ",\n") + f"  {json.dumps(table)}: ["]
            first = True
            for row in queries.iter_table(conn, table):
                unsafe = unsafe_urls(table, row)
                if unsafe:
                    if table == "links":
                        ignored.append(f"{row['paper_id']}: {row['kind']} link")
                        continue
                    owner = row.get("paper_id") or row.get("id")
                    ignored.append(f"{owner}: {', '.join(unsafe)}")
                    row.update(dict.fromkeys(unsafe))
                text = "{\n    " + escape_c1(encode(row)[1:-1]) + "\n   }" if row else "{}"
                pieces.append(("\n   " if first else ",\n   ") + text)
                first = False
                if len(pieces) >= EXPORT_CHUNK:
                    yield "".join(pieces)
                    pieces = []
            pieces.append("]" if first else "\n  ]")
            yield "".join(pieces)
    yield "\n }\n}\n"


_BLANK = re.compile(r"[ \t\r\n]*")
BATCH = 500  # rows inserted together


class _Stream:
    """A JSON document read a piece at a time: values are decoded as soon as they are whole."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.buffer = ""
        self.pos = 0
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        chunk = self.handle.read(1 << 16)
        if not chunk:
            return False
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            self.pos = _BLANK.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer) or not self._more():
                return self.buffer[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise ValueError(f"expected {char!r}")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError:
                if self._more():
                    continue
                raise
            if end == len(self.buffer) and self._more():
                continue  # a number may go on in the next piece
            self.pos = end
            return value

    def members(self) -> Iterator[str]:
        """The keys of an object, leaving each value to be read by the caller."""
        self.expect("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise ValueError("an object key is not text")
            self.expect(":")
            yield key
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("}")
            return

    def items(self) -> Iterator[Any]:
        """The values of an array, one at a time."""
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("]")
            return


def _export_rows(path: Path, stream: _Stream) -> Iterator[tuple[str, int, Any]]:
    """(table, row number, row) for every row of an export file, header checked first."""
    header: dict[str, object] = {}
    for key in stream.members():
        if key != "tables":
            header[key] = stream.value()
            continue
        if header.get("format") != EXPORT_FORMAT:
            raise RcError(f"{path} is not an rc export (rc export --format json writes one)")
        if header.get("version") != EXPORT_VERSION:
            version = str(header.get("version"))[:20]
            raise RcError(f"{path} is an export of version {version}; this rc reads 1")
        if stream.peek() != "{":
            raise RcError(f"{path} has no tables")
        for table in stream.members():
            if table not in SHARED:
                raise RcError(f"{path}: unknown table {table[:40]!r}; nothing was imported")
            if stream.peek() != "[":
                raise RcError(f"{path}: {table} is not a list; nothing was imported")
            for number, row in enumerate(stream.items(), start=1):
                yield table, number, row
        header["tables"] = True
    if "tables" not in header:
        raise RcError(f"{path} is not an rc export (rc export --format json writes one)")
    if stream.peek():
        raise ValueError("extra data after the export")


def import_json(cfg: Config, path: Path) -> dict[str, int]:
    """Restore an export into an empty store, all or nothing, reading it row by row (an
    export of 100,000 papers is never held whole)."""
    counts = dict.fromkeys(SHARED, 0)
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist") from None
    except OSError as exc:
        raise RcError(f"cannot read {path}: {exc.strerror}") from None
    with handle, db.opened(cfg.db_path) as conn:
        if queries.has_papers(conn):
            raise Conflict(
                f"the store {cfg.db_path} already has papers; import into an empty one "
                "(set RC_HOME to a new folder)"
            )
        try:
            # One entry of the change log, written in bulk after the rows (store/log.py).
            with db.transaction(conn, cfg.command), log.bulk(conn):
                since = log.high_water(conn)
                batch: list[Row] = []
                batch_table = ""
                for table, number, row in _export_rows(path, _Stream(handle)):
                    problem = row_problem(table, row)
                    if problem is not None:
                        raise RcError(
                            f"{path}: {table} row {number}: {problem}; nothing was imported"
                        )
                    if table == "challenge" and counts["challenge"] == 0:
                        # The file brings its own challenge: it replaces the store's (a store
                        # without papers). A file without one leaves yours as it is.
                        old = log.row_of(conn, "challenge", [1])
                        if old is not None:  # logged as removed, so undo brings it back
                            log.record_op(conn, log.Op("challenge", [1], old, None))
                        writes.clear_default_challenge(conn)
                        since["challenge"] = 0
                    if table != batch_table or len(batch) >= BATCH:
                        writes.insert_rows(conn, batch_table, batch)
                        batch, batch_table = [], table
                    batch.append(row)
                    counts[table] += 1
                writes.insert_rows(conn, batch_table, batch)
                log.record_inserted(conn, since)
        except RecursionError:
            raise RcError(f"cannot read {path} as an rc export: it is nested too deeply") from None
        except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
            raise RcError(f"cannot read {path} as an rc export: {exc}") from None
        except sqlite3.IntegrityError as exc:
            raise RcError(f"{path} does not fit the store ({exc}); nothing was imported") from None
        except sqlite3.Error as exc:
            raise StoreError(f"{db.explain(cfg.db_path, exc)}; nothing was imported") from None
    return counts


def _bib_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}")
    text = re.sub(r"([&%$#_{}])", r"\\\1", text)
    return text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def _bib_key(paper: PaperRow, used: set[str]) -> str:
    authors = paper["authors"]
    last = authors[0].split()[-1] if authors and authors[0].split() else "anon"
    year = (paper["published"] or "")[:4] or "nd"
    words = re.findall(r"[A-Za-z]+", paper["title"] or paper["id"])
    first = next((w for w in words if w.lower() not in {"a", "an", "the", "on", "of"}), "item")
    base = re.sub(r"[^A-Za-z0-9]", "", f"{last}{year}{first}".encode("ascii", "ignore").decode())
    key, n = base.lower() or "item", 1
    while key in used:
        n += 1
        key = f"{base.lower()}{chr(ord('a') + n - 2)}" if n <= 27 else f"{base.lower()}{n}"
    used.add(key)
    return key


def export_bibtex(cfg: Config) -> str:
    """BibTeX entries for every stored paper (arXiv ones with eprint fields)."""
    with db.opened(cfg.db_path) as conn:
        papers = [p for p in queries.papers_as_added(conn) if p["status"] == "ok"]
        links = {
            (r["paper_id"], r["kind"]): r["url"]
            for r in queries.every_link(conn)
            if is_http_url(r["url"])
        }
    used: set[str] = set()
    entries = []
    for p in papers:
        authors = p["authors"]
        fields: list[tuple[str, str]] = [("title", "{" + _bib_escape(p["title"] or p["id"]) + "}")]
        if authors:
            fields.append(("author", _bib_escape(" and ".join(authors))))
        if p["published"]:
            fields.append(("year", p["published"][:4]))
        if p["source"] == "arxiv":
            fields += [("eprint", p["id"]), ("archivePrefix", "arXiv")]
            if p["primary_category"]:
                fields.append(("primaryClass", p["primary_category"]))
            abs_url = p["abs_url"] if is_http_url(p["abs_url"]) else None
            fields.append(("url", abs_url or f"https://arxiv.org/abs/{p['id']}"))
            if p["doi"]:
                fields.append(("doi", p["doi"]))
            if p["journal_ref"]:
                fields.append(("journal", _bib_escape(p["journal_ref"])))
            kind = "article" if p["journal_ref"] else "misc"
        else:
            url = links.get((p["id"], p["kind"])) or next(
                (u for (pid, _), u in links.items() if pid == p["id"]), None
            )
            if url:
                fields.append(("url", url))
            fields.append(("note", p["kind"]))
            kind = "online"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{kind}{{{_bib_key(p, used)},\n{body}\n}}\n")
    return printable("\n".join(entries))
