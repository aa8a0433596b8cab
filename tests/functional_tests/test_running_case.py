"""Starting a case for a pupil who already has one that is not closed: the app offers the running
case first, since a second case would split the pupil's dossier; a closed case does not count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import CaseWriter
from driver import SIZE, case_ids, ready
from textual.pilot import Pilot
from textual.widgets import Input, Static

from meldcode_tui.case.model import Status
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.screens.review_dialogs import ChoiceDialog
from meldcode_tui.tui.screens.step import StepScreen

RUNNING = "20260302-vos001"
CLOSED = "20260301-uil001"


async def _start_for(pilot: Pilot[Any], pupil: str) -> None:
    pilot.app.screen.query_one("#pupil", Input).value = pupil
    await pilot.click("#create")
    await pilot.pause()


async def _settled(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_running_case_is_offered_and_opened(
    data_dir: Path, known_user: None, write_case: CaseWriter
) -> None:
    write_case(case_id=RUNNING, pupil="Pseudoniem Vos", position=("gesprek", ""))
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _start_for(pilot, "  pseudoniem   VOS ")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        text = str(dialog.query_one(".dialog-text", Static).content)
        assert "loopt al een zaak" in text and f"Zaak {RUNNING}: 3 Gesprek" in text
        await pilot.press("enter")  # "Lopende zaak openen" has the focus
        await _settled(pilot)
        assert isinstance(app.screen, StepScreen)
        assert app.work is not None and app.work.case.id == RUNNING
    assert case_ids(data_dir) == [RUNNING]


async def test_a_new_case_anyway(data_dir: Path, known_user: None, write_case: CaseWriter) -> None:
    write_case(case_id=RUNNING, pupil="Pseudoniem Vos")
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _start_for(pilot, "Pseudoniem Vos")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-new")
        await _settled(pilot)
        assert isinstance(app.screen, StepScreen)
        assert app.work is not None and app.work.case.id != RUNNING
    assert len(case_ids(data_dir)) == 2


async def test_a_closed_case_does_not_count(
    data_dir: Path, known_user: None, write_case: CaseWriter
) -> None:
    write_case(case_id=CLOSED, pupil="Pseudoniem Uil", status=Status.GESLOTEN)
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _start_for(pilot, "Pseudoniem Uil")
        await _settled(pilot)
        assert isinstance(app.screen, StepScreen)
        assert app.work is not None and app.work.case.id != CLOSED
    assert len(case_ids(data_dir)) == 2


async def test_enter_goes_to_the_next_empty_field_then_starts_the_case(
    data_dir: Path, known_user: None
) -> None:
    """With name and role remembered, a mentor types: pupil ⏎ group ⏎ — and is in step 1."""
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        home = app.screen
        await pilot.press(*"Leerling-042", "enter")
        assert home.focused is home.query_one("#group", Input)
        await pilot.press(*"5B", "enter")
        await _settled(pilot)
        assert isinstance(app.screen, StepScreen)
        assert app.work is not None
        assert (app.work.case.pupil, app.work.case.group) == ("Leerling-042", "5B")
