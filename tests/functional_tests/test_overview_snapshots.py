"""Snapshots at 80×24 of the case overview and the review screen, on the fixture data folder
(fixed ids, times, time zone and "today")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from casefolder import (
    FLOW,
    MEREL,
    SIZE,
    TODAY,
    ZORG,
    ScreenHost,
    amsterdam_time,
    settle,
    write_cases,
)
from textual.pilot import Pilot

from meldcode_tui.case.store import CaseStore
from meldcode_tui.tui.screens.overview import OverviewScreen
from meldcode_tui.tui.screens.review import ReviewScreen


@pytest.fixture
def case_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    with amsterdam_time():
        write_cases(tmp_path / "zaken", monkeypatch)
        yield tmp_path / "zaken"


async def settled(pilot: Pilot[Any]) -> None:
    await settle(pilot)


def test_overview(case_folder: Path, snap_compare: Any) -> None:
    app = ScreenHost(lambda: OverviewScreen(CaseStore(case_folder), FLOW, ZORG, today=TODAY))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


def test_review_summary(case_folder: Path, snap_compare: Any) -> None:
    app = ScreenHost(lambda: ReviewScreen(CaseStore(case_folder), FLOW, MEREL, ZORG, today=TODAY))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


def test_review_timeline(case_folder: Path, snap_compare: Any) -> None:
    app = ScreenHost(lambda: ReviewScreen(CaseStore(case_folder), FLOW, MEREL, ZORG, today=TODAY))
    assert snap_compare(app, terminal_size=SIZE, press=["t"], run_before=settled)
