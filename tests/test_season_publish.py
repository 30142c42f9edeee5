"""rc publish through the real process: a static site's files written once, again only
where something changed, never over a hand edit, with an Atom feed of the published weeks
(docs/season.md)."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import feedparser

from tests.season import POST_1, Rc

ATOM = "{http://www.w3.org/2005/Atom}"
POSTS = [
    "content/posts/2026-05-31-sunday-papers-1.md",
    "content/posts/2026-06-07-sunday-papers-2.md",
    "content/posts/2026-06-14-sunday-papers-3.md",
]
HUGO = [*POSTS, "content/sunday-papers.md", "static/feed.xml"]


def snapshot(site: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(site)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def check_atom(text: str) -> ET.Element:
    """What RFC 4287 requires of a feed and its entries, element by element."""
    feed = ET.fromstring(text.encode())
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.find(f"{ATOM}author/{ATOM}name").text  # type: ignore[union-attr]
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        links = [link.attrib for link in entry.findall(f"{ATOM}link")]
        assert [link["rel"] for link in links] == ["alternate"]
        assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")  # type: ignore[union-attr]
        assert entry.find(f"{ATOM}content").attrib["type"] == "html"  # type: ignore[union-attr]
    return feed


def test_publish_twice_changes_nothing_and_keeps_a_hand_edit(season: Rc, tmp_path: Path):
    site = tmp_path / "site"
    first = season.json("publish", str(site))
    assert first["layout"] == "hugo" and first["wrote"] == HUGO
    assert set(first["drafts"]) == set(POSTS)  # days without papers: --check is not happy
    before = snapshot(site)
    again = season.json("publish", str(site))
    assert (again["wrote"], again["kept"], again["skipped"]) == ([], HUGO, [])
    assert snapshot(site) == before  # not a byte, not a time stamp
    post = site / POSTS[1]
    post.write_text(post.read_text() + "\nA line of my own.\n")
    season("week", "2026-W24", "--conclusion", "Attention, and what else.")
    result = season("publish", str(site))
    assert f"skipped {POSTS[1]}: changed by hand since rc wrote it" in result.stderr
    assert f"kept {POSTS[0]} (draft: rc export-week 2026-W23 --check lists" in result.stderr
    assert post.read_text().endswith("\nA line of my own.\n")
    forced = season.json("publish", str(site), "--force")
    assert forced["wrote"] == [POSTS[1]]
    assert "A line of my own." not in post.read_text()
    assert "Attention, and what else." in post.read_text()


def test_the_posts_front_matter_and_the_series_page(season: Rc, tmp_path: Path):
    site = tmp_path / "site"
    season("publish", str(site))
    head = (site / POSTS[0]).read_text().split("---\n")[1]
    assert head.splitlines() == [
        'title: "Sunday Papers #1: Data-efficient training"',
        "date: 2026-05-31",
        "draft: true",
        'tags: ["llm", "efficiency", "moe", "optimizers"]',
        'arxiv_categories: ["math.CO", "math.ST"]',
        'series: ["Sunday Papers"]',
        "series_number: 1",
        'week: "2026-W23"',
    ]
    page = (site / "content/sunday-papers.md").read_text()
    assert page.startswith('---\ntitle: "Sunday Papers"\n---\n')
    assert f"## [Sunday Papers #1: Data-efficient training]({POST_1})" in page


def test_the_feed_parses_with_one_entry_per_published_week(season: Rc, tmp_path: Path):
    site = tmp_path / "site"
    season("publish", str(site), RC_POST_AUTHOR="A. Blogger")
    text = (site / "static/feed.xml").read_text()
    check_atom(text)
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Sunday Papers" and parsed.feed.author == "A. Blogger"
    assert parsed.feed.id.startswith("urn:uuid:") and parsed.feed.updated
    assert [(e.title, e.link) for e in parsed.entries] == [
        ("Sunday Papers #1: Data-efficient training", POST_1)
    ]
    entry = parsed.entries[0]
    assert entry.published == "2026-05-31T00:00:00Z" and entry.updated == "2026-06-22T09:30:00Z"
    assert [t.term for t in entry.tags] == ["llm", "efficiency", "moe", "optimizers"]
    assert "Pretraining for the rest of us" in entry.content[0].value
    # Week 2 published: two entries, newest first; the first keeps its id.
    post_2 = "https://blog.example.org/sunday-papers-2"
    season("week", "2026-W24", "--url", post_2)
    season(
        "publish", str(site), RC_POST_AUTHOR="A. Blogger", RC_SITE_URL="https://blog.example.org/"
    )
    again = feedparser.parse((site / "static/feed.xml").read_text())
    assert [e.link for e in again.entries] == [post_2, POST_1]
    assert again.entries[1].id == entry.id
    links = {link.rel: link.href for link in again.feed.links}
    assert links == {
        "alternate": "https://blog.example.org/",
        "self": "https://blog.example.org/feed.xml",
    }


def test_a_finished_week_is_a_draft_until_its_sunday(tmp_path: Path):
    rc = Rc(tmp_path / "home")
    export = tmp_path / "week.json"
    export.write_text(json.dumps(_finished_week()))
    rc("import", str(export))
    assert rc("export-week", "2026-W27", "--check").returncode == 0
    site = tmp_path / "site"
    early = rc.json("publish", str(site), RC_TODAY="2026-06-27", RC_NOW="2026-06-27T12:00")
    assert early["drafts"] == {"content/posts/2026-06-28-sunday-papers-1.md": "until 2026-06-28"}
    post = site / "content/posts/2026-06-28-sunday-papers-1.md"
    assert "draft: true" in post.read_text()
    ready = rc.json("publish", str(site), RC_TODAY="2026-06-28", RC_NOW="2026-06-28T08:00")
    assert ready["drafts"] == {} and "content/posts/2026-06-28-sunday-papers-1.md" in ready["wrote"]
    assert "draft: false" in post.read_text()


def test_jekyll_gets_its_folders_and_front_matter_and_hugo_s_files_go(season: Rc, tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "_config.yml").write_text("title: My blog\n")
    (site / "feed.xml").write_text("<feed>my own</feed>\n")  # not rc's: never overwritten
    first = season.json("publish", str(site))
    assert first["layout"] == "jekyll"
    assert first["skipped"] == ["feed.xml"]
    assert (site / "feed.xml").read_text() == "<feed>my own</feed>\n"
    post = (site / "_posts/2026-05-31-sunday-papers-1.md").read_text()
    assert post.startswith("---\nlayout: post\ntitle: ")
    assert "draft: true\npublished: false\n" in post and 'series: "Sunday Papers"' in post
    assert "permalink: /sunday-papers/" in (site / "sunday-papers.md").read_text()
    assert season.json("publish", str(site))["wrote"] == []  # jekyll, as last time
    moved = season.json("publish", str(site), "--layout", "hugo")
    assert moved["removed"] == [
        "_posts/2026-05-31-sunday-papers-1.md",
        "_posts/2026-06-07-sunday-papers-2.md",
        "_posts/2026-06-14-sunday-papers-3.md",
        "sunday-papers.md",
    ]
    assert not (site / "_posts/2026-05-31-sunday-papers-1.md").exists()
    assert (site / "feed.xml").read_text() == "<feed>my own</feed>\n"
    assert (site / "content/posts/2026-05-31-sunday-papers-1.md").exists()


def test_a_record_brought_from_elsewhere_removes_nothing_outside_the_site(
    season: Rc, tmp_path: Path
):
    site = tmp_path / "site"
    season("publish", str(site))
    outside = tmp_path / "precious.txt"
    outside.write_text("mine\n")
    record = json.loads((site / ".rc-publish.json").read_text())
    entry = {"sha256": hashlib.sha256(b"mine\n").hexdigest(), "written": "2026-06-01T00:00:00Z"}
    record["files"]["../precious.txt"] = entry
    record["files"]["content/posts/notes.md"] = entry
    (site / ".rc-publish.json").write_text(json.dumps(record))
    (site / "content/posts/notes.md").write_text("mine\n")
    result = season.json("publish", str(site))
    assert result["removed"] == []
    assert outside.read_text() == "mine\n"
    assert (site / "content/posts/notes.md").read_text() == "mine\n"


def test_publish_into_what_is_no_folder_or_a_damaged_record_is_one_line(season: Rc, tmp_path: Path):
    afile = tmp_path / "a-file"
    afile.write_text("x")
    result = season("publish", str(afile), ok=False)
    assert result.returncode == 2 and result.stderr.startswith("error: ")
    site = tmp_path / "site"
    site.mkdir()
    (site / ".rc-publish.json").write_text("{not json")
    result = season("publish", str(site), ok=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in site.iterdir()) == [".rc-publish.json"]


def test_publish_into_an_empty_dir_argument_is_refused_not_the_current_folder(
    season: Rc, tmp_path: Path
):
    """`rc publish "$SITE"` with SITE unset: '' is no folder, not `.`."""
    from tests.conftest import run_rc

    here = tmp_path / "here"
    here.mkdir()
    result = run_rc(["publish", ""], season.env, cwd=here)
    assert result.returncode == 2, result.stderr
    assert result.stderr == "error: DIR is empty: give a file or folder\n"
    assert list(here.iterdir()) == []


def _finished_week() -> dict[str, object]:
    """An rc export of one finished week (29 June – 5 July 2026): seven papers with a code
    link and a description each, and the week's words."""
    papers, links, plan, notes = [], [], [], []
    for n in range(7):
        slug = f"paper-{n}"
        papers.append(
            {"id": slug, "source": "web", "kind": "paper", "status": "ok", "title": f"Paper {n}",
             "authors": "[]", "categories": "[]", "added_at": f"2026-06-01T00:00:0{n}"}
        )  # fmt: skip
        links += [
            {"paper_id": slug, "kind": "paper", "url": f"https://example.org/{slug}",
             "source": "you"},
            {"paper_id": slug, "kind": "code", "url": f"https://example.org/{slug}/code",
             "source": "you"},
        ]  # fmt: skip
        plan.append({"paper_id": slug, "day": (date(2026, 6, 29) + timedelta(days=n)).isoformat()})
        notes.append({"paper_id": slug, "description": f"What paper {n} does.", "updated_at": "x"})
    return {
        "format": "rc-export",
        "version": 1,
        "tables": {
            "challenge": [
                {
                    "id": 1,
                    "name": "Summer",
                    "start": "2026-06-29",
                    "until": "2026-07-31",
                    "per_day": 1,
                    "created_at": "2026-06-01T00:00:00+00:00",
                }
            ],  # fmt: skip
            "papers": papers,
            "links": links,
            "plan": plan,
            "notes": notes,
            "weeks": [
                {
                    "week": "2026-W27",
                    "theme": "Seven",
                    "intro": "Why seven.",
                    "conclusion": "That was seven.",
                    "teaser": "Eight next week.",
                }
            ],  # fmt: skip
        },
    }
