"""`rc calendar -o FILE`: the challenge as a heat-map to post, drawn by rc itself and checked
by parsing the SVG the real rc process writes: its cells, labels, legend and size."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import Stores
from tests.reader import Rc, item, rc_fixture  # noqa: F401  (the fixture rc)

NS = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 6, 18)  # a Thursday


def parse(path: Path) -> ET.Element:
    return ET.fromstring(path.read_text(encoding="utf-8"))


def cells(svg: ET.Element) -> dict[str, ET.Element]:
    return {r.get("data-date", ""): r for r in svg.iter(f"{NS}rect") if r.get("class", "") in (
        "day", "day today")}  # fmt: skip


def texts(svg: ET.Element, kind: str) -> list[ET.Element]:
    return [t for t in svg.iter(f"{NS}text") if t.get("class") == kind]


TWO_MONTHS = (
    ("init", "--start", "2026-06-01", "--until", "2026-07-31", "--name", "Paper a day"),
    *(
        command
        for n in range(1, 18)
        if n not in (7, 12)
        for command in (
            ("add", "--url", f"https://example.org/p{n}", "--title", f"p{n}", "--kind", "paper",
             "--on", date(2026, 6, n).isoformat()),
            ("read", f"p{n}", "--on", date(2026, 6, n).isoformat()),
        )
    ),
    ("skip", "--on", "2026-06-12"),
    ("add", "--url", "https://example.org/next", "--title", "next", "--kind", "paper",
     "--on", "2026-06-19"),
)  # fmt: skip


@pytest.fixture
def two_months(stores: Stores, tmp_path: Path) -> None:
    """1 June - 31 July 2026, seen on 18 June: read from 1 to 17 June but for a skipped
    12 June and a missed 7 June, a paper planned on 19 June (made once, copied)."""
    stores.copy(tmp_path / "home", *TWO_MONTHS, RC_TODAY=TODAY.isoformat())


def draw(rc: Rc, tmp_path: Path, *options: str) -> ET.Element:
    target = tmp_path / "calendar.svg"
    result = rc("calendar", "-o", str(target), "--force", *options, RC_TODAY=TODAY.isoformat())
    assert f"wrote {target}" in result.stderr
    return parse(target)


def test_one_rect_a_day_coloured_by_its_state(rc: Rc, two_months, tmp_path: Path):
    svg = draw(rc, tmp_path)
    days = cells(svg)
    every_day = [date(2026, 6, 1) + timedelta(days=n) for n in range(61)]
    assert list(days) == [d.isoformat() for d in every_day]  # Monday to Sunday, week by week
    states = {d: r.get("data-state") for d, r in days.items()}
    assert states["2026-06-01"] == "read" and states["2026-06-17"] == "read"
    assert states["2026-06-07"] == "missed"
    assert states["2026-06-12"] == "skipped"
    assert states["2026-06-19"] == "planned"
    assert states["2026-07-31"] == "future"
    fills = {state: {r.get("fill") for r in days.values() if r.get("data-state") == state}
             for state in ("read", "skipped", "missed", "planned", "future")}  # fmt: skip
    assert all(len(f) == 1 for f in fills.values())  # one colour a state,
    assert len({f.pop() for f in fills.values()}) == 5  # and a different one for each
    # Weeks are columns, weekdays rows: 8 June is right of 1 June, 2 June below it.
    assert float(days["2026-06-08"].get("x", 0)) > float(days["2026-06-01"].get("x", 0))
    assert float(days["2026-06-02"].get("y", 0)) > float(days["2026-06-01"].get("y", 0))
    assert days["2026-06-08"].get("y") == days["2026-06-01"].get("y")
    tips = {d: r.find(f"{NS}title") for d, r in days.items()}
    assert tips["2026-06-12"] is not None and tips["2026-06-12"].text == (
        "Friday 12 June 2026: skipped"
    )


def test_today_is_outlined_and_the_legend_says_what_colours_mean(rc: Rc, two_months, tmp_path):
    svg = draw(rc, tmp_path)
    days = cells(svg)
    outlined = [d for d, r in days.items() if r.get("stroke")]
    assert outlined == [TODAY.isoformat()]
    assert days[TODAY.isoformat()].get("class") == "day today"
    legend = [r for r in svg.iter(f"{NS}rect") if r.get("class") == "legend"]
    assert [r.get("data-state") for r in legend] == [
        "read", "skipped", "missed", "planned", "future", "today"]  # fmt: skip
    colours = {r.get("data-state"): r.get("fill") for r in legend}
    assert colours["read"] == days["2026-06-01"].get("fill")
    assert colours["missed"] == days["2026-06-07"].get("fill")
    words = [t.text for t in svg.iter(f"{NS}text")]
    assert {"read", "skipped", "missed", "planned", "future", "today"} <= set(words)


def test_labels_months_weekdays_title_and_what_a_screen_reader_says(rc: Rc, two_months, tmp_path):
    svg = draw(rc, tmp_path)
    days = cells(svg)
    months = texts(svg, "month")
    assert [m.text for m in months] == ["June", "July"]  # no August: no day of it is drawn
    assert months[0].get("x") == days["2026-06-01"].get("x")
    assert months[1].get("x") == days["2026-07-01"].get("x")  # over the week of 1 July
    weekdays = texts(svg, "weekday")
    assert [w.text for w in weekdays] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    title = svg.find(f"{NS}title")
    assert title is not None
    assert title.text == "Paper a day, 1 June 2026 – 31 July 2026: streak 9 days · 15 of 60 read"
    assert svg.get("role") == "img" and svg.get("aria-label") == title.text


def test_a_size_for_a_post_and_nothing_loaded_from_elsewhere(rc: Rc, two_months, tmp_path):
    svg = draw(rc, tmp_path)
    width, height = int(svg.get("width", 0)), int(svg.get("height", 0))
    assert 600 <= width <= 760 and 400 <= height <= 700, (width, height)
    assert svg.get("viewBox") == f"0 0 {width} {height}"
    text = (tmp_path / "calendar.svg").read_text(encoding="utf-8")
    assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "href" not in text and "@import" not in text and "<script" not in text
    assert "<image" not in text and "@font-face" not in text


def test_dark_and_light_and_a_theme_rc_does_not_know(rc: Rc, two_months, tmp_path):
    def background(svg: ET.Element) -> str | None:
        return next(r for r in svg.iter(f"{NS}rect") if r.get("class") == "background").get(
            "fill")  # fmt: skip

    light, dark = draw(rc, tmp_path), draw(rc, tmp_path, "--theme", "dark")
    assert background(light) == "#ffffff" and background(dark) == "#0d1117"
    assert cells(light)["2026-06-07"].get("fill") != cells(dark)["2026-06-07"].get("fill")
    target = tmp_path / "never.svg"
    wrong = rc("calendar", "-o", str(target), "--theme", "sepia", ok=False)
    assert wrong.returncode == 2 and wrong.stderr == (
        "error: --theme must be light or dark, not 'sepia'\n"
    )
    assert not target.exists()


def test_svg_is_the_same_as_o_and_refuses_to_overwrite(rc: Rc, two_months, tmp_path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    rc("calendar", "-o", str(first), RC_TODAY=TODAY.isoformat())
    rc("calendar", "--svg", str(second), RC_TODAY=TODAY.isoformat())
    assert first.read_bytes() == second.read_bytes()
    again = rc("calendar", "--svg", str(second), ok=False)
    assert again.returncode == 1 and "--force" in again.stderr


def test_a_year_long_challenge_keeps_a_posts_width(rc: Rc, tmp_path):
    rc("init", "--start", "2026-08-01", "--until", "2027-07-31")
    svg = draw(rc, tmp_path)
    assert len(cells(svg)) == 365
    assert int(svg.get("width", 0)) <= 760
    months = [m.text for m in texts(svg, "month")]
    assert months[0] == "Aug" and months[-1] == "Jul" and len(months) == 12
    assert [w.text for w in texts(svg, "weekday")] == ["Mon", "Wed", "Fri", "Sun"]


def test_no_challenge_no_picture(rc: Rc, tmp_path):
    target = tmp_path / "calendar.svg"
    result = rc("calendar", "-o", str(target), ok=False)
    assert result.returncode == 1 and "rc init" in result.stderr
    assert not target.exists()


def test_the_terminal_calendar_labels_no_month_without_a_day(rc: Rc, two_months):
    shown = rc("calendar", RC_TODAY=TODAY.isoformat(), COLUMNS="80").stdout
    labels = shown.splitlines()[1]
    assert labels.split() == ["Jun", "Jul"]


def test_rc_demo_shows_the_calendar_and_leaves_the_picture_and_the_page(rc: Rc, tmp_path):
    shown = rc("demo", TMPDIR=str(tmp_path), RC_TODAY="2026-06-11")
    assert "rc calendar" in shown.stdout and "■ read" in shown.stdout
    assert "## Monday: Phi-1 (" in shown.stdout
    found = dict(re.findall(r"the (calendar|post) as .*?: file://(\S+)", shown.stderr))
    svg = parse(Path(found["calendar"]))
    days = cells(svg)
    assert days["2026-06-08"].get("data-state") == "read"
    assert days["2026-06-11"].get("class") == "day today"
    page = Path(found["post"]).read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "<style>" in page and "<h2>Monday: Phi-1 (" in page
    assert not (tmp_path / "home").exists()  # the demo never touches RC_HOME
