"""No English that Textual itself draws: the command palette (placeholder, system commands, "no
matches"), the colour scheme choice, the key bar ("Menu", "Keuzes sluiten"), and the keys
of the screen under F1 ("Toetsen") on the home, step and review screens, closed with Esc and F1.

The screen is read as the user sees it: the text of every cell the app draws."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from casefolder import MEREL
from conftest import STEP_1, CaseWriter
from driver import SIZE, ready, step_screen, type_text
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import HelpPanel, Input, Select

from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.keys import DUTCH
from meldcode_tui.tui.screens.help import HelpScreen
from meldcode_tui.tui.screens.home import HomeScreen
from meldcode_tui.tui.screens.overview import OverviewScreen
from meldcode_tui.tui.screens.review import ReviewScreen
from meldcode_tui.tui.widgets.keybar import KeyBar

ENGLISH = (
    "Search",
    "commands",
    "palette",
    "Theme",
    "themes",
    "Quit",
    "Keys",
    "Screenshot",
    "Maximize",
    "Minimize",
    "Dismiss",
    "Press",
    "Focus",
    "Toggle",
    "Move",
    "Delete",
    "Paste",
    "Undo",
    "Scroll",
    "Show",
    "Change",
    "matches",
    "found",
    "application",
    "Select",
    "Next",
    "Previous",
)
"""Words of Textual's own texts that are not Dutch words."""
TEXTUAL_DESCRIPTIONS = {english for _, english in DUTCH}


def screen_text(app: App[Any]) -> str:
    """What the terminal shows: the text of every line the screen draws."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if re.search(rf"\b{word}\b", text)]


def palette_entries(app: App[Any]) -> list[str]:
    """The prompt and help of every entry of the palette's list, also those scrolled away."""
    command_list = app.screen.query_one(CommandList)
    entries = []
    for index in range(command_list.option_count):
        option = command_list.get_option_at_index(index)
        hit = getattr(option, "hit", None)
        entries.append(str(option.prompt) if hit is None else f"{hit.text} {hit.help or ''}")
    return entries


async def open_palette(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+p")
    assert CommandPalette.is_open(pilot.app)
    await pilot.pause(0.3)


async def test_the_palette_and_its_system_commands_are_dutch(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    write_case()
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert english_in(screen_text(app)) == []
        assert ("^p", "Menu") in app.screen.query_one(KeyBar).shown_keys
        await open_palette(pilot)
        shown = screen_text(app)
        assert "Zoek een opdracht…" in shown
        entries = palette_entries(app)
        assert any(entry.startswith("Toetsen") for entry in entries)
        assert any(entry.startswith("Kleurenschema") for entry in entries)
        assert any(entry.startswith("Stoppen") for entry in entries)
        assert english_in(shown) == []
        assert english_in("\n".join(entries)) == []

        await type_text(pilot, "xyzzy")
        await pilot.pause(0.8)
        shown = screen_text(app)
        assert "Niets gevonden" in shown
        assert english_in(shown) == []


async def test_keys_from_the_palette_open_f1_not_textuals_keys_panel(
    data_dir: Path, known_user: None
) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_palette(pilot)
        await type_text(pilot, "Toetsen")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert not app.query(HelpPanel)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        app.action_show_help_panel()  # what Textual's own "Keys" command calls
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert not app.query(HelpPanel)


async def test_the_colour_scheme_is_chosen_from_a_dutch_list(
    data_dir: Path, known_user: None
) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_palette(pilot)
        await type_text(pilot, "Kleurenschema")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert CommandPalette.is_open(app)
        shown = screen_text(app)
        assert "Kies een kleurenschema…" in shown
        assert [entry.split()[0] for entry in palette_entries(app)] == ["Donker", "Licht"]
        assert english_in(shown) == [] and "textual" not in shown
        await type_text(pilot, "Licht")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-light"


async def test_an_open_select_says_in_dutch_how_to_close_it(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    write_case()
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        select = app.screen.query_one(Select)
        select.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert select.expanded
        shown = app.screen.query_one(KeyBar).shown_keys
        assert ("esc", "Keuzes sluiten") in shown
        assert english_in(screen_text(app)) == []


def keys_of(screen: HelpScreen) -> dict[str, list[tuple[str, str]]]:
    return {group.title: list(group.keys) for group in screen.keys}


def assert_all_dutch(screen: HelpScreen) -> None:
    descriptions = [description for group in screen.keys for _, description in group.keys]
    assert descriptions
    assert not TEXTUAL_DESCRIPTIONS.intersection(descriptions)
    assert english_in("\n".join(descriptions)) == []


async def test_f1_on_home_lists_the_home_keys_and_the_fields(
    data_dir: Path, known_user: None
) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen.focused, Input)
        await pilot.press("f1")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        keys = keys_of(screen)
        assert next(iter(keys)) == "Dit scherm"
        for pair in [("^n", "Nieuwe zaak"), ("^o", "Alle zaken"), ("F2", "Veilig Thuis")]:
            assert pair in keys["Dit scherm"]
        assert ("^p", "Menu") in keys["Dit scherm"]
        assert ("tab", "Naar het volgende veld") in keys["Dit scherm"]
        assert ("←", "Cursor naar links") in keys["Invoerveld"]
        assert_all_dutch(screen)
        shown = screen_text(app)
        assert "Toetsen" in shown and "Nieuwe zaak" in shown
        assert "Meldcode huiselijk geweld en kindermishandeling" in shown  # the protocol text
        assert english_in(shown) == []
        await pilot.press("tab")
        assert screen.focused is screen.query_one("#help-keys")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_f1_on_a_step_lists_the_step_keys(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(steps={"signalen": STEP_1}, position=("gesprek", ""))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "▏^p Menu" in screen_text(app)  # the key bar of a step keeps it at 80 columns
        await pilot.press("f1")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        keys = keys_of(screen)["Dit scherm"]
        for pair in [("F7", "Vorige"), ("F8", "Volgende"), ("F10", "Zaken"), ("F1", "Help")]:
            assert pair in keys
        assert_all_dutch(screen)
        shown = screen_text(app)
        assert "Stap 3 van 5" in shown and "Toetsen" in shown
        assert english_in(shown) == []
        await pilot.press("f1")
        assert step_screen(pilot).step.id == "gesprek"


async def test_f1_on_the_review_lists_the_review_keys(case_folder: Path, known_user: None) -> None:
    app = make_app(data_dir=case_folder)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await app.show_review(MEREL)
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("f1")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        keys = keys_of(screen)["Dit scherm"]
        for pair in [("t", "Tijdlijn"), ("e", "Exporteren"), ("n", "Nazorg")]:
            assert pair in keys
        assert_all_dutch(screen)
        assert english_in(screen_text(app)) == []
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)
