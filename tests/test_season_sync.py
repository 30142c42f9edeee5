"""The season moves with the store: rc find's index and the tags survive an export and an
import, and rc sync between two machines (through the real process and a bare repository)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.season import TIMEOUT, Rc, ids, index_is_whole

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="rc sync needs git")


def hits(rc: Rc, query: str) -> list[tuple[str, str]]:
    return [(h["id"], h["field"]) for h in rc.json("find", query)["hits"]]


def test_find_and_tags_survive_an_export_and_an_import(season: Rc, tmp_path: Path):
    export = tmp_path / "everything.json"
    season("export", "--format", "json", "-o", str(export))
    fresh = Rc(tmp_path / "fresh")
    fresh("import", str(export))
    for query in ("mixing", "democratization", "fibers", "bottleneck"):
        assert hits(fresh, query) == hits(season, query), query
    assert fresh.json("tag") == season.json("tag")
    assert fresh.json("week", "2026-W23")["url"] == "https://blog.example.org/sunday-papers-1"
    index_is_whole(fresh.home)
    # The import is one change: undo takes it back, index and tags with it.
    fresh("undo")
    assert fresh.json("find", "mixing")["hits"] == [] and fresh.json("tag") == []
    index_is_whole(fresh.home)
    # Exported again, the file is the same, byte for byte.
    again = tmp_path / "again.json"
    fresh("redo")
    fresh("export", "--format", "json", "-o", str(again))
    assert again.read_bytes() == export.read_bytes()


def test_find_and_tags_sync_both_ways_and_undo_travels(season: Rc, tmp_path: Path):
    hub = tmp_path / "hub.git"
    subprocess.run(["git", "init", "-q", "--bare", str(hub)], check=True, timeout=TIMEOUT)
    laptop = season
    laptop.env["RC_DEVICE"] = "laptop"
    laptop("sync", "--init", str(hub))
    desktop = Rc(tmp_path / "desktop", RC_DEVICE="desktop")
    desktop("sync", "--init", str(hub))
    assert hits(desktop, "mixing") == hits(laptop, "mixing")
    assert desktop.json("tag") == laptop.json("tag")
    # Written on the desktop, found and filed on the laptop.
    desktop("note", "mamba", "--description", "A zeppelin of a state space model.")
    desktop("tag", "mamba", "ssm")
    desktop("week", "2026-W24", "--tag", "architectures")
    desktop("sync")
    laptop("sync")
    assert hits(laptop, "zeppelin") == [("mamba", "notes")]
    assert [p["id"] for p in laptop.json("list", "--tag", "ssm")] == ["mamba"]
    assert "architectures" in laptop.json("week", "2026-W24")["tags"]
    # Taken off on the laptop, undone on the desktop: both end the same.
    laptop("tag", "galore", "--remove", "optimizers")
    laptop("sync")
    desktop("sync")
    assert desktop.json("tag", "galore")["tags"] == ["efficiency"]
    desktop("undo")  # the desktop's last change: the week's tag
    desktop("sync")
    laptop("sync")
    assert "architectures" not in laptop.json("week", "2026-W24")["tags"]
    assert laptop.json("tag") == desktop.json("tag")
    for machine in (laptop, desktop):
        index_is_whole(machine.home)
    assert ids(laptop.json("find", "zeppelin", "--tag", "ssm")) == ["mamba"]
