"""Whole cases through the wizard, one per route of the weighing (step 4), checking the case file
on disk after each answer and the decisions of step 5."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
from textual.widgets import Input, Static

from meldcode_tui.casework.rules import StepState
from meldcode_tui.flow.engine import route
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.fields.checklist import CheckList
from meldcode_tui.tui.fields.choicelist import ChoiceList
from meldcode_tui.tui.widgets.stepper import Stepper

FLOW = load_flow(default_flow_path())

SAFE = [("vermoeden", "ja", ()), ("veiligheid", "nee", ())]

# route → answers (question, option, meldnormen ticked), advised melden, meldnormen, hulp.
ROUTES: dict[str, tuple[list[tuple[str, str, tuple[str, ...]]], bool, list[str], bool | None]] = {
    "geen_melding": ([("vermoeden", "nee", ())], False, [], None),
    # Acute and/or structural unsafety: report now; questions 3-5 are for Veilig Thuis.
    "onveilig": (
        [("vermoeden", "ja", ()), ("veiligheid", "ja", ("acuut",))],
        True,
        ["acuut"],
        None,
    ),
    "onveilig_beide": (
        [("vermoeden", "ja", ()), ("veiligheid", "ja", ("acuut", "structureel"))],
        True,
        ["acuut", "structureel"],
        None,
    ),
    "school_kan_niet_helpen": (
        [*SAFE, ("hulp_aanbieden", "nee", ())],
        True,
        ["geen_effectieve_hulp"],
        None,
    ),
    "hulp_geweigerd": (
        [*SAFE, ("hulp_aanbieden", "ja", ()), ("hulp_aanvaard", "nee", ())],
        True,
        ["geen_hulp"],
        None,
    ),
    "hulp_zonder_resultaat": (
        [
            *SAFE,
            ("hulp_aanbieden", "ja", ()),
            ("hulp_aanvaard", "ja", ()),
            ("resultaat", "nee", ()),
        ],
        True,
        ["onveiligheid_blijft"],
        True,
    ),
    "hulp_met_resultaat": (
        [*SAFE, ("hulp_aanbieden", "ja", ()), ("hulp_aanvaard", "ja", ()), ("resultaat", "ja", ())],
        False,
        [],
        True,
    ),
}


def engine_answers(on_disk: dict[str, Any]) -> dict[str, object]:
    return {
        qid: {"option": a["value"], "meldnormen": a["meldnormen"]}
        if a["meldnormen"]
        else a["value"]
        for qid, a in on_disk["answers"].items()
    }


FILLED_ROUTE = "hulp_met_resultaat"
"""The route that fills steps 1-3 through the screens; the others begin at step 4 of a case
whose steps 1-3 are on disk (filling them is the same for every route, and slow)."""


@pytest.mark.parametrize("name", list(ROUTES))
async def test_whole_case_through_route(
    name: str, data_dir: Path, tmp_path: Path, write_case: CaseWriter
) -> None:
    answers, melden, meldnormen, hulp = ROUTES[name]
    if name == FILLED_ROUTE:
        app = make_app(data_dir=data_dir)
    else:
        config = tmp_path / "config"
        config.mkdir(exist_ok=True)
        prefs = {"name": "Teamleider Bakker", "role": "teamleider"}
        (config / "prefs.json").write_text(json.dumps(prefs))
        case_id = write_case(
            steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
            position=("afweging", ""),
        )
        app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        if name == FILLED_ROUTE:
            await new_case(pilot, name="Teamleider Bakker", role="teamleider")
            await fill_steps_1_to_3(pilot)
            on_disk = read_case(data_dir)
            assert on_disk["steps"]["signalen"]["values"]["signalen"][0]["datum"] == "2026-02-23"
            consulted = on_disk["steps"]["consultatie"]["values"]["geconsulteerd"][0]
            assert (consulted["naam"], consulted["functie"]) == ("Collega Fictief", "ot_medewerker")
            [talk] = on_disk["steps"]["gesprek"]["values"]["gesprekken"]
            assert (talk["datum"], talk["door"], talk["tweede_medewerker"]) == (
                "2026-02-26",
                "Mentor",
                "OT",
            )
            assert on_disk["steps"]["signalen"]["values"]["vermoeden_medewerker"] == "nee"
            assert on_disk["position"]["step"] == "afweging"
        assert step_screen(pilot).step.id == "afweging"

        for number, (qid, option, ticked) in enumerate(answers, start=1):
            assert current_question(pilot) == qid
            await answer(pilot, option, justification=f"T{number}", meldnormen=ticked)
            on_disk = read_case(data_dir)
            assert on_disk["answers"][qid]["value"] == option
            assert on_disk["answers"][qid]["meldnormen"] == (list(ticked) or None)
            assert on_disk["answers"][qid]["justification"] == f"T{number}"
            assert on_disk["answers"][qid]["by"]["name"] == "Teamleider Bakker"
            await next_(pilot)
            assert read_case(data_dir)["position"]["focus"] == (
                answers[number][0] if number < len(answers) else ""
            )

        screen = step_screen(pilot)
        assert current_question(pilot) is None
        routing = route(FLOW.routing, engine_answers(on_disk))
        assert routing.complete
        assert routing.advice.melden is melden
        assert list(routing.advice.meldnormen) == meldnormen
        assert routing.advice.candidates == ()
        assert routing.advice.hulp is hulp
        shown = str(screen.query_one("#weighing-advice", Static).content)
        assert ("Advies: melden bij Veilig Thuis" in shown) is melden
        for norm in meldnormen:
            assert FLOW.meldnorm(norm).label.lower() in shown
        assert "of mag" not in shown

        await next_(pilot)
        screen = step_screen(pilot)
        assert screen.step.id == "besluiten"
        melden_field = field(pilot, "besluit_melden")
        assert melden_field.query_one(CheckList).checked == meldnormen
        missing = screen.query_one("#missing", Static)
        if name == "geen_melding":  # vermoeden = nee: stap 5 is not required (close.skips)
            assert not missing.display
        else:
            assert "Beide besluiten" in str(missing.content)
        await choose(pilot, melden_field.query_one(ChoiceList), 0 if melden else 1)
        if name != "geen_melding":
            assert "Beide besluiten" in str(screen.query_one("#missing", Static).content)
        hulp_field = field(pilot, "besluit_hulp")
        await choose(pilot, hulp_field.query_one(ChoiceList), 0 if hulp else 1)
        await fill_text(pilot, field(pilot, "regie").query_one(Input), "Teamleider")
        on_disk = read_case(data_dir)
        assert on_disk["decisions"]["melden"]["value"] is melden
        assert on_disk["decisions"]["melden"]["checked"] == meldnormen
        assert on_disk["decisions"]["hulp"]["value"] is bool(hulp)
        assert on_disk["steps"]["besluiten"]["values"]["regie"] == "Teamleider"
        shown_missing = screen.query_one("#missing", Static)
        if melden:  # the melding itself is still to be recorded (test_melding_wizard.py)
            assert str(shown_missing.content).startswith(
                "Nog in te vullen: Ouders en leerling vooraf geïnformeerd over de melding; "
            )
        else:
            assert not shown_missing.display
        stepper = screen.query_one(Stepper)
        assert stepper.state_of("besluiten") is StepState.CURRENT
        assert stepper.state_of("afweging") is StepState.DONE
        assert stepper.state_of("signalen") is StepState.DONE
        assert "✓ 1 Signalen" in str(stepper.render()) and "▶ 5 Beslissen" in str(stepper.render())


async def test_veiligheid_ja_asks_which_norm_then_leads_to_besluit_1(data_dir: Path) -> None:
    """Acute and/or structural unsafety: nothing is ticked in advance, F8 waits for a tick, then
    the outcome says to report now, and F8 again opens besluit 1 with the ticked norm."""
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot, name="Teamleider Bakker", role="teamleider")
        app.show_step("afweging")
        await pilot.pause()
        await answer(pilot, "ja")
        await next_(pilot)
        await answer(pilot, "ja")
        assert read_case(data_dir)["answers"]["veiligheid"]["meldnormen"] is None
        await next_(pilot)
        assert current_question(pilot) == "veiligheid"
        assert any("Vink eerst aan" in str(n.message) for n in app._notifications)
        await answer(pilot, "ja", meldnormen=("structureel",))
        assert read_case(data_dir)["answers"]["veiligheid"]["meldnormen"] == ["structureel"]
        await next_(pilot)
        assert current_question(pilot) is None
        outcome = str(step_screen(pilot).query_one("#weighing-advice", Static).content)
        assert "Meld nu bij Veilig Thuis, 0800-2000; bij direct gevaar 112" in outcome
        await next_(pilot)
        assert step_screen(pilot).step.id == "besluiten"
        assert field(pilot, "besluit_melden").query_one(CheckList).checked == ["structureel"]
        assert read_case(data_dir)["decisions"] == {}


async def test_nog_onbekend_keeps_the_weighing_open_and_f8_goes_on_to_step_5(
    data_dir: Path,
) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot, name="Teamleider Bakker", role="teamleider")
        app.show_step("afweging")
        await pilot.pause()
        for qid, option in [
            ("vermoeden", "ja"),
            ("veiligheid", "nee"),
            ("hulp_aanbieden", "ja"),
            ("hulp_aanvaard", "ja"),
        ]:
            assert current_question(pilot) == qid
            await answer(pilot, option)
            await next_(pilot)
        await answer(pilot, "nog_onbekend")
        advice = str(step_screen(pilot).query_one(".question-advice", Static).content)
        assert advice.startswith("Het resultaat is nog niet bekend")
        routing = route(FLOW.routing, engine_answers(read_case(data_dir)))
        assert (routing.complete, routing.next) == (False, "resultaat")
        await next_(pilot)
        assert step_screen(pilot).step.id == "afweging"  # the evaluation date comes first
        await answer(pilot, "nog_onbekend", values={"evaluatiedatum": "30-03-2026"})
        await next_(pilot)
        screen = step_screen(pilot)
        assert screen.step.id == "besluiten"
        assert screen.query_one(Stepper).state_of("afweging") is StepState.TODO


async def test_twijfel_keeps_the_question_until_veilig_thuis_advice(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot, name="Teamleider Bakker", role="teamleider")
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
