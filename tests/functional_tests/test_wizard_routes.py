"""Whole cases through the wizard, one per route of the weighing (step 4), checking the case file
on disk after each answer and the decisions of step 5.

One case goes all the way by keyboard, from the home screen through steps 1–3; the other routes
start from a case file holding the same steps 1–3 (`conftest.STEP_1..3`), since typing those
three steps again for each route would test nothing new."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import STEP_1, STEP_2, STEP_3, CaseWriter
from driver import (
    SIZE,
    answer,
    choose,
    current_question,
    field,
    fill_steps_1_to_3,
    fill_text,
    new_case,
    next_,
    read_case,
    ready,
    step_screen,
)
from textual.pilot import Pilot
from textual.widgets import Input, Static

from meldcode_tui.flow.engine import route
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.fields.checklist import CheckList
from meldcode_tui.tui.fields.choicelist import ChoiceList
from meldcode_tui.tui.progress import StepState
from meldcode_tui.tui.widgets.stepper import Stepper

FLOW = load_flow(default_flow_path())

ROUTES = {
    "geen_melding": ([("vermoeden", "nee")], False, [], None),
    "onveilig": (
        [
            ("vermoeden", "ja"),
            ("veiligheid", "ja"),
            ("hulp_aanbieden", "ja"),
            ("hulp_aanvaard", "ja"),
            ("resultaat", "ja"),
        ],
        True,
        ["acuut", "structureel"],
        True,
    ),
    "school_kan_niet_helpen": (
        [("vermoeden", "ja"), ("veiligheid", "nee"), ("hulp_aanbieden", "nee")],
        True,
        [],
        False,
    ),
    "hulp_geweigerd": (
        [
            ("vermoeden", "ja"),
            ("veiligheid", "nee"),
            ("hulp_aanbieden", "ja"),
            ("hulp_aanvaard", "nee"),
        ],
        True,
        ["geen_hulp"],
        False,
    ),
    "hulp_zonder_resultaat": (
        [
            ("vermoeden", "ja"),
            ("veiligheid", "nee"),
            ("hulp_aanbieden", "ja"),
            ("hulp_aanvaard", "ja"),
            ("resultaat", "nee"),
        ],
        True,
        ["onveiligheid_blijft"],
        True,
    ),
}


async def test_a_whole_case_by_keyboard(data_dir: Path) -> None:
    """A new case from the home screen, steps 1–3 typed in, then the longest route."""
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot)
        await fill_steps_1_to_3(pilot)
        on_disk = read_case(data_dir)
        assert on_disk["steps"]["signalen"]["values"]["signalen"][0]["datum"] == "2026-02-23"
        assert on_disk["steps"]["consultatie"]["values"]["geconsulteerd"][0]["naam"] == (
            "OT-medewerker"
        )
        assert len(on_disk["steps"]["gesprek"]["values"]["medewerkers"]) == 2
        assert on_disk["position"]["step"] == "afweging"
        await steps_4_and_5(pilot, data_dir, "hulp_zonder_resultaat")


@pytest.mark.parametrize("name", list(ROUTES))
async def test_whole_case_through_route(
    name: str, data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        position=("afweging", ""),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert step_screen(pilot).step.id == "afweging"
        await steps_4_and_5(pilot, data_dir, name)


async def steps_4_and_5(pilot: Pilot[None], data_dir: Path, name: str) -> None:
    """Answer the weighing along route `name`, checking the file after each answer, then take
    both decisions of step 5."""
    answers, melden, meldnormen, hulp = ROUTES[name]
    for number, (qid, option) in enumerate(answers, start=1):
        assert current_question(pilot) == qid
        await answer(pilot, option, justification=f"T{number}")
        on_disk = read_case(data_dir)
        assert on_disk["answers"][qid]["value"] == option
        assert on_disk["answers"][qid]["justification"] == f"T{number}"
        assert on_disk["answers"][qid]["by"]["name"] == "Mentor Jansen"
        await next_(pilot)
        assert read_case(data_dir)["position"]["focus"] == (
            answers[number][0] if number < len(answers) else ""
        )

    screen = step_screen(pilot)
    assert current_question(pilot) is None
    routing = route(FLOW.routing, {q: a["value"] for q, a in on_disk["answers"].items()})
    assert routing.complete
    assert routing.advice.melden is melden
    assert list(routing.advice.meldnormen) == meldnormen
    assert routing.advice.hulp is hulp
    shown = str(screen.query_one("#weighing-advice", Static).content)
    assert ("Advies: melden bij Veilig Thuis" in shown) is melden
    for norm in meldnormen:
        assert FLOW.meldnorm(norm).label.lower() in shown

    await next_(pilot)
    screen = step_screen(pilot)
    assert screen.step.id == "besluiten"
    melden_field = field(pilot, "besluit_melden")
    assert melden_field.query_one(CheckList).checked == meldnormen
    missing = str(screen.query_one("#missing", Static).content)
    assert "Beide besluiten" in missing
    await choose(pilot, melden_field.query_one(ChoiceList), 0 if melden else 1)
    assert "Beide besluiten" in str(screen.query_one("#missing", Static).content)
    hulp_field = field(pilot, "besluit_hulp")
    await choose(pilot, hulp_field.query_one(ChoiceList), 0 if hulp else 1)
    await fill_text(pilot, field(pilot, "regie").query_one(Input), "Teamleider")
    on_disk = read_case(data_dir)
    assert on_disk["decisions"]["melden"]["value"] is melden
    assert on_disk["decisions"]["melden"]["checked"] == meldnormen
    assert on_disk["decisions"]["hulp"]["value"] is bool(hulp)
    assert on_disk["steps"]["besluiten"]["values"]["regie"] == "Teamleider"
    assert not screen.query_one("#missing", Static).display
    stepper = screen.query_one(Stepper)
    assert stepper.state_of("besluiten") is StepState.CURRENT
    assert stepper.state_of("afweging") is StepState.DONE
    assert stepper.state_of("signalen") is StepState.DONE
    assert "✓ 1 Signalen" in str(stepper.render()) and "▶ 5 Beslissen" in str(stepper.render())


async def test_twijfel_keeps_the_question_until_veilig_thuis_advice(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot)
        app.show_step("afweging")
        await pilot.pause()
        await answer(pilot, "ja")
        await next_(pilot)
        assert current_question(pilot) == "veiligheid"
        await answer(pilot, "twijfel")
        assert "0800-2000" in str(step_screen(pilot).query_one(".vt-call", Static).content)
        await next_(pilot)
        assert current_question(pilot) == "veiligheid"
        assert read_case(data_dir)["answers"]["veiligheid"]["value"] == "twijfel"
        await answer(pilot, "nee", vt_advice="VT-advies")
        await next_(pilot)
        assert current_question(pilot) == "hulp_aanbieden"
        stored = read_case(data_dir)["answers"]["veiligheid"]
        assert stored["value"] == "nee"
        assert stored["veilig_thuis_advice"] == "VT-advies"
