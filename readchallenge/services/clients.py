"""The web sources as the settings configure them: one place for each, cheap to import."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from readchallenge.config import Config

if TYPE_CHECKING:
    from readchallenge.sources.arxiv import ArxivClient, Waiter
    from readchallenge.sources.huggingface import HuggingFace


def arxiv(cfg: Config, on_wait: Waiter | None = None, http: Any = None) -> ArxivClient:
    """An arXiv client; `http` is an httpx client to share with another source."""
    from readchallenge.sources.arxiv import ArxivClient

    return ArxivClient(
        cfg.arxiv_api_url,
        min_interval=cfg.arxiv_min_interval,
        timeout=cfg.arxiv_timeout,
        retries=cfg.arxiv_retries,
        max_wait=cfg.arxiv_max_wait,
        on_wait=on_wait,
        http=http,
    )


def huggingface(cfg: Config, http: Any = None) -> HuggingFace:
    """A Hugging Face client; `http` is an httpx client to share with another source."""
    from readchallenge.sources.huggingface import HuggingFace

    return HuggingFace(
        cfg.hf_api_url,
        timeout=cfg.hf_timeout,
        token=os.environ.get("HF_TOKEN") or None,
        max_wait=cfg.arxiv_max_wait,
        http=http,
    )
