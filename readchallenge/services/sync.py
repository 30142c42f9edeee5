"""rc sync: one challenge on several devices, through a git repository (docs/sync.md).

The working copy lives in RC_HOME/sync. Each device appends its entries to its own file,
`changes/<device>.jsonl`, so a merge of two devices' pushes never conflicts; the store stays
the fast local SQLite file and takes the other devices' entries in clock order.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from readchallenge.config import Config
from readchallenge.errors import Conflict, RcError, UsageError
from readchallenge.sources import git
from readchallenge.store import db, log, queries

BRANCH = "main"
PUSH_TRIES = 3
FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.jsonl$")


@dataclass
class SyncReport:
    remote: str
    sent: int = 0
    received: dict[str, int] = field(default_factory=dict)  # device name -> entries
    notes: list[str] = field(default_factory=list)  # each conflict and how it was settled
    recorded: int = 0  # entries `--init` made of the store as it was


def folder(cfg: Config) -> Path:
    return cfg.home / "sync"


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
    """One rc sync at a time on this device (two would append the same entries)."""
    import fcntl

    with (repo / ".git" / "rc-sync.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def init(cfg: Config, remote: str) -> SyncReport:
    """Set this device up to sync through `remote`, record the store as it is, and sync."""
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
        git.git(partial, "symbolic-ref", "HEAD", f"refs/heads/{BRANCH}", doing="naming the branch")
        git.git(partial, "remote", "add", "origin", target, doing="adding the remote")
        git.git(partial, "fetch", "-q", "origin", doing=f"cannot reach {target}")
        if git.has_ref(partial, f"origin/{BRANCH}"):
            git.git(
                partial, "checkout", "-q", "-B", BRANCH, f"origin/{BRANCH}", doing="checking out"
            )
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    with db.writing(cfg.db_path) as conn:
        device = log.device_id(conn)
        start = log.last_seq(conn, device)
        recorded = 0
        for ops in log.snapshot(conn, skip_default_challenge=True):
            clock = log.tick(conn, device, log.now())
            seq = log.last_seq(conn, device) + 1
            entry = log.Entry(
                clock, device, seq, log.now().isoformat(timespec="seconds"),
                "rc sync --init (the store as it was)", None, ops,
            )  # fmt: skip
            log.record_entry(conn, entry)
            recorded += 1
        log.set_state(conn, "written_seq", str(start))
        log.drop_pending(conn)
    os.replace(partial, repo)
    report = sync(cfg, _first=True)
    report.recorded = recorded
    return report


def _own_file(repo: Path, device: str) -> Path:
    return repo / "changes" / f"{device}.jsonl"


def _repair(path: Path) -> None:
    """Cut a line this device left half-written (a crash before its commit)."""
    if not path.exists():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)


def _write_own(cfg: Config, repo: Path, first: bool) -> int:
    """Append this device's new entries to its file and commit them; how many."""
    count, device = append_own(cfg, repo, first)
    if count or first:
        git.git(repo, "add", "changes", doing="adding this device's changes")
        staged = git.git(repo, "diff", "--cached", "--quiet", doing="checking", check=False)
        if staged.returncode != 0:
            message = f"{log.device_name(device)}: {count} change{'s' if count != 1 else ''}"
            git.git(repo, "commit", "-q", "-m", message, doing="committing this device's changes")
    return count


def append_own(cfg: Config, repo: Path, first: bool = False) -> tuple[int, str]:
    """Append this device's entries not yet written to its file in `repo`/changes (fsynced
    before the store notes them as written); how many, and this device's id."""
    with db.opened(cfg.db_path) as conn:
        device = log.device_id(conn)
        written = int(log.state(conn, "written_seq") or 0)
        path = _own_file(repo, device)
        path.parent.mkdir(exist_ok=True)
        _repair(path)
        count, newest = 0, written
        seen = log.device_states(conn, "seen")
        with path.open("a", encoding="utf-8") as handle:
            if first:  # the challenge rc made by itself loses to any other; it goes too
                for entry in log.entries_after(conn, device, 0):
                    if entry.command == log.DEFAULT_CHALLENGE and entry.seq <= written:
                        handle.write(_line(entry, seen))
                        count += 1
            for entry in log.entries_after(conn, device, written):
                handle.write(_line(entry, seen))
                count += 1
                newest = entry.seq
            handle.flush()
            os.fsync(handle.fileno())
        if count:
            with db.transaction(conn):
                log.set_state(conn, "written_seq", str(newest))
    return count, device


def _line(entry: log.Entry, seen: dict[str, int]) -> str:
    data = entry._replace(seen=seen).to_json()
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _pull(repo: Path, remote: str, waiting: int) -> None:
    kept = (
        f"; your {waiting} change{'s are' if waiting != 1 else ' is'} committed here"
        " and go with the next rc sync"
        if waiting
        else ""
    )
    git.git(repo, "fetch", "-q", "origin", doing=f"cannot reach {remote}{kept}")
    if git.has_ref(repo, f"origin/{BRANCH}"):
        merged = git.git(
            repo, "merge", "-q", "--no-edit", f"origin/{BRANCH}", doing="merging", check=False
        )
        if merged.returncode != 0:
            git.git(repo, "merge", "--abort", doing="undoing the merge", check=False)
            raise git.GitError(
                f"cannot merge what {remote} holds ({git.last_line(merged.stderr)}); "
                "nothing was applied"
            )


def _peer_lines(repo: Path, own: str, applied: dict[str, int]) -> Iterator[tuple[str, int, str]]:
    folder_ = repo / "changes"
    if not folder_.is_dir():
        return
    for path in sorted(folder_.iterdir()):
        if not FILE_NAME.match(path.name) or path.name == f"{own}.jsonl":
            continue
        device = path.name[: -len(".jsonl")]
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if number <= applied.get(device, 0):
                    continue
                if not line.endswith("\n"):
                    raise log.EntryError(f"changes/{path.name} line {number}: a truncated line")
                yield device, number, line


def apply_peers(cfg: Config, repo: Path, report: SyncReport) -> None:
    """Apply every new entry of the other devices in one transaction: all or nothing."""
    with db.opened(cfg.db_path) as conn:
        device = log.device_id(conn)
        applied = log.device_states(conn, "applied")
        entries: list[log.Entry] = []
        counts: dict[str, int] = {}
        try:
            for peer, number, line in _peer_lines(repo, device, applied):
                try:
                    entry = log.parse_entry(line)
                except log.EntryError as exc:
                    raise log.EntryError(f"changes/{peer}.jsonl line {number}: {exc}") from None
                if entry.device != peer:
                    raise log.EntryError(
                        f"changes/{peer}.jsonl line {number}: an entry of another device"
                    )
                entries.append(entry)
                counts[peer] = number
        except log.EntryError as exc:
            raise RcError(f"{exc}; nothing was applied (fix or remove that line)") from None
        if not counts:
            return
        entries.sort(key=lambda e: e.clock)
        try:
            with db.transaction(conn):
                merge = log.Merge(conn, device)
                for entry in entries:
                    if not log.has_clock(conn, entry.clock):
                        report.received[log.device_name(entry.device)] = (
                            report.received.get(log.device_name(entry.device), 0) + 1
                        )
                    merge.apply(entry)
                merge.finish()
                challenge = queries.challenge(conn)
                moved = merge.settle_days(int(challenge["per_day"]) if challenge else 1)
                report.notes.extend(merge.notes)
                if moved:
                    names = ", ".join(moved)
                    log.seal(
                        conn,
                        command=f"rc sync (days planned on two devices: {names} to the backlog)",
                    )
                for peer, number in counts.items():
                    log.set_state(conn, f"applied:{peer}", str(number))
                for peer in counts:
                    log.set_state(conn, f"seen:{peer}", str(log.last_seq(conn, peer)))
        except sqlite3.IntegrityError as exc:
            raise RcError(
                f"the other devices' changes do not fit this store ({exc}); nothing was applied"
            ) from None


def sync(cfg: Config, *, _first: bool = False) -> SyncReport:
    """Commit this device's new entries, pull, apply the others' in clock order, push."""
    git.require()
    repo = folder(cfg)
    if not (repo / ".git").exists():
        raise RcError("sync is not set up here: rc sync --init REMOTE (a git URL or a folder)")
    remote = git.git(repo, "remote", "get-url", "origin", doing="reading the remote").stdout.strip()
    report = SyncReport(remote=remote)
    with _locked(repo):
        report.sent = _write_own(cfg, repo, _first)
        for attempt in range(1, PUSH_TRIES + 1):
            _pull(repo, remote, report.sent)
            apply_peers(cfg, repo, report)
            report.sent += _write_own(cfg, repo, False)  # settled days are changes too
            if not git.has_ref(repo, "HEAD"):
                break  # nothing anywhere yet
            pushed = git.git(
                repo, "push", "-q", "origin", f"{BRANCH}:{BRANCH}", doing="pushing", check=False
            )
            if pushed.returncode == 0:
                break
            if attempt == PUSH_TRIES:
                raise git.GitError(
                    f"{remote} refused the push ({git.last_line(pushed.stderr)}); your changes "
                    "are committed here and go with the next rc sync"
                )
    return report
