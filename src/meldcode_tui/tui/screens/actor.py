"""Who are you? A modal asking the user's name and role before a case is opened."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class ActorScreen(ModalScreen[tuple[str, str] | None]):
    """Returns (name, role), or None when cancelled."""

    AUTO_FOCUS = "#actor-name"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren", id="cancel")]

    def __init__(self, name: str = "", role: str = "") -> None:
        super().__init__()
        self.initial = (name, role)

    def compose(self) -> ComposeResult:
        with Vertical(id="actor-dialog", classes="dialog"):
            yield Static("Wie ben je? Je naam en rol komen in het logboek van de zaak.")
            with Horizontal(classes="form-row"):
                yield Label("Je naam", classes="form-label")
                yield Input(self.initial[0], id="actor-name", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Rol", classes="form-label")
                yield Input(
                    self.initial[1], id="actor-role", placeholder="bijv. mentor", compact=True
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Verder", id="actor-ok", variant="primary", compact=True)
                yield Button("Annuleren", id="actor-cancel", compact=True)

    @on(Input.Submitted, "#actor-name")
    def _name_submitted(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#actor-role")
    @on(Button.Pressed, "#actor-ok")
    def _ok(self) -> None:
        name = self.query_one("#actor-name", Input).value.strip()
        if not name:
            self.notify("Vul je naam in.", severity="warning")
            self.query_one("#actor-name", Input).focus()
            return
        self.dismiss((name, self.query_one("#actor-role", Input).value.strip()))

    @on(Button.Pressed, "#actor-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
