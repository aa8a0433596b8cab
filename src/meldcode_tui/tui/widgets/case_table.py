"""`CaseTable`: a table of cases, one row each, whose Enter opens the row and says so, and whose
columns fit the width it has.

Textual's `DataTable` selects a row with Enter but keeps that key off the key bar; a mentor on the
home screen, or a zorgcoördinator in the overview, should see how to open the case under the cursor.

A `DataTable` sizes each column to its longest cell and lets the rest run off to the right, behind
a horizontal scrollbar: at 80 columns the last columns of a case list (who changed it, its id)
were off-screen. So the columns have widths that fill the table (`fit_columns`): each between
its narrowest and its wide width, one flexible column (the pupil) taking what is left. A cell
longer than its column ends in "…"; one column of space separates the columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

ELLIPSIS = "…"
FLEX_MIN = 8
"""The flexible column is never narrower than this."""
FLEX_WIDE = 16
"""The wide widths are used when they leave the flexible column at least this much."""


@dataclass(frozen=True)
class ColumnFit:
    """A column's key and header, and its content width when wide and at its narrowest; `flex`:
    it takes the width the others leave (at least `FLEX_MIN`); `grows_first`: it gets its wide
    width before the other columns grow (what a reader needs whole, e.g. the step and status)."""

    key: str
    label: str
    wide: int = 0
    narrow: int = 0
    flex: bool = False
    grows_first: bool = False


@dataclass(frozen=True)
class Fit:
    """The content width of every column, and the columns narrower than their wide width."""

    widths: dict[str, int]
    narrow: frozenset[str]


def fit_columns(columns: Sequence[ColumnFit], width: int) -> Fit:
    """Content widths that fill `width` cells, one cell of space after each column: every column
    at its narrowest, the flexible one up to `FLEX_WIDE`; then the others grow to their wide
    width, those marked `grows_first` first, then the one that needs least; the flexible column
    takes the rest."""
    widths = {c.key: 0 if c.flex else c.narrow for c in columns}
    room = width - len(columns) - sum(widths.values())
    flexible = [c for c in columns if c.flex]
    first = min(max(room, FLEX_MIN), FLEX_WIDE) if flexible else 0
    for column in flexible:
        widths[column.key] = first
    room -= first
    growing = (c for c in columns if not c.flex)
    for column in sorted(growing, key=lambda c: (not c.grows_first, c.wide - c.narrow)):
        grow = max(min(column.wide - column.narrow, room), 0)
        widths[column.key] += grow
        room -= grow
    if flexible and room > 0:
        widths[flexible[0].key] += room
    narrow = frozenset(c.key for c in columns if not c.flex and widths[c.key] < c.wide)
    return Fit(widths, narrow)


def clip(text: str, width: int) -> str:
    """`text` in at most `width` cells, ending in "…" when it was cut."""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + ELLIPSIS if width > 0 else ""


def clip_start(text: str, width: int) -> str:
    """A long id by its end, which tells cases apart ("…-k3m9xq"), in `width` cells."""
    if len(text) <= width:
        return text
    return ELLIPSIS + text[len(text) - width + 1 :] if width > 1 else ELLIPSIS[:width]


def header_text(label: str, width: int, mark: str = "") -> str:
    """A header in `width` cells: the label, cut to leave room for the sort mark."""
    if not mark:
        return clip(label, width)
    return f"{clip(label, width - len(mark) - 1)} {mark}"


class CaseTable(DataTable[Text]):
    """A row-cursor `DataTable` with "enter Openen" on the key bar."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Openen"),
    ]

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = False) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes, cell_padding=0)
        self._fitted_width = -1

    @property
    def fit_width(self) -> int:
        """The cells the columns may fill: the table's width without its vertical scrollbar."""
        return max(self.size.width - self.styles.scrollbar_size_vertical, 0)

    class Refit(Message):
        """The width for the columns changed: fill the table again with `fit_columns`."""

        def __init__(self, table: CaseTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> CaseTable:
            return self.table

    def on_resize(self) -> None:
        if self.fit_width != self._fitted_width:
            self._fitted_width = self.fit_width
            self.post_message(self.Refit(self))

    def set_columns(
        self, columns: Sequence[ColumnFit], fit: Fit, headers: Mapping[str, Text] | None = None
    ) -> None:
        """Clear the table and add `columns` at the widths of `fit` (plus one cell of space);
        a header from `headers` is used as it is."""
        self.clear(columns=True)
        for column in columns:
            width = fit.widths[column.key]
            header = (headers or {}).get(column.key) or Text(clip(column.label, width))
            self.add_column(header, key=column.key, width=width + 1)
