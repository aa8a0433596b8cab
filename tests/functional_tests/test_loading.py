"""While the app loads: the list of cases shows before the flow is loaded, and keys typed while a
screen opens are not lost."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from casefolder import MEREL
from conftest import CaseWriter
from driver import SIZE, field, read_case, ready
from test_keys_in_order import burst, idle
from textual import events
from textual.widgets import DataTable, Input, TabbedContent, TextArea

from meldcode_tui.casework.work import CaseWork
from meldcode_tui.flow import validate
from meldcode_tui.flow.cache import store_steps
from meldcode_tui.flow.model import Flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.app import MeldcodeApp, make_app
from meldcode_tui.tui.screens.overview import OverviewScreen
from meldcode_tui.tui.screens.review import ReviewScreen
from meldcode_tui.tui.screens.step import StepScreen

TYPED = "Gesprek met moeder op dinsdag"


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


async def test_keys_typed_while_a_case_opens_reach_its_first_field(
    data_dir: Path, write_case: CaseWriter, known_user: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_case(steps={"gesprek": {"gesprek_gevoerd": "ja"}}, position=("gesprek", "besproken"))
    real_open = CaseWork.open

    def slow_open(*args: Any, **kwargs: Any) -> CaseWork:
        time.sleep(0.3)  # a slow network share
        return real_open(*args, **kwargs)

    monkeypatch.setattr(CaseWork, "open", slow_open)
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.query_one("#case-table", DataTable).focus()
        await pilot.pause()
        burst(pilot, "", "enter")
        burst(pilot, TYPED)
        for _ in range(40):
            await pilot.pause(0.05)
            if isinstance(app.screen, StepScreen) and app.work is not None:
                break
        await idle(pilot)
        notes = field(pilot, "besproken").query_one(TextArea)
        assert notes.text == TYPED
        assert app.screen.focused is notes
    assert read_case(data_dir)["steps"]["gesprek"]["values"]["besproken"] == TYPED


async def test_a_key_pressed_while_the_review_opens_is_kept(
    case_folder: Path, known_user: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = CaseWork.open

    def slow_open(*args: Any, **kwargs: Any) -> CaseWork:
        time.sleep(0.8)  # longer than the app's wait for a busy screen (tui/settle.py)
        return real_open(*args, **kwargs)

    app = make_app(data_dir=case_folder)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.action_overview()
        for _ in range(40):
            await pilot.pause(0.05)
            if isinstance(app.screen, OverviewScreen) and app.screen.loaded:
                break
        table = app.screen.query_one("#overview-table", DataTable)
        table.move_cursor(row=table.get_row_index(MEREL))
        await idle(pilot)
        monkeypatch.setattr(CaseWork, "open", slow_open)
        burst(pilot, "", "enter")
        burst(pilot, "t")
        for _ in range(40):
            await pilot.pause(0.05)
            if isinstance(app.screen, ReviewScreen):
                break
        await idle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one(TabbedContent).active == "review-timeline"


FIRST_SCREEN = """
import asyncio, json, sys
from meldcode_tui.tui.app import MeldcodeApp, make_app

app = make_app(data_dir=sys.argv[1])
first_frame = []
display = app._display

def spy(screen, update):
    if not first_frame:
        listed = app.home_screen is not None and app.home_screen.listing is not None
        heavy = sorted({"pydantic", "yaml"} & set(sys.modules))
        first_frame.append({"listed": listed, "heavy": heavy})
    display(screen, update)

async def first_screen(pilot):
    if sys.argv[2] == "loaded":
        await pilot.app.wait_until_loaded()
    for _ in range(500):
        if first_frame:
            break
        await asyncio.sleep(0.01)
    pilot.app.exit()

app._display = spy
app.run(headless=True, size=(80, 24), auto_pilot=first_screen)
print(json.dumps(first_frame[0]))
sys.exit(1 if app.startup_error else app.return_code or 0)
"""
"""Starts the app headless; prints whether its first frame held the list and which of the heavy
libraries (pydantic, YAML: the flow's full load) it had imported by then."""


def test_a_second_start_shows_the_list_it_read_before_the_screen_mounted(
    data_dir: Path, write_case: CaseWriter, tmp_path: Path
) -> None:
    """The second start finds the steps cached and the index written, so the list is read before
    the home screen's fields are mounted: that once ended the app with a crash report; and the
    role completion once imported the actor screen, and pydantic with it, before the first
    frame (a third slower start)."""
    write_case(position=("gesprek", ""))
    env = {
        **os.environ,
        "MELDCODE_CONFIG_DIR": str(tmp_path / "config"),
        "MELDCODE_CACHE_DIR": str(tmp_path / "cache"),
        "MELDCODE_LOG_DIR": str(tmp_path / "log"),
    }
    for start in ("loaded", "first screen", "first screen"):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_SCREEN, str(data_dir), start],
            env=env,
            capture_output=True,
            timeout=60,
        )
        assert (done.returncode, done.stderr) == (0, b""), start
        first_frame = json.loads(done.stdout)
    assert not (tmp_path / "log").exists()
    # Whether the list made the first frame depends on the machine's load (the first frame waits
    # 0.1 s for it); what must hold on any machine is that the first frame needed neither.
    assert first_frame["heavy"] == []


@pytest.mark.parametrize("flow_ok", [True, False])
async def test_the_collector_pauses_for_the_first_frame_only(
    data_dir: Path, write_case: CaseWriter, tmp_path: Path, flow_ok: bool
) -> None:
    """A real start (`run_async`) builds its first frame without garbage collection passes, and
    collects again once it is drawn, also when the start fails (a broken flow file)."""
    write_case(position=("gesprek", ""))
    broken = tmp_path / "broken.yaml"
    broken.write_text("steps: [", encoding="utf-8")
    app = make_app(data_dir=data_dir, flow_path=None if flow_ok else broken)
    collecting: list[bool] = []
    display = app._display

    def spy(screen: Any, update: Any) -> None:
        collecting.append(gc.isenabled())
        display(screen, update)

    async def loaded(pilot: Any) -> None:
        await app.wait_until_loaded()
        await pilot.pause()
        collecting.append(gc.isenabled())
        app.exit()

    app._display = spy  # type: ignore[method-assign]
    assert gc.isenabled()
    try:
        await app.run_async(headless=True, size=SIZE, auto_pilot=loaded)
        assert collecting[0] is False
        if flow_ok:
            assert collecting[-1] is True
        else:
            assert app.startup_error
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what was imported, kept out of later passes
    finally:
        gc.unfreeze()  # this test process runs other apps after this one


async def test_under_run_test_the_collector_is_left_alone(
    data_dir: Path, write_case: CaseWriter
) -> None:
    """One test process runs hundreds of apps: freezing what lives (the apps before this one
    included) and full passes on every opened case made the test run a third slower."""
    write_case(position=("gesprek", ""))
    gc.unfreeze()
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.settle_memory()
        assert gc.isenabled() and gc.get_freeze_count() == 0


def type_ahead(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """`text` typed before the app has mounted, as a terminal hands over keys typed while the
    program started; a line break is Enter typed before the terminal left line mode (Ctrl+J)."""
    real_mount = MeldcodeApp.on_mount

    def typed_ahead(app: MeldcodeApp) -> None:
        for char in text:
            key = {"-": "minus", "\n": "ctrl+j"}.get(char, char)
            app.post_message(events.Key(key, char if char != "\n" else None))
        real_mount(app)

    monkeypatch.setattr(MeldcodeApp, "on_mount", typed_ahead)


async def test_keys_typed_before_the_first_screen_is_ready_reach_the_pupil_field(
    data_dir: Path, write_case: CaseWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing ahead while the app starts (the terminal hands the keys over as soon as it is in
    raw mode, before the home screen has focused a field): the pupil's reference is kept, and
    Enter typed before the terminal left line mode (it arrives as a newline, Ctrl+J) still moves
    on to the next field instead of leaving the group in the pupil field."""
    write_case(position=("gesprek", ""))
    type_ahead(monkeypatch, "Leerling-C31\n3B")
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await idle(pilot)
        pupil = app.screen.query_one("#pupil", Input)
        group = app.screen.query_one("#group", Input)
        assert (pupil.value, group.value) == ("Leerling-C31", "3B")
        assert app.screen.focused is group


async def test_a_case_started_before_the_protocol_is_loaded_waits_for_it(
    data_dir: Path, known_user: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pupil ⏎ group ⏎ typed ahead on a slow laptop: the start waits for the protocol (it was
    refused with "Even geduld", and the keys typed after it landed in the group field)."""
    real_load = validate.load_flow

    def slow_load(path: Path) -> Flow:
        time.sleep(0.4)
        return real_load(path)

    monkeypatch.setattr(validate, "load_flow", slow_load)
    type_ahead(monkeypatch, "Leerling-C31\n3B\nnotitie")
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(60):
            await pilot.pause(0.05)
            if isinstance(app.screen, StepScreen) and app.work is not None:
                break
        await idle(pilot)
        assert isinstance(app.screen, StepScreen)
        assert app.work is not None
        assert (app.work.case.pupil, app.work.case.group) == ("Leerling-C31", "3B")
