"""Time rc's daily commands as whole processes, beside baselines run in the same invocation."""

from __future__ import annotations

import argparse
import bisect
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

# Every process measured may keep its bytecode cache, as an installed rc (and the peers,
# compiled by pip at install time) does: without it each run compiles rc from source.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

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
    proc = subprocess.Popen(
        wrapped,
        env=env,
        stdin=subprocess.DEVNULL,  # `rc search` asks what to add when stdin is a terminal
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
    usable: dict[str, tuple[list[str], dict[str, str]]] = dict(commands)
    failed: dict[str, int] = {}
    for _ in range(warmup):  # in the same order as the timed rounds (a write, then its inverse)
        for name, (cmd, env) in commands.items():
            failed[name] = failed.get(name, 0) + (run_once(cmd, env)[2] != 0)
    for name, count in failed.items():
        if count:
            cmd, env = usable.pop(name)
            out = subprocess.run(cmd, env=env, capture_output=True, text=True)
            print(f"  {name}: left out, it failed: {out.stderr.strip()[-300:]}")
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
    env.update(RC_HOME=str(home), RC_TODAY=TODAY.isoformat(), RC_LINKS_LOOKUP="false",
               RC_REFS_LOOKUP="false", **extra)  # fmt: skip
    return env


def build_store(home: Path, papers: int) -> None:
    """A store whose last 20 papers sit one a day around TODAY (the same in every store, so
    today's view and this week's post are the same work), and whose other papers (1 KB
    abstracts of words with Zipf's frequencies, benchmarks/find.py) fill the years before,
    10 a day, read with a missed day now and then."""
    marker = home / f"built-{papers}-v2"  # v2: abstracts of many words, for rc find
    if marker.exists():
        return
    shutil.rmtree(home, ignore_errors=True)
    sys.path.insert(0, str(ROOT))
    from benchmarks.find import abstract_for, note_for
    from readchallenge.store import db

    conn = db.connect(home / "rc.db")
    recent_start = TODAY - timedelta(days=10)
    history = papers - 20
    first = recent_start - timedelta(days=-(-history // 10))
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
                    abstract_for(n),
                    '["cs.LG"]',
                    stamp,
                    f"https://arxiv.org/abs/{pid}",
                ),
            )
            url = f"https://arxiv.org/abs/{pid}"
            conn.execute("INSERT INTO links VALUES (?, 'paper', ?, 'arxiv')", (pid, url))
            conn.execute("INSERT INTO plan VALUES (?, ?)", (pid, day.isoformat()))
            if day < TODAY and (TODAY - day).days % 37 != 5:
                conn.execute(
                    "INSERT INTO readings (paper_id, day, read_at) VALUES (?, ?, ?)",
                    (pid, day.isoformat(), stamp),
                )
            if n % 7 == 0:
                conn.execute("INSERT INTO notes VALUES (?, ?, ?)", (pid, note_for(n), stamp))
                conn.execute("INSERT INTO takeaways VALUES (?, 1, 'A takeaway.')", (pid,))
    # The store as a long-time user brings it: its history came before the change log, so
    # the log is empty (otherwise it would hold one entry of every row, like an import).
    conn.execute("DELETE FROM change_ops")
    conn.execute("DELETE FROM changes")
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


def peer_envs(entries: int) -> dict[str, tuple[list[str], list[str], dict[str, str]]]:
    """papis and pubs, each with a library of `entries` entries, ready to list."""
    peers: dict[str, tuple[list[str], list[str], dict[str, str]]] = {}
    papis = peer_venv("papis", "papis")
    if papis:
        base = WORK / f"papis-home-{entries}"
        lib = base / "library"
        config = base / "config" / "papis"
        config.mkdir(parents=True, exist_ok=True)
        (config / "config").write_text(
            f"[settings]\ndefault-library = bench\n\n[bench]\ndir = {lib}\n"
        )
        for n in range(entries):
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
        base = WORK / f"pubs-home-{entries}"
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
            bib = base / "all.bib"
            bib.write_text(
                "".join(
                    f"@article{{paper{n}, title={{Paper number {n}}}, "
                    f"author={{Author, A. and Author, B.}}, year={{2024}}}}\n"
                    for n in range(entries)
                )
            )
            subprocess.run(
                [str(pubs), "-c", str(rc_file), "import", str(bib)],
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


def _recorded(path: str) -> dict[str, object]:
    found: dict[str, object] = json.loads(next(ROOT.glob(path)).read_text())
    return found


class FakeArxiv(BaseHTTPRequestHandler):
    """A loopback arXiv that answers any id_list with one entry per id, and any search with
    a recorded search (ten results)."""

    requests = 0
    entry = ""
    feed = ""
    search = b""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).requests += 1
        query = parse_qs(urlsplit(self.path).query)
        if "search_query" in query:
            body = self.search
        else:
            ids = query.get("id_list", [""])[0].split(",")
            entries = "".join(self.entry.replace("1605.08386", i) for i in ids if i)
            body = self.feed.replace("</feed>", entries + "</feed>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class FakeHub(BaseHTTPRequestHandler):
    """A loopback Hugging Face answering each request after `delay` seconds: DeepSeek-R1's
    recorded page for every paper (its 521 models make rc also ask `/api/models`, so each
    paper costs two requests), and the recorded search. It keeps the time each request
    arrived and the most it held at once."""

    delay = 0.0
    paper = b""
    search = b""
    arrived: list[float] = []
    in_flight = 0
    most = 0
    lock = threading.Lock()

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        cls = type(self)
        with cls.lock:
            cls.arrived.append(time.monotonic())
            cls.in_flight += 1
            cls.most = max(cls.most, cls.in_flight)
        time.sleep(self.delay)
        path = urlsplit(self.path).path
        if path == "/api/papers/search":
            body = self.search
        elif path == "/api/models":
            body = b"[]"
        else:
            body = self.paper
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with cls.lock:
            cls.in_flight -= 1

    @classmethod
    def reset(cls, delay: float) -> None:
        cls.delay, cls.arrived, cls.in_flight, cls.most = delay, [], 0, 0

    @classmethod
    def busiest(cls, window: float = 300.0) -> int:
        """The most requests that arrived within any `window` seconds."""
        times = sorted(cls.arrived)
        return max(
            (bisect.bisect_left(times, t + window) - i for i, t in enumerate(times)), default=0
        )

    def log_message(self, *args: object) -> None:
        pass


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # rc may open dozens of connections at once


def stand_ins() -> tuple[ThreadingHTTPServer, ThreadingHTTPServer]:
    """The loopback arXiv and Hugging Face, serving recorded answers, started."""
    body = str(_recorded("tests/fixtures/arxiv/id_1605.08386_*.json")["body"])
    FakeArxiv.entry = re.search(r"<entry>.*?</entry>", body, re.DOTALL)[0]  # type: ignore[index]
    FakeArxiv.feed = re.sub(r"<entry>.*?</entry>", "", body, flags=re.DOTALL)
    FakeArxiv.search = str(
        _recorded("tests/fixtures/arxiv/q_testing_s0_m10_*.json")["body"]
    ).encode()
    FakeHub.paper = json.dumps(
        _recorded("tests/fixtures/hf/papers_2501.12948.json")["body"]
    ).encode()
    FakeHub.search = json.dumps(
        _recorded("tests/fixtures/hf/papers_search_llama_3_herd.json")["body"]
    ).encode()
    servers = (
        LoopbackServer(("127.0.0.1", 0), FakeArxiv),
        LoopbackServer(("127.0.0.1", 0), FakeHub),
    )
    FakeHub.reset(delay=0.0)
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return servers


def fetch_env(home: Path, arxiv: ThreadingHTTPServer, hub: ThreadingHTTPServer) -> dict[str, str]:
    return rc_env(
        home,
        RC_ARXIV_API_URL=f"http://127.0.0.1:{arxiv.server_port}/api/query",
        RC_HF_API_URL=f"http://127.0.0.1:{hub.server_port}",
    )


def bench_add(count: int, interval: float, runs: int, delay: float = 0.5) -> dict[str, float]:
    """`rc add` of `count` ids against the stand-ins, `runs` times without the link lookups
    and, run by run beside it, with them (Hugging Face answering each request in `delay`)."""
    arxiv, hub = stand_ins()
    ids = [f"2401.{n:05d}" for n in range(1, count + 1)]
    walls: dict[str, list[float]] = {"without": [], "with": []}
    peaks: dict[str, int] = {"without": 0, "with": 0}
    requests, most, busiest = 0, 0, 0
    for _ in range(runs):
        for lookups in walls:
            home = WORK / "add-store"
            shutil.rmtree(home, ignore_errors=True)
            env = fetch_env(home, arxiv, hub)
            env.update(
                RC_ARXIV_MIN_INTERVAL=str(interval),
                RC_LINKS_LOOKUP="true" if lookups == "with" else "false",
            )
            FakeArxiv.requests = 0
            FakeHub.reset(delay)
            wall, peak, code = run_once([*RC, "add", "--backlog", *ids], env)
            if code != 0:
                raise SystemExit(f"rc add against the stand-ins failed ({code})")
            walls[lookups].append(wall)
            peaks[lookups] = max(peaks[lookups], peak)
            requests = FakeArxiv.requests
            if lookups == "with":
                most = max(most, FakeHub.most)
                busiest = max(busiest, FakeHub.busiest())
    for server in (arxiv, hub):
        server.shutdown()
    pairs = [w / wo for w, wo in zip(walls["with"], walls["without"], strict=True)]
    return {
        "ids": count,
        "requests": requests,
        "seconds": statistics.median(walls["without"]),
        "seconds_links": statistics.median(walls["with"]),
        "links_ratio": statistics.median(pairs),
        "links_memory": peaks["with"] / peaks["without"],
        "interval": interval,
        "delay": delay,
        "most_at_once": most,
        "hf_busiest": busiest,
    }


PAPER = "2001.00011"  # planned on TODAY in every store
BENCH_URL = "https://example.org/bench"  # an item `rc add --url` adds and `rc rm` removes


def daily_commands(env: dict[str, str]) -> list[tuple[str, list[str]]]:
    """Every command a reader runs daily, on the 20-paper store. A change and its inverse
    stand next to each other, so that each round leaves the store as it found it; `rc today`
    right after a write measures the first read after the derived counters went stale."""
    day, later = (TODAY - timedelta(days=3)).isoformat(), (TODAY + timedelta(days=30)).isoformat()
    return [
        ("rc today [20]", [*RC, "today"]),
        ("rc read", [*RC, "read", PAPER, "--on", day]),
        ("rc today (after a write)", [*RC, "today"]),
        ("rc unread", [*RC, "unread", PAPER, "--on", day]),
        ("rc skip", [*RC, "skip", "--on", later, "--reason", "travel"]),
        ("rc skip --undo", [*RC, "skip", "--on", later, "--undo"]),
        ("rc note --description (1)", [*RC, "note", PAPER, "--description", "One."]),
        ("rc note --description (2)", [*RC, "note", PAPER, "--description", "Two."]),
        ("rc note --takeaway", [*RC, "note", PAPER, "--takeaway", "t", "--clear-takeaways"]),
        ("rc link (1)", [*RC, "link", PAPER, "code", "https://github.com/a/b"]),
        ("rc link (2)", [*RC, "link", PAPER, "code", "https://github.com/a/c"]),
        ("rc add --url", [*RC, "add", "--url", BENCH_URL, "--title", "Bench", "--backlog"]),
        ("rc rm", [*RC, "rm", "bench", "--yes"]),
        ("rc plan", [*RC, "plan", "this"]),
        ("rc week", [*RC, "week", "this"]),
        ("rc week --theme (1)", [*RC, "week", "this", "--theme", "One"]),
        ("rc week --theme (2)", [*RC, "week", "this", "--theme", "Two"]),
        ("rc list [20]", [*RC, "list"]),
        ("rc list --limit 20 [20]", [*RC, "list", "--limit", "20"]),
        ("rc show", [*RC, "show", PAPER]),
        ("rc calendar", [*RC, "calendar"]),
        ("rc export-week [20]", [*RC, "export-week", "this"]),
        ("rc info", [*RC, "info"]),
        ("rc --help", [*RC, "--help"]),
        ("rc read --help", [*RC, "read", "--help"]),
        ("rc plan --help", [*RC, "plan", "--help"]),
    ]


# The last commit before the change log: the write commands run by it, on the same store
# without the log's tables, are the baseline for what recording a change costs.
BEFORE_LOG = "b2b4087"
LOG_TABLES = ("changes", "change_ops", "sync_state")


def launcher(source: Path) -> list[str]:
    """rc's entry point, imported from `source` (the same launcher for both versions)."""
    code = (
        f"import sys; sys.path.insert(0, {str(source)!r}); "
        "from readchallenge.fastpath import main; main()"
    )
    return [sys.executable, "-c", code]


def before_log(small: Path) -> tuple[Path, Path] | None:
    """A checkout of BEFORE_LOG and a copy of the 20-paper store it can open."""
    tree, home = WORK / "before-log", WORK / "store-20-before-log"
    if not tree.exists():
        made = subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), BEFORE_LOG],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            print(f"  no baseline before the change log: {made.stderr.strip()[-200:]}")
            return None
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(small, home)
    import sqlite3

    conn = sqlite3.connect(home / "rc.db")
    triggers = conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'log_%'").fetchall()
    for (name,) in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    for table in LOG_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute("DELETE FROM counters WHERE name IN ('next_change', 'log_muted')")
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'plan_%'"
    ).fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DELETE FROM counters WHERE name LIKE 'plan_revision' OR name LIKE 'series_%'")
    conn.execute("DELETE FROM schema_migrations WHERE version >= 8")
    conn.commit()
    conn.close()
    return tree, home


LOGGED_WRITES = (
    "rc read", "rc unread", "rc skip", "rc skip --undo", "rc note --description (1)",
    "rc note --description (2)", "rc link (1)", "rc link (2)", "rc week --theme (1)",
    "rc week --theme (2)",
)  # fmt: skip


def build_sync_hub(entries: int) -> Path:
    """A bare repository holding `entries` entries of another device: papers added, read
    and annotated, a third each, as a year of use writes them."""
    hub = WORK / f"hub-{entries}.git"
    if (hub / "built").exists():
        return hub
    shutil.rmtree(hub, ignore_errors=True)
    other = WORK / "sync-other"
    shutil.rmtree(other, ignore_errors=True)
    subprocess.run(["git", "init", "-q", "--bare", str(hub)], check=True)
    env = rc_env(other, RC_DEVICE="other")
    subprocess.run([*RC, "sync", "--init", str(hub)], env=env, check=True, capture_output=True)
    sys.path.insert(0, str(ROOT))
    from readchallenge.store import db, writes

    conn = db.connect(other / "rc.db")
    first = TODAY - timedelta(days=entries // 3 + 1)
    with db.transaction(conn):
        writes.create_challenge(
            conn, name="Bench", start=first, until=date(TODAY.year, 7, 31), per_day=1, stamp="s"
        )
    abstract = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 18)[:1024]
    for n in range(entries):
        pid, day = f"2101.{n // 3:05d}", first + timedelta(days=n // 3)
        with db.transaction(conn):
            if n % 3 == 0:
                fields = {"title": f"Paper {n}", "abstract": abstract, "added_at": "s"}
                writes.insert_paper(conn, pid, fields)
                writes.set_link(conn, pid, "paper", f"https://arxiv.org/abs/{pid}", "arxiv")
                writes.place(conn, pid, day, 1)
            elif n % 3 == 1:
                writes.add_reading(conn, pid, day, "s")
            else:
                writes.set_note(conn, pid, "A description.", ["One.", "Two."], "s")
    conn.close()
    subprocess.run([*RC, "sync"], env=env, check=True, capture_output=True)
    (hub / "built").touch()
    return hub


def bench_sync(entries: int, runs: int) -> Timing:
    """`rc sync --init` of a new device from a hub holding `entries` entries of another."""
    hub = build_sync_hub(entries)
    walls, peaks = [], []
    for _ in range(runs):
        home = WORK / "sync-new"
        shutil.rmtree(home, ignore_errors=True)
        wall, peak, code = run_once([*RC, "sync", "--init", str(hub)], rc_env(home))
        if code:
            raise SystemExit("rc sync --init of the hub failed")
        walls.append(wall)
        peaks.append(peak)
    timing = Timing(f"rc sync, {entries} entries of another device", walls, max(peaks))
    print(f"  {timing.name:<34} median {timing.median * 1000:7.1f} ms")
    return timing


# The tables an export held before the season (#24) and suggestions (#25): what the commit
# before the change log imports; it refuses a file naming any other.
OLDER_TABLES = (
    "challenge", "papers", "links", "plan", "readings", "skips", "notes", "takeaways", "weeks",
    "hf_pages",
)  # fmt: skip


def _older_tables(export: Path) -> Path:
    """The export with only OLDER_TABLES (the large store has no rows in the others)."""
    data = json.loads(export.read_text(encoding="utf-8"))
    left_out = {t: rows for t, rows in data["tables"].items() if t not in OLDER_TABLES}
    assert not any(left_out.values()), f"rows the older rc cannot import: {list(left_out)}"
    data["tables"] = {t: rows for t, rows in data["tables"].items() if t in OLDER_TABLES}
    older = export.with_name(f"{export.stem}-older.json")
    older.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return older


def bench_bulk(home: Path, papers: int, runs: int, before: Path | None) -> dict[str, Timing]:
    """`rc export --format json` of the large store and `rc import` of that export into an
    empty store, each `runs` times (too long for the round robin); the import also by the
    commit before the change log (`before`), run by run beside it."""
    export = WORK / f"export-{papers}.json"
    env = rc_env(home)
    timings: dict[str, Timing] = {}
    walls, peaks = [], []
    for _ in range(runs):
        with export.open("w") as out:
            start = time.perf_counter()
            wrapped = [str(TIME), "-f", "%M", "-o", str(PEAK_FILE), *RC, "export"]
            subprocess.run([*wrapped, "--format", "json"], env=env, stdout=out, check=True)
            walls.append(time.perf_counter() - start)
        peaks.append(int(PEAK_FILE.read_text().split()[-1]))
    timings["export"] = Timing(f"rc export --format json [{papers}]", walls, max(peaks))
    if before is not None:
        export = _older_tables(export)  # both imports take the same file
    versions = {"import": launcher(ROOT)}
    if before is not None:
        versions["import (before the log)"] = launcher(before)
    measured: dict[str, tuple[list[float], list[int]]] = {k: ([], []) for k in versions}
    for _ in range(runs):
        for name, entry in versions.items():
            target = WORK / "import-store"
            shutil.rmtree(target, ignore_errors=True)
            wall, peak, code = run_once([*entry, "import", str(export)], rc_env(target))
            if code:
                raise SystemExit(f"{name} of the export failed")
            measured[name][0].append(wall)
            measured[name][1].append(peak)
    for name, (walls, peaks) in measured.items():
        timings[name] = Timing(f"rc {name} [{papers}]", walls, max(peaks))
    for t in timings.values():
        print(f"  {t.name:<34} median {t.median * 1000:7.1f} ms   peak {t.peak_kb / 1024:6.1f} MiB")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--peers", action="store_true", help="also time papis and pubs")
    parser.add_argument("--no-add", action="store_true", help="skip the 250-id rc add")
    parser.add_argument(
        "--fetch", action="store_true", help="only rc search and rc add against the stand-ins"
    )
    parser.add_argument("--add-runs", type=int, default=3, help="runs of each 250-id rc add")
    parser.add_argument("--write", action="store_true", help="write docs/performance.md")
    parser.add_argument(
        "--scale",
        action="store_true",
        help="only sync and the change log at 2,500 to 100,000 entries (benchmarks/scale.py); "
        "with --write, its section of docs/performance.md",
    )
    parser.add_argument(
        "--find",
        action="store_true",
        help="only rc find at --big papers, and the size of its index (benchmarks/find.py); "
        "with --write, its section of docs/performance.md",
    )
    parser.add_argument(
        "--suggest",
        action="store_true",
        help="only rc suggest: 1,000 candidates against 1,000 papers read "
        "(benchmarks/suggest.py); with --write, its section of docs/performance.md",
    )
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.find:
        sys.path.insert(0, str(ROOT))
        from benchmarks import find

        section = find.main(runs=max(5, min(args.runs, 11)), papers=args.big)
        print(section)
        if args.write:
            write_section(ROOT / "docs" / "performance.md", section, FIND_MARKS)
        return
    if args.suggest:
        sys.path.insert(0, str(ROOT))
        from benchmarks import suggest

        section = suggest.main(runs=max(3, min(args.runs, 7)))
        print(section)
        if args.write:
            write_section(ROOT / "docs" / "performance.md", section, (suggest.START, suggest.END))
        return
    if args.fetch:
        main_fetch(args)
        return
    if args.scale:
        sys.path.insert(0, str(ROOT))
        from benchmarks import scale

        section = scale.main(runs=max(3, min(args.runs, 7)))
        print(section)
        if args.write:
            write_section(ROOT / "docs" / "performance.md", section)
        return

    small, mid, big = WORK / "store-20", WORK / "store-1000", WORK / f"store-{args.big}"
    print("building stores ...", flush=True)
    build_store(small, 20)
    build_store(mid, 1000)
    build_store(big, args.big)

    plain = {k: v for k, v in os.environ.items() if not k.startswith("RC_")}
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], plain),
    }
    env = rc_env(small)
    for name, argv in daily_commands(env):
        commands[name] = (argv, env)
    # Shell completion, as bash asks for it when TAB is pressed after `rc ` and `rc note `.
    for words, cword in (("rc ", "1"), ("rc note ", "2")):
        asked = {**env, "_RC_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
        commands[f"rc completion: {words.strip()} <TAB>"] = (RC, asked)
    for store_name, home in (("1000", mid), (str(args.big), big)):
        env = rc_env(home)
        commands[f"rc today [{store_name}]"] = ([*RC, "today"], env)
        commands[f"rc list [{store_name}]"] = ([*RC, "list"], env)
        commands[f"rc list --limit 20 [{store_name}]"] = ([*RC, "list", "--limit", "20"], env)
        commands[f"rc export-week [{store_name}]"] = ([*RC, "export-week", "this"], env)
    commands[f"rc find [{args.big}]"] = ([*RC, "find", "zeppelin"], rc_env(big))
    baseline = before_log(small)
    if baseline is not None:
        tree, old_home = baseline
        writes = dict(daily_commands(env))
        for name in LOGGED_WRITES:
            argv = writes[name][len(RC) :]
            commands[f"{name} (log)"] = ([*launcher(ROOT), *argv], rc_env(small))
            commands[f"{name} (before the log)"] = ([*launcher(tree), *argv], rc_env(old_home))
    if args.peers:
        for entries in (20, 1000):
            for name, (list_cmd, help_cmd, env) in peer_envs(entries).items():
                commands[f"{name} list [{entries}]"] = (list_cmd, env)
                if entries == 20:
                    commands[f"{name} --help"] = (help_cmd, env)
    servers = stand_ins()
    commands.update(search_commands(small, servers))
    print("timing (round-robin) ...", flush=True)
    results = measure_all(commands, args.runs)
    for server in servers:
        server.shutdown()
    print("export and import of the large store ...", flush=True)
    bulk = bench_bulk(big, args.big, runs=5, before=baseline[0] if baseline else None)
    print("rc sync of 10,000 entries ...", flush=True)
    bulk["sync"] = bench_sync(10_000, runs=3)

    add = None if args.no_add else bench_add(250, 3.0, args.add_runs)
    if add:
        print(f"  rc add 250 ids: {add['requests']} requests, {add['seconds']:.1f} s")
    report = render(results, add, bulk, args)
    print()
    print(report)
    if args.write:
        doc = ROOT / "docs" / "performance.md"
        kept = marked_sections(doc.read_text(encoding="utf-8")) if doc.exists() else ""
        doc.write_text(report.rstrip("\n") + "\n" + (f"\n{kept}" if kept else ""), encoding="utf-8")
        print("wrote docs/performance.md" + (", keeping its marked sections" if kept else ""))


def marked_sections(text: str) -> str:
    """The sections other runs wrote between markers (--scale, --find, --suggest), as they
    are: a full run replaces the rest of the document, not them."""
    found = re.finditer(r"<!-- ([\w-]+): start -->\n.*?<!-- \1: end -->\n", text, re.DOTALL)
    return "\n".join(m.group(0) for m in found)


def search_commands(
    small: Path, servers: tuple[ThreadingHTTPServer, ThreadingHTTPServer]
) -> dict[str, tuple[list[str], dict[str, str]]]:
    """`rc search` on the 20-paper store, asking both stand-ins (as `rc search` does)."""
    return {"rc search": ([*RC, "search", "testing"], fetch_env(small, *servers))}


def main_fetch(args: argparse.Namespace) -> None:
    """`--fetch`: `rc search` round-robin beside `rc today`, and the 250-id adds; with
    `--write`, only the fetching section of docs/performance.md is replaced."""
    small = WORK / "store-20"
    build_store(small, 20)
    plain = {k: v for k, v in os.environ.items() if not k.startswith("RC_")}
    servers = stand_ins()
    commands = {
        "python -c pass": ([sys.executable, "-c", "pass"], plain),
        "rc today [20]": ([*RC, "today"], rc_env(small)),
        **search_commands(small, servers),
    }
    print("timing (round-robin) ...", flush=True)
    results = measure_all(commands, args.runs)
    for server in servers:
        server.shutdown()
    add = None if args.no_add else bench_add(250, 3.0, args.add_runs)
    section = "\n".join(render_fetch(results, add, args)) + "\n"
    print()
    print(section)
    if args.write:
        doc = ROOT / "docs" / "performance.md"
        text = doc.read_text(encoding="utf-8")
        head, found, rest = text.partition(FETCH_HEADING)
        if not found:
            raise SystemExit(f"docs/performance.md has no {FETCH_HEADING!r} to replace")
        _, nxt, tail = rest.partition("\n## ")
        doc.write_text(head + section + (f"\n## {tail}" if nxt else ""), encoding="utf-8")
        print("replaced the fetching section of docs/performance.md")


FETCH_HEADING = "## Fetching, against loopback stand-ins of arXiv and Hugging Face"


def render_fetch(
    results: dict[str, Timing], add: dict[str, float] | None, args: argparse.Namespace
) -> list[str]:
    flags = " --fetch" if args.fetch else " --peers" if args.peers else ""
    lines = [
        FETCH_HEADING,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `python benchmarks/run.py{flags}`: "
        f"`rc search` {args.runs} times round-robin beside `rc today`, its stand-ins "
        "answering at once; each `rc add` of 250 ids "
        f"{args.add_runs} times without the link lookups and, run by run beside it, with them.",
        "arXiv's stand-in answers at once, and rc keeps the real 3 s between its requests; "
        "Hugging Face's answers every request in "
        f"{add['delay'] if add else 0.5:g} s with DeepSeek-R1's page (two requests a paper, "
        "as for any paper with more models than its page lists: 500 for 250 papers, Hugging "
        "Face's whole allowance). The lookups of the last batch start after arXiv's last "
        "answer, so they add at least two requests' time to the add.",
        "",
        "| target | ratio or figure | goal |",
        "|---|---:|---:|",
        f"| `rc search` / `rc today` (wall) | {ratio(results, 'rc search', 'rc today [20]')} | — |",
        f"| `rc search` / `rc today` (memory) | "
        f"{ratio(results, 'rc search', 'rc today [20]', peak=True)} | — |",
    ]
    if add:
        lines += [
            f"| `rc add` of {add['ids']} ids: requests / ceil(N/100) | "
            f"{add['requests'] / -(-add['ids'] // 100):.2f} | = 1.0 |",
            f"| `rc add` of {add['ids']} ids: seconds / {add['interval']:.0f} s interval | "
            f"{add['seconds'] / add['interval']:.2f} | ≈ 2 |",
            f"| `rc add` of {add['ids']} ids with link lookups / without (wall) | "
            f"{add['links_ratio']:.2f} | — |",
            f"| `rc add` of {add['ids']} ids with link lookups / without (memory) | "
            f"{add['links_memory']:.2f} | — |",
            f"| link lookups: most requests Hugging Face held at once | "
            f"{add['most_at_once']:.0f} | — |",
            f"| link lookups: requests to Hugging Face within 5 minutes | "
            f"{add['hf_busiest']:.0f} | ≤ 500 |",
        ]
    return lines


SCALE_START, SCALE_END = "<!-- scale: start -->", "<!-- scale: end -->"
FIND_MARKS = ("<!-- find: start -->", "<!-- find: end -->")


def write_section(
    path: Path, section: str, marks: tuple[str, str] = (SCALE_START, SCALE_END)
) -> None:
    """Put the --scale (or --find) section into the document between its markers (at its
    end the first time), leaving the rest as the last full run wrote it."""
    start, end = marks
    text = path.read_text(encoding="utf-8")
    block = f"{start}\n{section}{end}\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")
    print(f"wrote the section {start} of {path.name}")


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
    results: dict[str, Timing],
    add: dict[str, float] | None,
    bulk: dict[str, Timing],
    args: argparse.Namespace,
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
    for t in [*results.values(), *bulk.values()]:
        lines.append(
            f"| `{t.name}` | {t.median * 1000:.1f} | {min(t.walls) * 1000:.1f} | "
            f"{max(t.walls) * 1000:.1f} | {t.peak_kb / 1024:.1f} | {t.median / base:.1f} |"
        )
    today = "rc today [20]"
    lines += [
        "",
        "## The daily commands against `rc today` and `papis list`",
        "",
        "Goal: each within 1.5× `rc today` and at most 1.0× `papis list` in wall time, and "
        "within 1.2× `rc today` in peak memory.",
        "",
        "| command | × rc today (wall) | × papis list (wall) | × rc today (memory) |",
        "|---|---:|---:|---:|",
    ]
    for name in results:
        if name.startswith("rc ") and name.endswith(("[1000]", f"[{big}]", "log)")):
            continue
        if not name.startswith("rc ") or name == "rc search":
            continue
        lines.append(
            f"| `{name}` | {ratio(results, name, today)} | "
            f"{ratio(results, name, 'papis list [20]')} | "
            f"{ratio(results, name, today, peak=True)} |"
        )
    lines += [
        "",
        "## Other targets",
        "",
        "| target | ratio or figure | goal |",
        "|---|---:|---:|",
        f"| `rc list` / `papis list --all`, 20 entries (wall) | "
        f"{ratio(results, 'rc list [20]', 'papis list [20]')} | ≤ 1.0 |",
        f"| `rc list` / `papis list --all`, 1,000 entries (wall) | "
        f"{ratio(results, 'rc list [1000]', 'papis list [1000]')} | ≤ 1.0 |",
        f"| `rc list` / `pubs list`, 20 entries (wall) | "
        f"{ratio(results, 'rc list [20]', 'pubs list [20]')} | — |",
        f"| `rc list` / `pubs list`, 1,000 entries (wall) | "
        f"{ratio(results, 'rc list [1000]', 'pubs list [1000]')} | — |",
        f"| `rc --help` / `papis --help` (wall) | "
        f"{ratio(results, 'rc --help', 'papis --help')} | ≤ 1.0 |",
        f"| `rc list`, all {big} papers: seconds | {_seconds(results, f'rc list [{big}]')} | ≤ 2 |",
        f"| `rc list`, all {big} papers: peak MiB | {_mib(results, f'rc list [{big}]')} | ≤ 100 |",
        f"| `rc export --format json`, {big} papers: peak MiB | {_mib(bulk, 'export')} | ≤ 100 |",
        f"| `rc import`, {big} papers: peak MiB | {_mib(bulk, 'import')} | ≤ 100 |",
        f"| `rc import`, {big} papers, / the commit before the change log (wall) | "
        f"{ratio(bulk, 'import', 'import (before the log)')} | ≤ 1.0 |",
        f"| `rc today`, {big} papers / 20 papers | "
        f"{ratio(results, f'rc today [{big}]', today)} | ≤ 1.1 |",
        f"| `rc list --limit 20`, {big} / 20 | "
        f"{ratio(results, f'rc list --limit 20 [{big}]', 'rc list --limit 20 [20]')} | ≤ 1.1 |",
        f"| `rc export-week`, {big} / 20 | "
        f"{ratio(results, f'rc export-week [{big}]', 'rc export-week [20]')} | ≤ 1.1 |",
        f"| `rc find zeppelin` (500 hits), {big} papers: seconds | "
        f"{_seconds(results, f'rc find [{big}]')} | ≤ 0.3 |",
    ]
    lines.append(
        f"| `rc sync` applying 10,000 entries of another device: seconds | "
        f"{_seconds(bulk, 'sync')} | ≤ 2 |"
    )
    lines += ["", *render_fetch(results, add, args)]
    lines += [
        "",
        "## What recording each change costs",
        "",
        f"Each write command run by this rc and by the last commit before the change log "
        f"({BEFORE_LOG}), on the same 20-paper store (without the log's tables for the "
        "latter), both through the same launcher. Goal: at most 1.10.",
        "",
        "| command | with the log / before it (wall) |",
        "|---|---:|",
    ]
    for name in LOGGED_WRITES:
        lines.append(
            f"| `{name}` | {ratio(results, f'{name} (log)', f'{name} (before the log)')} |"
        )
    lines += [
        "",
        "## How it was measured",
        "",
        "- Every command is a whole process started from a shell-less `Popen`, with stdout and "
        "stderr discarded (so `rc list` writes every paper, as into a pipe); peak memory comes "
        "from `/usr/bin/time -f %M`.",
        "- Bytecode caches are kept (`PYTHONDONTWRITEBYTECODE` is unset for every process), as "
        "for an installed rc and for the peers, which pip compiles at install time.",
        "- The rc stores are built by the script: one of 20 papers, one a day around today; "
        f"one of 1,000 and one of {big}: the same 20, plus papers with 1 KB abstracts filling "
        "the years before, 10 a day, read with a missed day now and then, notes on one in "
        "seven. Today's view and this week's post are the same work in all of them.",
        "- The write commands run beside their inverse (`read`/`unread`, `skip`/`skip --undo`, "
        "two notes, two links, two themes), so every round starts from the same store.",
        "- papis lists (`papis list --all`) and pubs lists (`pubs list`) libraries of 20 and "
        "1,000 entries, installed from PyPI into their own virtual environments.",
        "- `rc add` of 250 ids runs against a loopback stand-in of the arXiv API with the real "
        "3 s interval between requests.",
        "",
        "## What keeps it fast",
        "",
        "- No command imports Typer when it runs: `readchallenge/dispatch.py` parses the "
        "arguments against `command_table.py`, a table generated from the command functions "
        "and decoded in well under a millisecond (a test keeps it in step, another feeds "
        "random arguments to both paths), and calls the command's function in `commands/`. "
        "Typer is loaded only to report a usage error. Running a Typer command costs its "
        "pydantic adapters, about 95 ms on every invocation.",
        "- Writes go through `sqlite3` in `store/writes.py`: no command imports sqlmodel or "
        "SQLAlchemy (about 165–300 ms), nor httpx or arxiv unless it fetches (a test guards "
        "this for every daily command).",
        "- `rc list`, `rc export` and `rc import` stream rows instead of holding the store.",
        "- `rc export-week` imports Jinja2 with hashlib's built-in sha1: Jinja2 imports hashlib "
        "for a bytecode cache rc does not use, and OpenSSL's libcrypto would add 3.4 MiB.",
        "- `tomllib` is imported only when a config file exists, and `rich.table` only by the "
        "views that draw tables.",
        "- `rc search` and every arXiv request load the `arxiv` package's feed parser without "
        "the `requests` it also imports (about 100 ms), `rc search` asks both sources over one "
        "httpx client, and no client reads the CA bundle before its first https connection.",
        "- Link lookups run 50 at once, within the 500 requests per 5 minutes Hugging Face "
        "allows ([links.md](links.md)), so they finish while arXiv is asked for the next batch.",
        "- `rc today` reads one row for the longest streak (kept with the revision of the "
        "reading history it was computed at) and a window of recent days for the current "
        "streak; `rc list --limit 20` walks an index on `added_at`.",
    ]
    return "\n".join(lines) + "\n"


def _seconds(results: dict[str, Timing], name: str) -> str:
    return f"{results[name].median:.2f}" if name in results else "not measured"


def _mib(results: dict[str, Timing], name: str) -> str:
    return f"{results[name].peak_kb / 1024:.1f}" if name in results else "not measured"


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
