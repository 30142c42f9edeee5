"""`rc config`: the effective settings, and changes to config.toml that keep its comments."""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypedDict

from readchallenge.config import SETTINGS, Config, Setting, read_config_text
from readchallenge.errors import ConfigError, UsageError
from readchallenge.files import write_atomically


def plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value


# A line of `rc config --json` ("from" is a keyword: hence the functional form).
SettingLine = TypedDict(
    "SettingLine", {"key": str, "value": Any, "from": str, "env": str, "help": str}
)


def effective(cfg: Config) -> list[SettingLine]:
    """Every setting with its value and where it comes from (like `git config --list`)."""
    return [
        {
            "key": s.key,
            "value": plain(cfg.values[s.key]),
            "from": cfg.sources[s.key],
            "env": s.env,
            "help": s.help,
        }
        for s in SETTINGS
    ]


def _setting(key: str) -> Setting:
    for setting in SETTINGS:
        if setting.key == key:
            if not setting.in_file:
                raise UsageError(f"{key} is set with {setting.env} only, not in config.toml")
            return setting
    known = ", ".join(s.key for s in SETTINGS if s.in_file)
    raise UsageError(f"no setting {key!r}; the settings are: {known}")


def _read(cfg: Config) -> Any:
    import tomlkit

    text = read_config_text(cfg.config_path)
    if text is None:
        return tomlkit.document()
    try:
        return tomlkit.parse(text)
    except Exception as exc:  # tomlkit's parse errors share no public base class
        raise ConfigError(f"config file {cfg.config_path} is not valid TOML: {exc}") from None


def set_value(cfg: Config, key: str, text: str) -> Any:
    """Check `text` as the setting would read it, then write it into config.toml."""
    setting = _setting(key)
    try:
        value = setting.parse(text)
    except ValueError as exc:
        raise UsageError(f"{key} = {text!r} {exc}") from None
    document = _read(cfg)
    document[key] = value if isinstance(value, bool | int | float) else text
    cfg.home.mkdir(parents=True, exist_ok=True)
    write_atomically(_target(cfg), document.as_string(), force=True)
    return plain(value)


def unset(cfg: Config, key: str) -> bool:
    _setting(key)
    document = _read(cfg)
    if key not in document:
        return False
    del document[key]
    write_atomically(_target(cfg), document.as_string(), force=True)
    return True


def _target(cfg: Config) -> Path:
    """Where config.toml's text lives: the file a link points to (kept in a dotfiles
    repository, say), so that a change goes there and the link stays."""
    path = cfg.config_path
    return Path(os.path.realpath(path)) if path.is_symlink() else path
