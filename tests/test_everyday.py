"""A tool you can live with: forgiving commands, dates as people say them, a today that knows
the week. RC_TODAY is Wednesday 2026-06-10 unless a test says otherwise."""

from __future__ import annotations

import json
from datetime import date

import pytest

from readchallenge.core.dates import parse_day


def ok(result) -> None:
    assert result.exit_code == 0, result.output


def today_json(run) -> dict:
    result = run("today", "--json")
    ok(result)
    return json.loads(result.stdout)


WEDNESDAY, SATURDAY = date(2026, 6, 10), date(2026, 6, 13)


@pytest.mark.parametrize(
    ("words", "today", "day"),
    [
        ("next monday", WEDNESDAY, date(2026, 6, 15)),
        ("next saturday", SATURDAY, date(2026, 6, 20)),  # 7 days on, said on a Saturday
        ("this sunday", WEDNESDAY, date(2026, 6, 14)),
        ("this monday", WEDNESDAY, date(2026, 6, 8)),
        ("in 3 days", WEDNESDAY, date(2026, 6, 13)),
        ("in 1 day", WEDNESDAY, date(2026, 6, 11)),
        ("+3", WEDNESDAY, date(2026, 6, 13)),
        ("-1", WEDNESDAY, date(2026, 6, 9)),
        ("monday", WEDNESDAY, date(2026, 6, 15)),  # on or after today, as before
        ("wednesday", WEDNESDAY, WEDNESDAY),
    ],
)
def test_days_as_people_say_them(words, today, day):
    assert parse_day(words, today) == day


def test_day_words_reach_the_commands(run):
    ok(run("init", "--start", "2026-06-01"))
    ok(run("add", "--url", "https://example.org/a", "--title", "A", "--on", "next monday"))
    assert json.loads(run("show", "a", "--json").stdout)["planned_on"] == "2026-06-15"
    ok(run("read", "a", "--on", "-1"))
    assert json.loads(run("show", "a", "--json").stdout)["read_on"] == ["2026-06-09"]


@pytest.mark.parametrize(
    ("today", "week"),
    [("2026-06-10", "2026-W24"), ("2026-06-12", "2026-W24"), ("2026-06-13", "2026-W25"),
     ("2026-06-14", "2026-W25"), ("2026-06-15", "2026-W25")],
)  # fmt: skip
def test_the_weekend_plans_the_coming_week(run, monkeypatch, today, week):
    monkeypatch.setenv("RC_TODAY", today)
    assert json.loads(run("plan", "--json").stdout)["week"] == week
    assert json.loads(run("week", "--json").stdout)["week"] == week
    assert f"week {week}" in run("export-week").stderr  # the empty week's warning names it


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["read", "a", "--on", "2027-12-01"], "rc init --until 2027-12-01"),
        (["skip", "--on", "2026-05-01"], "rc init --start 2026-05-01"),
    ],
)
def test_days_outside_the_challenge_are_refused_with_the_command_that_widens_it(run, args, what):
    ok(run("init", "--start", "2026-06-01", "--until", "2026-07-31"))
    ok(run("add", "--url", "https://example.org/a", "--title", "A", "--backlog"))
    result = run(*args)
    assert result.exit_code == 2
    assert what in result.stderr and len(result.stderr.strip().splitlines()) == 1
    status = today_json(run)
    assert not status["read_today"] and not status["skipped_today"]


def test_plan_fill_never_plans_past_the_end(run, monkeypatch):
    ok(run("init", "--start", "2026-06-01", "--until", "2026-06-11"))
    for slug in ("a", "b", "c"):
        ok(run("add", "--url", f"https://example.org/{slug}", "--title", slug, "--backlog"))
    result = run("plan", "fill")
    assert result.exit_code == 2
    assert "rc init --until 2026-06-12" in result.stderr
    assert json.loads(run("show", "a", "--json").stdout)["planned_on"] is None  # all or nothing


def test_unread_with_several_readings_asks_which(run):
    ok(run("init", "--start", "2026-06-01"))
    ok(run("add", "--url", "https://example.org/a", "--title", "A", "--backlog"))
    ok(run("read", "a", "--on", "2026-06-08"))
    ok(run("read", "a", "--on", "2026-06-09"))
    result = run("unread", "a")
    assert result.exit_code == 2
    assert "2026-06-08, 2026-06-09" in result.stderr and "--all" in result.stderr
    ok(run("unread", "a", "--on", "2026-06-09"))
    ok(run("read", "a", "--on", "2026-06-09"))
    ok(run("unread", "a", "--all"))
    assert json.loads(run("show", "a", "--json").stdout)["read_on"] == []


def test_did_you_mean(run):
    ok(run("add", "--url", "https://example.org/m", "--title", "Mamba paper", "--as", "Mamba"))
    result = run("note", "Mambaa", "--description", "x")
    assert result.exit_code == 1
    assert result.stderr == "error: no paper 'Mambaa'; did you mean 'Mamba'?\n"


def test_a_bad_link_url_names_the_argument(run):
    ok(run("add", "--url", "https://example.org/a", "--title", "A"))
    result = run("link", "a", "code", "not-a-url")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: URL must be an http(s) URL")


def test_a_url_item_keeps_every_link_option(run):
    model = "https://huggingface.co/microsoft/phi-2"
    ok(run("add", "--url", "https://example.org/phi-2", "--title", "Phi-2", "--kind", "blog",
           "--model", model, "--code", "https://c.org/x"))  # fmt: skip
    links = json.loads(run("show", "phi-2", "--json").stdout)["links"]
    assert links == {
        "model": "https://huggingface.co/microsoft/phi-2",
        "code": "https://c.org/x",
        "blog": "https://example.org/phi-2",
    }


def test_today_shows_a_skipped_day_as_skipped(run):
    ok(run("add", "--url", "https://example.org/a", "--title", "A"))
    ok(run("skip", "--reason", "travel"))
    out = run("today").stdout
    assert "– skipped  A" in out and "to read" not in out


def test_today_points_at_yesterdays_unread_paper(run):
    ok(run("init", "--start", "2026-06-01"))
    ok(run("add", "--url", "https://example.org/r", "--title", "RetNet", "--on", "yesterday"))
    out = " ".join(run("today").stdout.split())
    assert "yesterday's RetNet is unread — rc read retnet --on yesterday" in out
    assert today_json(run)["yesterday_unread"][0]["id"] == "retnet"


def test_on_the_weekend_today_says_how_ready_next_week_is(run, monkeypatch):
    monkeypatch.setenv("RC_TODAY", "2026-06-13")
    ok(run("init", "--start", "2026-06-01"))
    for n, day in enumerate(("2026-06-15", "2026-06-16")):
        ok(run("add", "--url", f"https://example.org/{n}", "--title", f"P{n}", "--on", day))
    ok(run("note", "p0", "--description", "done"))
    assert "next week: 2 of 7 planned, 1 note missing — rc export-week --check" in (
        run("today").stdout
    )
    assert today_json(run)["next_week"] == {
        "week": "2026-W25", "planned": 2, "slots": 7, "notes_missing": 1,
    }  # fmt: skip


def test_before_the_start_and_after_the_end(run, monkeypatch):
    ok(run("init", "--start", "2026-06-15", "--until", "2026-06-20"))
    assert "the challenge starts in 5 days" in run("today").stdout
    assert today_json(run)["starts_in"] == 5
    ok(run("add", "--url", "https://example.org/a", "--title", "A", "--on", "2026-06-15"))
    ok(run("week", "2026-W25", "--theme", "Small models"))
    monkeypatch.setenv("RC_TODAY", "2026-06-15")
    ok(run("read", "a"))
    monkeypatch.setenv("RC_TODAY", "2026-06-25")
    out = " ".join(run("today").stdout.split())
    assert "The challenge is over: read 1 of 6, longest streak 1 day." in out
    assert "Small models: 1 paper" in out
    assert "rc init --start 2026-06-21" in out
    assert today_json(run)["summary"]["by_theme"] == {"Small models": 1}


def test_counts_agree_with_their_numbers(run):
    ok(run("init", "--start", "2026-06-10", "--until", "2026-06-11"))
    out = run("today").stdout
    assert "streak 0 days" in out and "2 days left, 2 papers to go" in out


def test_info_does_not_create_the_store(run, rc_home):
    ok(run("info"))
    assert not (rc_home / "rc.db").exists()


def test_calendar_svg_writes_no_ansi_anywhere(run, tmp_path):
    ok(run("init"))
    target = tmp_path / "cal.svg"
    result = run("calendar", "--svg", str(target))
    ok(result)
    assert "\x1b" not in result.stdout and "\x1b" not in target.read_text()
    assert target.read_text().startswith("<svg")


def test_links_in_a_pipe_are_whole_urls_on_one_line(run):
    long = "https://www.example.org/research/blog/" + "a-very-long-path-segment-" * 4 + "end/"
    ok(run("add", "--url", long, "--title", "Long", "--kind", "blog"))
    lines = run("today").stdout.splitlines()
    assert any(line.strip() == f"blog: {long}" for line in lines)


def test_edit_fixes_a_name_and_an_items_metadata(run, arxiv_api):
    ok(run("add", "1605.08386"))
    ok(run("edit", "1605.08386", "--as", "Walks"))
    assert json.loads(run("show", "walks", "--json").stdout)["name"] == "Walks"
    refused = run("edit", "walks", "--title", "Mine")
    assert refused.exit_code == 2 and "come from arXiv" in refused.stderr
    ok(run("add", "--url", "https://example.org/p", "--title", "Phi 2", "--kind", "blog"))
    result = run("edit", "phi-2", "--title", "Phi-2", "--authors", "A, B", "--kind", "model")
    ok(result)
    assert "changed title, authors, kind" in result.stderr
    shown = json.loads(run("show", "phi-2", "--json").stdout)
    assert (shown["title"], shown["authors"], shown["kind"]) == ("Phi-2", ["A", "B"], "model")
    ok(run("edit", "walks", "--as", ""))
    assert json.loads(run("show", "1605.08386", "--json").stdout)["name"] is None


def test_rm_says_what_goes_needs_yes_without_a_terminal_and_keeps_a_backup(run, rc_home):
    ok(run("init", "--start", "2026-06-01"))
    ok(run("add", "--url", "https://example.org/a", "--title", "A", "--on", "2026-06-09"))
    ok(run("read", "a", "--on", "2026-06-09"))
    ok(run("note", "a", "--description", "mine"))
    asked = run("rm", "a")
    assert asked.exit_code == 2 and "--yes" in asked.stderr
    assert "will remove a (A): planned on 2026-06-09, 1 reading (2026-06-09), its note" in (
        asked.stderr
    )
    assert "the streak would go from 1 to 0" in asked.stderr
    assert json.loads(run("show", "a", "--json").stdout)["id"] == "a"  # nothing removed yet
    done = run("rm", "a", "--yes")
    ok(done)
    backups = list((rc_home / "backups").iterdir())
    assert len(backups) == 1 and str(backups[0]) in done.stderr
    gone = run("show", "a")
    assert gone.exit_code == 1 and gone.stderr.startswith("error: no paper 'a'")
    assert today_json(run)["streak"]["current"] == 0


def test_open_hands_the_link_to_the_browser_or_prints_it(run, arxiv_api, monkeypatch):
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    ok(run("add", "1605.08386v1", "--code", "https://github.com/x/y"))
    ok(run("open", "1605.08386"))
    ok(run("open", "1605.08386", "pdf"))
    ok(run("open", "1605.08386", "code"))
    assert opened == [
        "https://arxiv.org/abs/1605.08386",  # the abstract page; the PDF of the asked version
        "https://arxiv.org/pdf/1605.08386v1",
        "https://github.com/x/y",
    ]
    missing = run("open", "1605.08386", "model")
    assert missing.exit_code == 2 and "has no model link" in missing.stderr
    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    assert run("open", "1605.08386", "code").stdout == "https://github.com/x/y\n"


def test_list_filters_and_says_what_matched_nothing(run):
    ok(run("init", "--start", "2026-06-01"))
    ok(run("add", "--url", "https://example.org/a", "--title", "A", "--on", "2026-06-09"))
    ok(run("add", "--url", "https://example.org/b", "--title", "B", "--kind", "paper",
           "--backlog"))  # fmt: skip
    ok(run("read", "a", "--on", "2026-06-09"))

    def ids(*args: str) -> list[str]:
        return [p["id"] for p in json.loads(run("list", *args, "--json").stdout)]

    assert ids("--read") == ["a"] and ids("--unread") == ["b"]
    assert ids("--backlog") == ["b"] and ids("--planned") == ["a"]
    assert ids("--kind", "paper") == ["b"] and ids("--week", "this") == ["a"]
    assert run("list", "--unread", "--kind", "blog").stdout == "no papers match: blog, unread\n"
    both = run("list", "--read", "--unread")
    assert both.exit_code == 2
    assert both.stderr == "error: --read and --unread do not go together\n"


@pytest.mark.parametrize(
    ("args", "first", "usage"),
    [
        (["list", "--bogus"], "error: No such option: --bogus", "Usage: rc list [OPTIONS]"),
        (["list", "--limit", "x"], "error: Invalid value for '--limit'",
         "Usage: rc list [OPTIONS]"),
        (["plan", "move"], "error: Missing argument 'PAPER'.",
         "Usage: rc plan move [OPTIONS] PAPER DAY..."),
        (["frobnicate"], "error: No such command 'frobnicate'.", "Usage: rc [COMMAND] [ARGS]..."),
    ],
)  # fmt: skip
def test_usage_errors_are_an_error_line_and_the_usage_line(run, args, first, usage):
    result = run(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(first) and lines[1] == usage
    assert "╭" not in result.stderr  # no panel


def test_config_lists_sets_and_unsets_keeping_comments(run, rc_home):
    rc_home.mkdir()
    (rc_home / "config.toml").write_text("# my settings\narxiv_timeout = 20  # slow line\n")
    listed = run("config")
    ok(listed)
    assert "arxiv_timeout = 20.0  (config file)" in listed.stdout
    assert "arxiv_retries = 4  (default)" in listed.stdout
    ok(run("config", "post_signoff", "Thanks for reading."))
    ok(run("config", "links_lookup", "false"))
    text = (rc_home / "config.toml").read_text()
    assert text.startswith("# my settings\narxiv_timeout = 20  # slow line\n")
    assert 'post_signoff = "Thanks for reading."' in text and "links_lookup = false" in text
    assert json.loads(run("config", "links_lookup", "--json").stdout)[0]["value"] is False
    ok(run("config", "--unset", "arxiv_timeout"))
    assert "arxiv_timeout" not in (rc_home / "config.toml").read_text()
    assert "# my settings" in (rc_home / "config.toml").read_text()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["config", "colour", "blue"], "no setting 'colour'"),
        (["config", "arxiv_retries", "many"], "arxiv_retries = 'many' must be a whole number"),
        (["config", "today", "2026-01-01"], "today is set with RC_TODAY only"),
    ],
)
def test_config_refuses_unknown_keys_and_bad_values(run, rc_home, args, says):
    result = run(*args)
    assert result.exit_code == 2
    assert says in result.stderr
    assert not (rc_home / "config.toml").exists()


@pytest.mark.parametrize(
    ("shell", "words", "expect"),
    [
        ("bash", {"COMP_WORDS": "rc note Mam", "COMP_CWORD": "2"}, "Mamba"),
        ("bash", {"COMP_WORDS": "rc plan mo", "COMP_CWORD": "2"}, "move"),
        ("bash", {"COMP_WORDS": "rc read --on nex", "COMP_CWORD": "3"}, "next\\ monday"),
        ("zsh", {"_TYPER_COMPLETE_ARGS": "rc show mam"}, "mamba"),
        ("fish", {"_TYPER_COMPLETE_ARGS": "rc export-week ne",
                  "_TYPER_COMPLETE_FISH_ACTION": "get-args"}, "next"),
    ],
)  # fmt: skip
def test_the_shell_completes_commands_papers_and_words(run, rc_home, shell, words, expect):
    import os
    import subprocess
    import sys

    ok(run("add", "--url", "https://example.org/m", "--title", "Mamba paper", "--as", "Mamba"))
    env = {**os.environ, **words, "_RC_COMPLETE": f"complete_{shell}"}
    result = subprocess.run(
        [sys.executable, "-m", "readchallenge"], env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert expect in result.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_a_script_for_the_shell(shell):
    import os
    import shlex
    import shutil
    import subprocess
    import sys

    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    # rc asks which shell runs it. The test starts that shell itself, so it does not depend on
    # the shell (if any) that started pytest; `; exit` keeps the shell as rc's parent.
    command = f"{shlex.quote(sys.executable)} -m readchallenge --show-completion; exit"
    result = subprocess.run(
        [shell, "-c", command], env=dict(os.environ), capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"_RC_COMPLETE=complete_{shell}" in result.stdout
    others = {"bash", "zsh", "fish"} - {shell}
    assert not any(f"complete_{other}" in result.stdout for other in others)


def test_adding_a_stored_paper_again_applies_and_reports_the_options(run, arxiv_api):
    ok(run("init", "--start", "2026-06-01"))
    ok(run("add", "1605.08386", "--backlog"))
    again = run(
        "add", "1605.08386", "--as", "Walks", "--model", "https://hf.co/m", "--on", "friday"
    )
    ok(again)
    assert "1605.08386: named Walks; model link set; planned on 2026-06-12" in again.stderr
    shown = json.loads(run("show", "walks", "--json").stdout)
    assert shown["links"]["model"] == "https://hf.co/m" and shown["planned_on"] == "2026-06-12"


def test_plan_and_show_print_whole_urls_in_a_pipe(run):
    long = "https://www.example.org/research/blog/" + "a-very-long-path-segment-" * 4 + "end/"
    ok(run("add", "--url", long, "--title", "Long", "--kind", "blog"))
    assert f"Wed blog: {long}" in run("plan").stdout.splitlines()
    show = [line.split() for line in run("show", "long").stdout.splitlines()]
    assert ["blog", "link", long, "(you)"] in show
