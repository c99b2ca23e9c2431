"""A resident msmanual: one process with the engine loaded, forking a child for each command.

Python start-up and imports are half of a `generate` run. `msmanual resident start` leaves a
process in the background with everything imported; while it runs, each `msmanual` command
hands its arguments, working folder, environment and its own stdin/stdout/stderr to it over a
private Unix socket, and a forked child runs the command exactly as the process itself would
have (same code, locks and transactions), writing straight to the caller's terminal. The
caller forwards Ctrl-C and other signals to the child, exits with its exit code, and a child
whose caller died is killed. The resident refuses work and stops when the engine's code
changed since it started, and stops after an idle time (default 30 minutes);
MSMANUAL_RESIDENT=off makes a command run on its own. Linux only (pidfd, SO_PEERCRED).

This module imports only the standard library at the top: the caller's side runs before the
engine is imported.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import selectors
import signal
import socket
import struct
import sys
import time
from pathlib import Path
from typing import Any

ENGINE_DIR = Path(__file__).resolve().parents[1]
IDLE_SECONDS = 1800.0
MAX_REQUEST = 4 * 1024 * 1024  # arguments and environment: far below this
_HEADER = struct.Struct("!I")


class ResidentError(Exception):
    """The resident cannot be started or reached as asked (the CLI prints the message)."""


def available() -> bool:
    """Return whether this system has what the resident needs (pidfd, passing descriptors)."""
    return sys.platform.startswith("linux") and hasattr(os, "pidfd_open")


def socket_path() -> Path:
    """Return the socket of this installation's resident, in a folder only the user can open."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir():
        base = Path(runtime) / "msmanual"
    else:
        configured = os.environ.get("MSMANUAL_CACHE_DIR")
        cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
        base = (Path(configured) if configured else Path(cache_home) / "msmanual") / "run"
    # One resident per installation: two checkouts or venvs never answer for each other.
    name = hashlib.sha256(str(ENGINE_DIR).encode()).hexdigest()[:12]
    return base / f"resident-{name}.sock"


def code_stamp() -> str:
    """Return the stamp of the engine's code (the resident's side only: imports the engine)."""
    from engine.usercache import engine_stamp

    return engine_stamp()


# -- the caller's side ------------------------------------------------------------------------


def delegate(argv: list[str]) -> int | None:
    """Run the command in the resident and return its exit code; None when there is none to use.

    None also when the resident refused (its code is stale): the caller runs the command itself.
    """
    if os.environ.get("MSMANUAL_RESIDENT", "").lower() in ("off", "0", "no") or not available():
        return None
    if argv[:1] == ["resident"]:
        return None
    path = socket_path()
    if not path.exists():
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(path))
    except OSError:  # a socket left by a resident that died: run alone
        connection.close()
        return None
    umask = os.umask(0)
    os.umask(umask)
    request = {"argv": argv, "cwd": str(Path.cwd()), "env": dict(os.environ), "umask": umask}
    payload = json.dumps(request).encode()
    data = _HEADER.pack(len(payload)) + payload
    with connection, connection.makefile("rb") as reader:
        try:
            sent = socket.send_fds(connection, [data], [0, 1, 2])
            connection.sendall(data[sent:])
            first = _answer(reader)
        except OSError:  # a closed standard stream, a resident gone meanwhile: run alone
            return None
        if first is None or "pid" not in first:
            return None  # stale or refused: nothing ran
        child = int(first["pid"])
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(number, lambda sig, frame: _forward(child, sig))
        try:
            last = _answer(reader)
        except OSError:
            last = None
    if last is None or "exit" not in last:
        sys.stderr.write("error: the resident msmanual stopped during the command\n")
        return 1
    code = int(last["exit"])
    if code < 0:  # the child was killed by a signal: end the same way
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
        return 128 - code
    return code


def _forward(child: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(child, number)


def _answer(reader: Any) -> dict[str, Any] | None:
    while True:
        try:
            line = reader.readline()
        except InterruptedError:
            continue
        if not line:
            return None
        with contextlib.suppress(ValueError):
            answer = json.loads(line)
            return answer if isinstance(answer, dict) else None
        return None


# -- the resident's side ----------------------------------------------------------------------


def serve(path: Path, idle_seconds: float, ready: int | None = None) -> None:
    """Listen on path and run each command in a forked child until idle for idle_seconds.

    SIGTERM stops it taking new commands; the ones running finish and report first.
    """
    warm_up()
    Resident(path, idle_seconds).loop(ready)


def warm_up() -> None:
    """Import what commands use and build what does not depend on the caller's inputs."""
    import engine.commands.batch
    import engine.commands.generate
    import engine.interfaces.cli  # noqa: F401
    from engine.documents.registry import default_registry
    from engine.inputs.models import CompanyProfile

    default_registry()
    CompanyProfile.model_rebuild()  # the profile's validator: needed by every command
    # What is loaded now is shared with every child: keep the collector off those pages, so
    # that a child does not copy them (copy on write) just to look them over.
    gc.collect()
    gc.freeze()


class Resident:
    """The resident's state: its socket, its wake-up pair and the commands running."""

    def __init__(self, path: Path, idle_seconds: float) -> None:
        """Listen on path (replacing a dead resident's socket), in a folder only the user opens."""
        self.path = path
        self.idle_seconds = idle_seconds
        self.stamp = code_stamp()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        path.unlink(missing_ok=True)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(path))
        path.chmod(0o600)
        self.inode = path.stat().st_ino  # a newer resident's socket there is not ours to remove
        self.listener.listen(16)
        self.wake_read, self.wake_write = socket.socketpair()  # a signal wakes the loop at once
        for end in (self.wake_read, self.wake_write):
            end.setblocking(False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, "listen")
        self.selector.register(self.wake_read, selectors.EVENT_READ, "signal")
        self.running: dict[int, tuple[socket.socket, int]] = {}  # pidfd → (caller, child pid)
        self.stopping = False
        self.listening = True
        self.served = 0  # commands run, for `msmanual resident status`

    def status(self) -> dict[str, Any]:
        """Return what `msmanual resident status` prints."""
        return {"pid": os.getpid(), "served": self.served, "idle": self.idle_seconds}

    def _stop(self, number: int, frame: object) -> None:
        self.stopping = True

    def loop(self, ready: int | None) -> None:
        """Serve until stopped, idle or stale, then until the running commands have finished."""
        signal.set_wakeup_fd(self.wake_write.fileno())
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        if ready is not None:
            os.write(ready, b"ready\n")
            os.close(ready)
        last_activity = time.monotonic()
        try:
            while self.listening or self.running:
                idle = not self.running and time.monotonic() - last_activity > self.idle_seconds
                if self.listening and (self.stopping or idle):
                    self._close_listener()  # no new commands; the running ones finish
                    continue
                for key, _ in self.selector.select(timeout=min(self.idle_seconds, 60.0)):
                    if key.data == "signal":
                        with contextlib.suppress(OSError):
                            self.wake_read.recv(4096)
                    elif key.data == "listen":
                        last_activity = time.monotonic()
                        self._accept()
                    elif key.data[0] == "child":
                        self._finished(key.data[1])
                        last_activity = time.monotonic()
                    else:  # the caller hung up or died: its command ends too
                        self._abandoned(key.data[1])
        finally:
            if self.listening:
                self._close_listener()
            signal.set_wakeup_fd(-1)

    def _close_listener(self) -> None:
        """Remove this resident's socket (not a newer resident's) and stop listening."""
        self.listening = False
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(self.listener)
        with contextlib.suppress(OSError):
            if self.path.stat().st_ino == self.inode:
                self.path.unlink()
        self.listener.close()

    def _accept(self) -> None:
        """Take one caller's request and fork its child (refused when the code went stale)."""
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        descriptors: list[int] = []
        try:
            connection.settimeout(10)
            credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
            if struct.unpack("3i", credentials)[1] != os.getuid():
                raise ResidentError("a caller of another user")
            request, descriptors = _request(connection)
            if request.get("status"):
                _send(connection, self.status())
                raise ResidentError("answered")  # closes the connection
            if len(descriptors) != 3:
                raise ValueError("a command without its standard streams")
            if code_stamp() != self.stamp:
                _send(connection, {"stale": True})  # the caller runs it alone; we stop
                self.stopping = True
                raise ResidentError("the engine's code changed")
            pid = os.fork()
            if pid == 0:
                self._become_child(connection, request, descriptors)
            self.served += 1
            _close_all(descriptors)
            descriptors = []
            _send(connection, {"pid": pid})
            connection.settimeout(None)
            handle = os.pidfd_open(pid)
            self.running[handle] = (connection, pid)
            self.selector.register(handle, selectors.EVENT_READ, ("child", handle))
            self.selector.register(connection, selectors.EVENT_READ, ("caller", handle))
        except (OSError, ValueError, ResidentError):
            _close_all(descriptors)
            connection.close()

    def _finished(self, handle: int) -> None:
        connection, pid = self.running.pop(handle)
        _, status = os.waitpid(pid, 0)
        _send(connection, {"exit": os.waitstatus_to_exitcode(status)})
        self.selector.unregister(handle)
        os.close(handle)
        with contextlib.suppress(KeyError, ValueError):  # not when the caller already hung up
            self.selector.unregister(connection)
        connection.close()

    def _abandoned(self, handle: int) -> None:
        connection, pid = self.running[handle]
        with contextlib.suppress(OSError):
            if connection.recv(1, socket.MSG_PEEK):
                return  # the caller said something: not a hang-up
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)  # as if the caller's own process had been killed
        self.selector.unregister(connection)

    def _become_child(
        self, connection: socket.socket, request: dict[str, Any], descriptors: list[int]
    ) -> None:
        """Become the caller's command: its descriptors, folder, environment and arguments."""
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C as anywhere
            others = [caller for caller, _ in self.running.values()]
            for end in [self.listener, self.wake_read, self.wake_write, connection, *others]:
                end.close()
            _close_all(list(self.running))
            self.selector.close()
            for target, descriptor in enumerate(descriptors):
                os.dup2(descriptor, target)
            _close_all(descriptors)
            os.chdir(str(request["cwd"]))
            os.umask(int(request["umask"]))
            os.environ.clear()
            os.environ.update({str(k): str(v) for k, v in dict(request["env"]).items()})
            time.tzset()
            _reopen_standard_streams()
            sys.argv = ["msmanual", *[str(a) for a in request["argv"]]]
        except BaseException as exc:  # the child must never return into the resident's loop
            with contextlib.suppress(OSError):
                message = f"error: the resident msmanual could not run the command: {exc}\n"
                os.write(2, message.encode())
            os._exit(1)
        from engine.interfaces.launch import run

        run()  # never returns: ends the process with the command's exit code


def _close_all(descriptors: list[int]) -> None:
    for descriptor in descriptors:
        with contextlib.suppress(OSError):
            os.close(descriptor)


def _request(connection: socket.socket) -> tuple[dict[str, Any], list[int]]:
    data, descriptors, _, _ = socket.recv_fds(connection, 65536, 3)
    if len(descriptors) not in (0, 3) or len(data) < _HEADER.size:
        _close_all(descriptors)
        raise ValueError("incomplete request")
    (size,) = _HEADER.unpack(data[: _HEADER.size])
    body = data[_HEADER.size :]
    while len(body) < min(size, MAX_REQUEST + 1):
        chunk = connection.recv(size - len(body))
        if not chunk:
            break
        body += chunk
    try:
        if size > MAX_REQUEST or len(body) != size:
            raise ValueError("incomplete or oversized request")
        request = json.loads(body)
        if not isinstance(request, dict):
            raise ValueError("malformed request")
    except ValueError:
        _close_all(descriptors)
        raise
    return request, descriptors


def _send(connection: socket.socket, answer: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        connection.sendall(json.dumps(answer).encode() + b"\n")


def _reopen_standard_streams() -> None:
    """Open the caller's stdin, stdout and stderr as Python would have at the caller's start."""
    encoding = os.environ.get("PYTHONIOENCODING", "utf-8").split(":")[0] or "utf-8"
    sys.stdin = open(0, encoding=encoding, closefd=False)  # noqa: SIM115
    for number, name in ((1, "stdout"), (2, "stderr")):
        stream = open(  # noqa: SIM115
            number,
            "w",
            buffering=1 if os.isatty(number) else -1,  # line by line on a terminal
            encoding=encoding,
            errors="backslashreplace" if name == "stderr" else "strict",
            closefd=False,
        )
        setattr(sys, name, stream)


# -- start, stop, status ----------------------------------------------------------------------


def start(idle_seconds: float = IDLE_SECONDS) -> int:
    """Start a resident in the background and return its pid, once it answers."""
    if not available():
        raise ResidentError("the resident needs Linux (pidfd); run commands on their own")
    pid = running_pid()
    if pid is not None:
        return pid
    path = socket_path()
    if len(str(path)) > 100:
        raise ResidentError(f"the socket path {path} is too long: set XDG_RUNTIME_DIR")
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # detach: a new session, no terminal, the caller's descriptors closed
        try:
            os.close(reading)
            os.setsid()
            if os.fork() != 0:
                os._exit(0)
            null = os.open(os.devnull, os.O_RDWR)
            for target in (0, 1, 2):
                os.dup2(null, target)
            os.chdir("/")
            serve(path, idle_seconds, ready=writing)
        finally:
            os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    with os.fdopen(reading, "rb") as pipe:
        said = pipe.read()
    pid = running_pid()
    if not said.startswith(b"ready") or pid is None:
        raise ResidentError("the resident did not start; run commands on their own")
    return pid


def status(path: Path | None = None) -> dict[str, Any] | None:
    """Return the resident's pid and how many commands it ran, or None when none answers."""
    path = path or socket_path()
    if not available() or not path.exists():
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(10)
        connection.connect(str(path))
        payload = json.dumps({"status": True}).encode()
        connection.sendall(_HEADER.pack(len(payload)) + payload)
        with connection.makefile("rb") as reader:
            answer = _answer(reader)
    except OSError:
        return None
    finally:
        connection.close()
    return answer if answer is not None and "pid" in answer else None


def running_pid() -> int | None:
    """Return the pid of the resident answering on this installation's socket, if any."""
    answer = status()
    return int(answer["pid"]) if answer is not None else None


def stop(timeout: float = 10.0) -> int | None:
    """Stop the resident (commands it is running finish); return its pid, or None if none ran."""
    pid = running_pid()
    if pid is None:
        return None
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and socket_path().exists():
        time.sleep(0.05)
    return pid
