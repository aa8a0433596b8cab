"""Edit locks: `<id>.lock` beside the case file, telling others who edits it.

The lock is created exclusively (mode 0600: written to a temp file and hard-linked into place, or
with O_CREAT|O_EXCL where there are no hard links) and holds JSON {user, host, pid, time} plus a
random token. Only creating it grants the lock. A stale lock (this host, process gone) is removed
under a short-lived `<id>.lock.takeover` guard after checking its bytes are still the stale ones,
then the lock is created afresh, so two processes can never both believe they hold it. Locks this
process holds are released on `release()` and at normal interpreter exit.

`classify` says what kind of lock is in the way: live (a running process of this host), stale
(a process of this host that is gone, or a lock a crash left half-written), foreign-host (its
liveness cannot be checked), future-dated (the clock was set back, or the file was forged) or
unreadable (not a regular file, too large, not a lock). Only a stale lock is taken over without
asking; any other can be taken over by `acquire(..., force=True, expected=state.raw)` once the
person confirmed it, and only if it is still the very lock they were shown. A lock is read with
`safe_read`: a FIFO, a link or a huge file in its place never hangs or crashes a reader.
"""

from __future__ import annotations

import atexit
import contextlib
import getpass
import json
import os
import time
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from meldcode_tui.case.atomic import hostname, own_start, pid_alive, remove_if, write_new
from meldcode_tui.safe_read import LOCK_LIMIT, FileProblem, UnreadableFile, parse_json, read_limited

LOCK_SUFFIX = ".lock"
GUARD_SUFFIX = ".takeover"
INCOMPLETE_GRACE_SECONDS = 2.0
"""A lock file without readable content older than this was left by a crash while creating it."""
STALE_GUARD_SECONDS = 30.0
CLOCK_SKEW_SECONDS = 300.0
"""A lock dated further ahead than this was written by a clock that has since been set back (or
forged): its time says nothing, so it is never trusted as live without asking."""
MAX_PID = 2**32 - 1
"""The largest process id of any system (Windows: a DWORD)."""
_MAX_TEXT = 256
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)
"""Lock times outside these are forged or damaged; shown in local time they could overflow."""


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def _plain_text(value: object) -> bool:
    return isinstance(value, str) and len(value) <= _MAX_TEXT and value.isprintable()


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
        if type(pid) is not int or not 0 < pid <= MAX_PID:
            raise ValueError("not a lock object (no valid process id)")
        texts = {key: data.get(key, "") for key in ("user", "host", "token", "started", "login")}
        if "user" not in data or "host" not in data:
            raise ValueError("not a lock object (no user or host)")
        if not all(_plain_text(v) for v in texts.values()):
            raise ValueError("not a lock object (a name is not plain text)")
        try:
            when = datetime.fromisoformat(data.get("time"))  # type: ignore[arg-type]
            when = when.astimezone(UTC) if when.tzinfo is not None else when
        except (TypeError, ValueError, OverflowError):
            raise ValueError("not a lock object (no valid time)") from None
        if when.tzinfo is None:
            raise ValueError("not a lock object (a time without a time zone)")
        if not _EARLIEST <= when <= _LATEST:
            raise ValueError("not a lock object (a time before 2000 or after 9000)")
        return cls(pid=pid, time=when, **texts)

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
        mtime = path.lstat().st_mtime
    except OSError:
        mtime = time.time()
    try:
        when = datetime.fromtimestamp(mtime, UTC)
    except (OverflowError, OSError, ValueError):
        when = datetime.now(UTC)
    return LockInfo(user="", host="", pid=0, time=when)


class _Seen(NamedTuple):
    """A lock file as read: its bytes, who holds it, or why that cannot be told."""

    raw: bytes
    info: LockInfo | None
    reason: str = ""
    incomplete: bool = False


def _read(path: Path) -> _Seen | None:
    try:
        raw = read_limited(path, LOCK_LIMIT)
    except FileNotFoundError:
        return None
    except UnreadableFile as exc:
        return _Seen(b"", None, exc.reason)
    try:
        return _Seen(raw, LockInfo.from_json(parse_json(raw)))
    except FileProblem as exc:
        return _Seen(raw, None, exc.reason, _looks_cut_off(raw))
    except ValueError as exc:
        return _Seen(raw, None, str(exc))


def _looks_cut_off(raw: bytes) -> bool:
    """Empty, or the start of a lock we write, without its end: what a crash while creating a
    lock without hard links (`_create_exclusive`) leaves behind."""
    text = raw.strip()
    return not text or (text.startswith(b'{"user": ') and not text.endswith(b"}"))


def read_lock(path: Path) -> tuple[bytes, LockInfo | None] | None:
    """The lock's bytes and who holds it (None if unreadable); None if there is no lock."""
    seen = _read(path)
    return None if seen is None else (seen.raw, seen.info)


def holder_of(path: Path) -> LockInfo | None:
    """Who holds the lock at `path`, if anyone (an incomplete lock file reads as unknown)."""
    seen = _read(path)
    if seen is None:
        return None
    return seen.info or _unknown_holder(path)


class LockKind(StrEnum):
    """What kind of lock is in the way; see the module's docstring."""

    FREE = "free"
    LIVE = "live"
    STALE = "stale"
    FOREIGN_HOST = "foreign-host"
    FUTURE = "future-dated"
    UNREADABLE = "unreadable"


class LockState(NamedTuple):
    """A lock as found: its kind, who holds it (for an unreadable lock: nobody known, dated by
    the file's time), its bytes (to take over exactly this lock) and, if unreadable, why."""

    kind: LockKind
    holder: LockInfo | None = None
    raw: bytes = b""
    reason: str = ""

    @property
    def held(self) -> bool:
        """Someone may be editing: the case opens read-only unless the person takes it over."""
        return self.kind not in (LockKind.FREE, LockKind.STALE)

    def describe(self) -> str:
        """One English line for messages: who, where, since when, and what is odd about it."""
        if self.kind is LockKind.FREE or self.holder is None:
            return "no one"
        if self.kind is LockKind.UNREADABLE:
            return (
                f"an unreadable lock file ({self.reason}), "
                f"dated {self.holder.time:%Y-%m-%d %H:%M} UTC"
            )
        text = self.holder.describe()
        if self.kind is LockKind.FOREIGN_HOST:
            text += "; this computer cannot check whether that program still runs"
        elif self.kind is LockKind.FUTURE:
            text += "; that time is in the future, so a clock was wrong"
        return text


def classify(path: Path, now: float | None = None) -> LockState:
    """What kind of lock is at `path`; never raises for what the file holds."""
    seen = _read(path)
    if seen is None:
        return LockState(LockKind.FREE)
    moment = time.time() if now is None else now
    if seen.info is None:
        holder = _unknown_holder(path)
        old = moment - holder.time.timestamp() > INCOMPLETE_GRACE_SECONDS
        kind = LockKind.STALE if seen.incomplete and old else LockKind.UNREADABLE
        reason = seen.reason if not seen.incomplete else "incomplete: being written, or a crash"
        return LockState(kind, holder, seen.raw, reason)
    info = seen.info
    if info.on_this_host and not pid_alive(info.pid, info.started):
        kind = LockKind.STALE
    elif info.time.timestamp() > moment + CLOCK_SKEW_SECONDS:
        kind = LockKind.FUTURE
    elif info.on_this_host:
        kind = LockKind.LIVE
    else:
        kind = LockKind.FOREIGN_HOST
    return LockState(kind, info, seen.raw)


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
    """`lock` when acquired, else `holder` says who has it; `taken_over`: the lock replaced, if
    any; `state`: the lock that was in the way (taken over or not)."""

    lock: Lock | None
    holder: LockInfo | None = None
    taken_over: LockInfo | None = None
    state: LockState | None = None


def acquire(
    path: Path, user: str, *, force: bool = False, expected: bytes | None = None
) -> LockResult:
    """Try to take the lock at `path` for `user`, taking over a stale one.

    `force` also takes over a held lock (live, foreign-host, future-dated or unreadable), once
    the person confirmed it; with `expected` (the `raw` of the `LockState` they were shown) only
    if the lock still holds those bytes, so a lock taken by someone else meanwhile is respected.
    Raises `OSError` when the lock cannot be written for other reasons than being held.
    """
    mine = LockInfo.mine(user)
    taken: LockState | None = None
    state: LockState | None = None
    for _ in range(5):
        if _create(path, mine):
            _HELD[path] = mine.token
            return LockResult(Lock(path, mine), None, taken.holder if taken else None, taken)
        state = classify(path)
        if state.kind is LockKind.FREE:
            continue
        allowed = state.kind is LockKind.STALE or (
            force and (expected is None or state.raw == expected)
        )
        if not allowed or not _remove_under_guard(path, state.raw, mine):
            return LockResult(None, state.holder, None, state)
        taken = state
    return LockResult(None, state.holder if state else None, None, state)


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
