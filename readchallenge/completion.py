"""What the shell completes: paper names and ids from the store, day, week and link words,
each quoted for the shell that asks, so that a name holding `$(…)` or a space is one word
that the shell never runs."""

from __future__ import annotations

import re

DAY_WORDS = (
    "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "next monday", "this sunday", "last friday",
)  # fmt: skip
WEEK_WORDS = ("this", "next", "last")


def papers(incomplete: str) -> list[str]:
    """Names and ids of stored papers that start with what was typed (case aside)."""
    from readchallenge import config
    from readchallenge.errors import RcError
    from readchallenge.services.library import names_starting

    try:
        cfg = config.load()
    except RcError:
        return []  # completion never fails loudly: the command itself names the problem
    return names_starting(cfg, incomplete)


def days(incomplete: str) -> list[str]:
    return [word for word in DAY_WORDS if word.startswith(incomplete.lower())]


def weeks(incomplete: str) -> list[str]:
    return [word for word in WEEK_WORDS if word.startswith(incomplete.lower())]


def open_kinds(incomplete: str) -> list[str]:
    """The kinds `rc open` takes: the link kinds and `pdf`."""
    from readchallenge.core.records import LINK_KINDS

    return [kind for kind in (*LINK_KINDS, "pdf") if kind.startswith(incomplete.lower())]


# Tab and newline separate candidates (and fish's descriptions); the other controls steer
# the terminal. A name holding one cannot be completed usefully: it is left out.
_UNTYPABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BASH_PLAIN = re.compile(r"[A-Za-z0-9_./+,%-]")


def bash_word(value: str) -> str:
    """`value` as bash inserts it into the command line: every ASCII character other than
    letters, digits and `_./+,%-` escaped with a backslash (`Phi\\ 2`, `\\$\\(…\\)`). bash
    inserts a candidate as it is, so the quoting is rc's; backslashes rather than quotes
    keep the common prefix of several candidates (`next\\ monday`, `next\\ tuesday`)."""
    return "".join(
        ch if _BASH_PLAIN.fullmatch(ch) or (not ch.isascii() and ch.isalnum()) else "\\" + ch
        for ch in value
    )


def zsh_word(value: str) -> str:
    """`value` as a zsh `$'…'` word with every ASCII character other than letters and digits
    written as `\\xHH`: it holds no space, quote or glob character, so the completion
    script's unquoted `eval $(…)` hands compadd exactly `value` (which zsh quotes itself
    when it inserts it)."""
    return (
        "$'"
        + "".join(ch if ch.isalnum() or not ch.isascii() else f"\\x{ord(ch):02x}" for ch in value)
        + "'"
    )


def answer(shell: str, found: list[str], fish_action: str = "") -> tuple[str, int]:
    """What the completion script of `shell` reads: its candidates, each one word."""
    found = [value for value in found if not _UNTYPABLE.search(value)]
    if shell == "bash":
        return "\n".join(bash_word(value) for value in found), 0
    if shell == "zsh":
        if not found:
            return "_files", 0
        return "compadd -U -V rc -- " + " ".join(zsh_word(value) for value in found), 0
    if fish_action == "is-args":
        return "", 0 if found else 1
    return "\n".join(found), 0  # fish escapes what it inserts; a line is one candidate
