"""Small status lines of the step screen: the save indicator and the read-only banner."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static


class SaveIndicator(Widget):
    """A discreet "opgeslagen om hh:mm:ss" after each save; fixed width, so no re-layout."""

    text: reactive[str] = reactive("", layout=False)

    def __init__(self) -> None:
        super().__init__(id="saved")

    def render(self) -> str:
        return self.text

    def mark(self, time_text: str) -> None:
        self.text = f"opgeslagen om {time_text}" if time_text else ""


class ReadOnlyBanner(Static):
    """Says why this case is read-only here (`texts.read_only_text`)."""

    def __init__(self, text: str) -> None:
        super().__init__(text, id="read-only-banner", markup=False)
