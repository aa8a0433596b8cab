"""The aftercare screen: the flow's nazorg checklist, overdue items marked, every edit on disk at
once, read-only when someone else edits, the lock released on leaving, a linked new case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from casefolder import (
    FLOW,
    MEREL,
    SIZE,
    TEAMLEIDER,
    VOS,
    ScreenHost,
    settle,
)
from textual.widgets import Button, Input, Label, Select, Static

from meldcode_tui.case.store import CaseStore
from meldcode_tui.tui.fields.date import INVALID_DATE
from meldcode_tui.tui.screens.aftercare import AftercareScreen, aftercare_options
from meldcode_tui.tui.screens.review_dialogs import ConfirmDialog
from meldcode_tui.tui.widgets.aftercare_items import OVERDUE


def host(root: Path, case_id: str) -> ScreenHost:
    return ScreenHost(root, lambda app: app.aftercare(case_id))


def items_on_disk(root: Path, case_id: str) -> dict[str, dict[str, Any]]:
    case = json.loads((root / f"{case_id}.json").read_text(encoding="utf-8"))
    return {item["id"]: item for item in case["aftercare"]}


def text(app: ScreenHost, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def test_shows_the_flows_checklist_with_the_protocol_help(case_folder: Path) -> None:
    app = host(case_folder, VOS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        labels = [str(label.content) for label in app.screen.query(".item-label").results(Label)]
        assert labels == [option.label for option in aftercare_options(FLOW)]
        assert len(labels) == 9
        helps = [str(s.content) for s in app.screen.query(".item-help").results(Static)]
        assert any("niet over de specifieke therapie" in h.lower() for h in helps)


async def test_overdue_item_is_marked(case_folder: Path) -> None:
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AftercareScreen)
        assert text(app, "#overdue-evaluatie") == OVERDUE
        assert screen.query_one("#item-evaluatie").has_class("-overdue")
        assert text(app, "#overdue-informatie") == ""
        assert screen.overdue_items() == ["evaluatie"]
        assert screen.query_one("#due-evaluatie", Input).value == "05-03-2026"
        assert screen.query_one("#who-evaluatie", Input).value == "De Boer"


async def test_marking_an_item_done_clears_the_marker_and_saves(case_folder: Path) -> None:
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#status-evaluatie", Select).value = "gedaan"
        await settle(pilot)
        assert text(app, "#overdue-evaluatie") == ""
        assert items_on_disk(case_folder, MEREL)["evaluatie"]["status"] == "gedaan"


async def test_an_edit_lands_in_the_file_at_once(case_folder: Path) -> None:
    app = host(case_folder, VOS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert items_on_disk(case_folder, VOS) == {}
        app.screen.query_one("#due-juiste_plek", Input).focus()
        await pilot.press(*"12-03-2026")
        await settle(pilot)
        assert items_on_disk(case_folder, VOS)["juiste_plek"]["due"] == "2026-03-12"
        app.screen.query_one("#who-juiste_plek", Input).value = "Zorgcoördinator De Boer"
        app.screen.query_one("#note-juiste_plek", Input).value = "Gezin bij wijkteam aangemeld."
        await settle(pilot)
        item = items_on_disk(case_folder, VOS)["juiste_plek"]
        assert item == {
            "id": "juiste_plek",
            "due": "2026-03-12",
            "who": "Zorgcoördinator De Boer",
            "status": "open",
            "note": "Gezin bij wijkteam aangemeld.",
        }
        assert list(items_on_disk(case_folder, VOS)) == ["juiste_plek"]
        app.screen.query_one("#due-juiste_plek", Input).value = "01-03-2026"
        await settle(pilot)
        assert text(app, "#overdue-juiste_plek") == OVERDUE


async def test_an_invalid_date_is_explained_and_not_stored(case_folder: Path) -> None:
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        due = app.screen.query_one("#due-evaluatie", Input)
        due.value = "31-02-2026"
        due.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert text(app, "#message-evaluatie") == INVALID_DATE
        assert items_on_disk(case_folder, MEREL)["evaluatie"]["due"] == "2026-03-05"
        due.value = ""
        await settle(pilot)
        assert items_on_disk(case_folder, MEREL)["evaluatie"]["due"] is None
        assert text(app, "#message-evaluatie") == ""


async def test_leaving_releases_the_lock(case_folder: Path) -> None:
    store = CaseStore(case_folder)
    app = host(case_folder, VOS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert store.lock_holder(VOS) is not None
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AftercareScreen)
        assert store.lock_holder(VOS) is None


async def test_read_only_with_a_banner_when_someone_else_edits(case_folder: Path) -> None:
    store = CaseStore(case_folder)
    with store.open(MEREL, TEAMLEIDER):
        app = host(case_folder, MEREL)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            banner = app.screen.query_one("#aftercare-banner", Static)
            assert banner.display
            assert "Teamleider Bakker" in str(banner.content)
            due = app.screen.query_one("#due-evaluatie", Input)
            assert due.disabled
            assert app.screen.query_one("#restart-advies_niet_opgevolgd", Button).disabled
            due.value = "20-03-2026"
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        assert items_on_disk(case_folder, MEREL)["evaluatie"]["due"] == "2026-03-05"
        assert store.lock_holder(MEREL) is not None


async def test_protocol_hints_for_the_items_that_ask_an_action(case_folder: Path) -> None:
    app = host(case_folder, VOS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hints = {
            str(hint.parent.id): str(hint.content)
            for hint in app.screen.query(".item-hint").results(Static)
        }
        assert "0800-2000" in hints["item-hulp_gestrand"]
        assert "zorgcoördinator van de nieuwe school" in hints["item-schoolwissel"]
        assert "Bel Veilig Thuis zelf: 0800-2000" in hints["item-terugkoppeling_veilig_thuis"]
        assert "stappenplan opnieuw" in hints["item-advies_niet_opgevolgd"]


async def test_advice_not_followed_starts_a_new_linked_case(case_folder: Path) -> None:
    store = CaseStore(case_folder)
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        button = app.screen.query_one("#restart-advies_niet_opgevolgd", Button)
        app.screen.query_one("#aftercare-items").scroll_to_widget(button, animate=False)
        await settle(pilot)
        await pilot.click("#restart-advies_niet_opgevolgd")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AftercareScreen)
        ((new_id, linked_to),) = app.started
        assert linked_to == MEREL
        note = app.screen.query_one("#note-advies_niet_opgevolgd", Input).value
        assert note == f"Stappenplan opnieuw: zaak {new_id}."
    new = store.load(new_id)
    assert new.linked_case == MEREL
    assert (new.pupil, new.group, new.status.value) == ("Leerling-2041", "2B", "open")
    assert items_on_disk(case_folder, MEREL)["advies_niet_opgevolgd"]["note"] == note
