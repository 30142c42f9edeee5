"""What the views of the stored papers hand to their renderers and print as JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    # The rows the store builds (core/rows.py) are these views' results as they are.
    from readchallenge.core.rows import ListRow as ListRow
    from readchallenge.core.rows import PaperDetail as PaperDetail


class Listing(NamedTuple):
    """What `rc list` shows: the papers asked for, streamed, and how many there are in all."""

    papers: Iterator[ListRow]
    total: int
    status: str | None
    described: str = ""  # what was asked for, for "no papers match: …" when nothing does
