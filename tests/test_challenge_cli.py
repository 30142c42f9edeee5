"""The daily habit through the CLI, with the clock fixed by RC_TODAY / RC_NOW."""

from __future__ import annotations

import json

import pytest


def today_json(run) -> dict:
    result = run("today", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def add_item(run, slug: str, *extra: str) -> None:
    result = run("add", "--url", f"https://example.org/{slug}", "--title", slug, *extra)
    assert result.exit_code == 0, result.output


def test_no_challenge_explains_how_to_start(run):
    result = run("today")
    assert result.exit_code == 0
    assert "rc init" in result.stdout


def test_init_defaults_and_changes(run, monkeypatch):
    result = run("init", "--json")
    c = json.loads(result.stdout)["challenge"]
    assert (c["start"], c["until"], c["per_day"]) == ("2026-06-10", "2026-07-31", 1)
    result = run("init", "--per-day", "2")
    assert "changed per_day: 1 -> 2" in result.stderr
    monkeypatch.setenv("RC_TODAY", "2026-08-02")
    from readchallenge import config
    from readchallenge.core.challenge import coming_deadline

    assert coming_deadline(config.load().today()).isoformat() == "2027-07-31"


def test_add_fills_next_free_days_and_on_force(run):
    for slug in ("a", "b"):
        add_item(run, slug)
    plan = json.loads(run("plan", "this", "--json").stdout)
    planned = {d["date"]: [p["id"] for p in d["papers"]] for d in plan["days"]}
    assert planned["2026-06-10"] == ["a"] and planned["2026-06-11"] == ["b"]
    result = run("add", "--url", "https://example.org/c", "--title", "c", "--on", "thursday")
    assert result.exit_code == 1 and "--force" in result.stderr
    add_item(run, "c", "--on", "thursday", "--force")
    plan = json.loads(run("plan", "this", "--json").stdout)
    planned = {d["date"]: [p["id"] for p in d["papers"]] for d in plan["days"]}
    assert planned["2026-06-11"] == ["c"] and planned["2026-06-12"] == ["b"]


def planned(run) -> dict[str, list[str]]:
    """This week's plan as the user sees it in `rc plan --json`: day -> paper ids."""
    plan = json.loads(run("plan", "this", "--json").stdout)
    return {d["date"]: [p["id"] for p in d["papers"]] for d in plan["days"] if d["papers"]}


def test_plan_move_swap_clear_fill(run):
    add_item(run, "a")
    add_item(run, "b", "--backlog")
    assert planned(run) == {"2026-06-10": ["a"]}
    assert run("plan", "move", "a", "friday").exit_code == 0
    assert planned(run) == {"2026-06-12": ["a"]}
    assert run("plan", "swap", "friday", "2026-06-14").exit_code == 0
    assert planned(run) == {"2026-06-14": ["a"]}
    assert run("plan", "clear", "sunday").exit_code == 0
    assert planned(run) == {}
    result = run("plan", "fill")
    assert "planned a on 2026-06-10" in result.stderr
    assert "planned b on 2026-06-11" in result.stderr
    assert planned(run) == {"2026-06-10": ["a"], "2026-06-11": ["b"]}


def test_read_streak_and_pace(run, monkeypatch):
    run("init", "--start", "2026-06-01")
    for n in range(6):
        add_item(run, f"p{n}", "--on", f"2026-06-{10 + n}")
    assert run("read").exit_code == 0  # today's paper, 2026-06-10
    s = today_json(run)
    assert s["read_today"] and s["streak"]["current"] == 1
    assert s["pace"]["target"] == 10 and s["pace"]["ahead_by"] == -9

    monkeypatch.setenv("RC_TODAY", "2026-06-11")
    s = today_json(run)
    assert s["streak"] == {"current": 1, "longest": 1, "at_stake": True}
    run("read")
    monkeypatch.setenv("RC_TODAY", "2026-06-13")  # 06-12 missed
    s = today_json(run)
    assert s["streak"]["current"] == 0 and s["streak"]["longest"] == 2
    run("skip", "--on", "yesterday", "--reason", "travel")
    s = today_json(run)
    assert s["streak"]["current"] == 2  # the skipped day bridges, without counting
    assert s["papers"][0]["id"] == "p3" and s["tomorrow"][0]["id"] == "p4"
    run("read", "p3")
    run("read", "p3")  # twice on one day is one reading
    assert today_json(run)["streak"]["current"] == 3
    assert run("unread", "p3").exit_code == 0
    assert today_json(run)["streak"]["current"] == 2


def test_day_boundary_at_four(run, monkeypatch):
    run("init", "--start", "2026-06-01")
    add_item(run, "late", "--on", "2026-06-09")
    monkeypatch.delenv("RC_TODAY")
    monkeypatch.setenv("RC_DAY_STARTS_AT", "04:00")
    monkeypatch.setenv("RC_NOW", "2026-06-10T01:30")
    result = run("read", "late")
    assert "on 2026-06-09" in result.stderr
    s = today_json(run)
    assert s["today"] == "2026-06-09" and s["read_today"]


def test_streak_across_dst_change(run, monkeypatch):
    # Europe changes clocks on 2026-03-29; days are counted by date, not by 24 h periods.
    monkeypatch.setenv("TZ", "Europe/Berlin")
    run("init", "--start", "2026-03-27", "--until", "2026-04-05")
    for day in ("2026-03-28", "2026-03-29", "2026-03-30"):
        add_item(run, f"d{day}", "--on", day)
        monkeypatch.setenv("RC_TODAY", day)
        assert run("read").exit_code == 0
    assert today_json(run)["streak"]["current"] == 3


@pytest.mark.parametrize("bad", ["someday", "2026-02-30", "last never"])
def test_unreadable_dates_are_usage_errors(run, bad):
    result = run("read", "--on", bad)
    assert result.exit_code == 2
    assert repr(bad) in result.stderr


def test_read_with_nothing_planned(run):
    result = run("read")
    assert result.exit_code == 1 and "nothing is planned" in result.stderr


def test_calendar_and_svg(run, tmp_path):
    run("init", "--start", "2026-06-01")
    add_item(run, "a", "--on", "2026-06-02")
    run("read", "a", "--on", "2026-06-02")
    data = json.loads(run("calendar", "--json").stdout)
    states = {c["date"]: c["state"] for w in data["weeks"] for c in w}
    assert states["2026-06-02"] == "read" and states["2026-06-01"] == "missed"
    assert states["2026-06-20"] == "future"
    result = run("calendar")
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "read" in result.stdout and "missed" in result.stdout
    svg = tmp_path / "cal.svg"
    assert run("calendar", "--svg", str(svg)).exit_code == 0
    assert svg.read_text().startswith("<svg")


def test_long_streaks_and_history_changed_behind_rcs_back(run, db, monkeypatch):
    # 300 days read in a row (longer than the first window rc looks at), then a gap,
    # then 5 more days; written straight into the store as an import would.
    from datetime import date, timedelta

    run("init", "--start", "2025-01-01")
    add_item(run, "x", "--backlog")
    today = date(2026, 6, 10)
    conn = db()
    with conn:
        for n in range(1, 301):
            day = today - timedelta(days=n)
            conn.execute(
                "INSERT INTO readings (paper_id, day, read_at) VALUES ('x', ?, 'x')",
                (day.isoformat(),),
            )
    s = today_json(run)
    assert s["streak"]["current"] == 300 and s["streak"]["longest"] == 300
    with conn:
        conn.execute(
            "DELETE FROM readings WHERE day = ?", ((today - timedelta(days=6)).isoformat(),)
        )
    s = today_json(run)
    assert s["streak"]["current"] == 5
    assert s["streak"]["longest"] == 294  # the stored longest was recomputed
    run("skip", "--on", (today - timedelta(days=6)).isoformat())
    assert today_json(run)["streak"] == {"current": 299, "longest": 299, "at_stake": True}


def test_day_boundary_and_utc_stamp_on_the_night_clocks_change(tmp_path):
    # In Berlin, 2026-03-29 02:00 becomes 03:00. With the day starting at 04:00, a paper read
    # at 03:30 that night still counts for the 28th, and is stamped 01:30 UTC (UTC+2 by then).
    import os
    import sqlite3
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("RC_")}
    env.update(
        RC_HOME=str(tmp_path / "home"),
        TZ="Europe/Berlin",
        RC_DAY_STARTS_AT="04:00",
        RC_NOW="2026-03-29T03:30",
    )

    def rc(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "readchallenge", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert rc("add", "--url", "https://example.org/n", "--title", "Night").returncode == 0
    result = rc("read", "night")
    assert result.returncode == 0, result.stderr
    assert "on 2026-03-28" in result.stderr
    conn = sqlite3.connect(tmp_path / "home" / "rc.db")
    assert conn.execute("SELECT day, read_at FROM readings").fetchone() == (
        "2026-03-28",
        "2026-03-29T01:30:00+00:00",
    )
