"""Writing an export outside the data folder (`meldcode cases export -o FILE`, the app's export):
a new regular file, private and atomic, and never a write through something else.

- The target must be absent or a regular file: a folder, a symbolic link, a FIFO, a device or a
  socket is refused (writing "to" a FIFO or a device would hang or leak; a link could point
  anywhere). An existing file is replaced only when the caller says so (`replace=True`).
- The text is written to a temp file beside the target (0600, O_EXCL, named as `atomic` names
  its temp files: `.NAME.HOST.PID.RANDOM.tmp`), fsynced, then linked to the target's name — so
  a file that appeared in the meantime is never overwritten — or, to replace, renamed over it.
- While that happens, a journal entry in `locations.log_dir()/exports/` names the temp file. A
  process killed halfway leaves both behind; `remove_interrupted_exports` (run at the next start)
  removes the temp file of every entry whose process is gone, and the entry. It only ever
  removes a file whose name is one of our temp names (`atomic.remove_if_stale_temp`).

Errors are `OSError`s with an English `strerror`; a refusal is an `ExportTargetError`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from pathlib import Path

from meldcode_tui.case.atomic import (
    STALE_TEMP_SECONDS,
    fsync_dir,
    host_tag,
    open_private,
    pid_alive,
    private_folder,
    remove_if_stale_temp,
    temp_path,
    write_all,
)

JOURNAL_FOLDER = "exports"
_ENTRY_SUFFIX = ".export"
_ENTRY_NAME = re.compile(r"^(?P<host>[A-Za-z0-9-]{1,32})\.(?P<pid>\d{1,10})\.[0-9a-f]{8}\.export$")


class ExportTargetError(OSError):
    """The target is not something an export may be written to; `errno` says what it is:
    EEXIST (a file, and replacing was not asked), EISDIR (a folder), ELOOP (a symbolic link),
    EINVAL (a FIFO, device or socket)."""


def journal_folder() -> Path:
    from meldcode_tui.locations import log_dir

    return log_dir() / JOURNAL_FOLDER


def check_target(target: Path, *, replace: bool = False) -> None:
    """Raise `ExportTargetError` if `target` is not absent or (with `replace`) a regular file."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    mode = info.st_mode
    if stat.S_ISREG(mode):
        if not replace:
            raise ExportTargetError(errno.EEXIST, "the file already exists", str(target))
        return
    if stat.S_ISDIR(mode):
        raise ExportTargetError(errno.EISDIR, "it is a folder", str(target))
    if stat.S_ISLNK(mode):
        raise ExportTargetError(
            errno.ELOOP, "it is a symbolic link; name the file itself", str(target)
        )
    raise ExportTargetError(
        errno.EINVAL, "it is not a regular file (a pipe, device or socket)", str(target)
    )


def write_export(target: Path, data: bytes, *, replace: bool = False) -> None:
    """Write `data` to `target` as a new private file (or, with `replace`, atomically over an
    existing regular file). On any error no temp file is left and `target` is unchanged."""
    target = Path(os.path.abspath(target))
    check_target(target, replace=replace)
    temp = temp_path(target)
    entry = _journal(temp)
    try:
        fd = open_private(temp, os.O_WRONLY)
        try:
            try:
                write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            if replace:
                check_target(target, replace=True)
                os.replace(temp, target)
            else:
                _link_new(temp, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        with contextlib.suppress(OSError):
            fsync_dir(target.parent)
    finally:
        if entry is not None:
            with contextlib.suppress(OSError):
                os.unlink(entry)


def _link_new(temp: Path, target: Path) -> None:
    """Give the written temp file the target's name, failing if that name exists by now."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise ExportTargetError(errno.EEXIST, "the file already exists", str(target)) from None
    except OSError:  # a file system without hard links: the check, then a rename
        check_target(target)
        os.replace(temp, target)


def _journal(temp: Path) -> Path | None:
    """Record that `temp` is being written; None when the journal cannot be written (the export
    goes ahead, only an interruption would leave its temp file until someone removes it)."""
    try:
        folder = private_folder(journal_folder())
        entry = folder / f"{host_tag()}.{os.getpid()}.{os.urandom(4).hex()}{_ENTRY_SUFFIX}"
        fd = open_private(entry, os.O_WRONLY)
    except OSError:
        return None
    try:
        write_all(fd, os.fsencode(str(temp)))
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(entry)
        return None
    os.close(fd)
    return entry


def remove_interrupted_exports(now: float | None = None) -> int:
    """Remove the temp files of exports whose process is gone (and their journal entries);
    returns how many temp files were removed."""
    folder = journal_folder()
    try:
        names = [e.name for e in os.scandir(folder)]
    except OSError:
        return 0
    now = time.time() if now is None else now
    removed = 0
    for name in names:
        match = _ENTRY_NAME.match(name)
        if match is None:
            continue
        entry = folder / name
        pid = int(match["pid"])
        try:
            age = now - entry.lstat().st_mtime
        except OSError:
            continue
        own = match["host"] == host_tag() and pid != os.getpid()
        if not ((own and not pid_alive(pid)) or age > STALE_TEMP_SECONDS):
            continue
        try:
            temp = Path(os.fsdecode(entry.read_bytes()))
        except OSError:
            continue
        if temp.is_absolute() and remove_if_stale_temp(temp.parent, temp.name, now):
            removed += 1
        with contextlib.suppress(OSError):
            os.unlink(entry)
    return removed
