"""The melding in step 5 (besluit 1 = melden): the parents-informed part first, then the melding
date records the event `melding` (status gemeld) and makes *terugkoppeling van Veilig Thuis* due
five working days later. All through the flow's field attributes (`show_if` on a decision,
`requires`, `records`, `sets_due`), no code per field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from meldcode_tui.case.errors import InvalidValueError
from meldcode_tui.case.model import Actor, Status
from meldcode_tui.case.store import CaseStore
from meldcode_tui.casework import rules
from meldcode_tui.casework.work import CaseWork
from meldcode_tui.flow.model import Condition, Flow
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

MENTOR = Actor(name="Mentor Bakker", role="mentor")
ZORG = Actor(name="Zorgcoördinator Smit", role="zorgcoördinator")
STEP = "besluiten"


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(default_flow_path())


@pytest.fixture
def work(tmp_path: Path, flow: Flow) -> CaseWork:
    store = CaseStore(tmp_path / "cases")
    opened = CaseWork.create(store, flow, pupil="Leerling K-12", actor=MENTOR, group="3B")
    yield opened
    opened.release()


def _missing(work: CaseWork) -> list[str]:
    return work.state.missing[STEP]


def test_the_melding_fields_show_only_when_besluit_1_is_melden(work: CaseWork) -> None:
    assert not any(label.startswith("Datum melding") for label in _missing(work))
    work.decide("melden", value=False, reason="Hulp loopt al")
    assert "Datum melding" not in " ".join(_missing(work))
    work.decide("melden", value=True)
    missing = _missing(work)
    assert "Ouders en leerling vooraf geïnformeerd over de melding" in missing
    assert any(label.startswith("Datum melding (eerst: ") for label in missing)


def test_the_melding_is_refused_until_parents_informed_or_not_is_filled(work: CaseWork) -> None:
    work.decide("melden", value=True)
    with pytest.raises(InvalidValueError, match="can only be filled after ouders_geinformeerd"):
        work.set_value(STEP, "melding_datum", "2026-03-05")
    work.set_value(STEP, "ouders_geinformeerd", "ja")
    work.set_value(STEP, "geinformeerd_datum", "2026-03-04")
    with pytest.raises(InvalidValueError, match="geinformeerd_door, reactie"):
        work.set_value(STEP, "melding_datum", "2026-03-05")
    assert "melding_datum" not in work.case.steps[STEP].values
    assert work.status is Status.OPEN
    assert all(e.action != "melding" for e in work.case.events)


def test_not_informing_needs_the_reason_and_the_consultation(work: CaseWork) -> None:
    work.decide("melden", value=True)
    work.set_value(STEP, "ouders_geinformeerd", "nee")
    work.set_value(STEP, "reden_niet_geinformeerd", "veiligheid_kind")
    with pytest.raises(InvalidValueError, match="overleg_niet_informeren"):
        work.set_value(STEP, "melding_datum", "2026-03-05")
    work.set_value(STEP, "overleg_niet_informeren", "Consulent Veilig Thuis, 4 maart")
    work.set_value(STEP, "melding_datum", "2026-03-05")
    assert work.status is Status.GEMELD


def test_the_melding_date_records_the_event_and_the_feedback_due_date(work: CaseWork) -> None:
    work.decide("melden", value=True)
    for field_id, value in {
        "ouders_geinformeerd": "ja",
        "geinformeerd_datum": "2026-03-04",
        "geinformeerd_door": "Zorgcoördinator Smit",
        "reactie": "Moeder schrok, vader wilde geen gesprek.",
    }.items():
        work.set_value(STEP, field_id, value)
    work.set_actor(ZORG)
    work.set_value(STEP, "melding_datum", "2026-03-05")  # a Thursday

    meldingen = [e for e in work.case.events if e.action == "melding"]
    assert len(meldingen) == 1
    assert meldingen[0].by == ZORG
    assert meldingen[0].target == "besluiten.melding_datum"
    assert work.status is Status.GEMELD
    item = next(i for i in work.case.aftercare if i.id == "terugkoppeling_veilig_thuis")
    assert item.due == date(2026, 3, 12)  # five working days: the weekend is skipped
    stored = work.store.load(work.case_id)
    assert stored.status is Status.GEMELD

    work.set_value(STEP, "melding_datum", "2026-03-06")
    assert len([e for e in work.case.events if e.action == "melding"]) == 1
    item = next(i for i in work.case.aftercare if i.id == "terugkoppeling_veilig_thuis")
    assert item.due == date(2026, 3, 13)


def test_the_melding_cannot_be_filled_while_besluit_1_is_not_melden(work: CaseWork) -> None:
    work.decide("melden", value=False, reason="Hulp loopt al")
    with pytest.raises(InvalidValueError, match="not asked for"):
        work.set_value(STEP, "melding_datum", "2026-03-05")


def test_working_days_skip_the_weekend() -> None:
    assert rules.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday → Monday
    assert rules.add_working_days(date(2026, 3, 7), 5) == date(2026, 3, 13)  # from a Saturday
    assert rules.add_working_days(date(2026, 3, 5), 0) == date(2026, 3, 5)


def test_a_condition_on_a_decision_reads_ja_or_nee() -> None:
    condition = Condition(decision="melden", equals=["ja"])
    assert condition.holds({}, {"melden": {"value": True}})
    assert not condition.holds({}, {"melden": {"value": False}})
    assert not condition.holds({}, {"melden": {"value": None}})
    assert not condition.holds({"melden": "ja"}, {})
    with pytest.raises(ValueError, match="either a field or a decision"):
        Condition(field="x", decision="melden", equals=["ja"])


def test_the_export_shows_the_melding_only_while_besluit_1_is_melden(work: CaseWork) -> None:
    from meldcode_tui.case.export import export_case

    work.decide("melden", value=True)
    work.set_value(STEP, "ouders_geinformeerd", "nee")
    work.set_value(STEP, "reden_niet_geinformeerd", "veiligheid_anderen")
    work.set_value(STEP, "overleg_niet_informeren", "Consulent Veilig Thuis")
    work.set_value(STEP, "vt_contactpersoon", "Consulent De Wit")
    text = export_case(work.case, work.flow, "txt")
    assert "Contactpersoon bij Veilig Thuis: Consulent De Wit" in text
    assert "De veiligheid van anderen" in text
    work.decide("melden", value=False, reason="Toch niet")
    text = export_case(work.case, work.flow, "txt")
    assert "Consulent De Wit" not in text
    assert "De veiligheid van anderen" not in text  # hidden with its hidden parent
