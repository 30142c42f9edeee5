"""A hostile arXiv on 127.0.0.1: each request gets the next scripted answer, then a normal one.

For tests that run the real `rc` process against answers the real arXiv could send, or a
broken proxy in front of it could: slow drips, silence, bombs, loops and odd feeds.
"""

from __future__ import annotations

import re
import struct
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.conftest import LoopbackServer, QuietHandler, echo_feed, recording


@dataclass(frozen=True)
class Answer:
    """What the server does with one request."""

    mode: str = "echo"  # echo, body, drip, silent, held, gzip_bomb, redirect_loop
    status: int = 200
    body: bytes = b""
    every: float = 0.5  # drip: seconds between bytes


DOWN = Answer("body", status=503, body=b"down for maintenance")


def feed_with(entry_edit: Callable[[str], str]) -> bytes:
    """The recorded feed of 1605.08386 with its entry changed by `entry_edit`."""
    body = recording("id_1605.08386")["body"]
    entry = re.search(r"<entry>.*?</entry>", body, re.DOTALL)[0]  # type: ignore[index]
    return body.replace(entry, entry_edit(entry)).encode()


def empty_feed() -> bytes:
    return recording("id_0000.0000")["body"].encode()


@cache
def gzip_bomb(inflated: int = 1 << 30) -> bytes:
    """A valid gzip body of about 1 MB that inflates to `inflated` bytes of zeros.

    After a full flush the compressor refers to nothing before it, so one compressed MiB of
    zeros can be repeated instead of compressing the whole GiB (seconds of CPU).
    """
    block = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: the gzip frame is ours
    one = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.flush()
    crc = 0
    for _ in range(inflated // len(block)):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = struct.pack("<II", crc, inflated & 0xFFFFFFFF)
    return header + one * (inflated // len(block)) + end + trailer


class HostileArxiv:
    """A loopback server that plays `script` in order, then answers every id it is asked."""

    def __init__(self, *script: Answer) -> None:
        self.script = list(script)
        self.paths: list[str] = []
        self.stop = threading.Event()
        self.release = threading.Event()  # ends the silence of "held" answers
        self.asked = threading.Condition()
        outer = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                with outer.asked:
                    outer.paths.append(self.path)
                    answer = outer.script.pop(0) if outer.script else Answer()
                    outer.asked.notify_all()
                outer.serve(self, answer)  # rc hanging up on it is fine, as it should

        self.server = LoopbackServer(Handler)
        self.url = f"{self.server.origin}/api/query"

    def serve(self, handler: Any, answer: Answer) -> None:
        out = handler.wfile
        if answer.mode == "silent":
            self.stop.wait(600)
            return
        if answer.mode == "held":  # silent until the test releases it, then an echo
            self.release.wait(600)
            if self.stop.is_set():
                return
        if answer.mode == "drip":
            # A status line and headers that never end, a byte at a time.
            for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"x" * 100_000:
                if self.stop.wait(answer.every):
                    return
                out.write(bytes([byte]))
                out.flush()
            return
        if answer.mode == "redirect_loop":
            handler.send_response(302)
            handler.send_header("Location", handler.path)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        headers = {}
        if answer.mode in ("echo", "held"):
            query = parse_qs(urlsplit(handler.path).query)
            body = echo_feed(query.get("id_list", [""])[0].split(",")).encode()
        elif answer.mode == "gzip_bomb":
            body = gzip_bomb()
            headers["Content-Encoding"] = "gzip"
        else:
            body = answer.body
        handler.send_response(answer.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        out.write(body)

    def requests(self) -> int:
        with self.asked:
            return len(self.paths)

    def wait_for_requests(self, count: int, seconds: float = 120.0) -> None:
        with self.asked:
            assert self.asked.wait_for(lambda: len(self.paths) >= count, seconds), self.paths

    def close(self) -> None:
        self.stop.set()
        self.release.set()
        self.server.close()
