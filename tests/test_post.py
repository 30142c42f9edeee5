"""The post as the blogger writes it: references, link order, sign-off, number, HTML, check."""

from __future__ import annotations

import os
import sys

import pytest


def ok(result) -> None:
    assert result.exit_code == 0, result.output


@pytest.fixture
def two_weeks(run) -> None:
    """Items on Monday 8 and Monday 15 June, and one in the backlog (RC_TODAY 2026-06-10)."""
    ok(run("init", "--start", "2026-06-01"))
    for slug, day, extra in (
        ("a", "2026-06-08", ["--model", "https://huggingface.co/org/a"]),
        ("b", "2026-06-15", ["--code", "https://github.com/org/b"]),
    ):
        ok(run("add", "--url", f"https://example.org/{slug}", "--title", slug.upper(),
               "--kind", "paper", "--on", day, *extra))  # fmt: skip
    ok(run("add", "--url", "https://example.org/c", "--title", "C", "--as", "Cee", "--backlog"))


def test_references_expand_to_name_and_links_and_unknown_ones_are_reported(run, two_weeks):
    ok(run("note", "a", "--description", "Builds on [[Cee]] and on [[Nobody]]."))
    post = run("export-week", "2026-W24").stdout
    assert "Builds on Cee ([blog](https://example.org/c)) and on [[Nobody]]." in post
    check = run("export-week", "2026-W24", "--check")
    assert check.exit_code == 1
    assert "unresolved reference [[Nobody]]" in check.stdout


def test_link_order_changes_the_heading(run, two_weeks):
    ok(run("link", "a", "--order", "paper,model"))
    post = run("export-week", "2026-W24").stdout
    assert (
        "## Monday: A ([paper](https://example.org/a) | [model](https://huggingface.co/org/a))"
        in post
    )
    ok(run("link", "a", "--order", ""))  # back to model | paper | code | blog
    assert "## Monday: A ([model](" in run("export-week", "2026-W24").stdout


@pytest.mark.parametrize("order", ["code,nonsense", "paper,paper", "other"])
def test_a_bad_link_order_is_a_usage_error(run, two_weeks, order):
    result = run("link", "a", "--order", order)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --order must be link kinds")


def test_signoff_from_the_config_and_overridden_for_a_week(run, two_weeks, rc_home):
    (rc_home / "config.toml").write_text('post_signoff = "Thanks for reading."\n')
    assert run("export-week", "2026-W24").stdout.endswith("Thanks for reading.\n")
    ok(run("week", "2026-W24", "--signoff", "See you *next* Sunday."))
    assert run("export-week", "2026-W24").stdout.endswith("See you *next* Sunday.\n")
    assert run("export-week", "2026-W25").stdout.endswith("Thanks for reading.\n")


def test_the_series_number_and_dates_reach_the_template(run, two_weeks, tmp_path):
    template = tmp_path / "title.md.j2"
    template.write_text("Sunday Papers #{{ number }} — {{ dates }}\n")
    assert run("export-week", "2026-W24", "--template", str(template)).stdout == (
        "Sunday Papers #1 — 8–14 June\n"
    )
    assert run("export-week", "2026-W25", "--template", str(template)).stdout == (
        "Sunday Papers #2 — 15–21 June\n"
    )


def test_the_series_number_follows_every_change_to_the_plan(run, two_weeks, tmp_path):
    # The count is kept between runs; a change to the plan must make it count again.
    template = tmp_path / "number.md.j2"
    template.write_text("#{{ number }}\n")
    post = ["export-week", "2026-W25", "--template", str(template)]
    assert run(*post).stdout == "#2\n"
    assert run(*post).stdout == "#2\n"
    ok(run("plan", "move", "Cee", "2026-06-01"))
    assert run(*post).stdout == "#3\n"
    ok(run("plan", "clear", "2026-06-01"))
    assert run(*post).stdout == "#2\n"
    assert run("export-week", "2026-W24", "--template", str(template)).stdout == "#1\n"


def test_the_detailed_template_is_built_in_and_the_default_is_configurable(run, two_weeks, rc_home):
    detailed = run("export-week", "2026-W24", "--template", "detailed").stdout
    assert detailed.startswith("# Sunday Papers #1")
    (rc_home / "config.toml").write_text('post_template = "detailed"\n')
    assert run("export-week", "2026-W24").stdout == detailed


def test_html_keeps_links_headings_and_lists_and_lets_nothing_run(run, two_weeks):
    ok(
        run(
            "note", "a", "--description",
            "Read **this**.\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1))",
            "--takeaway", "one",
        )
    )  # fmt: skip
    html = run("export-week", "2026-W24", "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>")
    assert '<h2>Monday: A (<a href="https://huggingface.co/org/a">model</a>' in html
    assert "<strong>this</strong>" in html and "<li>one</li>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript:' not in html


def test_open_writes_the_html_and_hands_it_to_the_browser(run, two_weeks, tmp_path, rc_home):
    import subprocess

    seen = tmp_path / "opened"
    browser = tmp_path / "browser"
    browser.write_text(
        f"#!{sys.executable}\nimport sys\nopen({str(seen)!r}, 'w').write(sys.argv[1])\n"
    )
    browser.chmod(0o755)
    env = {**os.environ, "BROWSER": str(browser)}
    result = subprocess.run(
        [sys.executable, "-m", "readchallenge", "export-week", "2026-W24", "--open"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    url = seen.read_text()
    assert url.startswith("file://")
    path = url.removeprefix("file://")
    assert os.path.exists(path) and "<h2>Monday: A" in open(path, encoding="utf-8").read()


def test_check_reports_todo_markers_and_papers_without_links(run, two_weeks):
    ok(run("add", "--url", "https://example.org/d", "--title", "D", "--kind", "paper",
           "--on", "2026-06-09"))  # fmt: skip
    ok(run("note", "d", "--description", "TODO finish this"))
    result = run("export-week", "2026-W24", "--check")
    assert result.exit_code == 1
    assert "Tuesday D: the description still has a TODO" in result.stdout
    assert "Tuesday D: no link besides the paper (model, code or blog)" in result.stdout
    assert "Monday A: no link" not in result.stdout


def test_an_empty_week_warns_and_check_says_it_has_no_papers(run):
    result = run("export-week", "2026-W30")
    ok(result)
    assert "warning: week 2026-W30 has no papers" in result.stderr
    assert "week 2026-W30 has no papers" in run("export-week", "2026-W30", "--check").stdout
