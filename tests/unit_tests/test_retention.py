"""The bewaartermijn and destroying a case, without Textual: the "bewaren tot" date set on closing
(the school's term, or shorter with a reason), cleared by a reopen, kept in the index; expiry;
migrating a format-1 file; and destroying, after which no file in the data folder holds the pupil
reference or any case text, and the log line holds none of it either."""

from __future__ import annotations

import json
import os
import stat
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from meldcode_tui.case import index as index_module
from meldcode_tui.case import migrate
from meldcode_tui.case.atomic import host_tag, hostname
from meldcode_tui.case.destroy import DESTROY_LOG, RESCUE_FOLDER, CaseInUseError, rescue_name
from meldcode_tui.case.errors import CaseNotFound, InvalidValueError
from meldcode_tui.case.index import INDEX_NAME, list_cases
from meldcode_tui.case.model import Actor, Status
from meldcode_tui.case.school import SCHOOL_FILE_NAME
from meldcode_tui.case.status import SHORTEN_RETENTION
from meldcode_tui.case.store import CaseStore
from meldcode_tui.casework import retention
from meldcode_tui.casework.registry import FlowRegistry
from meldcode_tui.casework.retention import DestroyRefused, Standing
from meldcode_tui.casework.work import CaseWork
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

MENTOR = Actor(name="Mentor Bakker", role="mentor")
ZORG = Actor(name="Zorgcoördinator Smit", role="zorgcoördinator")
PUPIL = "Pseudoniem Zilverreiger"
CASE_TEXTS = (
    PUPIL,
    "Kwartelkoning bij de fietsenstalling",
    "Besluitreden Oranjetip",
    "Hulpreden Citroenvlinder",
    "Sluitreden Kievitsbloem",
)
"""Distinctive fictitious text typed into the case that is destroyed."""
CLOSED_ON = date(2023, 6, 1)
TODAY = date(2026, 3, 10)


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(default_flow_path())


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    return CaseStore(tmp_path / "cases")


@pytest.fixture
def registry(flow: Flow, store: CaseStore) -> FlowRegistry:
    return FlowRegistry(flow, store.root)


OTHER_TEXTS = ("", "Andere notitie", "Andere reden", "Andere hulpreden", "Andere sluitreden")


def decided(
    store: CaseStore, flow: Flow, pupil: str = PUPIL, texts: tuple[str, ...] = CASE_TEXTS
) -> CaseWork:
    """A case with signals and both decisions taken, ready to close."""
    work = CaseWork.create(store, flow, pupil=pupil, actor=MENTOR, group="3B")
    work.set_notes("signalen", texts[1])
    work.decide("melden", False, reason=texts[2])
    work.decide("hulp", True, reason=texts[3])
    work.set_actor(ZORG)
    return work


def closed_case(
    store: CaseStore,
    flow: Flow,
    on: date = CLOSED_ON,
    pupil: str = PUPIL,
    texts: tuple[str, ...] = CASE_TEXTS,
) -> str:
    work = decided(store, flow, pupil, texts)
    work.close(texts[4], today=on)
    work.release()
    return work.case_id


# --- the bewaren-tot date -----------------------------------------------------------------------


def test_closing_keeps_the_case_for_the_schools_default_of_two_years(
    store: CaseStore, flow: Flow
) -> None:
    work = decided(store, flow)
    assert work.default_retain_until(CLOSED_ON) == date(2025, 6, 1)
    work.close("Klaar", today=CLOSED_ON)
    assert work.case.retain_until == date(2025, 6, 1)
    raw = json.loads(store.path_of(work.case_id).read_bytes())
    assert raw["retain_until"] == "2025-06-01" and raw["status"] == "gesloten"
    close = work.case.events[-1]
    assert (close.action, close.detail, close.note, close.by) == (
        "close",
        "2025-06-01",
        "Klaar",
        ZORG,
    )
    assert not any(e.action == SHORTEN_RETENTION for e in work.case.events)
    summary = next(c for c in list_cases(store.root).cases if c.id == work.case_id)
    assert summary.retain_until == "2025-06-01"
    assert summary.to_json()["retain_until"] == "2025-06-01"


def test_the_default_term_comes_from_the_school_settings(store: CaseStore, flow: Flow) -> None:
    (store.root / SCHOOL_FILE_NAME).write_text("name: Voorbeeldschool\nretention_years: 5\n")
    work = decided(store, flow)
    work.close("Klaar", today=CLOSED_ON)
    assert work.case.retain_until == date(2028, 6, 1)


def test_a_damaged_school_file_falls_back_to_two_years(store: CaseStore, flow: Flow) -> None:
    (store.root / SCHOOL_FILE_NAME).write_text("retention_years: [\n")
    assert retention.retention_years(store.root) == 2


def test_29_february_plus_years_is_28_february() -> None:
    assert retention.add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert retention.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_a_longer_term_needs_no_reason(store: CaseStore, flow: Flow) -> None:
    work = decided(store, flow)
    work.close("Klaar", date(2030, 1, 1), today=CLOSED_ON)
    assert work.case.retain_until == date(2030, 1, 1)


def test_a_shorter_term_needs_a_reason_and_records_it(store: CaseStore, flow: Flow) -> None:
    work = decided(store, flow)
    shorter = date(2024, 1, 1)
    with pytest.raises(InvalidValueError, match="needs a reason"):
        work.close("Klaar", shorter, shorter_reason="  ", today=CLOSED_ON)
    assert work.status is Status.HULP and work.case.retain_until is None
    assert json.loads(store.path_of(work.case_id).read_bytes())["status"] == "hulp"

    work.close("Klaar", shorter, shorter_reason="Verhuisd naar het buitenland", today=CLOSED_ON)
    assert work.status is Status.GESLOTEN and work.case.retain_until == shorter
    shorten, close = work.case.events[-2:]
    assert (shorten.action, shorten.detail, shorten.note) == (
        SHORTEN_RETENTION,
        "2024-01-01",
        "Verhuisd naar het buitenland",
    )
    assert (shorten.by, close.by) == (ZORG, ZORG)
    assert (close.action, close.detail, close.note) == ("close", "2024-01-01", "Klaar")


def test_a_keep_until_date_before_the_day_of_closing_is_refused(
    store: CaseStore, flow: Flow
) -> None:
    work = decided(store, flow)
    with pytest.raises(InvalidValueError, match="before the day"):
        work.close("Klaar", date(2023, 5, 31), shorter_reason="reden", today=CLOSED_ON)
    assert work.status is not Status.GESLOTEN


def test_a_reopen_clears_the_date_and_the_next_close_sets_a_new_one(
    store: CaseStore, flow: Flow, registry: FlowRegistry
) -> None:
    case_id = closed_case(store, flow)
    work = CaseWork.open(store, registry, case_id, ZORG)
    work.reopen("Nieuwe signalen")
    assert work.case.retain_until is None
    assert json.loads(store.path_of(case_id).read_bytes())["retain_until"] is None
    work.close("Weer klaar", today=date(2026, 1, 5))
    assert work.case.retain_until == date(2028, 1, 5)


# --- expiry -------------------------------------------------------------------------------------


def test_expired_means_closed_with_a_date_before_today() -> None:
    assert retention.is_expired("gesloten", "2026-03-09", TODAY)
    assert not retention.is_expired("gesloten", "2026-03-10", TODAY)
    assert not retention.is_expired("gesloten", None, TODAY)
    assert not retention.is_expired("heropend", "2020-01-01", TODAY)
    assert not retention.is_expired("gesloten", "geen datum", TODAY)


def test_standing_of_open_kept_expired(store: CaseStore, flow: Flow) -> None:
    open_work = decided(store, flow, "Pseudoniem Open")
    assert retention.standing_of(open_work.case, TODAY) is Standing.OPEN
    expired = store.load(closed_case(store, flow, on=date(2023, 6, 1)))
    kept = store.load(closed_case(store, flow, on=date(2025, 6, 1)))
    assert retention.standing_of(expired, TODAY) is Standing.EXPIRED
    assert retention.standing_of(kept, TODAY) is Standing.KEPT


# --- a case file of format 1 --------------------------------------------------------------------


def format_1(store: CaseStore, case_id: str) -> bytes:
    """Rewrite a case file as format 1 wrote it: no retain_until, and close events without a
    date."""
    path = store.path_of(case_id)
    raw = json.loads(path.read_bytes())
    raw["schema_version"] = 1
    del raw["retain_until"]
    for event in raw["events"]:
        if event["action"] == "close":
            event["detail"] = ""
    data = json.dumps(raw).encode()
    path.write_bytes(data)
    return data


def test_a_closed_format_1_case_opens_without_a_date_made_up(
    store: CaseStore, flow: Flow, registry: FlowRegistry
) -> None:
    case_id = closed_case(store, flow)
    data = format_1(store, case_id)
    case = store.load(case_id)
    assert case.schema_version == migrate.SCHEMA_VERSION == 2
    assert case.status is Status.GESLOTEN and case.retain_until is None
    assert retention.standing_of(case, TODAY) is Standing.NO_TERM
    assert store.path_of(case_id).read_bytes() == data  # read, not rewritten
    summary = next(c for c in list_cases(store.root).cases if c.id == case_id)
    assert summary.retain_until is None and summary.status == "gesloten"
    work = CaseWork.open(store, registry, case_id, ZORG)
    work.reopen("Nieuwe signalen")
    work.close("Klaar", today=TODAY)
    raw = json.loads(store.path_of(case_id).read_bytes())
    assert raw["schema_version"] == 2 and raw["retain_until"] == "2028-03-10"


def test_the_format_1_migration_itself() -> None:
    assert migrate.migrate({"schema_version": 1, "id": "x"}, "x.json") == {
        "schema_version": 2,
        "id": "x",
        "retain_until": None,
    }


# --- destroying ---------------------------------------------------------------------------------


def age(path: Path, seconds: float = 3600) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def plant_remnants(store: CaseStore, case_id: str, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """What crashes and failed saves leave of a case: a stale save guard and takeover guard, temp
    files of the case file and of its lock (holding case text), a rescue copy; and its row in the
    index."""
    root = store.root
    with monkeypatch.context() as patch:
        patch.setattr(index_module, "RACY_NS", -(10**12))  # every file counts as settled
        list_cases(root)
    assert PUPIL in (root / INDEX_NAME).read_text(encoding="utf-8")
    case_bytes = store.path_of(case_id).read_bytes()
    planted = [
        root / f"{case_id}.json.saving",
        root / f"{case_id}.lock.takeover",
        root / f".{case_id}.json.otherhost.4242.0badc0de.tmp",
        root / f".{case_id}.lock.{host_tag()}.4243.0badc0df.tmp",
        root / RESCUE_FOLDER / rescue_name(case_id, datetime(2026, 1, 2, 3, 4, 5)),
    ]
    (root / RESCUE_FOLDER).mkdir(mode=0o700, exist_ok=True)
    for path in planted:
        path.write_bytes(case_bytes if path.suffix in (".tmp", ".json") else b"")
    for path in planted[:2]:
        age(path)
    return planted


def every_file(root: Path) -> list[Path]:
    return [Path(folder) / name for folder, _, names in os.walk(root) for name in names]


def holds_case_text(path: Path) -> list[str]:
    data = path.read_bytes()
    forms = {text: (text.encode(), json.dumps(text).strip('"').encode()) for text in CASE_TEXTS}
    return [text for text, encoded in forms.items() if any(e in data for e in encoded)]


def test_destroying_an_expired_case_leaves_no_trace_of_it_but_the_log_line(
    store: CaseStore, flow: Flow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = closed_case(store, flow)
    other = closed_case(store, flow, pupil="Pseudoniem Blijft", texts=OTHER_TEXTS)
    elsewhere = tmp_path / "config"
    elsewhere.mkdir()
    (elsewhere / rescue_name(case_id, datetime(2026, 1, 2))).write_bytes(b"kopie")
    planted = plant_remnants(store, case_id, monkeypatch)

    done = retention.destroy(store, case_id, ZORG, today=TODAY, rescue_in=[elsewhere])

    assert done.files >= len(planted)  # a stale guard may already go while the lock is taken
    assert not store.path_of(case_id).exists() and not (store.root / f"{case_id}.lock").exists()
    assert not any(path.exists() for path in planted)
    assert list(elsewhere.iterdir()) == []
    remaining = every_file(store.root)
    assert remaining, "the other case and the log stay"
    for path in remaining:
        assert holds_case_text(path) == [], path.name
        assert case_id not in path.name
    assert store.load(other).pupil == "Pseudoniem Blijft"
    assert [c.id for c in list_cases(store.root).cases] == [other]

    log = store.root / DESTROY_LOG
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert holds_case_text(log) == []
    entry = json.loads(lines[0])
    assert entry["id"] == case_id
    assert entry["status"] == "gesloten" and entry["retain_until"] == "2025-06-01"
    assert entry["by"] == {"name": ZORG.name, "role": ZORG.role}
    assert datetime.fromisoformat(entry["created"]) <= datetime.fromisoformat(entry["closed"])
    assert datetime.fromisoformat(entry["destroyed"]) <= datetime.now(UTC)
    assert set(entry) == {"id", "created", "closed", "retain_until", "destroyed", "by", "status"}


def test_a_second_destruction_adds_a_line(store: CaseStore, flow: Flow) -> None:
    first = closed_case(store, flow)
    second = closed_case(store, flow, pupil="Pseudoniem Tweede")
    retention.destroy(store, first, ZORG, today=TODAY, rescue_in=[])
    retention.destroy(store, second, ZORG, today=TODAY, rescue_in=[])
    lines = (store.root / DESTROY_LOG).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [first, second]


def test_only_the_zorgcoordinator_destroys(store: CaseStore, flow: Flow) -> None:
    case_id = closed_case(store, flow)
    with pytest.raises(DestroyRefused, match="only the zorgcoördinator") as refused:
        retention.destroy(store, case_id, MENTOR, today=TODAY, rescue_in=[])
    assert refused.value.standing is None
    assert store.exists(case_id) and not (store.root / DESTROY_LOG).exists()
    assert retention.may_destroy("Zorgcoordinator") and retention.may_destroy("zorg-coördinator")
    assert not retention.may_destroy("mentor") and not retention.may_destroy("")


def test_a_case_within_its_term_needs_force(store: CaseStore, flow: Flow) -> None:
    case_id = closed_case(store, flow, on=date(2025, 6, 1))
    with pytest.raises(DestroyRefused, match="kept until 2027-06-01") as refused:
        retention.destroy(store, case_id, ZORG, today=TODAY, rescue_in=[])
    assert refused.value.standing is Standing.KEPT
    assert store.exists(case_id) and not (store.root / DESTROY_LOG).exists()
    retention.destroy(store, case_id, ZORG, force=True, today=TODAY, rescue_in=[])
    assert not store.exists(case_id)


def test_an_open_case_needs_force_and_a_reason_which_is_logged(
    store: CaseStore, flow: Flow
) -> None:
    work = decided(store, flow)
    work.release()
    for force, reason in ((False, "Per vergissing aangemaakt"), (True, ""), (True, "  ")):
        with pytest.raises(DestroyRefused, match="--force and --reason"):
            retention.destroy(
                store, work.case_id, ZORG, force=force, reason=reason, today=TODAY, rescue_in=[]
            )
        assert store.exists(work.case_id)
    retention.destroy(
        store,
        work.case_id,
        ZORG,
        force=True,
        reason="Per vergissing aangemaakt",
        today=TODAY,
        rescue_in=[],
    )
    entry = json.loads((store.root / DESTROY_LOG).read_text(encoding="utf-8"))
    assert entry["status"] == "hulp" and entry["closed"] is None
    assert entry["reason"] == "Per vergissing aangemaakt"
    assert holds_case_text(store.root / DESTROY_LOG) == []


def test_a_case_open_elsewhere_is_not_destroyed(store: CaseStore, flow: Flow) -> None:
    case_id = closed_case(store, flow)
    before = store.path_of(case_id).read_bytes()
    with store.open(case_id, MENTOR) as editing:
        assert not editing.read_only
        with pytest.raises(CaseInUseError, match="open for editing by Mentor Bakker"):
            retention.destroy(store, case_id, ZORG, today=TODAY, rescue_in=[])
        assert store.path_of(case_id).read_bytes() == before
        assert store.lock_holder(case_id) is not None
    assert not (store.root / DESTROY_LOG).exists()


def test_a_missing_case_is_not_found(store: CaseStore) -> None:
    with pytest.raises(CaseNotFound):
        retention.destroy(store, "20260101-nietsx", ZORG, today=TODAY, rescue_in=[])


def test_a_stale_lock_of_a_crashed_editor_does_not_stop_destruction(
    store: CaseStore, flow: Flow
) -> None:
    case_id = closed_case(store, flow)
    lock = store.root / f"{case_id}.lock"
    lock.write_text(
        json.dumps(
            {
                "user": "Weg",
                "host": hostname(),
                "pid": 2**22 + 7,
                "time": "2026-01-01T00:00:00+00:00",
            }
        )
    )
    retention.destroy(store, case_id, ZORG, today=TODAY, rescue_in=[])
    assert not lock.exists() and not store.exists(case_id)
