"""The case store: the data folder, creating, loading, saving and listing cases, and the editing
session that saves every change at once under the case's lock.

No Textual here. A `CaseSession` is for one thread (the app's); every `set_*` checks its input,
changes the case in memory, appends an event (ids only) and saves atomically before returning.

No save is lost silently: every save names the revision it was based on and is refused
(`StaleRevisionError`) when the file holds another; the compare and the write, and a session's
check that it still holds its lock, happen under the case's save guard (`case.guard`), which
`open` holds too while it loads the case, after taking the lock. A new case never replaces a
file. See docs/internals.md, "Saving without lost updates".
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from meldcode_tui.case.atomic import write_atomic, write_new
from meldcode_tui.case.codec import dump_case, parse_case, read_case_file
from meldcode_tui.case.errors import (
    CaseNotFound,
    DataFolderError,
    InvalidCaseError,
    InvalidValueError,
    LockLostError,
    ReadOnlyError,
    SaveError,
    StaleRevisionError,
)
from meldcode_tui.case.folder import ensure_folder
from meldcode_tui.case.guard import SaveGuard
from meldcode_tui.case.ids import CASE_SUFFIX, check_id, new_id
from meldcode_tui.case.index import Listing, list_cases
from meldcode_tui.case.lock import (
    LOCK_SUFFIX,
    Lock,
    LockInfo,
    LockKind,
    LockState,
    acquire,
    classify,
    holder_of,
)
from meldcode_tui.case.migrate import SCHEMA_VERSION
from meldcode_tui.case.model import (
    Actor,
    AftercareItem,
    AftercareStatus,
    Answer,
    Case,
    Decision,
    Event,
    FieldValue,
    FlowRef,
    Position,
    StepRecord,
    now,
)
from meldcode_tui.case.status import close_reason, retain_until_of, status_of
from meldcode_tui.inert import LABEL_FAULT, has_unsafe

COALESCE_WINDOW = timedelta(minutes=5)
"""Edits of one target by one person within this time of its last event add no new event."""

DECISION_KEYS: Final = ("melden", "hulp")
CREATE_ATTEMPTS = 20
"""Fresh ids tried by `create` before giving up (an id collision is already rare)."""

_HEAD = re.compile(
    rb'\{"schema_version":(\d{1,9}),"id":"[A-Za-z0-9_-]{1,64}","revision":(\d{1,18})[,}]'
)
"""The start of a file as `dump_case` writes it: the revision is read without parsing the rest."""


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()
"""Default of optional `set_*` arguments: leave that part as it is."""


def _save_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the data folder is on a read-only disk"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "no permission to write in the data folder"
    return exc.strerror or type(exc).__name__


def _not_saved(case_id: str, exc: OSError) -> SaveError:
    return SaveError(
        f"case {case_id} was not saved: {_save_reason(exc)}; the previous version is kept",
        errno=exc.errno,
    )


class CaseStore:
    """The case files in one data folder (created 0700 if missing)."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        from meldcode_tui.locations import data_dir

        self.root = data_dir(root)
        ensure_folder(self.root)

    def path_of(self, case_id: str) -> Path:
        """The file of a case; raises `InvalidCaseId` for anything but a plain id."""
        return self.root / f"{check_id(case_id)}{CASE_SUFFIX}"

    def exists(self, case_id: str) -> bool:
        return self._exists(self.path_of(case_id))

    def _exists(self, path: Path) -> bool:
        """Whether `path` exists; a folder that cannot be searched is a `DataFolderError`."""
        try:
            os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            return False
        except OSError as exc:
            raise DataFolderError(
                f"cannot use the data folder {self.root}: {exc.strerror or type(exc).__name__}"
            ) from None
        return True

    def create(
        self,
        flow: FlowRef,
        pupil: str,
        actor: Actor,
        group: str = "",
        linked_case: str | None = None,
    ) -> Case:
        """A new case, saved at once, with a fresh id; `linked_case` is the case it follows up."""
        if not isinstance(pupil, str) or not pupil.strip():
            raise InvalidValueError("a case needs a pupil reference (pseudonym or pupil number)")
        _check_label("the pupil reference", pupil)
        _check_label("the group", group)
        _check_label("the author's name", actor.name)
        _check_label("the author's role", actor.role)
        if linked_case is not None:
            self.path_of(linked_case)
        at = now()
        events = [Event(at=at, by=actor, action="create", target=flow.id, detail=flow.version)]
        if linked_case is not None:
            events.append(Event(at=at, by=actor, action="link", target=linked_case))
        case = Case(
            id=new_id(),
            revision=1,
            flow=flow,
            pupil=pupil.strip(),
            group=group.strip(),
            created_by=actor,
            created_at=at,
            updated_at=at,
            updated_by=actor,
            linked_case=linked_case,
            events=events,
        )
        for attempt in range(CREATE_ATTEMPTS):
            if attempt:
                case.id = new_id()
            if self._exists(self.path_of(case.id)):  # also: a folder that cannot be searched
                continue
            data = self._dump(case, check=True)
            try:
                if write_new(self.path_of(case.id), data):
                    return case
            except OSError as exc:
                raise SaveError(f"the new case was not saved: {_save_reason(exc)}") from None
        raise SaveError(
            f"the new case was not saved: {CREATE_ATTEMPTS} fresh case ids were all taken "
            "by existing files; nothing was overwritten"
        )

    def load(self, case_id: str) -> Case:
        """Read and validate a case (migrating an older format in memory)."""
        path = self.path_of(case_id)
        try:
            data = read_case_file(path)
        except FileNotFoundError:
            raise CaseNotFound(case_id) from None
        return parse_case(data, path.name, case_id)

    def save(self, case: Case) -> None:
        """Save atomically, stamp `updated_at` and count up `case.revision`, if the file still
        holds the revision `case` was read at (or, for revision 0, if there is no file yet);
        else `StaleRevisionError` and nothing is written. For cases no session has open: a
        `CaseSession` saves through the lock it holds."""
        stamped = case.updated_at
        case.updated_at = now()
        try:
            with self.guard(case.id):
                self._write(case, check=True)
        except BaseException:
            case.updated_at = stamped
            raise

    def guard(self, case_id: str, user: str = "") -> SaveGuard:
        """The save guard of a case (`case.guard`); entering it raises `SaveError`."""
        return _StoreGuard(self.path_of(case_id), user, case_id)

    def _dump(self, case: Case, *, check: bool) -> bytes:
        try:
            return dump_case(case, check=check)
        except InvalidCaseError as exc:
            raise SaveError(f"case {case.id} was not saved: it {exc.reason}") from None

    def _write(self, case: Case, *, check: bool) -> None:
        """Write `case` as the next revision if the file holds the one it is based on; the
        caller holds the case's save guard. On any error `case.revision` is left as it was."""
        path = self.path_of(case.id)
        base = case.revision
        case.revision = base + 1
        try:
            data = self._dump(case, check=check)
            on_disk = _revision_on_disk(path, case.id)
            if on_disk is None and base == 0:
                if not write_new(path, data):
                    raise StaleRevisionError(case.id)
            elif on_disk is None:
                raise StaleRevisionError(case.id, removed=True)
            elif on_disk != base:
                raise StaleRevisionError(case.id)
            else:
                write_atomic(path, data)
        except OSError as exc:
            case.revision = base
            raise _not_saved(case.id, exc) from None
        except BaseException:
            case.revision = base
            raise

    def list(self) -> Listing:
        """Every readable case as a `CaseSummary`, newest first, and the files that are not."""
        return list_cases(self.root)

    def lock_holder(self, case_id: str) -> LockInfo | None:
        """Who has the case open for editing, if anyone (a stale lock counts as no one)."""
        state = self.lock_state(case_id)
        return state.holder if state.held else None

    def lock_state(self, case_id: str) -> LockState:
        """The case's lock classified: free, live, stale, foreign-host, future-dated or
        unreadable; what to show before offering `open(..., take_over=state)`."""
        return classify(self._lock_path(case_id))

    def _lock_path(self, case_id: str) -> Path:
        return self.root / f"{check_id(case_id)}{LOCK_SUFFIX}"

    def open(
        self,
        case_id: str,
        actor: Actor,
        read_only: bool = False,
        *,
        force: bool = False,
        take_over: LockState | None = None,
    ) -> CaseSession:
        """A session on the case: editable if the lock could be taken (a stale lock is taken
        over), else read-only with `lock_holder` and `lock_state` saying who edits it.

        `take_over` is the `lock_state` the person was shown and confirmed: that lock, and only
        that one, is replaced (if it changed meanwhile, the session is read-only with the new
        state, to be confirmed again). `force` replaces whatever lock there is. After a takeover
        `session.taken_over` holds the previous holder, for the caller's event log.
        """
        path = self.path_of(case_id)
        if not self._exists(path):
            raise CaseNotFound(case_id)
        if read_only:
            state = self.lock_state(case_id)
            return CaseSession(
                self,
                self.load(case_id),
                actor,
                lock_holder=state.holder if state.held else None,
                lock_state=None if state.kind is LockKind.FREE else state,
            )
        expected = None if take_over is None else take_over.raw
        try:
            result = acquire(
                self._lock_path(case_id),
                actor.name,
                force=force or take_over is not None,
                expected=expected,
            )
        except OSError as exc:
            return self._unlocked(case_id, actor, exc)
        if result.lock is None:
            return CaseSession(
                self,
                self.load(case_id),
                actor,
                lock_holder=result.holder,
                lock_state=result.state,
            )
        try:
            with SaveGuard(path, actor.name):
                case = self.load(case_id)
        except OSError as exc:
            result.lock.release()
            return self._unlocked(case_id, actor, exc)
        except BaseException:
            result.lock.release()
            raise
        return CaseSession(
            self,
            case,
            actor,
            lock=result.lock,
            lock_holder=result.holder,
            taken_over=result.taken_over,
            lock_state=result.state,
        )

    def _unlocked(self, case_id: str, actor: Actor, exc: OSError) -> CaseSession:
        session = CaseSession(self, self.load(case_id), actor)
        session.lock_error = f"cannot lock the case for editing: {_save_reason(exc)}"
        return session


class _StoreGuard(SaveGuard):
    """A save guard whose `acquire` raises `SaveError` naming the case."""

    __slots__ = ("case_id",)

    def __init__(self, case_path: Path, user: str, case_id: str) -> None:
        super().__init__(case_path, user)
        self.case_id = case_id

    def acquire(self) -> None:
        try:
            super().acquire()
        except OSError as exc:
            raise _not_saved(self.case_id, exc) from None


def _revision_on_disk(path: Path, case_id: str) -> int | None:
    """The revision in the case file at `path` (0 for a file from before revisions), None when
    there is none; `SaveError` when it cannot be read, is no case file or is of a newer format."""
    try:
        with open(path, "rb") as file:
            data = file.read(256)
            head = _HEAD.match(data)
            if head is None:
                data += file.read()
    except FileNotFoundError:
        return None
    version: Any  # an int once checked below
    revision: Any
    if head is not None:
        version, revision = int(head[1]), int(head[2])
    else:
        try:
            raw = json.loads(data)
        except (ValueError, RecursionError):
            raw = None
        version, revision = (
            (raw.get("schema_version", SCHEMA_VERSION), raw.get("revision", 0))
            if isinstance(raw, dict)
            else (None, None)
        )
        if type(version) is not int or type(revision) is not int:
            raise SaveError(
                f"case {case_id} was not saved: the file on disk is not a readable case file, so "
                "it cannot be checked for changes by others; it was left as it is"
            )
    if version > SCHEMA_VERSION:
        raise SaveError(
            f"case {case_id} was not saved: a newer version of meldcode has since written its "
            "file, which was left as it is"
        )
    return int(revision)


def _check_key(kind: str, value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > 128 or not value.isprintable():
        raise InvalidValueError(f"{kind} must be an id")
    if any(c.isspace() for c in value):
        raise InvalidValueError(f"{kind} must be an id (no spaces)")
    return value


def _check_label(kind: str, value: object) -> None:
    """A one-line label of a new case (pupil reference, group, name, role) holds no control
    characters (they would act on the terminal that lists it, or hide what it says) and none
    that shows as nothing (it would look like another pupil's reference)."""
    if not isinstance(value, str):
        raise InvalidValueError(f"{kind} must be text")
    if has_unsafe(value):
        raise InvalidValueError(f"{kind} contains {LABEL_FAULT}; type it without")


def _check_text(kind: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidValueError(f"{kind} must be text")
    return value


def _field_value(value: object, where: str) -> FieldValue:
    if isinstance(value, datetime):
        raise InvalidValueError(f"the value for {where} must be a date, not a date and time")
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, list | tuple):
        items = list(value)
        if all(isinstance(i, str) for i in items):
            return items
        if all(
            isinstance(i, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in i.items())
            for i in items
        ):
            return [dict(i) for i in items]
    raise InvalidValueError(
        f"the value for {where} must be text, yes/no, a date, a list of ids or a list of entries"
    )


def _answer_values(values: object, qid: str) -> dict[str, FieldValue]:
    """An answer's field values, checked; empty ones are left out."""
    if not isinstance(values, Mapping):
        raise InvalidValueError(f"the field values of answer {qid} must be a mapping")
    checked: dict[str, FieldValue] = {}
    for key, value in values.items():
        fid = _check_key("a field id", key)
        stored = _field_value(value, f"{qid}.{fid}")
        if stored not in (None, "", []):
            checked[fid] = stored
    return checked


def _due(value: object) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidValueError("a due date must be a date or YYYY-MM-DD")


class CaseSession:
    """One person's view of one case: editable while it holds the lock, else read-only.

    After a failed save (`SaveError`) the change stays in memory and `unsaved` is True; the next
    `set_*` call or `flush()` tries again.
    """

    def __init__(
        self,
        store: CaseStore,
        case: Case,
        actor: Actor,
        *,
        lock: Lock | None = None,
        lock_holder: LockInfo | None = None,
        taken_over: LockInfo | None = None,
        lock_state: LockState | None = None,
    ) -> None:
        self.store = store
        self.case = case
        self.actor = actor
        self.lock_holder = lock_holder
        self.taken_over = taken_over
        self.lock_state = lock_state
        """The lock found in the way when opening (taken over or not); None if there was none."""
        self.lock_error: str | None = None
        self.before_write: Callable[[Case], None] | None = None
        """Called with the case just before each save (casework keeps derived fields there)."""
        self.saved_at: datetime | None = case.updated_at
        self.unsaved = False
        self._lock = lock
        self._closed = False

    @property
    def read_only(self) -> bool:
        return self._lock is None or self._closed

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> CaseSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the lock; the session is read-only from now on. Idempotent."""
        self._closed = True
        if self._lock is not None:
            self._lock.release()

    def reload(self) -> Case:
        """Read the case again from disk (for a read-only session following someone's edits)."""
        self.case = self.store.load(self.case.id)
        self.saved_at = self.case.updated_at
        return self.case

    def flush(self) -> None:
        """Save again after a failed save; a no-op when everything is saved."""
        if self.unsaved:
            self._writable()
            self._commit(None)

    def set_answer(
        self,
        question_id: str,
        value: str,
        justification: str | _Keep = KEEP,
        meldnormen: Iterable[str] | _Keep | None = KEEP,
        veilig_thuis_advice: str | _Keep = KEEP,
        values: Mapping[str, object] | _Keep = KEEP,
    ) -> None:
        """Answer a weighing question with an option id. Omitted parts keep their value; a
        different option drops the meldnormen ticked and the field values entered for the old
        one. `values`: the option's field values by field id (an empty value removes one)."""
        self._writable()
        qid = _check_key("a question id", question_id)
        option = _check_key("an answer", value)
        old = self.case.answers.get(qid)
        same_option = old is not None and old.value == option
        if isinstance(justification, _Keep):
            justification = old.justification if old else ""
        if isinstance(meldnormen, _Keep):
            norms = old.meldnormen if old is not None and same_option else None
        else:
            norms = (
                None if meldnormen is None else [_check_key("a meldnorm", m) for m in meldnormen]
            )
        if isinstance(veilig_thuis_advice, _Keep):
            veilig_thuis_advice = old.veilig_thuis_advice if old else ""
        justification = _check_text("a justification", justification)
        veilig_thuis_advice = _check_text("the Veilig Thuis advice", veilig_thuis_advice)
        if isinstance(values, _Keep):
            fields = dict(old.values) if old is not None and same_option else {}
        else:
            fields = _answer_values(values, qid)
        if (
            old is not None
            and same_option
            and old.justification == justification
            and old.meldnormen == norms
            and old.veilig_thuis_advice == veilig_thuis_advice
            and old.values == fields
        ):
            return self._unchanged()
        self.case.answers[qid] = Answer(
            value=option,
            justification=justification,
            meldnormen=norms,
            veilig_thuis_advice=veilig_thuis_advice,
            values=fields,
            by=self.actor,
            at=now(),
        )
        self._commit(("answer", qid, option))

    def clear_answer(self, question_id: str) -> None:
        self._writable()
        qid = _check_key("a question id", question_id)
        if qid not in self.case.answers:
            return self._unchanged()
        del self.case.answers[qid]
        self._commit(("clear_answer", qid, ""))

    def set_value(self, step_id: str, field_id: str, value: object) -> None:
        """Store a field's value (see docs/internals.md for the form per kind); None clears it."""
        self._writable()
        sid = _check_key("a step id", step_id)
        fid = _check_key("a field id", field_id)
        stored = _field_value(value, f"{sid}.{fid}")
        record = self.case.steps.get(sid)
        current = record.values.get(fid) if record else None
        if current == stored and (stored is not None or record is None or fid not in record.values):
            return self._unchanged()
        record = self._record(sid)
        if stored is None:
            record.values.pop(fid, None)
        else:
            record.values[fid] = stored
        self._commit(("value", f"{sid}.{fid}", ""))

    def set_notes(self, step_id: str, text: str) -> None:
        self._writable()
        sid = _check_key("a step id", step_id)
        text = _check_text("notes", text)
        record = self.case.steps.get(sid)
        if (record.notes if record else "") == text:
            return self._unchanged()
        self._record(sid).notes = text
        self._commit(("notes", sid, ""))

    def set_decision(
        self,
        key: str,
        value: bool | _Keep | None = KEEP,
        reason: str | _Keep = KEEP,
        checked: Iterable[str] | _Keep = KEEP,
    ) -> None:
        """Record besluit `melden` or `hulp`; omitted parts keep their value."""
        self._writable()
        if key not in DECISION_KEYS:
            raise InvalidValueError("a decision key must be 'melden' or 'hulp'")
        old = self.case.decisions.get(key) or Decision()  # type: ignore[call-overload]
        new_value = old.value if isinstance(value, _Keep) else value
        if new_value is not None and not isinstance(new_value, bool):
            raise InvalidValueError("a decision is yes (True), no (False) or open (None)")
        new_reason = old.reason if isinstance(reason, _Keep) else _check_text("a reason", reason)
        new_checked = (
            old.checked
            if isinstance(checked, _Keep)
            else [_check_key("a checked item", c) for c in checked]
        )
        if (new_value, new_reason, new_checked) == (old.value, old.reason, old.checked):
            return self._unchanged()
        self.case.decisions[key] = Decision(  # type: ignore[index]
            value=new_value, reason=new_reason, checked=new_checked, by=self.actor, at=now()
        )
        detail = "" if new_value is None else ("ja" if new_value else "nee")
        self._commit(("decision", key, detail))

    def set_aftercare(
        self,
        item_id: str,
        due: date | str | _Keep | None = KEEP,
        who: str | _Keep = KEEP,
        status: AftercareStatus | str | _Keep = KEEP,
        note: str | _Keep = KEEP,
    ) -> None:
        """Add or change an aftercare item; omitted parts keep their value."""
        self._writable()
        iid = _check_key("an aftercare item id", item_id)
        index = next((i for i, it in enumerate(self.case.aftercare) if it.id == iid), None)
        old = self.case.aftercare[index] if index is not None else AftercareItem(id=iid)
        try:
            new_status = old.status if isinstance(status, _Keep) else AftercareStatus(status)
        except ValueError:
            raise InvalidValueError("an aftercare status must be open, gedaan or nvt") from None
        item = AftercareItem(
            id=iid,
            due=old.due if isinstance(due, _Keep) else _due(due),
            who=old.who if isinstance(who, _Keep) else _check_text("who", who),
            status=new_status,
            note=old.note if isinstance(note, _Keep) else _check_text("a note", note),
        )
        if index is not None and item == old:
            return self._unchanged()
        if index is None:
            self.case.aftercare.append(item)
        else:
            self.case.aftercare[index] = item
        self._commit(("aftercare", iid, item.status.value))

    def record(self, action: str, target: str = "", detail: str = "", note: str = "") -> None:
        """Append an event that changes nothing else (close, reopen, take over, ...) and save."""
        self.record_all([(action, target, detail, note)])

    def record_all(self, entries: Iterable[tuple[str, str, str, str]]) -> None:
        """Append events (action, target, detail, note) that belong together, in one save."""
        self._writable()
        at = now()
        events = [
            Event(
                at=at,
                by=self.actor,
                action=_check_key("an action", action),
                target=_check_text("a target", target),
                detail=_check_text("a detail", detail),
                note=_check_text("a note", note),
            )
            for action, target, detail, note in entries
        ]
        self.case.events.extend(events)
        self._commit(None)

    def set_position(self, step_id: str, focus_id: str = "") -> None:
        """Remember where the person is, for resuming; saved without an event."""
        self._writable()
        position = Position(
            step=_check_text("a step id", step_id), focus=_check_text("a focus id", focus_id)
        )
        if self.case.position == position:
            return self._unchanged()
        self.case.position = position
        self._commit(None)

    def _writable(self) -> None:
        if self._closed:
            raise ReadOnlyError(f"case {self.case.id} was closed; open it again to change it")
        if self._lock is None:
            if self.lock_holder is not None:
                raise ReadOnlyError(
                    f"case {self.case.id} is read-only: {self.lock_holder.describe()} edits it"
                )
            if self.lock_error is not None:
                raise ReadOnlyError(f"case {self.case.id} is read-only: {self.lock_error}")
            raise ReadOnlyError(f"case {self.case.id} is open read-only")

    def _unchanged(self) -> None:
        if self.unsaved:
            self._commit(None)

    def _record(self, step_id: str) -> StepRecord:
        record = self.case.steps.get(step_id)
        if record is None:
            record = self.case.steps[step_id] = StepRecord()
        record.updated_by = self.actor
        record.updated_at = now()
        return record

    def _log(self, action: str, target: str, detail: str, at: datetime) -> None:
        for event in reversed(self.case.events):
            if event.action == action and event.target == target:
                if (
                    event.by == self.actor
                    and event.detail == detail
                    and at - event.at < COALESCE_WINDOW
                ):
                    return
                break
        self.case.events.append(
            Event(at=at, by=self.actor, action=action, target=target, detail=detail)
        )

    def _commit(self, event: tuple[str, str, str] | None) -> None:
        assert self._lock is not None
        at = now()
        if event is not None:
            self._log(*event, at=at)
        self.case.updated_at = at
        self.case.updated_by = self.actor
        self.unsaved = True
        self.case.status = status_of(self.case.events)
        self.case.status_reason = close_reason(self.case.events)
        self.case.retain_until = retain_until_of(self.case.events)
        if self.before_write is not None:
            self.before_write(self.case)
        with self.store.guard(self.case.id, self.actor.name):
            if not self._lock.still_held():
                holder = holder_of(self._lock.path)
                self.lock_holder = holder
                self._lock = None
                who = holder.describe() if holder else "someone"
                raise LockLostError(
                    f"case {self.case.id}: this change was not saved, because {who} took over "
                    "editing the case; the changes saved before are kept"
                )
            try:
                self.store._write(self.case, check=False)
            except StaleRevisionError:
                self.lock_error = "someone else saved it since it was opened; open it again"
                self._lock.release()
                self._lock = None
                raise
        self.unsaved = False
        self.saved_at = at
