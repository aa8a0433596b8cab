"""`AftercareItems`: the editable nazorg checklist of one open case, used by the aftercare screen
and by the wizard's Nazorg step (one editor, two places).

One block per item of the flow's `aftercare` field: its label, the protocol's full text (seed
003), due date, who, status and a note, and what the flow says to do (`Option.hint`; an item
with `restart` offers to run the protocol again as a new linked case). Every change goes to the
open case (`CaseWork.set_aftercare`) and is saved at once; an item is written into the case on
its first edit. Posts `Saved` after each saved change and `CaseStarted` after a new linked case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from meldcode_tui.case.errors import CaseError
from meldcode_tui.case.model import AftercareItem, AftercareStatus
from meldcode_tui.flow.model import Option
from meldcode_tui.tui.fields.date import INVALID_DATE, PLACEHOLDER, parse_date

if TYPE_CHECKING:
    from meldcode_tui.case.model import Case
    from meldcode_tui.casework.work import CaseWork

OVERDUE = "⚠ te laat"
STATUS_OPTIONS: tuple[tuple[str, str], ...] = (
    ("open", AftercareStatus.OPEN.value),
    ("gedaan", AftercareStatus.GEDAAN.value),
    ("niet van toepassing", AftercareStatus.NVT.value),
)
RESTART_LABEL = "Stappenplan opnieuw: nieuwe zaak"


def format_due(due: date | None) -> str:
    return due.strftime("%d-%m-%Y") if due else ""


class AftercareItems(Vertical):
    """The nazorg items of the open case, editable unless `read_only`."""

    DEFAULT_CSS = Path(__file__).with_name("aftercare_items.tcss").read_text(encoding="utf-8")

    @dataclass
    class CaseStarted(Message):
        """A new case was started because the protocol must run again (linked to `linked_to`)."""

        case_id: str
        linked_to: str

    class Saved(Message):
        """A change to an item was saved."""

    def __init__(
        self, work: CaseWork, *, read_only: bool, today: date | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id, classes="aftercare-items")
        self.work = work
        self.read_only = read_only
        self.today = today
        self.options: list[Option] = work.flow.aftercare_items()

    @property
    def case(self) -> Case:
        return self.work.case

    def item(self, item_id: str) -> AftercareItem:
        """The item as stored, or a fresh open one when it has never been edited."""
        return next(
            (item for item in self.case.aftercare if item.id == item_id),
            AftercareItem(id=item_id),
        )

    def current_day(self) -> date:
        return self.today or date.today()

    def compose(self) -> ComposeResult:
        for option in self.options:
            yield self._block(option)

    def _block(self, option: Option) -> Vertical:
        item = self.item(option.id)
        disabled = self.read_only
        parts: list[Any] = [
            Horizontal(
                Label(option.label, classes="item-label", markup=False),
                Static("", classes="item-overdue", id=f"overdue-{option.id}"),
                classes="item-head",
            )
        ]
        if option.help:
            parts.append(Static(option.help, classes="item-help", markup=False))
        parts.append(
            Horizontal(
                Label("Uiterlijk", classes="item-field"),
                Input(
                    format_due(item.due),
                    placeholder=PLACEHOLDER,
                    max_length=10,
                    compact=True,
                    disabled=disabled,
                    id=f"due-{option.id}",
                    classes="item-due",
                ),
                Label("Wie", classes="item-field -short"),
                Input(
                    item.who,
                    placeholder="naam",
                    compact=True,
                    disabled=disabled,
                    id=f"who-{option.id}",
                    classes="item-who",
                ),
                Select(
                    STATUS_OPTIONS,
                    value=item.status.value,
                    allow_blank=False,
                    compact=True,
                    disabled=disabled,
                    id=f"status-{option.id}",
                    classes="item-status",
                ),
                classes="item-row",
            )
        )
        parts.append(
            Horizontal(
                Label("Notitie", classes="item-field"),
                Input(
                    item.note,
                    placeholder="wat is er gedaan of afgesproken",
                    compact=True,
                    disabled=disabled,
                    id=f"note-{option.id}",
                    classes="item-note",
                ),
                classes="item-row",
            )
        )
        parts.append(Static("", classes="item-message", id=f"message-{option.id}"))
        if option.hint:
            parts.append(Static(option.hint, classes="item-hint", markup=False))
        if option.restart:
            parts.append(
                Button(
                    RESTART_LABEL,
                    compact=True,
                    disabled=disabled,
                    id=f"restart-{option.id}",
                    classes="item-restart",
                )
            )
        return Vertical(*parts, classes="aftercare-item", id=f"item-{option.id}")

    def on_mount(self) -> None:
        self.refresh_overdue()

    def refresh_overdue(self) -> None:
        today = self.current_day()
        for option in self.options:
            overdue = self.item(option.id).overdue(today)
            marker = self.query_one(f"#overdue-{option.id}", Static)
            marker.update(OVERDUE if overdue else "")
            self.query_one(f"#item-{option.id}").set_class(overdue, "-overdue")

    def overdue_items(self) -> list[str]:
        today = self.current_day()
        return [o.id for o in self.options if self.item(o.id).overdue(today)]

    def _apply(self, item_id: str, **change: Any) -> bool:
        """Save one change to an item; a failed save becomes a message, not a crash."""
        from meldcode_tui.tui.texts import save_error_text

        if self.read_only or self.work.read_only:
            return False
        current = self.item(item_id)
        if all(getattr(current, name) == value for name, value in change.items()):
            return True
        try:
            self.work.set_aftercare(item_id, **change)
        except (CaseError, OSError) as exc:
            self.notify(
                save_error_text(exc), title="Let op", severity="error", timeout=10, markup=False
            )
            return False
        if "due" in change or "status" in change:  # what makes an item overdue
            self.refresh_overdue()
        self.post_message(self.Saved())
        return True

    def _show_message(self, item_id: str, text: str) -> None:
        message = self.query_one(f"#message-{item_id}", Static)
        message.update(text)
        message.set_class(bool(text), "-visible")

    @staticmethod
    def _item_of(widget_id: str | None, prefix: str) -> str:
        return (widget_id or "").removeprefix(prefix)

    @on(Input.Changed, ".item-due")
    def _due_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._accept_due(event.input, complain=False)

    @on(Input.Submitted, ".item-due")
    @on(Input.Blurred, ".item-due")
    def _due_done(self, event: Input.Submitted | Input.Blurred) -> None:
        event.stop()
        self._accept_due(event.input, complain=True)

    def _accept_due(self, widget: Input, *, complain: bool) -> None:
        item_id = self._item_of(widget.id, "due-")
        text = widget.value.strip()
        due = parse_date(text) if text else None
        if text and due is None:
            if complain:
                self._show_message(item_id, INVALID_DATE)
            return
        self._show_message(item_id, "")
        self._apply(item_id, due=due)

    @on(Input.Changed, ".item-who")
    def _who_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply(self._item_of(event.input.id, "who-"), who=event.value)

    @on(Input.Changed, ".item-note")
    def _note_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply(self._item_of(event.input.id, "note-"), note=event.value)

    @on(Select.Changed, ".item-status")
    def _status_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            status = AftercareStatus(event.value)
            self._apply(self._item_of(event.select.id, "status-"), status=status)

    @on(Button.Pressed, ".item-restart")
    def _restart_pressed(self, event: Button.Pressed) -> None:
        from meldcode_tui.tui.screens.review_dialogs import ConfirmDialog

        event.stop()
        item_id = self._item_of(event.button.id, "restart-")
        dialog = ConfirmDialog(
            "Stappenplan opnieuw",
            f"Een nieuwe zaak voor {self.case.pupil} starten, gekoppeld aan zaak {self.case.id}? "
            "Bespreek met het interne zorgteam wie het gesprek (opnieuw) voert.",
            "Nieuwe zaak starten",
        )

        def confirmed(ok: object) -> None:
            if ok:
                self.start_linked_case(item_id)

        self.app.push_screen(dialog, confirmed)

    def start_linked_case(self, item_id: str) -> str | None:
        """Start a new case for the same pupil, linked to this one; note its id on the item."""
        from meldcode_tui.tui.texts import save_error_text

        if self.read_only:
            return None
        case = self.case
        try:
            new = self.work.start_linked_case()
        except (CaseError, OSError) as exc:
            self.notify(
                save_error_text(exc), title="Geen nieuwe zaak", severity="error", markup=False
            )
            return None
        note = self.item(item_id).note
        addition = f"Stappenplan opnieuw: zaak {new.id}."
        new_note = f"{note} {addition}" if note else addition
        if self._apply(item_id, note=new_note):
            self.query_one(f"#note-{item_id}", Input).value = new_note
        self.notify(
            f"Nieuwe zaak {new.id} gestart voor {case.pupil}, gekoppeld aan deze zaak.",
            title="Stappenplan opnieuw",
            markup=False,
        )
        self.post_message(self.CaseStarted(new.id, case.id))
        return new.id
