"""The app among hostile files: it finishes loading and lists the good cases, refuses a data folder
open to everyone with the fix in Dutch, and offers to take over a lock it cannot check, showing
who, where and when. Only fictitious people."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import STEP_1, CaseWriter
from driver import SIZE, ready
from textual.widgets import DataTable

from meldcode_tui.case.index import INDEX_NAME
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.screens.home import HomeScreen
from meldcode_tui.tui.screens.review_dialogs import ConfirmDialog
from meldcode_tui.tui.screens.step import StepScreen

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and modes are POSIX")


def table_ids(app: object) -> list[str]:
    table = app.screen.query_one("#case-table", DataTable)  # type: ignore[attr-defined]
    return sorted(str(row.value) for row in table.rows)


@needs_posix
async def test_the_app_loads_past_fifos_huge_numbers_and_bad_locks(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    good = write_case()
    (data_dir / "20260101-bad001.json").write_text('{"schema_version": ' + "7" * 5000 + "}")
    (data_dir / "20260101-bad002.json").write_text("[" * 100_000)
    os.mkfifo(data_dir / "20260101-bad003.json")
    os.mkfifo(data_dir / INDEX_NAME)
    (data_dir / f"{good}.lock").write_text("[" * 50_000 + "]" * 50_000)
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.startup_error is None
        assert isinstance(app.screen, HomeScreen)
        assert table_ids(app) == [good]


@needs_posix
async def test_an_open_data_folder_stops_with_the_fix_in_dutch(data_dir: Path) -> None:
    os.chmod(data_dir, 0o777)
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_until_loaded()
        await pilot.pause()
    assert app.return_code == 1
    assert app.startup_error is not None
    assert "open voor alle gebruikers" in app.startup_error
    assert f"chmod 700 {data_dir}" in app.startup_error


def foreign_lock(path: Path, *, days: int = 0) -> None:
    when = (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)
    path.write_text(
        json.dumps(
            {
                "user": "Teamleider Fictief",
                "host": "andere-laptop",
                "pid": 4242,
                "time": when.isoformat(),
                "token": "feedfeedfeedfeed",
            }
        )
    )


@pytest.mark.parametrize("days", [0, 3])
async def test_a_lock_from_another_computer_can_be_taken_over_after_confirming(
    data_dir: Path, write_case: CaseWriter, known_user: None, days: int
) -> None:
    case_id = write_case(steps={"signalen": STEP_1}, position=("signalen", ""))
    lock = data_dir / f"{case_id}.lock"
    foreign_lock(lock, days=days)
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = app.screen.text
        assert "Teamleider Fictief" in text and "andere-laptop" in text
        if days:
            assert "toekomst" in text
        assert app.work is not None and app.work.read_only
        await pilot.click("#choice-ok")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert app.work is not None and not app.work.read_only
        take = app.work.case.events[-1]
        assert (take.action, take.detail, take.target) == (
            "take_over",
            "Teamleider Fictief",
            "andere-laptop",
        )
        assert take.by.name == "Mentor Jansen"
        assert json.loads(lock.read_text())["user"] == "Mentor Jansen"


async def test_cancelling_the_takeover_leaves_the_lock_and_the_case_read_only(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(steps={"signalen": STEP_1}, position=("signalen", ""))
    lock = data_dir / f"{case_id}.lock"
    foreign_lock(lock)
    before = lock.read_bytes()
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert app.work is not None and app.work.read_only
    assert lock.read_bytes() == before
