"""Ctrl-C that waits for the current step to finish, so what is reported matches what is stored."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT until the block ends, then raise KeyboardInterrupt if one came.

    A Ctrl-C that lands between a commit and the bookkeeping that follows it would otherwise
    make rc report a batch as not stored although it is. Only the main thread can set a signal
    handler; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt
