"""Who are you? A modal asking the user's name and role before a case is opened.

The role is picked from the flow's role list (`Flow.roles`); its option `anders` opens a line to
type another role, and choosing any other role (Enter, or a click) confirms the dialog. The role
is kept as its label ("Teamleider"), or as the typed text. Without a role list (the flow not
loaded yet) the role is a line of text.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from meldcode_tui.flow.model import OTHER_ROLE, Option
from meldcode_tui.tui.fields.choicelist import ChoiceList
from meldcode_tui.tui.labels import refuse_unfit_labels


def role_index(roles: list[Option], role: str) -> int:
    """The role in the list that a stored role text names (its label or id, any case); -1."""
    wanted = role.strip().casefold()
    if not wanted:
        return -1
    for index, option in enumerate(roles):
        if option.id != OTHER_ROLE and wanted in (option.id.casefold(), option.label.casefold()):
            return index
    return next((i for i, o in enumerate(roles) if o.id == OTHER_ROLE), -1)


class ActorScreen(ModalScreen[tuple[str, str] | None]):
    """Returns (name, role), or None when cancelled."""

    AUTO_FOCUS = "#actor-name"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren", id="cancel")]

    def __init__(self, name: str = "", role: str = "", roles: list[Option] | None = None) -> None:
        super().__init__()
        self.initial = (name, role)
        self.roles = list(roles or [])
        self._chosen = role_index(self.roles, role)

    @property
    def _other(self) -> bool:
        """Is the role typed (no list, or `anders` chosen)?"""
        if not self.roles:
            return True
        return self._chosen >= 0 and self.roles[self._chosen].id == OTHER_ROLE

    def compose(self) -> ComposeResult:
        with Vertical(id="actor-dialog", classes="dialog"):
            yield Static("Wie ben je? Je naam en rol komen in het logboek van de zaak.")
            with Horizontal(classes="form-row"):
                yield Label("Je naam", classes="form-label")
                yield Input(self.initial[0], id="actor-name", compact=True)
            if self.roles:
                yield Label("Je rol", classes="actor-roles-label")
                yield ChoiceList([o.label for o in self.roles], self._chosen, id="actor-roles")
            typed = self.initial[1] if self._other else ""
            with Horizontal(classes="form-row", id="actor-other-row"):
                yield Label("Rol" if not self.roles else "Andere rol", classes="form-label")
                yield Input(typed, id="actor-role", placeholder="bijv. mentor", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Verder", id="actor-ok", variant="primary", compact=True)
                yield Button("Annuleren", id="actor-cancel", compact=True)

    def on_mount(self) -> None:
        self._show_other()

    def _show_other(self) -> None:
        self.query_one("#actor-other-row").display = self._other

    @on(Input.Submitted, "#actor-name")
    def _name_submitted(self) -> None:
        self.focus_next()

    @on(ChoiceList.Changed, "#actor-roles")
    def _role_chosen(self, event: ChoiceList.Changed) -> None:
        event.stop()
        self._chosen = event.index
        self._show_other()
        if self._other:
            self.query_one("#actor-role", Input).focus()
        else:
            self._ok()

    def _role(self) -> str | None:
        """The role to keep; None when `anders` is chosen and nothing was typed."""
        typed = self.query_one("#actor-role", Input).value.strip()
        if not self.roles:
            return typed
        if self._chosen < 0:
            return ""
        if self._other:
            return typed or None
        return self.roles[self._chosen].label

    @on(Input.Submitted, "#actor-role")
    @on(Button.Pressed, "#actor-ok")
    def _ok(self) -> None:
        if refuse_unfit_labels(self, (("#actor-name", "Je naam"), ("#actor-role", "Rol"))):
            return
        name = self.query_one("#actor-name", Input).value.strip()
        if not name:
            self.notify("Vul je naam in.", severity="warning")
            self.query_one("#actor-name", Input).focus()
            return
        role = self._role()
        if role is None:
            self.notify("Vul je rol in.", severity="warning")
            self.query_one("#actor-role", Input).focus()
            return
        self.dismiss((name, role))

    @on(Button.Pressed, "#actor-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
