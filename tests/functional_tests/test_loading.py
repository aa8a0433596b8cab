"""While the app loads: the list of cases shows before the flow is loaded, and keys typed while a
screen opens are not lost."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import CaseWriter
from driver import SIZE
from textual.widgets import DataTable

from meldcode_tui.flow import validate
from meldcode_tui.flow.cache import store_steps
from meldcode_tui.flow.model import Flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.app import make_app


def _cells(table: DataTable[object]) -> list[str]:
    return [str(cell) for cell in table.get_row_at(0)]


async def test_the_list_shows_before_the_flow_is_loaded(
    data_dir: Path, write_case: CaseWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_case(position=("gesprek", ""))
    store_steps(validate.load_flow(default_flow_path()))  # as an earlier start left it
    release = threading.Event()
    real_load = validate.load_flow

    def slow_load(path: Path) -> Flow:
        release.wait(5)
        return real_load(path)

    monkeypatch.setattr(validate, "load_flow", slow_load)
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#case-table", DataTable)
        assert app.flow is None
        assert table.row_count == 1
        early = _cells(table)
        assert early[:3] == ["Pseudoniem Vos", "3A", "3 Gesprek"]
        release.set()
        await app.wait_until_loaded()
        await pilot.pause()
        assert app.flow is not None
        assert _cells(table) == early


async def test_without_the_steps_known_the_list_waits_for_the_flow(
    data_dir: Path, write_case: CaseWriter, tmp_path: Path
) -> None:
    write_case(position=("gesprek", ""))
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_until_loaded()
        await pilot.pause()
        table = app.screen.query_one("#case-table", DataTable)
        assert _cells(table)[:3] == ["Pseudoniem Vos", "3A", "3 Gesprek"]
    assert list((tmp_path / "cache").glob("steps-*.json"))
