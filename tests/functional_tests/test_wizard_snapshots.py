"""Snapshots of the app at 80×24: home, every step screen, the weighing's outcome, step 5 in both
themes, and the F1/F2 dialogs. Fixture cases with fixed ids and times, a fixed clock and time
zone, a private config folder: nothing on screen depends on the machine, the user or the day."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from casefolder import amsterdam_time
from conftest import STEP_1, STEP_2, STEP_3, CaseWriter
from driver import SIZE, fixed_clock, ready
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from meldcode_tui.case.model import AftercareItem
from meldcode_tui.tui.app import MeldcodeApp, make_app

RunBefore = Callable[[Pilot[Any]], Awaitable[None]]
CASE_ID = "20260302-vos001"
ANSWERS = {"vermoeden": "ja", "veiligheid": "nee", "hulp_aanbieden": "ja", "hulp_aanvaard": "nee"}


@pytest.fixture(autouse=True)
def amsterdam() -> Iterator[None]:
    with amsterdam_time():
        yield


@pytest.fixture
def full_case(write_case: CaseWriter, known_user: None) -> CaseWriter:
    def write(position: tuple[str, str], answers: dict[str, str] | None = None) -> str:
        return write_case(
            case_id=CASE_ID,
            steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
            answers=ANSWERS if answers is None else answers,
            position=position,
        )

    return write


def settled(then: Callable[[Pilot[Any]], Awaitable[None]] | None = None) -> RunBefore:
    """Wait for the app to load, then run `then`, and stop every cursor from blinking."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        if then is not None:
            await then(pilot)
            await pilot.pause()
        for widget in pilot.app.screen.query("Input, TextArea"):
            assert isinstance(widget, Input | TextArea)
            widget.cursor_blink = False
        await pilot.pause()

    return run_before


def app_for(data_dir: Path, case_id: str | None = CASE_ID) -> MeldcodeApp:
    return make_app(data_dir=data_dir, case_id=case_id, clock=fixed_clock)


def test_home(snap_compare: Any, data_dir: Path, write_case: CaseWriter) -> None:
    write_case(aftercare=[AftercareItem(id="evaluatie", due="2020-01-06")])
    write_case(case_id="20260301-lrl042", pupil="Leerling-042", group="5B")
    (data_dir / "20260301-kapot1.json").write_text("{ niet af")
    assert snap_compare(app_for(data_dir, None), terminal_size=SIZE, run_before=settled())


@pytest.mark.parametrize(
    ("step", "focus"),
    [
        ("signalen", "signalen"),
        ("consultatie", "vt_geraadpleegd"),
        ("gesprek", "besproken"),
        ("afweging", "hulp_aanvaard"),
        ("besluiten", "besluit_melden"),
        ("nazorg", ""),
    ],
)
def test_step(
    snap_compare: Any, data_dir: Path, full_case: CaseWriter, step: str, focus: str
) -> None:
    full_case((step, focus))
    assert snap_compare(app_for(data_dir), terminal_size=SIZE, run_before=settled())


def test_step_4_first_question(snap_compare: Any, data_dir: Path, full_case: CaseWriter) -> None:
    full_case(("afweging", ""), answers={})
    assert snap_compare(app_for(data_dir), terminal_size=SIZE, run_before=settled())


def test_step_4_outcome(snap_compare: Any, data_dir: Path, full_case: CaseWriter) -> None:
    full_case(("afweging", ""))
    assert snap_compare(app_for(data_dir), terminal_size=SIZE, run_before=settled())


def test_step_5_light_theme(snap_compare: Any, data_dir: Path, full_case: CaseWriter) -> None:
    full_case(("besluiten", "besluit_melden"))

    async def light(pilot: Pilot[Any]) -> None:
        pilot.app.theme = "textual-light"

    assert snap_compare(app_for(data_dir), terminal_size=SIZE, run_before=settled(light))


def test_veilig_thuis_dialog(snap_compare: Any, data_dir: Path, full_case: CaseWriter) -> None:
    full_case(("gesprek", "besproken"))

    async def f2(pilot: Pilot[Any]) -> None:
        await pilot.press("f2")

    assert snap_compare(app_for(data_dir), terminal_size=SIZE, run_before=settled(f2))


def test_help_dialog(snap_compare: Any, data_dir: Path, full_case: CaseWriter) -> None:
    full_case(("gesprek", "besproken"))

    async def f1(pilot: Pilot[Any]) -> None:
        await pilot.press("f1")

    assert snap_compare(app_for(data_dir), terminal_size=SIZE, run_before=settled(f1))
