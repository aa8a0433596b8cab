"""Atomic, private file writes in the data folder; clean-up of the temp files a crash leaves;
whether a process of this host still runs (POSIX: `os.kill(pid, 0)` and /proc where present;
Windows: kernel32 `OpenProcess` and `GetExitCodeProcess`, never `os.kill`).

A file is replaced by writing a temp file in the same folder (created 0600, whatever the umask),
fsyncing it, `os.replace`-ing it over the target and fsyncing the folder: after a crash at any
moment the target holds the old or the new bytes, never a mix. A new file (`write_new`) is
hard-linked into place from such a temp file instead, which never replaces an existing one. Temp
names start with a dot and carry host and pid, so a listing ignores them and only our own stale
ones are ever removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    try:
        _fill(open_private(temp, os.O_WRONLY), data, durable=durable)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        fsync_dir(target.parent)


_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.ENOSYS, errno.EMLINK}
)


def write_new(target: Path, data: bytes, *, durable: bool = True) -> bool:
    """Create `target` holding `data` only if no file of that name exists; False if one does.

    Never replaces a file. The data goes to a temp file (fsynced when `durable`) that is
    hard-linked into place, which fails when the name exists, so the target is never seen
    half-written; where the file system has no hard links, the target itself is created with
    O_CREAT|O_EXCL and written.
    """
    temp = temp_path(target)
    try:
        _fill(open_private(temp, os.O_WRONLY), data, durable=durable)
        os.link(temp, target)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        return _write_new_exclusive(target, data, durable=durable)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    if durable:
        fsync_dir(target.parent)
    return True


def _write_new_exclusive(target: Path, data: bytes, *, durable: bool) -> bool:
    try:
        fd = open_private(target, os.O_WRONLY)
    except FileExistsError:
        return False
    try:
        _fill(fd, data, durable=durable)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
    if durable:
        fsync_dir(target.parent)
    return True


def _fill(fd: int, data: bytes, *, durable: bool) -> None:
    """Write `data` to a new file's descriptor, fsync it when `durable`, and close it."""
    try:
        write_all(fd, data)
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)


def remove_if(path: Path, matches: Callable[[bytes], bool]) -> bool:
    """Remove the file at `path` if its bytes satisfy `matches`; True if it was removed.

    The file is renamed aside first and checked there, so the file removed is the very file
    checked, even when another process replaces it at the same moment; a file that does not
    match is linked back, unless a new file has taken its name meanwhile.
    """
    aside = temp_path(path)
    try:
        os.rename(path, aside)
    except OSError:
        return False
    try:
        with open(aside, "rb") as file:
            removable = matches(file.read(65536))
    except OSError:
        removable = False
    if not removable:
        with contextlib.suppress(OSError):
            os.link(aside, path)
    with contextlib.suppress(OSError):
        os.unlink(aside)
    return removable


def is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def temp_target(name: str) -> str | None:
    """The name of the file a temp file of ours was written for, None if `name` is no such temp."""
    match = _TEMP_NAME.match(name)
    return None if match is None else match["target"]


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


MAX_POSIX_PID = 2**31 - 1
"""`pid_t` is a signed 32-bit number: a larger pid names no process (and `os.kill` would raise)."""


def pid_alive(pid: int, started: str = "") -> bool:
    """Whether process `pid` of this host runs (and, if given, was started at `started`).

    Errs on the side of "alive": a lock is only ever taken from a process known to be gone. On
    Windows the process is asked for through kernel32 (`os.kill(pid, 0)` there would end it).
    """
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid, started)
    if pid > MAX_POSIX_PID:
        return False
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
            raw = file.read(4096).decode("ascii", "replace")
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2 :].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]


def own_start() -> str:
    """When this process started, in a form only `pid_alive` compares: clock ticks from /proc on
    Linux, the creation time from kernel32 on Windows, "" where neither is available."""
    if sys.platform == "win32":
        return _windows_start(None)
    stat = proc_stat(os.getpid())
    return stat[1] if stat else ""


_PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
_STILL_ACTIVE = 259
_ERROR_ACCESS_DENIED = 5
_ERROR_INVALID_PARAMETER = 87
"""What OpenProcess fails with for a process id no process has."""


def _kernel32() -> Any:
    """kernel32 with typed OpenProcess, GetExitCodeProcess, GetProcessTimes and CloseHandle."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    kernel32.GetProcessTimes.argtypes = (wintypes.HANDLE, *[ctypes.POINTER(wintypes.FILETIME)] * 4)
    kernel32.GetProcessTimes.restype = wintypes.BOOL
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    return kernel32


def _last_error() -> int:
    import ctypes

    return int(ctypes.get_last_error())  # type: ignore[attr-defined]


def _windows_pid_alive(pid: int, started: str) -> bool:
    import ctypes
    from ctypes import wintypes

    if pid > 0xFFFFFFFF:
        return False
    try:
        kernel32 = _kernel32()
    except (OSError, AttributeError):
        return True
    handle = kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return _last_error() != _ERROR_INVALID_PARAMETER
    try:
        code = wintypes.DWORD()
        if kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) and code.value != _STILL_ACTIVE:
            return False
    finally:
        kernel32.CloseHandle(handle)
    return not (started and _windows_start(pid) not in ("", started))


def _windows_start(pid: int | None) -> str:
    """The creation time of process `pid` (None: this process) as a number of 100 ns ticks."""
    import ctypes
    from ctypes import wintypes

    try:
        kernel32 = _kernel32()
    except (OSError, AttributeError):
        return ""
    own = pid is None
    handle = (
        kernel32.GetCurrentProcess()
        if own
        else kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    )
    if not handle:
        return ""
    try:
        times = [wintypes.FILETIME() for _ in range(4)]
        if not kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return ""
        created = times[0]
        return str((created.dwHighDateTime << 32) | created.dwLowDateTime)
    finally:
        if not own:
            kernel32.CloseHandle(handle)
