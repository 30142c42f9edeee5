"""Fetching costs what it needs: the feed parser without `requests`, one client for
`rc search`, trust loaded only for https, and link lookups as many at once as Hugging Face
allows, stopped together by its 429.

Through the real rc process against loopback stand-ins serving the recordings
(tests/fixtures); timings belong in benchmarks/run.py --fetch, not here.
"""

from __future__ import annotations

import json
import re
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from readchallenge.sources.http import Allowance
from readchallenge.sources.huggingface import REQUESTS_ALLOWED, WORKERS
from tests.conftest import FIXTURES as ARXIV_FIXTURES
from tests.conftest import env_for
from tests.hostile import Answer, HostileArxiv
from tests.test_discover import SearchHub
from tests.test_links import FIXTURES as HF_FIXTURES

# arXiv's recorded answer to a search for `testing`, ten results.
SEARCH_FEED = json.loads(next(ARXIV_FIXTURES.glob("q_testing_s0_m10_*.json")).read_text())["body"]


def python(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter, so that what it imports is its own."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_the_feed_is_parsed_by_the_arxiv_package_without_loading_requests():
    feed = next(ARXIV_FIXTURES.glob("id_1605.08386_*.json"))
    code = f"""
import json, sys
from readchallenge.sources.arxiv import parse_feed
body = json.loads(open({str(feed)!r}).read())["body"].encode()
papers = parse_feed(body)
loaded = sorted(m for m in ("arxiv", "arxiv._feed", "requests", "urllib3") if m in sys.modules)
import arxiv
arxiv.Client()  # the package's own client still finds the real requests when used
print(json.dumps([[p.id, p.title] for p in papers] + [loaded, "requests" in sys.modules]))
"""
    result = python(code)
    assert result.returncode == 0, result.stderr
    *papers, loaded, requests_after = json.loads(result.stdout)
    assert papers == [["1605.08386", "Heat-bath random walks with Markov bases"]]
    assert loaded == ["arxiv", "arxiv._feed"]
    assert requests_after


# `rc search` as the console script runs it, counting the httpx clients it builds and the
# CA bundles it loads, and whether `requests` was imported.
SEARCH_PROBE = """
import json, os, ssl, sys
import httpx
made, loaded = [], []
client_init, load = httpx.Client.__init__, ssl.SSLContext.load_verify_locations
def counted_init(self, *args, **kwargs):
    made.append(1)
    client_init(self, *args, **kwargs)
def counted_load(self, *args, **kwargs):
    loaded.append(1)
    return load(self, *args, **kwargs)
httpx.Client.__init__, ssl.SSLContext.load_verify_locations = counted_init, counted_load
from readchallenge.fastpath import main
sys.argv = ["rc", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exit:
    code = exit.code or 0
with open(os.environ["PROBE_OUT"], "w") as out:
    json.dump({"code": code, "clients": len(made), "ca_loads": len(loaded),
               "requests": "requests" in sys.modules, "parser": "arxiv._feed" in sys.modules}, out)
"""


@pytest.fixture
def hub() -> Iterator[SearchHub]:
    server = SearchHub()
    yield server
    server.close()


@pytest.fixture
def arxiv_search() -> Iterator[HostileArxiv]:
    """A loopback arXiv answering the recorded search for `testing` (ten results)."""
    body = SEARCH_FEED.encode()
    server = HostileArxiv(*[Answer("body", body=body)] * 3)
    yield server
    server.close()


def test_rc_search_builds_one_client_and_loads_neither_requests_nor_a_ca_bundle_for_http(
    tmp_path, hub, arxiv_search
):
    out = tmp_path / "probe.json"
    env = env_for(tmp_path / "home", arxiv_search.url, RC_HF_API_URL=hub.url, PROBE_OUT=str(out))
    result = subprocess.run(
        [sys.executable, "-c", SEARCH_PROBE, "search", "kazakh", "--json"],
        env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 10 + 9  # arXiv's ten and Hugging Face's nine
    assert json.loads(out.read_text()) == {
        "code": 0, "clients": 1, "ca_loads": 0, "requests": False, "parser": True,
    }  # fmt: skip


def _squash(text: str) -> str:
    return " ".join(text.split())


def expected_rows() -> list[tuple[str, str, list[str], str, list[str], int | None]]:
    """What `rc search kazakh` shows from the two recordings, read here with the standard
    library: arXiv's entries in its order, then Hugging Face's hits (none of them is among
    arXiv's, so none is merged)."""
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(SEARCH_FEED)
    rows = []
    for entry in feed.iter(f"{atom}entry"):
        arxiv_id = re.sub(r"v\d+$", "", entry.findtext(f"{atom}id", "").rsplit("/abs/", 1)[1])
        authors = [_squash(a.findtext(f"{atom}name", "")) for a in entry.iter(f"{atom}author")]
        title, day = _squash(entry.findtext(f"{atom}title", "")), entry.findtext(f"{atom}published")
        rows.append((arxiv_id, title, authors, str(day)[:10], ["arxiv"], None))
    hits = json.loads((HF_FIXTURES / "papers_search_kazakh.json").read_text())["body"]
    assert not {hit["paper"]["id"] for hit in hits} & {row[0] for row in rows}
    for hit in hits:
        paper = hit["paper"]
        authors = [a["name"] for a in paper["authors"]]
        title, day = _squash(paper["title"]), paper["publishedAt"][:10]
        rows.append((paper["id"], title, authors, day, ["hf"], paper["upvotes"]))
    return rows


def test_rc_search_shows_what_the_recordings_hold(tmp_path, hub, arxiv_search):
    env = env_for(tmp_path / "home", arxiv_search.url, RC_HF_API_URL=hub.url)
    result = rc_json(env, "search", "kazakh")
    rows = [
        (r["id"], r["title"], r["authors"], r["date"], r["sources"], r["upvotes"]) for r in result
    ]
    assert rows == expected_rows()
    assert [r["number"] for r in result] == list(range(1, 20))


def rc_json(env: dict[str, str], *args: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-m", "readchallenge", *args, "--json"],
        env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


TLS = Path(__file__).resolve().parent / "fixtures" / "tls"


@pytest.fixture
def https_arxiv() -> Iterator[str]:
    """A loopback arXiv over https, with a certificate nobody signed (tests/fixtures/tls)."""
    body = SEARCH_FEED.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "cert.pem", TLS / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_port}/api/query"
    server.shutdown()
    server.server_close()


def test_https_is_still_verified_although_the_ca_bundle_loads_late(tmp_path, https_arxiv):
    def search(url: str, **extra: str) -> subprocess.CompletedProcess[str]:
        env = env_for(tmp_path / "home", url, **extra)
        return subprocess.run(
            [sys.executable, "-m", "readchallenge", "search", "testing", "--source", "arxiv",
             "--json"],
            env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
        )  # fmt: skip

    untrusted = search(https_arxiv)
    assert untrusted.returncode == 1
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
    trusted = search(https_arxiv, SSL_CERT_FILE=str(TLS / "cert.pem"))
    assert trusted.returncode == 0, trusted.stderr
    assert len(json.loads(trusted.stdout)) == 10
    other_name = search(
        https_arxiv.replace("127.0.0.1", "localhost"), SSL_CERT_FILE=str(TLS / "cert.pem")
    )
    assert other_name.returncode == 1
    assert "CERTIFICATE_VERIFY_FAILED" in other_name.stderr  # the name is checked too


class Hub:
    """A loopback Hugging Face that knows no paper (404 for every one, the cheapest lookup)
    and answers as `reply(n)` says for the n-th request: a status and headers. Until `crowd`
    requests are in flight at once, each waits for the others (a minute at most, then none
    waits any more); it keeps the most it held at once."""

    def __init__(self, reply: Any = None, crowd: int = 0) -> None:
        self.reply = reply or (lambda n: (404, {}))
        self.crowd = crowd
        self.paths: list[str] = []
        self.in_flight = self.most = 0
        self.changed = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                status, headers = outer.arrive(self.path)
                data = json.dumps({"error": "Paper not found"}).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                with outer.changed:
                    outer.in_flight -= 1

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.socket.listen(256)  # dozens of connections may come at once
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def arrive(self, path: str) -> tuple[int, dict[str, str]]:
        with self.changed:
            self.paths.append(path)
            number = len(self.paths)
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            self.changed.notify_all()
            if self.most < self.crowd and not self.changed.wait_for(
                lambda: self.most >= self.crowd, timeout=60
            ):
                self.crowd = 0  # the crowd never came: answer everyone from now on
                self.changed.notify_all()
        status, headers = self.reply(number)
        return status, headers

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def echo_arxiv() -> Iterator[HostileArxiv]:
    server = HostileArxiv()  # an entry for every id asked
    yield server
    server.close()


def add(tmp_path: Path, arxiv: HostileArxiv, hub: Hub, count: int) -> tuple[Any, list[str]]:
    """`rc add` of `count` new ids with the link lookups on; the run and the ids."""
    ids = [f"2401.{n:05d}" for n in range(1, count + 1)]
    env = env_for(
        tmp_path / "home",
        arxiv.url,
        RC_HF_API_URL=hub.url,
        RC_LINKS_LOOKUP="true",
        RC_HF_TIMEOUT="120",  # a busy machine may take its time to bring the crowd together
    )
    result = subprocess.run(
        [sys.executable, "-m", "readchallenge", "add", "--backlog", *ids],
        env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    return result, ids


def asked(hub: Hub) -> list[str]:
    return [path.removeprefix("/api/papers/") for path in hub.paths]


def test_lookups_run_as_many_at_once_as_rc_allows_itself(tmp_path, echo_arxiv):
    hub = Hub(crowd=WORKERS)  # holds every lookup until WORKERS are in flight together
    try:
        result, ids = add(tmp_path, echo_arxiv, hub, 120)
    finally:
        hub.close()
    assert result.returncode == 0, result.stderr
    assert hub.most == WORKERS  # 50 at once, never more (4 before)
    assert sorted(asked(hub)) == ids  # each paper asked once
    assert result.stderr.count("not on Hugging Face Papers yet") == 120
    assert "queued" not in result.stderr


def test_a_429_stops_every_lookup_not_only_its_own(tmp_path, echo_arxiv):
    hub = Hub(reply=lambda n: (429, {"Retry-After": "3600"}))  # longer than rc waits
    try:
        result, ids = add(tmp_path, echo_arxiv, hub, 120)
    finally:
        hub.close()
    assert result.returncode == 0, result.stderr  # the papers are stored all the same
    # Only the requests already in flight when the first 429 came back: each worker of the
    # lookups asked once (one request per paper would make 120).
    assert len(hub.paths) <= WORKERS
    assert "links: Hugging Face answered HTTP 429; the lookup of 2401.00001" in result.stderr
    assert "is queued (rc fetch retries it)" in result.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "readchallenge", "list", "--json"],
        env=env_for(tmp_path / "home", echo_arxiv.url), capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert sorted(p["id"] for p in json.loads(listed.stdout) if p["status"] == "ok") == ids


def test_a_429_within_the_wait_holds_the_lookups_then_they_all_finish(tmp_path, echo_arxiv):
    hub = Hub(reply=lambda n: (429, {"Retry-After": "1"}) if n == 1 else (404, {}))
    try:
        result, ids = add(tmp_path, echo_arxiv, hub, 30)
    finally:
        hub.close()
    assert result.returncode == 0, result.stderr
    assert sorted(set(asked(hub))) == ids and len(hub.paths) == 31  # the refused one again
    assert result.stderr.count("not on Hugging Face Papers yet") == 30
    assert "queued" not in result.stderr


def test_a_ratelimit_header_with_nothing_left_holds_the_lookups(tmp_path, echo_arxiv):
    hub = Hub(reply=lambda n: (404, {"RateLimit": '"api";r=0;t=3600'}))
    try:
        result, _ = add(tmp_path, echo_arxiv, hub, 120)
    finally:
        hub.close()
    assert result.returncode == 0, result.stderr
    assert len(hub.paths) <= WORKERS
    assert "links: Hugging Face allows no more requests for 3600 s" in result.stderr


def test_one_rc_stays_within_the_500_requests_hugging_face_allows_in_5_minutes(
    tmp_path, echo_arxiv
):
    hub = Hub()
    try:
        result, ids = add(tmp_path, echo_arxiv, hub, 520)
    finally:
        hub.close()
    assert result.returncode == 0, result.stderr
    assert len(hub.paths) == REQUESTS_ALLOWED == 500
    assert result.stderr.count("not on Hugging Face Papers yet") == 500
    queued = ", ".join(sorted(set(ids) - set(asked(hub))))
    assert (
        f"links: Hugging Face allows 500 requests in 5 minutes; the lookup of {queued} is queued"
        in result.stderr
    )


def test_the_allowance_counts_requests_over_a_sliding_window_and_holds_on_request():
    now = [1000.0]
    allowance = Allowance(3, 300.0, "three in five minutes", clock=lambda: now[0])
    assert [allowance.take() for _ in range(3)] == [(0.0, "")] * 3
    assert allowance.take() == (300.0, "three in five minutes")  # nothing taken
    now[0] += 100
    assert allowance.take() == (200.0, "three in five minutes")
    now[0] += 200  # the first three leave the window together
    allowance.hold(42.0, "asked to wait")
    assert allowance.take() == (42.0, "asked to wait")
    allowance.hold(10.0, "a shorter wait does not shorten it")
    assert allowance.take() == (42.0, "asked to wait")
    now[0] += 42
    assert allowance.take() == (0.0, "")
