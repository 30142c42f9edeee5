"""Faults, concurrency and bad input: nothing lost, no traceback, the store as it was."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys

import pytest

from readchallenge.store import db as store_db
from tests.conftest import dump, env_for, rc_process, remount


def test_read_while_add_waits_on_a_slow_arxiv(tmp_path, loopback, stores):
    home = stores.copy(tmp_path / "home", ("add", "--url", "https://example.org/a", "--title", "A"))
    env = env_for(home, loopback.url)
    loopback.gate.clear()  # arXiv holds its answer until the gate opens
    adding = rc_process("add", "1605.08386", env=env)
    loopback.wait_for_requests(1)  # rc add is now waiting for arXiv
    reading = rc_process("read", "a", env=env)
    out, err = reading.communicate(timeout=120)
    assert reading.returncode == 0, err
    assert adding.poll() is None  # the read did not queue behind the add's network wait
    loopback.gate.set()
    out, err = adding.communicate(timeout=120)
    assert adding.returncode == 0, err
    assert "locked" not in err
    conn = sqlite3.connect(home / "rc.db")
    assert conn.execute("SELECT count(*) FROM readings").fetchone()[0] == 1
    assert conn.execute("SELECT status FROM papers WHERE id = '1605.08386'").fetchone() == ("ok",)


def test_ctrl_c_between_batches_keeps_what_was_stored(tmp_path, loopback):
    home = tmp_path / "home"
    env = env_for(home, loopback.url)
    loopback.free = 1  # the first batch is answered; the second waits until the gate opens
    loopback.gate.clear()
    ids = [f"2401.{n:05d}" for n in range(1, 251)]
    adding = rc_process("add", "--backlog", *ids, env=env)

    def first_batch_stored() -> bool:
        try:
            conn = sqlite3.connect(home / "rc.db")
            return conn.execute("SELECT count(*) FROM papers WHERE status='ok'").fetchone()[0] > 0
        except sqlite3.Error:
            return False

    loopback.wait_for_requests(2)  # batch 1 stored, batch 2 asked and held
    assert first_batch_stored()
    adding.send_signal(signal.SIGINT)
    out, err = adding.communicate(timeout=120)
    loopback.gate.set()
    assert adding.returncode == 130, err
    assert "interrupted: 100 stored, 150 left pending" in err
    assert "Traceback" not in err
    conn = sqlite3.connect(home / "rc.db")
    counts = dict(conn.execute("SELECT status, count(*) FROM papers GROUP BY status"))
    assert counts == {"ok": 100, "pending": 150}
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize(
    "command",
    ["list", "list --json", "today", "show 2401.00001", "--help", "plan next", "calendar",
     "export-week", "export --format bibtex", "info", "demo"],
)  # fmt: skip
def test_closed_pipe_ends_quietly(tmp_path, stores, command):
    home = stores.copy(tmp_path / "home", ("add", "2401.00001"))
    env = env_for(home, "http://127.0.0.1:9/api/query")  # nothing here asks arXiv
    # `true` exits at once, so rc's first write meets a closed pipe.
    proc = subprocess.run(
        f"{sys.executable} -m readchallenge {command} | true; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.stderr == "", proc.stderr
    assert proc.returncode == 1  # as Python programs do on a closed pipe, without a word


def test_truncated_store_is_refused_untouched(run, rc_home, arxiv_api):
    assert run("add", "--url", "https://example.org/a", "--title", "A").exit_code == 0
    store = rc_home / "rc.db"
    conn = sqlite3.connect(store)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = store.read_bytes()
    store.write_bytes(data[: len(data) // 3])
    for name in ("rc.db-wal", "rc.db-shm"):
        (rc_home / name).unlink(missing_ok=True)
    before = store.read_bytes()
    for args in (["today"], ["list"], ["add", "--url", "https://example.org/b", "--title", "B"]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert str(store) in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert store.read_bytes() == before


@pytest.mark.parametrize(
    ("message", "says"),
    [
        ("attempt to write a readonly database", "read-only"),
        ("database or disk is full", "disk is full"),
        ("unable to open database file", "cannot open"),
        ("database disk image is malformed", "damaged"),
    ],
)
def test_store_failures_explain_what_to_do(message, says, tmp_path):
    text = store_db.explain(tmp_path / "rc.db", sqlite3.OperationalError(message))
    assert says in text and str(tmp_path / "rc.db") in text


def test_read_only_store_is_reported_and_left_as_it_was(run, rc_home, monkeypatch):
    assert run("add", "--url", "https://example.org/a", "--title", "A").exit_code == 0
    before = dump(rc_home)
    real_connect = sqlite3.connect

    def read_only(target, *args, **kwargs):
        # As root, file modes do not stop writes; SQLite's read-only open does.
        return real_connect(f"file:{target}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    today = run("today")
    assert today.exit_code == 0 and "A" in today.stdout.split()  # reading still works
    for args in (
        ["add", "--url", "https://example.org/b", "--title", "B"],
        ["read", "a"],
        ["skip"],
    ):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert "read-only" in result.stderr and str(rc_home / "rc.db") in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert dump(rc_home) == before


def test_home_on_a_read_only_file_system(run, small_disk, monkeypatch):
    monkeypatch.setenv("RC_HOME", str(small_disk / "home"))
    assert run("add", "--url", "https://example.org/a", "--title", "A").exit_code == 0
    before = dump(small_disk / "home")
    remount(small_disk, "ro")
    today = run("today")
    assert today.exit_code == 0 and "A" in today.stdout.split()  # reading needs no write
    for args in (["add", "--url", "https://example.org/b", "--title", "B"], ["read", "a"]):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert len(result.stderr.strip().splitlines()) == 1
        assert str(small_disk / "home" / "rc.db") in result.stderr
        assert "Traceback" not in result.output
    remount(small_disk, "rw")
    assert dump(small_disk / "home") == before


def test_empty_home_on_a_read_only_file_system(run, small_disk, monkeypatch):
    remount(small_disk, "ro")
    monkeypatch.setenv("RC_HOME", str(small_disk / "home"))
    result = run("init")
    assert result.exit_code == 1
    assert str(small_disk / "home") in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_full_disk_is_reported_and_the_store_stays_whole(run, small_disk, monkeypatch):
    monkeypatch.setenv("RC_HOME", str(small_disk / "home"))
    assert run("add", "--url", "https://example.org/first", "--title", "First").exit_code == 0
    result = None
    for n in range(200):
        result = run(
            "add",
            "--url",
            f"https://example.org/{n}",
            "--title",
            f"T{n} " + "x" * 4000,
            "--backlog",
        )
        if result.exit_code != 0:
            break
    assert result is not None and result.exit_code == 1, "the disk never filled"
    assert "disk is full" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    conn = sqlite3.connect(small_disk / "home" / "rc.db")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT title FROM papers WHERE id = 'first'").fetchone() == ("First",)
