"""Bringing papers in: add, fetch, refresh, search, discover."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

from readchallenge.commands.common import Json, ask, console, day_arg, err_console, print_json, say
from readchallenge.core.records import ITEM_KINDS
from readchallenge.errors import IncompleteResult, Interrupted, RcError, UsageError
from readchallenge.params import PAPERS, Arg, Group, Opt

if TYPE_CHECKING:
    from readchallenge.config import Config
    from readchallenge.results.discover import Found
    from readchallenge.services.report import AddReport

commands = Group(panel=PAPERS)
ORDERS = ("relevance", "submitted")
Pick = Annotated[
    str | None,
    Opt(
        metavar="NUMBERS",
        help="Add these results (1,3,5 or 2-4) through rc add; on a terminal rc asks.",
    ),
]
PickOn = Annotated[
    str | None,
    Opt(
        metavar="DAY",
        complete="days",
        help="Plan the picked papers from this day on (default: backlog).",
    ),
]


@contextmanager
def feedback() -> Iterator[tuple[Any, Any]]:
    """Progress on stderr: a bar when several requests are needed, a line for long waits."""
    from rich.progress import Progress

    progress = Progress(console=err_console(), transient=True)
    task: list[Any] = []

    def on_wait(seconds: float, reason: str) -> None:
        if seconds > 1:
            say(f"waiting {seconds:.1f} s ({reason})")

    def on_progress(done: int, total: int) -> None:
        if total < 2:
            return
        if not task:
            progress.start()
            task.append(progress.add_task("fetching from arXiv", total=total))
        progress.update(task[0], completed=done)

    try:
        yield on_wait, on_progress
    finally:
        if task:
            progress.stop()


def report(result: AddReport, *, verb: str = "added") -> None:
    """Tell the user, paper by paper, what happened; exit 1 when anything failed."""
    if result.challenge_created:
        say("started a new challenge (rc init shows or changes it)")
    for paper_id in result.stored:
        day = result.planned.get(paper_id)
        say(f"{verb} {paper_id}" + (f", planned on {day}" if day else ", in the backlog"))
    for paper_id, day in result.moved.items():
        say(f"moved {paper_id} to {day}")
    for paper_id, changes in result.changes.items():
        say(f"{paper_id}: " + ("; ".join(changes) if changes else "unchanged"))
    for paper_id, updates in result.updates.items():
        if updates:
            say(f"{paper_id}: " + "; ".join(updates))
    for paper_id, (asked, latest) in result.missing_versions.items():
        say(
            f"warning: {paper_id}: arXiv has no v{asked}, its latest is v{latest}; "
            "the post links the latest"
        )
    for paper_id in result.already:
        say(f"already stored: {paper_id}")
    for paper_id in result.not_found:
        say(f"not found on arXiv: {paper_id} (kept as missing, with everything you gave it)")
    _report_links(result)
    _report_references(result)
    # arXiv unreachable while nothing was left pending (rc refresh): that is the error
    # itself, not a line before an "error: 0 failed, 0 done".
    only_unavailable = bool(result.unavailable) and not (
        result.not_found or result.pending or result.interrupted
    )
    if result.unavailable and not only_unavailable:
        say(result.unavailable)
    if result.pending:
        say("kept as pending (run rc fetch later): " + ", ".join(result.pending))
    if result.interrupted:
        done = len(result.stored) + len(result.changes)
        raise Interrupted(f"interrupted: {done} stored, {len(result.pending)} left pending")
    if result.failed:
        failed = len(result.not_found) + len(result.pending)
        done = len(result.stored) + len(result.changes)
        if only_unavailable:
            raise IncompleteResult(f"{result.unavailable}" + (f"; {done} done" if done else ""))
        raise IncompleteResult(f"{failed} failed, {done} done")


def _short(url: str) -> str:
    for prefix in ("https://huggingface.co/", "https://", "http://"):
        if url.startswith(prefix):
            return url[len(prefix) :]
    return url


def _report_links(result: AddReport) -> None:
    """What Hugging Face gave each paper: `Mamba: code github.com/…, model org/name`."""
    for paper_id, fields in result.links_ignored.items():
        say(f"{paper_id}: ignored a non-http link from Hugging Face ({', '.join(fields)})")
    for paper_id, found in result.links_found.items():
        if found:
            shown = ", ".join(f"{kind} {_short(url)}" for kind, url in found.items())
            say(f"{paper_id}: {shown}")
        elif paper_id in result.links_not_indexed:
            say(f"{paper_id}: not on Hugging Face Papers yet (rc refresh --links asks again)")
        else:
            say(f"{paper_id}: no new links found on Hugging Face")
    if result.links_queued:
        say(
            f"links: {result.links_problem}; the lookup of {', '.join(result.links_queued)} "
            "is queued (rc fetch retries it)"
        )


def _report_references(result: AddReport) -> None:
    """What Semantic Scholar said each paper builds on: `ID: builds on LoRA, GaLore`."""
    for paper_id, names in result.refs_found.items():
        if names:
            say(f"{paper_id}: builds on {', '.join(names)}")
    if result.refs_problem:
        say(f"references: {result.refs_problem}; rc refresh --refs asks again")


def _refresh_references(cfg: Config, ids: list[str]) -> None:
    """`rc refresh --refs [PAPER...]`: what each builds on, asked again."""
    from readchallenge.services import scholar

    result = scholar.refresh(cfg, ids)
    for paper_id, names in result.refs_found.items():
        say(
            f"{paper_id}: builds on {', '.join(names)}" if names else f"{paper_id}: references kept"
        )
    for paper_id in dict.fromkeys(result.refs_not_indexed):
        say(f"{paper_id}: not on Semantic Scholar yet (asked again after a week)")
    if result.refs_problem:
        raise RcError(f"{result.refs_problem}; rc refresh --refs asks again")
    if not (result.refs_found or result.refs_not_indexed):
        say("no arXiv papers to ask about")


@commands.command()
def add(
    cfg: Config,
    ids: Annotated[
        list[str] | None, Arg(metavar="IDS", help="arXiv ids, URLs or DOIs, in any common form.")
    ] = None,
    name: Annotated[str | None, Opt("--as", help="Short display name, such as 'Phi-1'.")] = None,
    code: Annotated[str | None, Opt(help="Link to the code.")] = None,
    model: Annotated[str | None, Opt(help="Link to the model.")] = None,
    blog: Annotated[str | None, Opt(help="Link to a blog post about it.")] = None,
    url: Annotated[
        str | None, Opt(help="Add a non-arXiv item (blog post, model card) at this URL.")
    ] = None,
    title: Annotated[str | None, Opt(help="Title of a non-arXiv item.")] = None,
    kind: Annotated[
        str, Opt(choices=ITEM_KINDS, help="Kind of a non-arXiv item: blog, model, paper or code.")
    ] = "blog",
    authors: Annotated[
        str | None, Opt(help="Authors of a non-arXiv item, comma-separated.")
    ] = None,
    on: Annotated[
        str | None, Opt(help="Plan it on this day (YYYY-MM-DD, tomorrow, friday...).")
    ] = None,
    force: Annotated[
        bool, Opt(help="With --on: move the paper already there to the next free day.")
    ] = False,
    backlog: Annotated[bool, Opt(help="Do not plan it on a day yet.")] = False,
    no_links: Annotated[
        bool, Opt("--no-links", help="Do not look up code, model and blog on Hugging Face.")
    ] = False,
) -> None:
    """Add papers by arXiv id (fetching their metadata) or a non-arXiv item with --url."""
    from readchallenge.services import items
    from readchallenge.services.plan import Placement

    if on and backlog:
        raise UsageError("--on and --backlog do not go together")
    placement = Placement(on=day_arg(on, cfg), force=force, backlog=backlog)
    if ids and len(ids) > 1 and placement.on is not None:
        # several papers from one day on: each on the next free day from there
        placement = Placement(start=placement.on, force=force)
    links = {k: v for k, v in (("code", code), ("model", model), ("blog", blog)) if v}
    if url is not None:
        if ids:
            raise UsageError("give either arXiv ids or --url, not both")
        if title is None:
            raise UsageError("--url needs --title")
        report(
            items.add_item(
                cfg,
                url=url,
                title=title,
                kind=kind,
                name=name,
                authors=authors,
                links=links,
                placement=placement,
            )
        )
        return
    if not ids:
        raise UsageError("give at least one arXiv id, or --url with --title")
    from readchallenge.services import papers  # the arXiv client: only for arXiv ids

    with feedback() as (on_wait, on_progress):
        result = papers.add_arxiv(
            cfg,
            ids,
            name=name,
            links=links,
            placement=placement,
            find_links=not no_links,
            on_wait=on_wait,
            on_progress=on_progress,
        )
    report(result)


@commands.command()
def fetch(cfg: Config) -> None:
    """Fetch the metadata of every pending id (kept when arXiv was unreachable)."""
    from readchallenge.services import papers

    with feedback() as (on_wait, on_progress):
        result = papers.fetch_pending(cfg, on_wait=on_wait, on_progress=on_progress)
    if not (result.stored or result.failed):
        say("nothing pending")
    report(result, verb="fetched")


@commands.command()
def refresh(
    cfg: Config,
    ids: Annotated[
        list[str] | None,
        Arg(metavar="IDS", help="Papers to re-fetch (default: every arXiv paper)."),
    ] = None,
    links: Annotated[
        bool, Opt("--links", help="Look their links up on Hugging Face again instead.")
    ] = False,
    refs: Annotated[
        bool, Opt("--refs", help="Ask Semantic Scholar again what they build on (and their TLDRs).")
    ] = False,
) -> None:
    """Fetch stored arXiv papers again and report new versions, DOIs and journal refs."""
    if refs:
        if links:
            raise UsageError("--links and --refs go one at a time")
        _refresh_references(cfg, ids or [])
        return
    from readchallenge.services import papers

    with feedback() as (on_wait, on_progress):
        result = papers.refresh(
            cfg, ids or [], on_wait=on_wait, on_progress=on_progress, only_links=links
        )
    if not (result.changes or result.failed or result.links_found or result.links_queued):
        say("no arXiv papers to refresh")
    report(result)


@commands.command()
def search(
    cfg: Config,
    query: Annotated[
        str, Arg(metavar="QUERY", help="Words to look for, or an arXiv query (ti:...).")
    ],
    max_results: Annotated[
        int, Opt("--max", min=1, max=100, help="How many results (1-100).")
    ] = 10,
    sort: Annotated[
        str,
        Opt(choices=ORDERS, help="arXiv's order: relevance, or submitted for the newest first."),
    ] = "relevance",
    source: Annotated[
        str, Opt(choices=("all", "arxiv", "hf"), help="all (arXiv and Hugging Face), arxiv or hf.")
    ] = "all",
    pick: Pick = None,
    on: PickOn = None,
    json_output: Json = False,
) -> None:
    """Search arXiv and Hugging Face for candidate papers, and pick some into the backlog."""
    from readchallenge.services import discover

    found = discover.search(cfg, query, source, max_results, sort)
    _show_found(cfg, found, pick, on, json_output, empty=f"no results for {query!r}")


@commands.command()
def discover(
    cfg: Config,
    when: Annotated[
        str | None,
        Arg(
            metavar="WHEN",
            help="A day (today, yesterday, YYYY-MM-DD…), a week (this, next, last, YYYY-Www) "
            "or a month (YYYY-MM); default: this week.",
        ),
    ] = None,
    limit: Annotated[int, Opt(min=1, max=200, help="Show at most this many papers.")] = 20,
    pick: Pick = None,
    on: PickOn = None,
    json_output: Json = False,
) -> None:
    """Hugging Face's daily papers, most upvoted first; pick some into the backlog."""
    from readchallenge.services import discover as service

    found = service.discover(cfg, when, limit)
    _show_found(cfg, found, pick, on, json_output, empty=f"no {found.title}")


def _show_found(
    cfg: Config, found: Found, pick: str | None, on: str | None, json_output: bool, empty: str
) -> None:
    """The numbered results, then the ones picked (by --pick, or asked on a terminal)
    added through the normal add: metadata from arXiv, links found as usual."""
    from readchallenge.services import discover

    for warning in found.warnings:
        say(f"warning: {warning}")
    if json_output:
        print_json(found.rows)
    else:
        from readchallenge.render.terminal import found_table

        found_table(console(), found.rows)
    if not found.rows:
        say(empty)
        return
    if pick is None and not json_output and sys.stdin.isatty():
        pick = ask("add which numbers to the backlog? (1,3 or 2-4; empty: none) ")
    if not pick:
        return
    add(cfg, discover.chosen(found, pick), on=on, backlog=on is None)
