"""What `rc links` hands to its renderer and prints as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from readchallenge.core.schema import HFPageRow


class Candidates(TypedDict):
    """`rc links PAPER --json`: the links set, and Hugging Face's page (models, repo...)."""

    id: str
    links: dict[str, str]
    link_sources: dict[str, str]
    huggingface: HFPageRow | None  # the stored page, as docs/links.md describes it
