"""Notes, week words and `rc export-week`, built through the CLI."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

EXPECTED = Path(__file__).parent / "expected"

# RC_TODAY is Wednesday 2026-06-10 (conftest): the default week is 2026-W24, Mon 06-08.


def ok(result) -> None:
    assert result.exit_code == 0, result.output


@pytest.fixture
def full_week(run, arxiv_api) -> None:
    ok(run("init", "--start", "2026-06-08"))
    ok(
        run(
            "add",
            "1605.08386",
            "--as",
            "Heat-bath walks",
            "--on",
            "2026-06-08",
            "--code",
            "https://github.com/example/walks",
        )
    )
    ok(run("add", "1707.08567", "--on", "2026-06-09", "--model", "https://huggingface.co/ex/m"))
    ok(
        run(
            "add",
            "--url",
            "https://example.org/blog/phi-2",
            "--title",
            "Phi-2 in a blog",
            "--as",
            "Phi-2",
            "--kind",
            "blog",
            "--on",
            "2026-06-10",
        )
    )
    ok(
        run(
            "add",
            "--url",
            "https://example.org/rho",
            "--kind",
            "paper",
            "--on",
            "2026-06-11",
            "--title",
            r"The $\rho$-1 [preview]: *not* all_tokens matter",
        )
    )
    ok(run("add", "astro-ph/0601001", "--on", "2026-06-12"))
    ok(run("add", "quant-ph/0201082v1", "--on", "2026-06-13"))
    ok(run("add", "2104.12255", "--on", "2026-06-14", "--as", "Zero"))
    ok(
        run(
            "note",
            "1605.08386",
            "--description",
            "Random walks on lattice points, mixed fast.",
            "--takeaway",
            "Markov bases give the moves.",
            "--takeaway",
            "Heat-bath beats [naive].",
        )
    )
    ok(run("note", "phi-2", "--description", "A bigger sibling, trained on *curated* data."))
    ok(
        run(
            "week",
            "--theme",
            "Walks & workshops",
            "--intro",
            "Seven reads, one week.",
            "--conclusion",
            "Good week.",
            "--next",
            "state space models.",
        )
    )


def test_full_week_matches_expected_markdown(run, full_week):
    result = run("export-week", "--template", "detailed")
    ok(result)
    expected = EXPECTED / "week-2026-W24.md"
    if os.environ.get("UPDATE_EXPECTED"):  # regenerate deliberately, then review the diff
        expected.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == expected.read_text(encoding="utf-8")


def test_same_store_same_week_is_byte_identical(run, full_week, tmp_path):
    first = run("export-week", "2026-W24").stdout
    ok(run("export-week", "2026-06-12", "-o", str(tmp_path / "post.md")))
    assert (tmp_path / "post.md").read_text(encoding="utf-8") == first


def test_empty_week_says_so_for_each_day(run):
    result = run("export-week", "next")
    ok(result)
    assert result.stdout.count("no paper planned") == 7
    assert result.stdout.startswith("> TODO: the intro.")
    assert "warning: week 2026-W25 has no papers" in result.stderr


def test_missing_description_gets_marked_hint_from_abstract(run, arxiv_api):
    ok(run("add", "1605.08386", "--on", "2026-06-11"))
    text = run("export-week").stdout
    # The hint is the abstract's first sentence, cut before the second one.
    assert (
        "> TODO: a description of Heat-bath random walks with Markov bases. Hint from the"
        ' abstract, to rewrite: "Graphs on lattice points are studied whose edges come from a'
        ' finite set of allowed moves of arbitrary length."' in text
    )
    assert "We show that the diameter" not in text


def test_overwrite_refused_without_force(run, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "post.md"
    target.write_text("my edited post\n")
    result = run("export-week", "-o", str(target))
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert target.read_text() == "my edited post\n"
    ok(run("export-week", "-o", str(target), "--force"))
    assert target.read_text() == run("export-week").stdout
    assert [p.name for p in target.parent.iterdir()] == ["post.md"]  # no temp file left behind


def test_user_template(run, full_week, tmp_path):
    template = tmp_path / "mine.md.j2"
    template.write_text(
        "{{ title }}\n{% for d in days %}{% for p in d.papers %}"
        "{{ d.weekday[:3] }} {{ p.name }} {{ p.links | map(attribute='kind') | join(',') }}\n"
        "{% endfor %}{% endfor %}"
    )
    result = run("export-week", "--template", str(template))
    ok(result)
    assert result.stdout.splitlines()[:3] == [
        "Sunday Papers #1: Walks & workshops",
        "Mon Heat-bath walks paper,code",
        "Tue Proceedings of Workshop AEW10: Concepts in Information Theory and Communications "
        "model,paper",
    ]


def test_broken_user_template_is_one_line_error(run, tmp_path):
    template = tmp_path / "bad.j2"
    template.write_text("{{ no_such_variable }}")
    result = run("export-week", "--template", str(template))
    assert result.exit_code == 1
    assert "no_such_variable" in result.stderr
    template.write_text("{% for %}")
    result = run("export-week", "--template", str(template))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: template {template}, line 1: Expected an expression, got 'end of "
                      "statement block'"]  # fmt: skip
    assert result.stdout == ""


def test_front_matter(run, full_week):
    text = run("export-week", "--front-matter").stdout
    head = text.split("---")[1]
    assert 'title: "Sunday Papers #1: Walks & workshops"' in head
    assert "number: 1" in head
    assert "date: 2026-06-07" in head
    assert '"math.CO"' in head and '"astro-ph"' in head


def test_check_lists_what_is_missing(run, full_week):
    result = run("export-week", "--check")
    assert result.exit_code == 1
    assert "Tuesday Proceedings of Workshop AEW10" in result.stdout
    assert "Tuesday Proceedings of Workshop AEW10: Concepts in Information Theory and" in (
        result.stdout
    )
    assert "Sunday Zero: no description" in result.stdout
    assert "Sunday Zero: no link besides the paper (model, code or blog)" in result.stdout
    assert "Monday" not in result.stdout  # Monday is complete


def test_note_in_editor(run, arxiv_api, tmp_path, monkeypatch):
    ok(run("add", "1605.08386"))
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "text = open(path).read()\n"
        "assert text.startswith('#| Notes for')\n"
        "mine = '## Why it matters\\n\\nWalks that mix.\\n\\n- a list of the description\\n'\n"
        "text = text.replace('#| takeaways', mine + '#| takeaways\\n- first point\\n- second')\n"
        "open(path, 'w').write(text)\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    ok(run("note", "1605.08386"))
    shown = json.loads(run("show", "1605.08386", "--json").stdout)
    # A Markdown heading and list in the description survive the form.
    assert shown["description"] == (
        "## Why it matters\n\nWalks that mix.\n\n- a list of the description"
    )
    assert shown["takeaways"] == ["first point", "second"]


def test_empty_editor_save_changes_nothing(run, arxiv_api, tmp_path, monkeypatch):
    ok(run("add", "1605.08386"))
    ok(run("note", "1605.08386", "--description", "kept"))
    script = tmp_path / "empty.sh"
    script.write_text('#!/bin/sh\n: > "$1"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("VISUAL", str(script))
    result = run("note", "1605.08386")
    ok(result)
    assert "nothing changed" in result.stderr
    assert json.loads(run("show", "1605.08386", "--json").stdout)["description"] == "kept"


def test_takeaways_append_and_clear(run, arxiv_api):
    ok(run("add", "1605.08386"))
    ok(run("note", "1605.08386", "--takeaway", "one"))
    ok(run("note", "1605.08386", "--takeaway", "two"))
    shown = json.loads(run("show", "1605.08386", "--json").stdout)
    assert shown["takeaways"] == ["one", "two"]
    ok(run("note", "1605.08386", "--clear-takeaways", "--takeaway", "three"))
    assert json.loads(run("show", "1605.08386", "--json").stdout)["takeaways"] == ["three"]


def test_note_without_editor_is_a_clear_error(run, arxiv_api):
    ok(run("add", "1605.08386"))
    result = run("note", "1605.08386")
    assert result.exit_code == 2 and "EDITOR" in result.stderr


def test_week_words_shown_and_edited(run, tmp_path, monkeypatch):
    ok(run("week", "--theme", "Theme A"))
    assert "theme: Theme A" in run("week").stdout
    script = tmp_path / "w.py"
    script.write_text(
        "import sys\np = sys.argv[1]\nt = open(p).read()\n"
        "new = '#| intro\\n# A heading of the intro\\nHello there.\\n'\n"
        "open(p, 'w').write(t.replace('#| intro\\n', new))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    ok(run("week", "--edit"))
    words = json.loads(run("week", "--json").stdout)
    assert words["intro"] == "# A heading of the intro\nHello there."
    assert words["theme"] == "Theme A"


def test_demo_runs_offline_and_leaves_home_untouched(run, rc_home, arxiv_api):
    result = run("demo")
    ok(result)
    assert "## Monday: Phi-1 (" in result.stdout and "## Conclusion" in result.stdout
    assert "Next week turns to alternatives to attention" in result.stdout
    assert "streak" in result.stdout
    assert "rc add" in result.stderr
    assert not rc_home.exists()
    assert arxiv_api.requests == []


def test_demo_in_a_fresh_process_without_network(tmp_path):
    import subprocess

    env = {
        **os.environ,
        "RC_HOME": str(tmp_path / "home"),
        "RC_ARXIV_API_URL": "http://127.0.0.1:9/",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "readchallenge", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "## Monday: Phi-1" in proc.stdout
    assert not (tmp_path / "home").exists()
