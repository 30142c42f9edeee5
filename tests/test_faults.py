"""The attacks of a hostile user and a hostile arXiv, each through the real `rc` process.

Every test here failed before its fix; docs/data.md lists each fault with what the user sees.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import dump, env_for, remount, run_rc
from tests.hostile import DOWN, Answer, HostileArxiv, empty_feed, feed_with

PAPER = "2411.00001"
PAPER_A = ("add", "--url", "https://example.org/a", "--title", "A")  # a store to start from
TIMEOUT = 300  # a subprocess's generous limit: a hang fails, a busy machine does not


def rc(env: dict[str, str], *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run rc as a user would, in its own process (a fresh interpreter where the test sets
    how the process starts: its umask, say)."""
    if kwargs:
        return subprocess.run(
            [sys.executable, "-m", "readchallenge", *args],
            env=env, capture_output=True, text=True, timeout=TIMEOUT, **kwargs,
        )  # fmt: skip
    return run_rc(args, env, timeout=TIMEOUT)


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def shown(env: dict[str, str], paper: str = PAPER) -> dict[str, Any]:
    result = rc(env, "show", paper, "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture
def hostile() -> Iterator[Callable[..., HostileArxiv]]:
    servers: list[HostileArxiv] = []

    def start(*script: Answer) -> HostileArxiv:
        servers.append(HostileArxiv(*script))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


# 1. rc never deletes a paper the user did not delete ---------------------------------------


def _drop_dates(entry: str) -> str:
    entry = entry.replace("1605.08386", PAPER)
    for tag in ("published", "updated"):
        start, end = entry.index(f"<{tag}>"), entry.index(f"</{tag}>") + len(tag) + 3
        entry = entry[:start] + entry[end:]
    return entry


ANSWERS_WITHOUT_THE_PAPER = {
    "empty feed": empty_feed(),
    "an entry for another id": feed_with(lambda entry: entry),
    "a truncated feed": feed_with(lambda e: e.replace("1605.08386", PAPER))[:1200],
    "an entry without dates": feed_with(_drop_dates),
}


@pytest.mark.parametrize("answer", ANSWERS_WITHOUT_THE_PAPER, ids=list(ANSWERS_WITHOUT_THE_PAPER))
def test_fetch_never_deletes_what_the_user_wrote(tmp_path, hostile, answer):
    server = hostile(DOWN, Answer("body", body=ANSWERS_WITHOUT_THE_PAPER[answer]))
    env = env_for(tmp_path / "home", server.url)
    added = rc(env, "add", PAPER, "--as", "X", "--code", "https://github.com/x/x")
    assert added.returncode == 1 and "kept as pending" in added.stderr
    assert rc(env, "read", "X").returncode == 0
    assert rc(env, "note", "X", "--description", "mine", "--takeaway", "also mine").returncode == 0

    synced = rc(env, "fetch")

    assert synced.returncode == 1
    assert f"not found on arXiv: {PAPER}" in synced.stderr
    paper = shown(env, "X")
    assert paper["status"] == "missing"
    assert paper["name"] == "X"
    assert paper["links"]["code"] == "https://github.com/x/x"
    assert paper["planned_on"] == "2026-06-10"
    assert paper["read_on"] == ["2026-06-10"]
    assert (paper["description"], paper["takeaways"]) == ("mine", ["also mine"])


def test_a_missing_paper_comes_back_when_arxiv_knows_it_again(tmp_path, hostile):
    server = hostile(Answer("body", body=empty_feed()))
    env = env_for(tmp_path / "home", server.url)
    assert rc(env, "add", PAPER, "--as", "X").returncode == 1
    assert shown(env, "X")["status"] == "missing"
    again = rc(env, "add", PAPER)
    assert again.returncode == 0, again.stderr
    assert shown(env, "X")["status"] == "ok"


# 2 and 15. Every network call has an overall deadline; slowness is bounded and said -------


def test_a_dripping_server_is_cut_off_at_the_deadline(tmp_path, hostile):
    # A byte every 0.05 s never lets httpx's 2 s per-read timeout fire, even on a busy
    # machine: only the overall deadline can end these answers.
    server = hostile(Answer("drip", every=0.05), Answer("drip", every=0.05))
    env = env_for(tmp_path / "home", server.url, RC_ARXIV_TIMEOUT="2", RC_ARXIV_RETRIES="1")
    result = rc(env, "add", PAPER)  # before the fix this never returned
    assert result.returncode == 1
    assert "did not answer within 2 s" in result.stderr
    assert len(error_lines(result)) == 1
    assert server.requests() == 2
    assert shown(env)["status"] == "pending"


def test_a_gzip_bomb_is_cut_off_with_little_memory(tmp_path, hostile):
    server = hostile(Answer("gzip_bomb"))
    env = env_for(tmp_path / "home", server.url)
    with open(tmp_path / "err", "w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "readchallenge", "add", PAPER],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    assert proc.returncode == 1, stderr
    assert "more than 50 MB" in stderr
    assert usage.ru_maxrss < 300 * 1024, f"peak RSS {usage.ru_maxrss} KiB"
    assert shown(env)["status"] == "pending"


def test_a_silent_server_costs_at_most_max_wait_and_one_deadline(tmp_path, hostile):
    server = hostile(*[Answer("silent")] * 5)
    # The first backoff is 1 to 2 s, within RC_ARXIV_MAX_WAIT; the 1.5 s the silent attempt
    # lost comes on top, and that is past it. Only a count of the backoff waits alone (the
    # bug) tries again. The deadline is a lower bound, so a busy machine changes nothing.
    env = env_for(
        tmp_path / "home",
        server.url,
        RC_ARXIV_TIMEOUT="1.5",
        RC_ARXIV_MAX_WAIT="2",
        RC_ARXIV_RETRIES="4",
    )
    result = rc(env, "add", PAPER)
    assert result.returncode == 1
    assert server.requests() == 1  # before: a second try, counting only the backoff waits
    assert "did not answer within 1.5 s" in result.stderr
    assert shown(env)["status"] == "pending"


def test_a_silent_server_is_said_while_rc_waits_for_it(tmp_path, hostile):
    server = hostile(Answer("held"))
    env = env_for(tmp_path / "home", server.url, RC_ARXIV_TIMEOUT="60")
    adding = subprocess.Popen(
        [sys.executable, "-m", "readchallenge", "add", PAPER],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = [adding.stderr.readline()]  # type: ignore[union-attr]
        while said[-1] and "arXiv has not answered yet" not in said[-1]:
            said.append(adding.stderr.readline())  # type: ignore[union-attr]
        server.release.set()  # the answer comes after rc has said what it waits for
        rest = adding.communicate(timeout=TIMEOUT)[1]
    finally:
        adding.kill()
    assert "arXiv has not answered yet; rc gives up after that" in said[-1], said
    assert said[-1].startswith("waiting ")  # how long rc will still wait
    assert adding.returncode == 0, "".join(said) + rest
    assert shown(env)["status"] == "ok"


# 3. No traceback from any answer arXiv can send ------------------------------------------


def _dated(entry: str, day: str) -> str:
    return entry.replace("1605.08386", PAPER).replace("2016-05-26", day)


ODD_ANSWERS = {
    "unparsable updated": Answer(
        "body", body=feed_with(lambda e: e.replace("<updated>2016-05-26T17:59:46Z", "<updated>now"))
    ),
    "unparsable published": Answer(
        "body",
        body=feed_with(lambda e: e.replace("<published>2016-05-26T17:59:46Z", "<published>x")),
    ),
    "a huge version": Answer(
        "body",
        body=feed_with(lambda e: e.replace("1605.08386v1<", f"{PAPER}v999999999999999999999<")),
    ),
    "year 0001": Answer(
        "body",
        body=feed_with(
            lambda e: e.replace("1605.08386", PAPER).replace("2016-05-26", "0001-01-01")
        ),
    ),
    "year 9999": Answer(
        "body",
        body=feed_with(
            lambda e: e.replace("1605.08386", PAPER).replace("2016-05-26", "9999-12-31")
        ),
    ),
}


@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=list(ODD_ANSWERS))
def test_odd_answers_are_one_error_line_and_keep_the_id(tmp_path, hostile, answer):
    server = hostile(ODD_ANSWERS[answer])
    env = env_for(tmp_path / "home", server.url)
    result = rc(env, "add", PAPER)
    assert result.returncode == 1
    assert len(error_lines(result)) == 1
    assert "kept as pending" in result.stderr
    assert shown(env)["status"] == "pending"


def test_a_redirect_loop_is_one_error_line(tmp_path, hostile):
    server = hostile(*[Answer("redirect_loop")] * 40)
    env = env_for(tmp_path / "home", server.url)
    result = rc(env, "add", PAPER)
    assert result.returncode == 1
    assert "redirects in a loop" in result.stderr
    assert len(error_lines(result)) == 1
    assert shown(env)["status"] == "pending"


@pytest.mark.parametrize("url", ["http://x:abc/", "http://x:99999/", "http://:80/"])
def test_a_malformed_api_url_is_a_usage_error(tmp_path, url):
    result = rc(env_for(tmp_path / "home", url), "add", PAPER)
    assert result.returncode == 2
    assert error_lines(result) == [result.stderr.strip()]
    assert "arxiv_api_url" in result.stderr


def test_an_abstract_that_mentions_the_errors_address_is_a_paper(tmp_path, hostile):
    body = feed_with(
        lambda e: e.replace("1605.08386", PAPER).replace(
            "Graphs on lattice", "See https://arxiv.org/api/errors for graphs on lattice"
        )
    )
    server = hostile(Answer("body", body=body))
    env = env_for(tmp_path / "home", server.url)
    result = rc(env, "add", PAPER)
    assert result.returncode == 0, result.stderr
    assert "api/errors" in shown(env)["abstract"]


# 4. Reading works on a store you cannot write ----------------------------------------------


STOCKED = (PAPER_A, ("read", "a"), ("add", "--url", "https://example.org/b", "--title", "B"))


def test_reads_work_for_a_user_who_cannot_write_the_store(tmp_path, stores):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to act as a user without write access")
    home = stores.copy(tmp_path / "home", *STOCKED)
    env = env_for(home, "http://127.0.0.1:9/api/query")
    os.chmod(home, 0o755)
    for path in [home, *home.iterdir()]:
        os.chown(path, 65534, 65534)  # someone else's store, 0644 in a 0755 folder
    before = (home / "rc.db").read_bytes()
    as_user = ["setpriv", "--inh-caps=-all", "--bounding-set=-all"]  # root without privileges

    def run_as_user(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*as_user, sys.executable, "-m", "readchallenge", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )

    for args in (["today"], ["list"], ["show", "a"], ["plan"], ["calendar"], ["export-week"]):
        result = run_as_user(*args)
        assert result.returncode == 0, (args, result.stderr)
    assert "A" in run_as_user("today").stdout
    written = run_as_user("read", "b")
    assert written.returncode == 1
    assert "read-only" in written.stderr and len(error_lines(written)) == 1
    assert (home / "rc.db").read_bytes() == before


def test_reads_work_on_a_read_only_mount(small_disk, stores):
    home = stores.copy(small_disk / "home", PAPER_A)
    env = env_for(home, "http://127.0.0.1:9/api/query")
    before = dump(home)
    remount(small_disk, "ro")
    try:
        for args in (["today"], ["list"], ["show", "a"], ["plan"]):
            result = rc(env, *args)
            assert result.returncode == 0, (args, result.stderr)
            assert "A" in result.stdout.split(), (args, result.stdout)  # the paper shown
        written = rc(env, "read", "a")
        assert written.returncode == 1 and len(error_lines(written)) == 1
        assert "read-only" in written.stderr
    finally:
        remount(small_disk, "rw")
    assert dump(home) == before


# 5. rc import validates every value --------------------------------------------------------


@pytest.fixture(scope="module")
def stocked_export(tmp_path_factory, stores) -> str:
    home = stores.copy(tmp_path_factory.mktemp("source") / "home", *STOCKED)
    return rc(env_for(home, "http://127.0.0.1:9/api/query"), "export", "--format", "json").stdout


@pytest.fixture
def export(stocked_export) -> dict[str, Any]:
    """A real export of a small store, to spoil one value at a time."""
    data: dict[str, Any] = json.loads(stocked_export)
    return data


def _set(table: str, field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["tables"][table][0][field] = value

    return edit


BAD_VALUES = {
    "authors not strings": (_set("papers", "authors", "[1, 2]"), "papers row 1: authors"),
    "authors not JSON": (_set("papers", "authors", "Ada, Bob"), "papers row 1: authors"),
    "per_day lots": (_set("challenge", "per_day", "lots"), "challenge row 1: per_day"),
    "per_day 0": (_set("challenge", "per_day", 0), "challenge row 1: per_day"),
    "per_day 10**30": (_set("challenge", "per_day", 10**30), "challenge row 1: per_day"),
    "start banana": (_set("challenge", "start", "banana"), "challenge row 1: start"),
    "reading on 30 February": (_set("readings", "day", "2026-02-30"), "readings row 1: day"),
    "a version too large": (_set("papers", "version", 10**30), "papers row 1: version"),
    "a link that is no URL": (_set("links", "url", "javascript:x"), "links row 1: url"),
}


@pytest.mark.parametrize("case", BAD_VALUES, ids=list(BAD_VALUES))
def test_import_refuses_a_bad_value_naming_field_and_row(tmp_path, export, case):
    edit, named = BAD_VALUES[case]
    edit(export)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(export))
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    result = rc(env, "import", str(path))
    assert result.returncode == 1
    assert error_lines(result) == [result.stderr.strip()]
    assert named in result.stderr and "nothing was imported" in result.stderr
    assert json.loads(rc(env, "list", "--json").stdout) == []
    assert rc(env, "today").returncode == 0


def test_import_refuses_deep_nesting(tmp_path, export):
    depth = 200_000
    text = json.dumps(export).replace('"authors": "[]"', '"authors": ' + "[" * depth + "]" * depth)
    path = tmp_path / "deep.json"
    path.write_text(text)
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    result = rc(env, "import", str(path))
    assert result.returncode == 1
    assert error_lines(result) == [result.stderr.strip()]
    assert "nested too deeply" in result.stderr
    assert json.loads(rc(env, "list", "--json").stdout) == []


def test_import_on_a_full_disk_says_so(tmp_path, export, small_disk):
    paper = export["tables"]["papers"][0]
    export["tables"]["papers"] = [
        {**paper, "id": f"p{n}", "abstract": "x" * 4000} for n in range(200)
    ]
    export["tables"]["links"] = export["tables"]["plan"] = export["tables"]["readings"] = []
    path = tmp_path / "big.json"
    path.write_text(json.dumps(export))
    env = env_for(small_disk / "home", "http://127.0.0.1:9/api/query")
    result = rc(env, "import", str(path))
    assert result.returncode == 1
    assert error_lines(result) == [result.stderr.strip()]
    assert "disk is full" in result.stderr
    assert json.loads(rc(env, "list", "--json").stdout) == []


# 6. No quadratic text handling -------------------------------------------------------------


def test_huge_titles_and_abstracts_do_not_stall_the_views(tmp_path, stores):
    home = stores.copy(tmp_path / "home", PAPER_A)
    env = env_for(home, "http://127.0.0.1:9/api/query")
    conn = sqlite3.connect(home / "rc.db")
    with conn:
        conn.execute(
            "UPDATE papers SET title = ?, abstract = ? WHERE id = 'a'",
            ("word " * 400_000, "lorem ipsum dolor " * 17_000),  # 2 MB, 300 KB, no full stop
        )
    conn.close()
    for args in (["export-week", "this"], ["list"], ["plan", "this"], ["today"]):
        result = rc(env, *args)  # before: 35 s to many minutes each
        assert result.returncode == 0, (args, result.stderr)
    listing = rc(env, "list").stdout
    assert len(listing) < 2_000 and "…" in listing  # the title is cut, not wrapped for pages


# 7. User templates run sandboxed -----------------------------------------------------------


def test_a_template_cannot_run_a_command(tmp_path):
    marker = tmp_path / "pwned"
    template = tmp_path / "evil.md.j2"
    template.write_text(
        '{{ cycler.__init__.__globals__.os.popen("touch ' + str(marker) + '").read() }}'
    )
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    result = rc(env, "export-week", "--template", str(template))
    assert result.returncode == 1
    assert len(error_lines(result)) == 1  # after the empty week's warning
    assert not marker.exists()


@pytest.mark.parametrize("body", ["{{ 1/0 }}", "{{ 'x' | no_such_filter }}", "{{ days[99] }}"])
def test_template_runtime_errors_are_one_line(tmp_path, body):
    template = tmp_path / "t.md.j2"
    template.write_text(body)
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    result = rc(env, "export-week", "--template", str(template))
    assert result.returncode == 1
    assert len(error_lines(result)) == 1


# 8. Control characters never reach the terminal or the store from options ------------------


@pytest.mark.parametrize(
    "args",
    [
        ["note", "a", "--description", "clear \x1b[2J screen"],
        ["note", "a", "--takeaway", "ding\x07"],
        ["week", "--theme", "\x1b]0;title\x07"],
        ["week", "--intro", "a\x1bb"],
        ["week", "--conclusion", "a\x9bb"],
        ["week", "--next", "a\x7fb"],
        ["skip", "--reason", "\x1b[31mred"],
        ["init", "--name", "bell\x07"],
    ],
    ids=lambda args: " ".join(a for a in args if a.startswith("--") or a.isalpha()),
)
def test_control_characters_in_options_are_refused(tmp_path, stores, args):
    home = stores.copy(tmp_path / "home", PAPER_A)
    env = env_for(home, "http://127.0.0.1:9/api/query")
    before = dump(home)
    result = rc(env, *args)
    assert result.returncode == 2
    assert error_lines(result) == [result.stderr.strip()]
    assert "control characters" in result.stderr
    assert dump(home) == before


def test_control_characters_from_an_import_are_shown_replaced(tmp_path, export):
    paper = export["tables"]["papers"][0]
    paper["title"] = "Evil \x1b[2J\x1b]0;owned\x07 title"
    paper["authors"] = json.dumps(["\x1b[31mRed Author"])
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(export))
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    assert rc(env, "import", str(path)).returncode == 0
    for args in (["show", paper["id"]], ["list"], ["today"], ["plan", "this"]):
        result = rc(env, *args)
        assert result.returncode == 0, result.stderr
        assert "Evil" in result.stdout
        assert not any(ch in result.stdout for ch in "\x1b\x07"), (args, result.stdout)


# 9. Re-adding a pending id applies its options ---------------------------------------------


def test_re_adding_a_pending_id_applies_its_options(tmp_path, hostile):
    server = hostile(DOWN, DOWN)
    env = env_for(tmp_path / "home", server.url)
    assert rc(env, "add", PAPER, "--backlog").returncode == 1
    again = rc(env, "add", PAPER, "--as", "P", "--code", "https://c.org/p", "--on", "2026-06-12")
    assert again.returncode == 1  # arXiv is still down
    assert "in the backlog" not in again.stderr
    assert "planned on 2026-06-12" in again.stderr
    paper = shown(env, "P")
    assert (paper["name"], paper["planned_on"]) == ("P", "2026-06-12")
    assert paper["links"]["code"] == "https://c.org/p"
    fetched = rc(env, "add", PAPER)  # arXiv is back
    assert fetched.returncode == 0
    assert f"added {PAPER}, planned on 2026-06-12" in fetched.stderr


# 10. Files rc writes behave like files users expect ----------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_output_files_follow_the_umask(tmp_path, umask, mode):
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    target = tmp_path / "post.md"
    result = rc(env, "export-week", "-o", str(target), preexec_fn=lambda: os.umask(umask))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_replaced_output_file_keeps_its_mode(tmp_path):
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    target = tmp_path / "post.md"
    target.write_text("old")
    target.chmod(0o640)
    assert rc(env, "export-week", "-o", str(target), "--force").returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text() != "old"


@pytest.mark.parametrize("command", [["export-week", "-o"], ["calendar", "--svg"]])
def test_a_fifo_is_never_replaced(tmp_path, command):
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = rc(env, *command, str(fifo), "--force")
    assert result.returncode == 1
    assert len(error_lines(result)) == 1
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_calendar_svg_refuses_to_overwrite_and_never_writes_through_a_link(tmp_path, stores):
    env = env_for(stores.copy(tmp_path / "home", ("init",)), "http://127.0.0.1:9/api/query")
    target = tmp_path / "precious.txt"
    target.write_text("precious")
    link = tmp_path / "cal.svg"
    link.symlink_to(target)
    refused = rc(env, "calendar", "--svg", str(link))
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert link.is_symlink() and target.read_text() == "precious"
    forced = rc(env, "calendar", "--svg", str(link), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not link.is_symlink() and link.read_text().startswith("<svg")
    assert target.read_text() == "precious"


# 11. Odd environments ----------------------------------------------------------------------


@pytest.mark.parametrize("command", [["today"], ["plan", "this"], ["calendar"], ["export-week"]])
def test_an_ascii_terminal_gets_replacement_characters(tmp_path, stores, command):
    cafe = ("add", "--url", "https://e.org/c", "--title", "Café ∑ — ü")
    home = stores.copy(tmp_path / "home", cafe)
    env = env_for(home, "http://127.0.0.1:9/api/query")
    result = rc({**env, "PYTHONIOENCODING": "ascii"}, *command)
    assert result.returncode == 0, result.stderr
    assert "UTF-8" not in result.stderr
    assert result.stdout.isascii() and "?" in result.stdout  # replaced, not dropped
    if command != ["calendar"]:  # the calendar shows no titles
        assert "Caf? ? ? ?" in result.stdout


OUTSIDE = "is outside the days rc handles"
OUT_OF_RANGE = [
    (["init", "--until", "9999-12-31"], OUTSIDE),
    (["init", "--start", "0001-01-01"], OUTSIDE),
    (["plan", "9999-12-31"], OUTSIDE),
    (["export-week", "0001-01-01"], OUTSIDE),
    (["week", "9999-W52"], OUTSIDE),
    (["read", "--on", "9999-12-31"], OUTSIDE),
    (["list", "--limit", "99999999999999999999"], "--limit must be at most"),
    (["list", "--limit", "²"], "Invalid value for '--limit'"),
]


@pytest.mark.parametrize(("args", "says"), OUT_OF_RANGE, ids=[" ".join(a) for a, _ in OUT_OF_RANGE])
def test_out_of_range_values_are_usage_errors(tmp_path, args, says):
    env = env_for(tmp_path / "home", "http://127.0.0.1:9/api/query")
    result = rc(env, *args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert error_lines(result)[0].startswith("error: ") and says in result.stderr
    assert rc(env, "calendar").returncode == 0


# 12. A store rc refuses stays byte-identical -----------------------------------------------


def test_a_newer_store_in_rollback_journal_mode_is_left_byte_identical(tmp_path, stores):
    home = stores.copy(tmp_path / "home", ("init",))
    env = env_for(home, "http://127.0.0.1:9/api/query")
    conn = sqlite3.connect(home / "rc.db")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    conn.commit()
    conn.close()
    before = (home / "rc.db").read_bytes()
    for args in (["today"], ["info"], ["add", "--url", "https://e.org/x", "--title", "X"]):
        result = rc(env, *args)
        assert result.returncode == 1
        assert "newer" in result.stderr and len(error_lines(result)) == 1
    assert (home / "rc.db").read_bytes() == before
    assert not (home / "rc.db-wal").exists()


def test_a_schema_version_that_is_not_a_number_is_one_line(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    conn = sqlite3.connect(home / "rc.db")
    conn.execute("CREATE TABLE schema_migrations (version TEXT, name TEXT, applied_at TEXT)")
    conn.execute("INSERT INTO schema_migrations VALUES ('two', 'x', 'x')")
    conn.commit()
    conn.close()
    before = (home / "rc.db").read_bytes()
    result = rc(env_for(home, "http://127.0.0.1:9/api/query"), "today")
    assert result.returncode == 1
    assert error_lines(result) == [result.stderr.strip()]
    assert "'two'" in result.stderr
    assert (home / "rc.db").read_bytes() == before


# 13. An editor that deletes its file -------------------------------------------------------


def test_an_editor_that_deletes_its_file_changes_nothing(tmp_path, stores):
    home = tmp_path / "home"
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nrm "$1"\n')
    editor.chmod(0o755)
    stores.copy(home, PAPER_A, ("note", "a", "--description", "kept"))
    env = env_for(home, "http://127.0.0.1:9/api/query", EDITOR=str(editor))
    result = rc(env, "note", "a")
    assert result.returncode == 1
    assert error_lines(result) == [result.stderr.strip()]
    assert "removed the file" in result.stderr
    assert shown(env, "a")["description"] == "kept"


# 14. URLs in the post cannot break out -----------------------------------------------------


def test_a_link_url_cannot_break_out_of_the_post(tmp_path, stores):
    env = env_for(stores.copy(tmp_path / "home", PAPER_A), "http://127.0.0.1:9/api/query")
    evil = "https://x.org/a)<script>alert(1)</script>"
    assert rc(env, "link", "a", "code", evil).returncode == 0
    post = rc(env, "export-week", "this").stdout
    assert "<script>" not in post
    assert "[code](https://x.org/a%29%3Cscript%3Ealert%281%29%3C/script%3E)" in post
