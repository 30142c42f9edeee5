"""The package, configuration, store and error boundary."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from readchallenge import config
from readchallenge.errors import ConfigError, StoreError
from readchallenge.store import db
from readchallenge.store.migrations import LATEST


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip().startswith("rc 0.")


def test_module_entry_point_runs():
    proc = subprocess.run(
        [sys.executable, "-m", "readchallenge", "--version"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("rc ")


def test_info_looks_without_creating_and_the_first_write_creates_the_store(run, rc_home: Path):
    result = run("info", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert Path(data["store"]) == rc_home / "rc.db"
    assert data["schema_version"] is None
    assert not (rc_home / "rc.db").exists()
    assert "not created yet" in " ".join(run("info").stdout.split())
    assert run("init").exit_code == 0
    data = json.loads(run("info", "--json").stdout)
    assert data["schema_version"] == LATEST
    assert data["settings"]["arxiv_min_interval"]["from"] == "env RC_ARXIV_MIN_INTERVAL"
    conn = sqlite3.connect(rc_home / "rc.db")
    assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == LATEST
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_that_is_not_sqlite_is_refused_untouched(run, rc_home: Path):
    rc_home.mkdir()
    store = rc_home / "rc.db"
    store.write_bytes(b"my precious notes, not a database\n" * 50)
    before = store.read_bytes()
    result = run("info")
    assert result.exit_code == 1
    assert str(store) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert store.read_bytes() == before


def test_store_from_newer_rc_is_refused_untouched(run, rc_home: Path):
    run("init")
    conn = sqlite3.connect(rc_home / "rc.db")
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    conn.commit()
    conn.close()
    before = (rc_home / "rc.db").read_bytes()
    result = run("info")
    assert result.exit_code == 1
    assert "newer" in result.stderr
    assert (rc_home / "rc.db").read_bytes() == before


def test_environment_beats_file_beats_default(rc_home: Path):
    rc_home.mkdir()
    (rc_home / "config.toml").write_text("arxiv_timeout = 12\narxiv_retries = 2\n")
    cfg = config.load({"RC_HOME": str(rc_home), "RC_ARXIV_RETRIES": "7"})
    assert cfg.values["arxiv_timeout"] == 12.0
    assert cfg.sources["arxiv_timeout"] == "config file"
    assert cfg.values["arxiv_retries"] == 7
    assert cfg.values["arxiv_min_interval"] == 3.0


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"RC_TODAY": "2026-13-01"}, "today"),
        ({"RC_ARXIV_MIN_INTERVAL": "soon"}, "arxiv_min_interval"),
        ({"RC_ARXIV_API_URL": "ftp://x"}, "arxiv_api_url"),
        ({"RC_ARXIV_API_URL": "http://x:abc/"}, "arxiv_api_url"),
        ({"RC_ARXIV_API_URL": "http://x .org/"}, "arxiv_api_url"),
        ({"RC_DAY_STARTS_AT": "4am"}, "day_starts_at"),
    ],
)
def test_malformed_env_value_is_named(rc_home: Path, env: dict[str, str], named: str):
    with pytest.raises(ConfigError, match=named):
        config.load({"RC_HOME": str(rc_home), **env})


def test_malformed_config_file_is_a_one_line_error(run, rc_home: Path):
    rc_home.mkdir()
    (rc_home / "config.toml").write_text("arxiv_timeout = [oops\n")
    result = run("info")
    assert result.exit_code == 1
    assert "config.toml" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_setting_in_config_file(run, rc_home: Path):
    rc_home.mkdir()
    (rc_home / "config.toml").write_text('colour = "blue"\n')
    result = run("info")
    assert result.exit_code == 1
    assert "colour" in result.stderr


def test_day_boundary_moves_early_hours_to_previous_day():
    cfg = config.load(
        {"RC_HOME": "/nonexistent", "RC_NOW": "2026-03-29T01:30", "RC_DAY_STARTS_AT": "04:00"}
    )
    assert cfg.today().isoformat() == "2026-03-28"
    cfg = config.load(
        {"RC_HOME": "/nonexistent", "RC_NOW": "2026-03-29T04:00", "RC_DAY_STARTS_AT": "04:00"}
    )
    assert cfg.today().isoformat() == "2026-03-29"


def test_unknown_command_is_usage_error(run):
    result = run("frobnicate")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: No such command 'frobnicate'.")
    assert result.stdout == ""


def test_connect_refuses_store_in_unwritable_place(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match=str(blocker)):
        db.connect(blocker / "sub" / "rc.db")
