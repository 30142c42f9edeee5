"""The post as HTML, for pasting into a blog editor that takes rich text."""

from __future__ import annotations

from html import escape


def post_html(markdown: str, title: str) -> str:
    """A standalone HTML page of the Markdown post. Raw HTML in the Markdown is shown as
    text and links are checked by markdown-it (no `javascript:`), so nothing executable
    passes through."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).render(markdown)
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
