"""The papers stored: list, show, link, links, open, edit, rm."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

from readchallenge.commands.common import Json, Paper, ask, console, printed_as_json, say
from readchallenge.core.records import ITEM_KINDS, LINK_KINDS, STATUSES
from readchallenge.errors import RcError, UsageError
from readchallenge.params import PAPERS, Arg, Group, Opt

if TYPE_CHECKING:
    from readchallenge.config import Config

commands = Group(panel=PAPERS)
SORTS = ("added", "upvotes")


@commands.command("list")
def list_(
    cfg: Config,
    limit: Annotated[
        int | None, Opt(min=1, max=1_000_000_000, help="Show at most this many papers.")
    ] = None,
    status: Annotated[
        str | None,
        Opt(choices=STATUSES, help="Only papers with this status: ok, pending or missing."),
    ] = None,
    week: Annotated[
        str | None,
        Opt(
            metavar="WEEK",
            complete="weeks",
            help="Only papers planned in this week (this, next, …).",
        ),
    ] = None,
    unread: Annotated[bool, Opt("--unread", help="Only papers not read yet.")] = False,
    read: Annotated[bool, Opt("--read", help="Only papers read.")] = False,
    backlog: Annotated[bool, Opt("--backlog", help="Only papers on no day.")] = False,
    planned: Annotated[bool, Opt("--planned", help="Only papers on a day.")] = False,
    kind: Annotated[
        str | None,
        Opt(choices=ITEM_KINDS, help="Only items of this kind: paper, blog, model or code."),
    ] = None,
    sort: Annotated[
        str,
        Opt(choices=SORTS, help="added (newest first), or upvotes on Hugging Face (most first)."),
    ] = "added",
    json_output: Json = False,
) -> None:
    """List stored papers, newest first, with their day and state."""
    from readchallenge.output import print_json_stream
    from readchallenge.services.library import listing

    asked = (("read", read), ("unread", unread), ("planned", planned), ("backlog", backlog))
    filters = tuple(name for name, on in asked if on)
    with listing(cfg, limit, status, filters, kind, week, sort) as found:
        if json_output:
            print_json_stream(found.papers)
            return
        from readchallenge.render.terminal import papers_listing

        papers_listing(console(), found, limit)


@commands.command()
def show(cfg: Config, paper: Paper, json_output: Json = False) -> None:
    """Show everything stored about one paper."""
    from readchallenge.services.library import show_paper

    data = show_paper(cfg, paper)
    if printed_as_json(json_output, data):
        return
    from readchallenge.render.terminal import paper_detail

    paper_detail(console(), data, cfg.hyperlinks)


@commands.command()
def link(
    cfg: Config,
    paper: Paper,
    kind: Annotated[
        str | None,
        Arg(metavar="KIND", choices=LINK_KINDS, help="paper, code, model, blog or other."),
    ] = None,
    url: Annotated[str | None, Arg(metavar="URL", help="The URL (http or https).")] = None,
    remove: Annotated[bool, Opt("--remove", help="Remove this kind of link.")] = False,
    order: Annotated[
        str | None,
        Opt(
            metavar="KINDS",
            help="The order of the links in the post, such as code,paper ('' for the default).",
        ),
    ] = None,
) -> None:
    """Add, replace or remove one link of a paper, or set the order of its links."""
    from readchallenge.services import items

    if order is not None:
        if kind is not None or remove:
            raise UsageError("--order goes alone: rc link PAPER --order code,paper")
        paper_id, kinds = items.set_link_order(cfg, paper, order)
        say(f"links of {paper_id} in the post: {' | '.join(kinds)}")
        return
    if kind is None:
        raise UsageError("name the KIND of link (paper, code, model, blog or other), or --order")
    if remove == (url is not None):
        raise UsageError("give a URL, or --remove without one")
    result = items.set_link(cfg, paper, kind, url)
    say(f"{'removed' if remove else 'set'} {kind} link of {result['id']}")


@commands.command()
def links(cfg: Config, paper: Paper, json_output: Json = False) -> None:
    """List every link Hugging Face offers for a paper (repo, project page, models)."""
    from readchallenge.services.links import candidates

    data = candidates(cfg, paper, refresh=False)
    if printed_as_json(json_output, data):
        return
    from readchallenge.render.terminal import link_candidates

    link_candidates(console(), data)


@commands.command("open")
def open_(
    cfg: Config,
    paper: Paper,
    kind: Annotated[
        str | None,
        Arg(
            metavar="KIND",
            complete="open_kinds",
            help="paper (default), pdf, code, model or blog.",
        ),
    ] = None,
) -> None:
    """Open a paper's link in the browser (BROWSER is honoured)."""
    import webbrowser

    from readchallenge.core.text import is_http_url
    from readchallenge.services.library import show_paper

    data = show_paper(cfg, paper)
    links: dict[str, str] = dict(data["links"])
    if data["source"] == "arxiv" and data["status"] == "ok":
        asked, latest = data["requested_version"], data["version"]
        version = f"v{asked}" if asked and (latest is None or asked <= latest) else ""
        links["pdf"] = f"https://arxiv.org/pdf/{data['id']}{version}"
    wanted = kind or ("paper" if "paper" in links else data["kind"])
    if wanted not in links:
        have = ", ".join(links) or "none"
        raise UsageError(f"{data['id']} has no {wanted} link (it has: {have})")
    url = links[wanted]
    if not is_http_url(url):  # stored before rc checked every link, or by hand
        raise RcError(
            f"the {wanted} link of {data['id']} is not an http(s) URL, so rc does not open it "
            f"(rc link {data['id']} {wanted} URL replaces it)"
        )
    if webbrowser.open(url):
        say(f"opened {url}")
    else:
        sys.stdout.write(url + "\n")  # no browser here: the address, to open elsewhere


@commands.command()
def edit(
    cfg: Config,
    paper: Paper,
    name: Annotated[str | None, Opt("--as", help="A new display name ('' for none).")] = None,
    title: Annotated[str | None, Opt(help="A new title (non-arXiv items).")] = None,
    authors: Annotated[
        str | None, Opt(help="New authors, comma-separated (non-arXiv items).")
    ] = None,
    kind: Annotated[
        str | None,
        Opt(choices=ITEM_KINDS, help="A new kind: blog, model, paper or code (non-arXiv items)."),
    ] = None,
) -> None:
    """Fix a paper's name, or a non-arXiv item's title, authors or kind."""
    from readchallenge.core.text import plural
    from readchallenge.services import items

    if (name, title, authors, kind) == (None, None, None, None):
        raise UsageError("say what to change: --as, --title, --authors or --kind")
    done = items.edit(cfg, paper, name=name, title=title, authors=authors, kind=kind)
    changed = done.changed
    say(f"{done.paper_id}: " + (f"changed {', '.join(changed)}" if changed else "unchanged"))
    if done.references:
        say(f"rewrote {plural(done.references, 'reference')} to [[{done.renamed_to}]]")


@commands.command()
def rm(
    cfg: Config,
    papers: Annotated[
        list[str], Arg(metavar="PAPER", complete="papers", help="Papers to remove, by id or name.")
    ],
    yes: Annotated[
        bool, Opt("--yes", help="Remove without asking (needed without a terminal).")
    ] = False,
) -> None:
    """Remove papers with their day, links, notes and readings (after a backup)."""
    from readchallenge.core.text import plural
    from readchallenge.services import removal

    plan = removal.plan_removal(cfg, papers)
    for p in plan.papers:
        parts = [f"planned on {p['planned_on']}" if p["planned_on"] else "in the backlog"]
        read_on = list(p["read_on"])  # type: ignore[call-overload]
        if read_on:
            parts.append(f"{plural(len(read_on), 'reading')} ({', '.join(read_on)})")
        if p["has_note"]:
            parts.append("its note")
        parts.append(plural(int(p["links"]), "link"))  # type: ignore[call-overload]
        say(f"will remove {p['id']} ({p['name']}): " + ", ".join(parts))
    if plan.streak_after != plan.streak_before:
        say(f"the streak would go from {plan.streak_before} to {plan.streak_after}")
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("rc rm asks before it removes: add --yes to do it without asking")
        if ask(f"remove {plural(len(plan.papers), 'paper')}? [y/N] ").lower() != "y":
            say("nothing removed")
            return
    done = removal.remove(cfg, plan)
    say(f"removed {', '.join(str(p['id']) for p in done.papers)}; a backup is at {done.backup}")
