"""git, the engine under `rc sync`: run as a subprocess, never asking a question."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from readchallenge.errors import RcError

TIMEOUT = 300.0  # a push to a slow remote; a hung ssh is cut off here


class GitError(RcError):
    """git failed; the message is its own last line, with what rc was doing."""


def require() -> str:
    found = shutil.which("git")
    if found is None:
        raise GitError("git is not installed (or not on PATH); rc sync needs it")
    return found


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GIT_TERMINAL_PROMPT="0",  # never wait for a password nobody will type
        GIT_ASKPASS="",
        LC_ALL="C",
        GIT_AUTHOR_NAME=env.get("GIT_AUTHOR_NAME", "rc"),
        GIT_AUTHOR_EMAIL=env.get("GIT_AUTHOR_EMAIL", "rc@localhost"),
        GIT_COMMITTER_NAME=env.get("GIT_COMMITTER_NAME", "rc"),
        GIT_COMMITTER_EMAIL=env.get("GIT_COMMITTER_EMAIL", "rc@localhost"),
    )
    return env


# What git says around the reason, never the reason itself.
_GENERIC = re.compile(
    r"^(error: failed to push some refs|hint:|To |remote: *$|Automatic merge failed|"
    r"fatal: the remote end hung up|fatal: Could not read from remote repository|"
    r"Please make sure you have the correct access rights|and the repository exists)"
)


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def reason(done: subprocess.CompletedProcess[str]) -> str:
    """The line of git's output that says why it failed: a hook's own words (`remote: …`),
    then git's `fatal:`/`error:`/`CONFLICT` line, then its last line."""
    lines = [
        line.strip()
        for line in f"{done.stderr or ''}\n{done.stdout or ''}".splitlines()
        if line.strip()
    ]
    said = [line for line in lines if not _GENERIC.match(line)]
    remote = [line[len("remote:") :].strip() for line in said if line.startswith("remote:")]
    if remote:
        return "; ".join(remote)[:300]
    for mark in ("fatal:", "error:", "CONFLICT", " ! [", "! ["):
        found = [line for line in said if line.startswith(mark.strip())]
        if found:
            return found[0][:300]
    return (said or lines or ["no message"])[-1][:300]


def git(repo: Path, *args: str, doing: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `git -C repo ARGS`; a failure becomes one line saying what rc was doing."""
    command = [require(), "-C", str(repo), "-c", "commit.gpgsign=false", *args]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=_environment(),
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"{doing}: git gave no answer in {TIMEOUT:.0f} s") from None
    except OSError as exc:
        raise GitError(f"{doing}: cannot run git ({exc.strerror})") from None
    if check and done.returncode != 0:
        raise GitError(f"{doing}: {reason(done)}")
    return done


def has_ref(repo: Path, ref: str) -> bool:
    done = git(
        repo, "rev-parse", "--verify", "--quiet", ref, doing="reading the branch", check=False
    )
    return done.returncode == 0
