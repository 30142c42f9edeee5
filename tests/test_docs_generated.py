"""The parts of docs/ that list what the code declares are generated from it, and a stale
one fails here (python -m readchallenge.docgen rewrites them)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def docgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readchallenge.docgen", *args],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip


def test_the_generated_parts_of_the_docs_are_current():
    result = docgen("--check")
    assert result.returncode == 0, result.stderr


def test_every_setting_is_in_the_table_with_its_variable_and_default():
    from readchallenge.config import SETTINGS

    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`RC_" in line]
    for setting in SETTINGS:
        row = next((r for r in rows if f"| `{setting.env}` |" in r), None)
        assert row is not None, setting.key
        assert setting.help in row
        if setting.in_file:
            assert row.startswith(f"| `{setting.key}` |")
    assert '| `hyperlinks` | `RC_HYPERLINKS` | `"auto"` |' in text
    assert "| `arxiv_min_interval` | `RC_ARXIV_MIN_INTERVAL` | `3` |" in text


def test_a_stale_table_is_named_and_rewritten(tmp_path: Path):
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    doc = tmp_path / "docs" / "configuration.md"
    current = doc.read_text(encoding="utf-8")
    doc.write_text(current.replace("| `hf_timeout` |", "| `hf_timeout_old` |"), encoding="utf-8")
    stale = docgen("--check", str(tmp_path))
    assert stale.returncode == 1
    assert stale.stderr == (
        "stale: docs/configuration.md: settings (python -m readchallenge.docgen rewrites it)\n"
    )
    assert docgen(str(tmp_path)).returncode == 0
    assert doc.read_text(encoding="utf-8") == current
    doc.write_text(current.replace("<!-- end: settings -->", ""), encoding="utf-8")
    broken = docgen("--check", str(tmp_path))
    assert broken.returncode == 1 and "no markers" in broken.stderr
