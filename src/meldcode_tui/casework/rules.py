"""Every rule about an open case, in one place: which fields are visible, what is still missing
(decision reasons included), whether a decision goes against the advice, the state of each step and
how far the case is. Pure functions of (flow, case); no Textual, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from meldcode_tui.case.model import AftercareStatus, Case, Decision
from meldcode_tui.case.route import close_offer as close_offer
from meldcode_tui.case.route import routing_of as routing_of
from meldcode_tui.flow.engine import Advice, Routing
from meldcode_tui.flow.model import (
    Condition,
    DueDate,
    FieldKind,
    Flow,
    FormField,
    QuestionOption,
    Step,
)
from meldcode_tui.flow.model import shown_fields as model_shown_fields

DEFAULT_REASON_LABEL = "Onderbouwing"


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    TODO = "todo"


def condition_met(
    condition: Condition | None,
    values: Mapping[str, Any],
    decisions: Mapping[str, Any] | None = None,
) -> bool:
    return condition is None or condition.holds(values, decisions)


def visible(
    field: FormField, values: Mapping[str, Any], decisions: Mapping[str, Any] | None = None
) -> bool:
    return condition_met(field.show_if, values, decisions)


def shown_fields(
    fields: list[FormField], values: Mapping[str, Any], decisions: Mapping[str, Any] | None = None
) -> set[str]:
    """The ids of the fields shown (`flow.model.shown_fields`, which the export uses too)."""
    return model_shown_fields(fields, values, decisions)


def unmet_requirements(
    fields: list[FormField],
    field: FormField,
    values: Mapping[str, Any],
    decisions: Mapping[str, Any] | None = None,
) -> list[FormField]:
    """The shown fields that `field.requires` and that are still empty."""
    shown = shown_fields(fields, values, decisions)
    by_id = {f.id: f for f in fields}
    return [
        by_id[fid]
        for fid in field.requires
        if fid in by_id and fid in shown and is_empty(values.get(fid))
    ]


def add_working_days(start: date, days: int) -> date:
    """`days` working days (Monday to Friday) after `start`; holidays are not known."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value in (None, [], {})


def decision_deviates(key: str, decision: Decision | None, advice: Advice | None) -> bool:
    """Is this decision against the step-4 advice, or a ticked meldnorm not reported?"""
    if decision is None or decision.value is None:
        return False
    if key == "melden" and decision.value is False and decision.checked:
        return True
    advised = None if advice is None else getattr(advice, key, None)
    return advised is not None and decision.value != advised


def outside_deciders(flow: Flow | None, field: FormField, role: str) -> bool:
    """Is `role` (an actor's role) not one the flow names to take this decision (`deciders`)?"""
    return flow is not None and flow.outside_deciders(field, role)


def decided_outside_role(flow: Flow | None, field: FormField, decision: Decision | None) -> bool:
    """Was this decision taken by someone whose role the protocol does not name for it?"""
    if decision is None or decision.value is None:
        return False
    return outside_deciders(flow, field, decision.by.role if decision.by is not None else "")


def reason_needed(
    flow: Flow | None,
    field: FormField,
    decision: Decision | None,
    advice: Advice | None,
    role: str | None = None,
) -> bool:
    """Does this decision need a reason: it goes against the step-4 advice, or it is taken in a
    role the protocol does not name for it (`role`: the one deciding now; else who decided)?"""
    if decision_deviates(field.decision or "", decision, advice):
        return True
    if decision is None or decision.value is None:
        return False
    if role is None:
        return decided_outside_role(flow, field, decision)
    return outside_deciders(flow, field, role)


def reason_label(field: FormField) -> str:
    return field.reason_label or DEFAULT_REASON_LABEL


def field_missing(
    field: FormField,
    value: Any,
    decisions: Mapping[str, Decision] | None = None,
    advice: Advice | None = None,
    flow: Flow | None = None,
) -> list[str]:
    """Labels of what one visible field still needs: itself, a decision's reason (when deciding
    against the advice, or in a role the protocol does not name), entry parts."""
    if field.kind is FieldKind.AFTERCARE:
        return []
    if field.kind is FieldKind.DECISION:
        key = field.decision or ""
        decision = (decisions or {}).get(key)
        found: list[str] = []
        if field.required and (decision is None or decision.value is None):
            found.append(field.label)
        if reason_needed(flow, field, decision, advice) and not (
            decision and decision.reason.strip()
        ):
            found.append(f"{field.label}: {reason_label(field)}")
        return found
    found = [field.label] if field.required and is_empty(value) else []
    if field.kind is FieldKind.ENTRIES and isinstance(value, list):
        for number, entry in enumerate(value, start=1):
            if not isinstance(entry, Mapping):
                continue
            for label in fields_missing(field.fields, entry):
                found.append(f"{field.label} {number}: {label}")
    return found


def fields_missing(
    fields: list[FormField],
    values: Mapping[str, Any],
    decisions: Mapping[str, Decision] | None = None,
    advice: Advice | None = None,
    flow: Flow | None = None,
) -> list[str]:
    """Labels of what the shown fields of a step (or of one entry) still need; a field that must
    wait for others (`requires`) says which."""
    shown = shown_fields(fields, values, decisions)
    found: list[str] = []
    for field in fields:
        if field.id not in shown:
            continue
        labels = field_missing(field, values.get(field.id), decisions, advice, flow)
        waiting = unmet_requirements(fields, field, values, decisions) if labels else []
        if waiting:
            first = ", ".join(f.label for f in waiting)
            labels = [f"{labels[0]} (eerst: {first})", *labels[1:]]
        found.extend(labels)
    return found


def step_values(case: Case, step_id: str) -> dict[str, Any]:
    record = case.steps.get(step_id)
    return dict(record.values) if record is not None else {}


def chosen_option(flow: Flow, case: Case, question_id: str) -> QuestionOption | None:
    """The option the case's answer to a question names, or None."""
    question = flow.question(question_id)
    answer = case.answers.get(question_id)
    if question is None or answer is None:
        return None
    return question.option(answer.value)


def answer_fields_missing(
    flow: Flow, case: Case, step: Step, routing: Routing | None = None
) -> list[str]:
    """Labels of the required fields of the chosen options (answers in force on the route of
    this step) that are still empty, e.g. the evaluation date of "nog onbekend"."""
    routing = routing if routing is not None else routing_of(flow, case)
    if routing is None:
        return []
    own = {q.id for q in step.questions}
    found: list[str] = []
    for qid in routing.path:
        option = chosen_option(flow, case, qid) if qid in own else None
        if option is not None and option.fields:
            found.extend(fields_missing(option.fields, case.answers[qid].values))
    return found


def skipped_steps(flow: Flow, case: Case, routing: Routing | None = None) -> frozenset[str]:
    """The steps the route in force makes not required (`close.skips`)."""
    offer = close_offer(flow, case, routing)
    return frozenset(offer.skips) if offer is not None else frozenset()


def due_date(due: DueDate | None, value: object) -> date | None:
    """The due date a `sets_due` date field's value makes: `working_days` after it; None when
    the field sets none or the value is not a date."""
    if due is None or not isinstance(value, str):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return add_working_days(day, due.working_days)


def step_missing(flow: Flow, case: Case, step: Step, routing: Routing | None = None) -> list[str]:
    """What a step still needs. The weighing step needs its routing to be complete and the
    chosen options' required fields; a step the route skips (`close.skips`) needs nothing."""
    routing = routing if routing is not None else routing_of(flow, case)
    if step.id in skipped_steps(flow, case, routing):
        return []
    if step.questions:
        fields = answer_fields_missing(flow, case, step, routing)
        if routing is None or routing.complete or fields:
            return fields
        question = flow.question(routing.next) if routing.next else None
        return [question.text] if question is not None else []
    advice = _advice(flow, case, routing)
    decisions = decisions_of(case)
    return fields_missing(step.fields, step_values(case, step.id), decisions, advice, flow)


def step_has_work(case: Case, step: Step) -> bool:
    if step.questions:
        return any(q.id in case.answers for q in step.questions)
    record = case.steps.get(step.id)
    if record is not None and (
        record.notes.strip() or any(not is_empty(v) for v in record.values.values())
    ):
        return True
    for field in step.fields:
        if field.kind is FieldKind.DECISION and field.decision in case.decisions:
            return True
        if field.kind is FieldKind.AFTERCARE and case.aftercare:
            return True
    return False


def step_done(flow: Flow, case: Case, step: Step, routing: Routing | None = None) -> bool:
    routing = routing if routing is not None else routing_of(flow, case)
    if step.id in skipped_steps(flow, case, routing):
        return True
    if step.questions:
        return (
            routing is not None
            and routing.complete
            and not answer_fields_missing(flow, case, step, routing)
        )
    if step.holds_aftercare:
        return (  # the nazorg is done when each item is done or does not apply, not before
            bool(case.aftercare)
            and all(item.status is not AftercareStatus.OPEN for item in case.aftercare)
            and not step_missing(flow, case, step, routing)
        )
    return step_has_work(case, step) and not step_missing(flow, case, step, routing)


def step_states(flow: Flow, case: Case, current: str) -> dict[str, StepState]:
    routing = routing_of(flow, case)
    states: dict[str, StepState] = {}
    for step in flow.steps:
        if step.id == current:
            states[step.id] = StepState.CURRENT
        elif step_done(flow, case, step, routing):
            states[step.id] = StepState.DONE
        else:
            states[step.id] = StepState.TODO
    return states


def progress_step(flow: Flow, case: Case) -> str:
    """How far the case is: the furthest step (in flow order) with work in it; else the first."""
    furthest = ""
    for step in flow.steps:
        if step_has_work(case, step):
            furthest = step.id
    return furthest or flow.steps[0].id


def _advice(flow: Flow, case: Case, routing: Routing | None) -> Advice | None:
    routing = routing if routing is not None else routing_of(flow, case)
    return routing.advice if routing is not None else None


def missing_decisions(flow: Flow, case: Case) -> list[str]:
    """The labels of the step-5 decisions not yet taken (a case closes only when both are, or
    when the route skips the step that takes them)."""
    skipped = skipped_steps(flow, case)
    labels = {
        f.decision: f.label
        for step in flow.steps
        for f in step.fields
        if f.kind is FieldKind.DECISION and f.decision is not None
    }
    decided_in = {
        f.decision: step.id
        for step in flow.steps
        for f in step.fields
        if f.kind is FieldKind.DECISION and f.decision is not None
    }
    return [
        labels.get(key, key)
        for key in ("melden", "hulp")
        if _decision(case, key) is None and decided_in.get(key) not in skipped
    ]


def _decision(case: Case, key: str) -> bool | None:
    decision = decisions_of(case).get(key)
    return decision.value if decision is not None else None


def decisions_of(case: Case) -> dict[str, Decision]:
    """The case's decisions by key ("melden", "hulp") as plain strings."""
    return {str(key): decision for key, decision in case.decisions.items()}
