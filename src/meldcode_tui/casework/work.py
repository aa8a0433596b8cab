"""`CaseWork`: the one owner of an open case.

It opens the case (lock, the case's own flow), applies every intent of the person acting now
(answers, field values, entries, decisions, aftercare, moving, close, reopen, taking over,
destroying) and
derives, once per change, what screens show: the route, the state and missing items of each step,
the status and how far the case is. Screens send intents and render `state`; they never open a
session, evaluate a rule or touch the store. No Textual here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from meldcode_tui.case.destroy import Destroyed
from meldcode_tui.case.errors import (
    CaseClosedError,
    InvalidValueError,
    LockLostError,
    ReadOnlyError,
    SaveError,
    StaleRevisionError,
)
from meldcode_tui.case.lock import LockInfo, LockState
from meldcode_tui.case.model import Actor, AftercareStatus, Case, Status
from meldcode_tui.case.status import (
    CLOSE,
    REOPEN,
    SHORTEN_RETENTION,
    TAKE_OVER,
    close_reason,
    status_of,
)
from meldcode_tui.case.store import KEEP, CaseSession, CaseStore, _Keep
from meldcode_tui.casework import retention, rules
from meldcode_tui.casework.registry import FlowRegistry
from meldcode_tui.flow.engine import Advice, Routing
from meldcode_tui.flow.model import CloseCase, Flow, FormField


class NotYetError(InvalidValueError):
    """A field that `requires` others was given a value before they were filled; `waiting` holds
    their labels (flow text, for the screen)."""

    def __init__(self, message: str, waiting: list[str]) -> None:
        super().__init__(message)
        self.waiting = waiting


class ReadOnly(StrEnum):
    """Why an open case cannot be changed now (empty: it can)."""

    NO = ""
    LOCKED = "locked"
    """Someone else edits it (`lock_holder` says who)."""
    LOCK_FAILED = "lock_failed"
    """The lock could not be taken (a disk or permission problem)."""
    CLOSED = "closed"
    """The case is closed; `reopen` with a reason makes it editable."""
    FLOW = "flow"
    """The flow the case was recorded with is missing or changed incompatibly."""
    LOCK_LOST = "lock_lost"
    """Someone took over editing while this person had it open."""
    STALE = "stale"
    """Someone else saved the case since it was opened here; open it again to continue."""
    ASKED = "asked"
    """Opened for reading only."""


@dataclass(frozen=True)
class CaseState:
    """What screens render of an open case, computed once per change (`version`)."""

    version: int
    status: Status
    routing: Routing | None
    progress: str
    done: frozenset[str]
    missing: dict[str, list[str]] = field(default_factory=dict)
    close_offer: CloseCase | None = None
    """The early close the route offers ("Afsluiten en vastleggen"), or None."""
    answer_missing: dict[str, list[str]] = field(default_factory=dict)
    """Per weighing step: the chosen options' required fields still empty."""

    @property
    def advice(self) -> Advice | None:
        return self.routing.advice if self.routing is not None else None

    @property
    def skipped(self) -> frozenset[str]:
        """Steps the route makes not required (vermoeden = nee: stap 5)."""
        return frozenset(self.close_offer.skips) if self.close_offer is not None else frozenset()

    def step_states(self, current: str, order: Iterable[str]) -> dict[str, rules.StepState]:
        return {
            sid: rules.StepState.CURRENT
            if sid == current
            else rules.StepState.DONE
            if sid in self.done
            else rules.StepState.TODO
            for sid in order
        }


class CaseWork:
    """One open case and the person acting on it."""

    def __init__(
        self,
        store: CaseStore,
        session: CaseSession,
        flow: Flow,
        *,
        flow_problem: str = "",
        asked_read_only: bool = False,
    ) -> None:
        self.store = store
        self.flow = flow
        self.flow_problem = flow_problem
        self._session = session
        self._asked_read_only = asked_read_only
        self._lock_lost = False
        self._stale = False
        self._version = 0
        self._state: CaseState | None = None
        session.before_write = self._derive
        if self._session.taken_over is not None and not self.read_only:
            self._record_take_over(self._session.taken_over)

    @classmethod
    def open(
        cls,
        store: CaseStore,
        registry: FlowRegistry,
        case_id: str,
        actor: Actor,
        *,
        force: bool = False,
        read_only: bool = False,
        take_over: LockState | None = None,
    ) -> CaseWork:
        """Open a case for `actor`: editable when its lock could be taken, its flow is known and
        it is not closed; else read-only, with `read_only_reason` saying why. `take_over` is the
        lock state the person was shown and confirmed (`CaseStore.open`)."""
        session = store.open(case_id, actor, read_only=read_only, force=force, take_over=take_over)
        resolved = registry.resolve(session.case)
        closed = status_of(session.case.events) is Status.GESLOTEN
        if (closed or resolved.problem) and not session.read_only:
            case = session.case  # read without a lock: let go of the one just taken
            session.close()
            session = CaseSession(store, case, actor)
        return cls(
            store, session, resolved.flow, flow_problem=resolved.problem, asked_read_only=read_only
        )

    @classmethod
    def create(
        cls,
        store: CaseStore,
        flow: Flow,
        pupil: str,
        actor: Actor,
        group: str = "",
        linked_case: str | None = None,
    ) -> CaseWork:
        """Start a new case with `flow` (exclusively: it never replaces another) and open it."""
        from meldcode_tui.case.model import FlowRef

        case = store.create(
            flow=FlowRef.of(flow), pupil=pupil, actor=actor, group=group, linked_case=linked_case
        )
        session = store.open(case.id, actor)
        return cls(store, session, flow)

    # ---- what is open, and who acts -------------------------------------------------------

    @property
    def case(self) -> Case:
        return self._session.case

    @property
    def case_id(self) -> str:
        return self._session.case.id

    @property
    def actor(self) -> Actor:
        return self._session.actor

    def set_actor(self, actor: Actor) -> None:
        """From now on, every event names this person and role."""
        self._session.actor = actor

    @property
    def lock_holder(self) -> LockInfo | None:
        return self._session.lock_holder

    @property
    def lock_state(self) -> LockState | None:
        """The lock that keeps this case read-only here, classified (live, foreign, ...)."""
        return self._session.lock_state

    @property
    def lock_error(self) -> str | None:
        return self._session.lock_error

    @property
    def read_only_reason(self) -> ReadOnly:
        if self._lock_lost:
            return ReadOnly.LOCK_LOST
        if self._stale:
            return ReadOnly.STALE
        if self.flow_problem:
            return ReadOnly.FLOW
        if self.status is Status.GESLOTEN:
            return ReadOnly.CLOSED
        if self._asked_read_only:
            return ReadOnly.ASKED
        if self._session.read_only:
            if self._session.lock_holder is not None:
                return ReadOnly.LOCKED
            if self._session.lock_error is not None:
                return ReadOnly.LOCK_FAILED
            return ReadOnly.ASKED
        return ReadOnly.NO

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not ReadOnly.NO

    @property
    def unsaved(self) -> bool:
        return self._session.unsaved

    @property
    def saved_at(self) -> datetime | None:
        return self._session.saved_at

    @property
    def holds_lock(self) -> bool:
        return not self._session.read_only

    def release(self) -> None:
        """Let go of the case (its lock); idempotent."""
        self._session.close()

    def reload(self) -> None:
        """Read the case again (a read-only view following someone else's edits)."""
        self._session.reload()
        self._changed()

    # ---- derived state ---------------------------------------------------------------------

    @property
    def version(self) -> int:
        return self._version

    @property
    def status(self) -> Status:
        return status_of(self.case.events)

    @property
    def close_reason(self) -> str:
        return close_reason(self.case.events)

    @property
    def state(self) -> CaseState:
        if self._state is None or self._state.version != self._version:
            self._state = self._compute()
        return self._state

    def _compute(self) -> CaseState:
        flow, case = self.flow, self.case
        routing = rules.routing_of(flow, case)
        missing: dict[str, list[str]] = {}
        answer_missing: dict[str, list[str]] = {}
        done: set[str] = set()
        for step in flow.steps:
            missing[step.id] = rules.step_missing(flow, case, step, routing)
            if step.questions:
                answer_missing[step.id] = rules.answer_fields_missing(flow, case, step, routing)
            if rules.step_done(flow, case, step, routing):
                done.add(step.id)
        return CaseState(
            version=self._version,
            status=self.status,
            routing=routing,
            progress=rules.progress_step(flow, case),
            done=frozenset(done),
            missing=missing,
            close_offer=rules.close_offer(flow, case, routing),
            answer_missing=answer_missing,
        )

    def _derive(self, case: Case) -> None:
        """Before every save: the stored progress follows the record (the store keeps the status
        in step with the events)."""
        case.progress = rules.progress_step(self.flow, case)

    def _changed(self) -> None:
        self._version += 1

    # ---- intents ---------------------------------------------------------------------------

    def _editable(self) -> CaseSession:
        reason = self.read_only_reason
        if reason is ReadOnly.CLOSED:
            raise CaseClosedError(
                f"case {self.case_id} is closed; reopen it with a reason to change it"
            )
        if reason is ReadOnly.FLOW:
            raise ReadOnlyError(f"case {self.case_id} is read-only: {self.flow_problem}")
        return self._session

    def _apply(self, change: Callable[[CaseSession], object], *, closed_ok: bool = False) -> None:
        """Apply one change through the session (saved at once); the state follows even when
        the save failed (the change is then held in memory, `unsaved`)."""
        session = self._session if closed_ok else self._editable()
        try:
            change(session)
        except LockLostError:
            self._lock_lost = True
            raise
        except StaleRevisionError:
            self._stale = True
            raise
        finally:
            self._changed()

    def answer(
        self,
        question_id: str,
        value: str,
        justification: str | _Keep = KEEP,
        meldnormen: Iterable[str] | _Keep | None = KEEP,
        veilig_thuis_advice: str | _Keep = KEEP,
        values: Mapping[str, object] | _Keep = KEEP,
    ) -> None:
        """Answer a weighing question. `values` are the chosen option's fields (e.g. the
        evaluation date of "nog onbekend"); a date field that `sets_due` makes its date the due
        date of that aftercare item (its own event, by the person acting)."""
        question = self.flow.question(question_id)
        if question is None:
            raise InvalidValueError(f"the flow has no question {question_id[:40]!r}")
        option = question.option(value)
        if option is None:
            raise InvalidValueError(f"question {question_id} has no answer {value[:40]!r}")
        if not isinstance(values, _Keep):
            known = {f.id for f in option.fields}
            unknown = [key for key in values if key not in known]
            if unknown:
                raise InvalidValueError(
                    f"answer {value[:40]!r} to {question_id} has no field {unknown[0][:40]!r}"
                )
        before = self.case.answers.get(question_id)
        had = dict(before.values) if before is not None and before.value == value else {}
        self._apply(
            lambda s: s.set_answer(
                question_id, value, justification, meldnormen, veilig_thuis_advice, values
            )
        )
        answer = self.case.answers.get(question_id)
        stored = answer.values if answer is not None else {}
        for option_field in option.fields:  # only a changed date moves a due date set by hand
            if stored.get(option_field.id) != had.get(option_field.id):
                self._set_due(option_field, stored.get(option_field.id))

    def _set_due(self, field: FormField, value: object) -> None:
        """A `sets_due` date field got `value`: its aftercare item becomes due then."""
        when = rules.due_date(field.due, value)
        if when is not None and field.due is not None:
            item = field.due.item
            self._apply(lambda s: s.set_aftercare(item, due=when))

    def clear_answer(self, question_id: str) -> None:
        self._apply(lambda s: s.clear_answer(question_id))

    def set_value(self, step_id: str, field_id: str, value: object) -> None:
        """Store a field's value. A field that `requires` others is refused while they are empty;
        one that `sets_due` makes its date the due date of an aftercare item; one that `records`
        an event records it the first time it gets a value (after the due date, so that the
        status the event leads to is the last word)."""
        step = self.flow.step(step_id)
        field = next((f for f in step.fields if f.id == field_id), None) if step else None
        if field is None or rules.is_empty(value):
            self._apply(lambda s: s.set_value(step_id, field_id, value))
            return
        assert step is not None
        values = rules.step_values(self.case, step_id)
        decisions = {str(key): value for key, value in self.case.decisions.items()}
        if field.requires and field.id not in rules.shown_fields(step.fields, values, decisions):
            raise InvalidValueError(f"{step_id}.{field_id} is not asked for in this case now")
        waiting = rules.unmet_requirements(step.fields, field, values, decisions)
        if waiting:
            needed = ", ".join(f.id for f in waiting)
            raise NotYetError(
                f"{step_id}.{field_id} can only be filled after {needed}",
                [f.label for f in waiting],
            )
        self._apply(lambda s: s.set_value(step_id, field_id, value))
        self._set_due(field, value)
        action = field.records
        target = f"{step_id}.{field_id}"
        if action is not None and not any(
            e.action == action and e.target == target for e in self.case.events
        ):
            self._apply(lambda s: s.record(action, target=target))

    def set_notes(self, step_id: str, text: str) -> None:
        self._apply(lambda s: s.set_notes(step_id, text))

    def decide(
        self,
        key: str,
        value: bool | _Keep | None = KEEP,
        reason: str | _Keep = KEEP,
        checked: Iterable[str] | _Keep = KEEP,
    ) -> None:
        self._apply(lambda s: s.set_decision(key, value=value, reason=reason, checked=checked))

    def set_aftercare(
        self,
        item_id: str,
        due: date | str | _Keep | None = KEEP,
        who: str | _Keep = KEEP,
        status: AftercareStatus | str | _Keep = KEEP,
        note: str | _Keep = KEEP,
    ) -> None:
        self._apply(lambda s: s.set_aftercare(item_id, due=due, who=who, status=status, note=note))

    def rescue(self, folders: Iterable[Path]) -> Path:
        """Write the case as it is in memory (with a change a failed save could not store) to a
        new private file (0600) in the first of `folders` that takes it; its path."""
        from meldcode_tui.case.atomic import open_private, write_all
        from meldcode_tui.case.codec import dump_case
        from meldcode_tui.case.destroy import rescue_name

        data = dump_case(self.case, check=False)
        name = rescue_name(self.case_id, datetime.now())
        problem: OSError | None = None
        for folder in folders:
            path = Path(folder) / name
            try:
                Path(folder).mkdir(mode=0o700, exist_ok=True)
                fd = open_private(path, os.O_WRONLY)
            except OSError as exc:
                problem = exc
                continue
            try:
                write_all(fd, data)
                os.fsync(fd)
            except OSError as exc:
                problem = exc
                os.close(fd)
                path.unlink(missing_ok=True)
                continue
            os.close(fd)
            return path
        raise SaveError("no folder took the rescue copy", errno=problem.errno if problem else None)

    def start_linked_case(self) -> Case:
        """Start a new case for the same pupil with this case's flow, linked to this one (the
        protocol runs again); this case stays open."""
        from meldcode_tui.case.model import FlowRef

        self._editable()
        case = self.case
        return self.store.create(
            FlowRef.of(self.flow), case.pupil, self.actor, group=case.group, linked_case=case.id
        )

    def move(self, step_id: str, focus_id: str = "") -> None:
        """Remember where the person is; nothing happens on a case they cannot change."""
        if self.read_only:
            return
        position = self.case.position
        if (position.step, position.focus) != (step_id, focus_id):
            self._session.set_position(step_id, focus_id)

    def flush(self) -> None:
        """Try a failed save again."""
        self._apply(lambda s: s.flush())

    def default_retain_until(self, closed_on: date | None = None) -> date:
        """The "bewaren tot" date a case closed on `closed_on` (today) gets by default."""
        return retention.default_retain_until(
            closed_on or date.today(), retention.retention_years(self.store.root)
        )

    def close(
        self,
        reason: str,
        retain_until: date | None = None,
        *,
        shorter_reason: str = "",
        today: date | None = None,
    ) -> None:
        """Close the case with the reason typed, to be kept until `retain_until` (default: the
        school's term from today); a date before the default needs `shorter_reason`. From now
        on the case is read-only until reopened."""
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidValueError("closing a case needs a reason")
        if not isinstance(shorter_reason, str):
            raise InvalidValueError("the reason for keeping the case shorter must be text")
        closed_on = today or date.today()
        default = self.default_retain_until(closed_on)
        until = retain_until or default
        retention.check_retain_until(until, closed_on, default, shorter_reason)
        entries = [(CLOSE, "", until.isoformat(), reason.strip())]
        if until < default:
            entries.insert(0, (SHORTEN_RETENTION, "", until.isoformat(), shorter_reason.strip()))
        self._apply(lambda s: s.record_all(entries))

    def standing(self, today: date | None = None) -> retention.Standing:
        """Where the case stands towards destruction (expired, kept, open, ...)."""
        return retention.standing_of(self.case, today or date.today())

    def destroy(
        self, *, force: bool = False, reason: str = "", today: date | None = None
    ) -> Destroyed:
        """Destroy this case by `casework.retention`'s rules, letting go of it first; `force`:
        the person confirmed destroying a case that is not expired."""
        self.release()
        return retention.destroy(
            self.store, self.case_id, self.actor, force=force, reason=reason, today=today
        )

    def reopen(self, reason: str, *, force: bool = False) -> None:
        """Reopen a closed case with the reason typed (an event); it takes the lock for that."""
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidValueError("reopening a case needs a reason")
        if self.status is not Status.GESLOTEN:
            raise InvalidValueError(f"case {self.case_id} is not closed")
        if self.flow_problem:
            raise ReadOnlyError(f"case {self.case_id} is read-only: {self.flow_problem}")
        if self._session.read_only:
            session = self.store.open(self.case_id, self.actor, force=force)
            if session.read_only:
                self._replace(session)
                raise ReadOnlyError(f"case {self.case_id} is read-only: someone else edits it")
            self._replace(session)
            if session.taken_over is not None:
                self._record_take_over(session.taken_over)
        self._apply(lambda s: s.record(REOPEN, note=reason.strip()), closed_ok=True)

    def take_over(self) -> None:
        """Take the case over from the person holding it (after they confirmed they are gone)."""
        if self.status is Status.GESLOTEN or self.flow_problem:
            raise self._closed_or_flow()
        session = self.store.open(self.case_id, self.actor, force=True)
        self._replace(session)
        if session.read_only:
            raise ReadOnlyError(f"case {self.case_id} could not be taken over")
        self._lock_lost = False
        if session.taken_over is not None:
            self._record_take_over(session.taken_over)

    def _closed_or_flow(self) -> ReadOnlyError:
        if self.flow_problem:
            return ReadOnlyError(f"case {self.case_id} is read-only: {self.flow_problem}")
        return CaseClosedError(f"case {self.case_id} is closed; reopen it first")

    def _replace(self, session: CaseSession) -> None:
        self._session.close()
        self._session = session
        session.before_write = self._derive
        self._asked_read_only = False
        self._changed()

    def _record_take_over(self, previous: LockInfo) -> None:
        self._apply(
            lambda s: s.record(TAKE_OVER, target=previous.host, detail=previous.user),
            closed_ok=True,
        )
