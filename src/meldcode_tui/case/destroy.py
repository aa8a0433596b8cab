"""Destroying a case: its file, every other file the program wrote for it, its index row, and one
line in the destruction log. Whether a case may be destroyed is casework's rule (`check`).

What goes, in the data folder: `<id>.json`; its edit lock `<id>.lock` and that lock's takeover
guard `<id>.lock.takeover`; its save guard `<id>.json.saving`; temp files of any of these
(`.<id>.json.HOST.PID.RANDOM.tmp`, ...; `case.atomic`); rescue copies written when a save failed
(`niet-opgeslagen/meldcode-niet-opgeslagen-<id>-<stamp>.json`, and in the other rescue folders
given); its row in `.index.json`, which names the pupil. What stays: a line in `vernietigd.log`
(id, created, closed, bewaren tot, destroyed, by whom; for an open case the reason typed), never
the pupil reference or case text. Exports a person saved elsewhere are theirs to remove.

The case is destroyed holding its edit lock (a case someone has open is refused with
`CaseInUseError`) and, for the removal itself, its save guard, so no save can land in between.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from meldcode_tui.case.atomic import FILE_MODE, fsync_dir, temp_target, write_all
from meldcode_tui.case.errors import CaseError, SaveError
from meldcode_tui.case.guard import GUARD_SUFFIX as SAVE_GUARD_SUFFIX
from meldcode_tui.case.ids import CASE_SUFFIX, check_id
from meldcode_tui.case.index import INDEX_NAME, forget
from meldcode_tui.case.lock import GUARD_SUFFIX as TAKEOVER_SUFFIX
from meldcode_tui.case.lock import LOCK_SUFFIX, LockState
from meldcode_tui.case.status import closed_at

if TYPE_CHECKING:
    from meldcode_tui.case.model import Actor, Case
    from meldcode_tui.case.store import CaseStore

DESTROY_LOG: Final = "vernietigd.log"
RESCUE_FOLDER: Final = "niet-opgeslagen"
"""The rescue folder in the data folder, tried first when a case could not be saved."""
RESCUE_PREFIX: Final = "meldcode-niet-opgeslagen-"


def rescue_name(case_id: str, moment: datetime) -> str:
    """The file name of a rescue copy of a case (local time of writing)."""
    return f"{RESCUE_PREFIX}{case_id}-{moment:%Y%m%d-%H%M%S}.json"


def _rescue_pattern(case_id: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(RESCUE_PREFIX)}{re.escape(case_id)}-\d{{8}}-\d{{6}}\.json")


class CaseInUseError(CaseError):
    """The case is open for editing elsewhere (its lock is held); it was not destroyed."""

    def __init__(self, case_id: str, state: LockState | None) -> None:
        who = state.describe() if state is not None else "someone"
        super().__init__(f"case {case_id} was not destroyed: it is open for editing by {who}")
        self.case_id = case_id
        self.state = state


class DestroyedButError(CaseError):
    """The case was destroyed, but something after that failed; `destroyed` says what the log
    keeps (or should have kept)."""

    def __init__(self, message: str, destroyed: Destroyed) -> None:
        super().__init__(message)
        self.destroyed = destroyed


class LogNotWrittenError(DestroyedButError):
    """The case was destroyed, but its line could not be added to the destruction log; the
    message holds the line (no case content) so it can be kept by hand."""

    def __init__(self, destroyed: Destroyed, reason: str) -> None:
        super().__init__(
            f"case {destroyed.case_id} was destroyed, but the destruction log could not be "
            f"written ({reason}); keep this line: {destroyed.log_line()}",
            destroyed,
        )


class IndexNotUpdatedError(DestroyedButError):
    """The case was destroyed and logged, but the index (which names the pupil) could be
    neither updated nor removed."""

    def __init__(self, destroyed: Destroyed, index: Path, reason: str) -> None:
        super().__init__(
            f"case {destroyed.case_id} was destroyed and logged, but {index} still lists it "
            f"({reason}); delete that file (it is rebuilt)",
            destroyed,
        )


@dataclass(frozen=True)
class Destroyed:
    """What the destruction log keeps of a destroyed case."""

    case_id: str
    created: datetime
    closed: datetime | None
    retain_until: date | None
    destroyed: datetime
    by: Actor
    status: str
    reason: str = ""
    files: int = 0
    """How many files were removed (the case file, its lock and leftovers)."""

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.case_id,
            "created": self.created.isoformat(),
            "closed": self.closed.isoformat() if self.closed else None,
            "retain_until": self.retain_until.isoformat() if self.retain_until else None,
            "destroyed": self.destroyed.isoformat(),
            "by": {"name": self.by.name, "role": self.by.role},
            "status": self.status,
        }
        if self.reason:
            record["reason"] = self.reason
        return record

    def log_line(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))


def destroy_case(
    store: CaseStore,
    case_id: str,
    actor: Actor,
    check: Callable[[Case], None],
    *,
    reason: str = "",
    rescue_folders: Iterable[Path] = (),
) -> Destroyed:
    """Destroy a case if `check(case)` raises nothing; see the module's docstring.

    Raises `CaseNotFound`, a `CaseReadError` (a file that cannot be read is not destroyed here),
    `CaseInUseError`, what `check` raises, `SaveError` when the file could not be removed (then
    nothing was removed and nothing logged), or `LogNotWrittenError` after the removal.
    """
    check_id(case_id)
    session = store.open(case_id, actor)
    try:
        if session.read_only:
            if session.lock_holder is not None or session.lock_state is not None:
                raise CaseInUseError(case_id, session.lock_state)
            raise SaveError(f"case {case_id} was not destroyed: {session.lock_error or 'locked'}")
        case = session.case
        check(case)
        try:
            with store.guard(case_id, actor.name):
                os.unlink(store.path_of(case_id))
        except OSError as exc:
            raise SaveError(
                f"case {case_id} was not destroyed: {exc.strerror or type(exc).__name__}",
                errno=exc.errno,
            ) from None
    finally:
        session.close()
    removed = 1 + remove_remnants(store.root, case_id, rescue_folders)
    with contextlib.suppress(OSError):
        fsync_dir(store.root)
    destroyed = Destroyed(
        case_id=case.id,
        created=case.created_at,
        closed=closed_at(case.events),
        retain_until=case.retain_until,
        destroyed=datetime.now(UTC).replace(microsecond=0),
        by=actor,
        status=case.status.value,
        reason=reason.strip(),
        files=removed,
    )
    index_problem = _forget(store.root, case_id)
    try:
        append_log(store.root, destroyed.log_line())
    except OSError as exc:
        raise LogNotWrittenError(destroyed, exc.strerror or type(exc).__name__) from None
    if index_problem:
        raise IndexNotUpdatedError(destroyed, store.root / INDEX_NAME, index_problem)
    return destroyed


def _forget(root: Path, case_id: str) -> str:
    """Drop the case's index row, or else the whole index; why neither worked, or ""."""
    try:
        forget(root, case_id)
    except OSError:
        try:
            os.unlink(root / INDEX_NAME)
        except FileNotFoundError:
            pass
        except OSError as exc:
            return exc.strerror or type(exc).__name__
    return ""


def remnants(root: Path, case_id: str, rescue_folders: Iterable[Path] = ()) -> list[Path]:
    """Every file besides the case file that the program wrote for `case_id` and that is there
    now: lock, guards, temp files, rescue copies."""
    own = {
        f"{case_id}{LOCK_SUFFIX}",
        f"{case_id}{LOCK_SUFFIX}{TAKEOVER_SUFFIX}",
        f"{case_id}{CASE_SUFFIX}{SAVE_GUARD_SUFFIX}",
    }
    found: list[Path] = []
    for name in _names(root):
        target = temp_target(name)
        if name in own or (target is not None and target.split(".", 1)[0] == case_id):
            found.append(root / name)
    rescue = _rescue_pattern(case_id)
    folders = [root / RESCUE_FOLDER, *rescue_folders]
    for folder in dict.fromkeys(folders):
        found.extend(folder / name for name in _names(folder) if rescue.fullmatch(name))
    return found


def remove_remnants(root: Path, case_id: str, rescue_folders: Iterable[Path] = ()) -> int:
    """Remove `remnants`; how many were removed (one that cannot be is left, not fatal)."""
    count = 0
    for path in remnants(root, case_id, rescue_folders):
        try:
            os.unlink(path)
        except OSError:
            continue
        count += 1
    return count


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def append_log(root: Path, line: str) -> None:
    """Add `line` to the destruction log (created 0600; never through a link, FIFO or device)."""
    flags = (
        os.O_WRONLY
        | os.O_APPEND
        | os.O_CREAT
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_BINARY", 0)
    )
    path = root / DESTROY_LOG
    if os.path.islink(path):
        raise OSError(errno.ELOOP, "the destruction log is a link", str(path))
    fd = os.open(path, flags, FILE_MODE)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "the destruction log is not a regular file", str(path))
        if hasattr(os, "fchmod"):
            os.fchmod(fd, FILE_MODE)
        write_all(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
