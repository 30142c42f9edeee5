"""Every test gets its own RC_HOME, a fixed clock and a fast, fake arXiv."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from hypothesis import settings
from typer.testing import CliRunner

from readchallenge.cli import app

# No per-example deadline: on a busy machine a slow example is not a failure. For a longer
# hunt: python -m pytest --hypothesis-profile=thorough
settings.register_profile("rc", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=1600)
settings.load_profile("rc")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "arxiv"


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


class LoopbackArxiv:
    """A real HTTP server on 127.0.0.1 answering any id_list with one recorded entry per id;
    for tests that run rc as a separate process. While `gate` is clear, answers wait (all of
    them, or those after the first `free` requests)."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        outer = self
        self.gate = threading.Event()
        self.gate.set()
        self.requests = 0
        self.free = 0

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.requests += 1
                if outer.requests > outer.free:
                    outer.gate.wait(timeout=300)
                query = parse_qs(urlsplit(self.path).query)
                data = echo_feed(query.get("id_list", [""])[0].split(",")).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/query"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback() -> Iterator[LoopbackArxiv]:
    server = LoopbackArxiv()
    yield server
    server.close()


def rc_process(*args: str, env: dict[str, str], **kwargs: Any) -> Any:
    """Start rc as its own process (as a user would run it)."""
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "readchallenge", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


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
    """A real file system of 512 KiB (tmpfs), or a skip where mounting is not allowed."""
    import subprocess

    point = tmp_path / "disk"
    point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(point)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


def remount(point: Path, mode: str) -> None:
    import subprocess

    subprocess.run(["mount", "-o", f"remount,{mode}", str(point)], check=True)
