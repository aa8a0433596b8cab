"""The case overview: every case of a data folder made by the tests, the corrupt file as an
unreadable row, sorting, filtering, overdue aftercare, Enter opening the review, lazy pages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from casefolder import (
    CORRUPT_FILE,
    DAS,
    FLOW,
    MENTOR,
    MEREL,
    SIZE,
    START,
    TODAY,
    UIL,
    VOS,
    ScreenHost,
    settle,
)
from textual.widgets import DataTable, Input, Select, Static

from meldcode_tui.case.codec import dump_case
from meldcode_tui.case.model import Case, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.tui.screens.overview import (
    OVERDUE,
    PAGE,
    OverviewScreen,
    dutch_reason,
    natural_key,
)
from meldcode_tui.tui.screens.review import ReviewScreen

WIDE = (160, 40)
"""Room for every column at its full width: dates with the time, "⚠ te laat", whole ids."""


def host(root: Path) -> ScreenHost:
    return ScreenHost(root, lambda app: OverviewScreen(CaseStore(root), FLOW, today=TODAY))


def table(app: ScreenHost) -> DataTable[object]:
    return app.screen.query_one("#overview-table", DataTable)


def keys(app: ScreenHost) -> list[str | None]:
    t = table(app)
    return [t.coordinate_to_cell_key((row, 0)).row_key.value for row in range(t.row_count)]


def cell(app: ScreenHost, key: str, column: str) -> str:
    return str(table(app).get_cell(key, column))


def header(app: ScreenHost, column: str) -> str:
    return str(table(app).columns[column].label)  # type: ignore[index]


async def test_lists_every_case_and_the_corrupt_file_as_unreadable(case_folder: Path) -> None:
    app = host(case_folder)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert keys(app) == [f"!{CORRUPT_FILE}", DAS, UIL, MEREL, VOS]
        assert cell(app, f"!{CORRUPT_FILE}", "pupil") == "⚠ onleesbaar"
        assert cell(app, f"!{CORRUPT_FILE}", "id") == "…" + CORRUPT_FILE[-15:]
        assert cell(app, f"!{CORRUPT_FILE}", "step").startswith("beschadigd")
        assert cell(app, VOS, "pupil").startswith("Pseudoniem")
        assert cell(app, VOS, "group") == "3A"
        assert cell(app, VOS, "status") == "open"
        assert cell(app, VOS, "step") == "3 Gesprek"
        assert cell(app, VOS, "updated") == "02-03-2026 11:10"
        assert cell(app, VOS, "by") == "Mentor Jansen"
        assert cell(app, MEREL, "by") == "Zorgcoördinator De Boer"
        assert cell(app, UIL, "step") == "5 Beslissen"
        note = str(app.screen.query_one("#overview-note", Static).content)
        assert "4 van 4 zaken" in note and "1 onleesbaar" in note


async def test_overdue_aftercare_is_marked(case_folder: Path) -> None:
    app = host(case_folder)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert cell(app, MEREL, "due") == f"05-03-2026 {OVERDUE}"
        assert OVERDUE not in cell(app, VOS, "due")
        assert "1 nazorg te laat" in str(app.screen.query_one("#overview-note", Static).content)


async def test_not_overdue_before_the_due_date(case_folder: Path) -> None:
    early = TODAY - timedelta(days=6)
    app = ScreenHost(
        case_folder, lambda app: OverviewScreen(CaseStore(case_folder), FLOW, today=early)
    )
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert cell(app, MEREL, "due") == "05-03-2026"


async def test_sort_key_cycles_columns_and_the_header_shows_the_sort(case_folder: Path) -> None:
    app = host(case_folder)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert header(app, "updated") == "Gewijzigd ▼"
        await pilot.press("s")
        await settle(pilot)
        assert header(app, "by") == "Door ▲"
        assert header(app, "updated") == "Gewijzigd"
        assert keys(app)[1:] == [VOS, DAS, UIL, MEREL]
        await pilot.press("r")
        await settle(pilot)
        assert header(app, "by") == "Door ▼"
        assert keys(app)[1:] == [MEREL, DAS, UIL, VOS]
        assert keys(app)[0] == f"!{CORRUPT_FILE}"


async def test_clicking_a_header_sorts_by_it_and_again_reverses(case_folder: Path) -> None:
    app = host(case_folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#overview-table", offset=(3, 0))
        await settle(pilot)
        assert header(app, "pupil") == "Leerling ▲"
        assert keys(app)[1:] == [MEREL, UIL, DAS, VOS]
        await pilot.click("#overview-table", offset=(3, 0))
        await settle(pilot)
        assert header(app, "pupil") == "Leerling ▼"
        assert keys(app)[1:] == [VOS, DAS, UIL, MEREL]


async def test_groups_sort_naturally_and_status_in_protocol_order(case_folder: Path) -> None:
    app = host(case_folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        screen.sort_by("group", descending=False)
        assert keys(app)[1:] == [DAS, MEREL, VOS, UIL]
        screen.sort_by("status", descending=False)
        assert keys(app)[1:] == [VOS, UIL, MEREL, DAS]
        screen.sort_by("due", descending=False)
        assert keys(app)[1] == MEREL


async def test_text_filter(case_folder: Path) -> None:
    app = host(case_folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "v", "o", "s")
        await settle(pilot)
        assert keys(app) == [VOS]
        app.screen.query_one("#overview-query", Input).value = "bakker"
        await settle(pilot)
        assert keys(app) == [DAS, UIL, MEREL]  # Merel's case was changed by Bakker, then others
        app.screen.query_one("#overview-query", Input).value = "kapot"
        await settle(pilot)
        assert keys(app) == [f"!{CORRUPT_FILE}"]
        app.screen.query_one("#overview-query", Input).value = "niemand"
        await settle(pilot)
        assert keys(app) == []
        assert "0 van 4 zaken" in str(app.screen.query_one("#overview-note", Static).content)


async def test_status_filter(case_folder: Path) -> None:
    app = host(case_folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = app.screen.query_one("#overview-status", Select)
        status.value = "gesloten"
        await settle(pilot)
        assert keys(app) == [DAS]
        status.value = "nazorg"
        await settle(pilot)
        assert keys(app) == [MEREL]
        status.value = "hulp"
        await settle(pilot)
        assert keys(app) == [UIL]
        status.value = "onleesbaar"
        await settle(pilot)
        assert keys(app) == [f"!{CORRUPT_FILE}"]
        status.value = "alle"
        await settle(pilot)
        assert len(keys(app)) == 5


async def test_enter_opens_the_review_and_escape_returns(case_folder: Path) -> None:
    app = host(case_folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.case_id == MEREL
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert table(app).cursor_row == 3


async def test_enter_on_an_unreadable_file_explains_and_stays(case_folder: Path) -> None:
    app = host(case_folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        messages = [n.message for n in app._notifications]
        assert any(CORRUPT_FILE in m and "beschadigd" in m for m in messages)


async def test_many_cases_are_added_page_by_page(tmp_path: Path) -> None:
    root = tmp_path / "zaken"
    store = CaseStore(root)
    ref = FlowRef.of(FLOW)
    total = PAGE + 30
    for number in range(total):
        at = START + timedelta(minutes=number)
        case = Case(
            id=f"20260302-p{number:04d}",
            flow=ref,
            pupil=f"Leerling-{number:04d}",
            created_by=MENTOR,
            created_at=at,
            updated_at=at,
        )
        (root / f"{case.id}.json").write_bytes(dump_case(case))
    app = ScreenHost(store.root, lambda app: OverviewScreen(store, FLOW, today=TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert table(app).row_count == PAGE
        table(app).move_cursor(row=PAGE - 1)
        await settle(pilot)
        assert table(app).row_count == total
        assert keys(app)[-1] == "20260302-p0000"


def test_natural_key_and_dutch_reasons() -> None:
    assert sorted(["10A", "2B", "1C"], key=natural_key) == ["1C", "2B", "10A"]
    assert dutch_reason("not valid JSON (Expecting value at line 1, column 2)").startswith(
        "beschadigd"
    )
    assert "nieuwere versie" in dutch_reason("written by a newer version of meldcode (x)")
    assert dutch_reason("something else") == "something else"


async def test_every_column_shows_at_80_columns(case_folder: Path) -> None:
    app = host(case_folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = table(app)
        assert [header(app, key) for key in ("by", "id")] == ["Door", "Zaak"]
        assert sum(column.get_render_width(t) for column in t.columns.values()) <= t.size.width
        assert t.virtual_size.width <= t.size.width
        assert cell(app, MEREL, "due") == "05-03-26 ⚠"
        assert cell(app, MEREL, "by") == "Zorgcoö…"
        assert cell(app, VOS, "id") == "…-" + VOS.split("-")[1]
        assert cell(app, VOS, "updated") == "02-03-26"
        assert cell(app, VOS, "pupil").startswith("Pseudoniem")
