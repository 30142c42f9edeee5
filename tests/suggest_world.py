"""A small world for `rc suggest`: machine-learning papers, and loopback stand-ins of arXiv,
Hugging Face's daily papers and Semantic Scholar that serve them.

The Semantic Scholar stand-in answers in the shapes of the real exchanges recorded in
tests/fixtures/s2 (README there): `{"recommendedPapers": [...]}`, a batch list in the order
asked with `null` for an unknown id, references paged by `offset`/`next`, 404 and 400 bodies
as recorded. The abstracts are short summaries written for these tests; ids and titles are
the papers' own. No real recording of `/api/daily_papers` exists: its answer is built from the
documented shape (the `paper` objects of the recorded search, with `summary` and `upvotes`).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.conftest import LoopbackServer, QuietHandler, recording

S2_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "s2"


@dataclass(frozen=True)
class Paper:
    title: str
    abstract: str
    published: str = "2026-06-08"
    upvotes: int = 0
    repo: str | None = None
    cites: tuple[str, ...] = ()
    tldr: str | None = None
    citations: int = 0


P = {
    # read: low-rank training
    "2106.09685": Paper(
        "LoRA: Low-Rank Adaptation of Large Language Models",
        "We freeze the pretrained weights of a large language model and inject trainable "
        "low-rank decomposition matrices into each layer, reducing the trainable parameters "
        "of fine-tuning by orders of magnitude with no added inference latency.",
        tldr="LoRA fine-tunes large models through low-rank updates of frozen weights.",
        citations=9000,
    ),
    "2403.03507": Paper(
        "GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection",
        "Gradient low-rank projection lets full-parameter training of large language models "
        "keep optimizer states in a low-rank subspace, cutting the memory of pre-training and "
        "fine-tuning while matching full-rank training.",
        cites=("2106.09685",),
    ),
    "2305.14314": Paper(
        "QLoRA: Efficient Finetuning of Quantized LLMs",
        "QLoRA backpropagates through a frozen 4-bit quantized language model into low-rank "
        "adapters, so a 65B model can be fine-tuned on a single GPU without losing quality.",
        cites=("2106.09685",),
    ),
    "2307.05695": Paper(
        "ReLoRA: High-Rank Training Through Low-Rank Updates",
        "Repeated low-rank updates merged into the weights train large neural networks to a "
        "high rank, making pre-training of language models more memory efficient.",
        cites=("2106.09685",),
    ),
    "2402.09353": Paper(
        "DoRA: Weight-Decomposed Low-Rank Adaptation",
        "DoRA decomposes pretrained weights into magnitude and direction and fine-tunes the "
        "direction with low-rank adaptation, closing the gap to full fine-tuning.",
        cites=("2106.09685",),
    ),
    # skipped: speech
    "2212.04356": Paper(
        "Robust Speech Recognition via Large-Scale Weak Supervision",
        "Speech recognition systems trained on 680,000 hours of multilingual audio transcripts "
        "transcribe speech robustly and translate it, zero-shot, across accents and noise.",
    ),
    "2006.11477": Paper(
        "wav2vec 2.0: A Framework for Self-Supervised Learning of Speech Representations",
        "Self-supervised learning of speech representations from raw audio, masking latent "
        "speech features and solving a contrastive task, enables speech recognition with "
        "very little labeled audio.",
    ),
    # candidates from Hugging Face's daily papers
    "2402.12354": Paper(
        "LoRA+: Efficient Low Rank Adaptation of Large Models",
        "Setting different learning rates for the two low-rank adapter matrices improves "
        "low-rank adaptation of large language models and speeds up fine-tuning.",
        published="2026-06-09",
        upvotes=12,
        cites=("2106.09685", "2006.11477"),
        tldr="LoRA+ gives the two LoRA matrices different learning rates.",
        citations=150,
    ),  # fmt: skip
    "2404.02948": Paper(
        "PiSSA: Principal Singular Values and Singular Vectors Adaptation of Large Language Models",
        "Initialising low-rank adapters with the principal singular values and vectors of the "
        "pretrained weights makes parameter-efficient fine-tuning of large language models "
        "converge faster than low-rank adaptation.",
        published="2026-06-08",
        upvotes=20,
        repo="https://github.com/GraphPKU/PiSSA",
    ),
    "2005.08100": Paper(
        "Conformer: Convolution-augmented Transformer for Speech Recognition",
        "Combining convolutions with self-attention models both local and global dependencies "
        "of audio sequences, improving end-to-end speech recognition accuracy.",
        published="2026-06-09",
        upvotes=300,
    ),
    "2106.07447": Paper(
        "HuBERT: Self-Supervised Speech Representation Learning by Masked Prediction of Hidden "
        "Units",
        "Masked prediction of hidden units learned by offline clustering yields self-supervised "
        "speech representations for speech recognition from raw audio.",
        published="2026-06-10",
        upvotes=250,
    ),
    "2407.21783": Paper(
        "The Llama 3 Herd of Models",
        "A herd of foundation models natively supporting multilinguality, coding, reasoning "
        "and tool usage, the largest a dense transformer with 405B parameters.",
        published="2026-06-07",
        upvotes=115,
        repo="https://github.com/meta-llama/llama3",
    ),
    # candidates from Semantic Scholar's recommendations
    "2310.11454": Paper(
        "VeRA: Vector-based Random Matrix Adaptation",
        "A single pair of frozen random low-rank matrices shared across layers, with small "
        "trainable scaling vectors, reduces the trainable parameters of low-rank adaptation "
        "tenfold for fine-tuning large language models.",
        published="2026-06-05",
        cites=("2106.09685", "2305.14314"),
    ),
    "2312.03732": Paper(
        "A Rank Stabilization Scaling Factor for Fine-Tuning with LoRA",
        "Scaling low-rank adapters by the square root of their rank stabilises learning, so "
        "higher-rank adaptation of large language models fine-tunes better.",
        published="2026-06-01",
        cites=("2106.09685",),
    ),
    "2303.08774": Paper(
        "GPT-4 Technical Report",
        "A large multimodal model accepting image and text inputs, evaluated on professional "
        "and academic benchmarks.",
        published="2026-05-20",
    ),
}
NAMES = {"2106.09685": "LoRA", "2403.03507": "GaLore", "2305.14314": "QLoRA",
         "2307.05695": "ReLoRA", "2402.09353": "DoRA", "2212.04356": "Whisper",
         "2006.11477": "wav2vec 2.0"}  # fmt: skip
READ = ["2106.09685", "2403.03507", "2305.14314", "2307.05695", "2402.09353"]
SKIPPED = ["2212.04356", "2006.11477"]
HF_DAILY = ["2402.12354", "2404.02948", "2005.08100", "2106.07447", "2407.21783", "2106.09685"]
S2_RECOMMENDED = ["2310.11454", "2404.02948", "2312.03732", "2303.08774", "2212.04356",
                  "2305.14314"]  # fmt: skip
LOW_RANK_CANDIDATES = {"2402.12354", "2404.02948", "2310.11454", "2312.03732"}


def s2_recording(name: str) -> Any:
    return json.loads((S2_FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


class Server:
    """A loopback HTTP server (conftest's, which never prints) whose `answer(method, path,
    body)` says what to send; every request is kept (method, path, parsed body, headers)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, Any, dict[str, str]]] = []
        self.asked = threading.Condition()
        outer = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self, method: str) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(size) if size else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                with outer.asked:
                    outer.requests.append((method, self.path, body, dict(self.headers)))
                    outer.asked.notify_all()
                status, data, headers = outer.answer(method, self.path, body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._handle("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._handle("POST")

        self.server = LoopbackServer(Handler)
        self.url = self.server.origin

    def answer(self, method: str, path: str, body: Any) -> tuple[int, bytes, dict[str, str]]:
        raise NotImplementedError

    def paths(self) -> list[str]:
        return [path for _, path, _, _ in self.requests]

    def close(self) -> None:
        self.server.close()


@dataclass
class Faults:
    """Answer the next `count` requests (or all, with count -1) with `status` and `body`."""

    status: int = 200
    body: bytes = b""
    count: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    def take(self) -> tuple[int, bytes, dict[str, str]] | None:
        if self.count == 0:
            return None
        if self.count > 0:
            self.count -= 1
        return self.status, self.body, self.headers


def _ids(body: Any, key: str) -> list[str]:
    items = body.get(key) if isinstance(body, dict) else None
    return [str(i).removeprefix("arXiv:") for i in items or []]


class Scholar(Server):
    """Semantic Scholar on 127.0.0.1: recommendations, the batch, references by page."""

    def __init__(self, recommended: list[str] | None = None) -> None:
        self.recommended = list(S2_RECOMMENDED if recommended is None else recommended)
        self.faults = Faults()
        self.page = 1000  # references a page, as the API's most
        self.batch_refs_listed: int | None = None  # fewer references than counted in a batch
        self.refs_of: dict[str, list[str]] = {pid: list(p.cites) for pid, p in P.items()}
        self.unknown: set[str] = set()  # papers it has not indexed yet
        super().__init__()

    def json(self, status: int, value: Any) -> tuple[int, bytes, dict[str, str]]:
        return status, json.dumps(value).encode(), {}

    def paper(self, arxiv_id: str, fields: str) -> dict[str, Any]:
        """A paper object with the fields asked, shaped as the recorded ones."""
        p = P[arxiv_id]
        item: dict[str, Any] = {"paperId": f"{abs(hash(arxiv_id)):040x}"[-40:]}
        wanted = fields.split(",")
        values = {
            "externalIds": {"ArXiv": arxiv_id, "CorpusId": 1},
            "title": p.title,
            "abstract": p.abstract,
            "publicationDate": p.published,
            "citationCount": p.citations,
            "tldr": {"model": "tldr@v2.0.0", "text": p.tldr} if p.tldr else None,
            "referenceCount": len(self.refs_of[arxiv_id]),
        }
        item.update({k: v for k, v in values.items() if k in wanted})
        if "references.externalIds" in wanted:
            refs = [{"paperId": None, "externalIds": {"ArXiv": c}} for c in self.refs_of[arxiv_id]]
            item["references"] = refs[: self.batch_refs_listed]
        return item

    def answer(self, method: str, path: str, body: Any) -> tuple[int, bytes, dict[str, str]]:
        fault = self.faults.take()
        if fault is not None:
            return fault
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if method == "POST" and parts.path == "/recommendations/v1/papers/":
            if not _ids(body, "positivePaperIds"):
                return self.json(400, s2_recording("recommendations_lists_negative_only")["body"])
            limit = int(query.get("limit", "100"))
            items = [self.paper(i, query["fields"]) for i in self.recommended[:limit]]
            return self.json(200, {"recommendedPapers": items})
        if method == "POST" and parts.path == "/graph/v1/paper/batch":
            asked = _ids(body, "ids")
            known = [i in P and i not in self.unknown for i in asked]
            return self.json(200, [self.paper(i, query["fields"]) if k else None
                                   for i, k in zip(asked, known, strict=True)])  # fmt: skip
        match = re.fullmatch(r"/graph/v1/paper/arXiv:([^/]+)/references", unquote(parts.path))
        if method == "GET" and match:
            if match[1] not in P or match[1] in self.unknown:
                return self.json(404, s2_recording("not_found_1")["body"])
            refs = self.refs_of[match[1]]
            offset, limit = int(query.get("offset", "0")), int(query.get("limit", "100"))
            size = min(limit, self.page)
            data = [{"citedPaper": {"paperId": None, "externalIds": {"ArXiv": c}}}
                    for c in refs[offset : offset + size]]  # fmt: skip
            page: dict[str, Any] = {"offset": offset, "data": data}
            if offset + size < len(refs):
                page["next"] = offset + size
            return self.json(200, page)
        return self.json(404, s2_recording("not_found_1")["body"])

    def batches(self) -> list[list[str]]:
        return [_ids(b, "ids") for _, p, b, _ in self.requests if p.startswith("/graph/v1/paper/b")]

    def recommendation_bodies(self) -> list[Any]:
        return [b for m, p, b, _ in self.requests if p.startswith("/recommendations/")]


class DailyPapers(Server):
    """Hugging Face's daily papers on 127.0.0.1 (any week: the same papers)."""

    def __init__(self, listed: list[str] | None = None) -> None:
        self.listed = list(HF_DAILY if listed is None else listed)
        self.faults = Faults()
        super().__init__()

    def answer(self, method: str, path: str, body: Any) -> tuple[int, bytes, dict[str, str]]:
        fault = self.faults.take()
        if fault is not None:
            return fault
        if urlsplit(path).path != "/api/daily_papers":
            return 404, b'{"error": "Paper not found"}', {}
        items = []
        for pid in self.listed:
            p = P[pid]
            paper = {"id": pid, "title": p.title, "summary": p.abstract, "upvotes": p.upvotes,
                     "publishedAt": f"{p.published}T00:00:00.000Z",
                     "authors": [{"name": "Ada Lovelace"}]}  # fmt: skip
            if p.repo:
                paper["githubRepo"] = p.repo
            items.append({"paper": paper, "title": p.title, "publishedAt": paper["publishedAt"]})
        return 200, json.dumps(items).encode(), {}


class Arxiv(Server):
    """arXiv on 127.0.0.1: an Atom feed of the papers asked, each a copy of a recorded entry
    with this world's id, title and abstract."""

    def __init__(self) -> None:
        body = recording("id_1605.08386")["body"]
        self.entry = re.search(r"<entry>.*?</entry>", body, re.DOTALL)[0]  # type: ignore[index]
        self.feed = re.sub(r"<entry>.*?</entry>", "", body, flags=re.DOTALL)
        super().__init__()
        self.url += "/api/query"

    def answer(self, method: str, path: str, body: Any) -> tuple[int, bytes, dict[str, str]]:
        ids = parse_qs(urlsplit(path).query).get("id_list", [""])[0].split(",")
        entries = []
        for pid in ids:
            p = P.get(pid)
            if p is None:
                continue
            entry = self.entry.replace("1605.08386", pid)
            entry = re.sub(r"<title>.*?</title>", f"<title>{p.title}</title>", entry)
            entry = re.sub(r"<summary>.*?</summary>", f"<summary>{p.abstract}</summary>", entry,
                           flags=re.DOTALL)  # fmt: skip
            entries.append(entry)
        return 200, self.feed.replace("</feed>", "".join(entries) + "</feed>").encode(), {}
