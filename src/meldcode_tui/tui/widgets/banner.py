"""The banner a demo run shows on every screen."""

from __future__ import annotations

from textual.widgets import Static

DEMO_TEXT = "DEMO — alleen fictieve zaken; wat je hier invult, verdwijnt bij afsluiten"


class DemoBanner(Static):
    """At the top of each screen of a demo run, in its `TopLines` (styled in app.tcss)."""

    def __init__(self) -> None:
        super().__init__(DEMO_TEXT, id="demo-banner")
