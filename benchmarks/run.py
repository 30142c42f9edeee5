"""Time rc's daily commands as whole processes, beside baselines run in the same invocation."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
TODAY = date(2026, 6, 10)
RC = [sys.executable, "-m", "readchallenge"]
if shutil.which("rc") and Path(shutil.which("rc") or "").parent == Path(sys.executable).parent:
    RC = [str(Path(sys.executable).parent / "rc")]


@dataclass
class Timing:
    name: str
    walls: list[float]
    peak_kb: int

    @property
    def median(self) -> float:
        return statistics.median(self.walls)


TIME = Path("/usr/bin/time")
PEAK_FILE = WORK / "peak.txt"


def run_once(cmd: Sequence[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (KiB) and exit code of one process.

    The peak comes from /usr/bin/time where it exists: a child forked from this (large)
    Python process would otherwise report this process's memory as its own.
    """
    wrapped = [str(TIME), "-f", "%M", "-o", str(PEAK_FILE), *cmd] if TIME.exists() else cmd
    start = time.perf_counter()
    proc = subprocess.Popen(wrapped, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    peak = int(usage.ru_maxrss)
    if TIME.exists():
        lines = PEAK_FILE.read_text().strip().splitlines()
        peak = int(lines[-1]) if lines and lines[-1].isdigit() else peak
        if lines and lines[0].startswith("Command exited with non-zero status"):
            code = code or 1
    return wall, peak, code


def measure_all(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int, warmup: int = 2
) -> dict[str, Timing]:
    """Time every command `runs` times, round-robin, so that the machine's load drifting
    during the run weighs on all of them alike."""
    usable: dict[str, tuple[list[str], dict[str, str]]] = {}
    for name, (cmd, env) in commands.items():
        codes = [run_once(cmd, env)[2] for _ in range(warmup)]
        if any(codes):
            out = subprocess.run(cmd, env=env, capture_output=True, text=True)
            print(f"  {name}: left out, it failed: {out.stderr.strip()[-300:]}")
            continue
        usable[name] = (cmd, env)
    walls: dict[str, list[float]] = {name: [] for name in usable}
    peaks: dict[str, list[int]] = {name: [] for name in usable}
    for _ in range(runs):
        for name, (cmd, env) in usable.items():
            wall, peak, _ = run_once(cmd, env)
            walls[name].append(wall)
            peaks[name].append(peak)
    results = {name: Timing(name, walls[name], max(peaks[name])) for name in usable}
    for t in results.values():
        median_ms, peak_mib = t.median * 1000, t.peak_kb / 1024
        print(f"  {t.name:<34} median {median_ms:7.1f} ms   peak {peak_mib:6.1f} MiB")
    return results


def rc_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RC_")}
    env.update(RC_HOME=str(home), RC_TODAY=TODAY.isoformat(), **extra)
    return env


def build_store(home: Path, papers: int) -> None:
    """A store whose last 20 papers sit one a day around TODAY (the same in every store, so
    today's view and this week's post are the same work), and whose other papers (1 KB
    abstracts) fill the years before, 10 a day, read with a missed day now and then."""
    marker = home / f"built-{papers}"
    if marker.exists():
        return
    shutil.rmtree(home, ignore_errors=True)
    sys.path.insert(0, str(ROOT))
    from readchallenge.store import db

    conn = db.connect(home / "rc.db")
    recent_start = TODAY - timedelta(days=10)
    history = papers - 20
    first = recent_start - timedelta(days=-(-history // 10))
    abstract = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 18)[:1024]
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    with db.transaction(conn):
        conn.execute(
            "INSERT INTO challenge VALUES (1, 'Bench', ?, ?, 1, ?)",
            (first.isoformat(), date(TODAY.year, 7, 31).isoformat(), stamp),
        )
        for n in range(papers):
            pid = f"{2001 + (n // 99999) % 90:04d}.{n % 99999 + 1:05d}"
            if n < history:
                day = first + timedelta(days=n // 10)
            else:
                day = recent_start + timedelta(days=n - history)
            conn.execute(
                "INSERT INTO papers (id, title, authors, abstract, categories, added_at, abs_url)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    pid,
                    f"Paper number {n}",
                    json.dumps(["A. Author", "B. Author"]),
                    abstract,
                    '["cs.LG"]',
                    stamp,
                    f"https://arxiv.org/abs/{pid}",
                ),
            )
            url = f"https://arxiv.org/abs/{pid}"
            conn.execute("INSERT INTO links VALUES (?, 'paper', ?)", (pid, url))
            conn.execute("INSERT INTO plan VALUES (?, ?)", (pid, day.isoformat()))
            if day < TODAY and (TODAY - day).days % 37 != 5:
                conn.execute(
                    "INSERT INTO readings (paper_id, day, read_at) VALUES (?, ?, ?)",
                    (pid, day.isoformat(), stamp),
                )
            if n % 7 == 0:
                conn.execute("INSERT INTO notes VALUES (?, ?, ?)", (pid, "A description.", stamp))
                conn.execute("INSERT INTO takeaways VALUES (?, 1, 'A takeaway.')", (pid,))
    conn.execute("ANALYZE")
    conn.close()
    marker.touch()


def peer_venv(name: str, package: str, *extra: str) -> Path | None:
    venv = WORK / "peers" / name
    exe = venv / "bin" / name
    if exe.exists():
        return exe
    print(f"installing {package} into {venv} ...", flush=True)
    shutil.rmtree(venv, ignore_errors=True)  # a half-made one from an interrupted run
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", package, *extra],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not exe.exists():
        print(f"  could not install {package}: {result.stderr.strip()[-300:]}")
        return None
    return exe


def peer_envs() -> dict[str, tuple[list[str], list[str], dict[str, str]]]:
    """papis and pubs, each with a small library of 20 entries, ready to list."""
    peers: dict[str, tuple[list[str], list[str], dict[str, str]]] = {}
    papis = peer_venv("papis", "papis")
    if papis:
        base = WORK / "papis-home"
        lib = base / "library"
        config = base / "config" / "papis"
        config.mkdir(parents=True, exist_ok=True)
        (config / "config").write_text(
            f"[settings]\ndefault-library = bench\n\n[bench]\ndir = {lib}\n"
        )
        for n in range(20):
            folder = lib / f"paper-{n}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "info.yaml").write_text(
                f"title: Paper number {n}\nauthor: A. Author and B. Author\nyear: 2024\n"
                f"ref: paper{n}\n"
            )
        env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(base / "config"),
            "XDG_CACHE_HOME": str(base / "cache"),
            "HOME": str(base),
        }
        peers["papis"] = ([str(papis), "list", "--all"], [str(papis), "--help"], env)
    # pubs needs pyparsing without declaring it, and breaks with bibtexparser 2.
    pubs = peer_venv("pubs", "pubs", "pyparsing", "bibtexparser<2")
    if pubs:
        base = WORK / "pubs-home"
        rc_file = base / "pubsrc"
        env = {**os.environ, "HOME": str(base)}
        if not rc_file.exists():
            base.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [str(pubs), "-c", str(rc_file), "init", "-p", str(base / "lib")],
                env=env,
                capture_output=True,
                check=False,
            )
            for n in range(20):
                bib = base / f"p{n}.bib"
                bib.write_text(
                    f"@article{{paper{n}, title={{Paper number {n}}}, "
                    f"author={{Author, A. and Author, B.}}, year={{2024}}}}\n"
                )
                subprocess.run(
                    [str(pubs), "-c", str(rc_file), "add", "-B", str(bib)],
                    env=env,
                    capture_output=True,
                    check=False,
                )
        peers["pubs"] = (
            [str(pubs), "-c", str(rc_file), "list"],
            [str(pubs), "-c", str(rc_file), "--help"],
            env,
        )
    return peers


class FakeArxiv(BaseHTTPRequestHandler):
    """A loopback arXiv that answers any id_list with one entry per id."""

    requests = 0
    entry = ""
    feed = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).requests += 1
        ids = parse_qs(urlsplit(self.path).query).get("id_list", [""])[0].split(",")
        entries = "".join(self.entry.replace("1605.08386", i) for i in ids if i)
        body = self.feed.replace("</feed>", entries + "</feed>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def bench_add(count: int, interval: float) -> dict[str, float]:
    recorded = json.loads(
        next((ROOT / "tests/fixtures/arxiv").glob("id_1605.08386_*.json")).read_text()
    )
    body = recorded["body"]
    FakeArxiv.entry = re.search(r"<entry>.*?</entry>", body, re.DOTALL)[0]  # type: ignore[index]
    FakeArxiv.feed = re.sub(r"<entry>.*?</entry>", "", body, flags=re.DOTALL)
    FakeArxiv.requests = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeArxiv)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    home = WORK / "add-store"
    shutil.rmtree(home, ignore_errors=True)
    ids = [f"2401.{n:05d}" for n in range(1, count + 1)]
    env = rc_env(
        home,
        RC_ARXIV_API_URL=f"http://127.0.0.1:{server.server_port}/api/query",
        RC_ARXIV_MIN_INTERVAL=str(interval),
    )
    wall, _, code = run_once([*RC, "add", "--backlog", *ids], env)
    server.shutdown()
    if code != 0:
        raise SystemExit(f"rc add against the stand-in failed ({code})")
    return {"ids": count, "requests": FakeArxiv.requests, "seconds": wall, "interval": interval}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--peers", action="store_true", help="also time papis and pubs")
    parser.add_argument("--no-add", action="store_true", help="skip the 250-id rc add")
    parser.add_argument("--write", action="store_true", help="write docs/performance.md")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)

    small, big = WORK / "store-20", WORK / f"store-{args.big}"
    print("building stores ...", flush=True)
    build_store(small, 20)
    build_store(big, args.big)

    plain = {k: v for k, v in os.environ.items() if not k.startswith("RC_")}
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], plain),
    }
    for store_name, home in (("20", small), (str(args.big), big)):
        env = rc_env(home)
        commands[f"rc today [{store_name}]"] = ([*RC, "today"], env)
        commands[f"rc list --limit 20 [{store_name}]"] = ([*RC, "list", "--limit", "20"], env)
        commands[f"rc export-week [{store_name}]"] = ([*RC, "export-week", "this"], env)
    commands["rc --help"] = ([*RC, "--help"], rc_env(small))
    for name, (list_cmd, help_cmd, env) in (peer_envs() if args.peers else {}).items():
        commands[f"{name} list"] = (list_cmd, env)
        commands[f"{name} --help"] = (help_cmd, env)
    print("timing (round-robin) ...", flush=True)
    results = measure_all(commands, args.runs)

    add = None if args.no_add else bench_add(250, 3.0)
    if add:
        print(f"  rc add 250 ids: {add['requests']} requests, {add['seconds']:.1f} s")
    report = render(results, add, args)
    print()
    print(report)
    if args.write:
        (ROOT / "docs" / "performance.md").write_text(report, encoding="utf-8")
        print("wrote docs/performance.md")


def ratio(results: dict[str, Timing], a: str, b: str, peak: bool = False) -> str:
    if a not in results or b not in results:
        return "not measured"
    if peak:
        return f"{results[a].peak_kb / results[b].peak_kb:.2f}"
    # Runs are taken round-robin, so run i of `a` and run i of `b` saw the same load: the
    # median of these paired ratios is steadier than a ratio of two medians.
    pairs = [x / y for x, y in zip(results[a].walls, results[b].walls, strict=True)]
    return f"{statistics.median(pairs):.2f}"


def render(
    results: dict[str, Timing], add: dict[str, float] | None, args: argparse.Namespace
) -> str:
    big = str(args.big)
    versions = {
        p: _version(p) for p in ("readchallenge", "typer", "rich", "sqlmodel", "papis", "pubs")
    }
    lines = [
        "# Performance",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `python benchmarks/run.py"
        f"{' --peers' if args.peers else ''}` on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}.",
        f"Each command: 2 warm-up runs, then {args.runs} timed runs of the whole process, "
        "taken round-robin across all commands; a ratio is the median of the ratios of runs "
        "taken in the same round; "
        "wall times are medians, memory is the peak RSS of the largest run.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items() if v) + ".",
        "",
        "| command | median ms | min ms | max ms | peak MiB | × python -c pass |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    base = results["python -c pass"].median
    for t in results.values():
        lines.append(
            f"| `{t.name}` | {t.median * 1000:.1f} | {min(t.walls) * 1000:.1f} | "
            f"{max(t.walls) * 1000:.1f} | {t.peak_kb / 1024:.1f} | {t.median / base:.1f} |"
        )
    lines += [
        "",
        "## Targets",
        "",
        "| target | ratio | goal |",
        "|---|---:|---:|",
        f"| `rc today` / `papis list` (wall) | "
        f"{ratio(results, 'rc today [20]', 'papis list')} | ≤ 1.0 |",
        f"| `rc --help` / `papis --help` (wall) | "
        f"{ratio(results, 'rc --help', 'papis --help')} | ≤ 1.0 |",
        f"| `rc today` / `pubs list` (wall) | {ratio(results, 'rc today [20]', 'pubs list')} | — |",
        f"| `rc today` / `papis list` (peak memory) | "
        f"{ratio(results, 'rc today [20]', 'papis list', peak=True)} | ≤ 1.0 |",
        f"| `rc today`, {big} papers / 20 papers | "
        f"{ratio(results, f'rc today [{big}]', 'rc today [20]')} | ≤ 1.1 |",
        f"| `rc list --limit 20`, {big} / 20 | "
        f"{ratio(results, f'rc list --limit 20 [{big}]', 'rc list --limit 20 [20]')} | ≤ 1.1 |",
        f"| `rc export-week`, {big} / 20 | "
        f"{ratio(results, f'rc export-week [{big}]', 'rc export-week [20]')} | ≤ 1.1 |",
    ]
    if add:
        lines.append(
            f"| `rc add` of {add['ids']} ids: requests / ceil(N/100) | "
            f"{add['requests'] / -(-add['ids'] // 100):.2f} | = 1.0 |"
        )
        lines.append(
            f"| `rc add` of {add['ids']} ids: seconds / {add['interval']:.0f} s interval | "
            f"{add['seconds'] / add['interval']:.2f} | ≈ 2 |"
        )
    lines += [
        "",
        "## How it was measured",
        "",
        "- Every command is a whole process started from a shell-less `Popen`, with stdout and "
        "stderr discarded; peak memory comes from `/usr/bin/time -f %M`.",
        "- The rc stores are built by the script: one of 20 papers, one a day around today, "
        f"and one of {big} papers: the same 20, plus papers with 1 KB abstracts filling the "
        "years before, 10 a day, read with a missed day now and then, notes on one in seven. "
        "Today's view and this week's post are the same work in both.",
        "- papis lists (`papis list --all`) and pubs lists (`pubs list`) a library of 20 entries "
        "each, installed from PyPI into their own virtual environments.",
        "- `rc add` of 250 ids runs against a loopback stand-in of the arXiv API with the real "
        "3 s interval between requests.",
        "",
        "## What keeps it fast",
        "",
        "- The daily commands (`today`, `list`, `show`, `--help`, `--version`) never import "
        "Typer: running any Typer command loads its pydantic adapter, measured at about 290 ms "
        "over `python -c pass` here, more than the rest of `rc today` together (about 160 ms). "
        "Moving them to `readchallenge/fastpath.py` took `rc today` from about 600 ms to 210 ms.",
        "- The read path reads the store with `sqlite3` only; sqlmodel, sqlalchemy, httpx and "
        "arxiv are imported by the commands that write or fetch (a test guards this).",
        "- `tomllib` is imported only when a config file exists, and `rich.table` only by the "
        "views that draw tables (about 15 ms and 20 ms of `rc today`).",
        "- `rc today` reads one row for the longest streak (kept with the revision of the "
        "reading history it was computed at) and a window of recent days for the current "
        "streak; `rc list --limit 20` walks an index on `added_at`. Without these, the "
        "100,000-paper store took 1.4× and 2.4× the time of the 20-paper one.",
    ]
    return "\n".join(lines) + "\n"


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        exe = WORK / "peers" / package / "bin" / "python"
        if exe.exists():
            out = subprocess.run(
                [str(exe), "-c", f"import importlib.metadata as m; print(m.version('{package}'))"],
                capture_output=True,
                text=True,
            )
            return out.stdout.strip() or None
        return None


if __name__ == "__main__":
    main()
