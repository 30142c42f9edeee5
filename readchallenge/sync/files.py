"""The files of the sync folder: each device's closed chunks
(`changes/<device>/*.jsonl.gz`), the single files of earlier versions
(`changes/<device>.jsonl`), read and written only as plain files inside the folder: never
through a link, never a device or a pipe, never a line or a file beyond a cap.

A chunk is gzip-compressed: git compares every new file with others like it to store it
as a difference, which on megabytes of similar JSON took a new device 20 s to fetch a
hub of 100,000 entries; compressed, the same hub is a tenth of the size and takes 0.3 s.
"""

from __future__ import annotations

import gzip
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from readchallenge.errors import RcError
from readchallenge.store.entries import Entry, EntryError, moved_line, parse_entry

CHUNK_BYTES = 4 << 20  # a chunk closes at this size; a sync that sends more writes several
MAX_FILE = 1 << 30  # a file of the sync folder larger than this is refused (uncompressed too)
MAX_LINE = 64 << 20  # so is a line (rc writes parts of at most about 1 MiB)
LEVEL = 1  # gzip's fastest: JSON still shrinks eightfold
SINGLE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}\.jsonl\Z")  # changes/<device>.jsonl (format 1)
DEVICE_DIR = re.compile(r"[a-z0-9][a-z0-9-]{0,63}\Z")
CHUNK = re.compile(r"\d{8}\.jsonl\.gz\Z")  # changes/<device>/00000001.jsonl.gz


class FolderError(RcError):
    """Something in the sync folder rc does not read or write: a link, a device, a giant."""


def real_dir(path: Path, shown: str) -> None:
    """Refuse a link or a file where the sync folder has a folder (a missing one is fine)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(mode):
        what = "a symbolic link" if stat.S_ISLNK(mode) else "not a folder"
        raise FolderError(
            f"{shown} in the sync folder is {what}; rc reads and writes only plain files "
            "there: remove it from the repository"
        )


def open_regular(path: Path, shown: str) -> int:
    """A file of the sync folder opened for reading: a plain file, never through a link,
    a device or a pipe, and of a size rc reads."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        what = "a symbolic link" if os.path.islink(path) else exc.strerror
        raise FolderError(
            f"{shown} in the sync folder is {what}; rc reads only plain files there: "
            "remove it from the repository; nothing was applied"
        ) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE:
        os.close(fd)
        what = "not a plain file" if not stat.S_ISREG(info.st_mode) else "larger than 1 GiB"
        raise FolderError(f"{shown} in the sync folder is {what}; nothing was applied")
    return fd


@dataclass
class Source:
    """One file of another device in the sync folder, read from `start`."""

    repo: Path
    rel: str  # changes/laptop-3f9a2c.jsonl or changes/laptop-3f9a2c/00000001.jsonl.gz
    single: bool  # one file a device (format 1): every entry in it is that device's
    start: int = 0  # where reading begins (a single file read before)
    last: int = -1  # where the last line read begins
    last_clock: str = ""  # and its clock

    @property
    def device(self) -> str:
        name = self.rel.split("/")[1]
        return name[: -len(".jsonl")] if self.single else name

    def lines(self) -> Iterator[tuple[str, int, str]]:
        """(where, offset, text) of each whole line from `start` (a chunk, uncompressed)."""
        fd = open_regular(self.repo / self.rel, self.rel)
        with os.fdopen(fd, "rb") as raw_handle:
            handle: BinaryIO | gzip.GzipFile = (
                raw_handle if self.single else gzip.GzipFile(fileobj=raw_handle)
            )
            handle.seek(self.start)
            offset, number = self.start, 0
            while True:
                try:
                    raw = handle.readline(MAX_LINE + 1)
                except (OSError, EOFError, zlib.error):
                    raise EntryError(f"{self.rel}: not a gzip file, or a damaged one") from None
                if not raw:
                    return
                number += 1
                if not raw.endswith(b"\n"):
                    problem = "a line longer than 64 MiB" if len(raw) > MAX_LINE else None
                    raise EntryError(f"{self.where(number)}: {problem or 'a truncated line'}")
                if offset + len(raw) > MAX_FILE:
                    raise EntryError(f"{self.rel}: more than 1 GiB")
                yield self.where(number), offset, raw.decode("utf-8", errors="replace")
                offset += len(raw)

    def where(self, number: int) -> str:
        return f"{self.rel} line {number}" + (f" after byte {self.start}" if self.start else "")

    def resume(self, offset: int, clock: str) -> None:
        """Go on after the line remembered at `offset`, if that line (by its clock) is still
        there; otherwise the file was written again and is read from the top (what was
        applied already is known by its clock)."""
        try:
            fd = open_regular(self.repo / self.rel, self.rel)
        except FolderError:
            return  # reported when the file is read
        with os.fdopen(fd, "rb") as handle:
            handle.seek(offset)
            line = handle.readline(MAX_LINE + 1)
        if line.endswith(b"\n") and f'"clock":"{clock}"'.encode() in line.replace(b": ", b":"):
            self.start = offset + len(line)


def sources(repo: Path, own: str, paths: Iterable[str] | None) -> list[Source]:
    """The other devices' files to read: those in `paths` (what changed), or all of them."""
    base = repo / "changes"
    real_dir(base, "changes")
    if paths is None:
        paths = _every_file(base)
    found = []
    for rel in sorted(set(paths)):
        parts = rel.split("/")
        if len(parts) == 2 and SINGLE.match(parts[1]) and parts[1] != f"{own}.jsonl":
            found.append(Source(repo, rel, True))
        elif len(parts) == 3 and DEVICE_DIR.match(parts[1]) and CHUNK.match(parts[2]):
            if parts[1] != own:
                real_dir(base / parts[1], f"changes/{parts[1]}")
                found.append(Source(repo, rel, False))
    return [source for source in found if os.path.lexists(repo / source.rel)]


def _every_file(base: Path) -> list[str]:
    if not base.is_dir():
        return []
    found = []
    for entry in sorted(os.scandir(base), key=lambda e: e.name):
        if SINGLE.match(entry.name):
            found.append(f"changes/{entry.name}")
        elif DEVICE_DIR.match(entry.name):
            real_dir(Path(entry.path), f"changes/{entry.name}")
            if entry.is_dir(follow_symlinks=False):
                found += [
                    f"changes/{entry.name}/{name}"
                    for name in sorted(os.listdir(entry.path))
                    if CHUNK.match(name)
                ]
    return found


Item = tuple[Source, str, Entry, bool]  # the file, where in it, the entry, a continued part


def entries(sources: list[Source], now_ms: int) -> Iterator[Item]:
    """The entries of one device's files, in order, each line checked; a large entry's
    parts one after another (its last parts may be in the next chunk of the same sync)."""
    pending: str | None = None
    for source in sources:
        for where, offset, line in source.lines():
            try:
                entry = parse_entry(line, now_ms)
            except EntryError as exc:
                raise EntryError(f"{where}: {exc}") from None
            if entry is None:
                continue  # the line saying the device writes chunks now
            if source.single and entry.device != source.device:
                raise EntryError(f"{where}: an entry of another device")
            continued = pending is not None
            if continued and entry.clock != pending:
                raise EntryError(f"{where}: the entry before it is cut short")
            pending = entry.clock if entry.more else None
            source.last, source.last_clock = offset, entry.clock
            yield source, where, entry, continued
    if pending is not None:
        raise EntryError(f"{sources[-1].rel}: its last entry is cut short")


def streams(sources: list[Source]) -> list[list[Source]]:
    """The sources grouped as they are read: each single file alone, each device's new
    chunks together, in order."""
    groups: dict[str, list[Source]] = {}
    for source in sources:
        group = source.rel if source.single else source.device
        groups.setdefault(group, []).append(source)
    return [sorted(group, key=lambda s: s.rel) for group in groups.values()]


class OwnFolder:
    """This device's folder of chunks, `changes/<device>/`, and its single file of earlier
    versions, which ends with a line telling an older rc that it moved."""

    def __init__(self, repo: Path, device: str) -> None:
        self.repo, self.device = repo, device
        self.path = repo / "changes" / device
        real_dir(repo / "changes", "changes")
        real_dir(self.path, f"changes/{device}")
        self.path.mkdir(parents=True, exist_ok=True)

    def chunks(self) -> list[str]:
        return sorted(name for name in os.listdir(self.path) if CHUNK.match(name))

    def write(self, lines: Iterable[str]) -> list[str]:
        """Write the lines into new chunks, each closed at about CHUNK_BYTES; their paths.
        A chunk is written under a temporary name and renamed once it is on disk."""
        existing = self.chunks()
        number = int(existing[-1][:8]) if existing else 0
        written: list[str] = []
        handle: gzip.GzipFile | None = None
        size = 0
        for line in lines:
            if handle is None or size >= CHUNK_BYTES:
                if handle is not None:
                    self._close(handle, number)
                number += 1
                handle = self._open(number)
                written.append(f"changes/{self.device}/{number:08d}.jsonl.gz")
                size = 0
            data = line.encode("utf-8")
            handle.write(data)
            size += len(data)
        if handle is not None:
            self._close(handle, number)
        return written

    def _temp(self, number: int) -> Path:
        return self.path / f"{number:08d}.jsonl.gz.partial"

    def _open(self, number: int) -> gzip.GzipFile:
        temp = self._temp(number)
        if os.path.lexists(temp):
            os.unlink(temp)  # left by a sync that stopped half-way; never committed
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        # No name or time in the header: the same entries make the same file.
        self._raw = os.fdopen(fd, "wb")
        return gzip.GzipFile(
            filename="", mode="wb", compresslevel=LEVEL, fileobj=self._raw, mtime=0
        )

    def _close(self, handle: gzip.GzipFile, number: int) -> None:
        handle.close()  # GzipFile leaves the file it was given open
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self._temp(number), self.path / f"{number:08d}.jsonl.gz")

    def mark_moved(self) -> str | None:
        """End the single file of earlier versions with the line that says it moved (once);
        its path if it was written now. Only its last bytes are read."""
        single = self.repo / "changes" / f"{self.device}.jsonl"
        shown = f"changes/{self.device}.jsonl"
        line = moved_line(self.device).encode()
        try:
            fd = os.open(single, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        except OSError:
            raise FolderError(f"{shown} in the sync folder is not a plain file") from None
        with os.fdopen(fd, "r+b") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise FolderError(f"{shown} in the sync folder is not a plain file")
            end = handle.seek(0, os.SEEK_END)
            if end >= len(line):
                handle.seek(end - len(line))
                if handle.read() == line:
                    return None
            if end:  # a line an older rc left half-written before its commit is cut
                handle.seek(end - 1)
                if handle.read(1) != b"\n":
                    handle.seek(max(0, end - MAX_LINE))
                    tail = handle.read()
                    cut = tail.rfind(b"\n")
                    handle.truncate(end - len(tail) + cut + 1 if cut >= 0 else 0)
            handle.seek(0, os.SEEK_END)
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        return shown
