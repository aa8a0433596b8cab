"""The review screen: the case read-only from its export document, the timeline in order, closing
(both decisions and a reason), the lock of someone else, copying for Magister and exporting."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

from casefolder import (
    FLOW,
    MEREL,
    SIZE,
    TEAMLEIDER,
    UIL,
    VOS,
    ZORG,
    ScreenHost,
    settle,
)
from textual.widgets import Input, Static, TabbedContent

from meldcode_tui.case.export import Exported, export_case, step_summary
from meldcode_tui.case.store import CaseStore
from meldcode_tui.case.wording import describe_event, target_label
from meldcode_tui.tui.fields.choicelist import ChoiceList
from meldcode_tui.tui.screens.aftercare import AftercareScreen
from meldcode_tui.tui.screens.home import HomeScreen
from meldcode_tui.tui.screens.review import ReviewScreen
from meldcode_tui.tui.screens.review_dialogs import (
    ReasonDialog,
    SaveTextDialog,
    StepPicker,
)

NOW = datetime(2026, 3, 20, 13, 45, tzinfo=UTC)


def host(root: Path, case_id: str) -> ScreenHost:
    app = ScreenHost(root, lambda app: app.review(case_id))
    app.clock = lambda: NOW
    return app


def on_disk(root: Path, case_id: str) -> dict[str, object]:
    return json.loads((root / f"{case_id}.json").read_text(encoding="utf-8"))


def timeline(app: ScreenHost) -> list[list[str]]:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return [list(row) for row in screen.timeline()]


def notices(app: ScreenHost) -> str:
    return "\n".join(n.message for n in app._notifications)


async def test_summary_is_the_export_document(case_folder: Path) -> None:
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        case = CaseStore(case_folder).load(MEREL)
        source = str(app.screen.query_one("#review-text", Static).content)
        assert source == export_case(case, FLOW, "txt", timeline=False)
        assert "Geëxporteerd" not in source and "Bijlage" not in source
        assert "Blauwe plek op de arm" in source
        assert "Structurele onveiligheid." in source and "Ouders werken mee." in source
        assert "Bij een vermoeden van structurele onveiligheid" in source
        title = str(app.screen.query_one("#review-title", Static).content)
        assert title == (
            f"Leerling-2041 · klas/groep 2B · nazorg · ⚠ nazorg te laat · zaak {MEREL}"
        )


async def test_timeline_shows_the_events_in_order(case_folder: Path) -> None:
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "review-timeline"
        rows = timeline(app)
        assert [row[3] for row in rows] == [
            "Zaak aangemaakt, protocol versie 1.2",
            "Vastgelegd: Stap 1 — Signalen",
            "Beantwoord: Stap 4 — " + FLOW.question("vermoeden").text + " → Ja",  # type: ignore[union-attr]
            "Beantwoord: Stap 4 — " + FLOW.question("veiligheid").text + " → Ja",  # type: ignore[union-attr]
            "Besluit 1: melding maken bij Veilig Thuis → Ja, melden bij Veilig Thuis",
            "Besluit 2: hulpverlening inzetten / voortzetten → Ja, hulp inzetten / voortzetten",
            "Melding bij Veilig Thuis vastgelegd",
            "Nazorg: Evalueren → open",
            "Nazorg: Informatie verkrijgen → open",
        ]
        assert rows[0][:3] == ["02-03-2026 11:20", "Mentor Jansen", "mentor"]
        assert rows[4][1:3] == ["Teamleider Bakker", "teamleider"]
        assert rows[-1][1:3] == ["Zorgcoördinator De Boer", "zorgcoördinator"]
        times = [row[0] for row in rows]
        assert times == sorted(times)


def test_targets_read_as_the_flow_names_them() -> None:
    assert target_label(FLOW, "gesprek.besproken") == "Stap 3 — Wat is er besproken (samenvatting)?"
    assert target_label(FLOW, "nazorg") == "Nazorg en evaluatie"
    assert target_label(FLOW, "onbekend.veld") == "onbekend.veld"


def test_unknown_events_are_shown_plainly() -> None:
    from meldcode_tui.case.model import Event

    event = Event(by=ZORG, action="iets_nieuws", target="x", detail="y")
    assert describe_event(FLOW, event) == "iets_nieuws x y"


async def test_closing_needs_both_decisions(case_folder: Path) -> None:
    app = host(case_folder, UIL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "Besluit 2: hulpverlening inzetten / voortzetten" in notices(app)
        assert "Besluit 1" not in notices(app).split("Nog niet genomen:")[1]
        assert on_disk(case_folder, UIL)["status"] == "hulp"


async def test_closing_asks_a_reason_and_saves(case_folder: Path) -> None:
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        message = app.screen.query_one("#close-message", Static)
        assert str(message.content) == "Vul een reden in."
        app.screen.query_one("#close-reason", Input).value = "Hulp loopt, zorgen weggenomen."
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        case = on_disk(case_folder, MEREL)
        assert case["status"] == "gesloten"
        assert case["status_reason"] == "Hulp loopt, zorgen weggenomen."
        assert case["retain_until"] == "2028-03-10"  # the school's default: two years
        title = str(app.screen.query_one("#review-title", Static).content)
        assert "gesloten · bewaren tot 10-03-2028" in title
        assert timeline(app)[-1][1:] == [
            "Zorgcoördinator De Boer",
            "zorgcoördinator",
            "Zaak gesloten, bewaren tot 10-03-2028. Reden: Hulp loopt, zorgen weggenomen.",
        ]
        assert CaseStore(case_folder).lock_holder(MEREL) is None


async def test_closing_is_cancelled_with_escape(case_folder: Path) -> None:
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert on_disk(case_folder, MEREL)["status"] == "nazorg"


async def test_a_case_locked_by_someone_else_says_so(case_folder: Path) -> None:
    store = CaseStore(case_folder)
    with store.open(MEREL, TEAMLEIDER) as session:
        assert not session.read_only
        app = host(case_folder, MEREL)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            lock = app.screen.query_one("#review-lock", Static)
            assert lock.display
            assert "Teamleider Bakker" in str(lock.content)
            await pilot.press("o")
            await settle(pilot)
            assert app.taken_over == []
            assert "Overnemen kan nu niet" in [n.title for n in app._notifications]
            await pilot.press("z")
            await settle(pilot)
            assert isinstance(app.screen, ReviewScreen)
            assert on_disk(case_folder, MEREL)["status"] == "nazorg"


async def test_take_over_asks_the_app(case_folder: Path) -> None:
    app = host(case_folder, VOS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#review-lock", Static).display
        await pilot.press("o")
        await settle(pilot)
        assert app.taken_over == [VOS]


async def test_copy_for_magister_and_save_as_a_private_file(
    case_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    app = host(case_folder, VOS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StepPicker)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        expected = step_summary(CaseStore(case_folder).load(VOS), FLOW, "gesprek")
        assert app.clipboard == expected
        (notice,) = app._notifications
        assert notice.title == "Naar het klembord gestuurd"
        assert notice.message.startswith(
            "Stap 3 — Gesprek met ouders en/of leerling is als tekst naar het klembord gestuurd"
        )
        assert "De signalen zijn besproken met de ouders." in expected
        assert isinstance(app.screen, SaveTextDialog)
        app.screen.query_one("#save-folder", Input).value = str(folder)
        await pilot.click("#save-ok")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    saved = folder / f"meldcode-{VOS}-stap3.txt"
    assert saved.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


async def test_export_whole_case_as_text_never_overwrites(
    case_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / f"meldcode-{MEREL}.txt").write_text("ouder bestand", encoding="utf-8")
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SaveTextDialog)
        choices = dialog.query_one("#save-choice", ChoiceList)
        assert choices.labels == [
            "PDF, om te printen (.pdf)",
            "Platte tekst (.txt)",
            "Markdown (.md)",
        ]
        await pilot.click(choices, offset=(2, 1))
        await settle(pilot)
        dialog.query_one("#save-folder", Input).value = str(folder)
        await pilot.click("#save-ok")
        await settle(pilot)
    assert (folder / f"meldcode-{MEREL}.txt").read_text(encoding="utf-8") == "ouder bestand"
    saved = folder / f"meldcode-{MEREL}-2.txt"
    assert saved.read_text(encoding="utf-8") == export_case(
        CaseStore(case_folder).load(MEREL), FLOW, "txt", exported=Exported(NOW, ZORG)
    )
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


async def test_export_to_a_missing_folder_explains(case_folder: Path, tmp_path: Path) -> None:
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#save-folder", Input).value = str(tmp_path / "bestaat-niet")
        await pilot.click("#save-ok")
        await settle(pilot)
        assert isinstance(app.screen, SaveTextDialog)
        assert "Niet opgeslagen" in str(app.screen.query_one("#save-message", Static).content)


async def test_aftercare_opens_from_the_review(case_folder: Path) -> None:
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, AftercareScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_an_unreadable_case_is_explained(case_folder: Path) -> None:
    app = ScreenHost(case_folder, lambda app: HomeScreen())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.show_review("20260301-kapot1")
        await settle(pilot)
        assert "beschadigd" in notices(app)
        assert not isinstance(app.screen, ReviewScreen)
        await pilot.press("z", "m", "o")
        await settle(pilot)
        assert app.taken_over == []


async def test_magister_sends_the_whole_case_and_offers_it_as_a_file(
    case_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        expected = export_case(
            CaseStore(case_folder).load(MEREL), FLOW, "txt", exported=Exported(NOW, ZORG)
        )
        assert app.clipboard == expected
        for part in ("Stap 1", "Stap 5", "Nazorg en evaluatie", "Bijlage — Tijdlijn"):
            assert part in app.clipboard
        (notice,) = app._notifications
        assert notice.title == "Naar het klembord gestuurd"
        assert notice.message == (
            "Het hele dossier van Leerling-2041 is als tekst naar het klembord gestuurd: plak "
            "het in het logboek van Magister. Niet elke terminal geeft het klembord door."
        )
        assert "Gekopieerd" not in notices(app)
        dialog = app.screen
        assert isinstance(dialog, SaveTextDialog)
        assert "Lukt plakken niet?" in str(dialog.query_one(".dialog-text", Static).content)
        dialog.query_one("#save-folder", Input).value = str(folder)
        await pilot.click("#save-ok")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        saved = folder / f"meldcode-{MEREL}.txt"
        assert f"Opgeslagen als {saved} (alleen voor jou leesbaar)." in notices(app)
    assert saved.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


async def test_export_as_pdf_from_the_review(case_folder: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    (case_folder / "school.yaml").write_text("name: Basisschool De Verzonnen Eik\n")
    folder = tmp_path / "export"
    folder.mkdir()
    app = host(case_folder, MEREL)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SaveTextDialog)
        assert dialog.choice == "PDF, om te printen (.pdf)"
        dialog.query_one("#save-folder", Input).value = str(folder)
        await pilot.click("#save-ok")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        saved = folder / f"meldcode-{MEREL}.pdf"
        assert f"Opgeslagen als {saved} (alleen voor jou leesbaar)." in notices(app)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    pages = [page.extract_text() for page in PdfReader(saved).pages]
    assert all("VERTROUWELIJK" in page and "Leerling-2041" in page for page in pages)
    assert "Basisschool De Verzonnen Eik" in pages[0]
    assert "Geëxporteerd: 20-03-2026" in pages[0]
    assert "door Zorgcoördinator De Boer (zorgcoördinator)" in pages[0]
    assert f"pagina {len(pages)} van {len(pages)}" in pages[-1]
    assert "Bijlage — Tijdlijn" in "".join(pages)
