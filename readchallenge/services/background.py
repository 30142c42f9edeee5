"""Lookups that run beside the arXiv fetch of `rc add`: one batch at a time on one thread,
all finished, and their errors raised, when the block ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future


class Lookups:
    """Batches handed to `batch` in order; `close` ends what the batches shared (a client)."""

    thread_name = "rc-lookups"

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.thread_name)
        self.futures: list[Future[None]] = []

    def batch(self, ids: list[str]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """What the batches shared, ended once they all are."""

    def submit(self, ids: list[str]) -> None:
        if ids:
            self.futures.append(self.pool.submit(self.batch, ids))

    def __enter__(self) -> Lookups:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            for future in self.futures:
                future.result()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.close()
