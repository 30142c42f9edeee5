"""Opening the SQLite store: checks, pragmas, migrations and transactions, without the ORM."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from readchallenge.errors import StoreError
from readchallenge.store.migrations import LATEST, MIGRATIONS

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


def _check_is_sqlite(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise StoreError(f"store {path} is a folder, not a SQLite file") from None
    except OSError as exc:
        raise StoreError(f"cannot read store {path}: {exc.strerror}") from None
    if header and header != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not an rc store (not a SQLite database); "
            "move it away or point RC_HOME elsewhere"
        )


def schema_version(conn: sqlite3.Connection) -> int:
    """The newest migration recorded in the store (0 for an empty store)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    try:
        return int(row[0] or 0)
    except (TypeError, ValueError):
        raise StoreError(
            f"the store's schema version {row[0]!r} is not a number; restore it from a backup"
        ) from None


def has_papers(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM papers LIMIT 1").fetchone() is not None


def copy(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the store into `target` (SQLite's online backup)."""
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    target = path.with_name(f"{path.name}.bak-{version}")
    copy(conn, target)
    return target


def _statements(sql: str) -> list[str]:
    """Split a script into statements (a trigger's body holds `;` of its own)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _check_version(conn: sqlite3.Connection, path: Path) -> int:
    """The store's schema version, refusing one from a newer rc before anything is written."""
    current = schema_version(conn)
    if current > LATEST:
        raise StoreError(
            f"store {path} has schema version {current}, newer than this rc knows ({LATEST}); "
            "upgrade rc"
        )
    return current


def migrate(conn: sqlite3.Connection, path: Path, upto: int = LATEST) -> int:
    """Apply every migration newer than the store's, each in its own transaction."""
    current = _check_version(conn, path)
    pending = [m for m in MIGRATIONS if current < m.version <= upto]
    if not pending:
        return current
    if current > 0 and has_papers(conn):
        _backup(conn, path, current)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for migration in pending:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= migration.version:
                conn.execute("ROLLBACK")
                continue  # another rc process applied it while we waited
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat()),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        # Each migration rewrites the schema's pages: left in the WAL until a checkpoint, a
        # new store's migrations would take about twice its size on disk. Copied into the
        # store as each is done (without waiting for readers), the WAL starts over.
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    return schema_version(conn)


def read_only_uri(path: Path) -> str | None:
    """A URI that opens an existing store this process cannot write, or None if it can.

    `mode=ro` reads a WAL store as long as its `-shm` file exists or can be made; where
    neither holds (a read-only mount, a folder of someone else's), `immutable=1` tells
    SQLite that nothing changes the file, so it needs no shared memory at all.
    """
    if not path.exists():
        return None
    folder_writable = os.access(path.parent, os.W_OK)
    if os.access(path, os.W_OK) and folder_writable:
        return None
    # SQLite reads a WAL store read-only when its -shm file exists (writable or not) or
    # can be created; with neither there is no -wal either, so nothing is missed.
    shm_usable = path.with_name(path.name + "-shm").exists() or folder_writable
    uri = path.resolve().as_uri()
    return f"{uri}?mode=ro" if shm_usable else f"{uri}?immutable=1"


def connect(path: Path, *, upto: int = LATEST) -> sqlite3.Connection:
    """Open (creating if needed) the store at `path`, migrated to the newest schema.

    A store this process cannot write is opened read-only: reading works, a write fails
    with a message saying why. The connection is in autocommit mode; use `transaction()`
    for writes.
    """
    _check_is_sqlite(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create folder {path.parent}: {exc.strerror}") from None
    uri = read_only_uri(path)
    conn: sqlite3.Connection | None = None
    try:
        timeout = BUSY_TIMEOUT_MS / 1000
        if uri is None:
            conn = sqlite3.connect(path, isolation_level=None, timeout=timeout)
        else:
            conn = sqlite3.connect(uri, isolation_level=None, timeout=timeout, uri=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Read before anything writes: a damaged file or a newer schema fails here, untouched.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        current = _check_version(conn, path)
        conn.execute("PRAGMA foreign_keys = ON")
        if uri is not None:
            if current < upto:
                raise StoreError(
                    f"store {path} is read-only and needs an upgrade: make it writable once"
                )
            return conn
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn, path, upto)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise StoreError(explain(path, exc)) from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    return conn


def explain(path: Path, exc: sqlite3.Error) -> str:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return f"store {path} is read-only: make it (and its folder) writable"
    if "unable to open" in text:
        return f"cannot open store {path}: check that its folder exists and is writable"
    if "malformed" in text or "not a database" in text:
        return f"store {path} is damaged ({text}); restore it from a backup"
    if "disk" in text and "full" in text:
        return f"cannot write store {path}: the disk is full"
    return f"store {path}: {text}"


@contextmanager
def transaction(
    conn: sqlite3.Connection, command: str = "rc", *, derived: bool = False
) -> Iterator[sqlite3.Connection]:
    """One user action as one write transaction, taken up front to avoid lock upgrades; what
    it changed is sealed into one entry of the change log, recorded as made by `command`
    (the command line, `Config.command`), before it commits.

    `derived`: values a read computed from the store and keeps beside it (counters). They
    are written only if the store is free right now (a busy store raises at once instead of
    waiting) and are not the user's changes, so the log is neither loaded nor written."""
    if derived:
        conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    finally:
        if derived:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        yield conn
        if not derived:
            from readchallenge.store import fts, log  # writes only: reads never load the log

            fts.catch_up(conn)  # rc find's index as the rows now are
            log.seal(conn, command=command)  # the change and its entry in the log are one
    except BaseException:
        if conn.in_transaction:  # SQLite has already rolled back after a full disk
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that is closed afterwards, with database errors explained."""
    conn = connect(path)
    try:
        yield conn
    except sqlite3.DatabaseError as exc:
        raise StoreError(explain(path, exc)) from None
    finally:
        conn.close()


@contextmanager
def writing(path: Path, command: str = "rc") -> Iterator[sqlite3.Connection]:
    """One user action: a connection and one write transaction, committed when the block
    ends cleanly (the paper it names is resolved inside it, so nothing changes between);
    `command` is what the change log records of it."""
    with opened(path) as conn, transaction(conn, command):
        yield conn
