"""What every web source shares: the client, an overall deadline per request and a cap on
the answer."""

from __future__ import annotations

import functools
import os
import ssl
import threading
import time
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
