"""F2, everywhere: the flow's national numbers (Veilig Thuis, 112, the vertrouwensinspecteur),
then the school's own contacts from `school.yaml` in the data folder (`case.school`).

No school file: a line says where to put one. A damaged one: a Dutch message, and the national
numbers are still shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from meldcode_tui.case.school import (
    SchoolContact,
    SchoolSettings,
    SchoolSettingsError,
    load_school,
    school_path,
)
from meldcode_tui.flow.model import Contact
from meldcode_tui.tui import texts


@dataclass(frozen=True)
class SchoolContacts:
    """What F2 shows of the school: its settings, or why there are none."""

    file: Path
    settings: SchoolSettings | None = None
    missing: bool = False
    broken: bool = False

    @classmethod
    def read(cls, root: Path) -> SchoolContacts:
        """The school file in the data folder `root` (a small file: read in the handler)."""
        file = school_path(root)
        try:
            exists = file.exists()
            settings = load_school(root)
        except (SchoolSettingsError, OSError):
            return cls(file, broken=True)
        return cls(file, settings, missing=not exists)


class ContactsScreen(ModalScreen[None]):
    """The emergency and advice numbers, large and plain, and the school's own contacts."""

    CSS_PATH = "info_dialogs.tcss"
    AUTO_FOCUS = "#contacts-close"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f2", "close", "Sluiten", id="close"),
    ]

    def __init__(self, contacts: Sequence[Contact], school: SchoolContacts | None = None) -> None:
        super().__init__()
        self.contacts = list(contacts)
        self.school = school

    def compose(self) -> ComposeResult:
        with Vertical(id="contacts-dialog", classes="dialog"):
            with VerticalScroll(id="contacts-list"):
                for contact in self.contacts:
                    with Vertical(classes="contact"):
                        yield Static(contact.name, classes="contact-name", markup=False)
                        yield Static(contact.phone, classes="contact-phone", markup=False)
                        if contact.note:
                            yield Static(contact.note, classes="contact-note", markup=False)
                if self.school is not None:
                    yield from self._school(self.school)
            yield Button("Sluiten", id="contacts-close", compact=True)

    def _school(self, school: SchoolContacts) -> ComposeResult:
        settings = school.settings
        name = settings.name if settings is not None else ""
        yield Static(texts.school_contacts_title(name), id="school-title", markup=False)
        if school.broken:
            yield Static(texts.school_file_broken(school.file), id="school-problem", markup=False)
            return
        if school.missing or settings is None or not settings.contacts:
            yield Static(texts.school_file_missing(school.file), id="school-none", markup=False)
            return
        for contact in settings.contacts:
            yield _school_contact(contact)

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def _school_contact(contact: SchoolContact) -> Vertical:
    heading = f"{contact.role}: {contact.name}" if contact.name else contact.role
    lines = [Static(heading, classes="contact-name", markup=False)]
    reach = " · ".join(part for part in (contact.phone, contact.email) if part)
    if reach:
        lines.append(Static(reach, classes="contact-phone", markup=False))
    if contact.note:
        lines.append(Static(contact.note, classes="contact-note", markup=False))
    return Vertical(*lines, classes="contact school-contact")
