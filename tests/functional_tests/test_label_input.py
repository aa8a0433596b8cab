"""The one-line labels typed in the app (pupil reference, group, name, role) refuse what the case
store refuses — control characters and characters that show as nothing — with a Dutch message at
the field, so that a reference that looks like another pupil's is never stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from driver import SIZE, ready
from textual.widgets import Input

from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.prefs import load_prefs
from meldcode_tui.tui.screens.actor import ActorScreen

ZERO_WIDTH_SPACE = "\u200b"


def _messages(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("field_id", "value", "label"),
    [
        ("#pupil", f"Leer{ZERO_WIDTH_SPACE}ling-042", "Leerling"),
        ("#group", "5\u00adB", "Klas/groep"),
        ("#pupil", "Leerling\t042", "Leerling"),
    ],
)
async def test_a_new_case_with_an_unfit_label_is_refused_at_its_field(
    data_dir: Path, known_user: None, field_id: str, value: str, label: str
) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        home = app.screen
        home.query_one("#pupil", Input).value = "Leerling-042"
        home.query_one(field_id, Input).value = value
        await pilot.click("#create")
        await pilot.pause()
        assert app.screen is home and app.work is None
        assert app.screen.focused is home.query_one(field_id, Input)
        assert any(m.startswith(f"{label}: hierin staat een teken") for m in _messages(app))
    assert not list(data_dir.glob("*.json"))


async def test_a_name_with_an_invisible_character_is_not_taken_as_who_is_acting(
    data_dir: Path, known_user: None
) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        before = app.prefs.name
        app.screen.query_one("#name", Input).value = f"Mentor{ZERO_WIDTH_SPACE} Fictief"
        await pilot.pause()
        assert app.prefs.name == before == load_prefs().name
        assert any(m.startswith("Je naam: hierin staat een teken") for m in _messages(app))
        await pilot.press("f3")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ActorScreen)
        dialog.query_one("#actor-name", Input).value = f"Mentor{ZERO_WIDTH_SPACE} Fictief"
        await pilot.click("#actor-ok")
        await pilot.pause()
        assert app.screen is dialog
        assert app.prefs.name == before
