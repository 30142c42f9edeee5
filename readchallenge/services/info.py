"""What `rc info` reports: paths, schema, versions and effective settings."""

from __future__ import annotations

from datetime import date, datetime, time
from importlib import metadata
from typing import Any, TypedDict

from readchallenge import __version__
from readchallenge.config import SETTINGS, Config
from readchallenge.store import db
from readchallenge.store.migrations import LATEST

KEY_DEPENDENCIES = ("typer", "rich", "sqlmodel", "sqlalchemy", "httpx", "arxiv", "jinja2")


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value


def _version_of(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


# A setting as `rc info --json` shows it ("from" is a keyword: hence the functional form).
SettingView = TypedDict("SettingView", {"value": Any, "env": str, "from": str, "help": str})


class Info(TypedDict):
    version: str
    home: str
    store: str
    config_file: str
    config_file_exists: bool
    schema_version: int | None
    schema_latest: int
    dependencies: dict[str, str | None]
    settings: dict[str, SettingView]
    today: str


def info(cfg: Config) -> Info:
    version: int | None = None
    if cfg.db_path.exists():  # rc info looks; it does not create the store
        with db.opened(cfg.db_path) as conn:
            version = db.schema_version(conn)
    return {
        "version": __version__,
        "home": str(cfg.home),
        "store": str(cfg.db_path),
        "config_file": str(cfg.config_path),
        "config_file_exists": cfg.config_path.exists(),
        "schema_version": version,
        "schema_latest": LATEST,
        "dependencies": {name: _version_of(name) for name in KEY_DEPENDENCIES},
        "settings": {
            s.key: {
                "value": _plain(cfg.values[s.key]),
                "env": s.env,
                "from": cfg.sources[s.key],
                "help": s.help,
            }
            for s in SETTINGS
        },
        "today": cfg.today().isoformat(),
    }
