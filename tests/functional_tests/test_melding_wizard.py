"""The melding in step 5 through the real app: besluit 1 = melden shows the parents-informed part
and the melding; the melding date is refused (with the reason on screen) until the informed part
is filled, then the case file says `gemeld`, the feedback from Veilig Thuis is due five working
days later, and the review's timeline shows the melding."""

from __future__ import annotations

from pathlib import Path

from casefolder import ScreenHost, settle
from driver import SIZE, choose, field, fill_text, new_case, read_case, ready, step_screen
from textual.widgets import Input, Static, TextArea

from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.screens.review import ReviewScreen


async def test_the_melding_in_step_5_makes_the_case_gemeld(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot)
        app.show_step("besluiten")
        await pilot.pause()
        assert not field(pilot, "melding_datum").display
        await choose(pilot, field(pilot, "besluit_melden").query_one("ChoiceList"), 0)
        assert field(pilot, "ouders_geinformeerd").display
        assert field(pilot, "melding_datum").display
        assert not field(pilot, "geinformeerd_datum").display
        missing = str(step_screen(pilot).query_one("#missing", Static).content)
        assert "Datum melding (eerst: Ouders en leerling vooraf geïnformeerd" in missing

        await fill_text(pilot, field(pilot, "melding_datum").query_one(Input), "05-03-2026")
        assert "melding_datum" not in read_case(data_dir)["steps"].get("besluiten", {}).get(
            "values", {}
        )
        notices = "\n".join(n.message for n in app._notifications)
        assert "vul eerst in: Ouders en leerling vooraf geïnformeerd over de melding" in notices

        await choose(pilot, field(pilot, "ouders_geinformeerd").query_one("ChoiceList"), 0)
        assert field(pilot, "geinformeerd_datum").display
        assert not field(pilot, "reden_niet_geinformeerd").display
        await fill_text(pilot, field(pilot, "geinformeerd_datum").query_one(Input), "04-03-2026")
        await fill_text(pilot, field(pilot, "geinformeerd_door").query_one(Input), "Mentor")
        await fill_text(pilot, field(pilot, "reactie").query_one(TextArea), "Begrip")
        melding = field(pilot, "melding_datum").query_one(Input)
        melding.value = ""
        await fill_text(pilot, melding, "05-03-2026")
        await fill_text(pilot, field(pilot, "vt_contactpersoon").query_one(Input), "Consulent")

        on_disk = read_case(data_dir)
        assert on_disk["status"] == "gemeld"
        assert on_disk["steps"]["besluiten"]["values"]["melding_datum"] == "2026-03-05"
        (melding_event,) = [e for e in on_disk["events"] if e["action"] == "melding"]
        assert melding_event["by"]["name"] == "Mentor Jansen"
        due = {i["id"]: i["due"] for i in on_disk["aftercare"]}
        assert due == {"terugkoppeling_veilig_thuis": "2026-03-12"}
        case_id = on_disk["id"]

    review = ScreenHost(data_dir, lambda host: host.review(case_id))
    async with review.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = review.screen
        assert isinstance(screen, ReviewScreen)
        assert "Melding bij Veilig Thuis vastgelegd" in [row[3] for row in screen.timeline()]
