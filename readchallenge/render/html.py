"""The post as HTML, for pasting into a blog editor that takes rich text."""

from __future__ import annotations

import json
import re
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# Only for the page `--open` shows: a readable measure and the system's font. The post itself
# carries no style, so what is copied from the page into an editor takes the blog's own.
PREVIEW_STYLE = """\
body { max-width: 40em; margin: 2em auto; padding: 0 1em; line-height: 1.6;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
  color: #1f2328; background: #fff; }
h1, h2 { line-height: 1.25; }
a { color: #0b57d0; }
blockquote { margin: 1em 0; padding: 0 1em; border-left: 3px solid #d0d7de; color: #59636e; }
@media (prefers-color-scheme: dark) {
  body { color: #e6edf3; background: #0d1117; }
  a { color: #4493f8; }
  blockquote { border-color: #3d444d; color: #9198a1; }
}
"""

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_FIELD = re.compile(r"^([A-Za-z][\w-]*):[ \t]*(.*)$")


def split_front_matter(markdown: str) -> tuple[dict[str, str], str]:
    """The YAML front matter's `key: value` lines (a JSON-quoted string or list read as
    such, anything else as written) and the Markdown after it."""
    match = _FRONT_MATTER.match(markdown)
    lines = [line for line in match[1].splitlines() if line.strip()] if match else []
    if match is None or not all(_FIELD.match(line) or line[0] in " -#" for line in lines):
        return {}, markdown  # a rule and a paragraph, not front matter
    fields: dict[str, str] = {}
    for line in match[1].splitlines():
        field = _FIELD.match(line)
        if field is None:
            continue
        value: Any = field[2].strip()
        try:
            value = json.loads(value)
        except ValueError:
            pass
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        fields[field[1]] = str(value)
    return fields, markdown[match.end() :]


def _math(md: MarkdownIt) -> None:
    """`$…$` and `$$…$$` kept whole, written as `\\(…\\)` and `\\[…\\]` for the blog's
    MathJax or KaTeX. Pandoc's rules: no space inside the dollars and no digit after the
    closing one, so "$5 and $6" stays text."""
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
           double_inline=True)  # fmt: skip

    def tex(tokens: Any, idx: int) -> str:
        return escape(str(tokens[idx].content).strip(), quote=False)

    # Render rules are bound to the renderer: `self` comes first.
    def inline(self: Any, tokens: Any, idx: int, *_: Any) -> str:
        return f'<span class="math">\\({tex(tokens, idx)}\\)</span>'

    def display(self: Any, tokens: Any, idx: int, *_: Any) -> str:
        return f'<span class="math">\\[{tex(tokens, idx)}\\]</span>'

    def block(self: Any, tokens: Any, idx: int, *_: Any) -> str:
        return f'<p class="math">\\[{tex(tokens, idx)}\\]</p>\n'

    md.add_render_rule("math_inline", inline)
    md.add_render_rule("math_inline_double", display)
    md.add_render_rule("math_block", block)


def body_html(markdown: str) -> str:
    """The HTML of Markdown (front matter left out), as a page's body or a feed's entry
    shows it: raw HTML shown as text, links checked, math kept whole."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    _math(md)
    return str(md.render(split_front_matter(markdown)[1]))


def post_html(markdown: str, title: str, lang: str = "en", preview: bool = False) -> str:
    """A standalone HTML page of the Markdown post. Raw HTML in the Markdown is shown as
    text and links are checked by markdown-it (no `javascript:`), so nothing executable
    passes through. Front matter becomes `<meta>` in the head, never part of the body;
    `preview` adds the small stylesheet of the page `--open` shows."""
    fields, body_text = split_front_matter(markdown)
    body = body_html(body_text)
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
    ]
    for key, value in fields.items():
        if key != "title" and value:
            name = "keywords" if key == "tags" else key
            head.append(f'<meta name="{escape(name)}" content="{escape(value)}">')
    if preview:
        head.append(f"<style>\n{PREVIEW_STYLE}</style>")
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n'
        + "\n".join(head)
        + f"\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
