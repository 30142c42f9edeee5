"""Rich views of papers for the terminal."""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from readchallenge.core.text import authors_short, clip, display_name, printable
from readchallenge.render.daily import hyperlinks, link_text

if TYPE_CHECKING:
    from readchallenge.results.discover import FoundRow
    from readchallenge.results.library import Listing, ListRow, PaperDetail
    from readchallenge.results.links import Candidates


PAGE = 50  # papers a terminal shows when no --limit is given
TABLE_MOST = 200  # beyond this, rows are written as they come rather than laid out


def _state(p: ListRow) -> str:
    return str(p["status"]) if p["status"] != "ok" else ("read" if p["read"] else "")


def _cells(p: ListRow) -> list[str]:
    return [
        p["id"],
        clip(display_name(p)),
        clip(authors_short(p["authors"])),
        p["planned_on"] or "backlog",
        _state(p),
    ]


def papers_listing(console: Console, listing: Listing, limit: int | None) -> None:
    """A table on a terminal (a page of it without --limit, then a count of the rest);
    elsewhere one tab-separated line per paper, written as it is read."""
    if listing.total == 0:
        empty = (
            f"no papers match: {listing.described}"
            if listing.described
            else "No papers yet: rc add ID"
        )
        console.print(empty, markup=False)
        return
    if not console.is_terminal:
        write = console.file.write
        for p in listing.papers:
            write("\t".join(printable(_cells(p))) + "\n")
        return
    shown = list(islice(listing.papers, PAGE if limit is None else min(limit, TABLE_MOST)))
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "name / title", "authors", "planned", "state"):
        table.add_column(column, overflow="fold" if column == "name / title" else "ellipsis")
    for p in shown:
        cells = printable(_cells(p))
        style = "green" if cells[4] == "read" else "yellow"
        table.add_row(*(Text(c) for c in cells[:4]), Text(cells[4], style=style))
    console.print(table)
    rest = min(listing.total, limit or listing.total) - len(shown)
    if rest > 0:
        console.print(
            Text(f"… and {rest:,} more: rc list --limit N, or rc list | less", style="dim")
        )


COMPACT_BELOW = 60  # columns under which each result takes two lines instead of a row


def _found_cells(r: FoundRow) -> dict[str, str]:
    code = "" if not r["repo"] else ("★ " + str(r["stars"]) if r["stars"] else "yes")
    return {
        "#": str(r["number"]),
        "id": r["id"],
        "date": r["date"],
        "author": clip(r["authors"][0] if r["authors"] else "", 16),
        "title": clip(r["title"], 300),
        "↑": "" if r["upvotes"] is None else str(r["upvotes"]),
        "code": code,
        "models": "" if not r["models"] else str(r["models"]),
        "cited": "" if r.get("citations") is None else f"{r['citations']:,}",
        "stored": r["in_store"] or "",
    }


def found_table(console: Console, rows: list[FoundRow]) -> None:
    """Numbered search or daily results: what Hugging Face adds, and what is stored. One line
    a result, its title cut with "…" to the width left; the columns no result fills are left
    out; on a narrow terminal, two lines a result."""
    if not rows:
        return
    from rich.cells import cell_len

    cells = [_found_cells(r) for r in printable(rows)]
    columns = [name for name in cells[0] if name == "title" or any(c[name] for c in cells)]
    widths = {n: max(cell_len(n), *(cell_len(c[n]) for c in cells)) for n in columns}
    others = sum(w for n, w in widths.items() if n != "title") + 2 * (len(columns) - 1)
    title_width = min(widths["title"], console.width - others)
    if console.width < COMPACT_BELOW or title_width < 16:
        _found_lines(console, cells)
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in columns:
        width = title_width if name == "title" else widths[name]
        table.add_column(name, no_wrap=True, overflow="ellipsis", width=width)
    for c in cells:
        table.add_row(*(Text(c[n], style="green" if n == "stored" else "") for n in columns))
    console.print(table)


def _found_lines(console: Console, cells: list[dict[str, str]]) -> None:
    """Each result as two lines: its number and title, then what is known about it, the
    most telling first (a narrow terminal cuts the end)."""
    for c in cells:
        console.print(
            Text(f"{c['#']:>2}. {c['title']}"), no_wrap=True, overflow="ellipsis", crop=True
        )
        line = Text("    " + c["id"], style="dim")
        if c["stored"]:
            line += Text(" · " + c["stored"], style="green")
        facts = [f"↑{c['↑']}" if c["↑"] else "", f"code {c['code']}" if c["code"] else ""]
        facts += [f"{c['models']} models" if c["models"] else "", c["author"], c["date"]]
        facts.append(f"cited {c['cited']}" if c["cited"] else "")
        line += Text("".join(f" · {f}" for f in facts if f), style="dim")
        console.print(line, no_wrap=True, overflow="ellipsis", crop=True)


def link_candidates(console: Console, data: Candidates) -> None:
    """`rc links PAPER`: the links set, then what Hugging Face offers to choose from."""
    data = printable(data)
    console.print(Text(f"Links of {data['id']}", style="bold"))
    for kind, url in data["links"].items():
        console.print(Text(f"  {kind:<6} {url} ({data['link_sources'].get(kind, 'you')})"))
    page = data["huggingface"]
    if page is None:
        console.print("Hugging Face: not asked (only arXiv papers are looked up)", markup=False)
        return
    if page["status"] != "found":
        reason = {"not_indexed": "not on Hugging Face Papers yet"}.get(page["status"], "")
        console.print(f"Hugging Face: {reason or page['reason'] or page['status']}", markup=False)
        return
    console.print(Text("On Hugging Face (rc link PAPER KIND URL takes any of them)", style="bold"))
    if page["github_repo"]:
        stars = f", {page['github_stars']} stars" if page["github_stars"] is not None else ""
        added = f", added by {page['github_repo_added_by']}" if page["github_repo_added_by"] else ""
        console.print(Text(f"  repo     {page['github_repo']}{stars}{added}"))
    if page["project_page"]:
        console.print(Text(f"  project  {page['project_page']}"))
    for model in page["models"]:
        console.print(
            Text(f"  model    https://huggingface.co/{model['id']} ({model['likes']} likes)")
        )
    if page["num_models"] and page["num_models"] > len(page["models"]):
        console.print(Text(f"  … {page['num_models']} linked models in all", style="dim"))


def paper_detail(console: Console, p: PaperDetail, mode: str = "auto") -> None:
    """`rc show`; `mode` is the setting `hyperlinks`."""
    p = printable(p)
    title = p["title"] or "(metadata pending: rc fetch)"
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
        ("tags", ", ".join(p.get("tags", []))),
    ]
    post = p.get("post")
    if post:
        where = "" if post["url"] else ", not published yet"
        rows.append(("post", f"{post['title']} ({post['week']}){where}"))
    sources = p.get("link_sources", {})
    hf = p.get("huggingface")
    if hf and hf["status"] == "found":
        facts = [f"{hf['upvotes']} upvotes" if hf["upvotes"] is not None else ""]
        facts.append(f"{hf['github_stars']} stars" if hf["github_stars"] is not None else "")
        facts.append(f"{hf['models']} linked models" if hf["models"] else "")
        rows.append(("Hugging Face", ", ".join(f for f in facts if f)))
        rows.append(("keywords", ", ".join(hf["ai_keywords"])))
    elif hf and hf["status"] == "queued":
        rows.append(("Hugging Face", "lookup queued (rc fetch)"))
    rows += scholar_rows(p)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column(overflow="fold")
    for label, value in rows:
        if value:
            table.add_row(label, Text(value))
    console.print(table)
    for kind, url in p["links"].items():  # whole, never folded: a hyperlink or the full URL
        linked = hyperlinks(console, mode)
        target = link_text(console, kind, url, mode) if linked else Text(url)
        line = Text(f"{kind + ' link':<12}  ", style="dim") + target
        console.print(line + Text(f" ({sources.get(kind, 'you')})"), soft_wrap=True)
    if post and post["url"]:  # whole, never folded, as the links
        console.print(Text(f"{'post link':<12}  ", style="dim") + Text(post["url"]), soft_wrap=True)
    if p["abstract"]:
        console.print(Text("\nAbstract", style="bold"))
        console.print(Text(p["abstract"]))
    if hf and hf["ai_summary"]:
        console.print(Text("\nSummary (machine-written by Hugging Face, not yours)", style="bold"))
        console.print(Text(hf["ai_summary"], style="dim"))
    s2 = p.get("semantic_scholar")
    if s2 and s2["tldr"]:
        console.print(Text("\nTLDR (machine-written by Semantic Scholar, not yours)", style="bold"))
        console.print(Text(s2["tldr"], style="dim"))
    if p["description"]:
        console.print(Text("\nDescription", style="bold"))
        console.print(Text(p["description"]))
    if p["takeaways"]:
        console.print(Text("\nKey takeaways", style="bold"))
        for item in p["takeaways"]:
            console.print(Text(f"- {item}"))


def built_on(p: PaperDetail) -> str:
    """`LoRA (read 2026-06-11), GaLore (not read)`: the stored papers it cites."""
    return ", ".join(
        display_name(b) + (f" (read {b['read_on']})" if b["read_on"] else " (not read)")
        for b in p.get("builds_on", [])
    )


def scholar_rows(p: PaperDetail) -> list[tuple[str, str]]:
    """What `rc show` adds from Semantic Scholar: what it builds on, how often it is cited."""
    rows = [("builds on", built_on(p))]
    s2 = p.get("semantic_scholar")
    if s2 and s2["status"] == "found" and s2["citations"] is not None:
        rows.append(("Semantic Scholar", f"cited by {s2['citations']:,}"))
    elif s2 and s2["status"] == "not_found":
        rows.append(("Semantic Scholar", "not indexed yet (rc refresh --refs asks again)"))
    return rows
