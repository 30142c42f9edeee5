"""The golden test: the first "Sunday Papers" post, rebuilt through the real rc process.

The post itself is read at run time from the shared folder beside the repository; the
repository holds none of its sentences. The papers are the post's, by their real arXiv ids,
served by a loopback stand-in with their real titles (no recording holds them).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import env_for, run_rc
from tests.hostile import Answer, HostileArxiv, feed_with

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed-post.txt"
TITLES = {
    "2306.11644": "Textbooks Are All You Need",
    "2309.05463": "Textbooks Are All You Need II: phi-1.5 technical report",
    "2404.14219": "Phi-3 Technical Report: A Highly Capable Language Model Locally on Your Phone",
    "2404.07965": "Rho-1: Not All Tokens Are What You Need",
    "2404.06395": "MiniCPM: Unveiling the Potential of Small Language Models with Scalable "
    "Training Strategies",
    "2403.03507": "GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection",
    "2404.07413": "JetMoE: Reaching Llama2 Performance with 0.1M Dollars",
    "2106.09685": "LoRA: Low-Rank Adaptation of Large Language Models",
}
HF = "https://huggingface.co"
WEEK = [  # name, arXiv id (or None for the blog post), day, options
    ("Phi-1", "2306.11644", "2026-06-08", ["--model", f"{HF}/microsoft/phi-1"]),
    ("Phi-1.5", "2309.05463", "2026-06-09", ["--model", f"{HF}/microsoft/phi-1_5"]),
    ("Phi-2", None, "2026-06-10", ["--model", f"{HF}/microsoft/phi-2"]),
    ("Phi-3", "2404.14219", "2026-06-11", ["--model", f"{HF}/microsoft/Phi-3-mini-4k-instruct"]),
    ("Rho-1", "2404.07965", "2026-06-12", ["--model", f"{HF}/microsoft/rho-math-1b-v0.1"]),
    ("MiniCPM", "2404.06395", "2026-06-13", ["--model", f"{HF}/openbmb/MiniCPM-2B-sft-bf16"]),
    ("GaLore", "2403.03507", "2026-06-14", ["--code", "https://github.com/jiaweizzhao/GaLore"]),
]
BACKLOG = [
    ("JetMoE", "2404.07413", ["--model", f"{HF}/jetmoe/jetmoe-8b"]),
    ("LoRA", "2106.09685", []),
]
PHI_2_BLOG = (
    "https://www.microsoft.com/en-us/research/blog/"
    "phi-2-the-surprising-power-of-small-language-models/"
)
# Where the post names another paper with its links, the note holds a reference instead.
REFERENCES = {"JetMoE (model | paper)": "[[JetMoE]]", "LoRA (paper)": "[[LoRA]]"}


def _feed(ids: list[str]) -> bytes:
    def entries(entry: str) -> str:
        return "".join(
            entry.replace("1605.08386", i).replace(
                "Heat-bath random walks with Markov bases", TITLES[i]
            )
            for i in ids
        )

    return feed_with(entries)


@pytest.fixture
def seed() -> list[str]:
    if not SEED.exists():
        pytest.skip(f"the reference post is not at {SEED}")
    return [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def arxiv() -> Iterator[HostileArxiv]:
    ids = [i for _, i, _, _ in WEEK if i] + [i for _, i, _ in BACKLOG]
    server = HostileArxiv(*[Answer("body", body=_feed([i])) for i in ids])
    yield server
    server.close()


def strip_markdown(text: str) -> list[str]:
    """The paragraphs of a Markdown post as a reader sees them: no heading marks, link
    targets, emphasis or escapes."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        block = re.sub(r"^#+\s+", "", block.strip())
        block = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block)
        block = re.sub(r"(?<!\\)[*_]{1,2}", "", block)
        block = re.sub(r"\\(.)", r"\1", block)
        paragraphs.append(" ".join(block.split()))
    return paragraphs


def test_the_seed_week_exported_reads_as_the_post(tmp_path, seed, arxiv):
    env = env_for(tmp_path / "home", arxiv.url, RC_TODAY="2026-06-07")  # a Sunday

    def rc(*args: str) -> str:
        result = run_rc(args, env)
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    intro, days, rest = seed[:3], seed[3:17], seed[17:]
    assert rest[0] == "Conclusion"
    conclusion, teaser, signoff = rest[1:]
    rc("init", "--start", "2026-06-08")
    for name, paper, day, options in WEEK:
        if paper is None:
            source = ["--url", PHI_2_BLOG, "--title", "Phi-2", "--kind", "blog"]
        else:
            source = [paper]
        rc("add", *source, "--as", name, "--on", day, *options)
    for name, paper, options in BACKLOG:
        rc("add", paper, "--as", name, "--backlog", *options)
    rc("link", "GaLore", "--order", "code,paper")
    for (name, *_), description in zip(WEEK, days[1::2], strict=True):
        for written, reference in REFERENCES.items():
            description = description.replace(written, reference)
        rc("note", name, "--description", description)
    rc("week", "--intro", "\n\n".join(intro), "--conclusion", conclusion, "--next", teaser)
    rc("week", "--signoff", signoff)

    post = rc("export-week")

    got = strip_markdown(post)
    for mine, theirs in zip(got, seed, strict=False):
        assert mine == theirs
    assert got == seed
    assert "[[" not in post
    assert "## Sunday: GaLore ([code](https://github.com/jiaweizzhao/GaLore) | [paper](" in post
    assert (
        f"JetMoE ([model]({HF}/jetmoe/jetmoe-8b) | [paper](https://arxiv.org/abs/2404.07413))"
        in post
    )
    check = subprocess.run(
        [sys.executable, "-m", "readchallenge", "export-week", "--check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
