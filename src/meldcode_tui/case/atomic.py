"""Atomic, private file writes in the data folder; clean-up of the temp files a crash leaves;
whether a process of this host still runs.

A file is replaced by writing a temp file in the same folder (created 0600, whatever the umask),
fsyncing it, `os.replace`-ing it over the target and fsyncing the folder: after a crash at any
moment the target holds the old or the new bytes, never a mix. Temp names start with a dot and
carry host and pid, so a listing ignores them and only our own stale ones are ever removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"
STALE_TEMP_SECONDS = 3600.0
"""A temp file older than this is stale whichever host wrote it: a save takes milliseconds."""

_TEMP_NAME = re.compile(
    r"^\.(?P<target>.+)\.(?P<host>[A-Za-z0-9-]{1,32})\.(?P<pid>\d{1,10})\.[0-9a-f]{8}\.tmp$"
)


def host_tag() -> str:
    """This host's name reduced to the characters a temp file name may hold."""
    return re.sub(r"[^A-Za-z0-9-]", "-", hostname())[:32] or "host"


def hostname() -> str:
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def temp_path(target: Path) -> Path:
    return target.with_name(
        f".{target.name}.{host_tag()}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}"
    )


def open_private(path: Path, flags: int) -> int:
    """Open with O_CREAT|O_EXCL and mode 0600 independent of the umask; return the fd."""
    fd = os.open(path, flags | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    if hasattr(os, "fchmod"):
        try:
            os.fchmod(fd, FILE_MODE)
        except BaseException:
            os.close(fd)
            raise
    return fd


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


_FSYNC_UNSUPPORTED = frozenset({errno.EINVAL, errno.EOPNOTSUPP})


def fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable; a no-op where folders cannot be fsynced."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def private_folder(folder: Path) -> Path:
    """`folder`, created 0700 if missing (its parents with the default mode); raises OSError."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=DIR_MODE)
    except FileExistsError:
        if not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder)) from None
        return folder
    os.chmod(folder, DIR_MODE)
    return folder


def write_atomic(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `target` with `data` atomically; on any error the temp file is gone and
    `target` unchanged. `durable=False` skips the fsyncs (for rebuildable files only)."""
    temp = temp_path(target)
    fd = open_private(temp, os.O_WRONLY)
    try:
        try:
            write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        fsync_dir(target.parent)


def is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def remove_if_stale_temp(directory: Path, name: str, now: float | None = None) -> bool:
    """Remove `name` if it is a temp file of ours no running save can still own."""
    match = _TEMP_NAME.match(name)
    if match is None:
        return False
    path = directory / name
    try:
        age = (time.time() if now is None else now) - path.lstat().st_mtime
    except OSError:
        return False
    pid = int(match["pid"])
    own_host = match["host"] == host_tag()
    dead = own_host and pid != os.getpid() and not pid_alive(pid)
    if not (dead or age > STALE_TEMP_SECONDS):
        return False
    try:
        os.unlink(path)
    except OSError:
        return False
    return True


def pid_alive(pid: int, started: str = "") -> bool:
    """Whether process `pid` of this host runs (and, if given, was started at `started`).

    Errs on the side of "alive": a lock is only ever taken from a process known to be gone.
    """
    if pid <= 0:
        return False
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    stat = proc_stat(pid)
    if stat is None:
        return True
    state, start = stat
    if state in ("Z", "X"):
        return False
    return not (started and start != started)


def proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks) of a process from /proc, where there is one."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            raw = file.read().decode("ascii", "replace")
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2 :].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]


def own_start() -> str:
    stat = proc_stat(os.getpid())
    return stat[1] if stat else ""
