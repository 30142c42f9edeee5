"""The Semantic Scholar client in-process, over httpx.MockTransport: the recorded exchanges
(tests/fixtures/s2) parsed as they are, the rate limit and deadline on a fake clock, and
hostile answers that must end as one error or as values left out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from readchallenge.sources import semanticscholar as s2
from tests.suggest_world import s2_recording

KEY = "s2-key-never-shown-5f1c"


class Clock:
    """monotonic() and sleep() for the client: sleeping moves the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fake = Clock()
    monkeypatch.setattr(s2, "monotonic", fake.monotonic)
    monkeypatch.setattr(s2, "sleep", fake.sleep)
    yield fake


Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler, **options: Any) -> s2.SemanticScholar:
    options.setdefault("min_interval", 0.0)
    return s2.SemanticScholar("http://s2.test", transport=httpx.MockTransport(handler), **options)


def replay(name: str) -> httpx.Response:
    data = s2_recording(name)
    return httpx.Response(data["status_code"], json=data["body"])


def test_the_recorded_batch_keeps_its_order_and_null_is_unknown(clock):
    asked: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(json.loads(request.content))
        return replay("paper_batch_with_unknown")

    ids = ["2401.00001", "2401.00002", "2401.00003", "2401.00004"]
    with client(handler) as api:
        (found,) = list(api.batch(ids, references=True))
    assert asked == [{"ids": [f"arXiv:{i}" for i in ids]}]
    assert found["2401.00001"] is None
    second = found["2401.00002"]
    assert second.citations == 10670 and second.s2_id == "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce"
    assert second.cites is None  # the recording lists no references


def test_a_batch_of_600_ids_is_two_requests(clock):
    sizes: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        ids = json.loads(request.content)["ids"]
        sizes.append(len(ids))
        return httpx.Response(200, json=[None] * len(ids))

    with client(handler) as api:
        found = [paper for batch in api.batch([f"2401.{n:05d}" for n in range(600)], True)
                 for paper in batch]  # fmt: skip
    assert sizes == [500, 100] and len(found) == 600


def test_references_are_read_page_by_page_until_there_is_no_next(clock):
    offsets: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        offset = request.url.params["offset"]
        offsets.append(offset)
        return replay("paper_references_1" if offset == "0" else "paper_references_2")

    with client(handler) as api:
        assert api.references("2106.09685") == ()  # the recorded papers have no arXiv ids
    assert offsets == ["0", "50"]


def test_the_tldr_and_the_arxiv_id_come_from_a_paper_object():
    body = dict(s2_recording("paper_tldr")["body"])
    assert s2.paper_from(body) is None  # no arXiv id: nothing rc could add
    body["externalIds"] = {**body["externalIds"], "ArXiv": "2106.09685"}
    paper = s2.paper_from(body)
    assert paper is not None and paper.arxiv_id == "2106.09685"
    assert paper.tldr is not None and paper.tldr.startswith("If the meaning of the words")
    assert paper.citations == 10059 and paper.published == "1950-10-01"


def test_no_positive_examples_is_its_own_error(clock):
    with client(lambda r: replay("recommendations_lists_negative_only")) as api:
        with pytest.raises(s2.NoPositives):
            api.recommend(["2106.09685"], [], 100)


def test_a_404_is_none_and_the_recorded_recommendations_without_arxiv_ids_are_left_out(clock):
    with client(lambda r: replay("not_found_1")) as api:
        assert api.references("2401.99999") is None
    with client(lambda r: replay("recommendations_lists")) as api:
        assert api.recommend(["2106.09685"], ["2212.04356"], 100) == []


def test_one_request_a_second_and_the_key_sent(clock):
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("x-api-key"))
        return httpx.Response(200, json={"recommendedPapers": []})

    with client(handler, min_interval=1.0, key=KEY) as api:
        api.recommend(["2106.09685"], [], 10)
        api.recommend(["2106.09685"], [], 10)
    assert seen == [KEY, KEY]
    assert clock.slept == [1.0]


def test_a_429_waits_as_asked_then_asks_again(clock):
    answers = [httpx.Response(429, headers={"Retry-After": "7"}),
               httpx.Response(200, json={"recommendedPapers": []})]  # fmt: skip
    with client(lambda r: answers.pop(0)) as api:
        assert api.recommend(["2106.09685"], [], 10) == []
    assert clock.slept == [7.0]


def test_a_wait_past_the_deadline_is_one_error_at_once(clock):
    with client(lambda r: httpx.Response(429, headers={"Retry-After": "600"}), deadline=30) as api:
        with pytest.raises(s2.ScholarUnavailable, match="did not answer within 30 s"):
            api.recommend(["2106.09685"], [], 10)
    assert clock.slept == []


def test_other_errors_are_not_retried_and_never_show_the_key(clock):
    calls: list[int] = []

    def forbidden(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(403, json={"message": f"Forbidden {KEY}"})

    with client(forbidden, key=KEY) as api:
        with pytest.raises(s2.ScholarUnavailable) as caught:
            api.recommend(["2106.09685"], [], 10)
    assert calls == [1] and caught.value.message == "Semantic Scholar answered HTTP 403"

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"refused with {request.headers['x-api-key']}", request=request)

    with client(unreachable, key=KEY) as api:
        with pytest.raises(s2.ScholarUnavailable) as caught:
            api.recommend(["2106.09685"], [], 10)
    assert KEY not in caught.value.message
    assert caught.value.message == "cannot reach Semantic Scholar (ConnectError)"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "cannot read"),
        (b"not json", "cannot read"),
        (b'{"recommendedPapers": 5}', "cannot read"),
        (b"[]", "cannot read"),
        (b" " * (s2.MAX_BODY_BYTES + 1), "too large"),
    ],
    ids=["deep", "not JSON", "wrong type", "a list", "huge"],
)
def test_an_answer_rc_cannot_use_is_one_error(clock, body, message):
    with client(lambda r: httpx.Response(200, content=body)) as api:
        with pytest.raises(s2.ScholarUnavailable, match=message):
            api.recommend(["2106.09685"], [], 10)


def test_odd_values_are_left_out_and_the_rest_kept(clock):
    items = [
        {"paperId": "x" * 40, "externalIds": {"ArXiv": "--renderer-cmd-prefix=x"}, "title": "A"},
        {"externalIds": {"ArXiv": "2401.00001"}, "title": {"not": "text"}, "citationCount": 10**23,
         "publicationDate": "0000-99-99", "abstract": 5},
        {"externalIds": "2401.00002"},
        7,
        {"externalIds": {"ArXiv": "2401.00003"}, "title": "Good\x1b[2J", "citationCount": 3,
         "tldr": {"text": ["no"]}},
    ]  # fmt: skip
    with client(lambda r: httpx.Response(200, json={"recommendedPapers": items})) as api:
        found = api.recommend(["2106.09685"], [], 10)
    assert [p.arxiv_id for p in found] == ["2401.00001", "2401.00003"]
    odd, good = found
    assert (odd.title, odd.citations, odd.published, odd.abstract, odd.s2_id) == (
        "",
        None,
        "",
        "",
        None,
    )
    assert good.title == "Good\x1b[2J" and good.citations == 3 and good.tldr is None
