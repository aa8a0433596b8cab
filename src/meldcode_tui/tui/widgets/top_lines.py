"""The lines docked at the top of every screen: the demo banner (in a demo run) above the line
that says who is acting (on full screens). One container, so that neither covers the other."""

from __future__ import annotations

from textual.containers import Vertical
from textual.widget import Widget


class TopLines(Vertical):
    """Holds the `DemoBanner` and the `ActorLine` a screen shows (styled in app.tcss)."""

    def __init__(self, *lines: Widget) -> None:
        super().__init__(*lines, id="top-lines")
