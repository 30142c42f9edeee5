"""Nothing from outside reaches the browser or the shell (#21): links, names and answers that
come from Hugging Face, an import or another device, each through the real `rc` process
against loopback stand-ins (a Hugging Face on 127.0.0.1, tests/hostile.py's arXiv, a bare
git repository, the shells themselves on a pseudo-terminal).

Every test here failed before its fix (the completion test in one shell or more: bash ran
the command, zsh and fish split or mangled names); docs/links.md and docs/data.md say what
users see.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import select
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LoopbackServer, dump, env_for, run_rc
from tests.hostile import Answer, HostileArxiv, feed_with

PAPER = "2401.00001"  # the loopback arXiv answers any id with a copy of a recorded entry
TIMEOUT = 300  # a subprocess's generous limit: a hang fails, a busy machine does not
# What must never reach a terminal: ESC, BEL, DEL and the C1 controls (CSI, OSC, DCS...).
STEERING = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def rc(env: dict[str, str], *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run rc as a user would, in its own process."""
    return run_rc(args, env, timeout=kwargs.pop("timeout", TIMEOUT), **kwargs)


def ok(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = rc(env, *args)
    assert result.returncode == 0, (args, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def one_error(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The single `error:` line of a refused command (nothing else on stderr)."""
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


class Hub:
    """A loopback Hugging Face answering `/api/papers/{id}` with `paper`, the search and the
    daily papers with `listing`, and the model list with `[]`."""

    def __init__(self) -> None:
        self.paper: bytes = b"{}"
        self.listing: bytes = b"[]"
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                if path in ("/api/papers/search", "/api/daily_papers"):
                    body = outer.listing
                elif path.startswith("/api/papers/"):
                    body = outer.paper
                else:
                    body = b"[]"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = LoopbackServer(Handler)
        self.url = self.server.origin

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def hub() -> Iterator[Hub]:
    server = Hub()
    yield server
    server.close()


@pytest.fixture
def arxiv() -> Iterator[HostileArxiv]:
    server = HostileArxiv()
    yield server
    server.close()


@pytest.fixture
def browser(tmp_path: Path) -> Path:
    """A browser (BROWSER) that records the arguments it was started with, one JSON line each
    time; rc waits for it (Python's webbrowser does), so the file is complete afterwards."""
    script = tmp_path / "browser"
    script.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"with open({str(tmp_path / 'opened.jsonl')!r}, 'a') as f:\n"
        "    f.write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    script.chmod(0o755)
    return tmp_path / "opened.jsonl"


def opened(record: Path) -> list[list[str]]:
    if not record.exists():
        return []
    return [json.loads(line) for line in record.read_text().splitlines()]


@pytest.fixture
def env(tmp_path: Path, hub: Hub, arxiv: HostileArxiv, browser: Path) -> dict[str, str]:
    return env_for(
        tmp_path / "home",
        arxiv.url,
        RC_HF_API_URL=hub.url,
        RC_LINKS_LOOKUP="true",
        BROWSER=str(browser.parent / "browser"),
    )


# 7. Every link passes the one URL rule: when stored, opened and exported ---------------------


def test_links_from_hugging_face_that_are_not_http_are_dropped_with_a_note(env, hub, browser):
    marker = browser.parent / "pwned"
    hub.paper = json.dumps(
        {
            "id": PAPER,
            "githubRepo": f"--renderer-cmd-prefix=touch {marker}",
            "projectPage": "file:///etc/passwd",
            "organization": {"name": "evil"},
            "linkedModels": [{"id": "evil/m\x1b]8;;javascript:alert(1)\x07", "author": "evil"}],
            "numTotalModels": 1,
        }
    ).encode()
    added = ok(env, "add", PAPER)
    assert f"{PAPER}: ignored a non-http link from Hugging Face" in added.stderr
    assert not STEERING.search(added.stderr), added.stderr
    shown = json.loads(ok(env, "show", PAPER, "--json").stdout)
    assert shown["links"] == {"paper": f"https://arxiv.org/abs/{PAPER}"}
    offered = ok(env, "links", PAPER, "--json").stdout
    for bad in ("--renderer", "file:", "javascript:"):
        assert bad not in offered
    refused = rc(env, "open", PAPER, "code")
    assert "has no code link" in one_error(refused, code=2)
    assert opened(browser) == [] and not marker.exists()
    post = ok(env, "export-week").stdout
    assert f"[paper](https://arxiv.org/abs/{PAPER})" in post
    assert "--renderer" not in post and "file:" not in post and "javascript:" not in post


@pytest.fixture
def stored_before_the_rule(env: dict[str, str], tmp_path: Path) -> Path:
    """A paper whose store holds links no rc would store now: written by an rc before the
    rule, by hand, or applied from another device."""
    ok(env, "add", "--url", "https://example.org/a", "--title", "A", "--kind", "paper")
    conn = sqlite3.connect(tmp_path / "home" / "rc.db")
    with conn:
        conn.executemany(
            "INSERT INTO links (paper_id, kind, url, source) VALUES ('a', ?, ?, 'huggingface')",
            [
                ("code", f"--renderer-cmd-prefix=touch {tmp_path / 'pwned'}"),
                ("blog", "file:///etc/passwd"),
                ("model", "javascript:alert(document.cookie)"),
            ],
        )
    conn.close()
    return tmp_path / "pwned"


@pytest.mark.parametrize("kind", ["code", "blog", "model"])
def test_rc_open_hands_only_http_links_to_the_browser(env, browser, stored_before_the_rule, kind):
    refused = rc(env, "open", "a", kind)
    assert "not an http(s) URL" in one_error(refused)
    assert opened(browser) == [] and not stored_before_the_rule.exists()
    ok(env, "open", "a")
    assert opened(browser) == [["https://example.org/a"]]  # one argument, the address


def test_exports_leave_out_links_that_are_not_http(env, tmp_path, stored_before_the_rule):
    for args in (["export-week"], ["export-week", "--format", "html"]):
        result = ok(env, *args)
        assert "https://example.org/a" in result.stdout
        for bad in ("--renderer", "file:", "javascript:"):
            assert bad not in result.stdout, (args, result.stdout)
        assert "ignored a non-http link (A: " in result.stderr
    bibtex = ok(env, "export", "--format", "bibtex").stdout
    assert "https://example.org/a" in bibtex and "file:" not in bibtex
    exported = ok(env, "export", "--format", "json", "-o", str(tmp_path / "all.json"))
    assert exported.stderr.count("left out what is not an http(s) URL") == 3
    other = {**env, "RC_HOME": str(tmp_path / "other")}
    ok(other, "import", str(tmp_path / "all.json"))  # the export is importable
    assert json.loads(ok(other, "show", "a", "--json").stdout)["links"] == {
        "paper": "https://example.org/a"
    }


@pytest.mark.parametrize(
    "url",
    ["https://example.org/\x9b2J", "https://example.org/\x7f"],
    ids=["C1 CSI", "DEL"],
)
def test_the_url_rule_refuses_every_control_character(env, url):
    ok(env, "add", "--url", "https://example.org/a", "--title", "A")
    before = dump(Path(env["RC_HOME"]))
    assert one_error(rc(env, "link", "a", "code", url), code=2)
    assert dump(Path(env["RC_HOME"])) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("github_repo", "--renderer-cmd-prefix=touch pwned"),
        ("project_page", "file:///etc/passwd"),
        ("models", "not JSON"),
        ("models", json.dumps([{"id": 5, "author": "x", "likes": 1}])),
    ],
    ids=["githubRepo an option", "projectPage a file", "models not JSON", "a model id a number"],
)
def test_an_import_refuses_what_hugging_face_could_not_have_said(
    tmp_path, clean_export, field, value
):
    data = json.loads(json.dumps(clean_export))
    data["tables"]["hf_pages"] = [
        {
            "paper_id": data["tables"]["papers"][0]["id"], "status": "found", "reason": None,
            "upvotes": 1, "github_stars": 1, "github_repo": None, "github_repo_added_by": None,
            "project_page": None, "organization": None, "models": "[]", "num_models": 0,
            "ai_keywords": "[]", "ai_summary": None, "looked_up_at": "2026-06-10T00:00:00",
            field: value,
        }
    ]  # fmt: skip
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data))
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    line = one_error(rc(env, "import", str(path)))
    assert f"hf_pages row 1: {field}" in line and "nothing was imported" in line


def test_a_pdf_link_from_arxiv_that_is_not_http_is_replaced(tmp_path):
    pdf = '<link href="https://arxiv.org/pdf/1605.08386v1"'
    feed = feed_with(lambda e: e.replace("1605.08386", PAPER).replace(pdf.replace(
        "1605.08386", PAPER), '<link href="javascript:alert(1)"'))  # fmt: skip
    server = HostileArxiv(Answer("body", body=feed))
    try:
        env = env_for(tmp_path / "home", server.url)
        ok(env, "add", PAPER)
    finally:
        server.close()
    shown = json.loads(ok(env, "show", PAPER, "--json").stdout)
    assert shown["pdf_url"] == f"https://arxiv.org/pdf/{PAPER}v1"


# 10. Hostile Hugging Face JSON is one line; the paper is kept ------------------------------

DEEP = b'{"githubRepo": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
GOOD = json.dumps({"id": PAPER, "githubRepo": "https://github.com/a/b"}).encode()


def test_an_unreadable_answer_keeps_the_paper_and_queues_the_lookup(env, hub):
    hub.paper = DEEP
    added = ok(env, "add", PAPER)
    assert "queued (rc fetch retries it)" in added.stderr
    assert len([line for line in added.stderr.splitlines() if "queued" in line]) == 1
    shown = json.loads(ok(env, "show", PAPER, "--json").stdout)
    assert shown["status"] == "ok" and shown["huggingface"]["status"] == "queued"
    hub.paper = GOOD
    fetched = ok(env, "fetch")
    assert f"{PAPER}: code github.com/a/b" in fetched.stderr


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"linkedModels": 5, "numTotalModels": 3}, "models"),
        ({"upvotes": 10**23, "githubStars": -1, "numTotalModels": 10**30}, "upvotes"),
    ],
    ids=["linkedModels 5", "upvotes 10**23"],
)
def test_odd_values_in_an_answer_are_ignored_and_the_rest_kept(env, hub, answer, field):
    hub.paper = json.dumps({"id": PAPER, "githubRepo": "https://github.com/a/b", **answer}).encode()
    added = ok(env, "add", PAPER)
    assert f"{PAPER}: code github.com/a/b" in added.stderr
    shown = json.loads(ok(env, "show", PAPER, "--json").stdout)
    assert shown["status"] == "ok" and shown["links"]["code"] == "https://github.com/a/b"
    page = json.loads(ok(env, "links", PAPER, "--json").stdout)["huggingface"]
    assert page["status"] == "found" and page[field] in (None, [])


def test_refresh_links_on_an_unreadable_answer_queues_it(env, hub):
    ok(env, "add", PAPER, "--no-links")
    hub.paper = DEEP
    refreshed = ok(env, "refresh", PAPER, "--links")
    assert "queued (rc fetch retries it)" in refreshed.stderr


@pytest.mark.parametrize(
    "args", [["search", "q", "--source", "hf"], ["discover"]], ids=["search", "discover"]
)
def test_an_unreadable_listing_is_one_error_line(env, hub, args):
    hub.listing = b"[" * 200_000 + b"]" * 200_000
    assert "Hugging Face sent an answer rc cannot read" in one_error(rc(env, *args))


def test_a_listing_with_odd_values_shows_what_it_can(env, hub):
    hub.listing = json.dumps(
        [
            {"paper": {"id": "2401.00002", "title": "Good", "upvotes": 10**23,
                       "githubRepo": "file:///etc/passwd", "numTotalModels": "many"}},
            {"paper": {"id": "--renderer-cmd-prefix=x", "title": "Not an id"}},
            {"paper": {"id": "2401.00003", "title": {"not": "text"}, "authors": 5}},
            7,
        ]
    ).encode()  # fmt: skip
    found = json.loads(ok(env, "discover", "--json").stdout)
    assert [row["id"] for row in found] == ["2401.00002", "2401.00003"]
    assert found[0]["repo"] is None and found[0]["upvotes"] in (None, 0)


# 9. Control characters from outside never reach the terminal --------------------------------

EVIL = "Evil\x1b[2J\x1b]8;;https://x.example/\x07link\x1b]8;;\x07\x9b31m\x07"


@pytest.fixture(scope="module")
def clean_export(tmp_path_factory) -> dict[str, Any]:
    """A real export of a small store: a planned, read paper with a note, a week, a skip."""
    home = tmp_path_factory.mktemp("source")
    env = env_for(home, "http://127.0.0.1:9/api/query")
    for args in (
        ["init", "--start", "2026-06-01", "--name", "June"],
        ["add", "--url", "https://example.org/a", "--title", "A", "--as", "A", "--kind", "paper"],
        ["read", "A"],
        ["note", "A", "--description", "words", "--takeaway", "one"],
        ["week", "--theme", "theme", "--intro", "intro"],
        ["skip", "--on", "2026-06-09", "--reason", "why"],
        ["link", "A", "code", "https://github.com/a/b"],
    ):
        ok(env, *args)
    data: dict[str, Any] = json.loads(ok(env, "export", "--format", "json").stdout)
    return data


@pytest.fixture
def polluted(tmp_path: Path, clean_export: dict[str, Any]) -> Path:
    """The export with terminal escapes in every text a user did not type here (an import
    checks types and ranges, not the characters of names and notes), in a file whose name
    holds them too (the command line `rc log` shows)."""
    data = json.loads(json.dumps(clean_export))
    tables = data["tables"]
    tables["challenge"][0]["name"] = EVIL
    paper = tables["papers"][0]
    paper.update(name=EVIL, title=EVIL, authors=json.dumps([EVIL]), abstract=EVIL)
    tables["notes"][0]["description"] = EVIL
    tables["takeaways"][0]["text"] = EVIL
    tables["weeks"][0].update(theme=EVIL, intro=EVIL)
    tables["skips"][0]["reason"] = EVIL
    tables["hf_pages"] = [
        {
            "paper_id": paper["id"], "status": "found", "reason": None, "upvotes": 1,
            "github_stars": 1, "github_repo": "https://github.com/a/b",
            "github_repo_added_by": EVIL, "project_page": None, "organization": EVIL,
            "models": json.dumps([{"id": f"{EVIL}/m", "author": EVIL, "likes": 1}]),
            "num_models": 1, "ai_keywords": json.dumps([EVIL]), "ai_summary": EVIL,
            "looked_up_at": "2026-06-10T00:00:00+00:00",
        }
    ]  # fmt: skip
    path = tmp_path / "from \x1b]0;elsewhere\x07\x1b[2J.json"
    path.write_text(json.dumps(data))
    return path


# Each command a user runs on such a store, and whether it shows the name or title.
WALK = {
    "init": True, "today": True, "today --json": True, "list": True, "list --json": True,
    "show a": True, "show a --json": True, "links a": True, "links a --json": True, "plan": True,
    "plan --json": True, "week": True, "week --json": True, "calendar": False,
    "calendar --json": False, "export-week": True, "export-week --check": False,
    "export-week --format html": True, "export --format json": True,
    "export --format bibtex": True, "log": False, "log --json": False, "info": False,
    "open a code": False, "rm a --yes": True, "undo": False,
}  # fmt: skip


def test_every_command_shows_outside_text_with_control_characters_replaced(env, polluted):
    ok(env, "import", str(polluted))
    for command, shows_name in WALK.items():
        result = rc(env, *command.split())
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert result.returncode in (0, 1), (command, result.stderr)  # --check finds TODOs
        for stream in (result.stdout, result.stderr):
            assert not STEERING.search(stream), (command, stream)
        assert "Evil" in result.stdout + result.stderr or not shows_name, command


def _git(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(
        ["git", "-c", "user.name=peer", "-c", "user.email=peer@example.org", *args],
        cwd=cwd, check=True, capture_output=True, timeout=TIMEOUT,
    )  # fmt: skip


def _tamper_last_line(hub: Path, work: Path, command: str) -> None:
    """Give the laptop's newest sync line another command line, as a peer's rc (an older
    one, or someone's script) could have written it."""
    _git("clone", "-q", "-b", "main", str(hub), str(work))
    path = sorted((work / "changes").glob("laptop*/*.jsonl.gz"))[-1]
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    entry = json.loads(lines[-1])
    entry["command"] = command
    lines[-1] = json.dumps(entry, separators=(",", ":"))
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    _git("commit", "-q", "-am", "laptop: 1 change", cwd=work)
    _git("push", "-q", "origin", "main", cwd=work)


@pytest.mark.skipif(shutil.which("git") is None, reason="rc sync needs git")
def test_another_devices_names_and_command_lines_are_shown_replaced(tmp_path, polluted):
    hub = tmp_path / "hub.git"
    _git("init", "-q", "--bare", str(hub))
    url = "http://127.0.0.1:9/api/query"
    laptop = env_for(tmp_path / "laptop", url, RC_DEVICE="laptop")
    desktop = env_for(tmp_path / "desktop", url, RC_DEVICE="desktop")
    ok(laptop, "import", str(polluted))  # the paper's name holds escapes
    ok(laptop, "sync", "--init", str(hub))
    ok(desktop, "sync", "--init", str(hub))
    ok(laptop, "note", "a", "--description", "said on the laptop")
    ok(laptop, "sync")
    _tamper_last_line(hub, tmp_path / "peer", f"rc note a --description '{EVIL}'")
    ok(desktop, "note", "a", "--description", "said on the desktop")
    settled = ok(desktop, "sync")
    assert "conflict: Evil" in settled.stderr  # the paper's name, from the laptop's import
    logged = ok(desktop, "log")
    assert "laptop: note a --description 'Evil" in logged.stdout
    for text in (settled.stderr, logged.stdout):
        assert not STEERING.search(text), text


# 8. Completion quotes every candidate for the shell that asks -------------------------------

NAMES = {
    "command substitution": ("_x $(touch {marker}) `touch {marker}`", "_x"),
    "quotes and a semicolon": ("_q 'single' \"double\" ; touch {marker}", "_q"),
    "a name with a space": ("Phi 2", "Phi\\ "),
}


def _run_in_terminal(argv: list[str], env: dict[str, str], lines: list[str]) -> str:
    """Start an interactive shell on a pseudo-terminal, wait for its first prompt (`READY>`),
    type `lines` (each key as a user would: a Tab completes before the Enter after it is
    read) and return what it showed until it exited."""
    import pty
    import struct
    import termios
    from fcntl import ioctl

    pid, fd = pty.fork()
    if pid == 0:  # the child: the shell
        os.execvpe(argv[0], argv, env)
    ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
    shown = b""
    typed = False
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], TIMEOUT)
            assert ready, f"the shell stopped answering: {shown[-500:]!r}"
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the shell exited: the terminal is gone
                break
            if not chunk:
                break
            shown += chunk
            if not typed and b"READY>" in shown:
                typed = True
                for line in lines:
                    os.write(fd, line.encode())
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    return shown.decode(errors="replace")


def _shell_setup(shell: str, home: Path, env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """The shell's command line and environment: no user configuration, rc's completion
    script as `rc --show-completion` prints it, a prompt to wait for."""
    script = rc(
        {**env, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}, "--show-completion", shell
    ).stdout
    assert "_RC_COMPLETE" in script, script
    bin_dir = str(Path(sys.executable).parent)
    env = {**env, "PATH": bin_dir + os.pathsep + env.get("PATH", ""), "TERM": "xterm"}
    setup = home / f"setup.{shell}"
    if shell == "bash":
        setup.write_text(f"{script}\nPS1='READY> '\n")
        return ["bash", "--noprofile", "--rcfile", str(setup), "-i"], env
    if shell == "zsh":
        (home / ".zshrc").write_text(
            f"autoload -Uz compinit && compinit -u -D\n{script}\nPROMPT='READY> '\n"
        )
        return ["zsh", "-i"], {**env, "ZDOTDIR": str(home)}
    setup.write_text(f"{script}\nfunction fish_prompt; echo -n 'READY> '; end\n")
    return ["fish", "--no-config", "-i", "-C", f"source {setup}"], env


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("case", NAMES, ids=list(NAMES))
def test_a_completed_name_is_one_word_and_never_runs(tmp_path, shell, case):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    if shutil.which("rc", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("the rc console script is not installed beside this Python")
    marker = tmp_path / "pwned"
    name, typed = NAMES[case]
    name = name.format(marker=marker)
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    ok(env, "add", "--url", "https://example.org/target", "--title", "Target", "--as", name)
    argv, shell_env = _shell_setup(shell, tmp_path, env)
    shown = _run_in_terminal(argv, shell_env, [f"rc read {typed}\t", "\r", "exit\r"])
    assert not marker.exists(), shown[-2000:]
    (paper,) = json.loads(ok(env, "list", "--json").stdout)
    paper = json.loads(ok(env, "show", paper["id"], "--json").stdout)
    assert paper["read_on"] == ["2026-06-10"], shown[-2000:]  # the whole name was one word


@pytest.mark.parametrize(
    ("words", "expect"),
    [
        ({"COMP_WORDS": "rc skip --on next\\ m", "COMP_CWORD": "3"}, "next\\ monday"),
        ({"COMP_WORDS": "rc skip --on last", "COMP_CWORD": "3"}, "last\\ friday"),
        ({"COMP_WORDS": "rc open a ", "COMP_CWORD": "3"}, "code"),
        ({"COMP_WORDS": "rc link a m", "COMP_CWORD": "3"}, "model"),
    ],
)
def test_bash_gets_day_phrases_as_one_word_and_link_kinds(tmp_path, words, expect):
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    ok(env, "add", "--url", "https://example.org/a", "--title", "A")
    answer = ok({**env, **words, "_RC_COMPLETE": "complete_bash"})
    assert expect in answer.stdout.splitlines()


# Smaller ones: future readings, the config file, a template's includes ----------------------


@pytest.mark.parametrize("day", ["tomorrow", "+3", "next monday", "2026-07-01"])
def test_a_reading_on_a_day_to_come_is_refused(tmp_path, day):
    home = tmp_path / "home"
    env = env_for(home, "http://127.0.0.1:9/api/query")
    ok(env, "init", "--start", "2026-06-01")
    ok(env, "add", "--url", "https://example.org/a", "--title", "A")
    before = dump(home)
    refused = rc(env, "read", "a", "--on", day)
    assert "has not come yet" in one_error(refused, code=2)
    assert dump(home) == before
    ok(env, "read", "a", "--on", "yesterday")  # the past is fine


def test_a_fifo_as_config_file_is_refused_at_once(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / "config.toml")
    env = env_for(home, "http://127.0.0.1:9/api/query")
    result = rc(env, "today", timeout=120)  # it used to wait forever for a writer
    assert "not a regular file" in one_error(result)
    assert stat.S_ISFIFO((home / "config.toml").lstat().st_mode)


def test_rc_config_writes_through_a_linked_config_file(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    kept = tmp_path / "dotfiles" / "rc.toml"
    kept.parent.mkdir()
    kept.write_text("# my settings\narxiv_timeout = 20\n")
    (home / "config.toml").symlink_to(kept)
    env = env_for(home, "http://127.0.0.1:9/api/query")
    ok(env, "config", "hf_timeout", "5")
    ok(env, "config", "--unset", "arxiv_timeout")
    assert (home / "config.toml").is_symlink()
    assert kept.read_text() == "# my settings\nhf_timeout = 5.0\n"
    assert "hf_timeout = 5.0  (config file)" in ok(env, "config").stdout


def test_a_template_that_includes_a_missing_file_names_the_include(tmp_path):
    template = tmp_path / "mine.md.j2"
    template.write_text('{% include "parts/header.md.j2" %}\n{{ title }}\n')
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    result = rc(env, "export-week", "--template", str(template))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "parts/header.md.j2" in line and "mine.md.j2 not found" not in line
