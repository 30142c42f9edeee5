"""Nothing lost between machines, nothing let in (issue #21): each fault found when rc sync
was attacked, through the real `rc` process, with two or three homes and a bare git
repository in a temporary folder (docs/sync.md states the rules)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.conftest import dump
from tests.test_sync import TIMEOUT, Machine, _git, _stderr_lines

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="rc sync needs git")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sync"


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    path = tmp_path / "hub.git"
    _git("init", "-q", "--bare", str(path))
    return path


def _pair(tmp_path: Path, hub: Path) -> tuple[Machine, Machine]:
    """A laptop with a challenge and a desktop that joined it through `hub`."""
    laptop, desktop = Machine(tmp_path, "laptop"), Machine(tmp_path, "desktop")
    laptop.ok("init", "--start", "2026-11-30", "--until", "2027-07-31", "--name", "Winter")
    laptop.ok("sync", "--init", str(hub))
    desktop.ok("sync", "--init", str(hub))
    return laptop, desktop


def _add(machine: Machine, name: str, *where: str) -> None:
    url = f"https://example.org/{name.lower().replace(' ', '-')}"
    machine.ok("add", "--url", url, "--title", name, "--as", name, *(where or ("--backlog",)))


def _commit_in(hub: Path, tmp_path: Path, change: callable) -> None:  # type: ignore[valid-type]
    """Another device's commit in the hub: `change(clone)` edits a clone, which is pushed."""
    clone = tmp_path / f"clone-{len(list(tmp_path.glob('clone-*')))}"
    _git("clone", "-q", "-b", "main", str(hub), str(clone))
    change(clone)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "add", "-A", cwd=clone)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x", cwd=clone)
    _git("push", "-q", "origin", "HEAD:main", cwd=clone)


def _device_id(machine: Machine) -> str:
    entries = json.loads(machine.ok("log", "--json").stdout)
    return str(next(e["device"] for e in entries if e["device"].startswith(machine.home.name)))


# 1. Undo drops another machine's work ----------------------------------------------------


def test_undo_refuses_when_another_machine_built_on_what_it_added(tmp_path: Path, hub: Path):
    laptop, desktop = _pair(tmp_path, hub)
    _add(laptop, "Alpha post")
    laptop.ok("sync")
    desktop.ok("sync")
    desktop.ok("read", "alpha-post")
    desktop.ok("sync")
    laptop.ok("sync")
    before = dump(laptop.home)
    refused = laptop.run("undo")
    assert refused.returncode == 1
    assert len(_stderr_lines(refused)) == 1
    assert refused.stderr.startswith("error: cannot undo 'add --url https://example.org/alpha")
    assert "desktop built on what it added after it ('read alpha-post'" in refused.stderr
    assert dump(laptop.home) == before
    laptop.ok("sync")
    desktop.ok("sync")
    shown = json.loads(desktop.ok("show", "alpha-post", "--json").stdout)
    assert shown["read_on"] == ["2026-12-01"]


# 2. rm on one machine, a note or a reading on the other ----------------------------------


def test_a_removal_against_a_note_written_meanwhile_is_reported_on_both(
    tmp_path: Path, hub: Path
) -> None:
    laptop, desktop = _pair(tmp_path, hub)
    _add(laptop, "Gamma", "--on", "2026-12-01")
    laptop.ok("sync")
    desktop.ok("sync")
    desktop.ok("rm", "--yes", "gamma")
    laptop.ok("note", "gamma", "--description", "written on the laptop")
    laptop.ok("read", "gamma")
    desktop.ok("sync")
    told_laptop = laptop.ok("sync")
    told_desktop = desktop.ok("sync")
    assert (
        "conflict: Gamma was removed on desktop: its reading and note written meanwhile went "
        "with it (rc undo on desktop brings them back)" in _stderr_lines(told_laptop)
    )
    assert any(
        line.startswith("conflict: Gamma was removed before laptop wrote its ")
        for line in _stderr_lines(told_desktop)
    ), told_desktop.stderr
    laptop.ok("sync")
    assert laptop.state() == desktop.state()
    assert "gamma" not in {p["id"] for p in laptop.state()["papers"]}
    desktop.ok("undo")  # the removal goes back, with what the laptop wrote meanwhile
    desktop.ok("sync")
    laptop.ok("sync")
    assert laptop.state() == desktop.state()
    shown = json.loads(laptop.ok("show", "gamma", "--json").stdout)
    assert shown["description"] == "written on the laptop"
    assert shown["read_on"] == ["2026-12-01"]


def test_an_undone_removal_leaves_both_machines_the_same(tmp_path: Path, hub: Path) -> None:
    laptop, desktop = _pair(tmp_path, hub)
    _add(laptop, "Delta", "--on", "2026-12-01")
    laptop.ok("sync")
    desktop.ok("sync")
    laptop.ok("rm", "--yes", "delta")
    desktop.ok("read", "delta")
    laptop.ok("sync")
    desktop.ok("sync")
    laptop.ok("sync")
    laptop.ok("undo")
    for _ in range(2):
        laptop.ok("sync")
        desktop.ok("sync")
    assert laptop.state() == desktop.state()
    shown = json.loads(laptop.ok("show", "delta", "--json").stdout)
    assert shown["read_on"] == ["2026-12-01"]


# 3. A new remote, or a file gone from the hub, does not end the exchange ------------------


def test_a_new_remote_made_as_the_docs_say_keeps_the_exchange_going(
    tmp_path: Path, hub: Path
) -> None:
    laptop, desktop = _pair(tmp_path, hub)
    _add(laptop, "Mamba", "--on", "2026-12-01")
    laptop.ok("sync")
    desktop.ok("sync")
    desktop.ok("note", "Mamba", "--description", "written before the move")
    desktop.ok("sync")  # the laptop never takes this from the old hub
    new = tmp_path / "new.git"
    _git("init", "-q", "--bare", str(new))
    for machine in (laptop, desktop):
        shutil.rmtree(machine.home / "sync")
        machine.ok("sync", "--init", str(new))
    desktop.ok("read", "Mamba")
    laptop.ok("note", "Mamba", "--takeaway", "from the laptop")
    desktop.ok("sync")
    received = laptop.ok("sync")  # the note from before the move and the new reading
    assert "received 2 from desktop" in received.stderr
    assert "conflict" not in received.stderr
    desktop.ok("sync")
    assert laptop.state() == desktop.state()
    shown = json.loads(laptop.ok("show", "Mamba", "--json").stdout)
    assert shown["description"] == "written before the move"
    assert shown["read_on"] == ["2026-12-01"] and shown["takeaways"] == ["from the laptop"]
    tablet = Machine(tmp_path, "tablet")  # a third machine joins the new hub: all is there
    tablet.ok("sync", "--init", str(new))
    assert tablet.state() == laptop.state()


def test_a_device_whose_files_were_removed_from_the_hub_sends_them_again(
    tmp_path: Path, hub: Path
) -> None:
    laptop, desktop = _pair(tmp_path, hub)
    _add(laptop, "Mamba", "--on", "2026-12-01")
    laptop.ok("sync")
    laptop_id = _device_id(laptop)
    _commit_in(hub, tmp_path, lambda clone: shutil.rmtree(clone / "changes" / laptop_id))
    laptop.ok("note", "Mamba", "--description", "after the removal")
    laptop.ok("sync")
    desktop.ok("sync")
    assert desktop.state() == laptop.state()
    tablet = Machine(tmp_path, "tablet")
    tablet.ok("sync", "--init", str(hub))
    assert tablet.state() == laptop.state()


# 4. One poison clock ----------------------------------------------------------------------


def _line(device: str, clock: str, ops: list[dict[str, object]], seq: int = 1) -> str:
    entry = {
        "rc": 2, "clock": clock, "device": device, "seq": seq,
        "at": "2026-12-01T09:00:00+00:00", "command": "rc x", "undoes": None, "ops": ops,
        "seen": {},
    }  # fmt: skip
    return json.dumps(entry) + "\n"


def _skip_op(day: object, reason: object = None) -> dict[str, object]:
    row = {"day": day, "reason": reason, "created_at": "2026-12-01T09:00:00+00:00"}
    return {"t": "skips", "k": [day], "o": None, "n": row}


def _push_chunk(hub: Path, tmp_path: Path, device: str, text: str) -> None:
    def write(clone: Path) -> None:
        folder = clone / "changes" / device
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "00000001.jsonl.gz").write_bytes(gzip.compress(text.encode()))

    _commit_in(hub, tmp_path, write)


def test_a_clock_that_cannot_be_advanced_is_refused_and_never_adopted(
    tmp_path: Path, hub: Path
) -> None:
    laptop, desktop = _pair(tmp_path, hub)
    device = "tablet-aaaaaa"
    poison = f"999999999999999.999999.{device}"
    _push_chunk(hub, tmp_path, device, _line(device, poison, [_skip_op("2026-12-03")]))
    before = dump(laptop.home)
    refused = laptop.run("sync")
    assert refused.returncode == 1
    assert len(_stderr_lines(refused)) == 1
    assert refused.stderr.startswith(
        f"error: changes/{device}/00000001.jsonl.gz line 1: the clock "
    )
    assert "ahead of this machine's" in refused.stderr
    assert "nothing was applied" in refused.stderr
    assert dump(laptop.home) == before
    laptop.ok("skip", "--on", "2026-12-02")  # the laptop's own clock is still a good one
    newest = json.loads(laptop.ok("log", "--json").stdout)[0]["clock"]
    assert newest.startswith("0017") and len(newest.split(".")[1]) == 6  # 2026, not 33658
    assert desktop.run("sync").returncode == 1  # the desktop refuses the same line too


# 5. Values in sync lines are checked ------------------------------------------------------


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        ([_skip_op("banana")], "a skips operation's day 'banana' is not a date (YYYY-MM-DD)"),
        ([_skip_op(3.5)], "a skips operation's day must be a date (YYYY-MM-DD)"),
        (
            [{"t": "readings", "k": ["mamba", "banana"], "o": None,
              "n": {"paper_id": "mamba", "day": "banana", "read_at": "x"}}],
            "readings operation's day 'banana' is not a date",
        ),
        (
            [{"t": "links", "k": ["mamba", "code"], "o": None,
              "n": {"paper_id": "mamba", "kind": "code", "url": "javascript:alert(1)",
                    "source": "you"}}],
            "a links operation's url must be an http(s) URL",
        ),
    ],
    ids=["day banana", "day 3.5", "reading on banana", "javascript link"],
)  # fmt: skip
def test_a_value_that_breaks_the_rules_is_refused_with_its_file_and_line(
    tmp_path: Path, hub: Path, ops: list[dict[str, object]], message: str
) -> None:
    laptop, _ = _pair(tmp_path, hub)
    device = "tablet-aaaaaa"
    good = _line(device, f"001796102505637.000000.{device}", [_skip_op("2026-12-03")])
    bad = _line(device, f"001796102505638.000000.{device}", ops, seq=2)
    _push_chunk(hub, tmp_path, device, good + bad)
    before = dump(laptop.home)
    refused = laptop.run("sync")
    assert refused.returncode == 1
    lines = _stderr_lines(refused)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: changes/{device}/00000001.jsonl.gz line 2: ")
    assert message in lines[0]
    assert lines[0].endswith("nothing was applied (fix or remove that line)")
    assert dump(laptop.home) == before
    assert json.loads(laptop.ok("today", "--json").stdout)  # the daily view still works


# 6. Links in the sync folder ---------------------------------------------------------------


def test_a_link_committed_in_the_hub_never_writes_outside_the_sync_folder(
    tmp_path: Path, hub: Path
) -> None:
    laptop, desktop = _pair(tmp_path, hub)
    victim = tmp_path / "somefile"
    victim.write_text("precious\n")
    laptop_id = _device_id(laptop)

    def link(clone: Path) -> None:
        own = clone / "changes" / laptop_id
        shutil.rmtree(own, ignore_errors=True)
        own.parent.mkdir(exist_ok=True)
        os.symlink(victim, own)
        os.symlink("/dev/zero", clone / "changes" / "tablet-aaaaaa.jsonl")

    _commit_in(hub, tmp_path, link)
    laptop.ok("skip", "--on", "2026-12-02")
    result = laptop.run("sync")
    assert victim.read_text() == "precious\n"
    assert "Traceback" not in result.stderr
    assert not (laptop.home / "sync" / "changes" / laptop_id).is_symlink()
    if result.returncode != 0:  # git cannot merge a link over the laptop's own folder
        assert len(_stderr_lines(result)) == 1


def test_a_link_already_in_a_working_copy_is_refused(tmp_path: Path, hub: Path) -> None:
    laptop, desktop = _pair(tmp_path, hub)
    changes = laptop.home / "sync" / "changes"
    os.symlink("/dev/zero", changes / "tablet-aaaaaa.jsonl")
    before = dump(laptop.home)
    result = laptop.run("sync")
    assert result.returncode == 1
    assert _stderr_lines(result) == [
        "error: changes/tablet-aaaaaa.jsonl in the sync folder is a symbolic link; rc reads "
        "only plain files there: remove it from the repository; nothing was applied"
    ]
    assert dump(laptop.home) == before
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(changes, ignore_errors=True)
    os.symlink(outside, changes)
    laptop.ok("skip", "--on", "2026-12-02")
    result = laptop.run("sync")
    assert result.returncode == 1
    assert _stderr_lines(result) == [
        "error: changes in the sync folder is a symbolic link; rc reads and writes only "
        "plain files there: remove it from the repository"
    ]
    assert list(outside.iterdir()) == []


# Smaller ones --------------------------------------------------------------------------------


def test_a_day_settled_on_one_machine_is_reported_on_the_other_too(
    tmp_path: Path, hub: Path
) -> None:
    laptop, desktop = _pair(tmp_path, hub)
    _add(laptop, "Hyena", "--on", "2026-12-03")
    _add(desktop, "JetMoE", "--on", "2026-12-03")
    laptop.ok("sync")
    settled = desktop.ok("sync")
    assert any("2026-12-03 was planned on two devices" in x for x in _stderr_lines(settled))
    told = laptop.ok("sync")
    assert (
        "conflict: 2026-12-03 was planned on two devices: desktop kept JetMoE (planned later), "
        "moved Hyena to the backlog" in _stderr_lines(told)
    )


def test_an_import_on_a_third_machine_reports_only_real_differences(
    tmp_path: Path, hub: Path
) -> None:
    laptop, desktop = _pair(tmp_path, hub)
    _add(laptop, "Mamba", "--on", "2026-12-01")
    laptop.ok("note", "Mamba", "--description", "state spaces")
    laptop.ok("sync")
    desktop.ok("sync")
    exported = tmp_path / "export.json"
    laptop.ok("export", "--format", "json", "-o", str(exported))
    tablet = Machine(tmp_path, "tablet")
    tablet.ok("import", str(exported))
    joined = tablet.ok("sync", "--init", str(hub))
    assert [x for x in _stderr_lines(joined) if x.startswith("conflict:")] == []
    for machine in (laptop, desktop):
        told = machine.ok("sync")
        assert [x for x in _stderr_lines(told) if x.startswith("conflict:")] == []
    assert laptop.state() == desktop.state() == tablet.state()
    adds = [
        e for e in json.loads(laptop.ok("log", "--json").stdout)
        if e["command"].startswith("add --url https://example.org/mamba")
    ]  # fmt: skip
    assert len(adds) == 1


def test_a_hook_that_refuses_the_push_is_quoted(tmp_path: Path, hub: Path) -> None:
    laptop, _ = _pair(tmp_path, hub)
    hook = hub / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'the hub is closed for the night' >&2\nexit 1\n")
    hook.chmod(0o755)
    laptop.ok("skip", "--on", "2026-12-02")
    refused = laptop.run("sync")
    assert refused.returncode == 1
    assert _stderr_lines(refused) == [
        f"error: {hub} refused the push (the hub is closed for the night); your changes are "
        "committed here and go with the next rc sync"
    ]


# Hubs and stores of the version before chunks ---------------------------------------------


def test_two_machines_of_the_earlier_version_upgrade_and_go_on(tmp_path: Path) -> None:
    """A laptop and a desktop that synced with rc before chunks (schema 9, one file a
    device in the hub, progress kept by line number) upgrade, and a tablet joins."""
    with tarfile.open(FIXTURES / "two-machines-v9.tgz") as archive:
        archive.extractall(tmp_path, filter="data")
    hub = tmp_path / "hub.git"
    laptop, desktop = Machine(tmp_path, "A"), Machine(tmp_path, "B")
    for machine in (laptop, desktop):
        _git("-C", str(machine.home / "sync"), "remote", "set-url", "origin", str(hub))
    before = laptop.state()
    assert {p["id"] for p in before["papers"]} == {"mamba", "hyena"}
    laptop.ok("note", "hyena", "--description", "after the upgrade")
    laptop.ok("sync")
    told = desktop.ok("sync")
    assert "received 2 from laptop" in told.stderr  # a skip it lacked, and the new note
    assert desktop.state() == laptop.state()
    tablet = Machine(tmp_path, "tablet")
    tablet.ok("sync", "--init", str(hub))
    assert tablet.state() == laptop.state()
    assert json.loads(tablet.ok("show", "Mamba", "--json").stdout)["description"] == (
        "from the desktop"
    )
    single = hub_file(hub, "changes/")
    assert any(name.endswith(".jsonl") and "/" not in name[8:] for name in single)
    old = subprocess.run(
        ["git", "-C", str(laptop.home / "sync"), "log", "--format=%s", "-n", "1"],
        capture_output=True, text=True, timeout=TIMEOUT, check=True,
    )  # fmt: skip
    assert old.stdout.strip()


def hub_file(hub: Path, prefix: str) -> list[str]:
    done = subprocess.run(
        ["git", "-C", str(hub), "ls-tree", "-r", "--name-only", "main"],
        capture_output=True, text=True, timeout=TIMEOUT, check=True,
    )  # fmt: skip
    return [name for name in done.stdout.splitlines() if name.startswith(prefix)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not gzip at all\n", "not a gzip file, or a damaged one"),
        (gzip.compress(b"x" * (65 << 20)), "line 1: a line longer than 64 MiB"),
    ],
    ids=["damaged", "a line of 65 MiB"],
)
def test_a_damaged_or_giant_chunk_is_one_line_and_applies_nothing(
    tmp_path: Path, hub: Path, data: bytes, message: str
) -> None:
    laptop, _ = _pair(tmp_path, hub)

    def write(clone: Path) -> None:
        folder = clone / "changes" / "tablet-aaaaaa"
        folder.mkdir(parents=True)
        (folder / "00000001.jsonl.gz").write_bytes(data)

    _commit_in(hub, tmp_path, write)
    before = dump(laptop.home)
    result = laptop.run("sync")
    assert result.returncode == 1
    lines = _stderr_lines(result)
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("error: changes/tablet-aaaaaa/00000001.jsonl.gz")
    assert message in lines[0]
    assert dump(laptop.home) == before
