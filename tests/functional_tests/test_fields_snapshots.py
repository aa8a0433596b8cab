"""Snapshots of the form widgets at 80×24: the step-3 and step-5 forms and a step-4 question."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widget import Widget

from meldcode_tui.flow.engine import Advice
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.fields import FIELDS_CSS_PATH, FieldContext, QuestionView, StepForm
from meldcode_tui.tui.fields.choicelist import ChoiceList

FLOW: Flow = load_flow(default_flow_path())
SIZE = (80, 24)
REPORT = Advice(melden=True, meldnormen=("acuut",), hulp=True)
TALK = {
    "gesprek_gevoerd": "ja",
    "datum": "2025-03-05",
    "met_wie": "samen",
    "medewerkers": [{"naam": "J. de Vries", "functie": "mentor"}],
}


class FieldsHost(App[None]):
    CSS_PATH: ClassVar[list[str | PurePath]] = [FIELDS_CSS_PATH]

    def __init__(self, make: Callable[[], Widget]) -> None:
        super().__init__()
        self._make = make

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield self._make()


def step_form(step_id: str, values: dict[str, Any], advice: Advice | None = None) -> FieldsHost:
    step = FLOW.step(step_id)
    assert step is not None
    return FieldsHost(lambda: StepForm(step, values, {}, FieldContext(FLOW, advice)))


def focus_on(field_id: str) -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.query_one(StepForm).focus_field(field_id)
        await pilot.pause()

    return run_before


def focus_selector(selector: str) -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.query_one(selector).focus()
        await pilot.pause()

    return run_before


async def choose_second(pilot: Pilot[None]) -> None:
    choices = pilot.app.query(ChoiceList).first()
    choices.highlighted = 1
    choices.action_select()
    choices.focus()
    await pilot.pause()


def test_step3_form_top(snap_compare: Any) -> None:
    app = step_form("gesprek", TALK)
    assert snap_compare(app, terminal_size=SIZE, run_before=focus_on("gesprek_gevoerd"))


def test_step3_form_warns_about_one_staff_member(snap_compare: Any) -> None:
    app = step_form("gesprek", TALK)
    assert snap_compare(app, terminal_size=SIZE, run_before=focus_selector(".entry-add"))


def test_step5_form_pre_ticked_from_advice(snap_compare: Any) -> None:
    app = step_form("besluiten", {}, REPORT)
    assert snap_compare(app, terminal_size=SIZE, run_before=focus_on("besluit_melden"))


def test_step5_deviation_warning(snap_compare: Any) -> None:
    app = step_form("besluiten", {}, REPORT)
    assert snap_compare(app, terminal_size=SIZE, run_before=choose_second, press=["tab", "tab"])


async def choose_twijfel(pilot: Pilot[None]) -> None:
    choices = pilot.app.query_one(ChoiceList)
    choices.focus()
    await pilot.press("down", "enter")
    await pilot.pause()


def test_step4_twijfel_shows_veilig_thuis(snap_compare: Any) -> None:
    question = FLOW.question("veiligheid")
    assert question is not None
    app = FieldsHost(lambda: QuestionView(question, None, FieldContext(FLOW, None)))
    assert snap_compare(app, terminal_size=SIZE, run_before=choose_twijfel)
