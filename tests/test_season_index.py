"""rc find's index stays exactly what the tables say, whatever writes, removals, undos and
bulk inserts touch it, and a store from before it gets it from its migration."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readchallenge.store import db, find, fts, log, undo, writes
from tests.season import Rc

# Words the porter stemmer leaves as they are, so a word is found exactly where it is.
WORDS = ("alpha", "gamma", "delta", "kappa", "omega", "zeta", "sigma", "theta")
TEXT = st.lists(st.sampled_from(WORDS), min_size=0, max_size=4).map(" ".join)
PAPERS = ("p1", "p2", "p3")
WEEKS = ("2026-W23", "2026-W24")

OPS = st.one_of(
    st.tuples(st.just("paper"), st.sampled_from(PAPERS), TEXT, TEXT),
    st.tuples(st.just("rename"), st.sampled_from(PAPERS), TEXT),
    st.tuples(st.just("note"), st.sampled_from(PAPERS), TEXT, st.lists(TEXT, max_size=3)),
    st.tuples(st.just("clear"), st.sampled_from(PAPERS)),
    st.tuples(st.just("remove"), st.sampled_from(PAPERS)),
    st.tuples(st.just("week"), st.sampled_from(WEEKS), TEXT, TEXT),
    st.tuples(st.just("unweek"), st.sampled_from(WEEKS)),
    st.tuples(st.just("undo")),
)


def _apply(conn: sqlite3.Connection, op: tuple[object, ...]) -> None:
    kind, *args = op
    exists = {r[0] for r in conn.execute("SELECT id FROM papers")}
    if kind == "paper":
        paper, title, abstract = args
        if paper in exists:
            writes.update_paper(conn, str(paper), {"title": title, "abstract": abstract})
        else:
            fields = {"title": title, "abstract": abstract, "added_at": "x", "source": "web"}
            writes.insert_paper(conn, str(paper), fields)
    elif kind == "rename" and args[0] in exists:
        writes.update_paper(conn, str(args[0]), {"name": args[1] or None})
    elif kind == "note" and args[0] in exists:
        takeaways = [str(t) for t in args[2]]  # type: ignore[attr-defined]
        writes.set_note(conn, str(args[0]), str(args[1]) or None, takeaways, "x")
    elif kind == "clear" and args[0] in exists:
        conn.execute("DELETE FROM takeaways WHERE paper_id = ?", (args[0],))
    elif kind == "remove":
        writes.remove_papers(conn, [str(args[0])])
    elif kind == "week":
        writes.set_week_words(conn, str(args[0]), {"theme": args[1] or None, "intro": args[2]})
    elif kind == "unweek":
        log.delete_row(conn, "weeks", [args[0]])


def _naive(conn: sqlite3.Connection, word: str) -> set[str]:
    """Where `word` is, read from the tables themselves."""
    found = set()
    for paper_id, name, title, abstract in conn.execute(
        "SELECT id, name, title, abstract FROM papers"
    ):
        note = conn.execute("SELECT description FROM notes WHERE paper_id = ?", (paper_id,))
        texts = [name, title, abstract, *(r[0] for r in note)]
        texts += [
            r[0] for r in conn.execute("SELECT text FROM takeaways WHERE paper_id = ?", (paper_id,))
        ]
        if any(word in (t or "").split() for t in texts):
            found.add(paper_id)
    for week, theme, intro in conn.execute("SELECT week, theme, intro FROM weeks"):
        if any(word in (t or "").split() for t in (theme, intro)):
            found.add(week)
    return found


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("index") / "rc.db"
    db.connect(path).close()
    return path


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.lists(OPS, min_size=1, max_size=5), min_size=1, max_size=6))
def test_the_index_holds_what_the_tables_say_after_any_writes(empty_store, tmp_path, batches):
    path = tmp_path / "rc.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy(empty_store, path)
    conn = db.connect(path)
    try:
        for batch in batches:
            with db.transaction(conn):
                for op in batch:
                    if op == ("undo",):
                        _undo_last(conn)
                    else:
                        _apply(conn, op)
            fts.check(conn)
            for word in WORDS:
                hits = find.search(conn, word, find.Scope(), 100)
                assert {h.key for h in hits} == _naive(conn, word), word
    finally:
        conn.close()


def _undo_last(conn: sqlite3.Connection) -> None:
    """Revert the last entry as rc undo does (its rows back as they were)."""
    last = conn.execute("SELECT max(id) FROM changes").fetchone()[0]
    if last is not None:
        undo.revert(conn, last, log.device_id(conn))


def test_a_broken_index_is_noticed(tmp_path: Path):
    # The check above must be able to fail: an index told to forget what it never held.
    conn = db.connect(tmp_path / "rc.db")
    with db.transaction(conn):
        writes.insert_paper(conn, "p1", {"title": "alpha", "added_at": "x", "source": "web"})
    conn.execute("INSERT INTO find_index (find_index, rowid, title) VALUES ('delete', 1, 'gamma')")
    with pytest.raises(sqlite3.DatabaseError):
        fts.check(conn)


def test_a_store_from_before_the_index_gets_it_from_its_migration(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    conn = db.connect(home / "rc.db", upto=10)
    conn.executescript(
        """
        INSERT INTO papers (id, title, abstract, added_at) VALUES
            ('2401.00001', 'Old paper', 'An abstract about zeppelins.', 'x');
        INSERT INTO notes VALUES ('2401.00001', 'Notes on airships.', 'x');
        INSERT INTO takeaways VALUES ('2401.00001', 1, 'Helium is dear.');
        INSERT INTO weeks (week, theme) VALUES ('2026-W23', 'Lighter than air');
        """
    )
    conn.close()
    rc = Rc(home)
    for query, expected in (
        ("zeppelins", [("2401.00001", "abstract")]),
        ("airships", [("2401.00001", "notes")]),
        ("helium", [("2401.00001", "takeaways")]),
        ("lighter", [("2026-W23", "theme")]),
    ):
        assert [(h["id"], h["field"]) for h in rc.json("find", query)["hits"]] == expected
    assert (home / "rc.db.bak-10").exists()


def test_rc_find_imports_nothing_heavy(tmp_path: Path):
    # rc find is answered like a daily command: no ORM, HTTP client, or Typer.
    code = (
        "import sys\nfrom readchallenge.fastpath import main\n"
        "sys.argv = ['rc', 'find', 'alpha']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {'sqlmodel', 'sqlalchemy', 'httpx', 'arxiv', 'typer', 'jinja2'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    env = Rc(tmp_path / "home").env
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr
