"""The listing's fast read (`case.header`): the same row as the validated case, or "unsure" (then
the listing validates in full); a file damaged deep inside lists, and fails when opened."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from meldcode_tui.case.codec import parse_case
from meldcode_tui.case.errors import InvalidCaseError
from meldcode_tui.case.header import CASE_KEYS, STATUSES, summary_row
from meldcode_tui.case.index import _row, list_cases, summary_fields
from meldcode_tui.case.migrate import SCHEMA_VERSION
from meldcode_tui.case.model import Actor, Case, FlowRef, Status
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

MENTOR = Actor(name="Mentor Bakker", role="mentor")
OTHER = Actor(name="Teamleider De Wit", role="teamleider")


@pytest.fixture(scope="module")
def ref() -> FlowRef:
    return FlowRef.of(load_flow(default_flow_path()))


@pytest.fixture
def worked(tmp_path: Path, ref: FlowRef) -> tuple[CaseStore, str]:
    """A case with answers, values, a decision, aftercare and events by two people."""
    store = CaseStore(tmp_path / "zaken")
    case = store.create(ref, "Leerling-042", MENTOR, group="3B")
    with store.open(case.id, MENTOR) as session:
        session.set_value("signalen", "signalen", [{"datum": "2026-02-23", "feiten": "Fictief."}])
        session.set_answer("vermoeden", "ja", justification="Fictief.")
        session.set_aftercare("evaluatie", due="2026-03-05", who="De Boer")
        session.set_aftercare("informatie", due="2026-02-01", status="gedaan")
    with store.open(case.id, OTHER) as session:
        session.set_decision("melden", True, reason="Fictief.")
        session.set_position("besluiten")
    return store, case.id


def _full_row(data: bytes, case_id: str) -> list[Any]:
    return _row(summary_fields(parse_case(data, f"{case_id}.json", case_id)))


def test_the_keys_and_statuses_are_the_models() -> None:
    assert set(Case.model_fields) == CASE_KEYS
    assert {status.value for status in Status} == STATUSES


def test_a_worked_case_reads_as_the_validated_case_does(worked: tuple[CaseStore, str]) -> None:
    store, case_id = worked
    data = store.path_of(case_id).read_bytes()
    row = summary_row(data, case_id)
    assert row is not None
    assert row == _full_row(data, case_id)
    assert row[5] == OTHER.name and row[6] == "2026-03-05"


def _changed(data: bytes, change: Any) -> bytes:
    raw = json.loads(data)
    change(raw)
    return json.dumps(raw).encode()


@pytest.mark.parametrize(
    "change",
    [
        lambda raw: raw.update(pupil=""),
        lambda raw: raw.update(status="weg"),
        lambda raw: raw.update(extra=1),
        lambda raw: raw.update(schema_version=0),
        lambda raw: raw.update(schema_version=SCHEMA_VERSION + 1),
        lambda raw: raw.update(retain_until="morgen"),
        lambda raw: raw["events"][0].update(by={"name": ""}),
        lambda raw: raw.update(id="20260101-other1"),
        lambda raw: raw.update(updated_at="2026-03-02"),
        lambda raw: raw.update(updated_at=1772443800),
        lambda raw: raw["created_by"].update(name=3),
        lambda raw: raw["events"][-1].pop("by"),
        lambda raw: raw["aftercare"][0].update(due="5 maart"),
        lambda raw: raw.update(revision=-1),
    ],
)
def test_a_header_it_cannot_vouch_for_is_left_to_full_validation(
    worked: tuple[CaseStore, str], change: Any
) -> None:
    store, case_id = worked
    assert summary_row(_changed(store.path_of(case_id).read_bytes(), change), case_id) is None


@pytest.mark.parametrize("data", [b"{", b"[]", b'"case"', b"{" * 100_000, b"1" * 5000])
def test_bad_json_is_left_to_full_validation(data: bytes) -> None:
    assert summary_row(data, "20260302-vos001") is None


def test_bad_headers_are_still_listed_as_errors(worked: tuple[CaseStore, str]) -> None:
    store, case_id = worked
    data = store.path_of(case_id).read_bytes()
    (store.root / "20260101-newer1.json").write_bytes(
        _changed(data, lambda raw: raw.update(id="20260101-newer1", schema_version=9))
    )
    (store.root / "20260101-empty1.json").write_bytes(
        _changed(data, lambda raw: raw.update(id="20260101-empty1", pupil=""))
    )
    (store.root / "20260101-broke1.json").write_bytes(data[:50])
    listing = list_cases(store.root)
    assert [c.id for c in listing.cases] == [case_id]
    reasons = {e.file: e.reason for e in listing.errors}
    assert "newer version" in reasons["20260101-newer1.json"]
    assert "pupil" in reasons["20260101-empty1.json"]
    assert reasons["20260101-broke1.json"]


def test_a_file_damaged_deep_inside_lists_and_says_so_when_opened(
    worked: tuple[CaseStore, str],
) -> None:
    store, case_id = worked
    path = store.path_of(case_id)
    path.write_bytes(
        _changed(path.read_bytes(), lambda raw: raw["answers"]["vermoeden"].update(value=7))
    )
    assert [c.id for c in list_cases(store.root).cases] == [case_id]
    with pytest.raises(InvalidCaseError, match="does not match the case format"):
        store.load(case_id)


def test_listing_well_formed_files_imports_no_pydantic(worked: tuple[CaseStore, str]) -> None:
    store, _ = worked
    code = (
        "import sys\nfrom pathlib import Path\nfrom meldcode_tui.case.index import list_cases\n"
        f"listing = list_cases(Path({str(store.root)!r}), use_index=False)\n"
        "assert len(listing.cases) == 1 and not listing.errors\n"
        "assert 'pydantic' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_bewaren_tot_date_and_every_editor_read_as_the_validated_case_does(
    worked: tuple[CaseStore, str],
) -> None:
    store, case_id = worked
    raw = json.loads(store.path_of(case_id).read_bytes())
    raw["retain_until"] = "2028-12-04"
    data = json.dumps(raw).encode()
    row = summary_row(data, case_id)
    assert row is not None and row == _full_row(data, case_id)
    assert row[9] == "2028-12-04"
    assert row[10] == f"{MENTOR.name}\n{OTHER.name}"
