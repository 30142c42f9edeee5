"""The errors a user can meet, each carrying the message they should see, and the exit
statuses they end rc with."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """What rc exits with (`readchallenge.boundary` is where errors become one)."""

    SUCCESS = 0
    ERROR = 1  # the command could not do what it was asked, or did part of it
    USAGE = 2  # the words typed: an unknown option, a malformed id, date or setting
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


class RcError(Exception):
    """Base of every error rc reports to the user; `exit_code` is what the CLI returns."""

    exit_code = ExitStatus.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(RcError):
    """The user typed something rc cannot accept (a malformed id or date)."""

    exit_code = ExitStatus.USAGE


class ConfigError(RcError):
    """A setting in the environment or the config file is malformed."""


class SettingError(ConfigError):
    """A setting's value cannot be used: a usage mistake, like a malformed option."""

    exit_code = ExitStatus.USAGE


class StoreError(RcError):
    """The store cannot be opened, read or written."""


class NotFound(RcError):
    """A paper, day or week the user named does not exist in the store."""


class Ambiguous(UsageError):
    """The words name several things; `choices` lists them for a prompt to offer."""

    def __init__(self, message: str, choices: list[str]) -> None:
        super().__init__(message)
        self.choices = choices


class Conflict(RcError):
    """The action would overwrite something the user has not asked to overwrite."""


class ArxivError(RcError):
    """arXiv answered, but not with what rc asked for."""


class ArxivUnavailable(ArxivError):
    """arXiv could not be reached after the retries."""


class IncompleteResult(RcError):
    """Part of a multi-item action failed; the rest was done and reported."""


class Interrupted(RcError):
    """The user pressed Ctrl-C; what was done so far is kept and reported."""

    exit_code = ExitStatus.INTERRUPTED
