"""Two machines, one challenge: rc sync, rc log and rc undo through the real `rc` process,
with two RC_HOMEs and a bare git repository in a temporary folder (docs/sync.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Stores, dump

TIMEOUT = 300  # generous: a hang fails, a busy machine does not

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="rc sync needs git")


class Machine:
    def __init__(self, root: Path, name: str) -> None:
        self.home = root / name
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("RC_")}
        self.env.update(
            RC_HOME=str(self.home),
            RC_TODAY="2026-12-01",
            RC_DEVICE=name,
            RC_LINKS_LOOKUP="false",
            RC_ARXIV_API_URL="http://127.0.0.1:9/api/query",
        )

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "readchallenge", *args],
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )

    def ok(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = self.run(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
        return result

    def state(self) -> dict[str, Any]:
        tables: dict[str, Any] = json.loads(self.ok("export", "--format", "json").stdout)["tables"]
        return tables


def _git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=True
    )
    return done.stdout


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    path = tmp_path / "hub.git"
    _git("init", "-q", "--bare", str(path))
    return path


LAPTOP = (
    ("init", "--start", "2026-11-30", "--until", "2027-07-31", "--name", "Winter"),
    ("add", "--url", "https://example.org/mamba", "--title", "Mamba", "--as", "Mamba",
     "--on", "2026-12-01"),
    ("read", "Mamba"),
    ("note", "Mamba", "--description", "state spaces", "--takeaway", "linear time"),
)  # fmt: skip


@pytest.fixture
def laptop(tmp_path: Path, stores: Stores) -> Machine:
    """The laptop's challenge, made once by these commands and copied for each test."""
    machine = Machine(tmp_path, "laptop")
    stores.copy(machine.home, *LAPTOP, RC_DEVICE="laptop", RC_TODAY="2026-12-01")
    return machine


@pytest.fixture
def desktop(tmp_path: Path) -> Machine:
    return Machine(tmp_path, "desktop")


def _stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return result.stderr.strip().splitlines()


def test_a_second_machine_starts_from_an_empty_store_and_receives_everything(
    laptop: Machine, desktop: Machine, hub: Path
) -> None:
    laptop.ok("sync", "--init", str(hub))
    result = desktop.ok("sync", "--init", str(hub))
    assert "received" in result.stderr and "from laptop" in result.stderr
    assert desktop.state() == laptop.state()
    shown = json.loads(desktop.ok("show", "Mamba", "--json").stdout)
    assert shown["read_on"] == ["2026-12-01"] and shown["takeaways"] == ["linear time"]
    assert json.loads(desktop.ok("info", "--json").stdout)  # a working store


@pytest.mark.parametrize("first", ["laptop", "desktop"])
def test_edits_on_both_machines_end_equal_whichever_syncs_first(
    laptop: Machine, desktop: Machine, hub: Path, first: str
) -> None:
    laptop.ok("sync", "--init", str(hub))
    desktop.ok("sync", "--init", str(hub))
    laptop.ok("add", "--url", "https://example.org/hyena", "--title", "Hyena", "--as", "Hyena",
              "--on", "2026-12-02")  # fmt: skip
    laptop.ok("skip", "--on", "2026-11-30", "--reason", "travel")
    desktop.ok("add", "--url", "https://example.org/rwkv", "--title", "RWKV", "--as", "RWKV",
               "--on", "2026-12-04")  # fmt: skip
    desktop.ok("read", "RWKV", "--on", "2026-12-01")
    desktop.ok("week", "--theme", "Beyond attention")
    order = [laptop, desktop] if first == "laptop" else [desktop, laptop]
    for machine in (*order, *order):
        machine.ok("sync")
    assert laptop.state() == desktop.state()
    names = {p["name"] for p in laptop.state()["papers"]}
    assert names == {"Mamba", "Hyena", "RWKV"}
    assert laptop.state()["weeks"][0]["theme"] == "Beyond attention"


def test_a_conflict_is_settled_the_same_way_on_both_and_reported(
    laptop: Machine, desktop: Machine, hub: Path
) -> None:
    laptop.ok("sync", "--init", str(hub))
    desktop.ok("sync", "--init", str(hub))
    laptop.ok("add", "--url", "https://example.org/hyena", "--title", "Hyena", "--as", "Hyena",
              "--on", "2026-12-03")  # fmt: skip
    laptop.ok("note", "Mamba", "--description", "written on the laptop")
    desktop.ok("add", "--url", "https://example.org/jetmoe", "--title", "JetMoE",
               "--as", "JetMoE", "--on", "2026-12-03")  # fmt: skip
    desktop.ok("note", "Mamba", "--description", "written on the desktop")
    laptop.ok("sync")
    settled = desktop.ok("sync")
    assert (
        "conflict: Mamba, description: kept this device's (set later) over laptop's"
        in _stderr_lines(settled)
    )
    assert (
        "conflict: 2026-12-03 was planned on two devices: kept JetMoE (planned later), "
        "moved Hyena to the backlog" in _stderr_lines(settled)
    )
    told = laptop.ok("sync")
    assert (
        "conflict: Mamba, description: took desktop's (set later) over this device's"
        in _stderr_lines(told)
    )
    assert laptop.state() == desktop.state()
    plan = {p["paper_id"]: p["day"] for p in laptop.state()["plan"]}
    assert plan.get("jetmoe") == "2026-12-03" and "hyena" not in plan
    shown = json.loads(laptop.ok("show", "Mamba", "--json").stdout)
    assert shown["description"] == "written on the desktop"


def test_rc_log_shows_every_device_newest_first(laptop: Machine, desktop: Machine, hub: Path):
    laptop.ok("sync", "--init", str(hub))
    desktop.ok("sync", "--init", str(hub))
    desktop.ok("skip", "--on", "2026-12-02")
    desktop.ok("sync")
    laptop.ok("sync")
    lines = laptop.ok("log", "-n", "2").stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("desktop: skip --on 2026-12-02")
    assert lines[0].startswith("2026-12-01 ")
    entries = json.loads(laptop.ok("log", "--json").stdout)
    assert [e["command"] for e in entries] == [
        "skip --on 2026-12-02",
        "note Mamba --description 'state spaces' --takeaway 'linear time'",
        "read Mamba",
        "add --url https://example.org/mamba --title Mamba --as Mamba --on 2026-12-01",
        "init --start 2026-11-30 --until 2027-07-31 --name Winter",
        "(the default challenge)",
    ]
    assert entries[0]["device"].startswith("desktop-") and entries[0]["operations"] == 1
    assert all(e["device"].startswith("laptop-") for e in entries[1:])


def test_undo_reverts_the_last_change_and_is_itself_a_change(laptop: Machine) -> None:
    before = laptop.state()
    laptop.ok("unread", "Mamba")
    laptop.ok("note", "Mamba", "--description", "changed my mind")
    undone = laptop.ok("undo", "2")
    assert [line.split("  (")[0] for line in _stderr_lines(undone)] == [
        "undid: note Mamba --description 'changed my mind'",
        "undid: unread Mamba",
    ]
    assert laptop.state() == before
    log = laptop.ok("log", "-n", "4").stdout.splitlines()
    assert log[0].endswith("laptop: undo: unread Mamba")
    assert log[2].endswith("laptop: note Mamba --description 'changed my mind'  (undone)")
    laptop.ok("redo")
    assert json.loads(laptop.ok("show", "Mamba", "--json").stdout)["read_on"] == []


def test_undo_refuses_when_another_machine_changed_the_same_rows_later(
    laptop: Machine, desktop: Machine, hub: Path
) -> None:
    laptop.ok("sync", "--init", str(hub))
    laptop.ok("note", "Mamba", "--description", "laptop's words")
    laptop.ok("sync")
    desktop.ok("sync", "--init", str(hub))
    desktop.ok("note", "Mamba", "--description", "desktop's words")
    desktop.ok("sync")
    laptop.ok("sync")
    before = dump(laptop.home)
    refused = laptop.run("undo")
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: cannot undo 'note Mamba --description ")
    assert "desktop changed the same rows after it" in refused.stderr
    assert len(_stderr_lines(refused)) == 1
    assert dump(laptop.home) == before


def test_rc_sync_without_set_up_says_how(laptop: Machine) -> None:
    result = laptop.run("sync")
    assert result.returncode == 1
    assert _stderr_lines(result) == [
        "error: sync is not set up here: rc sync --init REMOTE (a git URL or a folder)"
    ]


def test_no_git_on_path_is_one_line_and_changes_nothing(laptop: Machine, hub: Path) -> None:
    before = dump(laptop.home)
    env = dict(laptop.env, PATH=str(Path(sys.executable).parent) + ":/nonexistent")
    if shutil.which("git", path=env["PATH"]):
        pytest.skip("git sits beside python here")
    result = laptop.run("sync", "--init", str(hub), env=env)
    assert result.returncode == 1
    assert _stderr_lines(result) == [
        "error: git is not installed (or not on PATH); rc sync needs it"
    ]
    assert dump(laptop.home) == before
    assert not (laptop.home / "sync").exists()


def test_a_remote_that_does_not_exist_leaves_nothing_behind(laptop: Machine, tmp_path: Path):
    before = dump(laptop.home)
    missing = laptop.run("sync", "--init", str(tmp_path / "nowhere.git"))
    assert missing.returncode == 2
    assert _stderr_lines(missing)[0].startswith("error: no repository at ")
    unreachable = laptop.run("sync", "--init", "file:///nonexistent/hub.git")
    assert unreachable.returncode == 1
    assert _stderr_lines(unreachable)[0].startswith(
        "error: cannot reach file:///nonexistent/hub.git: "
    )
    assert len(_stderr_lines(unreachable)) == 1
    assert dump(laptop.home) == before
    assert not (laptop.home / "sync").exists()


def test_an_unreachable_remote_keeps_the_changes_for_the_next_sync(
    laptop: Machine, desktop: Machine, hub: Path
) -> None:
    laptop.ok("sync", "--init", str(hub))
    laptop.ok("skip", "--on", "2026-12-02")
    hub.rename(hub.with_name("away.git"))
    failed = laptop.run("sync")
    assert failed.returncode == 1
    assert _stderr_lines(failed) == [
        f"error: cannot reach {hub}; your 1 change is committed here and go with the next "
        f"rc sync: " + failed.stderr.split("next rc sync: ")[-1].strip()
    ]
    hub.with_name("away.git").rename(hub)
    laptop.ok("sync")
    desktop.ok("sync", "--init", str(hub))
    assert [s["day"] for s in desktop.state()["skips"]] == ["2026-12-02"]


def test_a_rejected_push_is_one_line_and_the_next_sync_sends_it(
    laptop: Machine, desktop: Machine, hub: Path
) -> None:
    laptop.ok("sync", "--init", str(hub))
    hook = hub / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'the hub is closed for the night' >&2\nexit 1\n")
    hook.chmod(0o755)
    laptop.ok("skip", "--on", "2026-12-02")
    refused = laptop.run("sync")
    assert refused.returncode == 1
    assert len(_stderr_lines(refused)) == 1
    assert refused.stderr.startswith(f"error: {hub} refused the push (")
    assert "go with the next rc sync" in refused.stderr
    hook.unlink()
    laptop.ok("sync")
    desktop.ok("sync", "--init", str(hub))
    assert [s["day"] for s in desktop.state()["skips"]] == ["2026-12-02"]


def _push_line(hub: Path, tmp_path: Path, device: str, line: str) -> None:
    """Another device's file in the hub with `line` in it (a damaged or newer device)."""
    clone = tmp_path / f"clone-{device}"
    _git("clone", "-q", "-b", "main", str(hub), str(clone))
    (clone / "changes").mkdir(exist_ok=True)
    with (clone / "changes" / f"{device}.jsonl").open("a") as handle:
        handle.write(line)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "add", "changes", cwd=clone)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x", cwd=clone)
    _git("push", "-q", "origin", "HEAD:main", cwd=clone)


def _entry(device: str, **changes: Any) -> str:
    entry = {
        "rc": 1, "clock": f"{1796102505637 + 10**6:015d}.000000.{device}", "device": device,
        "seq": 1, "at": "2026-12-01T09:00:00+00:00", "command": "rc skip", "undoes": None,
        "ops": [{"t": "skips", "k": ["2026-12-03"], "o": None,
                 "n": {"day": "2026-12-03", "reason": None, "created_at": "x"}}],
    }  # fmt: skip
    entry.update(changes)
    return json.dumps(entry) + "\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"rc": 1, "clock": "0001\n', "not JSON (a truncated or damaged line)"),
        (_entry("tablet-aaaaaa")[:-1], "a truncated line"),
        (_entry("tablet-aaaaaa", rc=3), "written by a newer rc (entry format 3)"),
        (
            _entry("tablet-aaaaaa", ops=[{"t": "users", "k": [1], "n": {}}]),
            "an operation names an unknown table 'users'",
        ),
        (_entry("someone-else"), "an entry of another device"),
    ],
    ids=["damaged", "truncated", "newer rc", "unknown table", "wrong device"],
)
def test_a_bad_line_from_another_device_applies_nothing(
    laptop: Machine, hub: Path, tmp_path: Path, line: str, message: str
) -> None:
    laptop.ok("sync", "--init", str(hub))
    _push_line(hub, tmp_path, "tablet-aaaaaa", _entry("tablet-aaaaaa") + line)
    before = dump(laptop.home)
    result = laptop.run("sync")
    assert result.returncode == 1
    lines = _stderr_lines(result)
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: changes/tablet-aaaaaa.jsonl line 2: ")
    assert message in lines[0]
    assert lines[0].endswith("nothing was applied (fix or remove that line)")
    assert dump(laptop.home) == before


def test_an_import_is_one_change_and_undo_takes_it_back(laptop: Machine, tmp_path: Path):
    exported = tmp_path / "export.json"
    laptop.ok("export", "--format", "json", "-o", str(exported))
    fresh = Machine(tmp_path, "fresh")
    fresh.ok("import", str(exported))
    assert fresh.state() == laptop.state()
    entries = json.loads(fresh.ok("log", "--json").stdout)
    assert [e["command"] for e in entries] == [f"import {exported}"]
    rows = sum(len(rows) for rows in laptop.state().values())
    assert entries[0]["operations"] == rows
    assert fresh.ok("undo").stderr.startswith(f"undid: import {exported}  (")
    assert all(not rows for rows in fresh.state().values())


def test_rc_log_on_a_new_store(desktop: Machine) -> None:
    result = desktop.ok("log")
    assert result.stdout == "" and result.stderr == "no changes recorded yet\n"
    assert json.loads(desktop.ok("log", "--json").stdout) == []
    nothing = desktop.run("undo")
    assert nothing.returncode == 1
    assert nothing.stderr == "error: nothing to undo: no change of this device is in force\n"
    bad = desktop.run("log", "-n", "0")
    assert bad.returncode == 2 and bad.stderr == "error: -n must be at least 1\n"


def test_an_import_made_after_set_up_reaches_the_other_machine(
    laptop: Machine, desktop: Machine, hub: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "export.json"
    laptop.ok("export", "--format", "json", "-o", str(exported))
    desktop.ok("sync", "--init", str(hub))
    desktop.ok("import", str(exported))
    desktop.ok("note", "Mamba", "--description", "edited after the import")
    desktop.ok("sync")
    other = Machine(tmp_path, "tablet")
    other.ok("sync", "--init", str(hub))
    assert other.state() == desktop.state()
    shown = json.loads(other.ok("show", "Mamba", "--json").stdout)
    assert shown["description"] == "edited after the import"
    assert shown["takeaways"] == ["linear time"] and shown["read_on"] == ["2026-12-01"]


def test_undo_leaves_what_rc_sync_settled_alone(laptop: Machine, desktop: Machine, hub: Path):
    laptop.ok("sync", "--init", str(hub))
    desktop.ok("sync", "--init", str(hub))
    laptop.ok("add", "--url", "https://example.org/hyena", "--title", "Hyena", "--as", "Hyena",
              "--on", "2026-12-03")  # fmt: skip
    desktop.ok("skip", "--on", "2026-12-02")
    desktop.ok("add", "--url", "https://example.org/jetmoe", "--title", "JetMoE",
               "--as", "JetMoE", "--on", "2026-12-03")  # fmt: skip
    laptop.ok("sync")
    desktop.ok("sync")  # settles 2026-12-03: JetMoE stays, Hyena goes to the backlog
    undone = desktop.ok("undo")
    assert undone.stderr.startswith("undid: add --url https://example.org/jetmoe ")
    plan = {p["paper_id"]: p["day"] for p in desktop.state()["plan"]}
    assert plan == {"mamba": "2026-12-01"}
    assert desktop.ok("undo").stderr.startswith("undid: skip --on 2026-12-02 ")
    refused = desktop.run("undo")
    assert refused.returncode == 1
    assert refused.stderr == "error: nothing to undo: no change of this device is in force\n"


def _description(machine: Machine) -> str:
    return str(json.loads(machine.ok("show", "Mamba", "--json").stdout)["description"])


def _theme(machine: Machine) -> str:
    return str(machine.state()["weeks"][0]["theme"])


@pytest.mark.parametrize(
    ("command", "read"),
    [(["note", "Mamba", "--description"], _description), (["week", "2026-W49", "--theme"], _theme)],
    ids=["note", "theme"],
)
def test_undoing_the_value_that_won_brings_back_the_other_machines(
    laptop: Machine,
    desktop: Machine,
    hub: Path,
    command: list[str],
    read: Callable[[Machine], str],
) -> None:
    laptop.ok("sync", "--init", str(hub))
    desktop.ok("sync", "--init", str(hub))
    laptop.ok(*command, "written on the laptop")
    desktop.ok(*command, "written on the desktop")
    for machine in (laptop, desktop, laptop):
        machine.ok("sync")
    assert read(laptop) == "written on the desktop"
    desktop.ok("undo")
    desktop.ok("sync")
    laptop.ok("sync")
    assert laptop.state() == desktop.state()
    assert read(laptop) == read(desktop) == "written on the laptop"
    refused = laptop.run("undo")  # the desktop's undo came later, on the same row
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"error: cannot undo '{' '.join(command)} ")
