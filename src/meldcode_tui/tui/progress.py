"""How far a case is per step: done, current or still to do. Pure: no Textual.

A step is done when it holds data and no visible required field is empty; the weighing step is
done when the routing is complete. This mirrors `StepForm.missing()` for steps not on screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from meldcode_tui.case.model import Case
from meldcode_tui.flow.engine import AnswerError, Routing, route
from meldcode_tui.flow.model import FieldKind, Flow, FormField, Step


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    TODO = "todo"


def routing_of(flow: Flow, case: Case) -> Routing | None:
    """The engine's routing of the case's answers; None when an answer no longer fits the flow."""
    try:
        return route(flow.routing, case.answer_values(), strict=False)
    except AnswerError:
        return None


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


def step_done(flow: Flow, case: Case, step: Step, routing: Routing | None = None) -> bool:
    if step.questions:
        routing = routing if routing is not None else routing_of(flow, case)
        return routing is not None and routing.complete
    record = case.steps.get(step.id)
    values: Mapping[str, Any] = record.values if record is not None else {}
    has_data = any(not _empty(v) for v in values.values())
    for field in step.fields:
        if field.kind is FieldKind.DECISION and field.decision is not None:
            has_data = has_data or field.decision in case.decisions
        if field.kind is FieldKind.AFTERCARE:
            has_data = has_data or bool(case.aftercare)
    return has_data and not missing_fields(step.fields, values, case)


def missing_fields(
    fields: list[FormField], values: Mapping[str, Any], case: Case | None = None
) -> list[FormField]:
    """Required, visible fields that are still empty (decisions: not taken)."""
    missing: list[FormField] = []
    for field in fields:
        if not field.required or not _visible(field, values):
            continue
        if field.kind is FieldKind.DECISION:
            decision = case.decisions.get(field.decision) if case and field.decision else None
            if decision is None or decision.value is None:
                missing.append(field)
            continue
        value = values.get(field.id)
        if _empty(value):
            missing.append(field)
        elif field.kind is FieldKind.ENTRIES and isinstance(value, list):
            entries = [e for e in value if isinstance(e, Mapping)]
            if any(missing_fields(field.fields, entry) for entry in entries):
                missing.append(field)
    return missing


def _visible(field: FormField, values: Mapping[str, Any]) -> bool:
    if field.show_if is None:
        return True
    return values.get(field.show_if.field) in field.show_if.equals


def _empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value in (None, [], {})
