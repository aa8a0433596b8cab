"""The `date` field: typed as dd-mm-jjjj (or jjjj-mm-dd), stored as an ISO date "YYYY-MM-DD".

An invalid date shows an inline message and is not stored, so the last valid date stays in force.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from meldcode_tui.localtime import iso_date_text
from meldcode_tui.tui.fields.base import FieldWidget

INVALID_DATE = "Ongeldige datum: gebruik dd-mm-jjjj"
PLACEHOLDER = "dd-mm-jjjj"

_DUTCH = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> date | None:
    """The date in `text` (dd-mm-jjjj, d/m/jjjj, d.m.jjjj or jjjj-mm-dd), or None."""
    text = text.strip()
    try:
        if match := _DUTCH.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
        elif match := _ISO.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
        else:
            return None
        return date(year, month, day)
    except ValueError:
        return None


format_date = iso_date_text
"""An ISO date as dd-mm-jjjj for display; anything else unchanged."""


class DateField(FieldWidget):
    """A date."""

    def coerce(self, value: Any) -> str:
        if isinstance(value, date):
            return value.isoformat()
        return value if isinstance(value, str) else ""

    def compose_input(self) -> ComposeResult:
        yield Input(
            format_date(self._value),
            placeholder=PLACEHOLDER,
            max_length=10,
            disabled=self.context.read_only,
            classes="field-input",
        )

    def _accept(self, text: str, *, complain: bool) -> None:
        if not text.strip():
            self.show_message("")
            self.set_value("")
            return
        parsed = parse_date(text)
        if parsed is None:
            if complain:
                self.show_message(INVALID_DATE)
            return
        self.show_message("")
        self.set_value(parsed.isoformat())

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._accept(event.value, complain=False)

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._accept(event.value, complain=True)
        if parse_date(event.value) is not None or not event.value.strip():
            self.screen.focus_next()

    @on(Input.Blurred)
    def _input_blurred(self, event: Input.Blurred) -> None:
        event.stop()
        self._accept(event.input.value, complain=True)
