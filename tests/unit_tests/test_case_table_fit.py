"""`fit_columns`: the widths of a case list's columns in the width it has."""

from __future__ import annotations

from meldcode_tui.tui.screens.home import COLUMNS
from meldcode_tui.tui.widgets.case_table import FLEX_WIDE, ColumnFit, fit_columns


def test_the_columns_fill_the_width_exactly() -> None:
    for width in (60, 74, 76, 100, 160):
        fit = fit_columns(COLUMNS, width)
        assert sum(fit.widths.values()) + len(COLUMNS) == width, width


def test_at_80_columns_the_home_list_keeps_step_and_status_whole() -> None:
    fit = fit_columns(COLUMNS, 74)  # the table's width on an 80-column screen
    assert fit.widths["step"] == 22  # "5 Beslissen · gemeld", "Nazorg · hulp" uncut
    assert fit.widths["pupil"] == FLEX_WIDE
    assert fit.widths["id"] == 8  # an id by its end: "…-2da7z5"
    assert {"id", "updated"} <= fit.narrow and "step" not in fit.narrow


def test_without_grows_first_the_column_needing_least_grows_first() -> None:
    columns = (
        ColumnFit("pupil", "Leerling", flex=True),
        ColumnFit("a", "A", 20, 10),
        ColumnFit("b", "B", 12, 10),
    )
    fit = fit_columns(columns, 3 + FLEX_WIDE + 10 + 12)
    assert (fit.widths["a"], fit.widths["b"]) == (10, 12)
    first = (columns[0], ColumnFit("a", "A", 20, 10, grows_first=True), columns[2])
    fit = fit_columns(first, 3 + FLEX_WIDE + 10 + 12)
    assert (fit.widths["a"], fit.widths["b"]) == (12, 10)
