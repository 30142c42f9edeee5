"""rc sync and the change log at any size: histories of 2,500, 10,000 and 100,000 entries.

Run as `python benchmarks/run.py --scale` (or `python benchmarks/scale.py`). Each history is
another device's, written straight into a hub as that device's sync files would hold it
(building 100,000 entries through 100,000 processes would take hours), in two shapes:
"hot", notes on 20 papers (every entry touches a row many others touched), and "spread",
papers added, read and annotated, a third each. Every figure is a whole `rc` process,
measured beside its baseline in the same run, so a ratio holds on a busy machine.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

from benchmarks.run import RC, TODAY, WORK, build_store, rc_env, run_once  # noqa: E402

SIZES = (2_500, 10_000, 100_000)
PEER = "bench-0a0a0a"
STAMP = "2026-06-01T09:00:00+00:00"


@dataclass
class Figure:
    name: str
    walls: list[float]
    peak_kb: int

    @property
    def median(self) -> float:
        return statistics.median(self.walls)


def _entry(seq: int, ops: list[dict[str, object]], base: int) -> str:
    clock = f"{base + seq:015d}.000000.{PEER}"
    entry = {
        "rc": 2, "clock": clock, "device": PEER, "seq": seq, "at": STAMP,
        "command": "rc bench", "undoes": None, "ops": ops, "seen": {},
    }  # fmt: skip
    return json.dumps(entry, separators=(",", ":")) + "\n"


def _paper(pid: str, n: int) -> list[dict[str, object]]:
    abstract = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 18)[:1024]
    row = {
        "id": pid, "source": "arxiv", "kind": "paper", "status": "ok", "name": None,
        "title": f"Paper {n}", "authors": '["A. Author"]', "abstract": abstract,
        "version": None, "requested_version": None, "primary_category": None,
        "categories": "[]", "published": None, "updated": None, "comment": None,
        "journal_ref": None, "doi": None, "abs_url": None, "pdf_url": None,
        "added_at": STAMP, "fetched_at": None, "link_order": None,
    }  # fmt: skip
    return [{"t": "papers", "k": [pid], "o": None, "n": row}]


def _note(pid: str, text: str, old: str | None) -> list[dict[str, object]]:
    new = {"paper_id": pid, "description": text, "updated_at": STAMP}
    if old is None:
        return [{"t": "notes", "k": [pid], "o": None, "n": new}]
    return [{"t": "notes", "k": [pid], "o": {"description": old}, "n": new}]


def history(entries: int, shape: str) -> Iterator[str]:
    """The lines of another device's `entries` entries, in the shape asked."""
    base = int((datetime(2026, 6, 1) - datetime(1970, 1, 1)).total_seconds() * 1000)
    if shape == "hot":
        papers = [f"2101.{n:05d}" for n in range(20)]
        for seq, pid in enumerate(papers, start=1):
            yield _entry(seq, _paper(pid, seq), base)
        last: dict[str, str | None] = dict.fromkeys(papers)
        for seq in range(len(papers) + 1, entries + 1):
            pid = papers[seq % 20]
            text = f"note {seq}"
            yield _entry(seq, _note(pid, text, last[pid]), base)
            last[pid] = text
        return
    for seq in range(1, entries + 1):
        n = (seq - 1) // 3
        pid, day = f"2101.{n:05d}", (TODAY - timedelta(days=n % 3000)).isoformat()
        if seq % 3 == 1:
            ops = _paper(pid, n)
        elif seq % 3 == 2:
            ops = [{"t": "readings", "k": [pid, day], "o": None,
                    "n": {"paper_id": pid, "day": day, "read_at": STAMP}}]  # fmt: skip
        else:
            ops = _note(pid, "A description.", None)
        yield _entry(seq, ops, base)


def _git(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def build_hub(entries: int, shape: str) -> Path:
    """A bare repository holding another device's `entries` entries, in chunks of 4 MiB
    (before compression), as rc writes them."""
    hub = WORK / f"scale-hub-{shape}-{entries}.git"
    if (hub / "built").exists():
        return hub
    shutil.rmtree(hub, ignore_errors=True)
    clone = WORK / "scale-clone"
    shutil.rmtree(clone, ignore_errors=True)
    _git("init", "-q", "--bare", str(hub))
    _git("init", "-q", "-b", "main", str(clone))
    folder = clone / "changes" / PEER
    folder.mkdir(parents=True)
    number, size, out = 0, 1 << 30, None
    for line in history(entries, shape):
        if size >= 4 << 20:
            if out is not None:
                out.close()
            number += 1
            out = gzip.open(folder / f"{number:08d}.jsonl.gz", "wt", encoding="utf-8")
            size = 0
        assert out is not None
        out.write(line)
        size += len(line)
    if out is not None:
        out.close()
    ident = ("-c", "user.name=bench", "-c", "user.email=bench@localhost")
    _git(*ident, "add", "-A", cwd=clone)
    _git(*ident, "commit", "-q", "-m", "history", cwd=clone)
    _git("push", "-q", str(hub), "main:main", cwd=clone)
    shutil.rmtree(clone)
    (hub / "built").touch()
    return hub


def _measure(name: str, cmd: Sequence[str], env: dict[str, str], runs: int,
             before: Callable[[], None] | None = None) -> Figure:  # fmt: skip
    walls, peaks = [], []
    for _ in range(runs):
        if before is not None:
            before()
        wall, peak, code = run_once(cmd, env)
        if code:
            raise SystemExit(f"{name} failed ({' '.join(cmd)})")
        walls.append(wall)
        peaks.append(peak)
    figure = Figure(name, walls, max(peaks))
    peak = figure.peak_kb / 1024
    print(f"  {name:<48} median {figure.median * 1000:8.1f} ms  peak {peak:6.1f} MiB")
    return figure


def _join(entries: int, shape: str, runs: int) -> tuple[Figure, Path]:
    hub = build_hub(entries, shape)
    home = WORK / f"scale-{shape}-{entries}"

    def fresh() -> None:
        shutil.rmtree(home, ignore_errors=True)

    figure = _measure(f"join: sync --init, {entries:,} {shape}", [*RC, "sync", "--init", str(hub)],
                      rc_env(home, RC_DEVICE="joined"), runs, fresh)  # fmt: skip
    return figure, home


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _notes(home: Path, count: int) -> None:
    """`count` notes made by this device, in one process (as `count` commands would)."""
    code = (
        "import sys; from readchallenge import config; from readchallenge.services import notes;"
        f"cfg = config.load({{'RC_HOME': {str(home)!r}, 'RC_TODAY': {TODAY.isoformat()!r}}});"
        f"[notes.save_note(cfg, '2101.00001', description=f'mine {{i}}') for i in range({count})]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def _log_figures(home: Path, label: str, runs: int) -> dict[str, Figure]:
    env = rc_env(home)
    _notes(home, 1)  # a change of this device to undo and redo
    figures = {"log": _measure(f"rc log -n 20 [{label}]", [*RC, "log", "-n", "20"], env, runs)}
    walls, peaks = [], []
    for _ in range(runs):  # undo and redo in turn leave the store as it was
        for verb in ("undo", "redo"):
            wall, peak, code = run_once([*RC, verb], env)
            if code:
                raise SystemExit(f"rc {verb} failed")
            walls.append(wall)
            peaks.append(peak)
    figures["undo"] = Figure(f"rc undo / redo [{label}]", walls, max(peaks))
    print(f"  {figures['undo'].name:<48} median {figures['undo'].median * 1000:8.1f} ms")
    figures["today"] = _measure(f"rc today [{label}]", [*RC, "today"], env, runs)
    figures["noop"] = _measure(f"rc sync, nothing new [{label}]", [*RC, "sync"], env, runs)
    return figures


def _send(home: Path, count: int, label: str) -> dict[str, float]:
    """A sync that sends `count` new entries: its time, and what the hub grew by."""
    hub = Path(subprocess.run(
        ["git", "-C", str(home / "sync"), "remote", "get-url", "origin"],
        check=True, capture_output=True, text=True,
    ).stdout.strip())  # fmt: skip
    _notes(home, count)
    before = _size(hub)
    wall, peak, code = run_once([*RC, "sync"], rc_env(home))
    if code:
        raise SystemExit("rc sync of new entries failed")
    grown = _size(hub) - before
    print(f"  sync of {count:,} new entries [{label}]{'':<14} {wall * 1000:8.1f} ms  "
          f"hub +{grown / 1024:.0f} KiB  peak {peak / 1024:6.1f} MiB")  # fmt: skip
    return {"seconds": wall, "grown": grown, "peak": peak}


def _init_big(papers: int, runs: int) -> dict[str, float]:
    """`rc sync --init` of a store of `papers` papers whose history came before the log."""
    source = WORK / f"store-{papers}"
    build_store(source, papers)
    walls, peaks, growth = [], [], []
    for _ in range(runs):
        home = WORK / "scale-init"
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(source, home)
        hub = WORK / "scale-init-hub.git"
        shutil.rmtree(hub, ignore_errors=True)
        _git("init", "-q", "--bare", str(hub))
        size = (home / "rc.db").stat().st_size
        wall, peak, code = run_once([*RC, "sync", "--init", str(hub)], rc_env(home))
        if code:
            raise SystemExit("rc sync --init of the large store failed")
        subprocess.run([*RC, "info"], env=rc_env(home), check=True, capture_output=True)
        growth.append(_store_size(home) / size)
        walls.append(wall)
        peaks.append(peak)
    result = {"seconds": statistics.median(walls), "peak": max(peaks), "growth": max(growth)}
    print(f"  sync --init, {papers:,} papers: {result['seconds']:.1f} s, "
          f"{result['peak'] / 1024:.0f} MiB, store x{result['growth']:.2f}")  # fmt: skip
    return result


def _store_size(home: Path) -> int:
    """The store's size once its write-ahead log is folded in."""
    import sqlite3

    conn = sqlite3.connect(home / "rc.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return (home / "rc.db").stat().st_size


def main(runs: int = 5) -> str:
    """Run every measure and return the Markdown section for docs/performance.md."""
    WORK.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    joins: dict[tuple[str, int], Figure] = {}
    homes: dict[tuple[str, int], Path] = {}
    for shape in ("hot", "spread"):
        for entries in SIZES:
            count = 1 if entries == SIZES[-1] else max(1, runs // 2)
            joins[shape, entries], homes[shape, entries] = _join(entries, shape, count)
    small, big = homes["hot", SIZES[0]], homes["hot", SIZES[-1]]
    at_small = _log_figures(small, f"{SIZES[0]:,}", runs)
    at_big = _log_figures(big, f"{SIZES[-1]:,}", runs)
    send_small = _send(small, 1000, f"{SIZES[0]:,}")
    send_big = _send(big, 1000, f"{SIZES[-1]:,}")
    init = _init_big(100_000, 1)
    elapsed = time.perf_counter() - start
    return render(joins, at_small, at_big, send_small, send_big, init, elapsed)


def _ratio(a: Figure, b: Figure) -> float:
    pairs = [x / y for x, y in zip(a.walls, b.walls, strict=False)]
    return statistics.median(pairs)


def render(joins, at_small, at_big, send_small, send_big, init, elapsed) -> str:  # type: ignore[no-untyped-def]
    lines = [
        "## Sync and history at any size (`benchmarks/run.py --scale`)",
        "",
        "Another device's history of 2,500, 10,000 and 100,000 entries, written into a hub "
        "in two shapes: *hot* (notes on 20 papers: each entry touches a row thousands of "
        "others touched) and *spread* (papers added, read and annotated). A new device joins "
        "with `rc sync --init`; the other figures are that device's, at 2,500 and 100,000 "
        f"entries. One run, {elapsed / 60:.0f} minutes.",
        "",
        "| join (`rc sync --init` of a new device) | 2,500 | 10,000 | 100,000 | 10,000 / 2,500 "
        "| 100,000 / 10,000 | goal |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for shape in ("hot", "spread"):
        a, b, c = (joins[shape, n] for n in SIZES)
        lines.append(
            f"| {shape} | {a.median:.2f} s | {b.median:.2f} s | {c.median:.1f} s, "
            f"{c.peak_kb / 1024:.0f} MiB | {b.median / a.median:.2f} (4×) | "
            f"{c.median / b.median:.2f} (10×) | linear (4× ≤ 5×); 100,000 ≤ 30 s |"
        )
    lines += [
        "",
        "| at 100,000 entries | × the same at 2,500 (wall) | memory × | goal |",
        "|---|---:|---:|---|",
    ]
    for key, name, goal in (
        ("log", "`rc log -n 20`", "≤ 1.3×, memory flat"),
        ("undo", "`rc undo` / `rc redo`", "≤ 1.3×, memory flat"),
        ("noop", "`rc sync`, nothing new", "≤ 1.5× `rc today`"),
    ):
        big, small = at_big[key], at_small[key]
        times, memory = big.median / small.median, big.peak_kb / small.peak_kb
        lines.append(f"| {name} | {times:.2f} | {memory:.2f} | {goal} |")
    noop = at_big["noop"]
    today = at_big["today"]
    lines += [
        "",
        f"- A sync with nothing new at 100,000 entries: {noop.median * 1000:.0f} ms, "
        f"{_ratio(noop, today):.2f}× `rc today` on the same store "
        f"({today.median * 1000:.0f} ms), memory {noop.peak_kb / today.peak_kb:.2f}× "
        "(goal ≤ 1.5× both).",
        f"- A sync sending 1,000 new entries: {send_small['seconds']:.2f} s at 2,500 entries, "
        f"{send_big['seconds']:.2f} s at 100,000 "
        f"({send_big['seconds'] / send_small['seconds']:.2f}×); "
        f"the hub grew by {send_small['grown'] / 1024:.0f} KiB and "
        f"{send_big['grown'] / 1024:.0f} KiB (goal: in proportion to what is new, not to the "
        "history).",
        f"- `rc sync --init` on a 100,000-paper store whose history came before the log: "
        f"{init['seconds']:.1f} s, {init['peak'] / 1024:.0f} MiB, the store "
        f"{init['growth']:.2f}× its size (goals ≤ 10 s, ≤ 100 MiB, ≤ 1.3×).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main())
