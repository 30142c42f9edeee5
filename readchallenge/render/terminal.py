"""Rich views of papers for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from readchallenge.core.text import authors_short, clip, display_name, printable


def papers_table(console: Console, papers: list[dict[str, Any]]) -> None:
    papers = printable(papers)
    if not papers:
        console.print("No papers yet: rc add ARXIV_ID", markup=False)
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "name / title", "authors", "planned", "state"):
        table.add_column(column, overflow="fold" if column == "name / title" else "ellipsis")
    for p in papers:
        state = "pending" if p["status"] == "pending" else ("read" if p["read"] else "")
        table.add_row(
            Text(p["id"]),
            Text(clip(display_name(p))),
            Text(clip(authors_short(p["authors"], 1))),
            Text(p["planned_on"] or "backlog"),
            Text(state, style="yellow" if state == "pending" else "green"),
        )
    console.print(table)


def paper_detail(console: Console, p: dict[str, Any]) -> None:
    p = printable(p)
    title = p["title"] or "(metadata pending: rc sync)"
    console.print(Text(display_name(p), style="bold"))
    if p.get("name"):
        console.print(Text(title))
    rows: list[tuple[str, str]] = [("id", p["id"] + (f"v{p['version']}" if p["version"] else ""))]
    if p["requested_version"]:
        rows.append(("asked for", f"v{p['requested_version']}"))
    rows += [
        ("kind", p["kind"]),
        ("status", p["status"]),
        ("authors", ", ".join(p["authors"])),
        ("published", p["published"] or ""),
        ("updated", p["updated"] or ""),
        ("categories", ", ".join(p["categories"])),
        ("comment", p["comment"] or ""),
        ("journal ref", p["journal_ref"] or ""),
        ("DOI", p["doi"] or ""),
        ("planned on", p["planned_on"] or "backlog"),
        ("read on", ", ".join(p["read_on"]) or "not yet"),
    ]
    rows += [(f"{kind} link", url) for kind, url in p["links"].items()]
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column(overflow="fold")
    for label, value in rows:
        if value:
            table.add_row(label, Text(value))
    console.print(table)
    if p["abstract"]:
        console.print(Text("\nAbstract", style="bold"))
        console.print(Text(p["abstract"]))
    if p["description"]:
        console.print(Text("\nDescription", style="bold"))
        console.print(Text(p["description"]))
    if p["takeaways"]:
        console.print(Text("\nKey takeaways", style="bold"))
        for item in p["takeaways"]:
            console.print(Text(f"- {item}"))
