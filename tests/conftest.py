"""Every test gets its own RC_HOME, a fixed clock and a fast, fake arXiv."""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
import typer.testing
from hypothesis import settings
from typer.testing import CliRunner

from readchallenge.cli import app

# Typer's CliRunner builds the click command from the app again on every invoke, which is
# more than half of what an in-process command costs; the declarations do not change during a
# run, so each app is built once.
assert callable(typer.testing._get_command), "typer.testing no longer builds commands this way"
typer.testing._get_command = functools.cache(typer.testing._get_command)

# No per-example deadline: on a busy machine a slow example is not a failure. For a longer
# hunt: python -m pytest --hypothesis-profile=thorough
settings.register_profile("rc", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=1600)
settings.load_profile("rc")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "arxiv"


def pytest_configure(config: pytest.Config) -> None:
    """Compile rc once, and let the rc processes the tests start keep bytecode.

    Hundreds of tests run rc as its own process. Where PYTHONDONTWRITEBYTECODE is set, each of
    them would compile rc from source again, which costs more than the command itself.
    """
    import compileall

    import readchallenge

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(Path(readchallenge.__file__).parent, quiet=1)


# The longest tests (the merge properties: each replays dozens of histories on three
# devices) go first: started last, one of them would keep its worker busy after the others
# ran out of work.
FIRST = ("tests/test_merge.py",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(FIRST))


@pytest.fixture(autouse=True)
def rc_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for name in list(os.environ):
        if name.startswith("RC_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RC_HOME", str(home))
    monkeypatch.setenv("RC_TODAY", "2026-06-10")
    monkeypatch.setenv("RC_ARXIV_MIN_INTERVAL", "0")
    monkeypatch.setenv("RC_ARXIV_API_URL", "http://arxiv.test/api/query")
    monkeypatch.setenv("RC_LINKS_LOOKUP", "false")  # tests of the lookups turn it on
    monkeypatch.setenv("RC_REFS_LOOKUP", "false")  # so do tests of what papers build on
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return home


@pytest.fixture
def run() -> Callable[..., Any]:
    """Run the real CLI in-process: `run("add", "1605.08386")`."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Any:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def db(rc_home: Path) -> Callable[[], sqlite3.Connection]:
    def open_db() -> sqlite3.Connection:
        from readchallenge.store import db as store_db

        return store_db.connect(rc_home / "rc.db")

    return open_db


def recording(prefix: str) -> dict[str, Any]:
    """The recorded API response whose file name starts with `prefix`."""
    matches = sorted(FIXTURES.glob(f"{prefix}_s*.json"))
    assert matches, f"no recording {prefix}"
    data: dict[str, Any] = json.loads(matches[0].read_text(encoding="utf-8"))
    return data


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Record the waits the arXiv client asks for instead of sleeping through them."""
    from readchallenge.sources import arxiv

    waits: list[float] = []
    monkeypatch.setattr(arxiv, "sleep", waits.append)
    yield waits


class FakeArxiv:
    """Serves the recorded API responses by the ids asked; scripted faults go first."""

    def __init__(self) -> None:
        self.by_ids: dict[frozenset[str], dict[str, Any]] = {}
        for path in sorted(FIXTURES.glob("id_*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            ids = parse_qs(urlsplit(data["url"]).query).get("id_list", [""])[0]
            key = frozenset(re.sub(r"v\d+$", "", i) for i in ids.split(",") if i)
            self.by_ids[key] = data
        self.empty = recording("id_0000.0000")
        self.script: list[httpx.Response | Exception] = []
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.script:
            step = self.script.pop(0)
            if isinstance(step, Exception):
                raise step
            return step
        params = parse_qs(request.url.query.decode())
        if "search_query" in params:
            data = recording("q_testing")
        else:
            ids = frozenset(params["id_list"][0].split(","))
            data = self.by_ids.get(ids)
            if data is None:
                data = self.entries_for(ids)
        return httpx.Response(data["status_code"], content=data["body"].encode())

    def entries_for(self, ids: frozenset[str]) -> dict[str, Any]:
        """A feed made of the recorded entries of `ids` (unknown ids simply missing)."""
        entries = []
        for key, data in self.by_ids.items():
            if len(key) == 1 and key <= ids and data["status_code"] == 200:
                entries += re.findall(r"<entry>.*?</entry>", data["body"], re.DOTALL)
        body = self.empty["body"].replace("</feed>", "".join(entries) + "</feed>")
        return {"status_code": 200, "body": body}

    def id_lists(self) -> list[str]:
        return [parse_qs(r.url.query.decode()).get("id_list", [""])[0] for r in self.requests]


@pytest.fixture
def arxiv_api(no_sleep: list[float]) -> Iterator[FakeArxiv]:
    fake = FakeArxiv()
    with respx.mock(assert_all_called=False) as router:
        router.get("http://arxiv.test/api/query").mock(side_effect=fake)
        yield fake


def echo_feed(ids: list[str]) -> str:
    """A feed answering every id in `ids`, each with a copy of one recorded entry."""
    body = recording("id_1605.08386")["body"]
    entry = re.search(r"<entry>.*?</entry>", body, re.DOTALL)[0]  # type: ignore[index]
    feed = re.sub(r"<entry>.*?</entry>", "", body, flags=re.DOTALL)
    entries = "".join(entry.replace("1605.08386", i) for i in ids if i)
    return feed.replace("</feed>", entries + "</feed>")


class LoopbackServer(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1, serving from its own threads, that never prints.

    A client hanging up is expected (rc gives up on purpose) and ignored; any other error of a
    handler is kept in `errors`, and `close` fails the test with it. Nothing is formatted in a
    server thread: on Python 3.11 formatting a traceback parses source with `ast`, which is not
    safe while pytest does the same in the main thread (SystemError: AST constructor recursion
    depth mismatch, an INTERNALERROR).
    """

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.errors: list[BaseException | None] = []
        # serve_forever looks for shutdown() every poll_interval: the default 0.5 s made each
        # test with a server wait up to half a second to close it.
        self.thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):  # a hang-up: a broken pipe, a reset
            self.errors.append(error)

    def close(self) -> None:
        self.shutdown()
        self.server_close()
        assert not self.errors, f"the test server failed: {self.errors!r}"


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class LoopbackArxiv:
    """A real HTTP server on 127.0.0.1 answering any id_list with one recorded entry per id;
    for tests that run rc as a separate process. While `gate` is clear, answers wait (all of
    them, or those after the first `free` requests)."""

    def __init__(self) -> None:
        outer = self
        self.gate = threading.Event()
        self.gate.set()
        self.asked = threading.Condition()
        self.requests = 0
        self.free = 0

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                with outer.asked:
                    outer.requests += 1
                    held = outer.requests > outer.free
                    outer.asked.notify_all()
                if held:
                    outer.gate.wait(timeout=300)
                query = parse_qs(urlsplit(self.path).query)
                data = echo_feed(query.get("id_list", [""])[0].split(",")).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = LoopbackServer(Handler)
        self.url = f"{self.server.origin}/api/query"

    def wait_for_requests(self, count: int, seconds: float = 120.0) -> None:
        with self.asked:
            assert self.asked.wait_for(lambda: self.requests >= count, seconds), self.requests

    def close(self) -> None:
        self.gate.set()
        self.server.close()


@pytest.fixture
def loopback() -> Iterator[LoopbackArxiv]:
    server = LoopbackArxiv()
    yield server
    server.close()


def rc_process(*args: str, env: dict[str, str], **kwargs: Any) -> Any:
    """Start rc as its own process, as a user would from a terminal: Ctrl-C (SIGINT) has its
    default action, whatever the shell that started pytest did with it. A shell's background
    job ignores SIGINT and its children inherit that; a signal the parent catches instead is
    reset to the default in the child, so the parent catches it while it starts one."""
    import signal
    import subprocess

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    blocked = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "readchallenge", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **kwargs,
        )
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        signal.signal(signal.SIGINT, previous)


_forks: list[Any] = []  # this worker's fork server (tests/rcfork.py), started on first use


def run_rc(
    args: Sequence[str],
    env: dict[str, str],
    *,
    input: str | None = None,
    cwd: str | Path | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """rc run as its own process with `env`, as `subprocess.run([python, -m, readchallenge,
    *args], capture_output=True, text=True)` would run it, forked from a process that has
    imported rc already (tests/rcfork.py): a command costs its own work, not Python's
    start-up. An environment that changes how Python itself starts (its encodings, locale,
    PYTHON* settings) gets a fresh interpreter, as the fork could not show it."""
    starting = {k for k in {*env, *os.environ} if k.startswith(("PYTHON", "LC_", "LANG"))}
    if any(env.get(k) != os.environ.get(k) for k in starting):
        return subprocess.run(
            [sys.executable, "-m", "readchallenge", *args],
            env=env, input=input or "", cwd=cwd, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
    if not _forks:
        import atexit
        import tempfile

        from tests.rcfork import RcForks

        _forks.append(RcForks(Path(tempfile.mkdtemp(prefix="rcfork-"))))
        atexit.register(_forks[0].close)
    result: subprocess.CompletedProcess[str] = _forks[0].run(
        list(args), env, input=input, cwd=cwd, timeout=timeout
    )
    return result


def env_for(home: Path, url: str, **extra: str) -> dict[str, str]:
    """The environment of an rc process: its own home, a fixed day, a local arXiv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RC_")}
    env.update(
        RC_HOME=str(home),
        RC_TODAY="2026-06-10",
        RC_ARXIV_API_URL=url,
        RC_ARXIV_MIN_INTERVAL="0",
        RC_ARXIV_RETRIES="0",
        RC_LINKS_LOOKUP="false",
        RC_REFS_LOOKUP="false",
    )
    env.pop("HF_TOKEN", None)
    env.update(extra)
    return env


class Stores:
    """Stores made by the real rc process from a list of commands, once per run (per worker),
    and copied for each test that starts from one: a process per command costs more than the
    test that follows. Commands that fetch ask a loopback arXiv."""

    def __init__(self, root: Path, arxiv_url: str) -> None:
        self.root = root
        self.arxiv_url = arxiv_url
        self.built: dict[tuple[object, ...], Path] = {}

    def copy(self, home: Path, *commands: tuple[str, ...], **extra: str) -> Path:
        """A copy at `home` of the store that `commands` make, run in order in the
        environment of `env_for` (RC_TODAY 2026-06-10) with `extra` on top; returns `home`."""
        import shutil

        key = (commands, tuple(sorted(extra.items())))
        template = self.built.get(key)
        if template is None:
            template = self.root / f"store-{len(self.built)}"
            env = env_for(template, self.arxiv_url, **extra)
            for args in commands:
                done = run_rc(args, env)
                assert done.returncode == 0, (args, done.stderr)
            self.built[key] = template
        shutil.copytree(template, home, dirs_exist_ok=True)
        return home


@pytest.fixture(scope="session")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stores]:
    server = LoopbackArxiv()
    yield Stores(tmp_path_factory.mktemp("stores"), server.url)
    server.close()


@pytest.fixture(scope="session")
def season_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-week season of tests/season.py, built by rc once per run (per worker)."""
    from tests.season import build_season

    home = tmp_path_factory.mktemp("season") / "home"
    build_season(home)
    return home


@pytest.fixture
def season(season_template: Path, tmp_path: Path) -> Any:
    """rc (tests.season.Rc) on a copy of the three-week season of its own."""
    import shutil

    from tests.season import Rc

    home = tmp_path / "home"
    shutil.copytree(season_template, home)
    return Rc(home)


def dump(home: Path) -> list[tuple[object, ...]]:
    """Every row of every table, to compare a store before and after."""
    conn = sqlite3.connect(home / "rc.db")
    try:
        rows = []
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY 1")
        for (table,) in tables.fetchall():
            rows += [(table, *r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1")]
        return rows
    finally:
        conn.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of 1 MiB (tmpfs), or a skip where mounting is not allowed. A new
    store with rc find's index takes about 250 KiB, and its first write holds it twice (the
    database and its write-ahead log): 512 KiB was full before the first paper."""
    import subprocess

    point = tmp_path / "disk"
    point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(point)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


def remount(point: Path, mode: str) -> None:
    import subprocess

    subprocess.run(["mount", "-o", f"remount,{mode}", str(point)], check=True)
