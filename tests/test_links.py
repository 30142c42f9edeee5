"""Links found for you: Hugging Face Papers answers from recordings, through the real rc process.

The `/api/papers/{id}` answers are real recordings (tests/fixtures/hf, provenance in its
README). No real recording of `/api/models?filter=arxiv:…` or of a 404 body exists: those are
built here from the documented shape (a list of `{id, author, likes, downloads}`; a JSON body
with an `error` key), and say so where they are built.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import LoopbackServer, QuietHandler, env_for, run_rc
from tests.hostile import HostileArxiv

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hf"
R1, GLM5, NOTHING = "2501.12948", "2602.15763", "2401.18030"

# Built by hand from the documented shape of /api/models (no recording exists): the
# organization's models plus third-party uploads, some of them more liked than the original.
MODELS_BY_HAND = {
    R1: [
        {"id": "unsloth/DeepSeek-R1-GGUF", "author": "unsloth", "likes": 20000, "downloads": 1},
        {"id": "deepseek-ai/DeepSeek-R1", "author": "deepseek-ai", "likes": 14297},
        {"id": "deepseek-ai/DeepSeek-R1-Zero", "author": "deepseek-ai", "likes": 930},
    ],
    GLM5: [
        {"id": "zai-org/GLM-5.2", "author": "zai-org", "likes": 5137},
        {"id": "someone/GLM-5-quantized", "author": "someone", "likes": 9000},
        {"id": "zai-org/GLM-5", "author": "zai-org", "likes": 2122},
    ],
}
NOT_FOUND_BY_HAND = {"error": "Paper not found"}  # documented shape only, no recording


def recording(arxiv_id: str) -> Any:
    return json.loads((FIXTURES / f"papers_{arxiv_id}.json").read_text(encoding="utf-8"))["body"]


class FakeHub:
    """A loopback Hugging Face: the recordings by path, 404 for other papers; `status` and
    `retry_after` make it fail on cue. Every request is logged with its headers."""

    def __init__(self) -> None:
        self.status = 200
        self.fail_next = 0  # answer this many requests with `status`, then serve normally
        self.retry_after = "0"
        self.requests: list[tuple[str, dict[str, str]]] = []
        outer = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.requests.append((self.path, dict(self.headers)))
                status, body = outer.answer(self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", outer.retry_after)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = LoopbackServer(Handler)
        self.url = self.server.origin

    def answer(self, path: str) -> tuple[int, Any]:
        if self.fail_next:
            self.fail_next -= 1
            return self.status, {"error": "try later"}
        parts = urlsplit(path)
        if parts.path == "/api/models":
            arxiv_id = parse_qs(parts.query)["filter"][0].removeprefix("arxiv:")
            return 200, MODELS_BY_HAND.get(arxiv_id, [])
        arxiv_id = parts.path.removeprefix("/api/papers/")
        if (FIXTURES / f"papers_{arxiv_id}.json").exists():
            return 200, recording(arxiv_id)
        return 404, NOT_FOUND_BY_HAND

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    server = FakeHub()
    yield server
    server.close()


@pytest.fixture
def arxiv() -> Iterator[HostileArxiv]:
    server = HostileArxiv()
    yield server
    server.close()


@pytest.fixture
def rc(tmp_path, hub, arxiv) -> Any:
    env = env_for(tmp_path / "home", arxiv.url, RC_HF_API_URL=hub.url, RC_LINKS_LOOKUP="true")

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return run_rc(args, {**env, **extra})

    return run


def shown(rc: Any, paper: str) -> dict[str, Any]:
    result = rc("show", paper, "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_deepseek_r1_gets_its_repo_and_its_own_model(rc, hub):
    result = rc("add", R1)
    assert result.returncode == 0, result.stderr
    assert (
        f"{R1}: code github.com/deepseek-ai/deepseek-r1, model deepseek-ai/DeepSeek-R1"
        in result.stderr
    )
    paper = shown(rc, R1)
    assert paper["links"] == {
        "model": "https://huggingface.co/deepseek-ai/DeepSeek-R1",
        "paper": f"https://arxiv.org/abs/{R1}",
        "code": "https://github.com/deepseek-ai/deepseek-r1",
    }
    assert paper["link_sources"] == {
        "model": "huggingface",
        "paper": "arxiv",
        "code": "huggingface",
    }
    assert paper["huggingface"]["upvotes"] == 462 and paper["huggingface"]["models"] == 521
    # 521 linked models, 4 in the preview: the full list was asked for, by likes.
    models = [p for p in hub.paths() if p.startswith("/api/models")]
    assert models == [f"/api/models?filter=arxiv%3A{R1}&sort=likes&direction=-1&limit=20"]


def test_glm5_gets_code_blog_and_the_model_named_like_its_repo(rc):
    result = rc("add", GLM5)
    assert result.returncode == 0, result.stderr
    assert (
        f"{GLM5}: code github.com/zai-org/GLM-5, blog z.ai/blog/glm-5.2, model zai-org/GLM-5"
        in result.stderr
    )
    links = shown(rc, GLM5)["links"]
    assert links["model"] == "https://huggingface.co/zai-org/GLM-5"  # not the more liked 5.2
    assert links["blog"] == "https://z.ai/blog/glm-5.2"


def test_a_paper_without_repo_or_models_gets_nothing_more(rc):
    result = rc("add", NOTHING)
    assert result.returncode == 0, result.stderr
    assert f"{NOTHING}: no new links found on Hugging Face" in result.stderr
    assert shown(rc, NOTHING)["links"] == {"paper": f"https://arxiv.org/abs/{NOTHING}"}


def test_a_link_you_set_is_never_replaced(rc):
    result = rc("add", R1, "--code", "https://github.com/me/my-fork")
    assert result.returncode == 0, result.stderr
    paper = shown(rc, R1)
    assert paper["links"]["code"] == "https://github.com/me/my-fork"
    assert paper["link_sources"]["code"] == "you"
    assert paper["links"]["model"] == "https://huggingface.co/deepseek-ai/DeepSeek-R1"
    again = rc("refresh", R1, "--links")
    assert again.returncode == 0, again.stderr
    assert shown(rc, R1)["links"]["code"] == "https://github.com/me/my-fork"


def test_hugging_face_down_leaves_the_add_done_and_the_lookup_queued(rc, hub):
    hub.status, hub.fail_next = 503, 1
    result = rc("add", GLM5)
    assert result.returncode == 0, result.stderr
    assert "Hugging Face answered HTTP 503" in result.stderr
    assert "queued (rc fetch retries it)" in result.stderr
    # Asked once: the lookup that failed is not sent again by the same rc add, however fast
    # it failed (it raced with the add's last look at what was queued).
    assert len([p for p, _ in hub.requests if GLM5 in p]) == 1, hub.requests
    paper = shown(rc, GLM5)
    assert paper["status"] == "ok" and "code" not in paper["links"]
    assert paper["huggingface"]["status"] == "queued"
    synced = rc("fetch")
    assert synced.returncode == 0, synced.stderr
    assert f"{GLM5}: code github.com/zai-org/GLM-5" in synced.stderr
    assert shown(rc, GLM5)["links"]["model"] == "https://huggingface.co/zai-org/GLM-5"


def test_a_paper_hugging_face_has_not_indexed_is_said_once_and_is_no_error(rc):
    result = rc("add", "2401.00001")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("not on Hugging Face Papers yet") == 1


def test_429_is_honoured_and_retried(rc, hub):
    hub.status, hub.fail_next, hub.retry_after = 429, 1, "1"
    result = rc("add", NOTHING)
    assert result.returncode == 0, result.stderr
    assert hub.paths().count(f"/api/papers/{NOTHING}") == 2
    assert "queued" not in result.stderr


def test_no_links_and_the_setting_ask_nothing(rc, hub):
    assert rc("add", R1, "--no-links").returncode == 0
    assert rc("add", GLM5, RC_LINKS_LOOKUP="false").returncode == 0
    assert hub.requests == []


def test_the_token_is_sent_when_set(rc, hub):
    assert rc("add", NOTHING, HF_TOKEN="hf_secret").returncode == 0
    assert hub.requests[0][1].get("Authorization") == "Bearer hf_secret"


def test_rc_links_lists_every_candidate_with_likes(rc):
    assert rc("add", R1).returncode == 0
    result = rc("links", R1)
    assert result.returncode == 0, result.stderr
    assert "repo     https://github.com/deepseek-ai/deepseek-r1, 91962 stars" in result.stdout
    assert "https://huggingface.co/unsloth/DeepSeek-R1-GGUF (20000 likes)" in result.stdout
    assert "521 linked models in all" in result.stdout


def test_show_marks_the_summary_as_machine_written(rc):
    assert rc("add", R1).returncode == 0
    result = rc("show", R1)
    assert "machine-written by Hugging Face, not yours" in result.stdout
    code = next(line for line in result.stdout.splitlines() if line.startswith("code link"))
    assert code.split()[2:] == ["https://github.com/deepseek-ai/deepseek-r1", "(huggingface)"]
