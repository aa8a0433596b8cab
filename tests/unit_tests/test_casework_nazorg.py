"""Rules of issue 13 in casework: the evaluation date of "nog onbekend" (an answer's own field
that makes the due date of the nazorg item evalueren) and the early close after vermoeden = nee
(stap 5 then not required)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from meldcode_tui.case.errors import InvalidValueError
from meldcode_tui.case.model import Actor, Status
from meldcode_tui.case.store import CaseStore
from meldcode_tui.casework import rules
from meldcode_tui.casework.registry import FlowRegistry
from meldcode_tui.casework.work import CaseWork
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

MENTOR = Actor(name="Mentor Bakker", role="mentor")
ZORG = Actor(name="Zorgcoördinator Smit", role="zorgcoördinator")


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(default_flow_path())


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    return CaseStore(tmp_path / "cases")


def _new(store: CaseStore, flow: Flow) -> CaseWork:
    return CaseWork.create(store, flow, pupil="Leerling K-12", actor=MENTOR, group="3B")


def _to_resultaat(work: CaseWork) -> None:
    for qid in ("vermoeden", "veiligheid", "hulp_aanbieden", "hulp_aanvaard"):
        work.answer(qid, "nee" if qid == "veiligheid" else "ja")


def test_nog_onbekend_waits_for_the_evaluation_date(store, flow):
    work = _new(store, flow)
    _to_resultaat(work)
    work.answer("resultaat", "nog_onbekend")
    state = work.state
    assert state.routing is not None and not state.routing.complete
    assert state.routing.next == "resultaat"
    assert state.missing["afweging"] == ["Evaluatiedatum"]
    assert state.answer_missing["afweging"] == ["Evaluatiedatum"]
    assert "afweging" not in state.done


def test_the_evaluation_date_becomes_the_due_date_of_evalueren(store, flow, tmp_path):
    work = _new(store, flow)
    _to_resultaat(work)
    work.answer("resultaat", "nog_onbekend")
    work.set_actor(ZORG)
    work.answer("resultaat", "nog_onbekend", values={"evaluatiedatum": "2026-03-02"})
    assert work.case.answers["resultaat"].values == {"evaluatiedatum": "2026-03-02"}
    item = next(i for i in work.case.aftercare if i.id == "evaluatie")
    assert item.due == date(2026, 3, 2)
    event = work.case.events[-1]
    assert (event.action, event.target, event.by) == ("aftercare", "evaluatie", ZORG)
    state = work.state
    assert "Evaluatiedatum" not in state.missing["afweging"]
    assert state.routing is not None and state.routing.next == "resultaat"
    work.release()
    again = CaseWork.open(store, FlowRegistry(flow, store.root), work.case_id, MENTOR)
    assert again.case.answers["resultaat"].values == {"evaluatiedatum": "2026-03-02"}
    again.release()


def test_another_option_drops_the_fields_of_the_old_one(store, flow):
    work = _new(store, flow)
    _to_resultaat(work)
    work.answer("resultaat", "nog_onbekend", values={"evaluatiedatum": "2026-03-02"})
    work.answer("resultaat", "ja")
    assert work.case.answers["resultaat"].values == {}
    assert work.state.routing is not None and work.state.routing.complete


def test_a_field_the_option_does_not_have_is_refused(store, flow):
    work = _new(store, flow)
    _to_resultaat(work)
    with pytest.raises(InvalidValueError):
        work.answer("resultaat", "ja", values={"evaluatiedatum": "2026-03-02"})
    assert "resultaat" not in work.case.answers


def test_vermoeden_nee_offers_the_close_and_skips_stap_5(store, flow):
    work = _new(store, flow)
    work.answer("vermoeden", "ja")
    assert work.state.close_offer is None
    assert rules.missing_decisions(flow, work.case)
    work.answer("vermoeden", "nee")
    state = work.state
    assert state.close_offer is not None
    assert state.close_offer.label == "Afsluiten en vastleggen"
    assert state.skipped == frozenset({"besluiten"})
    assert state.missing["besluiten"] == []
    assert "besluiten" in state.done
    assert rules.missing_decisions(flow, work.case) == []


def test_closing_after_vermoeden_nee_records_the_reason(store, flow):
    work = _new(store, flow)
    work.answer("vermoeden", "nee")
    work.close("Geen vermoeden na gesprek met ouders")
    assert work.status is Status.GESLOTEN
    event = work.case.events[-1]
    assert (event.action, event.note, event.by) == (
        "close",
        "Geen vermoeden na gesprek met ouders",
        MENTOR,
    )
    work.release()
    assert store.load(work.case_id).status_reason == "Geen vermoeden na gesprek met ouders"


def test_stap_5_is_required_again_when_vermoeden_changes_to_ja(store, flow):
    work = _new(store, flow)
    work.answer("vermoeden", "nee")
    work.answer("vermoeden", "ja")
    assert work.state.skipped == frozenset()
    assert len(rules.missing_decisions(flow, work.case)) == 2
    assert work.state.missing["besluiten"]


def test_the_export_says_stap_5_is_not_needed_after_vermoeden_nee(store, flow):
    from meldcode_tui.case.export import export_case

    work = _new(store, flow)
    work.answer("vermoeden", "nee")
    text = export_case(work.case, flow, "txt")
    assert "Niet nodig na de afweging (afsluiten en vastleggen)." in text
    assert "nog niet genomen" not in text
    work.answer("vermoeden", "ja")
    text = export_case(work.case, flow, "txt")
    assert "Niet nodig na de afweging" not in text
    assert "nog niet genomen" in text


def test_the_nazorg_step_is_done_only_when_no_item_is_open(store, flow):
    work = _new(store, flow)
    assert "nazorg" not in work.state.done  # nothing yet
    _to_resultaat(work)
    work.answer("resultaat", "nog_onbekend", values={"evaluatiedatum": "2026-03-02"})
    assert [i.id for i in work.case.aftercare] == ["evaluatie"]
    assert "nazorg" not in work.state.done  # an evaluation date is not an evaluation
    work.set_aftercare("evaluatie", status="gedaan")
    assert "nazorg" in work.state.done
    work.set_aftercare("informatie", status="open", who="Zorgcoördinator Smit")
    assert "nazorg" not in work.state.done
    work.set_aftercare("informatie", status="nvt")
    assert "nazorg" in work.state.done


def test_editing_the_answer_keeps_a_due_date_changed_by_hand(store, flow):
    work = _new(store, flow)
    _to_resultaat(work)
    work.answer("resultaat", "nog_onbekend", values={"evaluatiedatum": "2026-03-02"})
    work.set_aftercare("evaluatie", due=date(2026, 3, 16))
    work.answer(
        "resultaat",
        "nog_onbekend",
        justification="Hulp via wijkteam loopt.",
        values={"evaluatiedatum": "2026-03-02"},
    )
    item = next(i for i in work.case.aftercare if i.id == "evaluatie")
    assert item.due == date(2026, 3, 16)
    work.answer("resultaat", "nog_onbekend", values={"evaluatiedatum": "2026-04-01"})
    item = next(i for i in work.case.aftercare if i.id == "evaluatie")
    assert item.due == date(2026, 4, 1)
