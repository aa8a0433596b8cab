"""The line at the top of every screen that says who is acting (every event names them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from meldcode_tui.tui.app import MeldcodeApp
    from meldcode_tui.tui.prefs import Prefs


def actor_text(prefs: Prefs) -> str:
    if not prefs.name:
        return "Je werkt als: (nog geen naam) · F3 naam en rol"
    role = f" ({prefs.role})" if prefs.role else ""
    return f"Je werkt als: {prefs.name}{role} · F3 wijzigen"


class ActorLine(Static):
    """At the top of each full screen, in its `TopLines` (styled in app.tcss); follows changes
    at once."""

    app: MeldcodeApp

    def __init__(self, prefs: Prefs) -> None:
        super().__init__(actor_text(prefs), id="actor-line", markup=False)

    def on_mount(self) -> None:
        self.app.actor_changed_signal.subscribe(self, self._changed)

    def _changed(self, prefs: Prefs) -> None:
        self.update(actor_text(prefs))
