"""The bewaartermijn in the app: the close dialog's "bewaren tot" date (the school's term, shorter
only with a reason), destroying a case from the review (the zorgcoördinator only, after a
confirmation that names the pupil reference and the dates), and the overview's filter of expired
cases."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from casefolder import (
    DAS,
    FLOW,
    MEREL,
    SIZE,
    TEAMLEIDER,
    TODAY,
    UIL,
    ZORG,
    ScreenHost,
    settle,
)
from textual.widgets import DataTable, Input, Select, Static

from meldcode_tui.case.destroy import DESTROY_LOG
from meldcode_tui.case.store import CaseStore
from meldcode_tui.casework.registry import FlowRegistry
from meldcode_tui.casework.work import CaseWork
from meldcode_tui.tui.prefs import Prefs
from meldcode_tui.tui.screens.home import HomeScreen
from meldcode_tui.tui.screens.overview import OverviewScreen
from meldcode_tui.tui.screens.retention_dialogs import CloseDialog, DestroyDialog
from meldcode_tui.tui.screens.review import ReviewScreen


def review(root: Path, case_id: str) -> ScreenHost:
    return ScreenHost(root, lambda app: app.review(case_id))


def on_disk(root: Path, case_id: str) -> dict[str, object]:
    return json.loads((root / f"{case_id}.json").read_text(encoding="utf-8"))


def notices(app: ScreenHost) -> str:
    return "\n".join(n.message for n in app._notifications)


def text(app: ScreenHost, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def close_expired(root: Path, case_id: str, closed_on: date = date(2023, 1, 10)) -> None:
    """Close a case as it was closed on `closed_on`: kept until two years later."""
    store = CaseStore(root)
    work = CaseWork.open(store, FlowRegistry(FLOW, root), case_id, ZORG)
    work.close("Zorgen weggenomen.", today=closed_on)
    work.release()


async def test_the_close_dialog_asks_the_date_and_a_reason_for_a_shorter_one(
    case_folder: Path,
) -> None:
    app = review(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CloseDialog)
        until = dialog.query_one("#close-until", Input)
        assert until.value == "10-03-2028"  # TODAY plus the school's two years
        assert "2 jaar na het sluiten: tot 10-03-2028" in text(app, ".dialog-hint")
        shorter = dialog.query_one("#close-shorter", Input)
        assert not shorter.display
        dialog.query_one("#close-reason", Input).value = "Hulp loopt."
        until.value = "01-09-2026"
        await settle(pilot)
        assert shorter.display
        await pilot.click("#close-ok")
        await settle(pilot)
        assert app.screen is dialog
        assert "vul in waarom" in text(app, "#close-message")
        assert on_disk(case_folder, MEREL)["status"] == "nazorg"
        shorter.value = "Leerling verhuist naar het buitenland."
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        case = on_disk(case_folder, MEREL)
        assert case["status"] == "gesloten" and case["retain_until"] == "2026-09-01"
        events = case["events"]
        assert isinstance(events, list)
        assert [(e["action"], e["detail"], e["note"], e["by"]["name"]) for e in events[-2:]] == [
            (
                "shorten_retention",
                "2026-09-01",
                "Leerling verhuist naar het buitenland.",
                ZORG.name,
            ),
            ("close", "2026-09-01", "Hulp loopt.", ZORG.name),
        ]
        assert "bewaren tot 01-09-2026" in text(app, "#review-title")
        assert "bewaard tot 01-09-2026" in notices(app)


async def test_the_close_dialog_refuses_a_wrong_date(case_folder: Path) -> None:
    app = review(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#close-reason", Input).value = "Hulp loopt."
        until = dialog.query_one("#close-until", Input)
        for typed, message in (
            ("31-02-2027", "Ongeldige datum: gebruik dd-mm-jjjj"),
            ("09-03-2026", "kan niet vóór vandaag liggen"),
        ):
            until.value = typed
            await settle(pilot)
            await pilot.click("#close-ok")
            await settle(pilot)
            assert app.screen is dialog
            assert message in text(app, "#close-message")
        assert on_disk(case_folder, MEREL)["status"] == "nazorg"


async def test_destroy_an_expired_case_from_the_review(case_folder: Path) -> None:
    close_expired(case_folder, MEREL)
    app = review(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "bewaren tot 10-01-2025 · ⚠ verstreken" in text(app, "#review-title")
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, DestroyDialog)
        facts = text(app, "#destroy-facts")
        assert "Leerling:    Leerling-2041" in facts
        assert "Aangemaakt:  02-03-2026" in facts
        assert "Gesloten:    " in facts and "Bewaren tot: 10-01-2025" in facts
        assert text(app, "#destroy-warning") == "De bewaartermijn is verstreken."
        await pilot.press("enter")  # the dialog opens on "Annuleren"
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert (case_folder / f"{MEREL}.json").exists()

        await pilot.press("v")
        await settle(pilot)
        await pilot.click("#destroy-ok")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not (case_folder / f"{MEREL}.json").exists()
        assert not (case_folder / f"{MEREL}.lock").exists()
        assert "is vernietigd" in notices(app)
    entry = json.loads((case_folder / DESTROY_LOG).read_text(encoding="utf-8"))
    assert entry["id"] == MEREL and entry["retain_until"] == "2025-01-10"
    assert entry["by"] == {"name": ZORG.name, "role": ZORG.role}
    for path in case_folder.rglob("*"):
        if path.is_file():
            assert b"Leerling-2041" not in path.read_bytes(), path.name


async def test_a_case_within_its_term_is_destroyed_only_after_the_warning(
    case_folder: Path,
) -> None:
    close_expired(case_folder, MEREL, closed_on=TODAY)
    app = review(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        warning = text(app, "#destroy-warning")
        assert "de bewaartermijn loopt nog tot 10-03-2028" in warning
        await pilot.click("#destroy-ok")
        await settle(pilot)
    assert not (case_folder / f"{MEREL}.json").exists()


async def test_an_open_case_asks_the_reason_for_the_log(case_folder: Path) -> None:
    app = review(case_folder, UIL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert "Gesloten:    nee, de zaak loopt nog" in text(app, "#destroy-facts")
        assert "zet er geen namen of inhoud van de zaak in" in text(app, "#destroy-warning")
        await pilot.press("enter")
        await settle(pilot)
        assert "Vul de reden in" in text(app, "#destroy-message")
        await pilot.press(*"Dubbel aangemaakt", "enter")
        await settle(pilot)
        assert not (case_folder / f"{UIL}.json").exists()
    entry = json.loads((case_folder / DESTROY_LOG).read_text(encoding="utf-8"))
    assert entry["reason"] == "Dubbel aangemaakt" and entry["closed"] is None


async def test_other_roles_are_told_why_they_cannot_destroy(case_folder: Path) -> None:
    close_expired(case_folder, MEREL)
    app = review(case_folder, MEREL)
    app.prefs = Prefs(name=TEAMLEIDER.name, role=TEAMLEIDER.role)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "Alleen de zorgcoördinator kan een zaak vernietigen" in notices(app)
        assert "Teamleider Bakker (teamleider)" in notices(app)
    assert (case_folder / f"{MEREL}.json").exists()


async def test_a_case_open_elsewhere_is_not_destroyed(case_folder: Path) -> None:
    store = CaseStore(case_folder)
    with store.open(UIL, TEAMLEIDER) as editing:
        assert not editing.read_only
        app = review(case_folder, UIL)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("v")
            await settle(pilot)
            assert isinstance(app.screen, ReviewScreen)
            assert "Vernietigen kan nu niet" in [n.title for n in app._notifications]
    assert (case_folder / f"{UIL}.json").exists()


async def test_the_overview_filters_expired_cases(case_folder: Path) -> None:
    close_expired(case_folder, MEREL)
    app = ScreenHost(
        case_folder, lambda app: OverviewScreen(CaseStore(case_folder), FLOW, today=TODAY)
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "1 bewaartermijn verstreken" in text(app, "#overview-note")
        app.screen.query_one("#overview-status", Select).value = "verstreken"
        await settle(pilot)
        table = app.screen.query_one("#overview-table", DataTable)
        assert [str(key.value) for key in table.rows] == [MEREL]  # DAS: closed without a date
        assert isinstance(app.screen, OverviewScreen)
        assert DAS in {row.case_id for row in app.screen._cases}
