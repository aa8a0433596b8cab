"""Who is acting: the name on the home screen is the identity for every later event, also for a
case closed and reopened from Alle zaken, and F3 changes it from any screen."""

from __future__ import annotations

from pathlib import Path

from casefolder import MEREL
from driver import SIZE, app_of, choose, ready, type_text
from textual.widgets import Input

from meldcode_tui.case.store import CaseStore
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.fields.choicelist import ChoiceList
from meldcode_tui.tui.prefs import Prefs
from meldcode_tui.tui.screens.actor import ActorScreen
from meldcode_tui.tui.screens.overview import OverviewScreen
from meldcode_tui.tui.screens.review import ReviewScreen
from meldcode_tui.tui.widgets.actor import ActorLine

NEW_NAME = "Zorgcoördinator Van Dijk"


async def test_a_name_changed_on_home_closes_and_reopens_the_case(case_folder: Path) -> None:
    app = make_app(data_dir=case_folder)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.query_one("#name", Input).value = NEW_NAME
        app.screen.query_one("#role", Input).value = "zorgcoördinator"
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert NEW_NAME in str(overview.query_one(ActorLine).content)
        await overview.open_case(MEREL)
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("z")
        await pilot.pause()
        await pilot.press(*"Klaar", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("h")
        await pilot.pause()
        await pilot.press(*"Nieuw", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
    case = CaseStore(case_folder).load(MEREL)
    close, reopen = case.events[-2:]
    assert (close.action, close.by.name, close.by.role, close.note) == (
        "close",
        NEW_NAME,
        "zorgcoördinator",
        "Klaar",
    )
    assert (reopen.action, reopen.by.name, reopen.note) == ("reopen", NEW_NAME, "Nieuw")
    assert case.status.value == "heropend"
    assert CaseStore(case_folder).lock_holder(MEREL) is None


async def test_f3_changes_who_acts_on_the_open_case(case_folder: Path) -> None:
    app = make_app(data_dir=case_folder, case_id=MEREL)
    app.prefs = Prefs(name="Mentor Jansen", role="mentor")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app_of(pilot).work is not None
        await pilot.press("f3")
        await pilot.pause()
        name = app.screen.query_one("#actor-name", Input)
        name.value = "Teamleider Bakker"
        roles = app.screen.query_one("#actor-roles", ChoiceList)
        assert roles.labels[:4] == [
            "Mentor",
            "Docent",
            "Teamleider",
            "OT-medewerker (ondersteuningsteam)",
        ]
        assert roles.pressed_index == 0  # the remembered role "mentor"
        assert not app.screen.query_one("#actor-other-row").display
        await choose(pilot, roles, 2)  # choosing a role confirms
        await pilot.pause()
        assert "Teamleider Bakker (Teamleider)" in str(app.screen.query_one(ActorLine).content)
        work = app_of(pilot).work
        assert work is not None
        work.set_notes("signalen", "Aanvulling na overleg")
    case = CaseStore(case_folder).load(MEREL)
    assert case.events[-1].by.name == "Teamleider Bakker"


async def test_a_role_not_in_the_list_is_typed_after_anders(case_folder: Path) -> None:
    app = make_app(data_dir=case_folder, case_id=MEREL)
    app.prefs = Prefs(name="Mentor Jansen", role="mentor")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        roles = app.screen.query_one("#actor-roles", ChoiceList)
        await choose(pilot, roles, roles.labels.index("Anders"))
        other = app.screen.query_one("#actor-role", Input)
        assert app.screen.query_one("#actor-other-row").display
        assert app.focused is other
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActorScreen), "anders without a role typed stays open"
        await type_text(pilot, "Remedial teacher")
        await pilot.press("enter")
        await pilot.pause()
        assert "Mentor Jansen (Remedial teacher)" in str(app.screen.query_one(ActorLine).content)
        work = app_of(pilot).work
        assert work is not None
        work.set_notes("signalen", "Aanvulling")
        await pilot.press("f3")
        await pilot.pause()
        roles = app.screen.query_one("#actor-roles", ChoiceList)
        assert roles.labels[roles.pressed_index] == "Anders"
        assert app.screen.query_one("#actor-role", Input).value == "Remedial teacher"
    case = CaseStore(case_folder).load(MEREL)
    assert case.events[-1].by.role == "Remedial teacher"
