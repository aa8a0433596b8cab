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
    """Says that this case is open elsewhere and therefore read-only here."""

    def __init__(self, user: str, host: str, since: str, reason: str = "") -> None:
        if reason:
            text = f"Alleen lezen — {reason}."
        else:
            who = user or "een andere gebruiker"
            where = f" op {host}" if host else ""
            when = f" sinds {since}" if since else ""
            text = f"Alleen lezen — deze zaak is geopend door {who}{where}{when}."
        super().__init__(text, id="read-only-banner", markup=False)
