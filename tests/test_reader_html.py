"""The post as an HTML page, through the real rc process, checked by parsing it: a language,
a phone's width, front matter kept out of the body, math kept whole for MathJax or KaTeX,
and a stylesheet only on the page `--open` shows."""

from __future__ import annotations

import os
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.reader import Rc, item, rc_fixture  # noqa: F401  (the fixture rc)


class Page(HTMLParser):
    """The parts of a page these tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.classes: list[str | None] = []
        self.body_text: list[str] = []
        self.head_text: list[str] = []
        self.math: list[str] = []
        self.style = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "link", "br", "hr", "img"):
            self.open.append(tag)
            self.classes.append(dict(attrs).get("class"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))  # <hr />: nothing to close

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (tag, self.open)
        self.open.pop()
        self.classes.pop()

    def handle_data(self, data: str) -> None:
        if "style" in self.open:
            self.style += data
        elif "body" in self.open:
            self.body_text.append(data)
            if self.classes[-1] == "math":
                self.math.append(data)
        else:
            self.head_text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(k) == v for k, v in attrs.items())
        ]

    @property
    def text(self) -> str:
        return "".join(self.body_text)


@pytest.fixture
def week(rc: Rc) -> None:
    rc("init", "--start", "2026-06-01")
    item(rc, "lora", "--as", "LoRA", "--on", "2026-06-08")
    rc("week", "2026-W24", "--theme", "Low rank", "--intro", "Adapters, and *why*.")
    rc(
        "note", "LoRA", "--description",
        "It learns $\\Delta W = BA$ where $x^*$ and $y^*$ are optimal on "
        "$\\mathcal{D}_{train}$, and $a < b$.\n\n$$\nW = W_0 + BA \\\\ r \\ll d\n$$\n\n"
        "It costs $5 and $6 to run.",
    )  # fmt: skip


def test_the_page_has_a_language_and_a_phones_width(rc: Rc, week):
    page = Page(rc("export-week", "2026-W24", "--format", "html").stdout)
    assert page.find("html") == [{"lang": "en"}]
    assert page.find("meta", name="viewport") == [
        {"name": "viewport", "content": "width=device-width, initial-scale=1"}
    ]
    assert page.find("title") and "Sunday Papers #1: Low rank" in page.head_text
    assert not page.find("style") and not page.style  # the post for pasting has no style
    assert not [attrs for _, attrs in page.tags if "style" in attrs]
    german = rc("export-week", "2026-W24", "--format", "html", RC_POST_LANGUAGE="de-AT")
    assert Page(german.stdout).find("html") == [{"lang": "de-AT"}]
    bad = rc("export-week", "--format", "html", RC_POST_LANGUAGE="en; x", ok=False)
    assert bad.returncode == 2 and bad.stderr.startswith("error: env RC_POST_LANGUAGE")


def test_front_matter_goes_into_the_head_not_the_body(rc: Rc, week):
    html = rc("export-week", "2026-W24", "--format", "html", "--front-matter").stdout
    page = Page(html)
    assert not page.find("hr")
    assert [h for h, _ in page.tags if h in ("h1", "h2")][0] == "h2"  # Monday's, the first
    assert "2026-W24" not in page.text and "title:" not in page.text
    assert page.find("meta", name="week", content="2026-W24")
    assert page.find("meta", name="number", content="1")
    assert page.find("meta", name="date", content="2026-06-07")
    assert page.text.lstrip().startswith("Adapters, and why.")


def test_math_is_kept_whole_for_mathjax_and_katex(rc: Rc, week):
    page = Page(rc("export-week", "2026-W24", "--format", "html").stdout)
    assert page.math == [
        "\\(\\Delta W = BA\\)",
        "\\(x^*\\)",
        "\\(y^*\\)",
        "\\(\\mathcal{D}_{train}\\)",
        "\\(a < b\\)",
        "\\[W = W_0 + BA \\\\ r \\ll d\\]",
    ]
    assert len(page.find("em")) == 1  # the intro's *why*: `$x^*$ … $y^*$` is no emphasis
    assert "It costs $5 and $6 to run." in page.text  # money stays text
    # The Markdown keeps the math as written.
    markdown = rc("export-week", "2026-W24").stdout
    assert "$x^*$ and $y^*$ are optimal on $\\mathcal{D}_{train}$" in markdown
    assert "$$\nW = W_0 + BA \\\\ r \\ll d\n$$" in markdown


def test_the_page_open_shows_has_a_small_stylesheet(rc: Rc, week, tmp_path: Path):
    seen = tmp_path / "opened"
    browser = tmp_path / "browser"
    browser.write_text(
        f"#!{sys.executable}\nimport sys\nopen({str(seen)!r}, 'w').write(sys.argv[1])\n"
    )
    browser.chmod(0o755)
    rc("export-week", "2026-W24", "--open", BROWSER=str(browser))
    path = seen.read_text().removeprefix("file://")
    page = Page(Path(path).read_text(encoding="utf-8"))
    os.unlink(path)
    assert "max-width: 40em" in page.style and "system-ui" in page.style
    assert not [attrs for _, attrs in page.tags if "style" in attrs]  # nothing inline
    assert page.find("meta", name="viewport")


def test_the_page_is_well_formed_for_every_template(rc: Rc, week):
    for template in ("sunday", "detailed"):
        html = rc("export-week", "2026-W24", "--format", "html", "--template", template).stdout
        page = Page(html)  # every element closed in order (asserted while parsing)
        assert page.open == []


def test_a_template_that_opens_with_a_rule_keeps_it_in_the_body(rc: Rc, week, tmp_path):
    template = tmp_path / "ruled.md.j2"
    template.write_text("---\n\nA week of *{{ theme }}*.\n\n---\n\nThe end.\n")
    html = rc("export-week", "2026-W24", "--format", "html", "--template", str(template))
    page = Page(html.stdout)
    assert len(page.find("hr")) == 2 and "A week of Low rank." in page.text
    assert not page.find("meta", name="keywords")
