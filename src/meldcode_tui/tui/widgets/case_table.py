"""`CaseTable`: a table of cases, one row each, whose Enter opens the row and says so.

Textual's `DataTable` selects a row with Enter but keeps that key off the key bar; a mentor on the
home screen, or a zorgcoördinator in the overview, should see how to open the case under the cursor.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class CaseTable(DataTable[Text]):
    """A row-cursor `DataTable` with "enter Openen" on the key bar."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Openen"),
    ]

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = False) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)
