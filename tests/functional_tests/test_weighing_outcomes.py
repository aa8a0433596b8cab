"""Issue 13 in the wizard: "nog onbekend" waits for an evaluation date (entered, saved, resumed,
due date of the nazorg item evalueren, shown in the review and export); vermoeden = nee offers
"Afsluiten en vastleggen" with a reason, and the closed case needs no besluiten."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from casefolder import ScreenHost, settle
from conftest import STEP_1, STEP_2, STEP_3, CaseWriter
from driver import (
    SIZE,
    answer,
    current_question,
    fill_text,
    next_,
    question,
    read_case,
    ready,
    step_screen,
)
from textual.widgets import Button, Input, Static

from meldcode_tui.case.export import export_case
from meldcode_tui.case.store import CaseStore
from meldcode_tui.casework.retention import add_years
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.fields.date import format_date
from meldcode_tui.tui.screens.retention_dialogs import CloseDialog
from meldcode_tui.tui.screens.review import ReviewScreen
from meldcode_tui.tui.screens.review_dialogs import ReasonDialog

FLOW = load_flow(default_flow_path())
TO_RESULTAAT = {
    "vermoeden": "ja",
    "veiligheid": "nee",
    "hulp_aanbieden": "ja",
    "hulp_aanvaard": "ja",
}


def _evaluation_input(pilot) -> Input:  # type: ignore[no-untyped-def]
    boxes = [box for box in question(pilot).query(".question-fields") if box.display]
    assert len(boxes) == 1
    return boxes[0].query_one(Input)


async def test_nog_onbekend_asks_the_evaluation_date_and_makes_evalueren_due(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        answers=TO_RESULTAAT,
        position=("afweging", "resultaat"),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert current_question(pilot) == "resultaat"
        assert not [b for b in question(pilot).query(".question-fields") if b.display]
        await answer(pilot, "nog_onbekend")
        date_input = _evaluation_input(pilot)
        missing = step_screen(pilot).query_one("#missing", Static)
        assert missing.display and "Evaluatiedatum" in str(missing.content)
        await next_(pilot)
        assert step_screen(pilot).step.id == "afweging"
        notices = "\n".join(n.message for n in app._notifications)
        assert "Vul eerst in: Evaluatiedatum." in notices

        await fill_text(pilot, date_input, "16-03-2026")
        on_disk = read_case(data_dir)
        assert on_disk["answers"]["resultaat"]["value"] == "nog_onbekend"
        assert on_disk["answers"]["resultaat"]["values"] == {"evaluatiedatum": "2026-03-16"}
        assert {i["id"]: i["due"] for i in on_disk["aftercare"]} == {"evaluatie": "2026-03-16"}
        (event,) = [e for e in on_disk["events"] if e["action"] == "aftercare"]
        assert event["target"] == "evaluatie" and event["by"]["name"] == "Mentor Jansen"
        assert not step_screen(pilot).query_one("#missing", Static).display
        await pilot.press("ctrl+q")

    again = make_app(data_dir=data_dir, case_id=case_id)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert current_question(pilot) == "resultaat"
        assert _evaluation_input(pilot).value == "16-03-2026"
        await pilot.press("ctrl+q")

    case = CaseStore(data_dir).load(case_id)
    assert "Evaluatiedatum: 16-03-2026" in export_case(case, FLOW, "txt")
    review = ScreenHost(data_dir, lambda host: host.review(case_id))
    async with review.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = review.screen
        assert isinstance(screen, ReviewScreen)
        text = str(screen.query_one("#review-text", Static).content)
        assert "Evaluatiedatum: 16-03-2026" in text


async def test_vermoeden_nee_closes_the_case_with_a_reason(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        position=("afweging", "vermoeden"),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        close = step_screen(pilot).query_one("#close-early", Button)
        row = step_screen(pilot).query_one("#close-row")
        assert not row.display
        await answer(pilot, "nee")
        await next_(pilot)
        outcome = str(step_screen(pilot).query_one("#weighing-advice", Static).content)
        assert 'sluit de zaak af met "Afsluiten en vastleggen"' in outcome
        assert "altijd twee besluiten" not in outcome
        assert row.display and str(close.label) == "Afsluiten en vastleggen"
        assert "besluiten" in app.work.state.done  # type: ignore[union-attr]
        close.press()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CloseDialog)
        assert "Reden van afsluiten" in dialog.text
        assert dialog.query_one("#close-until", Input).value == format_date(
            add_years(date.today(), 2).isoformat()
        )
        await fill_text(pilot, dialog.query_one(Input), "Geen vermoeden na gesprek")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        on_disk = read_case(data_dir)
        assert on_disk["status"] == "gesloten"
        assert on_disk["status_reason"] == "Geen vermoeden na gesprek"
        (event,) = [e for e in on_disk["events"] if e["action"] == "close"]
        assert event["by"]["name"] == "Mentor Jansen"
        assert event["note"] == "Geen vermoeden na gesprek"
        kept = add_years(date.today(), 2)  # the school's default term
        assert event["detail"] == on_disk["retain_until"] == kept.isoformat()
        assert on_disk["decisions"] == {}
        text = str(app.screen.query_one("#review-text", Static).content)
        assert "Geen vermoeden na gesprek" in text


async def test_the_review_closes_a_vermoeden_nee_case_without_besluiten(
    data_dir: Path, write_case: CaseWriter
) -> None:
    case_id = write_case(answers={"vermoeden": "nee"})
    review = ScreenHost(data_dir, lambda host: host.review(case_id))
    async with review.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = str(review.screen.query_one("#review-text", Static).content)
        assert "Niet nodig na de afweging (afsluiten en vastleggen)." in text
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(review.screen, ReasonDialog)
        review.screen.query_one(Input).value = "Geen vermoeden"
        await pilot.press("enter")
        await settle(pilot)
        assert read_case(data_dir, case_id)["status"] == "gesloten"


async def test_the_review_still_asks_both_besluiten_when_there_is_a_vermoeden(
    data_dir: Path, write_case: CaseWriter
) -> None:
    case_id = write_case(answers={"vermoeden": "ja"})
    review = ScreenHost(data_dir, lambda host: host.review(case_id))
    async with review.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(review.screen, ReviewScreen)
        assert read_case(data_dir, case_id)["status"] == "open"


async def test_another_option_drops_the_evaluation_date_on_screen_too(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        answers=TO_RESULTAAT,
        position=("afweging", "resultaat"),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await answer(pilot, "nog_onbekend", values={"evaluatiedatum": "16-03-2026"})
        await answer(pilot, "ja")
        assert read_case(data_dir)["answers"]["resultaat"]["values"] == {}
        await answer(pilot, "nog_onbekend")
        await pilot.pause()
        assert _evaluation_input(pilot).value == ""
        assert read_case(data_dir)["answers"]["resultaat"]["values"] == {}
        missing = step_screen(pilot).query_one("#missing", Static)
        assert "Evaluatiedatum" in str(missing.content)
