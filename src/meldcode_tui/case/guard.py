"""The save guard: `<id>.json.saving`, held for the few milliseconds in which a case file is
checked and then written, so that "check, then write" is one step between processes.

Whoever writes a case file holds it: a `CaseSession` save (lock still ours? revision unchanged?
then replace) and `CaseStore.save` (revision unchanged? then replace); `CaseStore.open` holds it
while it loads the case, after taking the edit lock. So a save acknowledged to a lock holder is
always either wholly before a forced takeover's load, or refused because the lock is gone.

The guard is created with O_CREAT|O_EXCL (0600) and holds {user, host, pid, time, token} like a
lock file. A busy guard is waited for (up to `WAIT_SECONDS`). A guard left by a crash is stale
when its process, on this host, is gone; when it is older than `STALE_SECONDS` (another host); or
when it is still empty after `INCOMPLETE_GRACE_SECONDS`. A guard is removed with
`atomic.remove_if`, so only the very file judged stale (or our own) is ever removed.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from meldcode_tui.case.atomic import hostname, open_private, own_start, remove_if, write_all
from meldcode_tui.case.lock import INCOMPLETE_GRACE_SECONDS, LockInfo, read_lock

GUARD_SUFFIX = ".saving"
WAIT_SECONDS = 5.0
"""How long a save waits for someone else's guard before giving up (a save takes milliseconds)."""
STALE_SECONDS = 30.0
"""A guard older than this is stale whoever holds it (also across hosts, allowing clock skew)."""
_FIRST_PAUSE = 0.0005
_LONGEST_PAUSE = 0.01

_IDENTITY: dict[int, tuple[str, str]] = {}


class GuardBusyError(TimeoutError):
    """Someone else's save guard stayed in place for `WAIT_SECONDS`; `holder` says whose."""

    def __init__(self, holder: LockInfo | None) -> None:
        who = holder.describe() if holder is not None else "another process"
        super().__init__(errno.ETIMEDOUT, f"another save of this case, by {who}, is still busy")
        self.holder = holder


def guard_path(case_path: Path) -> Path:
    return case_path.with_name(case_path.name + GUARD_SUFFIX)


def _identity() -> tuple[str, str]:
    """(host, process start) of this process, looked up once per process (also after a fork)."""
    pid = os.getpid()
    found = _IDENTITY.get(pid)
    if found is None:
        _IDENTITY.clear()
        found = _IDENTITY[pid] = (hostname(), own_start())
    return found


class SaveGuard:
    """The guard of one case file; `with SaveGuard(path, user):` holds it for the block.

    `acquire()` raises `GuardBusyError` (an `OSError`) when someone else keeps it, and `OSError`
    when it cannot be created (read-only folder, full disk).
    """

    __slots__ = ("_data", "held", "path")

    def __init__(self, case_path: Path, user: str = "") -> None:
        self.path = guard_path(case_path)
        host, started = _identity()
        info = LockInfo(
            user=user,
            host=host,
            pid=os.getpid(),
            time=datetime.now(UTC).replace(microsecond=0),
            token=os.urandom(8).hex(),
            started=started,
        )
        self._data = json.dumps(info.to_json()).encode()
        self.held = False

    def acquire(self) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        pause = _FIRST_PAUSE
        while True:
            if self._create():
                self.held = True
                return
            found = read_lock(self.path)
            holder = None if found is None else found[1]
            if (
                found is not None
                and _is_stale(self.path, holder)
                and remove_if(self.path, found[0].__eq__)
            ):
                continue
            if time.monotonic() > deadline:
                raise GuardBusyError(holder)
            if found is not None:
                time.sleep(pause)
                pause = min(pause * 2, _LONGEST_PAUSE)

    def _create(self) -> bool:
        try:
            fd = open_private(self.path, os.O_WRONLY)
        except FileExistsError:
            return False
        try:
            try:
                write_all(fd, self._data)
            finally:
                os.close(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            raise
        return True

    def release(self) -> None:
        """Remove the guard if it is still ours; idempotent, never raises for a missing file."""
        if not self.held:
            return
        self.held = False
        remove_if(self.path, self._data.__eq__)

    def __enter__(self) -> SaveGuard:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _is_stale(path: Path, holder: LockInfo | None) -> bool:
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    if holder is None:
        return age > INCOMPLETE_GRACE_SECONDS
    return age > STALE_SECONDS or holder.is_stale()
