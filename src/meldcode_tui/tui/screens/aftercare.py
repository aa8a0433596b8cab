"""The aftercare ("Nazorg") screen: the flow's nazorg checklist with due dates, who, status and a
note per item, every change sent to the open case (`CaseWork`) and saved at once.

The items are the options of the nazorg step's `aftercare` field, with the protocol's help text
(seed 003). An item is written into the case on its first edit. When someone else edits the case
the screen is read-only with a banner. The app opens the case; Esc returns to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from meldcode_tui.case.errors import CaseError
from meldcode_tui.case.model import AftercareItem, AftercareStatus
from meldcode_tui.flow.model import FieldKind, Option
from meldcode_tui.tui.fields.date import INVALID_DATE, PLACEHOLDER, parse_date
from meldcode_tui.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from meldcode_tui.case.model import Case
    from meldcode_tui.casework.work import CaseWork
    from meldcode_tui.flow.model import Flow

OVERDUE = "⚠ te laat"
STATUS_OPTIONS: tuple[tuple[str, str], ...] = (
    ("open", AftercareStatus.OPEN.value),
    ("gedaan", AftercareStatus.GEDAAN.value),
    ("niet van toepassing", AftercareStatus.NVT.value),
)
RESTART_ITEMS = ("advies_niet_opgevolgd", "hulp_gestrand")
DEFAULT_VEILIG_THUIS = "0800-2000"


def aftercare_options(flow: Flow) -> list[Option]:
    """The nazorg checklist: the options of the flow's `aftercare` field(s)."""
    return [
        option
        for step in flow.steps
        for field in step.fields
        if field.kind is FieldKind.AFTERCARE
        for option in field.options
    ]


def item_hints(flow: Flow) -> dict[str, str]:
    """What to do for the items where the protocol asks for an action."""
    contact = flow.contact("veilig_thuis")
    phone = contact.phone if contact is not None else DEFAULT_VEILIG_THUIS
    return {
        "advies_niet_opgevolgd": (
            "Bestaan de problemen nog? Voer het stappenplan opnieuw uit: start een nieuwe zaak, "
            "gekoppeld aan deze."
        ),
        "hulp_gestrand": (
            "Lukt herstel met de instantie niet: voer het stappenplan opnieuw uit en vraag advies "
            f"of consult aan Veilig Thuis ({phone}); vertel waarop de hulp is gestrand."
        ),
        "schoolwissel": (
            "Neem contact op met de zorgcoördinator van de nieuwe school en bespreek de zorgen."
        ),
        "terugkoppeling_veilig_thuis": (
            f"Duurt de terugkoppeling te lang? Bel Veilig Thuis zelf: {phone}."
        ),
    }


def format_due(due: date | None) -> str:
    return due.strftime("%d-%m-%Y") if due else ""


class AftercareScreen(Screen[None]):
    """The nazorg checklist of one case."""

    CSS_PATH = "aftercare.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Terug", id="aftercare-back"),
    ]

    @dataclass
    class CaseStarted(Message):
        """A new case was started because the protocol must run again (linked to `linked_to`)."""

        case_id: str
        linked_to: str

    def __init__(self, work: CaseWork, *, today: date | None = None) -> None:
        super().__init__()
        self.work = work
        self.flow: Flow = work.flow
        self.case_id = work.case_id
        self.today = today
        self.options = aftercare_options(work.flow)

    @property
    def case(self) -> Case:
        return self.work.case

    @property
    def read_only(self) -> bool:
        return self.work.read_only

    def item(self, item_id: str) -> AftercareItem:
        """The item as stored, or a fresh open one when it has never been edited."""
        return next(
            (item for item in self.case.aftercare if item.id == item_id),
            AftercareItem(id=item_id),
        )

    def current_day(self) -> date:
        return self.today or date.today()

    def compose(self) -> ComposeResult:
        case = self.case
        group = f" ({case.group})" if case.group else ""
        yield Static(
            f"Nazorg — {case.pupil}{group} · zaak {case.id}", id="aftercare-title", markup=False
        )
        banner = Static(self._banner_text(), id="aftercare-banner", markup=False)
        banner.display = self.read_only
        yield banner
        hints = item_hints(self.flow)
        disabled = self.read_only
        with VerticalScroll(id="aftercare-items"):
            for option in self.options:
                item = self.item(option.id)
                with Vertical(classes="aftercare-item", id=f"item-{option.id}"):
                    with Horizontal(classes="item-head"):
                        yield Label(option.label, classes="item-label", markup=False)
                        yield Static("", classes="item-overdue", id=f"overdue-{option.id}")
                    if option.help:
                        yield Static(option.help, classes="item-help", markup=False)
                    with Horizontal(classes="item-row"):
                        yield Label("Uiterlijk", classes="item-field")
                        yield Input(
                            format_due(item.due),
                            placeholder=PLACEHOLDER,
                            max_length=10,
                            compact=True,
                            disabled=disabled,
                            id=f"due-{option.id}",
                            classes="item-due",
                        )
                        yield Label("Wie", classes="item-field -short")
                        yield Input(
                            item.who,
                            placeholder="naam",
                            compact=True,
                            disabled=disabled,
                            id=f"who-{option.id}",
                            classes="item-who",
                        )
                        yield Select(
                            STATUS_OPTIONS,
                            value=item.status.value,
                            allow_blank=False,
                            compact=True,
                            disabled=disabled,
                            id=f"status-{option.id}",
                            classes="item-status",
                        )
                    with Horizontal(classes="item-row"):
                        yield Label("Notitie", classes="item-field")
                        yield Input(
                            item.note,
                            placeholder="wat is er gedaan of afgesproken",
                            compact=True,
                            disabled=disabled,
                            id=f"note-{option.id}",
                            classes="item-note",
                        )
                    yield Static("", classes="item-message", id=f"message-{option.id}")
                    if option.id in hints:
                        yield Static(hints[option.id], classes="item-hint", markup=False)
                    if option.id in RESTART_ITEMS:
                        yield Button(
                            "Stappenplan opnieuw: nieuwe zaak",
                            compact=True,
                            disabled=disabled,
                            id=f"restart-{option.id}",
                            classes="item-restart",
                        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_overdue()
        if not self.read_only:  # the first field, ready to type after what it holds
            first = self.query(".item-due").first(Input)
            first.focus(scroll_visible=False)
            self.call_after_refresh(first.action_end)

    def _banner_text(self) -> str:
        from meldcode_tui.tui.texts import read_only_text

        return read_only_text(self.work)

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

        if self.read_only:
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
        self.refresh_overdue()
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
        self._accept_due(event.input, complain=False)

    @on(Input.Submitted, ".item-due")
    @on(Input.Blurred, ".item-due")
    def _due_done(self, event: Input.Submitted | Input.Blurred) -> None:
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
        self._apply(self._item_of(event.input.id, "who-"), who=event.value)

    @on(Input.Changed, ".item-note")
    def _note_changed(self, event: Input.Changed) -> None:
        self._apply(self._item_of(event.input.id, "note-"), note=event.value)

    @on(Select.Changed, ".item-status")
    def _status_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            status = AftercareStatus(event.value)
            self._apply(self._item_of(event.select.id, "status-"), status=status)

    @on(Button.Pressed, ".item-restart")
    def _restart_pressed(self, event: Button.Pressed) -> None:
        from meldcode_tui.tui.screens.review_dialogs import ConfirmDialog

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

    def action_back(self) -> None:
        self.dismiss(None)
