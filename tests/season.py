"""What the season's tests share: rc in its own process, a loopback arXiv that answers with
the recorded entries, and the three-week season that conftest's `season_template` builds once
through the real commands."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.conftest import FIXTURES, LoopbackServer, QuietHandler, recording

TIMEOUT = 300  # generous: a hang fails, a busy machine does not
TODAY = "2026-06-22"  # the Monday after the third week
POST_1 = "https://blog.example.org/sunday-papers-1"


class Rc:
    """rc run as a user runs it, on its own RC_HOME."""

    def __init__(self, home: Path, **env: str) -> None:
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("RC_")}
        self.env.update(
            RC_HOME=str(home),
            RC_TODAY=TODAY,
            RC_NOW=f"{TODAY}T09:30",
            RC_LINKS_LOOKUP="false",
            RC_ARXIV_API_URL="http://127.0.0.1:9/api/query",
            RC_ARXIV_MIN_INTERVAL="0",
            RC_ARXIV_RETRIES="0",
            TZ="UTC",  # RC_NOW is local time: the feed's times are UTC
        )
        self.env.update(env)
        self.env.pop("HF_TOKEN", None)

    def __call__(self, *args: str, ok: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
        from tests.conftest import run_rc

        result = run_rc(args, {**self.env, **env}, timeout=TIMEOUT)
        assert "Traceback" not in result.stderr, result.stderr
        if ok:
            assert result.returncode == 0, (args, result.stderr)
        return result

    def json(self, *args: str, **env: str) -> Any:
        return json.loads(self(*args, "--json", **env).stdout)


class RecordedArxiv:
    """A loopback arXiv answering an id_list with the recorded entries of those ids."""

    def __init__(self) -> None:
        entries: dict[str, str] = {}
        for path in sorted(FIXTURES.glob("id_*.json")):
            body = json.loads(path.read_text(encoding="utf-8"))["body"]
            for entry in re.findall(r"<entry>.*?</entry>", body, re.DOTALL):
                found = re.search(r"<id>https?://arxiv.org/abs/(.+?)(v\d+)?</id>", entry)
                if found:
                    entries[found[1]] = entry
        empty = recording("id_0000.0000")["body"]

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                ids = parse_qs(urlsplit(self.path).query).get("id_list", [""])[0].split(",")
                found = "".join(entries.get(re.sub(r"v\d+$", "", i), "") for i in ids)
                data = empty.replace("</feed>", found + "</feed>").encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = LoopbackServer(Handler)
        self.url = f"{self.server.origin}/api/query"

    def close(self) -> None:
        self.server.close()


def build_season(home: Path) -> None:
    """Three weeks of papers from 1 June 2026, two papers waiting in the backlog, notes and
    week words that reference across weeks, readings and a skip, tags, and the first week
    published."""
    arxiv = RecordedArxiv()
    rc = Rc(home, RC_ARXIV_API_URL=arxiv.url)
    try:
        for args in (
            ["init", "--start", "2026-06-01", "--until", "2026-07-31", "--name", "Paper a day"],
            ["add", "1605.08386", "--as", "Heat-bath", "--on", "2026-06-01", "--no-links"],
            ["add", "--url", "https://example.org/jetmoe", "--title", "JetMoE: cheap experts",
             "--as", "JetMoE", "--kind", "paper", "--on", "2026-06-02"],
            ["link", "jetmoe", "model", "https://huggingface.co/jetmoe/jetmoe-8b"],
            ["add", "--url", "https://example.org/galore", "--title", "GaLore: low-rank gradient "
             "projection", "--as", "GaLore", "--kind", "paper", "--on", "2026-06-03"],
            ["add", "astro-ph/0601001", "--as", "Jupiters", "--on", "2026-06-08", "--no-links"],
            ["add", "--url", "https://example.org/mamba", "--title", "Mamba: linear-time "
             "sequence modeling", "--as", "Mamba", "--kind", "paper", "--on", "2026-06-09"],
            ["add", "quant-ph/0201082", "--as", "Quantum", "--on", "2026-06-15", "--no-links"],
            ["add", "--url", "https://example.org/rho-1", "--title", "Rho-1: not all tokens",
             "--as", "Rho-1", "--kind", "paper", "--on", "2026-06-16"],
            ["add", "--url", "https://example.org/lora", "--title", "LoRA: low-rank adaptation",
             "--as", "LoRA", "--kind", "paper", "--backlog"],
            ["add", "2104.12255", "--backlog", "--no-links"],
            ["note", "galore", "--description", "Projects gradients to a small subspace, so "
             "mixing optimizer states stay small. Pairs with [[LoRA]].",
             "--takeaway", "Memory is the bottleneck, not compute."],
            ["note", "rho-1", "--description", "Scores every token with a reference model, as "
             "[[JetMoE]] picks its data.", "--takeaway", "Not every token deserves a gradient."],
            ["note", "jetmoe", "--description", "Experts trained for little money."],
            ["week", "2026-W23", "--theme", "Data-efficient training", "--intro",
             "Pretraining for the rest of us: democratization needs cheap models.",
             "--tag", "LLM"],
            ["week", "2026-W24", "--theme", "Mixing architectures", "--intro",
             "Beyond attention, and [[LoRA|low-rank adapters]] for the cheap way."],
            ["week", "2026-W25", "--theme", "Tokens and qubits", "--conclusion",
             "Back to [[LoRA]] next time."],
            ["week", "2026-W23", "--url", POST_1],
            ["read", "heat-bath", "--on", "2026-06-01"],
            ["read", "jetmoe", "--on", "2026-06-02"],
            ["read", "galore", "--on", "2026-06-03"],
            ["skip", "--on", "2026-06-04", "--reason", "travel"],
            ["read", "jupiters", "--on", "2026-06-08"],
            ["read", "mamba", "--on", "2026-06-09"],
            ["read", "quantum", "--on", "2026-06-15"],
            ["tag", "jetmoe", "moe", "Efficiency"],
            ["tag", "galore", "optimizers", "efficiency"],
        ):  # fmt: skip
            rc(*args)
    finally:
        arxiv.close()


def index_is_whole(home: Path) -> None:
    """FTS5's own check that rc find's index holds exactly what the tables say."""
    conn = sqlite3.connect(home / "rc.db")
    try:
        conn.execute("INSERT INTO find_index (find_index, rank) VALUES ('integrity-check', 1)")
        assert conn.execute("SELECT count(*) FROM find_queue").fetchone() == (0,)
    finally:
        conn.close()


def ids(found: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in found["hits"]]
