"""Veilig Thuis and 112: the numbers from the flow's contacts, one key (F2) away everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from meldcode_tui.flow.model import Contact


class ContactsScreen(ModalScreen[None]):
    """The emergency and advice numbers, large and plain."""

    AUTO_FOCUS = "#contacts-close"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f2", "close", "Sluiten", id="close"),
    ]

    def __init__(self, contacts: Sequence[Contact]) -> None:
        super().__init__()
        self.contacts = list(contacts)

    def compose(self) -> ComposeResult:
        with Vertical(id="contacts-dialog", classes="dialog"):
            for contact in self.contacts:
                with Vertical(classes="contact"):
                    yield Static(contact.name, classes="contact-name", markup=False)
                    yield Static(contact.phone, classes="contact-phone", markup=False)
                    if contact.note:
                        yield Static(contact.note, classes="contact-note", markup=False)
            yield Button("Sluiten", id="contacts-close", compact=True)

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
