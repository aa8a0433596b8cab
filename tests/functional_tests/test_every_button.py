"""Every button of the wizard, pressed once with the mouse, does what it says: add and remove an
entry, Volgende/Vorige, Volgende vraag, and Naar stap 5: Beslissen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from driver import SIZE, answer, app_of, current_question, field, new_case, ready, step_screen
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button

from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.fields.entries import EntryCard

ROUTE = [
    ("vermoeden", "ja"),
    ("veiligheid", "nee"),
    ("hulp_aanbieden", "ja"),
    ("hulp_aanvaard", "ja"),
    ("resultaat", "ja"),
]


async def click(pilot: Pilot[Any], widget: Widget) -> None:
    widget.scroll_visible(animate=False)
    await pilot.pause()
    assert await pilot.click(widget), f"{widget!r} could not be clicked"
    for _ in range(4):
        await pilot.pause()


async def test_every_wizard_button_once(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot)
        signals = field(pilot, "signalen")
        await click(pilot, signals.query_one(".entry-add", Button))
        assert len(signals.query(EntryCard)) == 1
        await click(pilot, signals.query_one(".entry-remove", Button))
        assert len(signals.query(EntryCard)) == 0

        await click(pilot, step_screen(pilot).query_one("#next", Button))
        assert step_screen(pilot).step.id == "consultatie"
        await click(pilot, step_screen(pilot).query_one("#previous", Button))
        assert step_screen(pilot).step.id == "signalen"

        app_of(pilot).show_step("afweging")
        for _ in range(4):
            await pilot.pause()
        for qid, option in ROUTE:
            assert current_question(pilot) == qid
            await answer(pilot, option)
            await click(pilot, step_screen(pilot).query_one("#next-question", Button))
        decide = step_screen(pilot).query_one("#to-decide", Button)
        assert decide.display
        await click(pilot, decide)
        assert step_screen(pilot).step.id == "besluiten"
