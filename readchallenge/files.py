"""Writing the files a user asks for (`-o`, `--svg`): atomic, never over what must not go."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from readchallenge.errors import Conflict, RcError, UsageError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: str | Iterable[str], force: bool) -> None:
    """Write via a temporary file and a rename; never overwrite without `force`.

    A new file gets the mode the umask gives (as the shell's `>` would); a replaced file
    keeps its mode. Only a regular file (or a link, which is replaced, not followed) is
    ever replaced: a FIFO, a device or a folder is refused untouched.
    """
    try:
        existing = path.lstat()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise RcError(f"cannot write {path}: {exc.strerror}") from None
    if existing is not None:
        if stat.S_ISDIR(existing.st_mode):
            raise UsageError(f"{path} is a folder")
        if not (stat.S_ISREG(existing.st_mode) or stat.S_ISLNK(existing.st_mode)):
            raise RcError(f"{path} is not a regular file; rc writes only to files")
        if not force:
            raise Conflict(f"{path} exists; use --force to overwrite it")
    mode = (
        stat.S_IMODE(existing.st_mode)
        if existing is not None and stat.S_ISREG(existing.st_mode)
        else 0o666 & ~_umask()
    )
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise RcError(f"cannot write in {folder}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for piece in [text] if isinstance(text, str) else text:
                handle.write(piece)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise RcError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
