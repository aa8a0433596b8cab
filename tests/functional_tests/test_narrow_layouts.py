"""Layouts at 80 columns and at other sizes: the home list at 60×15, 80×24 and 200×60 (every
column on screen, no blank row, no horizontal scrollbar), the stepper's labels, and the
afwegingskader's questions wrapped, not cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CaseWriter
from driver import ready
from textual.widgets import Static

from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.screens.home import HomeScreen
from meldcode_tui.tui.widgets.case_table import CaseTable
from meldcode_tui.tui.widgets.stepper import Stepper, short_label

CASES = [
    ("20260302-vos001", "Pseudoniem Vos met een heel lange naam die niet past", "3A"),
    ("20260302-uil002", "Leerling-3307", "10A"),
]


@pytest.mark.parametrize("size", [(60, 15), (80, 24), (200, 60)])
async def test_the_home_list_fits_and_shows_no_blank_row(
    size: tuple[int, int], data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    for case_id, pupil, group in CASES:
        write_case(case_id=case_id, pupil=pupil, group=group)
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, HomeScreen)
        table = screen.query_one("#case-table", CaseTable)
        table.focus()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        assert table.row_count == 2
        assert table.virtual_size.width <= table.size.width  # no horizontal scrollbar
        assert [str(c.label) for c in table.columns.values()][-1] == "Zaak"
        assert table.size.height >= 3  # the header and both rows
        assert table.region.y == screen.query_one("#search").region.bottom  # no blank row
        assert not screen.query_one("#list-note", Static).display
        assert screen.region.contains_region(table.region)
        cells = [str(table.get_cell("20260302-vos001", key)) for key in ("pupil", "id")]
        assert cells[0].startswith("Pseudoniem")
        assert cells[0].endswith("…") or size[0] >= 200
        assert cells[1].endswith("vos001")


async def test_the_stepper_names_every_step_in_full_words_within_80_columns(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(position=("consultatie", ""))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        stepper = pilot.app.screen.query_one(Stepper)
        text = str(stepper.render())
        assert len(text) <= 80
        assert "2 Consultatie" in text
        for step in stepper.steps:
            name = short_label(step).removeprefix(f"{step.number} ")
            assert name in step.title.split() or name.casefold() in step.title.casefold()
        title = str(pilot.app.screen.query_one("#step-title", Static).render())
        assert "Collegiale consultatie" in title
