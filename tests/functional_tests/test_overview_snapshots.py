"""Snapshots at 80×24 (and the overview at 120×40) of the case overview and the review screen,
on the fixture data folder (fixed ids, times, time zone and "today")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from casefolder import (
    FLOW,
    MEREL,
    SIZE,
    TODAY,
    ScreenHost,
    settle,
)
from textual.pilot import Pilot

from meldcode_tui.case.store import CaseStore
from meldcode_tui.tui.screens.overview import OverviewScreen


async def settled(pilot: Pilot[Any]) -> None:
    await settle(pilot)


def test_overview(case_folder: Path, snap_compare: Any) -> None:
    app = ScreenHost(
        case_folder, lambda app: OverviewScreen(CaseStore(case_folder), FLOW, today=TODAY)
    )
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


def test_overview_at_120_columns(case_folder: Path, snap_compare: Any) -> None:
    app = ScreenHost(
        case_folder, lambda app: OverviewScreen(CaseStore(case_folder), FLOW, today=TODAY)
    )
    assert snap_compare(app, terminal_size=(120, 40), run_before=settled)


def test_review_summary(case_folder: Path, snap_compare: Any) -> None:
    app = ScreenHost(case_folder, lambda app: app.review(MEREL))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


def test_review_timeline(case_folder: Path, snap_compare: Any) -> None:
    app = ScreenHost(case_folder, lambda app: app.review(MEREL))
    assert snap_compare(app, terminal_size=SIZE, press=["t"], run_before=settled)
