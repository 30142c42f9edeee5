"""What every web source shares: an overall deadline per request and a cap on the answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import NamedTuple

import httpx

SLOW_NOTICE_SECONDS = 2.0  # after this long without an answer, rc says what it waits for


class Answer(NamedTuple):
    status: int
    retry_after: float
    content: bytes


class TooLarge(Exception):
    """The answer grew past the cap."""


class Late(Exception):
    """The request outlived its deadline."""


def retry_after(response: httpx.Response) -> float:
    """Seconds a 429 or 503 asks to wait: `Retry-After` (seconds or a date), or the reset
    time of an IETF `RateLimit` header (`…;r=0;t=42`)."""
    value = response.headers.get("Retry-After")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return 0.0
    limit = response.headers.get("RateLimit", "")
    for part in limit.replace(",", ";").split(";"):
        name, _, number = part.strip().partition("=")
        if name == "t" and number.isdigit():
            return float(number)
    return 0.0


def get_capped(http: httpx.Client, url: str, params: dict[str, str] | None, limit: int) -> Answer:
    """GET `url`, reading at most `limit` decoded bytes of the answer."""
    with http.stream("GET", url, params=params) as response:
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise TooLarge
            chunks.append(chunk)
        return Answer(response.status_code, retry_after(response), b"".join(chunks))


def within(seconds: float, work: Callable[[], Answer], on_slow: Callable[[float], None]) -> Answer:
    """Run `work` with an overall deadline: connect, headers and body together.

    httpx's timeouts bound each read, so a server that sends a byte now and then holds a
    request forever; here the request runs in a daemon thread that is abandoned (with its
    connection) when the deadline passes.
    """
    outcome: list[Answer | BaseException] = []
    finished = threading.Event()

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)
        finally:
            finished.set()

    threading.Thread(target=run, name="rc-request", daemon=True).start()
    started = time.monotonic()
    if not finished.wait(min(seconds, SLOW_NOTICE_SECONDS)):
        on_slow(seconds - (time.monotonic() - started))
        if not finished.wait(max(0.0, seconds - (time.monotonic() - started))):
            raise Late
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result
