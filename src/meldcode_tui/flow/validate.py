"""Loading a flow file and rejecting a bad one with the file, the place inside it and the reason.

Every problem found is collected, so an author fixes a flow file in one pass. Nothing here raises
anything but `FlowError`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from meldcode_tui.flow.errors import FlowError, Problem, read_flow_file
from meldcode_tui.flow.model import RESERVED_TARGETS, FieldKind, Flow, FormField
from meldcode_tui.flow.routing import REPEAT
from meldcode_tui.inert import EXCERPT_LENGTH, excerpt
from meldcode_tui.safe_read import (
    MAX_FLOW_NODES,
    BadContent,
    check_shape,
)

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader


_WARNING_KINDS = (FieldKind.CHOICE, FieldKind.YESNO, FieldKind.CHECKLIST)
"""The field kinds whose options may carry a `warning`."""


def load_flow(path: str | Path) -> Flow:
    """Read, parse and validate a flow file."""
    return parse_flow(read_flow_file(path), str(path))


def parse_flow(data: bytes, file: str = "<flow>") -> Flow:
    """Parse and validate the bytes of a flow file; `file` names it in messages."""
    try:
        raw = yaml.load(data, Loader=_Loader)
    except yaml.YAMLError as exc:
        reason = f"not valid YAML: {_yaml_reason(exc)}"
        raise FlowError([Problem(file, _yaml_place(exc), reason)]) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise FlowError([Problem(file, "", f"not valid YAML text: {exc}")]) from None
    except RecursionError:
        raise FlowError([Problem(file, "", "not valid YAML: nested too deeply")]) from None
    try:
        check_shape(raw, max_nodes=MAX_FLOW_NODES)
    except BadContent as exc:
        raise FlowError([Problem(file, "", f"not a usable flow: {exc.reason}")]) from None
    if not isinstance(raw, dict):
        kind = "empty" if raw is None else type(raw).__name__
        raise FlowError([Problem(file, "", f"a flow file must be a mapping, not {kind}")])
    try:
        flow = Flow.model_validate(raw)
    except ValidationError as exc:
        raise FlowError([_pydantic_problem(file, err, raw) for err in exc.errors()]) from None
    problems = [Problem(file, place, reason) for place, reason in check_references(flow)]
    if problems:
        raise FlowError(problems)
    flow._content_hash = hashlib.sha256(data).hexdigest()
    return flow


def place_of(loc: Iterable[str | int]) -> str:
    """Format a location tuple as `steps[3].questions[1].options[0].goto`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = str(part)
            if len(name) > EXCERPT_LENGTH:
                name = f"{name[:EXCERPT_LENGTH]}…"
            out += f".{name}" if out else name
    return out


def check_references(flow: Flow) -> Iterator[tuple[str, str]]:
    """Yield (place, reason) for every broken cross-reference in a structurally valid flow."""
    yield from _ids_unique(flow.steps, ("steps",), "step")
    yield from _ids_unique(flow.meldnormen, ("meldnormen",), "meldnorm")
    yield from _ids_unique(flow.contacts, ("contacts",), "contact")
    yield from _ids_unique(flow.statuses, ("statuses",), "status")
    yield from _ids_unique(flow.roles, ("roles",), "role")

    question_places: dict[str, tuple[int, int]] = {}
    for si, step in enumerate(flow.steps):
        for qi, question in enumerate(step.questions):
            place = place_of(("steps", si, "questions", qi, "id"))
            if question.id in RESERVED_TARGETS:
                yield place, f"'{question.id}' is a reserved routing target, not a question id"
            elif question.id in question_places:
                yield place, f"duplicate question id '{question.id}'"
            else:
                question_places[question.id] = (si, qi)
        yield from _check_fields(step.fields, ("steps", si, "fields"), flow)

    meldnorm_ids = {m.id for m in flow.meldnormen}
    for si, step in enumerate(flow.steps):
        for qi, question in enumerate(step.questions):
            base = ("steps", si, "questions", qi)
            yield from _ids_unique(question.options, (*base, "options"), "option")
            for oi, option in enumerate(question.options):
                at = (*base, "options", oi)
                if option.goto is None:
                    yield place_of(at), f"option '{option.id}' has no route: add goto"
                elif option.goto not in RESERVED_TARGETS and option.goto not in question_places:
                    yield (
                        place_of((*at, "goto")),
                        f"routing target '{option.goto}' does not exist",
                    )
                for mi, norm in enumerate(option.effect.meldnormen):
                    if norm not in meldnorm_ids:
                        yield (
                            place_of((*at, "effect", "meldnormen", mi)),
                            f"unknown meldnorm id '{norm}'",
                        )
                if option.effect.choose_meldnormen and not option.effect.meldnormen:
                    yield (
                        place_of((*at, "effect", "choose_meldnormen")),
                        "choose_meldnormen needs meldnormen to choose from",
                    )
                yield from _check_fields(option.fields, (*at, "fields"), flow)
                if option.close is not None:
                    for ki, skipped in enumerate(option.close.skips):
                        if flow.step(skipped) is None:
                            yield (
                                place_of((*at, "close", "skips", ki)),
                                f"unknown step id '{skipped}'",
                            )

    yield from _check_graph(flow, question_places)


def _check_graph(flow: Flow, places: dict[str, tuple[int, int]]) -> Iterator[tuple[str, str]]:
    edges: dict[str, list[tuple[int, str]]] = {
        q.id: [
            (oi, o.goto)
            for oi, o in enumerate(q.options)
            if o.goto is not None and o.goto in places
        ]
        for q in flow.questions()
    }
    start = flow.start
    if start is None:
        return
    reached: set[str] = set()
    stack = [start]
    while stack:
        qid = stack.pop()
        if qid in reached:
            continue
        reached.add(qid)
        stack.extend(target for _, target in edges.get(qid, []))
    for qid, (si, qi) in places.items():
        if qid not in reached:
            yield (
                place_of(("steps", si, "questions", qi)),
                f"question '{qid}' cannot be reached from the first question '{start}'",
            )

    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(qid: str) -> Iterator[tuple[str, str]]:
        state[qid] = 1
        trail.append(qid)
        for oi, target in edges.get(qid, []):
            if state.get(target) == 1:
                si, qi = places[qid]
                loop = " → ".join([*trail[trail.index(target) :], target])
                yield (
                    place_of(("steps", si, "questions", qi, "options", oi, "goto")),
                    f"routing cycle: {loop} (use '{REPEAT}' to ask a question again)",
                )
            elif target not in state:
                yield from visit(target)
        trail.pop()
        state[qid] = 2

    for qid in places:
        if qid not in state:
            yield from visit(qid)


def _check_fields(
    fields: list[FormField], base: tuple[str | int, ...], flow: Flow
) -> Iterator[tuple[str, str]]:
    yield from _ids_unique(fields, base, "field")
    seen: set[str] = set()
    for fi, field in enumerate(fields):
        at = (*base, fi)
        condition = field.show_if
        if condition is not None and condition.field is not None and condition.field not in seen:
            yield (
                place_of((*at, "show_if", "field")),
                f"show_if refers to '{condition.field}', which is not an earlier field here",
            )
        for ri, required in enumerate(field.requires):
            if required not in seen:
                yield (
                    place_of((*at, "requires", ri)),
                    f"requires '{required}', which is not an earlier field here",
                )
        seen.add(field.id)
        yield from _ids_unique(field.options, (*at, "options"), "option")
        needs_options = field.kind in (FieldKind.CHOICE, FieldKind.CHECKLIST, FieldKind.AFTERCARE)
        if needs_options and not field.options and field.options_from is None:
            yield place_of(at), f"a {field.kind.value} field needs options or options_from"
        if field.kind is FieldKind.ENTRIES:
            if not field.fields:
                yield place_of(at), "an entries field needs fields for each entry"
            yield from _check_fields(field.fields, (*at, "fields"), flow)
        if field.kind is FieldKind.DECISION:
            if field.decision is None:
                yield place_of(at), "a decision field needs decision: melden or hulp"
            if not (field.yes_label and field.no_label):
                yield place_of(at), "a decision field needs yes_label and no_label"
        elif field.deciders:
            yield place_of((*at, "deciders")), "only a decision field has deciders"
        for di, decider in enumerate(field.deciders):
            if all(role.id != decider for role in flow.roles):
                yield place_of((*at, "deciders", di)), f"unknown role id '{decider}'"
        for oi, option in enumerate(field.options):
            if option.warning and field.kind not in _WARNING_KINDS:
                yield (
                    place_of((*at, "options", oi, "warning")),
                    "only an option of a choice, yesno or checklist field has a warning",
                )
        due = field.due
        if due is not None:
            if field.kind is not FieldKind.DATE:
                yield place_of((*at, "sets_due")), "only a date field can set a due date"
            elif all(item.id != due.item for item in flow.aftercare_items()):
                yield (
                    place_of((*at, "sets_due")),
                    f"'{due.item}' is not an item of the flow's aftercare list",
                )


def _ids_unique(
    items: Sequence[Any], base: tuple[str | int, ...], what: str
) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            yield place_of((*base, index, "id")), f"duplicate {what} id '{item.id}'"
        seen.add(item.id)


def _pydantic_problem(file: str, err: Any, raw: Any) -> Problem:
    loc = tuple(err["loc"])
    reason = err["msg"]
    if err["type"] == "extra_forbidden":
        reason = "unknown key"
    elif err["type"] == "missing":
        reason = "required key is missing"
    elif err["type"] == "enum":
        reason = (
            f"unknown value {excerpt(err.get('input'))}: {err['msg'].split(':', 1)[-1].strip()}"
        )
    elif "input" in err and not isinstance(err["input"], (dict, list)):
        reason = f"{reason} (got {excerpt(err['input'])})"
    return Problem(file, place_of(loc), reason)


def _yaml_place(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    return str(problem) if problem else str(exc).splitlines()[0]
