"""Fetching costs what it needs: the feed parser without `requests`, one client for
`rc search`, trust loaded only for https, and link lookups as many at once as Hugging Face
allows, stopped together by its 429.

Through the real rc process against loopback stand-ins serving the recordings
(tests/fixtures); timings belong in benchmarks/run.py --fetch, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import FIXTURES as ARXIV_FIXTURES


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
