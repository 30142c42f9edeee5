"""The arXiv API: httpx on the wire, the `arxiv` package parsing the Atom feed."""

from __future__ import annotations

import importlib
import logging
import random
import re
import sys
import time
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from readchallenge import __version__
from readchallenge.core.ids import ArxivId, InvalidId, from_entry_id
from readchallenge.core.text import is_http_url
from readchallenge.errors import ArxivError, ArxivUnavailable
from readchallenge.sources.http import Answer, Late, TooLarge, get_capped, new_client, within

BATCH_SIZE = 100
USER_AGENT = f"rc/{__version__} (readchallenge; paper reading challenge CLI)"
_BACKOFF_BASE = 2.0
_ATOM_FEED = re.compile(rb"<feed\b[^>]*http://www\.w3\.org/2005/Atom")
# arXiv's error answers are a feed whose entry has an id under /api/errors; an abstract that
# merely mentions that address is not one.
_ERROR_ENTRY = re.compile(rb"<entry>\s*<id>\s*https?://arxiv\.org/api/errors")
MAX_BODY_BYTES = 50 * 1024 * 1024  # decoded; a real answer of 100 entries is well under 1 MB
FIRST_YEAR, LAST_YEAR = 1986, 2999  # arXiv's oldest papers (old-style ids) are from 1986

# Replaced in tests to observe waits without sleeping.
sleep: Callable[[float], None] = time.sleep
monotonic: Callable[[], float] = time.monotonic


@dataclass(frozen=True)
class ArxivPaper:
    """The metadata rc keeps of one arXiv paper."""

    id: str
    version: int | None
    title: str
    authors: list[str]
    abstract: str
    primary_category: str
    categories: list[str]
    published: str
    updated: str
    comment: str | None
    journal_ref: str | None
    doi: str | None
    abs_url: str
    pdf_url: str


@dataclass
class Batch:
    """The answer to one request for a batch of ids."""

    asked: list[ArxivId]
    found: dict[str, ArxivPaper] = field(default_factory=dict)

    @property
    def missing(self) -> list[ArxivId]:
        return [aid for aid in self.asked if aid.id not in self.found]


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _optional(text: str | None) -> str | None:
    return _squash(text) or None


def _feed_parser() -> Any:
    """The `arxiv` package's feed parser, `arxiv._feed`, loaded without `requests`.

    The package's `__init__` (which `_feed` needs for `arxiv.Result`) imports `requests` for
    a client rc does not use: with urllib3 and charset_normalizer, about 100 ms. While the
    package loads, `requests` is a stand-in that imports the real one the first time
    anything in it is used, so the package's own client still works.
    """
    if "arxiv" in sys.modules or "requests" in sys.modules:
        from arxiv import _feed

        return _feed
    stand_in = types.ModuleType("requests")

    def real(name: str) -> Any:
        if sys.modules.get("requests") is stand_in:
            del sys.modules["requests"]
        return getattr(importlib.import_module("requests"), name)

    stand_in.__dict__["__getattr__"] = real  # PEP 562: asked only for what the module lacks
    sys.modules["requests"] = stand_in
    try:
        from arxiv import _feed
    finally:
        if sys.modules.get("requests") is stand_in:
            del sys.modules["requests"]
    return _feed


def parse_feed(body: bytes) -> list[ArxivPaper]:
    """Parse an Atom feed of the arXiv API into papers; raise ArxivError for an error feed."""
    _feed = _feed_parser()
    if _ERROR_ENTRY.search(body):
        raise ArxivError(f"arXiv refused the request: {_error_text(body)}")
    logging.getLogger("arxiv").setLevel(logging.ERROR)  # rc reports problems itself
    try:
        feed = _feed.parse(body)
    except (ValueError, OverflowError, TypeError) as exc:  # e.g. an unreadable <updated>
        raise ArxivError(f"arXiv sent a response rc cannot read ({exc})") from None
    if not feed.malformed and not _ATOM_FEED.search(body[:2000]):
        feed.malformed, feed.error = True, ValueError("not an Atom feed")
    if feed.malformed:
        raise ArxivError(f"arXiv sent a response rc cannot read ({feed.error})")
    return [_to_paper(result) for result in feed.results]


def _day(moment: Any, what: str, entry_id: str) -> str:
    if not isinstance(moment, datetime) or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ArxivError(f"arXiv sent an entry ({entry_id}) with an impossible {what} date")
    return moment.date().isoformat()


def _to_paper(result: Any) -> ArxivPaper:
    try:
        aid = from_entry_id(result.entry_id)
    except InvalidId:
        raise ArxivError(f"arXiv sent an entry with an unreadable id {result.entry_id!r}") from None
    base = f"https://arxiv.org/abs/{aid.id}"
    pdf = (result.pdf_url or "").replace("http://", "https://")
    if not is_http_url(pdf):  # none, or not a link rc would open (javascript:, file:...)
        pdf = f"https://arxiv.org/pdf/{aid}"
    return ArxivPaper(
        id=aid.id,
        version=aid.version,
        title=_squash(result.title),
        authors=[_squash(author.name) for author in result.authors],
        abstract=_squash(result.summary),
        primary_category=result.primary_category or "",
        categories=list(result.categories),
        published=_day(result.published, "publication", aid.id),
        updated=_day(result.updated, "update", aid.id),
        comment=_optional(result.comment),
        journal_ref=_optional(result.journal_ref),
        doi=_optional(result.doi),
        abs_url=base,
        pdf_url=pdf,
    )


def _error_text(body: bytes) -> str:
    match = re.search(rb"<summary[^>]*>(.*?)</summary>", body, re.DOTALL)
    if match:
        return _squash(match.group(1).decode("utf-8", "replace"))
    return "no reason given"


def search_query(text: str) -> str:
    """Plain words become `all:` terms joined by AND; text with a field prefix is kept."""
    if ":" in text:
        return text.strip()
    return " AND ".join(f"all:{word}" for word in text.split())


Waiter = Callable[[float, str], None]


class ArxivClient:
    """A polite arXiv API client: one connection, spaced requests, bounded retries.

    Every request has an overall deadline (`timeout`), and the time lost to failures --
    failed requests and the waits between them -- stays within `max_wait` plus one deadline.
    Requests go one at a time, over a client of its own (one connection at most) or over
    `http`, a client shared with another source (its headers and timeouts are per request).
    """

    def __init__(
        self,
        base_url: str,
        *,
        min_interval: float = 3.0,
        timeout: float = 30.0,
        retries: int = 4,
        max_wait: float = 120.0,
        on_wait: Waiter | None = None,
        transport: httpx.BaseTransport | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url
        self.min_interval = min_interval
        self.timeout = timeout
        self.retries = retries
        self.max_wait = max_wait
        self.on_wait = on_wait
        self.requests = 0
        self._transport = transport
        self._last_request: float | None = None
        self._lost = 0.0
        self._timeouts = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        self._owned = http is None  # a shared client is closed by whoever made it
        self._http = self._new_http() if http is None else http

    def _new_http(self) -> httpx.Client:
        return new_client(timeout=self.timeout, connections=1, transport=self._transport)

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._owned:
            self._http.close()

    def _wait(self, seconds: float, reason: str) -> None:
        if seconds <= 0:
            return
        if self.on_wait is not None:
            self.on_wait(seconds, reason)
        sleep(seconds)

    def _space(self) -> None:
        if self._last_request is not None:
            self._wait(self._last_request + self.min_interval - monotonic(), "arXiv asks for 3 s")

    def _request(self, http: httpx.Client, params: dict[str, str]) -> Answer:
        return get_capped(
            http,
            self.base_url,
            params,
            MAX_BODY_BYTES,
            headers={"User-Agent": USER_AGENT},
            timeout=self._timeouts,
        )

    def _slow(self, left: float) -> None:
        if self.on_wait is not None:
            self.on_wait(left, "arXiv has not answered yet; rc gives up after that")

    def _attempt(self, params: dict[str, str]) -> tuple[bytes | None, str, float]:
        """One request: the body of a usable answer, else why not and how long to wait."""
        deadline = max(0.1, min(self.timeout, self.max_wait + self.timeout - self._lost))
        http = self._http
        started = monotonic()
        try:
            answer = within(deadline, lambda: self._request(http, params), self._slow)
        except Late:
            # The old client's connection is still held by the abandoned request.
            self._http, self._owned = self._new_http(), True
            reason = f"arXiv did not answer within {deadline:g} s"
        except TooLarge:
            raise ArxivError(
                f"arXiv sent more than {MAX_BODY_BYTES // 2**20} MB; rc stopped reading"
            ) from None
        except httpx.TimeoutException:
            reason = "arXiv did not answer in time"
        except httpx.TooManyRedirects:
            raise ArxivError(f"{self.base_url} redirects in a loop; check arxiv_api_url") from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            reason = f"cannot reach arXiv ({type(exc).__name__}: {exc})"
        except httpx.HTTPError as exc:
            raise ArxivError(f"cannot talk to arXiv ({type(exc).__name__}: {exc})") from None
        else:
            status = answer.status
            if status == 200 and answer.content.strip():
                return answer.content, "", 0.0
            if status == 400:
                raise ArxivError(f"arXiv refused the request: {_error_text(answer.content)}")
            if status == 200:
                reason = "arXiv sent an empty answer"
            elif status == 429 or status >= 500:
                reason = f"arXiv answered HTTP {status}"
                self._lost += monotonic() - started
                return None, reason, answer.retry_after
            else:
                raise ArxivError(f"arXiv answered HTTP {status}: {_error_text(answer.content)}")
        self._lost += monotonic() - started
        return None, reason, 0.0

    def get(self, params: dict[str, str]) -> bytes:
        """One logical request, retried on 429/5xx/timeouts/empty answers; never on 400."""
        reason = "no answer"
        for attempt in range(self.retries + 1):
            self._space()
            self._last_request = monotonic()
            self.requests += 1
            body, reason, retry_after = self._attempt(params)
            if body is not None:
                return body
            if attempt == self.retries:
                break
            delay = max(retry_after, _BACKOFF_BASE * 2**attempt * random.uniform(0.5, 1.0))
            if self._lost + delay > self.max_wait:
                break
            self._lost += delay
            self._wait(delay, f"{reason}; retrying")
        raise ArxivUnavailable(f"{reason} (after {self.requests} request(s))")

    def fetch(self, ids: Sequence[ArxivId]) -> Iterator[Batch]:
        """Metadata of `ids`, one request per 100; yields each batch as it arrives."""
        unique = list(dict.fromkeys(ArxivId(aid.id) for aid in ids))
        for start in range(0, len(unique), BATCH_SIZE):
            chunk = unique[start : start + BATCH_SIZE]
            body = self.get(
                {
                    "id_list": ",".join(aid.id for aid in chunk),
                    "max_results": str(len(chunk)),
                }
            )
            batch = Batch(asked=chunk)
            wanted = {aid.id for aid in chunk}
            for paper in parse_feed(body):
                if paper.id in wanted:
                    batch.found[paper.id] = paper
            yield batch

    def search(self, query: str, max_results: int, sort: str) -> list[ArxivPaper]:
        """Search arXiv; `sort` is `relevance` or `submitted` (newest first)."""
        body = self.get(
            {
                "search_query": search_query(query),
                "start": "0",
                "max_results": str(max_results),
                "sortBy": "submittedDate" if sort == "submitted" else "relevance",
                "sortOrder": "descending",
            }
        )
        return parse_feed(body)

    def batches_needed(self, count: int) -> int:
        return -(-count // BATCH_SIZE)
