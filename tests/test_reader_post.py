"""The week's post as its readers see it, through the real rc process: the series number,
the links it carries, cross-references, and a layout every Markdown renderer reads alike."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from tests.hostile import HostileArxiv
from tests.reader import Rc, item, rc_fixture  # noqa: F401  (the fixture rc)


def number_of(rc: Rc, week: str) -> int:
    post = rc("export-week", week, "--front-matter").stdout
    found = re.search(r"^number: (\d+)$", post, re.MULTILINE)
    assert found, post
    return int(found[1])


# 1. The series number ---------------------------------------------------------------------


def test_the_series_number_counts_monday_to_sunday_weeks_across_every_boundary(rc: Rc):
    # Two full weeks of papers (W23, W24), a week without (W25), then weeks whose only
    # papers sit on Sunday (W26), Monday (W27), and Thursday and Friday (W28). Counting weeks
    # from any day but a Monday splits the full weeks into three, joins the Sunday to the
    # Monday, or splits the Thursday from the Friday, and numbers some week wrongly.
    rc("init", "--start", "2026-06-01")
    days = [date(2026, 6, 1) + timedelta(days=n) for n in range(14)]
    days += [date(2026, 6, 28), date(2026, 6, 29), date(2026, 7, 9), date(2026, 7, 10)]
    for number, day in enumerate(days):
        item(rc, f"p{number}", "--on", day.isoformat())
    numbers = {week: number_of(rc, week) for week in ("2026-W23", "2026-W24", "2026-W26")}
    numbers |= {week: number_of(rc, week) for week in ("2026-W27", "2026-W28", "2026-W29")}
    assert numbers == {
        "2026-W23": 1,
        "2026-W24": 2,
        "2026-W26": 3,
        "2026-W27": 4,
        "2026-W28": 5,
        "2026-W29": 6,  # the next week with papers will be the sixth post
    }
    # Every week that starts on a weekday boundary: the week of each day counts the same.
    for day in days[:7]:
        assert number_of(rc, day.isoformat()) == 1
    assert rc("export-week", "2026-W24", "--template", "detailed").stdout.startswith(
        "# Sunday Papers #2"
    )
    html = rc("export-week", "2026-W28", "--format", "html").stdout
    assert "<title>Sunday Papers #5</title>" in html


# 2. Links that exist ----------------------------------------------------------------------


@pytest.fixture
def arxiv() -> Iterator[HostileArxiv]:
    """A loopback arXiv answering any id with a recorded entry at version 1."""
    server = HostileArxiv()
    yield server
    server.close()


def test_a_version_arxiv_does_not_have_is_warned_about_and_never_linked(rc: Rc, arxiv):
    added = rc("add", "2402.19427v9", "--as", "Griffin", RC_ARXIV_API_URL=arxiv.url)
    assert "warning: 2402.19427: arXiv has no v9, its latest is v1" in added.stderr
    post = rc("export-week", "2026-W24").stdout
    assert "[paper](https://arxiv.org/abs/2402.19427)" in post
    assert "2402.19427v" not in post


def test_the_post_links_the_abstract_page_unless_a_version_is_pinned(rc: Rc, arxiv):
    added = rc("add", "2306.11644v1", "--as", "Phi-1", RC_ARXIV_API_URL=arxiv.url)
    assert "warning" not in added.stderr  # v1 exists: nothing to say
    assert "[paper](https://arxiv.org/abs/2306.11644))" in rc("export-week").stdout
    rc("link", "Phi-1", "paper", "https://arxiv.org/abs/2306.11644v1")
    assert "[paper](https://arxiv.org/abs/2306.11644v1))" in rc("export-week").stdout


# 3. Cross-references ----------------------------------------------------------------------


@pytest.fixture
def week_of_phi(rc: Rc) -> None:
    """Phi-1 on Monday 8 June, Phi-2 on Tuesday, LoRA and QLoRA in the backlog."""
    rc("init", "--start", "2026-06-01")
    item(rc, "phi-1", "--as", "Phi-1", "--on", "2026-06-08", "--model", "https://hf.co/phi-1")
    item(rc, "phi-2", "--as", "Phi-2", "--on", "2026-06-09")
    item(rc, "lora", "--as", "LoRA", "--backlog", "--code", "https://github.com/lora")
    item(rc, "qlora", "--as", "QLoRA", "--backlog")


LORA = "LoRA ([paper](https://example.org/lora) | [code](https://github.com/lora))"


def test_a_paper_is_linked_at_its_first_mention_only(rc: Rc, week_of_phi):
    rc("week", "2026-W24", "--intro", "This week builds on [[LoRA]].")
    rc("note", "Phi-1", "--description", "Unlike [[lora]], and unlike [[LoRA|low-rank adapters]].")
    rc("note", "Phi-2", "--description", "Grows [[Phi-1]]; see [[Phi-1|the first one]].")
    rc("note", "Phi-2", "--takeaway", "[[QLoRA|Quantised adapters]] come next.")
    rc("note", "Phi-2", "--takeaway", "[[QLoRA]] again.")
    post = rc("export-week", "2026-W24").stdout
    assert "This week builds on " + LORA + "." in post
    assert "Unlike LoRA, and unlike low-rank adapters." in post  # later mentions: name alone
    # Phi-1 has its own day in this post: its heading carries the links, mentions do not.
    assert "Grows Phi-1; see the first one." in post
    assert "- Quantised adapters ([paper](https://example.org/qlora)) come next." in post
    assert "- QLoRA again." in post
    assert post.count("https://github.com/lora") == 1


def test_a_rename_keeps_every_reference_and_says_how_many(rc: Rc, week_of_phi):
    rc("note", "Phi-2", "--description", "After [[Phi-1]] and [[phi-1|its data]].")
    rc("note", "Phi-2", "--takeaway", "Like [[Phi-1]].")
    rc("week", "2026-W24", "--conclusion", "[[Phi-1]] started it.")
    renamed = rc("edit", "Phi-1", "--as", "phi-1 (Microsoft)")
    assert "rewrote 4 references to [[phi-1 (Microsoft)]]" in renamed.stderr
    post = rc("export-week", "2026-W24")
    assert "[[" not in post.stdout and "warning" not in post.stderr
    assert "After phi-1 (Microsoft) and its data." in post.stdout
    assert "phi-1 (Microsoft) started it." in post.stdout
    # A name that cannot stand in a reference: the references name the paper by its id.
    renamed = rc("edit", "phi-1 (Microsoft)", "--as", "Phi|1")
    assert "rewrote 4 references to [[phi-1]]" in renamed.stderr
    assert "[[" not in rc("export-week", "2026-W24").stdout
    assert rc("export-week", "2026-W24", "--check", ok=False).stdout.count("unresolved") == 0


def test_a_reference_to_no_paper_is_warned_about_at_export(rc: Rc, week_of_phi):
    rc("note", "Phi-1", "--description", "See [[QLoRA]] and [[Nobody]] and [[Nobody|them]].")
    result = rc("export-week", "2026-W24")
    assert "[[Nobody]]" in result.stdout and "[[Nobody|them]]" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: [[Nobody]] names no stored paper; it is written as it is"]


def test_renaming_through_rc_add_as_keeps_references_too(rc: Rc, arxiv):
    rc("add", "2306.11644", "--as", "Phi-1", RC_ARXIV_API_URL=arxiv.url)
    item(rc, "phi-2", "--as", "Phi-2", "--backlog")
    rc("note", "Phi-2", "--description", "After [[Phi-1]].")
    renamed = rc("add", "2306.11644", "--as", "Phi-One", RC_ARXIV_API_URL=arxiv.url)
    assert "rewrote 1 reference to [[Phi-One]]" in renamed.stderr
    assert "After [[Phi-One]]." in rc("show", "Phi-2").stdout


# 4. A layout every renderer reads alike ---------------------------------------------------


def test_a_description_ending_in_a_list_and_the_takeaways_stay_two_lists(rc: Rc, week_of_phi):
    from markdown_it import MarkdownIt

    rc("note", "Phi-1", "--description", "What it does:\n\n- small\n- synthetic data")
    rc("note", "Phi-1", "--takeaway", "Data quality beats size.")
    rc("note", "Phi-2", "--description", "A paragraph.", "--takeaway", "One list.")
    for template in ("sunday", "detailed"):
        post = rc("export-week", "2026-W24", "--template", template).stdout
        html = MarkdownIt("commonmark").render(post)
        assert html.count("<ul>") == 3, (template, post)
    sunday = rc("export-week", "2026-W24").stdout
    # Only where a list would join the one before it does a line stand between them.
    assert "- synthetic data\n\nKey takeaways:\n\n- Data quality beats size.\n" in sunday
    assert "A paragraph.\n\n- One list.\n" in sunday


def test_a_todo_is_followed_by_a_blank_line(rc: Rc, week_of_phi):
    for template in ("sunday", "detailed"):
        lines = rc("export-week", "2026-W24", "--template", template).stdout.splitlines()
        todos = [n for n, line in enumerate(lines) if line.startswith("> ")]
        assert len(todos) >= 5
        for n in todos:
            assert n + 1 == len(lines) or lines[n + 1] in ("", ">") or lines[n + 1][0] == ">"


@pytest.mark.parametrize(
    ("teaser", "expected"),
    [
        ("Next week: state-space models.", "\nNext week: state-space models.\n"),
        ("next week we read RNNs.", "\nnext week we read RNNs.\n"),
        ("State-space models.", "\n**Next week:** State-space models.\n"),
    ],
)
def test_the_detailed_teaser_never_says_next_week_twice(rc: Rc, week_of_phi, teaser, expected):
    rc("week", "2026-W24", "--next", teaser)
    post = rc("export-week", "2026-W24", "--template", "detailed").stdout
    assert expected in post
    assert post.lower().count("next week") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a\n- b", True),
        ("Text.\n\n1. a\n2. b\n", True),
        ("- a\n\n  more of a", True),
        ("- a\nlazy line of a", True),
        ("- a\n\nA paragraph after.", False),
        ("Plain text.", False),
        ("", False),
        (None, False),
        ("-not a list", False),
    ],
)
def test_ends_with_list(text, expected):
    from readchallenge.core.markdown import ends_with_list

    assert ends_with_list(text) is expected
