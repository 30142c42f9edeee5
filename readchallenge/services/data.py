"""Backups, the full JSON export and its import, and BibTeX (sqlite3 only)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from readchallenge.config import Config
from readchallenge.core.records import row_problem
from readchallenge.errors import Conflict, RcError, StoreError, UsageError
from readchallenge.store import db, queries, writes
from readchallenge.store.migrations import LATEST

EXPORT_FORMAT = "rc-export"
EXPORT_VERSION = 1
# Parents before children, so an import satisfies every foreign key as it goes.
TABLES = ("challenge", "papers", "links", "plan", "readings", "skips", "notes", "takeaways",
          "weeks")  # fmt: skip
ORDER = {
    "challenge": "id", "papers": "rowid", "links": "paper_id, kind", "plan": "paper_id",
    "readings": "id", "skips": "day", "notes": "paper_id", "takeaways": "paper_id, position",
    "weeks": "week",
}  # fmt: skip


def backup(cfg: Config, target: Path | None) -> Path:
    """A consistent copy of the store (SQLite's online backup), safe while rc is in use."""
    if target is None:
        folder = cfg.home / "backups"
        stem = f"rc-{cfg.today().isoformat()}"
        target = folder / f"{stem}.db"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{n}.db"
    elif target.exists():
        raise Conflict(f"{target} exists; choose another name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create folder {target.parent}: {exc.strerror}") from None
    with db.opened(cfg.db_path) as conn:
        try:
            dest = sqlite3.connect(target)
            try:
                conn.backup(dest)
            finally:
                dest.close()
        except sqlite3.Error as exc:
            target.unlink(missing_ok=True)
            raise StoreError(f"cannot write backup {target}: {exc}") from None
    return target


def export_json(cfg: Config) -> dict[str, Any]:
    """Everything in the store, table by table, in a stable order."""
    with db.opened(cfg.db_path) as conn:
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in TABLES:
            rows = queries.table_rows(conn, table, ORDER[table])
            if table == "readings":
                for row in rows:
                    del row["id"]  # an internal key; (paper, day) identifies a reading
            tables[table] = rows
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "schema": LATEST, "tables": tables}


def _read_export(path: Path) -> dict[str, list[Any]]:
    """The tables of an export file, every row checked before anything is written."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist") from None
    except RecursionError:
        raise RcError(f"cannot read {path} as an rc export: it is nested too deeply") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RcError(f"cannot read {path} as an rc export: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise RcError(f"{path} is not an rc export (rc export --format json writes one)")
    if data.get("version") != EXPORT_VERSION:
        version = str(data.get("version"))[:20]
        raise RcError(f"{path} is an export of version {version}; this rc reads 1")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise RcError(f"{path} has no tables")
    for table in TABLES:
        rows = tables.setdefault(table, [])
        if not isinstance(rows, list):
            raise RcError(f"{path}: {table} is not a list; nothing was imported")
        for number, row in enumerate(rows, start=1):
            problem = row_problem(table, row)
            if problem is not None:
                raise RcError(f"{path}: {table} row {number}: {problem}; nothing was imported")
    return tables


def import_json(cfg: Config, path: Path) -> dict[str, int]:
    """Restore an export into an empty store, all or nothing."""
    tables = _read_export(path)
    counts: dict[str, int] = {}
    with db.opened(cfg.db_path) as conn:
        if queries.has_papers(conn):
            raise Conflict(
                f"the store {cfg.db_path} already has papers; import into an empty one "
                "(set RC_HOME to a new folder)"
            )
        try:
            with db.transaction(conn):
                writes.clear_default_challenge(conn)
                for table in TABLES:
                    writes.insert_rows(conn, table, tables[table])
                    counts[table] = len(tables[table])
        except sqlite3.IntegrityError as exc:
            raise RcError(f"{path} does not fit the store ({exc}); nothing was imported") from None
        except sqlite3.Error as exc:
            raise StoreError(f"{db.explain(cfg.db_path, exc)}; nothing was imported") from None
    return counts


def _bib_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}")
    text = re.sub(r"([&%$#_{}])", r"\\\1", text)
    return text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def _bib_key(paper: dict[str, Any], used: set[str]) -> str:
    authors = json.loads(paper["authors"] or "[]")
    last = authors[0].split()[-1] if authors and authors[0].split() else "anon"
    year = (paper["published"] or "")[:4] or "nd"
    words = re.findall(r"[A-Za-z]+", paper["title"] or paper["id"])
    first = next((w for w in words if w.lower() not in {"a", "an", "the", "on", "of"}), "item")
    base = re.sub(r"[^A-Za-z0-9]", "", f"{last}{year}{first}".encode("ascii", "ignore").decode())
    key, n = base.lower() or "item", 1
    while key in used:
        n += 1
        key = f"{base.lower()}{chr(ord('a') + n - 2)}" if n <= 27 else f"{base.lower()}{n}"
    used.add(key)
    return key


def export_bibtex(cfg: Config) -> str:
    """BibTeX entries for every stored paper (arXiv ones with eprint fields)."""
    with db.opened(cfg.db_path) as conn:
        papers = [p for p in queries.table_rows(conn, "papers", "rowid") if p["status"] == "ok"]
        links = {(r["paper_id"], r["kind"]): r["url"] for r in queries.table_rows(conn, "links")}
    used: set[str] = set()
    entries = []
    for p in papers:
        authors = json.loads(p["authors"] or "[]")
        fields: list[tuple[str, str]] = [("title", "{" + _bib_escape(p["title"] or p["id"]) + "}")]
        if authors:
            fields.append(("author", _bib_escape(" and ".join(authors))))
        if p["published"]:
            fields.append(("year", p["published"][:4]))
        if p["source"] == "arxiv":
            fields += [("eprint", p["id"]), ("archivePrefix", "arXiv")]
            if p["primary_category"]:
                fields.append(("primaryClass", p["primary_category"]))
            fields.append(("url", p["abs_url"] or f"https://arxiv.org/abs/{p['id']}"))
            if p["doi"]:
                fields.append(("doi", p["doi"]))
            if p["journal_ref"]:
                fields.append(("journal", _bib_escape(p["journal_ref"])))
            kind = "article" if p["journal_ref"] else "misc"
        else:
            url = links.get((p["id"], p["kind"])) or next(
                (u for (pid, _), u in links.items() if pid == p["id"]), None
            )
            if url:
                fields.append(("url", url))
            fields.append(("note", p["kind"]))
            kind = "online"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{kind}{{{_bib_key(p, used)},\n{body}\n}}\n")
    return "\n".join(entries)
