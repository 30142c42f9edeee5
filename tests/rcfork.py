"""rc as its own process, without paying for Python's start-up each time.

Most tests run rc as a user would: a process with its own environment, working directory,
standard streams and exit status. Starting Python and importing rc costs more than most
commands then do, hundreds of times a run. So each test worker starts one server process
that imports rc once and forks a child for every command: the child takes the command's
environment, directory and streams, runs rc's console entry point and exits with its status,
as `python -m readchallenge` would. Tests about what only a fresh interpreter shows (start-up
imports, the streams' encoding, signals at start) start rc with `subprocess` instead.

Run as a script, this file is the server: `python rcfork.py SOCKET`.
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

_HEADER = 1 << 20  # the largest request: argv, environment, directory


def _fresh_streams() -> None:
    """Standard streams on the child's descriptors, made as Python makes them at start-up:
    the server's own were made for other files (a seekable log, say)."""
    made = []
    for fd, old in ((0, sys.stdin), (1, sys.stdout), (2, sys.stderr)):
        mode = "r" if fd == 0 else "w"
        made.append(
            open(  # noqa: SIM115 (the process's streams, for its whole life)
                fd, mode, buffering=1 if fd == 2 else -1, encoding=old.encoding,
                errors=old.errors, closefd=False,
            )
        )  # fmt: skip
    sys.stdin, sys.stdout, sys.stderr = made


def _serve(path: str) -> None:
    """Import rc, then fork a child for each request on the socket at `path`."""
    import importlib
    import pkgutil
    import signal

    import readchallenge
    import readchallenge.fastpath

    # Every module of rc (Typer's app and rich's console with them), imported once, here,
    # for every child; the children then pay only for what the command does. Not the
    # schema's declaration (SQLModel, SQLAlchemy, pydantic: no command loads them), which
    # would take the server from 36 to 64 MiB and every fork's page copying with it.
    for module in pkgutil.walk_packages(readchallenge.__path__, "readchallenge."):
        if not module.name.endswith(("__main__", "store.models")):
            importlib.import_module(module.name)

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    listener.settimeout(5)
    parent = os.getppid()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            if os.getppid() != parent:
                return  # the test worker is gone without saying so (killed)
            continue
        conn.settimeout(None)
        with conn:
            message, fds, _, _ = socket.recv_fds(conn, _HEADER, 3)
            if not message:
                return  # the test worker is done
            request = json.loads(message)
            pid = os.fork()
            if pid == 0:  # the child: become the command
                conn.close()
                listener.close()
                for target, fd in enumerate(fds):
                    os.dup2(fd, target)
                    os.close(fd)
                _fresh_streams()
                signal.signal(signal.SIGINT, signal.default_int_handler)
                os.environ.clear()
                os.environ.update(request["env"])
                time.tzset()  # the command's TZ, as a new process would read it
                os.chdir(request["cwd"])
                sys.argv = ["rc", *request["args"]]
                code = 0
                try:
                    readchallenge.fastpath.main()
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                except BaseException:  # as an uncaught exception ends `python -m`
                    import traceback

                    traceback.print_exc()
                    code = 1
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                except BrokenPipeError:
                    pass
                os._exit(code)
            for fd in fds:
                os.close(fd)
            conn.sendall(f"{pid}\n".encode())
            _, status = os.waitpid(pid, 0)
            conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())


class RcForks:
    """The test worker's side: one server, and `run` for each command."""

    def __init__(self, root: Path) -> None:
        self.path = str(root / "rc.sock")
        self.server = subprocess.Popen(
            [sys.executable, __file__, self.path],
            stdout=subprocess.PIPE,
            text=True,
            cwd=root,
        )
        assert self.server.stdout is not None
        assert self.server.stdout.readline() == "ready\n"

    def run(
        self,
        args: list[str],
        env: dict[str, str],
        *,
        input: str | None = None,
        cwd: str | Path | None = None,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        """What `subprocess.run([python, -m, readchallenge, *args], capture_output=True,
        text=True)` returns, from a forked child."""
        import tempfile

        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        with tempfile.TemporaryFile() as stdin:
            stdin.write((input or "").encode())
            stdin.seek(0)
            request = {"args": list(args), "env": env, "cwd": str(cwd or os.getcwd())}
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.connect(self.path)
                fds = [stdin.fileno(), out_w, err_w]
                socket.send_fds(conn, [json.dumps(request).encode()], fds)
            finally:
                os.close(out_w)
                os.close(err_w)
            with conn:
                out, err = self._drain(out_r, err_r, conn, args, timeout)
                status = conn.makefile().read().split()
        pid, code = int(status[0]), int(status[1])
        del pid
        return subprocess.CompletedProcess(
            ["rc", *args], code, out.decode("utf-8"), err.decode("utf-8")
        )

    @staticmethod
    def _drain(
        out_r: int, err_r: int, conn: socket.socket, args: list[str], timeout: float
    ) -> tuple[bytes, bytes]:
        """Read both streams to their end, as `communicate` does, within `timeout`."""
        chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
        open_fds = [out_r, err_r]
        deadline = time.monotonic() + timeout
        try:
            while open_fds:
                left = deadline - time.monotonic()
                if left <= 0:
                    pid = int(conn.makefile().readline() or 0)
                    if pid:
                        os.kill(pid, 9)
                    raise subprocess.TimeoutExpired(["rc", *args], timeout)
                ready, _, _ = select.select(open_fds, [], [], left)
                for fd in ready:
                    data = os.read(fd, 65536)
                    if data:
                        chunks[fd].append(data)
                    else:
                        open_fds.remove(fd)
        finally:
            os.close(out_r)
            os.close(err_r)
        return b"".join(chunks[out_r]), b"".join(chunks[err_r])

    def close(self) -> None:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.connect(self.path)
                socket.send_fds(conn, [b""], [])
        except OSError:
            pass
        try:
            self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.server.kill()


if __name__ == "__main__":
    _serve(sys.argv[1])
