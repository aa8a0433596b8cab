"""The casework layer without Textual: intents become events naming the person acting, the status
follows the events, a closed case changes only through a recorded reopen, a takeover is recorded
with both names, and a case is read with the flow it recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from meldcode_tui.case.errors import CaseClosedError, InvalidValueError, ReadOnlyError
from meldcode_tui.case.model import Actor, FlowRef, Status
from meldcode_tui.case.store import CaseStore
from meldcode_tui.casework.registry import FlowRegistry
from meldcode_tui.casework.work import CaseWork, ReadOnly
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


@pytest.fixture
def registry(flow: Flow, store: CaseStore) -> FlowRegistry:
    return FlowRegistry(flow, store.root)


def _new(store: CaseStore, flow: Flow) -> CaseWork:
    return CaseWork.create(store, flow, pupil="Leerling K-12", actor=MENTOR, group="3B")


def test_every_event_names_the_person_acting_at_that_moment(store, flow, registry):
    work = _new(store, flow)
    work.set_notes("signalen", "Eerste notitie")
    work.set_actor(ZORG)
    work.set_notes("signalen", "Tweede notitie, door de zorgcoördinator")
    work.release()
    case = store.load(work.case_id)
    notes = [e for e in case.events if e.action == "notes"]
    assert [e.by for e in notes] == [MENTOR, ZORG]


def test_close_needs_a_reason_and_makes_the_case_read_only_everywhere(store, flow, registry):
    work = _new(store, flow)
    with pytest.raises(InvalidValueError):
        work.close("   ")
    work.close("Zorg is overgedragen aan het wijkteam")
    assert work.status is Status.GESLOTEN
    assert work.read_only_reason is ReadOnly.CLOSED
    with pytest.raises(CaseClosedError):
        work.set_notes("signalen", "na sluiten")
    work.move("afweging")  # no error, no change
    work.release()
    on_disk = store.load(work.case_id)
    assert on_disk.status is Status.GESLOTEN
    assert on_disk.status_reason == "Zorg is overgedragen aan het wijkteam"
    assert on_disk.position.step != "afweging"
    again = CaseWork.open(store, registry, work.case_id, ZORG)
    assert again.read_only_reason is ReadOnly.CLOSED
    assert store.lock_holder(work.case_id) is None  # a closed case is read without a lock
    with pytest.raises(CaseClosedError):
        again.decide("melden", value=True)
    again.release()


def test_reopen_is_an_event_with_the_reason_and_the_person(store, flow, registry):
    work = _new(store, flow)
    work.close("Afgerond")
    work.release()
    zorg = CaseWork.open(store, registry, work.case_id, ZORG)
    with pytest.raises(InvalidValueError):
        zorg.reopen("")
    zorg.reopen("Nieuwe signalen van de gymdocent")
    assert zorg.status is Status.HEROPEND and not zorg.read_only
    zorg.set_notes("signalen", "Na heropenen")
    zorg.release()
    events = store.load(work.case_id).events
    reopen = next(e for e in events if e.action == "reopen")
    assert reopen.by == ZORG
    assert reopen.note == "Nieuwe signalen van de gymdocent"
    assert [e.action for e in events][-2:] == ["reopen", "notes"]


def test_a_forced_takeover_is_an_event_with_both_names(store, flow, registry):
    mentor = _new(store, flow)
    zorg = CaseWork.open(store, registry, mentor.case_id, ZORG)
    assert zorg.read_only_reason is ReadOnly.LOCKED
    zorg.take_over()
    assert not zorg.read_only
    zorg.release()
    events = store.load(mentor.case_id).events
    take = next(e for e in events if e.action == "take_over")
    assert take.by == ZORG and take.detail == MENTOR.name
    with pytest.raises(ReadOnlyError):
        mentor.set_notes("signalen", "te laat")
    assert mentor.read_only_reason is ReadOnly.LOCK_LOST
    mentor.release()


def test_status_follows_the_events(store, flow, registry):
    work = _new(store, flow)
    assert work.status is Status.OPEN
    work.decide("hulp", value=True)
    assert work.status is Status.HULP
    work.set_aftercare("evalueren", due="2026-12-20")
    assert work.status is Status.NAZORG
    work.release()
    assert store.load(work.case_id).status is Status.NAZORG


def test_progress_is_the_furthest_step_with_work(store, flow, registry):
    work = _new(store, flow)
    work.move("besluiten")
    assert work.state.progress == "signalen"
    work.answer("vermoeden", "ja")
    assert work.state.progress == "afweging"
    work.move("signalen")
    work.release()
    assert store.load(work.case_id).progress == "afweging"


def test_unknown_answers_are_refused_before_anything_is_saved(store, flow):
    work = _new(store, flow)
    with pytest.raises(InvalidValueError):
        work.answer("vermoeden", "misschien")
    with pytest.raises(InvalidValueError):
        work.answer("bestaat_niet", "ja")
    assert work.case.answers == {}
    work.release()


def test_a_case_is_read_with_the_flow_it_recorded(store, flow, registry, tmp_path):
    work = _new(store, flow)
    work.answer("vermoeden", "ja")
    work.release()
    case = store.load(work.case_id)
    case.flow = FlowRef(id=flow.id, version="0.9", content_hash="0" * 64)
    store.save(case)
    compatible = CaseWork.open(store, registry, work.case_id, MENTOR)
    assert not compatible.read_only  # the current flow still knows every answer
    compatible.release()
    case = store.load(work.case_id)
    case.answers["verdwenen_vraag"] = case.answers["vermoeden"]
    store.save(case)
    changed = CaseWork.open(store, registry, work.case_id, MENTOR)
    assert changed.read_only_reason is ReadOnly.FLOW
    assert "verdwenen_vraag" in changed.flow_problem
    assert store.lock_holder(work.case_id) is None
    changed.release()


def test_an_older_flow_in_the_data_folder_is_used_for_its_cases(store, flow, tmp_path):
    text = default_flow_path().read_text(encoding="utf-8")
    older = text.replace("version:", "# an older copy\nversion:", 1)
    (store.root / "flows").mkdir()
    (store.root / "flows" / "oud.yaml").write_text(older, encoding="utf-8")
    older_flow = load_flow(store.root / "flows" / "oud.yaml")
    work = CaseWork.create(store, older_flow, pupil="Leerling Q", actor=MENTOR)
    work.release()
    registry = FlowRegistry(flow, store.root)
    opened = CaseWork.open(store, registry, work.case_id, MENTOR)
    assert opened.flow.content_hash == older_flow.content_hash
    assert not opened.read_only
    opened.release()
