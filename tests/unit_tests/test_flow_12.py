"""Flow 1.2 (issue 13, stap 1-3 and who decides): option warnings, deciders and roles, sub-fields
that depend on each other inside an entry, and cases started with flow 1.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from meldcode_tui.case.export import export_case
from meldcode_tui.case.model import Actor, Decision
from meldcode_tui.case.store import CaseStore
from meldcode_tui.casework import rules
from meldcode_tui.casework.registry import FlowRegistry
from meldcode_tui.casework.work import CaseWork, ReadOnly
from meldcode_tui.flow.errors import FlowError
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow, parse_flow
from meldcode_tui.locations import default_flow_path

FIXTURES = Path(__file__).parent / "flow_fixtures"
FLOW_11 = FIXTURES / "meldcode-school-1.1.yaml"
MENTOR = Actor(name="Mentor Verzonnen", role="mentor")
OT = Actor(name="Collega Fictief", role="OT-medewerker (ondersteuningsteam)")
VT_FIRST = "Raadpleeg altijd eerst Veilig Thuis (0800-2000)."


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(default_flow_path())


def _field(flow: Flow, step_id: str, field_id: str) -> Any:
    step = flow.step(step_id)
    assert step is not None
    return next(f for f in step.fields if f.id == field_id)


def test_the_bundled_flow_is_version_1_2_with_the_vertrouwensinspecteur(flow: Flow) -> None:
    assert flow.version == "1.2"
    inspecteur = flow.contact("vertrouwensinspecteur")
    assert inspecteur is not None and inspecteur.phone == "0900-111 3 111"
    assert flow.role_label("ot_medewerker") == "OT-medewerker (ondersteuningsteam)"


def test_special_forms_of_abuse_warn_to_consult_veilig_thuis_first(flow: Flow) -> None:
    forms = _field(flow, "signalen", "vormen")
    assert forms.chosen_warnings(["verwaarlozing"]) == []
    assert forms.chosen_warnings(["verwaarlozing", "huwelijksdwang"]) == [VT_FIRST]
    assert set(forms.chosen_warnings(["achterlating", "eergerelateerd"])) == {VT_FIRST}
    staff = _field(flow, "signalen", "vermoeden_medewerker")
    [route] = staff.chosen_warnings("ja")
    assert "aangifte" in route and "0900-111 3 111" in route
    assert staff.chosen_warnings("nee") == []


def test_the_staff_question_must_be_answered_before_stap_1_is_done(flow: Flow) -> None:
    step = flow.step("signalen")
    assert step is not None
    missing = rules.fields_missing(step.fields, {}, flow=flow)
    assert "Gaat het om een vermoeden tegen een medewerker van school?" in missing
    route = rules.fields_missing(step.fields, {"vermoeden_medewerker": "ja"}, flow=flow)
    assert "Bevoegd gezag ingelicht (wie, wanneer)" in route
    assert "Overleg met de vertrouwensinspecteur (met wie, wanneer)" in route


def test_an_entry_sub_field_is_required_only_when_its_condition_holds(flow: Flow) -> None:
    consulted = _field(flow, "consultatie", "geconsulteerd")
    entry = {"naam": "Collega", "functie": "zorgcoordinator"}
    assert rules.fields_missing(consulted.fields, entry) == []
    assert rules.fields_missing(consulted.fields, {**entry, "functie": "anders"}) == [
        "Andere functie"
    ]
    talks = _field(flow, "gesprek", "gesprekken")
    talk = {
        "datum": "2026-11-02",
        "door": "Mentor",
        "tweede_medewerker": "Teamleider",
        "met_wie": "ouders",
        "tolk": "ja",
    }
    assert rules.fields_missing(talks.fields, talk) == ["Tolk (naam, taal)"]
    assert rules.fields_missing(talks.fields, {**talk, "tolk": "nee"}) == []


@pytest.mark.parametrize(
    ("role", "decider"),
    [
        ("teamleider", True),
        ("Teamleider", True),
        ("OT medewerker", True),
        ("OT-medewerker (ondersteuningsteam)", True),
        ("ot_medewerker", True),
        ("mentor", False),
        ("", False),
        ("teamleider of zo", False),
    ],
)
def test_a_role_is_a_decider_by_its_id_or_label(flow: Flow, role: str, decider: bool) -> None:
    assert flow.is_role(role, ["teamleider", "ot_medewerker"]) is decider


def test_deciding_in_another_role_needs_a_reason(flow: Flow) -> None:
    field = _field(flow, "besluiten", "besluit_hulp")
    label = f"{field.label}: Onderbouwing"
    by_mentor = {"hulp": Decision(value=True, by=MENTOR)}
    assert label in rules.field_missing(field, None, by_mentor, None, flow)
    explained = {"hulp": Decision(value=True, reason="Teamleider ziek", by=MENTOR)}
    assert label not in rules.field_missing(field, None, explained, None, flow)
    by_ot = {"hulp": Decision(value=True, by=OT)}
    assert label not in rules.field_missing(field, None, by_ot, None, flow)
    assert rules.decided_outside_role(flow, field, by_mentor["hulp"])
    assert not rules.decided_outside_role(flow, field, Decision(value=None, by=MENTOR))


def _broken(change: dict[str, Any]) -> list[str]:
    doc = yaml.safe_load((FIXTURES / "minimal.yaml").read_bytes())
    doc.update(change.get("top", {}))
    doc["steps"][0]["fields"].append(change["field"])
    data = yaml.safe_dump(doc, allow_unicode=True).encode()
    with pytest.raises(FlowError) as caught:
        parse_flow(data, "proef.yaml")
    return [f"{p.place}: {p.reason}" for p in caught.value.problems]


def test_validation_refuses_unknown_deciders_and_misplaced_warnings() -> None:
    decision = {
        "id": "besluit",
        "kind": "decision",
        "decision": "melden",
        "label": "Besluit",
        "yes_label": "Ja",
        "no_label": "Nee",
        "deciders": ["rector"],
    }
    roles = {"roles": [{"id": "teamleider", "label": "Teamleider"}]}
    assert _broken({"top": roles, "field": decision}) == [
        "steps[0].fields[2].deciders[0]: unknown role id 'rector'"
    ]
    line = {"id": "regel", "kind": "line", "label": "Regel", "deciders": ["teamleider"]}
    assert "steps[0].fields[2].deciders: only a decision field has deciders" in _broken(
        {"top": roles, "field": line}
    )
    aftercare = {
        "id": "nazorg",
        "kind": "aftercare",
        "label": "Nazorg",
        "options": [{"id": "evaluatie", "label": "Evalueren", "warning": "Let op"}],
    }
    assert _broken({"field": aftercare}) == [
        "steps[0].fields[2].options[0].warning: only an option of a choice, yesno or checklist "
        "field has a warning"
    ]
    twice = {"roles": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]}
    assert "roles[1].id: duplicate role id 'a'" in _broken(
        {"top": twice, "field": {"id": "x", "kind": "line", "label": "X"}}
    )


def _case_of_flow_11(store: CaseStore) -> str:
    old = load_flow(FLOW_11)
    assert old.version == "1.1"
    work = CaseWork.create(store, old, pupil="Leerling Oud-11", actor=MENTOR, group="4A")
    work.set_value("gesprek", "gesprek_gevoerd", "ja")
    work.set_value("gesprek", "datum", "2026-10-01")
    work.set_value("gesprek", "met_wie", "samen")
    work.set_value("gesprek", "medewerkers", [{"naam": "Mentor Oud", "functie": "mentor"}])
    work.set_value("gesprek", "besproken", "Besproken in de oude versie")
    consulted = [{"naam": "Collega Oud", "functie": "veiligheidscoordinator"}]
    work.set_value("consultatie", "geconsulteerd", consulted)
    work.release()
    return work.case_id


def test_a_case_of_flow_1_1_opens_and_shows_what_the_new_flow_does_not_know(
    flow: Flow, tmp_path: Path
) -> None:
    store = CaseStore(tmp_path / "zaken")
    case_id = _case_of_flow_11(store)
    opened = CaseWork.open(store, FlowRegistry(flow, store.root), case_id, MENTOR)
    assert opened.read_only_reason is ReadOnly.FLOW
    assert "gesprek.datum" in opened.flow_problem
    text = export_case(opened.case, opened.flow, "txt")
    opened.release()
    assert "begonnen met versie 1.1" in text
    assert "Waarden die deze versie van het protocol niet (meer) kent:" in text
    assert "datum: 2026-10-01" in text
    assert "met_wie: samen" in text
    assert "medewerkers: naam: Mentor Oud, functie: mentor" in text
    assert "Besproken in de oude versie" in text
    assert "Veiligheidscoördinator" in text
    stored = store.load(case_id)
    assert stored.steps["gesprek"].values["datum"] == "2026-10-01"


def test_a_case_of_flow_1_1_is_editable_with_the_old_flow_in_the_data_folder(
    flow: Flow, tmp_path: Path
) -> None:
    store = CaseStore(tmp_path / "zaken")
    case_id = _case_of_flow_11(store)
    (store.root / "flows").mkdir()
    (store.root / "flows" / "meldcode-school-1.1.yaml").write_bytes(FLOW_11.read_bytes())
    opened = CaseWork.open(store, FlowRegistry(flow, store.root), case_id, MENTOR)
    assert not opened.read_only
    assert opened.flow.version == "1.1"
    opened.release()
