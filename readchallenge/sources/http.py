"""What every web source shares: the client, an overall deadline per request, a cap on the
answer, and an allowance of requests over time."""

from __future__ import annotations

import functools
import os
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from socket import socket
from typing import NamedTuple

import httpx

SLOW_NOTICE_SECONDS = 2.0  # after this long without an answer, rc says what it waits for


class Answer(NamedTuple):
    status: int
    retry_after: float
    content: bytes
    remaining: int | None = None  # requests left, when the server says (RateLimit `r=`)


class TooLarge(Exception):
    """The answer grew past the cap."""


class Late(Exception):
    """The request outlived its deadline."""


class _Trust(ssl.SSLContext):
    """httpx's default verification (certifi's CA bundle, or `SSL_CERT_FILE` / `SSL_CERT_DIR`),
    with the bundle loaded at the first TLS handshake instead of when a client is made:
    loading it costs tens of milliseconds, which a plain-http endpoint never needs."""

    _lock = threading.Lock()
    _loaded = False

    def _load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            if os.environ.get("SSL_CERT_FILE"):
                self.load_verify_locations(cafile=os.environ["SSL_CERT_FILE"])
            elif os.environ.get("SSL_CERT_DIR"):
                self.load_verify_locations(capath=os.environ["SSL_CERT_DIR"])
            else:
                import certifi

                self.load_verify_locations(cafile=certifi.where())
            self._loaded = True

    def wrap_socket(
        self,
        sock: socket,
        server_side: bool = False,
        do_handshake_on_connect: bool = True,
        suppress_ragged_eofs: bool = True,
        server_hostname: str | bytes | None = None,
        session: ssl.SSLSession | None = None,
    ) -> ssl.SSLSocket:
        self._load()
        return super().wrap_socket(
            sock, server_side, do_handshake_on_connect, suppress_ragged_eofs, server_hostname,
            session,
        )  # fmt: skip

    def wrap_bio(
        self,
        incoming: ssl.MemoryBIO,
        outgoing: ssl.MemoryBIO,
        server_side: bool = False,
        server_hostname: str | bytes | None = None,
        session: ssl.SSLSession | None = None,
    ) -> ssl.SSLObject:
        self._load()
        return super().wrap_bio(incoming, outgoing, server_side, server_hostname, session)


@functools.cache
def _trust() -> _Trust:
    """One trust store for every client of the process; it verifies certificates and host
    names (PROTOCOL_TLS_CLIENT's defaults, as `ssl.create_default_context` sets them)."""
    return _Trust(ssl.PROTOCOL_TLS_CLIENT)


def new_client(
    *,
    timeout: float,
    connections: int,
    headers: dict[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An httpx client that follows redirects and verifies TLS as httpx does by default, with
    one trust store shared by every client of the process and loaded only for https."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        headers=headers,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        verify=_trust(),
        transport=transport,
        follow_redirects=True,
    )


def _rate_limit(response: httpx.Response) -> tuple[int | None, float | None]:
    """The requests left (`r=`) and the seconds until the window resets (`t=`) of an IETF
    `RateLimit` header (`"api";r=0;t=42`), each None when absent."""
    remaining: int | None = None
    reset: float | None = None
    for part in response.headers.get("RateLimit", "").replace(",", ";").split(";"):
        name, _, number = part.strip().partition("=")
        if number.isdigit() and name == "r":
            remaining = int(number)
        elif number.isdigit() and name == "t":
            reset = float(number)
    return remaining, reset


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
    return _rate_limit(response)[1] or 0.0


def get_capped(
    http: httpx.Client,
    url: str,
    params: dict[str, str] | None,
    limit: int,
    *,
    headers: dict[str, str] | None = None,
    timeout: httpx.Timeout | None = None,
) -> Answer:
    """GET `url`, reading at most `limit` decoded bytes of the answer; `headers` and
    `timeout` add to and replace the client's own for this request."""
    deadline = httpx.USE_CLIENT_DEFAULT if timeout is None else timeout
    with http.stream("GET", url, params=params, headers=headers, timeout=deadline) as response:
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise TooLarge
            chunks.append(chunk)
        remaining = _rate_limit(response)[0]
        return Answer(response.status_code, retry_after(response), b"".join(chunks), remaining)


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


class Allowance:
    """At most `limit` requests in any `window` seconds, shared by every thread of a client,
    and none before a time the server named (a 429, or a `RateLimit` with nothing left)."""

    def __init__(
        self,
        limit: int,
        window: float,
        why: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.why = limit, window, why
        self._clock = clock
        self._sent: deque[float] = deque()
        self._resume, self._resume_why = 0.0, ""
        self._lock = threading.Lock()

    def take(self) -> tuple[float, str]:
        """Take one request: `(0, "")` when it may go now; otherwise nothing is taken, and
        the answer is how long to wait before asking again, and why."""
        with self._lock:
            now = self._clock()
            while self._sent and self._sent[0] <= now - self.window:
                self._sent.popleft()
            if now < self._resume:
                return self._resume - now, self._resume_why
            if len(self._sent) >= self.limit:
                return self._sent[0] + self.window - now, self.why
            self._sent.append(now)
            return 0.0, ""

    def hold(self, seconds: float, why: str) -> None:
        """No request for `seconds` from now (or longer, if already held longer)."""
        with self._lock:
            until = self._clock() + seconds
            if until > self._resume:
                self._resume, self._resume_why = until, why
