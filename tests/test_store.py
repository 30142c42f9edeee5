"""The store: migrations match the ORM mapping, upgrades keep every row."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import readchallenge
from readchallenge.store import db
from readchallenge.store.migrations import LATEST, MIGRATIONS


def _columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: {r[1] for r in conn.execute(f"PRAGMA table_info({t})")} for t in tables}


def test_migrated_store_has_exactly_the_orm_tables_and_columns(tmp_path: Path):
    from sqlmodel import SQLModel

    import readchallenge.store.models  # noqa: F401  (registers the tables)

    conn = db.connect(tmp_path / "rc.db")
    declared = {
        name: {column.name for column in table.columns}
        for name, table in SQLModel.metadata.tables.items()
    }
    assert _columns(conn) == declared


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
