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

from tests.conftest import FIXTURES as ARXIV_FIXTURES
from tests.conftest import env_for
from tests.hostile import Answer, HostileArxiv
from tests.test_discover import SearchHub
from tests.test_links import FIXTURES as HF_FIXTURES

# arXiv's recorded answer to a search for `testing`, ten results.
SEARCH_FEED = json.loads(next(ARXIV_FIXTURES.glob("q_testing_s0_m10_*.json")).read_text())["body"]


def python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter, so that what it imports is its own."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env or None
    )


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
    library: arXiv's entries in its order, then Hugging Face's hits arXiv did not return."""
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(SEARCH_FEED)
    rows = []
    for entry in feed.iter(f"{atom}entry"):
        arxiv_id = re.sub(r"v\d+$", "", entry.findtext(f"{atom}id", "").rsplit("/abs/", 1)[1])
        authors = [_squash(a.findtext(f"{atom}name", "")) for a in entry.iter(f"{atom}author")]
        title, day = _squash(entry.findtext(f"{atom}title", "")), entry.findtext(f"{atom}published")
        rows.append((arxiv_id, title, authors, str(day)[:10], ["arxiv"], None))
    hits = json.loads((HF_FIXTURES / "papers_search_kazakh.json").read_text())["body"]
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
