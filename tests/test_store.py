"""The store: migrations match the ORM mapping, upgrades keep every row."""

from __future__ import annotations

import ast
import re
import sqlite3
import typing
from pathlib import Path
from typing import Any

import readchallenge
from readchallenge.core import schema
from readchallenge.store import db
from readchallenge.store.migrations import LATEST, MIGRATIONS


def _columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    # Plain tables only: `rc find`'s full-text index is a virtual table with shadow tables
    # of SQLite's own, which no mapping declares.
    tables = [
        r[1]
        for r in conn.execute("PRAGMA table_list")
        if r[2] == "table" and r[0] == "main" and not r[1].startswith("sqlite_")
    ]
    return {t: {r[1] for r in conn.execute(f"PRAGMA table_info({t})")} for t in tables}


def _declared(model: Any) -> dict[str, object]:
    """What a SQLModel class says of its table, in the terms of SQLite's pragmas."""
    table = model.__table__
    columns = []
    for column in table.columns:
        annotation = model.model_fields[column.name].annotation
        nullable = type(None) in typing.get_args(annotation)
        kind = next(a for a in (*typing.get_args(annotation), annotation) if a in (str, int))
        field = model.model_fields[column.name]
        default = None if field.is_required() else field.default
        sql_default = None if default is None else repr(default) if kind is str else str(default)
        columns.append((column.name, {str: "TEXT", int: "INTEGER"}[kind], not nullable,
                        sql_default, column.primary_key))  # fmt: skip
    return {
        "columns": columns,
        "foreign keys": sorted(
            (fk.parent.name, fk.column.table.name, fk.column.name, fk.ondelete or "NO ACTION")
            for fk in table.foreign_keys
        ),
        "unique": sorted(
            tuple(c.name for c in u.columns)
            for u in table.constraints
            if type(u).__name__ == "UniqueConstraint"
        ),
    }


def _migrated(conn: sqlite3.Connection, table: str) -> dict[str, object]:
    """The same facts of a table of a migrated store, from SQLite itself."""
    unique = []
    for _, index, is_unique, origin, _ in conn.execute(f"PRAGMA index_list({table})"):
        if is_unique and origin == "u":
            info = conn.execute(f"PRAGMA index_info({index})").fetchall()
            unique.append(tuple(name for _, _, name in info))
    return {
        "columns": [
            (name, kind, bool(notnull), default, bool(pk))
            for _, name, kind, notnull, default, pk in conn.execute(f"PRAGMA table_info({table})")
        ],
        "foreign keys": sorted(
            (row[3], row[2], row[4], row[6])
            for row in conn.execute(f"PRAGMA foreign_key_list({table})")
        ),
        "unique": sorted(unique),
    }


def test_migrated_store_has_exactly_the_orm_tables_and_columns(tmp_path: Path):
    """The migrations build what store/models.py declares: the same tables, and in each the
    same columns in the same order, of the same type, NULL or not, with the same defaults,
    primary, foreign and unique keys."""
    from readchallenge.store import models

    conn = db.connect(tmp_path / "rc.db")
    declared = {model.__table__.name: _declared(model) for model in models.TABLES}
    assert set(_columns(conn)) == set(declared)
    for table, facts in declared.items():
        assert _migrated(conn, table) == facts, table


def test_the_light_schema_is_generated_from_the_declaration():
    """core/schema.py (what the daily commands, the log and the export read instead of
    SQLModel) says what store/models.py says; python -m readchallenge.store.models writes it."""
    from readchallenge.store import models

    assert models.TARGET.read_text(encoding="utf-8") == models.render(), (
        "core/schema.py is stale: python -m readchallenge.store.models"
    )


def test_the_change_log_records_every_declared_column_of_every_shared_table(tmp_path: Path):
    """The log's triggers, made by the migrations, record a row by its declared key and all
    its declared columns: a column added without new triggers would not sync."""
    conn = db.connect(tmp_path / "rc.db")
    assert schema.LOGGED.keys() == set(schema.SHARED)
    for table, (keys, columns) in schema.LOGGED.items():
        for event in ("insert", "update", "delete"):
            (sql,) = conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                (f"log_{table}_{event}",),
            ).fetchone()
            row = "OLD" if event == "delete" else "NEW"
            recorded = re.findall(rf"'(\w+)', {row}\.(\w+)", sql)
            assert recorded == [(c, c) for c in columns], (table, event)
            key = re.search(r"json_array\(([^)]*)\)", sql)
            assert key is not None
            assert [k.split(".")[1] for k in key[1].split(", ")] == list(keys), (table, event)


def test_the_log_reads_its_entries_in_the_declared_columns(tmp_path: Path):
    from readchallenge.store import history as log

    assert log.Change._fields == schema.COLUMNS["changes"]
    with db.writing(tmp_path / "rc.db") as conn:
        conn.execute("INSERT INTO skips (day, created_at) VALUES ('2026-06-01', 'x')")
    conn = db.connect(tmp_path / "rc.db")
    (change,) = log.changes(conn)
    assert (change.id, change.seq, change.undoes) == (1, 1, None)
    assert change.command.startswith("rc")


def test_every_migration_is_recorded_once(tmp_path: Path):
    conn = db.connect(tmp_path / "rc.db")
    rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert rows == [(m.version, m.name) for m in MIGRATIONS]
    conn.close()
    conn = db.connect(tmp_path / "rc.db")  # opening again applies nothing twice
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)


def _fill_version_1(conn: sqlite3.Connection) -> dict[str, int]:
    conn.executescript(
        """
        INSERT INTO papers (id, title, authors, added_at) VALUES
            ('1605.08386', 'Heat-bath random walks', '["Caprice Stanley"]', '2026-01-01T00:00:00');
        INSERT INTO papers (id, source, kind, title, added_at) VALUES
            ('phi-2', 'web', 'blog', 'Phi-2', '2026-01-01T00:00:01');
        INSERT INTO links VALUES ('phi-2', 'blog', 'https://example.org/phi-2');
        INSERT INTO plan VALUES ('1605.08386', '2026-01-05');
        INSERT INTO readings (paper_id, day, read_at) VALUES ('1605.08386', '2026-01-05', 'x');
        INSERT INTO skips VALUES ('2026-01-06', 'travel', 'x');
        INSERT INTO notes VALUES ('1605.08386', 'A walk.', 'x');
        INSERT INTO takeaways VALUES ('1605.08386', 1, 'Mixing is fast.');
        INSERT INTO weeks (week, theme) VALUES ('2026-W02', 'Random walks');
        INSERT INTO challenge VALUES (1, 'Sunday Papers', '2026-01-01', '2026-07-31', 1, 'x');
        """
    )
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _columns(conn)}


def test_upgrade_from_version_1_keeps_every_row_and_backs_up(tmp_path: Path):
    path = tmp_path / "rc.db"
    conn = db.connect(path, upto=1)
    assert db.schema_version(conn) == 1
    before = _fill_version_1(conn)
    conn.close()

    conn = db.connect(path)
    assert db.schema_version(conn) == LATEST
    after = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    after["schema_migrations"] -= len(MIGRATIONS) - 1
    assert after == before
    assert conn.execute("SELECT title FROM papers WHERE id = '1605.08386'").fetchone() == (
        "Heat-bath random walks",
    )
    backup = sqlite3.connect(tmp_path / "rc.db.bak-1")
    assert backup.execute("SELECT count(*) FROM papers").fetchone()[0] == 2


def test_store_has_wal_busy_timeout_and_foreign_keys(tmp_path: Path):
    conn = db.connect(tmp_path / "rc.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_a_user_action_writes_in_one_transaction(tmp_path: Path):
    import pytest

    from readchallenge.store import writes

    path = tmp_path / "rc.db"
    with pytest.raises(RuntimeError), db.writing(path) as conn:
        writes.insert_paper(conn, "a", {"title": "A", "added_at": "x"})
        raise RuntimeError("the action failed half-way")
    with db.writing(path) as conn:
        writes.insert_paper(conn, "b", {"title": "B", "added_at": "x"})
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT id FROM papers")] == ["b"]


def test_kept_readings_total_matches_a_count_after_any_changes(tmp_path: Path):
    from datetime import date

    from readchallenge.store import queries

    conn = db.connect(tmp_path / "rc.db")
    conn.execute("INSERT INTO papers (id, added_at) VALUES ('a', 'x'), ('b', 'x')")
    days = [f"2026-0{m}-1{d}" for m in (1, 3, 5) for d in range(8)]
    for day in days:
        conn.execute("INSERT INTO readings (paper_id, day, read_at) VALUES ('a', ?, 'x')", (day,))
        conn.execute("INSERT INTO readings (paper_id, day, read_at) VALUES ('b', ?, 'x')", (day,))
    conn.execute("DELETE FROM readings WHERE paper_id = 'b' AND day LIKE '2026-03-%'")
    conn.execute("DELETE FROM papers WHERE id = 'b'")  # cascades to its readings
    first, last = date(2026, 2, 1), date(2026, 4, 30)
    assert queries.readings_in(conn, first, last) == queries.readings_between(conn, first, last)
    assert queries.readings_in(conn, first, last) == 8
    total = conn.execute("SELECT value FROM counters WHERE name = 'readings_total'").fetchone()
    assert total == (conn.execute("SELECT count(*) FROM readings").fetchone()[0],)


def test_upgrade_counts_the_readings_already_there(tmp_path: Path):
    path = tmp_path / "rc.db"
    conn = db.connect(path, upto=1)
    _fill_version_1(conn)
    conn.close()
    conn = db.connect(path)
    assert conn.execute("SELECT value FROM counters WHERE name = 'readings_total'").fetchone() == (
        1,
    )


SQL_CALLS = {"execute", "executemany", "executescript", "backup", "connect"}


def _sql_outside_store() -> list[str]:
    """Where code outside `store/` runs SQL, opens a database or imports the ORM."""
    package = Path(readchallenge.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in SQL_CALLS and not (
                    node.func.attr == "connect" and ast.unparse(node.func.value) != "sqlite3"
                ):
                    found.append(f"{relative}:{node.lineno} {ast.unparse(node.func)}")
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                module = node.module if isinstance(node, ast.ImportFrom) else None
                for name in [*names, module or ""]:
                    if name.split(".")[0] in ("sqlmodel", "sqlalchemy"):
                        found.append(f"{relative}:{node.lineno} import {name}")
    return found


def test_only_the_store_speaks_sql():
    assert _sql_outside_store() == []


def test_an_export_holds_every_shared_table_with_the_declared_fields_in_order(run):
    """docs/data.md lists the export's tables and fields from the declaration: an export
    holds those tables, parents first, each row with exactly those fields in that order."""
    import json

    for args in (
        ("init", "--start", "2026-06-01"),
        ("add", "--url", "https://example.org/a", "--title", "A", "--authors", "X, Y"),
        ("read", "a", "--on", "2026-06-02"),
        ("note", "a", "--description", "d", "--takeaway", "t"),
        ("link", "a", "code", "https://example.org/code"),
        ("skip", "--on", "2026-06-03", "--reason", "ill"),
        ("week", "--theme", "Walks"),
        ("tag", "a", "walking"),
        ("week", "--tag", "outdoors", "--url", "https://example.org/posts/1"),
        ("like", "a"),
    ):
        result = run(*args)
        assert result.exit_code == 0, result.output
    result = run("export", "--format", "json")
    assert result.exit_code == 0, result.output
    tables = json.loads(result.stdout)["tables"]
    assert list(tables) == list(schema.SHARED)
    for table, rows in tables.items():
        if table != "hf_pages":  # nothing is looked up on Hugging Face here
            assert rows, table
        for row in rows:
            assert tuple(row) == schema.COLUMNS[table], table
    assert tables["papers"][0]["authors"] == '["X", "Y"]'  # JSON text, as stored
