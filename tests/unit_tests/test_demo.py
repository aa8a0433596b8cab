"""The demo cases: valid case files, every id known to the bundled flow, the routes they show,
relative dates, and the seeded temporary folder."""

from __future__ import annotations

import stat
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from meldcode_tui.case.model import AftercareStatus, Case, FlowRef, Status
from meldcode_tui.case.store import CaseStore
from meldcode_tui.demo.seed import (
    DemoDataError,
    build_case,
    case_files,
    demo_cases,
    demo_data_dir,
    resolve_dates,
    seed_demo,
)
from meldcode_tui.flow.engine import route
from meldcode_tui.flow.model import FieldKind, Flow, FormField, shown_fields
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(default_flow_path())


@pytest.fixture(scope="module")
def cases(flow: Flow) -> dict[str, Case]:
    return {case.id: case for case in demo_cases(flow, TODAY)}


def test_at_least_four_fictitious_cases(cases: dict[str, Case]) -> None:
    assert len(cases) >= 4
    assert [f.name.removesuffix(".yaml") for f in case_files()] == sorted(cases)
    for case in cases.values():
        assert case.id.startswith("demo-")
        assert "demo" in case.pupil.lower()
        assert case.group.startswith("Demo")


def test_flow_reference_comes_from_the_flow(flow: Flow, cases: dict[str, Case]) -> None:
    for case in cases.values():
        assert case.flow == FlowRef(
            id=flow.id, version=flow.version, content_hash=flow.content_hash
        )
        create = case.events[0]
        assert (create.action, create.target, create.detail) == ("create", flow.id, flow.version)


def _check_value(field: FormField, value: object, where: str) -> None:
    options = {o.id for o in field.options}
    if field.kind is FieldKind.YESNO:
        assert value in (options or {"ja", "nee"}), where
    elif field.kind is FieldKind.CHOICE:
        assert value in options, where
    elif field.kind is FieldKind.CHECKLIST:
        assert isinstance(value, list) and set(value) <= options, where
    elif field.kind is FieldKind.DATE:
        assert isinstance(value, str), where
        date.fromisoformat(value)
    elif field.kind is FieldKind.ENTRIES:
        assert isinstance(value, list), where
        subfields = {f.id: f for f in field.fields}
        for n, entry in enumerate(value):
            assert isinstance(entry, dict), where
            for key, item in entry.items():
                assert key in subfields, f"{where}[{n}].{key}"
                _check_value(subfields[key], item, f"{where}[{n}].{key}")
            shown = shown_fields(field.fields, entry)
            for sub in field.fields:
                needed = sub.required and sub.id in shown
                assert not needed or entry.get(sub.id), f"{where}[{n}].{sub.id} required"
    else:
        assert field.kind in (FieldKind.LINE, FieldKind.TEXT), where
        assert isinstance(value, str), where


def _check_case_against_flow(flow: Flow, case: Case) -> None:
    step_ids = {s.id for s in flow.steps}
    for qid, answer in case.answers.items():
        question = flow.question(qid)
        assert question is not None, f"{case.id}: unknown question {qid}"
        option = next((o for o in question.options if o.id == answer.value), None)
        assert option is not None, f"{case.id}: {qid} has no option {answer.value}"
        assert set(answer.meldnormen or ()) <= set(option.effect.meldnormen), f"{case.id}: {qid}"
    for step_id, record in case.steps.items():
        step = flow.step(step_id)
        assert step is not None, f"{case.id}: unknown step {step_id}"
        fields = {f.id: f for f in step.fields}
        for field_id, value in record.values.items():
            field = fields.get(field_id)
            assert field is not None, f"{case.id}: {step_id}.{field_id} is not a field"
            assert field.kind not in (FieldKind.DECISION, FieldKind.AFTERCARE)
            _check_value(field, value, f"{case.id}: {step_id}.{field_id}")
    decisions = {f.decision: f for s in flow.steps for f in s.fields if f.decision}
    meldnormen = {m.id for m in flow.meldnormen}
    for key, decision in case.decisions.items():
        field = decisions[key]
        allowed = (
            meldnormen if field.options_from == "meldnormen" else {o.id for o in field.options}
        )
        assert set(decision.checked) <= allowed, f"{case.id}: decision {key}"
    aftercare = {
        o.id
        for s in flow.steps
        for f in s.fields
        if f.kind is FieldKind.AFTERCARE
        for o in f.options
    }
    for item in case.aftercare:
        assert item.id in aftercare, f"{case.id}: aftercare {item.id}"
    position = flow.step(case.position.step)
    assert position is not None, case.id
    focus_ids = {f.id for f in position.fields} | {q.id for q in position.questions}
    assert case.position.focus in focus_ids | {""}, case.id
    fields_of = {s.id: {f.id for f in s.fields} for s in flow.steps}
    for event in case.events:
        if event.action == "answer":
            assert flow.question(event.target) is not None, event
        elif event.action in ("value", "notes"):
            step_id, _, field_id = event.target.partition(".")
            assert step_id in step_ids, event
            assert not field_id or field_id in fields_of[step_id], event
        elif event.action == "decision":
            assert event.target in decisions, event
        elif event.action == "aftercare":
            assert event.target in aftercare, event


def test_every_id_exists_in_the_bundled_flow(flow: Flow, cases: dict[str, Case]) -> None:
    for case in cases.values():
        _check_case_against_flow(flow, case)
        route(flow.routing, case.answer_values(), strict=True)


def test_events_are_in_time_order_and_in_the_past(cases: dict[str, Case]) -> None:
    tomorrow = datetime(2026, 11, 26, tzinfo=UTC)
    for case in cases.values():
        times = [e.at for e in case.events]
        assert times == sorted(times), case.id
        assert case.created_at == times[0]
        assert max(times) <= case.updated_at < tomorrow, case.id


def test_the_stages_and_routes_a_trainer_needs(flow: Flow, cases: dict[str, Case]) -> None:
    def routing(case_id: str) -> Any:
        return route(flow.routing, cases[case_id].answer_values())

    signals_only = cases["demo-1-signalen"]
    assert set(signals_only.steps) == {"signalen"} and not signals_only.answers

    consulted = cases["demo-2-consultatie"]
    assert set(consulted.steps) == {"signalen", "consultatie"} and not consulted.answers

    acute = routing("demo-3-melding-acuut")
    assert acute.complete and acute.advice.melden is True
    assert acute.path == ("vermoeden", "veiligheid") and not acute.not_in_force
    assert acute.advice.meldnormen == ("acuut",) and acute.advice.hulp is None
    reported = cases["demo-3-melding-acuut"]
    assert reported.both_decisions_taken() and reported.decisions["melden"].value is True
    assert reported.status is Status.GEMELD

    # Neglect, help accepted, result not yet known: the weighing waits for the evaluation.
    helped = routing("demo-4-nazorg")
    assert not helped.complete and helped.next == "resultaat"
    assert helped.advice.melden is None and helped.advice.hulp is True
    aftercare = cases["demo-4-nazorg"]
    assert aftercare.status is Status.HULP and aftercare.both_decisions_taken()
    overdue = [item.id for item in aftercare.aftercare if item.overdue(TODAY)]
    assert overdue == ["evaluatie"]
    assert any(item.status is AftercareStatus.GEDAAN for item in aftercare.aftercare)

    doubt = routing("demo-5-twijfel")
    assert doubt.next == "veiligheid" and doubt.advice.veilig_thuis_raadplegen


def test_relative_dates(amsterdam_time: None) -> None:
    data: Mapping[str, Any] = {
        "due": "+7d",
        "at": "-14d 09:30",
        "list": ["0d", "-1d", "14 dagen", "-7d extra", "7d"],
        "nested": {"when": "-400d 23:59"},
    }
    assert resolve_dates(data, TODAY) == {
        "due": "2026-12-02",
        "at": "2026-11-11T08:30:00+00:00",
        "list": ["2026-11-25", "2026-11-24", "14 dagen", "-7d extra", "2026-12-02"],
        "nested": {"when": "2025-10-21T21:59:00+00:00"},
    }


def test_a_bad_demo_file_is_reported_with_its_name(flow: Flow) -> None:
    with pytest.raises(DemoDataError, match=r"demo-x\.yaml"):
        build_case("demo-x", {"pupil": "Demo", "colour": "blue"}, flow, TODAY)


def test_seed_writes_loadable_cases(tmp_path: Path, flow: Flow) -> None:
    root = tmp_path / "data"
    ids = seed_demo(root, flow, TODAY)
    store = CaseStore(root)
    assert sorted(ids) == sorted(f"{f.name.removesuffix('.yaml')}" for f in case_files())
    listing = store.list()
    assert listing.errors == []
    assert {c.id for c in listing.cases} == set(ids)
    for case_id in ids:
        case = store.load(case_id)
        assert case.created_at.date() < TODAY
        assert stat.S_IMODE((root / f"{case_id}.json").stat().st_mode) == 0o600


def test_demo_data_dir_is_private_and_removed(flow: Flow) -> None:
    with demo_data_dir(flow) as root:
        assert stat.S_IMODE(root.stat().st_mode) == 0o700
        assert len(CaseStore(root).list().cases) == len(case_files())
    assert not root.exists()


def test_demo_data_dir_is_removed_after_an_error(flow: Flow) -> None:
    seen: list[Path] = []
    with pytest.raises(RuntimeError), demo_data_dir(flow) as root:
        seen.append(root)
        (root / "new.txt").write_text("x")
        raise RuntimeError("boom")
    assert seen and not seen[0].exists()
