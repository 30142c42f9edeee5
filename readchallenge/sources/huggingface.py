"""Hugging Face Papers over httpx: a paper's code, project page and models (no auth needed).

`GET /api/papers/{arxiv_id}` carries `githubRepo`, `projectPage` and a preview of
`linkedModels` (`numTotalModels` is the real count); when the preview is short of that,
`GET /api/models?filter=arxiv:{id}&sort=likes&direction=-1&limit=20` lists more.
Anonymous reads are limited to 500 requests per 5 minutes (fixed windows, per address);
past that a 429 with a `RateLimit` header says when to come back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from readchallenge import __version__
from readchallenge.core.ids import InvalidId, parse_arxiv_id
from readchallenge.core.links import Model, PaperPage, without_unsafe_links
from readchallenge.core.text import is_http_url
from readchallenge.errors import RcError
from readchallenge.sources.http import Allowance, Late, TooLarge, get_capped, new_client, within

MAX_BODY_BYTES = 5 * 1024 * 1024
# Hugging Face allows 500 requests per 5 minutes without an account, bursts included. The
# lookups of one arXiv batch (100 papers, one or two requests each) fit in it, so they go
# 50 at a time: at half a second a request, a batch is done within arXiv's 3 s interval.
REQUESTS_ALLOWED, WINDOW_SECONDS = 500, 300.0
WORKERS = 50
MODELS_LIMIT = 20
sleep: Callable[[float], None] = time.sleep  # replaced in tests
T = TypeVar("T")


class HuggingFaceUnavailable(RcError):
    """Hugging Face could not be asked, or did not answer usefully; the lookup is queued."""


MAX_COUNT = 10**12  # upvotes, stars, likes, models: more is no count, and SQLite holds less


def _count(value: Any) -> int | None:
    """A whole number of upvotes, stars, likes or models, or None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT:
        return value
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _models(items: Any) -> list[Model]:
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and _text(item.get("id")):
            author = _text(item.get("author")) or item["id"].split("/")[0]
            found.append(Model(item["id"], author, _count(item.get("likes")) or 0))
    return found


def _readable(parse: Callable[[], T]) -> T:
    """Run `parse` on an answer: whatever shape the JSON has, the result is the value or
    HuggingFaceUnavailable (the lookup is queued), never a traceback."""
    try:
        return parse()
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError,
            RecursionError):  # fmt: skip
        raise HuggingFaceUnavailable("Hugging Face sent an answer rc cannot read") from None


def page_from(arxiv_id: str, body: Any, more_models: list[Model]) -> PaperPage:
    """A PaperPage from the JSON of `/api/papers/{id}` (keys may be absent, not null), its
    values checked: counts in range, links by the one URL rule (those that fail are
    dropped and named in `ignored`)."""
    if not isinstance(body, dict):
        raise HuggingFaceUnavailable("Hugging Face sent an answer rc cannot read")
    organization = body.get("organization")
    models = _models(body.get("linkedModels"))
    known = {m.id for m in models}
    models += [m for m in more_models if m.id not in known]
    keywords = body.get("ai_keywords")
    page = PaperPage(
        arxiv_id=arxiv_id,
        indexed=True,
        github_repo=_text(body.get("githubRepo")),
        github_repo_added_by=_text(body.get("githubRepoAddedBy")),
        project_page=_text(body.get("projectPage")),
        organization=_text(organization.get("name")) if isinstance(organization, dict) else None,
        models=sorted(models, key=lambda m: -m.likes),
        num_models=_count(body.get("numTotalModels")) or len(models),
        upvotes=_count(body.get("upvotes")),
        github_stars=_count(body.get("githubStars")),
        ai_keywords=[k for k in keywords if isinstance(k, str)]
        if isinstance(keywords, list)
        else [],
        ai_summary=_text(body.get("ai_summary")),
    )
    return without_unsafe_links(page)


def _is_arxiv_id(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        return parse_arxiv_id(value).id == value
    except InvalidId:
        return False


@dataclass(frozen=True)
class Hit:
    """One paper of a search or of the daily papers, as Hugging Face lists it."""

    arxiv_id: str
    title: str
    authors: list[str]
    published: str
    upvotes: int
    github_repo: str | None
    github_stars: int | None
    models: int | None
    abstract: str = ""


def hits_from(body: Any) -> list[Hit]:
    """Hits from `/api/papers/search` or `/api/daily_papers`: lists of `{paper: {…}, …}`;
    a hit without a valid arXiv id is left out, a repository that fails the URL rule too."""
    hits = []
    for item in body if isinstance(body, list) else []:
        paper = item.get("paper") if isinstance(item, dict) else None
        if not isinstance(paper, dict) or not _is_arxiv_id(paper.get("id")):
            continue
        repo = _text(paper.get("githubRepo"))
        authors = paper.get("authors")
        names = [
            a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)
        ] if isinstance(authors, list) else []  # fmt: skip
        hits.append(
            Hit(
                arxiv_id=paper["id"],
                title=" ".join(
                    (_text(paper.get("title")) or _text(item.get("title")) or "").split()
                ),
                authors=names,
                published=(_text(paper.get("publishedAt")) or _text(item.get("publishedAt")) or "")[
                    :10
                ],
                upvotes=_count(paper.get("upvotes")) or 0,
                github_repo=repo if repo is not None and is_http_url(repo) else None,
                github_stars=_count(paper.get("githubStars")),
                models=_count(paper.get("numTotalModels")),
                abstract=" ".join((_text(paper.get("summary")) or "").split())[:20_000],
            )
        )
    return hits


class HuggingFace:
    """A small client: an overall deadline per request, at most WORKERS at once and
    REQUESTS_ALLOWED per WINDOW_SECONDS, a 429 (or a `RateLimit` with nothing left) holding
    every request until the time it names, no other 4xx retried. It uses a client of its own,
    or `http`, one shared with another source (its headers and timeouts are per request)."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 15.0,
        token: str | None = None,
        max_wait: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_wait = max_wait
        self.allowance = Allowance(
            REQUESTS_ALLOWED,
            WINDOW_SECONDS,
            f"Hugging Face allows {REQUESTS_ALLOWED} requests in {WINDOW_SECONDS / 60:g} minutes",
        )
        self._headers = {"User-Agent": f"rc/{__version__} (readchallenge)"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._timeouts = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        self._owned = http is None  # a shared client is closed by whoever made it
        self._http = (
            new_client(timeout=timeout, connections=WORKERS, transport=transport)
            if http is None
            else http
        )

    def __enter__(self) -> HuggingFace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owned:
            self._http.close()

    def _turn(self, waited: float) -> float:
        """Wait until the allowance lets one more request go; return the time waited so far.
        Past `max_wait`, the request is given up: HuggingFaceUnavailable says why."""
        while True:
            wait, why = self.allowance.take()
            if wait <= 0:
                return waited
            if waited + wait > self.max_wait:
                raise HuggingFaceUnavailable(why)
            waited += wait
            sleep(wait)

    def _get(self, path: str, params: dict[str, str] | None = None) -> Any | None:
        """The JSON at `path`, None for a 404; HuggingFaceUnavailable for anything else."""
        waited = 0.0
        while True:
            waited = self._turn(waited)
            try:
                answer = within(
                    self.timeout,
                    lambda: get_capped(
                        self._http,
                        self.base_url + path,
                        params,
                        MAX_BODY_BYTES,
                        headers=self._headers,
                        timeout=self._timeouts,
                    ),
                    lambda left: None,
                )
            except Late:
                raise HuggingFaceUnavailable(
                    f"Hugging Face did not answer within {self.timeout:g} s"
                ) from None
            except TooLarge:
                raise HuggingFaceUnavailable("Hugging Face sent too large an answer") from None
            except httpx.HTTPError as exc:
                raise HuggingFaceUnavailable(
                    f"cannot reach Hugging Face ({type(exc).__name__})"
                ) from None
            if answer.status == 429:  # every lookup waits, not only this one
                self.allowance.hold(max(answer.retry_after, 1.0), "Hugging Face answered HTTP 429")
                continue
            if answer.remaining == 0:  # this was the last request the window allows
                wait = answer.retry_after
                self.allowance.hold(wait, f"Hugging Face allows no more requests for {wait:g} s")
            if answer.status == 404:
                return None
            if answer.status != 200:
                raise HuggingFaceUnavailable(f"Hugging Face answered HTTP {answer.status}")
            try:
                return json.loads(answer.content)
            except (ValueError, RecursionError):  # not JSON, or nested too deeply
                raise HuggingFaceUnavailable("Hugging Face sent an answer rc cannot read") from None

    def paper(self, arxiv_id: str) -> PaperPage:
        body = self._get(f"/api/papers/{arxiv_id}")
        if body is None:
            return PaperPage(arxiv_id=arxiv_id, indexed=False)
        more: list[Model] = []
        preview = body.get("linkedModels") if isinstance(body, dict) else None
        total = _count(body.get("numTotalModels")) if isinstance(body, dict) else None
        if total and total > (len(preview) if isinstance(preview, list) else 0):
            try:
                listed = self._get(
                    "/api/models",
                    {
                        "filter": f"arxiv:{arxiv_id}",
                        "sort": "likes",
                        "direction": "-1",
                        "limit": str(MODELS_LIMIT),
                    },
                )
            except HuggingFaceUnavailable:
                listed = None  # the preview still counts
            more = _readable(lambda: _models(listed))
        return _readable(lambda: page_from(arxiv_id, body, more))

    def search(self, query: str, limit: int) -> list[Hit]:
        """`GET /api/papers/search?q=…&limit=…` (q at most 250 characters)."""
        body = self._get("/api/papers/search", {"q": query[:250], "limit": str(limit)})
        return _readable(lambda: hits_from(body))

    def daily(self, params: dict[str, str]) -> list[Hit]:
        """`GET /api/daily_papers` with `date=`, `week=` or `month=`."""
        body = self._get("/api/daily_papers", params)
        return _readable(lambda: hits_from(body))

    def papers(self, ids: Sequence[str]) -> dict[str, PaperPage | HuggingFaceUnavailable]:
        """Look up several papers at once, at most WORKERS in flight, within the allowance."""
        from concurrent.futures import ThreadPoolExecutor  # only lookups need it, not a search

        def one(arxiv_id: str) -> PaperPage | HuggingFaceUnavailable:
            try:
                return self.paper(arxiv_id)
            except HuggingFaceUnavailable as exc:
                return exc

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            return dict(zip(ids, pool.map(one, ids), strict=True))
