"""Keys in order: text typed just before F8 (a burst, as over a slow remote session) belongs to
the field it was typed in, and never becomes an answer to the next question."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import CaseWriter
from driver import (
    SIZE,
    answer,
    app_of,
    current_question,
    field,
    new_case,
    read_case,
    ready,
    step_screen,
)
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from meldcode_tui.casework.work import CaseWork
from meldcode_tui.tui.app import make_app

BURST = "Zorgen om blauwe plekken en stil gedrag"


def burst(pilot: Pilot[Any], text: str, *then: str) -> None:
    """Send every key at once, without waiting between them, as a slow link delivers them."""
    app = pilot.app
    for char in text:
        key = "space" if char == " " else char
        app.post_message(events.Key(key, char))
    for key in then:
        app.post_message(events.Key(key, None))


async def idle(pilot: Pilot[Any]) -> None:
    for _ in range(6):
        await pilot.pause()


async def test_a_burst_of_text_and_f8_in_the_weighing(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot)
        app_of(pilot).show_step("afweging")
        await idle(pilot)
        await answer(pilot, "ja")
        view = app_of(pilot).screen.query_one(".question-justification", TextArea)
        view.focus()
        await pilot.pause()
        burst(pilot, BURST, "f8")
        await idle(pilot)
        on_disk = read_case(data_dir)
        assert on_disk["answers"]["vermoeden"]["justification"] == BURST
        assert set(on_disk["answers"]) == {"vermoeden"}
        assert current_question(pilot) == "veiligheid"


async def test_a_burst_of_text_and_f8_in_a_step_form(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot)
        app_of(pilot).show_step("gesprek")
        await idle(pilot)
        notes = field(pilot, "besproken").query_one(TextArea)
        notes.focus()
        await pilot.pause()
        burst(pilot, BURST, "f8")
        await idle(pilot)
        on_disk = read_case(data_dir)
        assert on_disk["steps"]["gesprek"]["values"]["besproken"] == BURST
        assert on_disk["answers"] == {}
        assert on_disk["position"]["step"] == "afweging"


async def test_a_burst_with_tab_fills_each_field_in_turn(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.query_one("#pupil", Input).focus()
        await pilot.pause()
        burst(pilot, "Leerling-T7", "tab")
        burst(pilot, "4C")
        await idle(pilot)
        assert app.screen.query_one("#pupil", Input).value == "Leerling-T7"
        assert app.screen.query_one("#group", Input).value == "4C"


async def test_a_burst_through_a_dialog_keeps_every_key(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.action_change_actor()
        await pilot.pause()
        burst(pilot, "Zorgcoördinator Smit", "tab")
        burst(pilot, "", *["down"] * 5, "enter")  # choosing in the role list confirms
        burst(pilot, "x")  # after the dialog closed: not in the dialog's fields
        await idle(pilot)
        assert (app.prefs.name, app.prefs.role) == ("Zorgcoördinator Smit", "Zorgcoördinator")


async def test_a_case_opens_in_a_worker_thread(
    data_dir: Path, write_case: CaseWriter, known_user: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_case(position=("gesprek", ""))
    threads: list[bool] = []
    real_open = CaseWork.open

    def slow_open(*args: Any, **kwargs: Any) -> CaseWork:
        threads.append(threading.current_thread() is not threading.main_thread())
        time.sleep(0.3)  # a slow network share
        return real_open(*args, **kwargs)

    monkeypatch.setattr(CaseWork, "open", slow_open)
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.query_one("#case-table", DataTable).focus()
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        for _ in range(20):
            await pilot.pause(0.05)
            if app.work is not None:
                break
        await idle(pilot)
        assert threads == [True]
        assert step_screen(pilot).step.id == "gesprek"


async def test_a_burst_of_text_and_ctrl_q_saves_the_whole_text(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot)
        app_of(pilot).show_step("gesprek")
        await idle(pilot)
        field(pilot, "besproken").query_one(TextArea).focus()
        await pilot.pause()
        burst(pilot, BURST, "ctrl+q")
        await idle(pilot)
    on_disk = read_case(data_dir)
    assert on_disk["steps"]["gesprek"]["values"]["besproken"] == BURST
