"""Bodies of the commands that bring papers in and show them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from readchallenge.actions.common import (
    ask,
    config,
    console,
    day_arg,
    err_console,
    print_json,
    say,
)
from readchallenge.errors import IncompleteResult, Interrupted, RcError, UsageError
from readchallenge.output import print_json_stream

if TYPE_CHECKING:
    from readchallenge.services.report import AddReport


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
    if result.refs_found or result.refs_problem:
        from readchallenge.actions.suggest import report_references

        report_references(result)
    if result.unavailable:
        say(result.unavailable)
    if result.pending:
        say("kept as pending (run rc fetch later): " + ", ".join(result.pending))
    if result.interrupted:
        done = len(result.stored) + len(result.changes)
        raise Interrupted(f"interrupted: {done} stored, {len(result.pending)} left pending")
    if result.failed:
        failed = len(result.not_found) + len(result.pending)
        done = len(result.stored) + len(result.changes)
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


def add(
    ids: list[str] | None,
    name: str | None,
    code: str | None,
    model: str | None,
    blog: str | None,
    url: str | None,
    title: str | None,
    kind: str,
    authors: str | None,
    on: str | None,
    force: bool,
    backlog: bool,
    no_links: bool,
) -> None:
    from readchallenge.services import items
    from readchallenge.services.plan import Placement

    cfg = config()
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


def fetch() -> None:
    from readchallenge.services import papers

    with feedback() as (on_wait, on_progress):
        result = papers.fetch_pending(config(), on_wait=on_wait, on_progress=on_progress)
    if not (result.stored or result.failed):
        say("nothing pending")
    report(result, verb="fetched")


def refresh(ids: list[str] | None, links: bool, refs: bool) -> None:
    if refs:
        if links:
            raise UsageError("--links and --refs go one at a time")
        from readchallenge.actions.suggest import refresh_references

        refresh_references(ids or [])
        return
    from readchallenge.services import papers

    with feedback() as (on_wait, on_progress):
        result = papers.refresh(
            config(), ids or [], on_wait=on_wait, on_progress=on_progress, only_links=links
        )
    if not (result.changes or result.failed or result.links_found or result.links_queued):
        say("no arXiv papers to refresh")
    report(result)


def links(paper: str, json_output: bool) -> None:
    from readchallenge.services.links import candidates

    data = candidates(config(), paper, refresh=False)
    if json_output:
        print_json(data)
        return
    from readchallenge.render.terminal import link_candidates

    link_candidates(console(), data)


def link(paper: str, kind: str | None, url: str | None, remove: bool, order: str | None) -> None:
    from readchallenge.services import items

    if order is not None:
        if kind is not None or remove:
            raise UsageError("--order goes alone: rc link PAPER --order code,paper")
        paper_id, kinds = items.set_link_order(config(), paper, order)
        say(f"links of {paper_id} in the post: {' | '.join(kinds)}")
        return
    if kind is None:
        raise UsageError("name the KIND of link (paper, code, model, blog or other), or --order")
    if remove == (url is not None):
        raise UsageError("give a URL, or --remove without one")
    result = items.set_link(config(), paper, kind, url)
    say(f"{'removed' if remove else 'set'} {kind} link of {result['id']}")


def list_(
    limit: int | None,
    status: str | None,
    week: str | None,
    unread: bool,
    read: bool,
    backlog: bool,
    planned: bool,
    kind: str | None,
    sort: str,
    json_output: bool,
) -> None:
    from readchallenge.services.library import listing

    asked = (("read", read), ("unread", unread), ("planned", planned), ("backlog", backlog))
    filters = tuple(name for name, on in asked if on)
    with listing(config(), limit, status, filters, kind, week, sort) as found:
        if json_output:
            print_json_stream(found.papers)
            return
        from readchallenge.render.terminal import papers_listing

        papers_listing(console(), found, limit)


def show(paper: str, json_output: bool) -> None:
    from readchallenge.services.library import show_paper

    cfg = config()
    data = show_paper(cfg, paper)
    if json_output:
        print_json(data)
        return
    from readchallenge.render.terminal import paper_detail

    paper_detail(console(), data, cfg.hyperlinks)


def search(
    query: str,
    max_results: int,
    sort: str,
    source: str,
    pick: str | None,
    on: str | None,
    json_output: bool,
) -> None:
    from readchallenge.services import discover

    if sort not in ("relevance", "submitted"):
        raise UsageError("--sort must be relevance or submitted")
    cfg = config()
    found = discover.search(cfg, query, source, max_results, sort)
    _show_found(found, pick, on, json_output, empty=f"no results for {query!r}")


def discover(
    when: str | None, limit: int, pick: str | None, on: str | None, json_output: bool
) -> None:
    from readchallenge.services import discover as service

    found = service.discover(config(), when, limit)
    _show_found(found, pick, on, json_output, empty=f"no {found.title}")


def _show_found(
    found: Any, pick: str | None, on: str | None, json_output: bool, empty: str
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
    ids = discover.chosen(found, pick)
    add(ids, None, None, None, None, None, None, "blog", None, on, False, on is None, False)


def edit(
    paper: str, name: str | None, title: str | None, authors: str | None, kind: str | None
) -> None:
    from readchallenge.core.text import plural
    from readchallenge.services import items

    if (name, title, authors, kind) == (None, None, None, None):
        raise UsageError("say what to change: --as, --title, --authors or --kind")
    done = items.edit(config(), paper, name=name, title=title, authors=authors, kind=kind)
    changed = done.changed
    say(f"{done.paper_id}: " + (f"changed {', '.join(changed)}" if changed else "unchanged"))
    if done.references:
        say(f"rewrote {plural(done.references, 'reference')} to [[{done.renamed_to}]]")


def rm(papers: list[str], yes: bool) -> None:
    from readchallenge.core.text import plural
    from readchallenge.services import removal

    cfg = config()
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


def open_(paper: str, kind: str | None) -> None:
    import webbrowser

    from readchallenge.core.text import is_http_url
    from readchallenge.services.library import show_paper

    data = show_paper(config(), paper)
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
