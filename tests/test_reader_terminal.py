"""What the blogger at the keyboard sees, through the real rc process: layouts at 80 and 40
columns, a prompt left with Ctrl-D, links in tmux, days as people type them, a weekend
start, and the small messages around them."""

from __future__ import annotations

import json
import os
import re
import select
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import env_for
from tests.hostile import DOWN, HostileArxiv
from tests.reader import Rc, item, rc_fixture  # noqa: F401  (the fixture rc)
from tests.test_discover import SearchHub, arxiv_search_answer
from tests.test_links import FakeHub

OSC8 = "\x1b]8;"
ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")


def in_terminal(
    args: list[str],
    env: dict[str, str],
    typed: bytes = b"",
    columns: int = 80,
    term: str = "xterm-256color",
) -> tuple[int, str]:
    """rc run on a pseudo-terminal `columns` wide, with `typed` waiting as its input;
    the exit code and everything it wrote."""
    import fcntl
    import pty
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env["TERM"] = term
    proc = subprocess.Popen(
        [sys.executable, "-m", "readchallenge", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    if typed:
        os.write(leader, typed)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            proc.kill()
            raise AssertionError("rc waited for more input: " + b"".join(chunks).decode())
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: rc is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# Search and discover: one line a result at 80 columns, two at 40 --------------------------


@pytest.fixture
def search(tmp_path: Path) -> Iterator[Rc]:
    hub = SearchHub()
    servers: list[HostileArxiv] = []

    def run(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
        servers.append(HostileArxiv(arxiv_search_answer()))
        env = env_for(tmp_path / "home", servers[-1].url, RC_HF_API_URL=hub.url)
        env["COLUMNS"] = str(columns)
        result = subprocess.run(
            [sys.executable, "-m", "readchallenge", *args],
            env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result

    yield run
    hub.close()
    for server in servers:
        server.close()


def test_search_at_80_columns_is_one_line_a_result(search: Rc):
    shown = lines_of(search("search", "llama 3 herd").stdout)
    assert len(shown) == 12  # the header and eleven results
    assert all(len(line) <= 80 for line in shown)
    header = shown[0].split()
    assert header == ["#", "id", "date", "author", "title", "↑", "code"]  # empty ones left out
    breeze = next(line for line in shown if "2501.13921" in line)
    assert "The Breeze 2 Herd" in breeze and breeze.rstrip().endswith("3") and "…" in breeze
    assert "Understandin" not in " ".join(shown)  # no word split over lines


def test_search_at_40_columns_is_two_lines_a_result(search: Rc):
    shown = lines_of(search("search", "llama 3 herd", columns=40).stdout)
    assert len(shown) == 22
    assert all(len(line) <= 40 for line in shown)
    assert shown[0] == " 1. The Llama 3 Herd of Models"
    assert shown[1].startswith("    2407.21783 · ↑115")
    assert shown[2].startswith(" 2. The Breeze 2 Herd of Models") and shown[2].endswith("…")


def test_discover_at_80_and_40_columns(search: Rc):
    wide = lines_of(search("discover").stdout)
    assert wide[0].split() == ["#", "id", "date", "author", "title", "↑"]
    assert len(wide) == 4 and "A loud paper" in wide[1]
    narrow = lines_of(search("discover", columns=40).stdout)
    assert narrow[0] == " 1. A loud paper" and narrow[1].startswith("    2406.00002 · ↑250")


# rc plan at 40 columns --------------------------------------------------------------------


@pytest.fixture
def planned(rc: Rc) -> None:
    rc("init", "--start", "2026-06-01")
    item(rc, "phi", "--as", "Phi-1.5 (Microsoft, textbook data)", "--on", "2026-06-08",
         "--model", "https://huggingface.co/microsoft/phi-1_5")  # fmt: skip
    item(rc, "rho", "--as", "Rho-1", "--on", "2026-06-12", "--code", "https://github.com/r/r")
    rc("read", "Phi-1.5 (Microsoft, textbook data)", "--on", "2026-06-08")


def test_plan_at_40_columns_keeps_every_date_whole(rc: Rc, planned):
    shown = lines_of(rc("plan", COLUMNS="40").stdout)
    table = [line for line in shown if re.match(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) 06-", line)]
    assert [line[:9] for line in table] == [
        "Mon 06-08", "Tue 06-09", "Wed 06-10", "Thu 06-11", "Fri 06-12", "Sat 06-13",
        "Sun 06-14",
    ]  # fmt: skip
    assert all(len(line) <= 40 for line in shown if not line.startswith(("Mon ", "Fri ")) or
               "http" not in line)  # fmt: skip
    phi = table[0]
    assert "Phi-1.5" in phi and "…" in phi and "✓" in phi
    wide = rc("plan", COLUMNS="80").stdout
    assert "2026-06-08  Mon  Phi-1.5 (Microsoft, textbook data)" in wide


def test_plan_at_40_columns_in_a_terminal_keeps_the_links(rc: Rc, planned, tmp_path):
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    code, shown = in_terminal(["plan"], env, columns=40)
    assert code == 0, shown
    plain = ANSI.sub("", shown)
    assert "Mon 06-08" in plain and "model" in plain and "code" in plain
    assert all(len(line) <= 40 for line in plain.splitlines())


# A prompt left with Ctrl-D ----------------------------------------------------------------


def test_ctrl_d_at_a_prompt_is_an_empty_answer(tmp_path: Path):
    hub, arxiv = SearchHub(), HostileArxiv(arxiv_search_answer())
    try:
        env = env_for(tmp_path / "home", arxiv.url, RC_HF_API_URL=hub.url)
        code, shown = in_terminal(["search", "llama 3 herd"], env, typed=b"\x04")
    finally:
        hub.close()
        arxiv.close()
    assert code == 0, shown
    assert "add which numbers to the backlog?" in shown
    assert "Traceback" not in shown and "EOFError" not in shown
    rc_list = subprocess.run(
        [sys.executable, "-m", "readchallenge", "list", "--json"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert json.loads(rc_list.stdout) == []  # nothing added


def test_ctrl_d_at_rm_s_question_removes_nothing(rc: Rc, planned, tmp_path):
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    code, shown = in_terminal(["rm", "Rho-1"], env, typed=b"\x04")
    assert code == 0 and "nothing removed" in shown and "Traceback" not in shown
    assert "Rho-1" in rc("list").stdout


# Hyperlinks, and the URLs where they would lead nowhere ------------------------------------


@pytest.mark.parametrize(
    ("setting", "extra", "linked"),
    [
        (None, {}, True),
        (None, {"TMUX": "/tmp/tmux-0/default,1,0"}, False),
        (None, {"TERM": "screen-256color"}, False),
        ("never", {}, False),
        ("always", {"TMUX": "/tmp/tmux-0/default,1,0"}, True),
    ],
)
def test_hyperlinks_auto_always_never(rc: Rc, planned, tmp_path, setting, extra, linked):
    if setting:
        rc("config", "hyperlinks", setting)
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query", RC_TODAY="2026-06-08")
    env.pop("TMUX", None)
    extra = dict(extra)
    term = extra.pop("TERM", "xterm-256color")
    code, shown = in_terminal(["today"], {**env, **extra}, term=term)
    assert code == 0, shown
    url = "https://huggingface.co/microsoft/phi-1_5"
    assert (OSC8 in shown) is linked
    assert (f"model: {url}" in ANSI.sub("", shown)) is not linked


def test_a_hyperlinks_setting_rc_does_not_know_is_refused(rc: Rc):
    wrong = rc("config", "hyperlinks", "sometimes", ok=False)
    assert wrong.returncode == 2
    assert wrong.stderr == "error: hyperlinks = 'sometimes' must be auto, always or never\n"


# Days as people type them -----------------------------------------------------------------


def test_plan_move_takes_the_rest_of_the_line_as_the_day(rc: Rc, planned):
    moved = rc("plan", "move", "Rho-1", "next", "fri")
    assert moved.stderr == "moved rho-1 to 2026-06-19\n"
    rc("plan", "move", "Rho-1", "21", "june", "--force")
    assert json.loads(rc("show", "Rho-1", "--json").stdout)["planned_on"] == "2026-06-21"
    rc("plan", "move", "Rho-1", "2026-6-22")
    assert json.loads(rc("show", "Rho-1", "--json").stdout)["planned_on"] == "2026-06-22"
    rc("plan", "clear", "22", "june")
    assert json.loads(rc("show", "Rho-1", "--json").stdout)["planned_on"] is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-13-01", "error: '2026-13-01': there is no month 13 (months run from 1 to 12)\n"),
        ("2026-02-30", "error: '2026-02-30': February 2026 has 28 days\n"),
        ("31 june", "error: '31 june': June 2026 has 30 days\n"),
    ],
)
def test_a_day_that_does_not_exist_says_why(rc: Rc, planned, typed, message):
    from tests.conftest import dump

    home = Path(rc("path").stdout.strip())
    before = dump(home)
    wrong = rc("plan", "move", "Rho-1", typed, ok=False)
    assert wrong.returncode == 2 and wrong.stderr == message
    assert dump(home) == before


# A challenge started on a weekend ---------------------------------------------------------


def test_rc_init_on_a_sunday_starts_the_coming_monday(rc: Rc):
    started = rc("init", RC_TODAY="2026-06-07")
    assert "it begins on Monday 2026-06-08" in started.stderr
    assert started.stdout == "Paper a day: 2026-06-08 to 2026-07-31, 1 a day\n"
    sunday = json.loads(rc("today", "--json", RC_TODAY="2026-06-07").stdout)
    assert sunday["starts_in"] == 1
    # Added on Sunday: planned on the challenge's first day, Monday.
    rc("add", "--url", "https://example.org/a", "--title", "A", RC_TODAY="2026-06-07")
    monday = json.loads(rc("today", "--json", RC_TODAY="2026-06-08").stdout)
    assert [p["id"] for p in monday["papers"]] == ["a"]
    assert monday["pace"]["ahead_by"] == 0  # not "behind by 1"
    days = json.loads(rc("calendar", "--json", RC_TODAY="2026-06-08").stdout)["weeks"]
    assert "missed" not in {d["state"] for week in days for d in week}
    # A start said out loud is kept, weekend or not.
    assert rc("init", "--start", "2026-06-06", RC_TODAY="2026-06-07").returncode == 0
    assert "2026-06-06 to" in rc("init", RC_TODAY="2026-06-07").stdout


def test_rc_init_on_a_weekday_starts_today(rc: Rc):
    started = rc("init", RC_TODAY="2026-06-10")
    assert started.stdout.startswith("Paper a day: 2026-06-10 to")
    assert "begins" not in started.stderr


# Small messages ---------------------------------------------------------------------------


def test_rc_fetch_says_where_the_paper_is(rc: Rc):
    arxiv = HostileArxiv(DOWN)
    try:
        added = rc("add", "2306.11644", "--on", "2026-06-12", ok=False, RC_ARXIV_API_URL=arxiv.url)
        assert added.returncode == 1 and "pending" in added.stderr
        fetched = rc("fetch", RC_ARXIV_API_URL=arxiv.url)
    finally:
        arxiv.close()
    assert "fetched 2306.11644, planned on 2026-06-12" in fetched.stderr
    assert "backlog" not in fetched.stderr


def test_rc_help_mentions_shell_completion(rc: Rc):
    assert "rc --install-completion" in rc("--help").stdout


def test_an_option_without_its_value_prints_the_usage_line(rc: Rc):
    wrong = rc("add", "--on", ok=False)
    assert wrong.returncode == 2
    assert wrong.stderr == (
        "error: Option '--on' requires an argument.\nUsage: rc add [OPTIONS] [IDS...]\n"
    )


def test_the_note_form_shows_hugging_faces_summary_as_a_hint(tmp_path: Path):
    hub, arxiv = FakeHub(), HostileArxiv()
    seen = tmp_path / "form.md"
    editor = tmp_path / "editor"
    editor.write_text(f'#!/bin/sh\ncp "$1" {seen}\n')
    editor.chmod(0o755)
    try:
        env = env_for(tmp_path / "home", arxiv.url, RC_HF_API_URL=hub.url,
                      RC_LINKS_LOOKUP="true", EDITOR=str(editor))  # fmt: skip

        def rc(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "readchallenge", *args],
                env=env, capture_output=True, text=True, timeout=300,
            )  # fmt: skip

        assert rc("add", "2401.18030").returncode == 0
        noted = rc("note", "2401.18030")
    finally:
        hub.close()
        arxiv.close()
    assert noted.returncode == 0 and "nothing changed" in noted.stderr
    form = seen.read_text()
    hint = [line for line in form.splitlines() if line.startswith("#|   ")]
    assert " ".join(line[5:] for line in hint) == (
        "A unified framework for distributed consensus and optimization integrates "
        "superiorization and over-the-air computation to achieve efficient, low-latency "
        "learning over wireless networks."
    )
    assert "#| Hugging Face's machine-written summary" in form
