"""rc find at 100,000 papers: the time of a query and what the index costs on disk.

Run as `python benchmarks/run.py --find` (or `python benchmarks/find.py`). The large store of
run.py has 1 KB abstracts drawn from a vocabulary of 5,000 made-up words with Zipf's
frequencies (a few words in nearly every abstract, most in few), with planted words whose
counts are known, and notes on one paper in seven. Each query is a whole `rc find`
process, timed round-robin beside `rc today` on the same store.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
_words = random.Random(1)
VOCABULARY = list(
    dict.fromkeys(
        "".join(_words.choice(SYLLABLES) for _ in range(_words.randint(2, 4))) for _ in range(6000)
    )
)[:5000]
CUMULATIVE = list(accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))
COMMON = VOCABULARY[0]  # in nearly every abstract


def abstract_for(n: int, size: int = 1024) -> str:
    """Paper n's abstract: Zipf-distributed words; `zeppelin` in one paper in 200 and
    `low rank adaptation` in one in 100 (made-up words end in a vowel: never these)."""
    rng = random.Random(n)
    words = rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=size // 5)
    if n % 200 == 7:
        words.insert(rng.randrange(100), "zeppelin")
    if n % 100 == 3:
        words.insert(rng.randrange(100), "low rank adaptation")
    text = " ".join(words)
    return text[: text.rfind(" ", 0, size)] + "."


def note_for(n: int) -> str:
    return f"A description of paper {n}: its optimizer and {VOCABULARY[n % 500]} matter."


QUERIES = {
    "a word in 500 papers": "zeppelin",
    "a phrase in 1,000 papers": '"low rank"',
    "a prefix in 14,286 notes": "optim*",
    "a word in 500 papers, read ones": "zeppelin --read",
    "a word in nearly every abstract": COMMON,
}


def index_size(store: Path, work: Path) -> tuple[int, int]:
    """The store's size with rc find's index and without it, each copied compactly."""
    with_index, without = work / "find-with.db", work / "find-without.db"
    for path in (with_index, without):
        path.unlink(missing_ok=True)
    conn = sqlite3.connect(store)
    conn.execute(f"VACUUM INTO '{with_index}'")
    conn.close()
    shutil.copy(with_index, without)
    conn = sqlite3.connect(without)
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'find_index%'"
    ).fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP TABLE find_index")
    conn.execute("DROP VIEW find_source")
    conn.execute("DROP TABLE find_queue")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    sizes = with_index.stat().st_size, without.stat().st_size
    with_index.unlink()
    without.unlink()
    return sizes


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user and system) of one whole process: on a busy machine the
    CPU time says what a query costs, the wall time what a user waits."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main(runs: int = 11, papers: int = 100_000) -> str:
    from benchmarks.run import RC, WORK, build_store, rc_env

    home = WORK / f"store-{papers}"
    print("building the large store ...", flush=True)
    build_store(home, papers)
    env = rc_env(home)
    commands = {"rc today": [*RC, "today"]}
    for label, query in QUERIES.items():
        commands[label] = [*RC, "find", *query.split()]
    print("timing rc find (round-robin) ...", flush=True)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 2):  # two rounds to warm up
        for name, cmd in commands.items():
            wall, cpu = _timed(cmd, env)
            if round_ >= 2:
                walls[name].append(wall)
                cpus[name].append(cpu)
    size_with, size_without = index_size(home / "rc.db", WORK)
    load = os.getloadavg()[0]
    lines = [
        "## rc find at 100,000 papers",
        "",
        f"Measured with `python benchmarks/run.py --find`: {runs} runs of each whole process, "
        f"round-robin, on the large store ({papers:,} papers with 1 KB abstracts, notes on "
        f"one in seven), with a load average of {load:.1f} on {os.cpu_count()} cores. Goal: at "
        "most 0.3 s a query, and the store with its index at most 1.5× the store without it.",
        "",
        "| query | median wall s | min wall s | median CPU s |",
        "|---|---:|---:|---:|",
    ]
    for name in commands:
        shown = (
            "`rc today`, for scale" if name == "rc today" else f"{name} (`rc find {QUERIES[name]}`)"
        )
        lines.append(
            f"| {shown} | {statistics.median(walls[name]):.2f} | {min(walls[name]):.2f} | "
            f"{statistics.median(cpus[name]):.2f} |"
        )
    lines += [
        "",
        "| size | MiB |",
        "|---|---:|",
        f"| the store without the index (vacuumed) | {size_without / 2**20:.1f} |",
        f"| the store with it (vacuumed) | {size_with / 2**20:.1f} |",
        f"| with / without | {size_with / size_without:.2f} |",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
