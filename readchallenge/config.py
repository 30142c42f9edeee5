"""Paths, settings and the one clock: environment beats config file beats default."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from readchallenge.errors import ConfigError, SettingError

APP_NAME = "readchallenge"
DEFAULT_ARXIV_API_URL = "https://export.arxiv.org/api/query"
DEFAULT_HF_API_URL = "https://huggingface.co"
DEFAULT_S2_API_URL = "https://api.semanticscholar.org"
SUGGEST_SOURCES = ("all", "hf", "s2")  # rc suggest: both, Hugging Face or Semantic Scholar


def _parse_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise ValueError("must be a number >= 0")
    return value


def _parse_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise ValueError("must be a whole number >= 0")
    return value


def _parse_url(text: str) -> str:
    from readchallenge.core.text import is_http_url

    if not is_http_url(text):
        raise ValueError("must be an http(s) URL with a valid host and port")
    return text


def _parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")


def _parse_text(text: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t\n" for ch in text):
        raise ValueError("must not contain control characters")
    return text


def _parse_hyperlinks(text: str) -> str:
    if text not in ("auto", "always", "never"):
        raise ValueError("must be auto, always or never")
    return text


def _parse_language(text: str) -> str:
    import re

    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", text):
        raise ValueError("must be a language tag such as en, de or pt-BR")
    return text


def _parse_sources(text: str) -> str:
    if text not in SUGGEST_SOURCES:
        raise ValueError("must be all, hf or s2")
    return text


def _parse_clock_time(text: str) -> time:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError("must be HH:MM") from None


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("must be YYYY-MM-DD") from None


def _parse_datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("must be YYYY-MM-DDTHH:MM") from None


# NamedTuples rather than dataclasses: `dataclasses` (with the `inspect` it loads) costs more
# start-up than a daily command's own work in this module.
class Setting(NamedTuple):
    """One setting: its config-file key, environment variable, default and parser; `help`
    is what `rc config` says of it, `more` what docs/configuration.md adds (its table is
    generated from these: python -m readchallenge.docgen)."""

    key: str
    env: str
    default: Any
    parse: Callable[[str], Any]
    help: str
    in_file: bool = True
    more: str = ""


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "arxiv_api_url",
        "RC_ARXIV_API_URL",
        DEFAULT_ARXIV_API_URL,
        _parse_url,
        "arXiv query API endpoint",
        more="point it at a local stand-in for tests",
    ),
    Setting(
        "arxiv_min_interval",
        "RC_ARXIV_MIN_INTERVAL",
        3.0,
        _parse_float,
        "seconds between two requests to arXiv",
        more="arXiv asks for at least 3",
    ),
    Setting(
        "arxiv_timeout",
        "RC_ARXIV_TIMEOUT",
        30.0,
        _parse_float,
        "deadline of one request to arXiv: connecting, headers and body",
        more="connecting takes at most 10 of them",
    ),
    Setting(
        "arxiv_retries",
        "RC_ARXIV_RETRIES",
        4,
        _parse_int,
        "retries after a failed request to arXiv",
        more="a 429, a 5xx, a timeout, no connection or an empty answer",
    ),
    Setting(
        "arxiv_max_wait",
        "RC_ARXIV_MAX_WAIT",
        120.0,
        _parse_float,
        "most seconds spent waiting between retries of one command",
        more="failed requests and the waits between them count, besides one last request",
    ),
    Setting(
        "day_starts_at",
        "RC_DAY_STARTS_AT",
        time(0, 0),
        _parse_clock_time,
        "local time at which a new reading day begins (HH:MM)",
        more='with `"04:00"` a paper read at 01:30 counts for the day before',
    ),
    Setting(
        "hf_api_url",
        "RC_HF_API_URL",
        DEFAULT_HF_API_URL,
        _parse_url,
        "Hugging Face, where rc looks up a paper's code, models and project page",
        more="see [links.md](links.md)",
    ),
    Setting(
        "hf_timeout",
        "RC_HF_TIMEOUT",
        15.0,
        _parse_float,
        "deadline of one request to Hugging Face",
    ),
    Setting(
        "hyperlinks",
        "RC_HYPERLINKS",
        "auto",
        _parse_hyperlinks,
        "links as terminal hyperlinks: auto (not inside tmux or screen), always, or never "
        "(the URLs written out)",
    ),
    Setting(
        "links_lookup",
        "RC_LINKS_LOOKUP",
        True,
        _parse_bool,
        "look up links on Hugging Face when rc add fetches arXiv papers",
        more="`rc add --no-links` skips it once",
    ),
    Setting(
        "post_template",
        "RC_POST_TEMPLATE",
        "sunday",
        _parse_text,
        "the post's template: sunday, detailed, or a Jinja2 file",
        more="see [export.md](export.md)",
    ),
    Setting(
        "post_signoff",
        "RC_POST_SIGNOFF",
        None,
        _parse_text,
        "Markdown that ends every post (rc week --signoff overrides it for a week)",
        more="a line about your main blog, say",
    ),
    Setting(
        "post_language",
        "RC_POST_LANGUAGE",
        "en",
        _parse_language,
        "the language of the post, for the lang of its HTML page (en, de, pt-BR…)",
    ),
    Setting(
        "post_author",
        "RC_POST_AUTHOR",
        None,
        _parse_text,
        "your name, as the author of the posts in the feed rc publish writes",
        more="without it, the challenge's name",
    ),
    Setting(
        "site_url",
        "RC_SITE_URL",
        None,
        _parse_url,
        "the address of the site rc publish writes for, for the feed's own links",
        more="see [season.md](season.md)",
    ),
    Setting(
        "refs_lookup",
        "RC_REFS_LOOKUP",
        True,
        _parse_bool,
        "look up what each paper builds on (Semantic Scholar) when rc add fetches arXiv papers",
        more="`rc refresh --refs` asks again",
    ),
    Setting(
        "s2_api_url",
        "RC_S2_API_URL",
        DEFAULT_S2_API_URL,
        _parse_url,
        "Semantic Scholar, for rc suggest and what papers build on",
        more="`S2_API_KEY` (environment only) is sent as `x-api-key`; see "
        "[discover.md](discover.md)",
    ),
    Setting(
        "s2_min_interval",
        "RC_S2_MIN_INTERVAL",
        1.0,
        _parse_float,
        "seconds between two requests to Semantic Scholar",
        more="its public rate limit is one a second",
    ),
    Setting(
        "s2_timeout",
        "RC_S2_TIMEOUT",
        30.0,
        _parse_float,
        "deadline of one command's requests to Semantic Scholar, waits for its limit included",
    ),
    Setting(
        "suggest_sources",
        "RC_SUGGEST_SOURCES",
        "all",
        _parse_sources,
        "where rc suggest finds candidates: all, hf (Hugging Face) or s2 (Semantic Scholar)",
    ),
    Setting(
        "today",
        "RC_TODAY",
        None,
        _parse_date,
        "override today's date (YYYY-MM-DD)",
        in_file=False,
        more="for every command: for planning ahead, demos and tests",
    ),
    Setting(
        "now",
        "RC_NOW",
        None,
        _parse_datetime,
        "override the local date and time (YYYY-MM-DDTHH:MM)",
        in_file=False,
        more="the day boundary applies to it",
    ),
)


def default_home() -> Path:
    """The platform's user data directory for rc."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


# The settings by key, each value as its Setting parsed it (str, int, float or bool).
Values = dict[str, Any]


class Config(NamedTuple):
    """Effective settings, with where each one came from, and the command line of the command
    they were loaded for (what the change log records of each change it makes)."""

    home: Path
    values: Values
    sources: dict[str, str]
    command_line: tuple[str, ...] = ()

    @property
    def command(self) -> str:
        """The command line as the change log records it: `rc read 2404.07965`."""
        import shlex

        return shlex.join(["rc", *self.command_line])

    @property
    def db_path(self) -> Path:
        return self.home / "rc.db"

    @property
    def config_path(self) -> Path:
        return self.home / "config.toml"

    @property
    def arxiv_api_url(self) -> str:
        return str(self.values["arxiv_api_url"])

    @property
    def arxiv_min_interval(self) -> float:
        return float(self.values["arxiv_min_interval"])

    @property
    def arxiv_timeout(self) -> float:
        return float(self.values["arxiv_timeout"])

    @property
    def arxiv_retries(self) -> int:
        return int(self.values["arxiv_retries"])

    @property
    def arxiv_max_wait(self) -> float:
        return float(self.values["arxiv_max_wait"])

    @property
    def hf_api_url(self) -> str:
        return str(self.values["hf_api_url"])

    @property
    def hf_timeout(self) -> float:
        return float(self.values["hf_timeout"])

    @property
    def hyperlinks(self) -> str:
        return str(self.values["hyperlinks"])

    @property
    def links_lookup(self) -> bool:
        return bool(self.values["links_lookup"])

    @property
    def post_template(self) -> str:
        return str(self.values["post_template"])

    @property
    def post_signoff(self) -> str | None:
        value = self.values["post_signoff"]
        return None if value is None else str(value)

    @property
    def post_language(self) -> str:
        return str(self.values["post_language"])

    @property
    def post_author(self) -> str | None:
        value = self.values["post_author"]
        return None if value is None else str(value)

    @property
    def site_url(self) -> str | None:
        value = self.values["site_url"]
        return None if value is None else str(value)

    def local_now(self) -> datetime:
        """The local wall-clock time, or RC_NOW / RC_TODAY when set."""
        fixed_now: datetime | None = self.values["now"]
        if fixed_now is not None:
            return fixed_now
        fixed_day: date | None = self.values["today"]
        real = datetime.now()
        if fixed_day is not None:
            return datetime.combine(fixed_day, max(real.time(), self.values["day_starts_at"]))
        return real

    def utc_now(self) -> datetime:
        """The current instant in UTC, consistent with `local_now`."""
        return self.local_now().astimezone(UTC)

    def today(self) -> date:
        """The reading day: RC_TODAY when set, else the local date shifted by day_starts_at."""
        fixed_day: date | None = self.values["today"]
        if fixed_day is not None:
            return fixed_day
        return reading_day(self.local_now(), self.values["day_starts_at"])


def reading_day(local: datetime, day_starts_at: time) -> date:
    """The reading day a local wall-clock moment belongs to."""
    offset = timedelta(hours=day_starts_at.hour, minutes=day_starts_at.minute)
    return (local.replace(tzinfo=None) - offset).date()


MAX_CONFIG_BYTES = 1 << 20  # a settings file is a few lines; more is a mistake


def read_config_text(path: Path) -> str | None:
    """The text of config.toml (through a link), None when there is none. Only a regular
    file is read, and only its first MiB: a FIFO would hang every command, a device never
    ends."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens without a writer
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError(f"config file {path} is not a regular file; rc reads only files")
        try:
            data = handle.read(MAX_CONFIG_BYTES + 1)
        except OSError as exc:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"config file {path} is larger than 1 MiB; is it the right file?")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def _read_file(path: Path) -> dict[str, object]:
    if not path.exists():
        return {}
    text = read_config_text(path)
    if text is None:
        return {}
    import tomllib  # only when there is a file to read: keeps start-up short

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    known = {s.key for s in SETTINGS if s.in_file}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"config file {path}: unknown setting {unknown[0]!r}")
    return data


def load(environ: Mapping[str, str] | None = None, *, command_line: Sequence[str] = ()) -> Config:
    """Build the effective configuration from the environment and `$RC_HOME/config.toml`,
    for the command run with `command_line` (the words after `rc`)."""
    env = os.environ if environ is None else environ
    home_text = env.get("RC_HOME", "")
    home = Path(home_text).expanduser() if home_text else default_home()
    file_values = _read_file(home / "config.toml")
    values: Values = {}
    sources: dict[str, str] = {}
    for setting in SETTINGS:
        raw: object
        if env.get(setting.env, "") != "":
            raw, origin = env[setting.env], f"env {setting.env}"
        elif setting.key in file_values:
            raw, origin = file_values[setting.key], "config file"
        else:
            values[setting.key], sources[setting.key] = setting.default, "default"
            continue
        try:
            values[setting.key] = setting.parse(str(raw))
        except ValueError as exc:
            raise SettingError(f"{origin}: {setting.key} = {raw!r} {exc}") from None
        sources[setting.key] = origin
    return Config(home, values, sources, tuple(command_line))
