"""Fixtures of the app tests: a private data, config and cache folder per test, and fixture case
files with fixed ids and times, so that nothing depends on the machine, the user or the clock."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from casefolder import amsterdam_time, write_cases

from meldcode_tui.case.codec import dump_case
from meldcode_tui.case.model import Actor, Answer, Case, Decision, FlowRef, Position, StepRecord
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

FIXTURE_TIME = datetime(2026, 3, 2, 9, 30, 0, tzinfo=UTC)
MENTOR = Actor(name="Mentor Jansen", role="mentor")


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MELDCODE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("MELDCODE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MELDCODE_LOG_DIR", str(tmp_path / "log"))
    monkeypatch.delenv("MELDCODE_DATA_DIR", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "zaken"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def case_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder of fixture cases written through the store (see casefolder.write_cases)."""
    with amsterdam_time():
        write_cases(tmp_path / "zaken", monkeypatch)
        yield tmp_path / "zaken"


@pytest.fixture
def known_user(tmp_path: Path) -> None:
    """The user's name and role are remembered from an earlier run."""
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "prefs.json").write_text(json.dumps({"name": "Mentor Jansen", "role": "mentor"}))


CaseWriter = Callable[..., str]


@pytest.fixture
def write_case(data_dir: Path) -> CaseWriter:
    """Write a fixture case file with a fixed id and fixed times; returns its id."""
    flow = load_flow(default_flow_path())
    ref = FlowRef(id=flow.id, version=flow.version, content_hash=flow.content_hash)

    def write(
        case_id: str = "20260302-vos001",
        pupil: str = "Pseudoniem Vos",
        group: str = "3A",
        steps: dict[str, dict[str, Any]] | None = None,
        answers: dict[str, str] | None = None,
        decisions: dict[str, dict[str, Any]] | None = None,
        position: tuple[str, str] = ("", ""),
        **extra: Any,
    ) -> str:
        case = Case(
            id=case_id,
            flow=ref,
            pupil=pupil,
            group=group,
            created_by=MENTOR,
            created_at=FIXTURE_TIME,
            updated_at=FIXTURE_TIME,
            steps={
                sid: StepRecord(values=values, updated_by=MENTOR, updated_at=FIXTURE_TIME)
                for sid, values in (steps or {}).items()
            },
            answers={
                qid: Answer(value=value, by=MENTOR, at=FIXTURE_TIME)
                for qid, value in (answers or {}).items()
            },
            decisions={
                key: Decision(**value, by=MENTOR, at=FIXTURE_TIME)
                for key, value in (decisions or {}).items()
            },
            position=Position(step=position[0], focus=position[1]),
            **extra,
        )
        (data_dir / f"{case_id}.json").write_bytes(dump_case(case))
        return case_id

    return write


STEP_1 = {
    "vermoeden_medewerker": "nee",
    "andere_kinderen": "nee",
    "signalen": [
        {
            "datum": "2026-02-23",
            "feiten": "Blauwe plek op de arm, zegt gevallen te zijn.",
            "waarnemer": "Mentor",
            "bron": "eigen_waarneming",
            "interpretatie": "",
            "categorie": "lichamelijk",
        }
    ],
}
STEP_2 = {
    "geconsulteerd": [{"naam": "OT-medewerker", "functie": "ot_medewerker", "datum": "2026-02-24"}],
    "vt_geraadpleegd": "nee",
    "jeugdagent": "nee",
}
STEP_3 = {
    "gesprek_gevoerd": "ja",
    "gesprekken": [
        {
            "datum": "2026-02-26",
            "door": "Mentor",
            "tweede_medewerker": "OT",
            "met_wie": "ouders",
        }
    ],
    "besproken": "De signalen zijn besproken met de ouders.",
}
