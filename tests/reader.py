"""What the reader-facing tests share: rc run in its own process, on a store of its own."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import env_for, run_rc

Rc = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(name="rc")
def rc_fixture(tmp_path: Path) -> Rc:
    """`rc(*args, ok=True, **env)`: rc in its own process (today: Wednesday 10 June 2026);
    never a traceback, and exit 0 unless `ok=False`."""

    def run(*args: str, ok: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
        result = run_rc(args, env_for(tmp_path / "home", "http://127.0.0.1:9/api/query", **env))
        assert "Traceback" not in result.stderr, result.stderr
        if ok:
            assert result.returncode == 0, (args, result.stderr)
        return result

    return run


def item(rc: Rc, slug: str, *options: str) -> None:
    """A non-arXiv paper at https://example.org/SLUG, titled SLUG."""
    rc("add", "--url", f"https://example.org/{slug}", "--title", slug, "--kind", "paper", *options)
