"""Backup, export and import: nothing lost, in a form other tools read."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest


def ok(result) -> None:
    assert result.exit_code == 0, result.output


@pytest.fixture
def stocked(run, arxiv_api) -> None:
    ok(run("init", "--start", "2026-06-01", "--per-day", "1", "--name", "June"))
    ok(run("add", "1605.08386", "--as", "Walks", "--code", "https://github.com/x/walks"))
    ok(run("add", "astro-ph/0601001"))
    ok(
        run(
            "add",
            "--url",
            "https://example.org/phi-2",
            "--title",
            "Phi-2 {blog} & 50%",
            "--authors",
            "Ann O'Neil, Bo Ma",
        )
    )
    ok(run("read", "walks", "--on", "2026-06-09"))
    ok(run("skip", "--on", "2026-06-08", "--reason", "travel 🚆"))
    ok(
        run(
            "note",
            "walks",
            "--description",
            "שלום — right to left",
            "--takeaway",
            "one",
            "--takeaway",
            "two",
        )
    )
    ok(run("week", "--theme", "Walks", "--intro", "Hi"))


def test_json_round_trip_is_lossless(run, stocked, tmp_path, monkeypatch):
    first = run("export", "--format", "json")
    ok(first)
    dump = tmp_path / "all.json"
    dump.write_text(first.stdout, encoding="utf-8")
    monkeypatch.setenv("RC_HOME", str(tmp_path / "elsewhere"))
    ok(run("import", str(dump)))
    second = run("export", "--format", "json")
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert second.stdout == first.stdout
    assert json.loads(run("today", "--json").stdout)["streak"]["longest"] == 1


def test_import_refuses_a_store_with_papers(run, stocked, tmp_path, db):
    dump = tmp_path / "all.json"
    ok(run("export", "-o", str(dump)))
    before = db().execute("SELECT count(*) FROM papers").fetchone()[0]
    result = run("import", str(dump))
    assert result.exit_code == 1 and "empty" in result.stderr
    assert db().execute("SELECT count(*) FROM papers").fetchone()[0] == before


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"format": "other"}',
        "[]",
        '{"format": "rc-export", "version": 1, "tables": {"papers": [{"id": "x", "nonsense": 1}]}}',
    ],
)
def test_import_of_a_bad_file_changes_nothing(run, tmp_path, db, content):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert db().execute("SELECT count(*) FROM papers").fetchone()[0] == 0


def test_import_rolls_back_when_a_row_breaks_a_rule(run, tmp_path, db):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "rc-export",
                "version": 1,
                "schema": 2,
                "tables": {
                    "papers": [{"id": "a", "title": "A", "added_at": "x"}],
                    "plan": [{"paper_id": "missing", "day": "2026-06-10"}],
                },
            }
        )
    )
    result = run("import", str(bad))
    assert result.exit_code == 1 and "nothing was imported" in result.stderr
    assert db().execute("SELECT count(*) FROM papers").fetchone()[0] == 0


def test_bibtex(run, stocked):
    result = run("export", "--format", "bibtex")
    ok(result)
    text = result.stdout
    assert "eprint = {1605.08386}" in text and "archivePrefix = {arXiv}" in text
    assert "primaryClass = {math.CO}" in text
    assert "eprint = {astro-ph/0601001}" in text
    assert r"title = {{Phi-2 \{blog\} \& 50\%}}" in text
    assert "author = {Ann O'Neil and Bo Ma}" in text
    assert text.count("@") == 3
    assert text.count("{") == text.count("}") + text.count(r"\}") - text.count(r"\{")


def test_backup_is_a_consistent_copy(run, stocked, rc_home: Path):
    result = run("backup")
    ok(result)
    copy = rc_home / "backups" / "rc-2026-06-10.db"
    assert copy.exists()
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 3
    ok(run("backup"))
    assert (rc_home / "backups" / "rc-2026-06-10-2.db").exists()


def test_backup_to_a_named_file_refuses_to_overwrite(run, stocked, tmp_path):
    target = tmp_path / "mine.db"
    ok(run("backup", str(target)))
    before = target.read_bytes()
    result = run("backup", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"error: {target} exists; choose another name\n"
    assert target.read_bytes() == before


def test_import_without_a_challenge_keeps_the_one_you_started(run, tmp_path):
    ok(run("init", "--name", "My challenge", "--start", "2026-06-01"))
    export = {"format": "rc-export", "version": 1, "schema": 7, "tables": {"papers": []}}
    path = tmp_path / "nochallenge.json"
    path.write_text(json.dumps(export))
    ok(run("import", str(path)))
    assert json.loads(run("init", "--json").stdout)["challenge"]["name"] == "My challenge"
