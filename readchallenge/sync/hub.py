"""The hub: the git repository the devices share, as a working copy in RC_HOME/sync.

Each sync runs as few git processes as it can: a sync with nothing to send or receive is a
fetch and one read of the refs; only what changed since the last commit applied is read.
"""

from __future__ import annotations

from pathlib import Path
from subprocess import CompletedProcess
from typing import Protocol

from readchallenge.sources import git

BRANCH = "main"


class Hub(Protocol):
    """What rc sync needs of the repository."""

    def commit(self, paths: list[str], message: str) -> None: ...

    def pull(self, waiting: int) -> str | None:
        """Take what the remote holds; the commit now checked out (None: nothing yet)."""

    def changed(self, since: str | None, head: str | None) -> list[str] | None:
        """The files changed from `since` to `head`; None: read them all."""

    def push(self, last_try: bool) -> bool:
        """Send what the remote lacks; False when someone pushed in between."""


class GitHub:
    """The hub as a git working copy of a remote repository."""

    def __init__(self, repo: Path, remote: str) -> None:
        self.repo, self.remote = repo, remote
        self._known: tuple[str | None, str | None] | None = None  # refs read, unchanged since

    def _git(self, *args: str, doing: str, check: bool = True) -> CompletedProcess[str]:
        return git.git(self.repo, *args, doing=doing, check=check)

    def commit(self, paths: list[str], message: str) -> None:
        self._known = None
        self._git("add", "--", *paths, doing="adding this device's changes")
        self._git("commit", "-q", "-m", message, doing="committing this device's changes")

    def _refs(self) -> tuple[str | None, str | None]:
        """This copy's branch and the remote's, as last fetched (None where there is none)."""
        if self._known is not None:
            return self._known
        done = self._git(
            "for-each-ref", "--format=%(objectname) %(refname)",
            f"refs/heads/{BRANCH}", f"refs/remotes/origin/{BRANCH}", doing="reading the branches",
        )  # fmt: skip
        refs = {}
        for line in done.stdout.splitlines():
            sha, _, name = line.partition(" ")
            refs[name] = sha
        self._known = refs.get(f"refs/heads/{BRANCH}"), refs.get(f"refs/remotes/origin/{BRANCH}")
        return self._known

    def pull(self, waiting: int) -> str | None:
        kept = (
            f"; your {waiting} change{'s are' if waiting != 1 else ' is'} committed here"
            " and go with the next rc sync"
            if waiting
            else ""
        )
        self._git("fetch", "-q", "origin", doing=f"cannot reach {self.remote}{kept}")
        self._known = None
        local, remote = self._refs()
        if remote is None or local == remote:
            return local
        self._known = None  # what follows moves this copy's branch
        if local is None:
            self._git("checkout", "-q", "-B", BRANCH, f"origin/{BRANCH}", doing="checking out")
            return remote
        ahead = self._git(
            "merge-base", "--is-ancestor", remote, local, doing="comparing", check=False
        )
        if ahead.returncode == 0:
            return local  # the remote has nothing new; the push sends what this copy has
        merged = self._git("merge", "-q", "--no-edit", remote, doing="merging", check=False)
        if merged.returncode != 0:
            self._git("merge", "--abort", doing="undoing the merge", check=False)
            raise git.GitError(
                f"cannot merge what {self.remote} holds ({git.reason(merged)}); nothing was applied"
            )
        return self._refs()[0]

    def changed(self, since: str | None, head: str | None) -> list[str] | None:
        if since is None or head is None:
            return None
        known = self._git("cat-file", "-e", f"{since}^{{commit}}", doing="reading", check=False)
        if known.returncode != 0:
            return None  # a hub made anew: everything is read again
        done = self._git(
            "diff", "--name-only", "--no-renames", "-z", since, head, "--", "changes",
            doing="reading what changed",
        )  # fmt: skip
        return [name for name in done.stdout.split("\0") if name]

    def push(self, last_try: bool) -> bool:
        local, remote = self._refs()
        if local is None or local == remote:
            return True  # nothing anywhere yet, or nothing the remote lacks
        self._known = None
        pushed = self._git(
            "push", "-q", "origin", f"{BRANCH}:{BRANCH}", doing="pushing", check=False
        )
        if pushed.returncode == 0:
            return True
        if last_try:
            raise git.GitError(
                f"{self.remote} refused the push ({git.reason(pushed)}); your changes "
                "are committed here and go with the next rc sync"
            )
        return False
