"""A SQLModel session over the same store, for writes: one session, one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from readchallenge.errors import StoreError
from readchallenge.store.db import connect, explain


@contextmanager
def write_session(path: Path) -> Iterator[Session]:
    """A session whose work is committed as one transaction when the block ends cleanly."""
    conn = connect(path)
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # pysqlite's own BEGIN handling is off (autocommit); take the write lock up front.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
            session.commit()
    except DBAPIError as exc:
        orig = exc.orig
        if isinstance(orig, sqlite3.DatabaseError):
            raise StoreError(explain(path, orig)) from None
        raise
    finally:
        engine.dispose()
        conn.close()
