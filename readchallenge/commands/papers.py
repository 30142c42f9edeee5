"""Commands that bring papers in and show them: add, fetch, refresh, link, list, show, search."""

from __future__ import annotations

from typing import Annotated

import typer

from readchallenge import completion
from readchallenge.actions import papers as run
from readchallenge.commands.common import PAPERS, JsonOpt, PaperArg, declare

PickOpt = Annotated[
    str | None,
    typer.Option(
        metavar="NUMBERS",
        help="Add these results (1,3,5 or 2-4) through rc add; on a terminal rc asks.",
    ),
]
PickOnOpt = Annotated[
    str | None,
    typer.Option(metavar="DAY", help="Plan the picked papers from this day on (default: backlog)."),
]


def add(
    ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="IDS", help="arXiv ids, URLs or DOIs, in any common form."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--as", help="Short display name, such as 'Phi-1'.")
    ] = None,
    code: Annotated[str | None, typer.Option(help="Link to the code.")] = None,
    model: Annotated[str | None, typer.Option(help="Link to the model.")] = None,
    blog: Annotated[str | None, typer.Option(help="Link to a blog post about it.")] = None,
    url: Annotated[
        str | None, typer.Option(help="Add a non-arXiv item (blog post, model card) at this URL.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title of a non-arXiv item.")] = None,
    kind: Annotated[
        str, typer.Option(help="Kind of a non-arXiv item: blog, model, paper or code.")
    ] = "blog",
    authors: Annotated[
        str | None, typer.Option(help="Authors of a non-arXiv item, comma-separated.")
    ] = None,
    on: Annotated[
        str | None, typer.Option(help="Plan it on this day (YYYY-MM-DD, tomorrow, friday...).")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="With --on: move the paper already there to the next free day.")
    ] = False,
    backlog: Annotated[bool, typer.Option(help="Do not plan it on a day yet.")] = False,
    no_links: Annotated[
        bool,
        typer.Option("--no-links", help="Do not look up code, model and blog on Hugging Face."),
    ] = False,
) -> None:
    """Add papers by arXiv id (fetching their metadata) or a non-arXiv item with --url."""


def fetch() -> None:
    """Fetch the metadata of every pending id (kept when arXiv was unreachable)."""


def refresh(
    ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="IDS", help="Papers to re-fetch (default: every arXiv paper)."),
    ] = None,
    links: Annotated[
        bool,
        typer.Option("--links", help="Look their links up on Hugging Face again instead."),
    ] = False,
    refs: Annotated[
        bool,
        typer.Option(
            "--refs", help="Ask Semantic Scholar again what they build on (and their TLDRs)."
        ),
    ] = False,
) -> None:
    """Fetch stored arXiv papers again and report new versions, DOIs and journal refs."""


def link(
    paper: PaperArg,
    kind: Annotated[
        str | None,
        typer.Argument(
            autocompletion=completion.link_kinds,
            metavar="KIND",
            help="paper, code, model, blog or other.",
        ),
    ] = None,
    url: Annotated[
        str | None, typer.Argument(metavar="URL", help="The URL (http or https).")
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove this kind of link.")] = False,
    order: Annotated[
        str | None,
        typer.Option(
            metavar="KINDS",
            help="The order of the links in the post, such as code,paper ('' for the default).",
        ),
    ] = None,
) -> None:
    """Add, replace or remove one link of a paper, or set the order of its links."""


def links(
    paper: PaperArg,
    json_output: JsonOpt = False,
) -> None:
    """List every link Hugging Face offers for a paper (repo, project page, models)."""


def list_(
    limit: Annotated[
        int | None,
        typer.Option(min=0, max=1_000_000_000, help="Show at most this many papers."),
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="Only papers with this status: ok, pending or missing.")
    ] = None,
    week: Annotated[
        str | None,
        typer.Option(metavar="WEEK", help="Only papers planned in this week (this, next, …)."),
    ] = None,
    unread: Annotated[bool, typer.Option("--unread", help="Only papers not read yet.")] = False,
    read: Annotated[bool, typer.Option("--read", help="Only papers read.")] = False,
    backlog: Annotated[bool, typer.Option("--backlog", help="Only papers on no day.")] = False,
    planned: Annotated[bool, typer.Option("--planned", help="Only papers on a day.")] = False,
    kind: Annotated[
        str | None, typer.Option(help="Only items of this kind: paper, blog, model or code.")
    ] = None,
    sort: Annotated[
        str, typer.Option(help="added (newest first), or upvotes on Hugging Face (most first).")
    ] = "added",
    json_output: JsonOpt = False,
) -> None:
    """List stored papers, newest first, with their day and state."""


def show(
    paper: PaperArg,
    json_output: JsonOpt = False,
) -> None:
    """Show everything stored about one paper."""


def search(
    query: Annotated[
        str, typer.Argument(metavar="QUERY", help="Words to look for, or an arXiv query (ti:...).")
    ],
    max_results: Annotated[
        int, typer.Option("--max", min=1, max=100, help="How many results (1-100).")
    ] = 10,
    sort: Annotated[
        str, typer.Option(help="arXiv's order: relevance, or submitted for the newest first.")
    ] = "relevance",
    source: Annotated[str, typer.Option(help="all (arXiv and Hugging Face), arxiv or hf.")] = "all",
    pick: PickOpt = None,
    on: PickOnOpt = None,
    json_output: JsonOpt = False,
) -> None:
    """Search arXiv and Hugging Face for candidate papers, and pick some into the backlog."""


def discover(
    when: Annotated[
        str | None,
        typer.Argument(
            metavar="WHEN",
            help="A day (today, yesterday, YYYY-MM-DD…), a week (this, next, last, YYYY-Www) "
            "or a month (YYYY-MM); default: this week.",
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="Show at most this many papers.")] = 20,
    pick: PickOpt = None,
    on: PickOnOpt = None,
    json_output: JsonOpt = False,
) -> None:
    """Hugging Face's daily papers, most upvoted first; pick some into the backlog."""


def edit(
    paper: PaperArg,
    name: Annotated[
        str | None, typer.Option("--as", help="A new display name ('' for none).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="A new title (non-arXiv items).")] = None,
    authors: Annotated[
        str | None, typer.Option(help="New authors, comma-separated (non-arXiv items).")
    ] = None,
    kind: Annotated[
        str | None, typer.Option(help="A new kind: blog, model, paper or code (non-arXiv items).")
    ] = None,
) -> None:
    """Fix a paper's name, or a non-arXiv item's title, authors or kind."""


def rm(
    papers: Annotated[
        list[str],
        typer.Argument(
            autocompletion=completion.papers,
            metavar="PAPER",
            help="Papers to remove, by id or name.",
        ),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", help="Remove without asking (needed without a terminal).")
    ] = False,
) -> None:
    """Remove papers with their day, links, notes and readings (after a backup)."""


def open_(
    paper: PaperArg,
    kind: Annotated[
        str | None,
        typer.Argument(
            autocompletion=completion.open_kinds,
            metavar="KIND",
            help="paper (default), pdf, code, model or blog.",
        ),
    ] = None,
) -> None:
    """Open a paper's link in the browser (BROWSER is honoured)."""


def register(app: typer.Typer) -> None:
    declare(app, run.add, panel=PAPERS)(add)
    declare(app, run.fetch, panel=PAPERS)(fetch)
    declare(app, run.refresh, panel=PAPERS)(refresh)
    declare(app, run.search, panel=PAPERS)(search)
    declare(app, run.discover, panel=PAPERS)(discover)
    declare(app, run.list_, panel=PAPERS, name="list")(list_)
    declare(app, run.show, panel=PAPERS)(show)
    declare(app, run.link, panel=PAPERS)(link)
    declare(app, run.links, panel=PAPERS)(links)
    declare(app, run.open_, panel=PAPERS, name="open")(open_)
    declare(app, run.edit, panel=PAPERS)(edit)
    declare(app, run.rm, panel=PAPERS)(rm)
