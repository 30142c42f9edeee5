"""rc sync: one challenge on several devices, through a git repository (docs/sync.md).

The working copy lives in RC_HOME/sync. Each device writes only in its own folder,
`changes/<device>/`, a closed file (a chunk) for what each sync sends, so a merge of two
devices' pushes never conflicts and git's work grows with what is new, not with the
history. A device reads what changed in the other folders since the last commit it
applied, checks every line, and applies the new entries in clock order, all or nothing. A
store knows what it applied by the entries themselves (their clocks), so a hub made anew, or
a file written again, is read again and nothing is applied twice. Hubs written by earlier
versions (`changes/<device>.jsonl`, one file a device) are read as before.
"""

from __future__ import annotations

import heapq
import os
import re
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from readchallenge.config import Config
from readchallenge.core.text import device_name
from readchallenge.errors import Conflict, RcError, UsageError
from readchallenge.sources import git
from readchallenge.store import db, history, log, queries
from readchallenge.store.entries import EntryError
from readchallenge.store.merge import Merge
from readchallenge.sync import files
from readchallenge.sync.hub import BRANCH, GitHub, Hub

PUSH_TRIES = 3


@dataclass
class SyncReport:
    remote: str
    sent: int = 0
    received: dict[str, int] = field(default_factory=dict)  # device name -> entries
    notes: list[str] = field(default_factory=list)  # each conflict and how it was settled
    recorded: bool = False  # `--init` recorded a store whose history came before the log


def folder(cfg: Config) -> Path:
    return cfg.home / "sync"


def settled_command(moved: list[str]) -> str:
    """The command line of the entry of days a sync settled: a line, whatever the count."""
    names = ", ".join(moved[:10]) + (f" and {len(moved) - 10} more" if len(moved) > 10 else "")
    return f"rc sync (days planned on two devices: {names} to the backlog)"


# Taking the other devices' entries -----------------------------------------------------------


def apply_new(
    cfg: Config,
    repo: Path,
    hub: Hub,
    head: str | None,
    report: SyncReport,
    hub_clocks: set[str] | None = None,
) -> None:
    """Apply every new entry of the other devices in one transaction: all or nothing.
    `hub_clocks` (for `--init`) reads the whole hub and collects the clock of every entry."""
    with db.opened(cfg.db_path) as conn:
        device = log.device_id(conn)
        since = None if hub_clocks is not None else log.state(conn, "applied_commit")
        if head is not None and since == head:
            return  # nothing new since the last sync
        sources = files.sources(repo, device, hub.changed(since, head))
        for source in sources:
            remembered = log.state(conn, f"read:{source.rel}") if source.single else None
            if remembered is not None:
                offset, _, clock = remembered.partition(" ")
                source.resume(int(offset), clock)
        try:
            with db.transaction(conn, cfg.command):
                merge = Merge(conn, device)
                peers = _apply_all(conn, merge, sources, device, report, hub_clocks)
                merge.finish()
                challenge = queries.challenge(conn)
                moved = merge.settle_days(int(challenge["per_day"]) if challenge else 1)
                report.notes.extend(merge.notes)
                if moved:
                    log.seal(conn, command=settled_command(moved))
                for peer in peers:
                    log.set_state(conn, f"seen:{peer}", str(log.last_seq(conn, peer)))
                for source in sources:
                    if source.single and source.last_clock:
                        log.set_state(
                            conn, f"read:{source.rel}", f"{source.last} {source.last_clock}"
                        )
                log.set_state(conn, "applied_commit", head)
        except EntryError as exc:
            raise RcError(f"{exc}; nothing was applied (fix or remove that line)") from None
        except sqlite3.IntegrityError as exc:
            raise RcError(
                f"the other devices' changes do not fit this store ({exc}); nothing was applied"
            ) from None


def _apply_all(
    conn: sqlite3.Connection,
    merge: Merge,
    sources: list[files.Source],
    device: str,
    report: SyncReport,
    hub_clocks: set[str] | None,
) -> set[str]:
    """Every entry of `sources` in clock order (each file is in clock order already: they
    are merged, a line at a time, never all in memory); the devices heard from."""
    now = log.now_ms()
    streams = [files.entries(group, now) for group in files.streams(sources)]
    peers: set[str] = set()
    for _, where, entry, continued in heapq.merge(*streams, key=lambda item: item[2].clock):
        if continued:
            merge.apply(entry, continued=True)
            continue
        if hub_clocks is not None:
            hub_clocks.add(entry.clock)
        if entry.device == device:
            if not log.has_clock(conn, entry.clock):
                raise EntryError(
                    f"{where}: an entry of this device that this store does not have "
                    "(was this store restored from an older copy?)"
                )
            merge.apply(entry)  # known: only skips its parts
            continue
        if merge.apply(entry):
            name = device_name(entry.device)
            report.received[name] = report.received.get(name, 0) + 1
            peers.add(entry.device)
    return peers


# Sending this device's entries -----------------------------------------------------------------


def write_own(cfg: Config, repo: Path, hub: Hub, hub_clocks: set[str] | None = None) -> int:
    """Write this device's entries not sent yet into new chunks of its folder and commit
    them; how many. With `hub_clocks` (`--init`), every entry of the store the hub does not
    hold goes, whichever device made it, so a hub made anew loses nothing."""
    with db.opened(cfg.db_path) as conn:
        device = log.device_id(conn)
        own = files.OwnFolder(repo, device)
        written = int(log.state(conn, "written_seq") or 0)
        if len(own.chunks()) < int(log.state(conn, "chunks") or 0):
            written = 0  # its chunks are gone from the hub: this device sends them again
        last = log.last_seq(conn, device)
        paths: list[str] = []
        if log.state(conn, "moved") != device:
            marked = own.mark_moved()
            paths += [marked] if marked else []
        chosen: Iterable[history.Change]
        if hub_clocks is not None:
            everything = history.changes(conn, newest_first=False)
            chosen = (c for c in everything if c.clock not in hub_clocks)
        elif last > written:
            chosen = history.changes_after(conn, device, written)
        else:
            chosen = ()
        counted = _Counted(chosen)
        seen = log.device_states(conn, "seen")
        paths += own.write(
            line
            for change in counted
            for line in history.entry_lines(conn, change, seen if change.device == device else {})
        )
        if paths:
            with db.transaction(conn, cfg.command):
                log.set_state(conn, "written_seq", str(last))
                log.set_state(conn, "chunks", str(len(own.chunks())))
                log.set_state(conn, "moved", device)
    if paths:
        what = f"{counted.count} change{'s' if counted.count != 1 else ''}"
        hub.commit(paths, f"{device_name(device)}: {what}")
    return counted.count


class _Counted:
    def __init__(self, items: Iterable[history.Change]) -> None:
        self.items, self.count = items, 0

    def __iter__(self) -> Iterator[history.Change]:
        for item in self.items:
            self.count += 1
            yield item


def record_unexplained(cfg: Config) -> bool:
    """Where some rows are explained by no entry of the log (a store whose history came
    before the log), an entry of the store as it was, with the lowest clock (anything a
    person did wins over it): it holds no copy of the rows, which are read when it is sent
    (a store of 100,000 papers does not grow by one operation a row). Whether one was made."""
    with db.opened(cfg.db_path) as conn:
        if not history.has_unexplained_rows(conn):
            return False
        if history.snapshot_of(conn, log.device_id(conn)) is not None:
            return False  # made at an earlier --init: it goes with this device's history
        with db.transaction(conn, cfg.command):
            log.seal(conn, command=log.SNAPSHOT, lowest=True, always=True)
    return True


# The commands ----------------------------------------------------------------------------


def exchange(
    cfg: Config, repo: Path, hub: Hub, report: SyncReport, *, first: bool = False
) -> SyncReport:
    """What one rc sync does, in order: send, take, apply, send what applying made, push
    (and again when someone pushed in between). `first` (`--init`): take the whole hub
    first, then send what it lacks."""
    if not first:
        report.sent = write_own(cfg, repo, hub)
    for attempt in range(1, PUSH_TRIES + 1):
        head = hub.pull(report.sent)
        if first and attempt == 1:
            clocks: set[str] = set()
            apply_new(cfg, repo, hub, head, report, hub_clocks=clocks)
            report.recorded = record_unexplained(cfg)
            report.sent += write_own(cfg, repo, hub, hub_clocks=clocks)
        else:
            apply_new(cfg, repo, hub, head, report)
            report.sent += write_own(cfg, repo, hub)  # settled days are changes too
        if hub.push(last_try=attempt == PUSH_TRIES):
            break
    return report


def _remote_text(remote: str) -> str:
    """A folder becomes its absolute path; anything else is handed to git as it is."""
    if not remote.strip():
        raise UsageError("REMOTE is empty: give a git URL or a folder")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", remote) or re.match(r"^[^/]+@[^/:]+:", remote):
        return remote
    path = Path(remote).expanduser()
    if not path.exists():
        raise UsageError(
            f"no repository at {remote}: make one with `git init --bare {remote}`, "
            "or give a git URL"
        )
    return str(path.resolve())


@contextmanager
def _locked(repo: Path) -> Iterator[None]:
    """One rc sync at a time on this device (two would write the same entries)."""
    import fcntl

    with (repo / ".git" / "rc-sync.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# How the working copy's git is set, checked on each sync (a copy made by an older rc gets
# them then). core.symlinks: git writes a link committed by another device as a plain file
# holding its target, so nothing in the sync folder points outside it. core.compression and
# pack.window: the chunks are gzip already and never change once closed, so zlib over them
# and a search for deltas between them cost time for nothing (sending 42 MiB of chunks: git
# add 2.1 s to 0.6 s, push 6.6 s to 2.5 s, the hub the same size).
_GIT_SETTINGS = (("core.symlinks", "false"), ("core.compression", "0"), ("pack.window", "0"))


def _safe_checkout(repo: Path) -> None:
    """Set the working copy's git as `_GIT_SETTINGS` says, where it is not yet."""
    config = (repo / ".git" / "config").read_text(encoding="utf-8", errors="replace")
    for name, value in _GIT_SETTINGS:
        key = name.partition(".")[2]
        if f"{key} = {value}" not in config:
            git.git(repo, "config", name, value, doing="setting up the working copy")


def _remote_of(repo: Path) -> str:
    """The remote's URL as git keeps it in the working copy's config, read without a git
    process (a sync with nothing to do is mostly the processes it starts); git is asked
    when the file says it otherwise."""
    import configparser

    parser = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        parser.read(repo / ".git" / "config", encoding="utf-8")
        url = parser.get('remote "origin"', "url", fallback="")
    except (configparser.Error, OSError, UnicodeDecodeError):
        url = ""
    if url and not url.startswith(('"', "\\")) and "\\" not in url:
        return url
    done = git.git(repo, "remote", "get-url", "origin", doing="reading the remote")
    return done.stdout.strip()


def init(cfg: Config, remote: str) -> SyncReport:
    """Set this device up to sync through `remote`: take what the hub holds, then send what
    it lacks (the store's history; the store as it is, where that came before the log)."""
    git.require()
    repo = folder(cfg)
    if (repo / ".git").exists():
        current = git.git(
            repo, "remote", "get-url", "origin", doing="reading the remote", check=False
        )
        raise Conflict(
            f"sync is already set up (remote {current.stdout.strip() or '?'}); "
            f"rc sync sends and receives (remove {repo} to set it up again)"
        )
    target = _remote_text(remote)
    partial = cfg.home / "sync.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        git.git(partial, "init", "-q", doing="making the working copy")
        for name, value in _GIT_SETTINGS:
            git.git(partial, "config", name, value, doing="making the working copy")
        git.git(partial, "symbolic-ref", "HEAD", f"refs/heads/{BRANCH}", doing="naming the branch")
        git.git(partial, "remote", "add", "origin", target, doing="adding the remote")
        git.git(partial, "fetch", "-q", "origin", doing=f"cannot reach {target}")
        if git.has_ref(partial, f"origin/{BRANCH}"):
            git.git(
                partial, "checkout", "-q", "-B", BRANCH, f"origin/{BRANCH}", doing="checking out"
            )
        # What this store knew of another hub goes.
        with db.writing(cfg.db_path, cfg.command) as conn:
            log.device_id(conn)
            for name in ("applied_commit", "written_seq", "chunks", "moved"):
                log.set_state(conn, name, None)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    os.replace(partial, repo)
    report = SyncReport(remote=target)
    with _locked(repo):
        exchange(cfg, repo, GitHub(repo, target), report, first=True)
    return report


def sync(cfg: Config) -> SyncReport:
    """Send this device's new entries, take the others', apply them in clock order, push."""
    git.require()
    repo = folder(cfg)
    if not (repo / ".git").exists():
        raise RcError("sync is not set up here: rc sync --init REMOTE (a git URL or a folder)")
    remote = _remote_of(repo)
    report = SyncReport(remote=remote)
    with _locked(repo):
        _safe_checkout(repo)
        exchange(cfg, repo, GitHub(repo, remote), report)
    return report
