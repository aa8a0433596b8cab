"""Edit locks: `<id>.lock` beside the case file, telling others who edits it.

The lock is created exclusively (mode 0600: written to a temp file and hard-linked into place, or
with O_CREAT|O_EXCL where there are no hard links) and holds JSON {user, host, pid, time} plus a
random token. Only creating it grants the lock. A stale lock (this host, process gone) is removed
under a short-lived `<id>.lock.takeover` guard after checking its bytes are still the stale ones,
then the lock is created afresh, so two processes can never both believe they hold it. Locks this
process holds are released on `release()` and at normal interpreter exit.
"""

from __future__ import annotations

import atexit
import contextlib
import getpass
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from meldcode_tui.case.atomic import hostname, own_start, pid_alive, remove_if, write_new

LOCK_SUFFIX = ".lock"
GUARD_SUFFIX = ".takeover"
INCOMPLETE_GRACE_SECONDS = 2.0
"""A lock file without readable content older than this was left by a crash while creating it."""
STALE_GUARD_SECONDS = 30.0


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


class LockInfo(NamedTuple):
    """Who holds a lock: the person's name, host, process id and since when."""

    user: str
    host: str
    pid: int
    time: datetime
    token: str = ""
    started: str = ""
    login: str = ""

    @classmethod
    def mine(cls, user: str) -> LockInfo:
        return cls(
            user=user or _login(),
            host=hostname(),
            pid=os.getpid(),
            time=datetime.now(UTC).replace(microsecond=0),
            token=os.urandom(8).hex(),
            started=own_start(),
            login=_login(),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "host": self.host,
            "pid": self.pid,
            "time": self.time.isoformat(),
            "token": self.token,
            "started": self.started,
            "login": self.login,
        }

    @classmethod
    def from_json(cls, data: Any) -> LockInfo:
        """Raises `ValueError` when `data` is not a lock object."""
        if not isinstance(data, dict):
            raise ValueError("not a lock object")
        pid = data.get("pid")
        user, host = data.get("user"), data.get("host")
        if type(pid) is not int or not isinstance(user, str) or not isinstance(host, str):
            raise ValueError("not a lock object")
        return cls(
            user=user,
            host=host,
            pid=pid,
            time=datetime.fromisoformat(str(data.get("time"))),
            token=str(data.get("token", "")),
            started=str(data.get("started", "")),
            login=str(data.get("login", "")),
        )

    @property
    def on_this_host(self) -> bool:
        return self.host == hostname()

    def is_stale(self) -> bool:
        """True when the holder is a process of this host that no longer runs."""
        return self.on_this_host and not pid_alive(self.pid, self.started)

    def describe(self) -> str:
        """One English line for messages: who, where, since when."""
        who = self.user or "someone"
        host = self.host or "an unknown host"
        return f"{who} on {host} (process {self.pid}) since {self.time:%Y-%m-%d %H:%M} UTC"


def _unknown_holder(path: Path) -> LockInfo:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = time.time()
    return LockInfo(user="", host="", pid=0, time=datetime.fromtimestamp(mtime, UTC))


def read_lock(path: Path) -> tuple[bytes, LockInfo | None] | None:
    """The lock's bytes and who holds it (None if unreadable); None if there is no lock."""
    try:
        with open(path, "rb") as file:
            raw = file.read(4096)
    except FileNotFoundError:
        return None
    except OSError:
        return b"", None
    try:
        return raw, LockInfo.from_json(json.loads(raw.decode("utf-8")))
    except ValueError:
        return raw, None


def holder_of(path: Path) -> LockInfo | None:
    """Who holds the lock at `path`, if anyone (an incomplete lock file reads as unknown)."""
    found = read_lock(path)
    if found is None:
        return None
    return found[1] or _unknown_holder(path)


_HELD: dict[Path, str] = {}


class Lock:
    """A lock this process holds."""

    __slots__ = ("info", "path")

    def __init__(self, path: Path, info: LockInfo) -> None:
        self.path = path
        self.info = info

    def still_held(self) -> bool:
        found = read_lock(self.path)
        return found is not None and found[1] is not None and found[1].token == self.info.token

    def release(self) -> None:
        """Remove the lock file if it is still ours (never a lock that replaced it meanwhile, see
        `atomic.remove_if`); idempotent."""
        _HELD.pop(self.path, None)
        if self.still_held():
            remove_if(self.path, self._is_mine)

    def _is_mine(self, raw: bytes) -> bool:
        try:
            return LockInfo.from_json(json.loads(raw.decode("utf-8"))).token == self.info.token
        except ValueError:
            return False


class LockResult(NamedTuple):
    """`lock` when acquired, else `holder` says who has it; `taken_over`: a stale lock replaced."""

    lock: Lock | None
    holder: LockInfo | None = None
    taken_over: LockInfo | None = None


def acquire(path: Path, user: str, *, force: bool = False) -> LockResult:
    """Try to take the lock at `path` for `user`, taking over a stale one.

    `force` also takes over a live lock (e.g. from another host, once the person confirmed it).
    Raises `OSError` when the lock cannot be written for other reasons than being held.
    """
    mine = LockInfo.mine(user)
    taken: LockInfo | None = None
    holder: LockInfo | None = None
    for _ in range(5):
        if _create(path, mine):
            _HELD[path] = mine.token
            return LockResult(Lock(path, mine), None, taken)
        found = read_lock(path)
        if found is None:
            continue
        raw, holder = found
        if holder is None:
            holder = _unknown_holder(path)
            stale = time.time() - holder.time.timestamp() > INCOMPLETE_GRACE_SECONDS
        else:
            stale = holder.is_stale()
        if not (stale or force) or not _remove_under_guard(path, raw, mine):
            return LockResult(None, holder, None)
        taken = holder
    return LockResult(None, holder, None)


def _create(path: Path, info: LockInfo) -> bool:
    """Create `path` holding `info`, only if it does not exist; True if we created it
    (`atomic.write_new`: never seen half-written where there are hard links)."""
    return write_new(path, json.dumps(info.to_json()).encode(), durable=False)


def _remove_under_guard(path: Path, expected: bytes, mine: LockInfo) -> bool:
    """Remove the lock at `path` if it still holds `expected`; False if another process is busy
    taking it over."""
    guard = path.with_name(path.name + GUARD_SUFFIX)
    if not _create(guard, mine):
        found = read_lock(guard)
        if found is not None:
            info = found[1]
            age = time.time() - _unknown_holder(guard).time.timestamp()
            limit = STALE_GUARD_SECONDS if info is not None else INCOMPLETE_GRACE_SECONDS
            if not ((info is not None and info.is_stale()) or age > limit):
                return False
            with contextlib.suppress(FileNotFoundError):
                os.unlink(guard)
        if not _create(guard, mine):
            return False
    try:
        found = read_lock(path)
        if found is not None and found[0] == expected:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(guard)


def _release_all() -> None:
    for path, token in list(_HELD.items()):
        found = read_lock(path)
        if found is not None and found[1] is not None and found[1].token == token:
            with contextlib.suppress(OSError):
                os.unlink(path)
    _HELD.clear()


atexit.register(_release_all)
