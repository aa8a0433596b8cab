"""The Textual application (placeholder until the wizard lands): shows the flow's steps."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from meldcode_tui.flow import load_flow
from meldcode_tui.locations import default_flow_path


class MeldcodeApp(App[None]):
    TITLE = "Meldcode"

    def compose(self) -> ComposeResult:
        flow = load_flow(default_flow_path())
        yield Header()
        for step in flow.steps:
            yield Static(f"Stap {step.number or '-'}: {step.title}")
        yield Footer()


def run(data_dir: str | None = None, case_id: str | None = None) -> int:
    MeldcodeApp().run()
    return 0
