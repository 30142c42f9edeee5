"""Likes are your data (#25): `rc like` is recorded in the change log, undone by `rc undo`,
carried to the other machine by `rc sync`, exported, and checked by the same rules on import
and sync. What Semantic Scholar said stays on the machine that asked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.test_sync import Machine, _git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="rc sync needs git")


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    path = tmp_path / "hub.git"
    _git("init", "-q", "--bare", str(path))
    return path


@pytest.fixture
def laptop(tmp_path: Path) -> Machine:
    machine = Machine(tmp_path, "laptop")
    machine.ok("add", "--url", "https://example.org/mamba", "--title", "Mamba", "--as", "Mamba")
    return machine


def likes(machine: Machine) -> list[dict[str, object]]:
    found: list[dict[str, object]] = machine.state()["likes"]
    return found


def test_a_like_syncs_and_its_undo_too(laptop: Machine, tmp_path: Path, hub: Path):
    desktop = Machine(tmp_path, "desktop")
    assert "liked Mamba" in laptop.ok("like", "Mamba").stderr
    assert "turned down 2106.09685" in laptop.ok("like", "2106.09685", "--not").stderr
    laptop.ok("sync", "--init", str(hub))
    desktop.ok("sync", "--init", str(hub))
    assert {(r["paper_id"], r["liked"]) for r in likes(desktop)} == {
        ("mamba", 1), ("2106.09685", 0),
    }  # fmt: skip
    assert "like 2106.09685 --not" in desktop.ok("log").stdout
    assert "undid: like 2106.09685 --not" in laptop.ok("undo").stderr
    laptop.ok("sync")
    desktop.ok("sync")
    assert [r["paper_id"] for r in likes(desktop)] == ["mamba"]
    assert "was already liked" in desktop.ok("like", "Mamba").stderr


def test_an_import_checks_likes_by_the_rules(laptop: Machine, tmp_path: Path):
    laptop.ok("like", "Mamba")
    export = json.loads(laptop.ok("export", "--format", "json").stdout)
    assert export["tables"]["likes"][0]["paper_id"] == "mamba"
    export["tables"]["likes"][0]["liked"] = 5
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(export))
    fresh = Machine(tmp_path, "fresh")
    result = fresh.run("import", str(bad))
    assert result.returncode == 1
    assert "likes row 1: liked must be a whole number from 0 to 1" in result.stderr
    export["tables"]["likes"][0]["liked"] = 1
    bad.write_text(json.dumps(export))
    fresh.ok("import", str(bad))
    assert likes(fresh) == likes(laptop)


def test_what_semantic_scholar_said_stays_on_the_machine(laptop: Machine, tmp_path: Path, hub):
    import sqlite3

    conn = sqlite3.connect(laptop.home / "rc.db")
    with conn:
        conn.execute(
            "INSERT INTO s2_papers (arxiv_id, status, tldr, looked_up_at)"
            " VALUES ('2106.09685', 'found', 'A TLDR.', 'x')"
        )
    conn.close()
    laptop.ok("like", "2106.09685")
    laptop.ok("sync", "--init", str(hub))
    desktop = Machine(tmp_path, "desktop")
    desktop.ok("sync", "--init", str(hub))
    conn = sqlite3.connect(desktop.home / "rc.db")
    try:
        assert conn.execute("SELECT count(*) FROM s2_papers").fetchone() == (0,)
        assert conn.execute("SELECT paper_id FROM likes").fetchall() == [("2106.09685",)]
    finally:
        conn.close()


def test_like_refuses_what_is_neither_stored_nor_an_arxiv_id(laptop: Machine):
    result = laptop.run("like", "Mambo")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: no paper 'Mambo'; did you mean 'Mamba'?"
    assert laptop.state()["likes"] == []
