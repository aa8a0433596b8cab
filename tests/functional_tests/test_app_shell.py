"""The app shell: the home screen, start-up errors, unreadable cases, save errors, the modals,
the command palette and the remembered name."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from conftest import STEP_1, CaseWriter
from driver import SIZE, field, fill_text, new_case, read_case, ready, step_screen, type_text
from textual.app import App
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Markdown, Static, TextArea

from meldcode_tui.case import store as store_module
from meldcode_tui.case.model import AftercareItem
from meldcode_tui.tui import app as app_module
from meldcode_tui.tui.app import MeldcodeApp, make_app
from meldcode_tui.tui.screens.actor import ActorScreen
from meldcode_tui.tui.screens.contacts import ContactsScreen
from meldcode_tui.tui.screens.help import HelpScreen
from meldcode_tui.tui.screens.home import HomeScreen
from meldcode_tui.tui.widgets.keybar import KeyBar


def table_ids(app: App[None]) -> list[str]:
    table = app.screen.query_one("#case-table", DataTable)
    return [str(row.value) for row in table.rows]


async def test_home_lists_cases_and_notes_unreadable_files(
    data_dir: Path, write_case: CaseWriter
) -> None:
    write_case()
    write_case(case_id="20260302-lrl042", pupil="Leerling-042", group="5B")
    (data_dir / "20260301-kapot1.json").write_text("{ niet af")
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert sorted(table_ids(app)) == ["20260302-lrl042", "20260302-vos001"]
        note = str(app.screen.query_one("#list-note", Static).content)
        assert "1 zaakbestand kan niet worden gelezen" in note
        assert not app.screen.query_one("#overdue").display

        await pilot.press("ctrl+f")
        await type_text(pilot, "5b")
        assert table_ids(app) == ["20260302-lrl042"]
        app.screen.query_one("#search", Input).value = "vos001"
        await pilot.pause()
        assert table_ids(app) == ["20260302-vos001"]
        app.screen.query_one("#search", Input).value = "onbekend"
        await pilot.pause()
        assert table_ids(app) == []
        assert "Geen zaken gevonden" in str(app.screen.query_one("#list-note", Static).content)


async def test_the_key_bar_says_how_to_open_the_case_under_the_cursor(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    write_case()
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        bar = app.screen.query_one(KeyBar)
        assert ("⏎", "Openen") not in bar.shown_keys
        app.screen.query_one("#case-table", DataTable).focus()
        await pilot.pause()
        await pilot.pause()
        assert ("⏎", "Openen") in bar.shown_keys
        await pilot.press("enter")
        await pilot.pause()
        step_screen(pilot)
        assert app.work is not None and app.work.case.id == "20260302-vos001"


async def test_home_shows_overdue_aftercare(data_dir: Path, write_case: CaseWriter) -> None:
    write_case(aftercare=[AftercareItem(id="evaluatie", due="2020-01-06")])
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        overdue = app.screen.query_one("#overdue", Static)
        assert overdue.display
        assert "Pseudoniem Vos" in str(overdue.content)


async def test_new_case_remembers_name_and_role(data_dir: Path, tmp_path: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
        await new_case(pilot, pupil="Leerling-042", name="Mentor Jansen", role="mentor")
        assert step_screen(pilot).step.id == "signalen"
    prefs = json.loads((tmp_path / "config" / "prefs.json").read_text())
    assert prefs == {"name": "Mentor Jansen", "role": "mentor"}
    case = read_case(data_dir)
    assert case["pupil"] == "Leerling-042"
    assert case["group"] == "5B"
    assert case["created_by"] == {"name": "Mentor Jansen", "role": "mentor"}


async def test_opening_without_a_known_name_asks_who_you_are(
    data_dir: Path, write_case: CaseWriter
) -> None:
    case_id = write_case(steps={"signalen": STEP_1}, position=("signalen", ""))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ActorScreen)
        await type_text(pilot, "OT Pietersen")
        await pilot.press("tab", "down", "down", "down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert step_screen(pilot).step.id == "signalen"
        assert app.work is not None
        assert app.work.actor.name == "OT Pietersen"
        assert app.work.actor.role == "OT-medewerker (ondersteuningsteam)"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{ niet af", "beschadigd"),
        ('{"schema_version": 99}', "nieuwere versie"),
        (None, "geen zaak met nummer"),
    ],
)
async def test_a_case_that_cannot_be_read_gives_a_message(
    data_dir: Path, known_user: None, content: str | None, expected: str
) -> None:
    case_id = "20260301-kapot1"
    if content is not None:
        (data_dir / f"{case_id}.json").write_text(content)
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        messages = [n.message for n in app._notifications]
        assert any(expected in m for m in messages), messages
    if content is not None:
        assert (data_dir / f"{case_id}.json").read_text() == content


async def test_a_failed_save_keeps_the_text_and_says_so(
    data_dir: Path, write_case: CaseWriter, known_user: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = write_case(steps={"signalen": STEP_1}, position=("besluiten", "regie"))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)

        def disk_full(path: Path, data: bytes) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(store_module, "write_atomic", disk_full)
        regie = field(pilot, "regie").query_one(Input)
        await fill_text(pilot, regie, "OT")
        assert regie.value == "OT"
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Niet opgeslagen:") for m in messages), messages
        assert "regie" not in read_case(data_dir)["steps"].get("besluiten", {}).get("values", {})
        assert str(step_screen(pilot).query_one("#saved").render()) == ""
        monkeypatch.undo()
        await type_text(pilot, "!")
        assert read_case(data_dir)["steps"]["besluiten"]["values"]["regie"] == "OT!"


async def test_a_bad_flow_file_stops_with_a_dutch_message(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "kapot.yaml"
    bad.write_text("id: x\nsteps: []\n")
    app = make_app(data_dir=data_dir, flow_path=bad)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_until_loaded()
        await pilot.pause()
    assert app.return_code == 1
    assert app.startup_error is not None
    assert "het protocolbestand (flow) is niet in orde" in app.startup_error
    assert "kapot.yaml" in app.startup_error


def test_run_turns_an_unusable_data_folder_into_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "bestand"
    not_a_folder.write_text("")
    monkeypatch.setattr(MeldcodeApp, "run", lambda self, **_: App.run(self, headless=True))
    assert app_module.run(data_dir=str(not_a_folder)) == 1
    err = capsys.readouterr().err
    assert "de map met zaken" in err
    assert "Traceback" not in err


async def test_f2_shows_veilig_thuis_and_112_everywhere(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        assert isinstance(app.screen, ContactsScreen)
        phones = [str(s.content) for s in app.screen.query(".contact-phone").results(Static)]
        assert phones == ["0800-2000", "112", "0900-111 3 111"]
        await pilot.press("escape")
        await new_case(pilot)
        field(pilot, "signalen")
        await pilot.press("f2")
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("f2")
        assert step_screen(pilot).step.id == "signalen"


async def test_help_shows_the_protocol_text_of_the_step(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(position=("gesprek", ""))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        step_screen(pilot).query_one("#previous").focus()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        source = app.screen.query_one(Markdown).source
        assert "Stap 3 van 5 — Gesprek met ouders en/of leerling" in source
        assert "Van een gesprek met de ouders en/of de leerling kan worden afgezien" in source
        assert "0800-2000" in source
        await pilot.press("escape")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert step_screen(pilot).step.id == "gesprek"


async def test_command_palette_goes_to_a_step(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(position=("signalen", ""))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        assert CommandPalette.is_open(app)
        await type_text(pilot, "stap 5")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert step_screen(pilot).step.id == "besluiten"
        await pilot.press("ctrl+p")
        await type_text(pilot, "Veilig Thuis")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)


async def test_f10_closes_the_case_and_returns_home(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(position=("gesprek", ""))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert (data_dir / f"{case_id}.lock").exists()
        text = field(pilot, "gesprek_gevoerd")
        assert text is not None
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.work is None
        assert not (data_dir / f"{case_id}.lock").exists()
        assert table_ids(app) == [case_id]


async def test_step_3_warns_when_fewer_than_two_staff(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"gesprek": {"gesprek_gevoerd": "ja", "gesprekken": [{"door": "Mentor"}]}},
        position=("gesprek", "besproken"),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        talks = field(pilot, "gesprekken")
        second = talks.query_one("EntryCard").query_one(".field-help", Static)
        assert "altijd met 2 medewerkers" in str(second.content)
        missing = step_screen(pilot).open_case.state.missing["gesprek"]
        assert "Gesprekken 1: Tweede medewerker van school (naam, functie)" in missing
        assert isinstance(app.focused, TextArea)


async def test_f2_shows_the_national_numbers_then_the_schools_own_contacts(
    data_dir: Path,
) -> None:
    (data_dir / "school.yaml").write_text(
        "name: Voorbeeldschool\n"
        "contacts:\n"
        "  - role: Aandachtsfunctionaris\n"
        "    name: A. Voorbeeld\n"
        "    phone: 010-1234567\n"
        "    email: zorg@voorbeeldschool.nl\n"
        "    note: Op schooldagen\n",
        encoding="utf-8",
    )
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        names = [str(s.content) for s in screen.query(".contact-name").results(Static)]
        assert names[0] == "Veilig Thuis"
        assert names[-1] == "Aandachtsfunctionaris: A. Voorbeeld"
        notes = [str(s.content) for s in screen.query(".contact-note").results(Static)]
        assert "ook voor anoniem advies" in notes[0]
        assert "Op schooldagen" in notes
        phones = [str(s.content) for s in screen.query(".contact-phone").results(Static)]
        assert phones[-1] == "010-1234567 · zorg@voorbeeldschool.nl"
        title = str(screen.query_one("#school-title", Static).content)
        assert title == "Contacten van Voorbeeldschool"


async def test_f2_without_school_file_says_where_to_put_one(data_dir: Path) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        none = str(screen.query_one("#school-none", Static).content)
        assert str(data_dir / "school.yaml") in none
        assert "docs/school.example.yaml" in none


async def test_f2_with_a_broken_school_file_still_shows_the_national_numbers(
    data_dir: Path,
) -> None:
    (data_dir / "school.yaml").write_text("contacts: [{rol: x}\n  - : :", encoding="utf-8")
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        problem = str(screen.query_one("#school-problem", Static).content)
        assert "kan niet worden gelezen" in problem and str(data_dir / "school.yaml") in problem
        phones = [str(s.content) for s in screen.query(".contact-phone").results(Static)]
        assert phones == ["0800-2000", "112", "0900-111 3 111"]
        assert not screen.query(".school-contact")
