"""The wizard's Nazorg step holds the editable nazorg items (the aftercare screen's editor): an
edit there is saved at once by the person acting and comes back on resume; the protocol's full
texts stay visible; the aftercare screen opened over the wizard returns to it with Esc."""

from __future__ import annotations

from pathlib import Path

from conftest import CaseWriter
from driver import SIZE, fill_text, read_case, ready, step_screen
from textual.widgets import Input, Static

from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.screens.aftercare import AftercareScreen
from meldcode_tui.tui.widgets.aftercare_items import AftercareItems


async def test_the_nazorg_step_edits_the_items_and_they_are_saved(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(position=("nazorg", ""))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = step_screen(pilot)
        assert screen.step.id == "nazorg"
        items = screen.query_one(AftercareItems)
        helps = [str(s.content) for s in items.query(".item-help").results(Static)]
        assert any(h.startswith("De school krijgt niet altijd te horen") for h in helps)
        await fill_text(pilot, items.query_one("#due-evaluatie", Input), "20-04-2026")
        await fill_text(pilot, items.query_one("#who-evaluatie", Input), "Zorgcoördinator")
        on_disk = read_case(data_dir)
        (item,) = on_disk["aftercare"]
        assert (item["id"], item["due"], item["who"]) == (
            "evaluatie",
            "2026-04-20",
            "Zorgcoördinator",
        )
        events = [e for e in on_disk["events"] if e["action"] == "aftercare"]
        assert events and all(e["by"]["name"] == "Mentor Jansen" for e in events)
        assert "opgeslagen" in str(screen.query_one("#saved").render())
        await pilot.press("ctrl+q")

    again = make_app(data_dir=data_dir, case_id=case_id)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        items = step_screen(pilot).query_one(AftercareItems)
        assert items.query_one("#due-evaluatie", Input).value == "20-04-2026"
        assert items.query_one("#who-evaluatie", Input).value == "Zorgcoördinator"


async def test_nazorg_bijwerken_in_the_wizard_opens_the_nazorg_step(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(position=("gesprek", ""))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.action_aftercare()
        await pilot.pause()
        await pilot.pause()
        screen = step_screen(pilot)
        assert screen.step.id == "nazorg"
        assert screen.query_one(AftercareItems).query_one("#due-evaluatie", Input)
        assert not any(isinstance(s, AftercareScreen) for s in app.screen_stack)
