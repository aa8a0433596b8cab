"""Correcting a step-4 answer with the keyboard: the answers so far are a list that shows its
focus, Shift+F7 (on the key bar) goes back one question, and the afwegingskader opened from
step 4 jumps to the question picked in it."""

from __future__ import annotations

from pathlib import Path

from conftest import STEP_1, STEP_2, STEP_3, CaseWriter
from driver import SIZE, answer, current_question, next_, read_case, ready, step_screen, weighing
from textual.color import Color
from textual.widgets import Button, OptionList

from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.fields.choicelist import ChoiceList
from meldcode_tui.tui.screens.kader import AfwegingskaderScreen
from meldcode_tui.tui.widgets.keybar import KeyBar

ANSWERS = {"vermoeden": "ja", "veiligheid": "nee", "hulp_aanbieden": "ja"}


def _case(write_case: CaseWriter, position: tuple[str, str]) -> str:
    return write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        answers=ANSWERS,
        position=position,
    )


def _bar(widget: OptionList) -> Color:
    return widget.styles.border_left[1]


async def test_shift_f7_goes_back_one_question_and_the_answer_can_be_changed(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = _case(write_case, ("afweging", "hulp_aanvaard"))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert current_question(pilot) == "hulp_aanvaard"
        keys = step_screen(pilot).query_one(KeyBar).shown_keys
        assert ("⇧F7", "Vorige vraag") in keys
        assert ("F7", "Vorige") in keys
        await pilot.press("f19")  # Shift+F7 as a terminal sends it
        await pilot.pause()
        assert current_question(pilot) == "hulp_aanbieden"
        assert step_screen(pilot).step.id == "afweging"
        await pilot.press("shift+f7")
        await pilot.pause()
        assert current_question(pilot) == "veiligheid"
        await answer(pilot, "twijfel")
        await pilot.pause()
        assert read_case(data_dir, case_id)["answers"]["veiligheid"]["value"] == "twijfel"
        await pilot.press("f19")
        await pilot.pause()
        assert current_question(pilot) == "vermoeden"
        keys = step_screen(pilot).query_one(KeyBar).shown_keys
        assert ("⇧F7", "Vorige vraag") not in keys  # nothing before the first question
        await pilot.press("f7")
        await pilot.pause()
        assert step_screen(pilot).step.id == "gesprek"


async def test_the_outcome_goes_back_to_the_last_question_by_key_and_button(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        answers={**ANSWERS, "hulp_aanvaard": "nee"},
        position=("afweging", ""),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert current_question(pilot) is None
        button = weighing(pilot).query_one("#previous-question", Button)
        assert button.display
        button.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert current_question(pilot) == "hulp_aanvaard"
        assert pilot.app.focused is weighing(pilot).query_one(".question-options", ChoiceList)


async def test_the_answers_list_shows_its_focus_and_highlights_a_row(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = _case(write_case, ("afweging", "hulp_aanvaard"))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        answered = weighing(pilot).query_one("#answered", OptionList)
        options = weighing(pilot).query_one(".question-options", ChoiceList)
        assert pilot.app.focused is options
        assert options.highlighted == 0
        blurred = _bar(answered)
        assert _bar(options) != blurred
        answered.focus()
        await pilot.pause()
        assert answered.highlighted == 0
        assert _bar(answered) != blurred
        assert _bar(options) == blurred
        await pilot.press("down", "enter")
        await pilot.pause()
        assert current_question(pilot) == "veiligheid"


async def test_the_kader_jumps_to_the_picked_question(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = _case(write_case, ("afweging", "hulp_aanvaard"))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        await pilot.pause()
        kader = pilot.app.screen
        assert isinstance(kader, AfwegingskaderScreen)
        assert ("Enter", "Naar deze vraag") in kader.query_one(KeyBar).shown_keys
        kader.focus_question("vermoeden")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert step_screen(pilot).step.id == "afweging"
        assert current_question(pilot) == "vermoeden"
        await answer(pilot, "nee")
        await next_(pilot)
        assert read_case(data_dir, case_id)["answers"]["vermoeden"]["value"] == "nee"


async def test_the_kader_does_not_jump_to_a_question_off_the_route(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = _case(write_case, ("afweging", "hulp_aanvaard"))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        await pilot.pause()
        kader = pilot.app.screen
        assert isinstance(kader, AfwegingskaderScreen)
        kader.focus_question("resultaat")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is kader
        told = "\n".join(n.message for n in app._notifications)
        assert "nog niet aan de beurt" in told


async def test_a_click_in_the_kader_jumps_too(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = _case(write_case, ("afweging", "hulp_aanvaard"))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.click("#kader-tree", offset=(3, 0))
        await pilot.pause()
        await pilot.pause()
        assert step_screen(pilot).step.id == "afweging"
        assert current_question(pilot) == "vermoeden"
