"""The season through the real rc process (docs/season.md): rc find, tags, the link back to
an earlier post, the series page and the recap, on a three-week season built once."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import dump
from tests.season import POST_1, Rc, ids, index_is_whole


def test_find_ranks_a_week_s_words_over_a_note_over_an_abstract(season: Rc):
    found = season.json("find", "mixing")
    # The theme of week 2, GaLore's note, the abstract of the heat-bath walks: a week's words
    # and your notes weigh more than an abstract.
    assert [(h["id"], h["field"]) for h in found["hits"]] == [
        ("2026-W24", "theme"),
        ("galore", "notes"),
        ("1605.08386", "abstract"),
    ]
    scores = [h["score"] for h in found["hits"]]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 3
    assert found["total"] == 3
    note = found["hits"][1]
    start, end = note["highlights"][0]
    assert note["snippet"][start:end] == "mixing"


def test_find_hits_an_abstract_a_week_s_intro_a_takeaway_a_phrase_and_a_prefix(season: Rc):
    abstract = season.json("find", "fibers")["hits"]
    assert [(h["name"], h["field"]) for h in abstract] == [("Heat-bath", "abstract")]
    intro = season.json("find", "democratization")["hits"]
    assert [(h["id"], h["field"]) for h in intro] == [("2026-W23", "intro")]
    assert intro[0]["name"] == "2026-W23: Data-efficient training"
    takeaway = season.json("find", "bottleneck")["hits"]
    assert [(h["id"], h["field"]) for h in takeaway] == [("galore", "takeaways")]
    assert ids(season.json("find", '"low-rank gradient"')) == ["galore"]  # the title, a phrase
    assert ids(season.json("find", '"gradient low-rank"')) == []  # the words, not in order
    assert ids(season.json("find", "optim*")) == ["galore"]  # "optimizer" in its note
    assert ids(season.json("find", "notes:mixing")) == ["galore"]  # a field, named


def test_find_keeps_to_a_tag_a_reading_or_a_week(season: Rc):
    assert ids(season.json("find", "mixing", "--tag", "Efficiency")) == ["galore"]
    assert ids(season.json("find", "mixing", "--read")) == ["galore", "1605.08386"]
    assert ids(season.json("find", "mixing", "--week", "2026-W24")) == ["2026-W24"]
    # A week's own tag (rc week --tag) finds the week's words.
    assert ids(season.json("find", "democratization", "--tag", "llm")) == ["2026-W23"]
    assert ids(season.json("find", "mixing", "--limit", "1")) == ["2026-W24"]


def test_find_piped_is_plain_text_with_the_snippet(season: Rc):
    result = season("find", "mixing")
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2026-W24: Mixing architectures") and "theme" in lines[0]
    assert "GaLore  galore  notes" in lines
    assert any("mixing optimizer states" in line for line in lines)


def test_a_query_fts5_cannot_read_is_one_usage_line_and_changes_nothing(season: Rc):
    before = dump(season.home)
    for query in ("phi-2", '"open', "AND", "nosuchfield:word"):
        result = season("find", query, ok=False)
        assert result.returncode == 2, query
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: rc find cannot read"), lines
        assert result.stdout == ""
    assert "double quotes" in season("find", "phi-2", ok=False).stderr
    assert season("find", '"phi-2"').returncode == 0  # quoted, it is a phrase
    assert dump(season.home) == before


def test_tags_are_listed_filtered_shown_and_go_into_the_front_matter(season: Rc):
    counts = {row["tag"]: (row["papers"], row["weeks"]) for row in season.json("tag")}
    assert counts == {"efficiency": (2, 0), "llm": (0, 1), "moe": (1, 0), "optimizers": (1, 0)}
    assert [p["id"] for p in season.json("list", "--tag", "efficiency")] == ["galore", "jetmoe"]
    shown = season.json("show", "jetmoe")
    assert shown["tags"] == ["efficiency", "moe"]
    assert "tags        efficiency, moe" in season("show", "jetmoe").stdout
    # A week's tags: its own, then its papers'.
    assert season.json("week", "2026-W23")["tags"] == ["llm", "efficiency", "moe", "optimizers"]
    head = season("export-week", "2026-W23", "--front-matter").stdout.split("---")[1]
    assert 'tags: ["llm", "efficiency", "moe", "optimizers"]' in head
    assert 'categories: ["math.CO"' in head  # the arXiv categories, apart


def test_tag_removes_and_undo_puts_back(season: Rc):
    season("tag", "galore", "--remove", "optimizers")
    assert season.json("tag", "galore")["tags"] == ["efficiency"]
    season("undo")
    assert season.json("tag", "galore")["tags"] == ["efficiency", "optimizers"]
    season("tag", "mamba", "ssm")
    season("week", "2026-W24", "--tag", "architectures")
    season("undo")
    assert "architectures" not in season.json("week", "2026-W24")["tags"]
    season("undo")
    assert season.json("tag", "mamba")["tags"] == []
    index_is_whole(season.home)


def test_a_paper_that_was_a_day_of_week_1_links_back_to_its_post_from_week_3(season: Rc):
    post = season("export-week", "2026-W25").stdout
    assert (
        "as JetMoE ([model](https://huggingface.co/jetmoe/jetmoe-8b) | "
        f"[paper](https://example.org/jetmoe); see [Sunday Papers #1]({POST_1})) picks its data."
    ) in post
    # LoRA waits in the backlog: its links, no post to link back to.
    assert "Back to LoRA ([paper](https://example.org/lora)) next time." in post
    shown = season("show", "jetmoe").stdout
    assert "post        Sunday Papers #1: Data-efficient training (2026-W23)" in shown
    assert f"post link     {POST_1}" in shown
    assert season.json("show", "mamba")["post"] == {
        "week": "2026-W24",
        "number": 2,
        "title": "Sunday Papers #2: Mixing architectures",
        "url": None,
    }
    season("week", "2026-W23", "--url", "")  # not published after all
    assert "see [Sunday Papers" not in season("export-week", "2026-W25").stdout


def test_the_back_link_is_worded_by_a_template_beside_the_post_s(season: Rc, tmp_path: Path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "post.md.j2").write_text("{{ days[1].papers[0].description }}\n")
    (folder / "backlink.md.j2").write_text("as told in [post {{ number }}]({{ url }})\n")
    post = season("export-week", "2026-W25", "--template", str(folder / "post.md.j2")).stdout
    assert f"[paper](https://example.org/jetmoe); as told in [post 1]({POST_1}))" in post


def test_the_series_page_lists_all_three_weeks_and_the_backlog_they_mention(season: Rc):
    page = season("export-index").stdout
    headings = re.findall(r"^## (.+)$", page, re.MULTILINE)
    assert headings == [
        "Sunday Papers #3: Tokens and qubits",
        "Sunday Papers #2: Mixing architectures",
        f"[Sunday Papers #1: Data-efficient training]({POST_1})",
        "Mentioned, waiting for a day of their own",
    ]
    assert "- Tuesday: JetMoE ([model](https://huggingface.co/jetmoe/jetmoe-8b) | " in page
    assert "- LoRA ([paper](https://example.org/lora)), in #1, #2, #3" in page
    index = season.json("export-index")
    assert index["counts"] == {"weeks": 3, "published": 1, "papers": 7, "read": 6, "mentioned": 1}
    html = season("export-index", "--format", "html").stdout
    assert html.count("<h2>") == 4 and f'<a href="{POST_1}">' in html


def test_the_recap_counts_match_the_calendar_and_say_so_far(season: Rc, tmp_path: Path):
    calendar = season.json("calendar")
    states = Counter(
        day["state"] for week in calendar["weeks"] for day in week if day["state"] != "outside"
    )
    recap = season.json("recap")
    assert recap["days"] == {
        "total": sum(states.values()),
        "read": states["read"],
        "skipped": states["skipped"],
        "missed": states["missed"],
        "planned": states["planned"],
        "future": states["future"],
    }
    assert (recap["days"]["read"], recap["days"]["skipped"], recap["days"]["missed"]) == (6, 1, 14)
    assert recap["papers_read"] == calendar["read"] == 6
    assert recap["target"] == calendar["target"]
    assert recap["longest_streak"] == 3 and recap["so_far"]
    assert recap["kinds"] == {"paper": 6}
    assert [m["id"] for m in recap["most_referenced"]][:2] == ["lora", "jetmoe"]
    text = season("recap", "-o", str(tmp_path / "recap.md"), "--calendar",
                  str(tmp_path / "calendar.svg")).stderr  # fmt: skip
    assert "wrote" in text
    markdown = (tmp_path / "recap.md").read_text()
    assert "# Sunday Papers: the season so far" in markdown
    assert "- 6 of 21 days read so far" in markdown and "1 skipped, 14 missed" in markdown
    assert "![Every day of the challenge: read, skipped, missed](calendar.svg)" in markdown
    assert (tmp_path / "calendar.svg").read_text().startswith("<svg")
    # The author's words, before and after, and for week 2, whose papers have no takeaways.
    assert markdown.count("> TODO:") == 3
    assert "*8–14 June*\n\n> TODO: what this week taught you" in markdown
    assert "- **GaLore**: Memory is the bottleneck, not compute." in markdown
    after = season("recap", RC_TODAY="2026-08-03", RC_NOW="2026-08-03T09:00").stdout
    assert "so far" not in after and "> TODO: the calendar picture" in after


def test_the_season_commands_refuse_bad_input_in_one_line(season: Rc, tmp_path: Path):
    before = dump(season.home)
    for args in (
        ["tag", "galore", "bad tag"],
        ["tag", "galore", "-x"],
        ["tag", "--remove"],
        ["week", "2026-W23", "--url", "javascript:alert(1)"],
        ["week", "2026-W23", "--tag", "a,b"],
        ["find", "mixing", "--limit", "0"],
        ["find", "mixing", "--tag", "no tag"],
        ["list", "--tag", "a b"],
        ["export-index", "--format", "pdf"],
        ["recap", "--format", "pdf"],
        ["publish", str(tmp_path / "site"), "--layout", "wordpress"],
    ):
        result = season(*args, ok=False)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("error: "), (args, result.stderr)
        assert result.stderr.splitlines()[0].startswith("error: ")
    assert dump(season.home) == before
    assert not (tmp_path / "site").exists()
    missing = season("tag", "nobody", "x", ok=False)
    assert missing.returncode == 1 and missing.stderr.startswith("error: no paper 'nobody'")
    assert dump(season.home) == before


def test_completion_offers_the_tags_and_the_weeks(season: Rc):
    def complete(words: str) -> list[str]:
        cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
        env = {"_RC_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
        return season(**env).stdout.split()

    assert complete("rc tag galore ") == ["efficiency", "llm", "moe", "optimizers"]
    assert complete("rc list --tag o") == ["optimizers"]
    weeks = complete("rc find --week ")
    assert weeks[:3] == ["this", "next", "last"] and "2026-W23" in weeks and "2026-W25" in weeks
    assert complete("rc week 2026-W2")[:1] == ["2026-W25"]


def test_a_tag_has_one_spelling_however_it_was_typed_and_a_long_one_is_said_too_long():
    from readchallenge.core.tags import normalise_tag

    assert normalise_tag("e\u0301migre\u0301") == normalise_tag("émigré") == "émigré"
    assert normalise_tag("\ufb01x") == normalise_tag("FIX") == "fix"  # the ligature fi
    with pytest.raises(ValueError, match="too long for a tag: at most 40"):
        normalise_tag("a" * 41)
