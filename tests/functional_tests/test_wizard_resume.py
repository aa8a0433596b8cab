"""Stopping and resuming, going back in step 4, and a case open elsewhere (read-only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import STEP_1, STEP_2, STEP_3, CaseWriter
from driver import (
    SIZE,
    answer,
    app_of,
    choose,
    current_question,
    field,
    fill_text,
    new_case,
    next_,
    read_case,
    ready,
    step_screen,
    type_text,
    weighing,
)
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea

from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.fields.checklist import CheckList
from meldcode_tui.tui.fields.choicelist import ChoiceList
from meldcode_tui.tui.fields.form import StepForm
from meldcode_tui.tui.screens.home import HomeScreen
from meldcode_tui.tui.widgets.status import ReadOnlyBanner


async def test_resume_lands_on_the_same_field_with_the_same_text(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot)
        await pilot.press("f8", "f8")
        await pilot.pause()
        assert step_screen(pilot).step.id == "gesprek"
        await choose(pilot, field(pilot, "gesprek_gevoerd").query_one(ChoiceList), 0)
        await fill_text(pilot, field(pilot, "besproken").query_one(TextArea), "Vader boos")
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    case_id = read_case(data_dir)["id"]
    assert not (data_dir / f"{case_id}.lock").exists()
    assert read_case(data_dir)["position"] == {"step": "gesprek", "focus": "besproken"}

    again = make_app(data_dir=data_dir)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        assert pilot.app.screen.query_one("#name", Input).value == "Mentor Jansen"
        pilot.app.screen.query_one("#case-table").focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        screen = step_screen(pilot)
        assert screen.step.id == "gesprek"
        text_area = field(pilot, "besproken").query_one(TextArea)
        assert text_area.text == "Vader boos"
        assert pilot.app.focused is text_area


async def test_open_id_starts_at_the_saved_question(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        answers={"vermoeden": "ja", "veiligheid": "nee"},
        position=("afweging", "vermoeden"),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert step_screen(pilot).step.id == "afweging"
        assert current_question(pilot) == "vermoeden"


async def test_changing_an_earlier_answer_reroutes_and_step_5_follows(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        answers={
            "vermoeden": "ja",
            "veiligheid": "nee",
            "hulp_aanbieden": "ja",
            "hulp_aanvaard": "nee",
        },
        position=("afweging", ""),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        shown = str(step_screen(pilot).query_one("#weighing-advice", Static).content)
        assert "betrokkenen willen geen hulp" in shown
        await next_(pilot)
        assert field(pilot, "besluit_melden").query_one(CheckList).checked == ["geen_hulp"]

        await pilot.press("f7")
        await pilot.pause()
        await revisit(pilot, 1)
        assert current_question(pilot) == "veiligheid"
        await answer(pilot, "ja", meldnormen=("acuut",))
        on_disk = read_case(data_dir)
        assert on_disk["answers"]["veiligheid"]["value"] == "ja"
        assert on_disk["answers"]["hulp_aanvaard"]["value"] == "nee"
        await next_(pilot)
        assert current_question(pilot) is None
        screen = step_screen(pilot)
        shown = str(screen.query_one("#weighing-advice", Static).content)
        assert "acute onveiligheid" in shown
        assert "geen hulp" not in shown
        note = str(screen.query_one("#not-in-force", Static).content)
        assert "Aanvaarden van hulp" in note and "telt niet meer mee" in note
        await next_(pilot)
        assert field(pilot, "besluit_melden").query_one(CheckList).checked == ["acuut"]

        await pilot.press("f7")
        await pilot.pause()
        await revisit(pilot, 1)
        await answer(pilot, "nee")
        await next_(pilot)
        assert current_question(pilot) is None
        shown = str(step_screen(pilot).query_one("#weighing-advice", Static).content)
        assert "betrokkenen willen geen hulp" in shown
        assert "acute onveiligheid" not in shown

        await revisit(pilot, 3)
        assert current_question(pilot) == "hulp_aanvaard"
        await answer(pilot, "ja")
        await next_(pilot)
        assert current_question(pilot) == "resultaat"
        await answer(pilot, "nog_onbekend", values={"evaluatiedatum": "30-03-2026"})
        await next_(pilot)
        assert step_screen(pilot).step.id == "besluiten"
        assert field(pilot, "besluit_melden").query_one(CheckList).checked == []


async def revisit(pilot: Pilot[Any], index: int) -> None:
    """Go back to an answered question: the list above the question, arrows and Enter."""
    answered = step_screen(pilot).query_one("#answered", OptionList)
    answered.focus()
    await pilot.pause()
    while answered.highlighted != index:
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def test_answers_off_the_path_are_kept_and_marked(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        answers={"vermoeden": "ja", "veiligheid": "nee", "hulp_aanbieden": "nee"},
        position=("afweging", "vermoeden"),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await answer(pilot, "nee")
        note = step_screen(pilot).query_one("#not-in-force", Static)
        assert note.display
        assert "telt niet meer mee" in str(note.content)
        assert "Veiligheid" in str(note.content)
        on_disk = read_case(data_dir)
        assert on_disk["answers"]["veiligheid"]["value"] == "nee"
        assert on_disk["answers"]["vermoeden"]["value"] == "nee"
        assert weighing(pilot).can_advance()


async def test_a_case_open_elsewhere_is_read_only_with_a_banner(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(steps={"signalen": STEP_1}, position=("signalen", ""))
    first = make_app(data_dir=data_dir, case_id=case_id)
    async with first.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert not app_of(pilot).read_only
        before = (data_dir / f"{case_id}.json").read_bytes()

        second = make_app(data_dir=data_dir, case_id=case_id)
        async with second.run_test(size=SIZE) as other:
            await ready(other)
            screen = step_screen(other)
            assert app_of(other).read_only
            banner = screen.query_one(ReadOnlyBanner)
            expected = "Alleen lezen — deze zaak wordt bewerkt door Mentor Jansen"
            assert expected in str(banner.content)
            form = screen.query_one(StepForm)
            inputs = list(form.query(Input)) + list(form.query(TextArea))
            assert inputs
            assert all(widget.disabled for widget in inputs)
            await other.press("f8")
            await other.pause()
            assert step_screen(other).step.id == "consultatie"
            await other.press("ctrl+q")
        assert (data_dir / f"{case_id}.json").read_bytes() == before
        assert (data_dir / f"{case_id}.lock").exists()


async def test_keys_for_next_and_previous_work_while_typing(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot)
        await pilot.press("f8", "f8")
        await pilot.pause()
        await choose(pilot, field(pilot, "gesprek_gevoerd").query_one(ChoiceList), 0)
        field(pilot, "besproken").query_one(TextArea).focus()
        await type_text(pilot, "a?b")
        assert field(pilot, "besproken").query_one(TextArea).text == "a?b"
        assert step_screen(pilot).step.id == "gesprek"
        await pilot.press("alt+left")
        await pilot.pause()
        assert step_screen(pilot).step.id == "consultatie"
        await pilot.press("alt+right")
        await pilot.pause()
        assert step_screen(pilot).step.id == "gesprek"
        field(pilot, "besproken").query_one(TextArea).focus()
        await pilot.press("f7")
        await pilot.pause()
        assert step_screen(pilot).step.id == "consultatie"
