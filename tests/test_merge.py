"""The change log's two promises, checked on random histories (hypothesis):

- devices that make changes and sync at random points end with the same store;
- undoing every change returns a store to where it started.

The sync here is the file layer of `rc sync` without git: each device appends to its own
file in one shared folder, which is what a git merge of those files gives. The git layer is
checked through the real process in test_sync.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readchallenge import config
from readchallenge.errors import RcError
from readchallenge.services import challenge, data, history, items, notes, plan, removal
from readchallenge.services import sync as sync_service
from readchallenge.store import db, log

DEVICES = ("laptop", "desktop", "tablet")
PAPERS = ("a", "b", "c")
DAYS = [date(2026, 6, d) for d in range(8, 13)]

paper = st.sampled_from(PAPERS)
day = st.sampled_from(DAYS)
device = st.integers(0, len(DEVICES) - 1)
word = st.sampled_from(["x", "y", "z"])
action = st.one_of(
    st.tuples(st.just("add"), device, paper, st.none() | day),
    st.tuples(st.just("rm"), device, paper),
    st.tuples(st.just("read"), device, paper, day),
    st.tuples(st.just("unread"), device, paper),
    st.tuples(st.just("skip"), device, day),
    st.tuples(st.just("unskip"), device, day),
    st.tuples(st.just("note"), device, paper, word),
    st.tuples(st.just("takeaways"), device, paper, st.lists(word, max_size=3)),
    st.tuples(st.just("move"), device, paper, day),
    st.tuples(st.just("link"), device, paper, word),
    st.tuples(st.just("week"), device, word),
    st.tuples(st.just("sync"), device),
    st.tuples(st.just("undo"), device),
)


def _cfg(home: Path) -> config.Config:
    return config.load({"RC_HOME": str(home), "RC_TODAY": "2026-06-10", "RC_LINKS_LOOKUP": "0"})


def _device(home: Path, name: str) -> config.Config:
    cfg = _cfg(home)
    with db.writing(cfg.db_path) as conn:
        log.set_state(conn, "device", f"{name}-00000{DEVICES.index(name)}")
    return cfg


def _do(cfg: config.Config, shared: Path, step: tuple[Any, ...]) -> None:
    kind, args = step[0], step[2:]
    try:
        if kind == "add":
            placement = plan.Placement(on=args[1], force=True, backlog=args[1] is None)
            items.add_item(
                cfg,
                url=f"https://example.org/{args[0]}",
                title=args[0].upper(),
                kind="blog",
                name=args[0],
                authors=None,
                placement=placement,
            )
        elif kind == "rm":
            removal.remove(cfg, removal.plan_removal(cfg, [args[0]]))
        elif kind == "read":
            challenge.read(cfg, args[0], args[1])
        elif kind == "unread":
            challenge.unread(cfg, args[0], None, every=True)
        elif kind in ("skip", "unskip"):
            challenge.skip(cfg, args[0], "busy", undo=kind == "unskip")
        elif kind == "note":
            notes.save_note(cfg, args[0], description=f"about {args[1]}")
        elif kind == "takeaways":
            notes.save_note(cfg, args[0], replace=list(args[1]))
        elif kind == "move":
            challenge.move(cfg, args[0], args[1], force=True)
        elif kind == "link":
            items.set_link(cfg, args[0], "code", f"https://github.com/{args[1]}/{args[0]}")
        elif kind == "week":
            notes.save_week(cfg, DAYS[0], {"theme": args[0]})
        elif kind == "sync":
            _sync(cfg, shared)
        elif kind == "undo":
            history.undo(cfg, 1)
    except RcError:
        pass  # refused as a user would see it: nothing changed


def _sync(cfg: config.Config, shared: Path) -> int:
    """One device's rc sync over a shared folder; how many entries it sent and received."""
    report = sync_service.SyncReport(remote=str(shared))
    sent, _ = sync_service.append_own(cfg, shared)
    sync_service.apply_peers(cfg, shared, report)
    sent += sync_service.append_own(cfg, shared)[0]
    return sent + sum(report.received.values())


def _state(cfg: config.Config) -> dict[str, Any]:
    exported: dict[str, Any] = json.loads("".join(data.export_json(cfg)))
    return exported["tables"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(action, min_size=1, max_size=25))
def test_devices_that_sync_end_with_the_same_store(tmp_path_factory, steps):
    root = tmp_path_factory.mktemp("devices")
    shared = root / "shared"
    (shared / "changes").mkdir(parents=True)
    cfgs = [_device(root / name, name) for name in DEVICES]
    for step in steps:
        _do(cfgs[step[1]], shared, step)
    for _ in range(6):  # until nobody has anything new
        if not sum(_sync(cfg, shared) for cfg in cfgs):
            break
    else:
        raise AssertionError("the devices kept sending each other changes")
    first = _state(cfgs[0])
    for cfg in cfgs[1:]:
        assert _state(cfg) == first


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(action.filter(lambda s: s[0] not in ("sync", "undo")), max_size=20))
def test_undoing_every_change_returns_the_store_to_its_start(tmp_path_factory, steps):
    root = tmp_path_factory.mktemp("undo")
    cfg = _device(root / "laptop", "laptop")
    challenge.init(cfg, start=date(2026, 6, 1), until=None, per_day=None, name=None)
    for name in ("a", "b"):
        _do(cfg, root, ("add", 0, name, DAYS[PAPERS.index(name)]))
    _do(cfg, root, ("read", 0, "a", DAYS[0]))
    start = _state(cfg)
    before = len(history.history(cfg, None))
    for step in steps:
        _do(cfg, root, step)
    made = len(history.history(cfg, None)) - before
    if made:
        assert len(history.undo(cfg, made)) == made
    assert _state(cfg) == start
