"""Semantic Scholar over httpx: recommendations from the papers you liked and turned down,
what a paper cites, its one-line TLDR and its citation count.

- `POST /recommendations/v1/papers/` with `{"positivePaperIds", "negativePaperIds"}`; a 400
  `No positive paper examples given` when it has nothing to go on.
- `POST /graph/v1/paper/batch` with `{"ids": [...]}` (at most 500), a list in the order
  asked with `null` for a paper it does not know.
- `GET /graph/v1/paper/arXiv:ID/references`, a page at a time (`offset`, `next`).

Papers are named `arXiv:ID`. Without a key requests share a public rate limit: rc sends at
most one a second, waits as a 429 asks (`Retry-After`) and keeps every command within one
overall deadline. The key (`x-api-key`) is sent, never shown: no message names a header.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import httpx

from readchallenge import __version__
from readchallenge.core.ids import InvalidId, parse_arxiv_id
from readchallenge.errors import RcError
from readchallenge.sources.http import Answer, Late, TooLarge, new_client, retry_after, within

MAX_BODY_BYTES = 10 * 1024 * 1024
BATCH_SIZE = 500  # ids in one batch request: the API's limit
REFERENCES_PAGE = 1000  # references in one page: the API's limit
MAX_PAGES = 10  # a paper citing more than 10,000 papers is not a paper
MAX_COUNT = 10**12
MAX_TEXT = {"title": 1_000, "abstract": 20_000, "tldr": 2_000}
NO_POSITIVES = "No positive paper examples given"
PAPER_FIELDS = "externalIds,title,abstract,publicationDate,citationCount"
_S2_ID = re.compile(r"[0-9a-f]{40}")

# Replaced in tests to observe waits without sleeping.
sleep: Callable[[float], None] = time.sleep
monotonic: Callable[[], float] = time.monotonic
T = TypeVar("T")


class ScholarUnavailable(RcError):
    """Semantic Scholar could not be asked, or did not answer usefully."""


class NoPositives(ScholarUnavailable):
    """Semantic Scholar has no paper you liked to recommend from."""


@dataclass(frozen=True)
class ScholarPaper:
    """What rc keeps of a paper Semantic Scholar describes, every value checked."""

    arxiv_id: str
    s2_id: str | None = None
    title: str = ""
    abstract: str = ""
    published: str = ""  # YYYY-MM-DD, or "" when unknown
    tldr: str | None = None
    citations: int | None = None
    cites: tuple[str, ...] | None = None  # the arXiv ids of its references, when asked
    complete: bool = True  # False when it lists fewer references than it counts


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[: MAX_TEXT[field]]


def _count(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT:
        return value
    return None


def arxiv_id_of(external: Any) -> str | None:
    """The arXiv id in a paper's `externalIds` (`{"ArXiv": "2106.09685", …}`), if valid."""
    value = external.get("ArXiv") if isinstance(external, dict) else None
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        return parse_arxiv_id(value).id
    except InvalidId:
        return None


def _day(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return ""
    return day.isoformat() if 1900 <= day.year <= 2999 else ""


def paper_from(body: Any, arxiv_id: str | None = None) -> ScholarPaper | None:
    """A paper object, checked; None when it names no arXiv paper rc could store."""
    if not isinstance(body, dict):
        return None
    found = arxiv_id_of(body.get("externalIds")) or arxiv_id
    if found is None:
        return None
    tldr = body.get("tldr")
    cites, complete = None, True
    listed = body.get("references")
    if isinstance(listed, list):
        cites = cited_ids(listed)
        count = _count(body.get("referenceCount"))
        complete = count is None or len(listed) >= count
    s2_id = body.get("paperId")
    return ScholarPaper(
        arxiv_id=found,
        s2_id=s2_id if isinstance(s2_id, str) and _S2_ID.fullmatch(s2_id) else None,
        title=_text(body.get("title"), "title"),
        abstract=_text(body.get("abstract"), "abstract"),
        published=_day(body.get("publicationDate")),
        tldr=_text(tldr.get("text"), "tldr") or None if isinstance(tldr, dict) else None,
        citations=_count(body.get("citationCount")),
        cites=cites,
        complete=complete,
    )


def cited_ids(items: Any) -> tuple[str, ...]:
    """The arXiv ids among references, as a paper object (`{"externalIds"}`) or a page of
    the references endpoint (`{"citedPaper": {...}}`) lists them."""
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("citedPaper"), dict):
            item = item["citedPaper"]
        cited = arxiv_id_of(item.get("externalIds")) if isinstance(item, dict) else None
        if cited is not None:
            found.append(cited)
    return tuple(dict.fromkeys(found))


def _readable(parse: Callable[[], T]) -> T:
    try:
        return parse()
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError,
            RecursionError):  # fmt: skip
        raise ScholarUnavailable("Semantic Scholar sent an answer rc cannot read") from None


def _capped(http: httpx.Client, method: str, url: str, body: Any, params: dict[str, str]) -> Answer:
    with http.stream(method, url, params=params, json=body) as response:
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise TooLarge
            chunks.append(chunk)
        return Answer(response.status_code, retry_after(response), b"".join(chunks))


def _error_text(content: bytes) -> str:
    try:
        error = json.loads(content).get("error")
    except (ValueError, RecursionError, AttributeError):
        return ""
    return " ".join(error.split())[:200] if isinstance(error, str) else ""


class SemanticScholar:
    """A polite client: one connection, one request a second, 429 and 5xx retried as the
    server asks, every request and wait within one deadline for the whole command."""

    def __init__(
        self,
        base_url: str,
        *,
        key: str | None = None,
        deadline: float = 30.0,
        min_interval: float = 1.0,
        retries: int = 4,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline
        self.min_interval = min_interval
        self.retries = retries
        self.requests = 0
        self._started = monotonic()
        self._last: float | None = None
        headers = {"User-Agent": f"rc/{__version__} (readchallenge)"}
        if key:
            headers["x-api-key"] = key
        self._headers = headers
        self._transport = transport
        self._http = self._client()

    def _client(self) -> httpx.Client:
        return new_client(
            timeout=self.deadline, connections=1, headers=self._headers, transport=self._transport
        )

    def __enter__(self) -> SemanticScholar:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def _left(self) -> float:
        return self.deadline - (monotonic() - self._started)

    def _late(self) -> ScholarUnavailable:
        return ScholarUnavailable(f"Semantic Scholar did not answer within {self.deadline:g} s")

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            if seconds >= self._left():
                raise self._late()
            sleep(seconds)

    def _send(self, method: str, path: str, body: Any, params: dict[str, str]) -> Answer:
        if self._last is not None:
            self._wait(self._last + self.min_interval - monotonic())
        self._last = monotonic()
        self.requests += 1
        http = self._http
        try:
            return within(
                max(0.1, self._left()),
                lambda: _capped(http, method, self.base_url + path, body, params),
                lambda left: None,
            )
        except Late:
            self._http = self._client()  # the old one is still held by the abandoned request
            raise self._late() from None
        except TooLarge:
            raise ScholarUnavailable("Semantic Scholar sent too large an answer") from None
        except httpx.HTTPError as exc:
            raise ScholarUnavailable(
                f"cannot reach Semantic Scholar ({type(exc).__name__})"
            ) from None

    def _ask(self, method: str, path: str, body: Any = None, **params: str) -> Any | None:
        """The JSON answer, None for a 404; NoPositives for its 400, ScholarUnavailable for
        anything else (after retrying a 429 or a 5xx within the deadline)."""
        for attempt in range(self.retries + 1):
            answer = self._send(method, path, body, params)
            if answer.status == 404:
                return None
            if answer.status in (429, 500, 502, 503, 504) and attempt < self.retries:
                backoff = 2.0 * 2**attempt * random.uniform(0.5, 1.0)
                self._wait(max(answer.retry_after, backoff))
                continue
            if answer.status == 400 and NO_POSITIVES in _error_text(answer.content):
                raise NoPositives("Semantic Scholar knows none of the papers you read")
            if answer.status != 200:
                reason = _error_text(answer.content) if 400 <= answer.status < 500 else ""
                raise ScholarUnavailable(
                    f"Semantic Scholar answered HTTP {answer.status}"
                    + (f" ({reason})" if reason else "")
                )
            try:
                return json.loads(answer.content)
            except (ValueError, RecursionError):
                raise ScholarUnavailable("Semantic Scholar sent an answer rc cannot read") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def recommend(
        self, positives: Sequence[str], negatives: Sequence[str], limit: int
    ) -> list[ScholarPaper]:
        """Papers like `positives` and unlike `negatives` (arXiv ids), best first; those
        without an arXiv id are left out (rc adds arXiv papers)."""
        body = self._ask(
            "POST",
            "/recommendations/v1/papers/",
            {
                "positivePaperIds": [f"arXiv:{i}" for i in positives],
                "negativePaperIds": [f"arXiv:{i}" for i in negatives],
            },
            fields=PAPER_FIELDS,
            limit=str(limit),
        )

        def parse() -> list[ScholarPaper]:
            items = body.get("recommendedPapers") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise ValueError("no recommendedPapers")
            found = (paper_from(item) for item in items)
            return list({p.arxiv_id: p for p in found if p is not None}.values())

        return _readable(parse)

    def batch(
        self, ids: Sequence[str], references: bool
    ) -> Iterator[dict[str, ScholarPaper | None]]:
        """For each batch of at most 500 arXiv ids, `{id: ScholarPaper or None}` (None: not
        known to Semantic Scholar): its TLDR and citation count; with `references`, what it
        cites (as far as the batch lists them: `complete` says whether that is all)."""
        fields = "externalIds,citationCount,tldr"
        if references:
            fields += ",referenceCount,references.externalIds"
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = list(ids[start : start + BATCH_SIZE])
            body = self._ask(
                "POST", "/graph/v1/paper/batch", {"ids": [f"arXiv:{i}" for i in chunk]},
                fields=fields,
            )  # fmt: skip

            def parse(body: Any = body, chunk: list[str] = chunk) -> dict[str, ScholarPaper | None]:
                if not isinstance(body, list) or len(body) != len(chunk):
                    raise ValueError("not a list in the order asked")
                return {i: paper_from(item, i) for i, item in zip(chunk, body, strict=True)}

            yield _readable(parse)

    def references(self, arxiv_id: str) -> tuple[str, ...] | None:
        """The arXiv ids a paper cites, page by page; None when Semantic Scholar does not
        know the paper (a 404)."""
        found: list[str] = []
        offset = 0
        for _ in range(MAX_PAGES):
            body = self._ask(
                "GET", f"/graph/v1/paper/arXiv:{arxiv_id}/references",
                fields="externalIds", offset=str(offset), limit=str(REFERENCES_PAGE),
            )  # fmt: skip
            if body is None:
                return None

            def parse(body: Any = body) -> tuple[tuple[str, ...], int | None]:
                if not isinstance(body.get("data"), list):
                    raise ValueError("no data")
                following = body.get("next")
                valid = isinstance(following, int) and not isinstance(following, bool)
                return cited_ids(body["data"]), following if valid else None

            page, following = _readable(parse)
            found += page
            if following is None or following <= offset:
                break
            offset = following
        return tuple(dict.fromkeys(found))
