"""The `entries` field: a list of cards, each holding the field's sub-fields.

Stored as a list of objects {sub-field id: value}. Sub-field widgets come from `make_field`; their
`Changed` messages stop here and the entries field posts one `Changed` with the whole list.
A sub-field's `show_if` names another sub-field of the same entry. Removing an entry that holds
anything asks first: one Enter on a focused button must not throw
away a signal someone wrote down.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button

from meldcode_tui.casework.rules import shown_fields
from meldcode_tui.flow.model import FormField
from meldcode_tui.tui.fields.base import FieldContext, FieldWidget, make_field

ADD_LABEL = "+ Toevoegen"
REMOVE_LABEL = "Verwijderen"
REMOVE_TEXT = "Wat hierin is ingevuld, gaat verloren."


def card_title(number: int) -> str:
    return f"Nr. {number}"


def min_entries_warning(field: FormField) -> str:
    return field.min_entries_warning or f"Voeg er ten minste {field.min_entries} toe."


class EntryCard(Vertical):
    """One entry: its sub-fields and a remove button."""

    def __init__(
        self, field: FormField, entry: dict[str, Any], number: int, context: FieldContext
    ) -> None:
        super().__init__(classes="entry-card")
        self.field = field
        self.entry = entry
        self.context = context
        self.border_title = card_title(number)

    def compose(self) -> ComposeResult:
        shown = shown_fields(self.field.fields, self.entry)
        for sub in self.field.fields:
            widget = make_field(sub, self.entry.get(sub.id), self.context)
            widget.display = sub.id in shown
            yield widget
        yield Button(
            REMOVE_LABEL,
            variant="error",
            compact=True,
            disabled=self.context.read_only,
            classes="entry-remove",
        )

    @property
    def subfields(self) -> list[FieldWidget]:
        return [child for child in self.children if isinstance(child, FieldWidget)]

    def update_visibility(self) -> None:
        """Show the sub-fields whose `show_if` holds for this entry; hidden ones keep values."""
        shown = shown_fields(self.field.fields, self.entry)
        for sub in self.subfields:
            sub.display = sub.field.id in shown

    @property
    def is_blank(self) -> bool:
        return not any(value not in ("", None, [], {}) for value in self.entry.values())


class EntriesField(FieldWidget):
    """Any number of entries, each a card of sub-fields."""

    def coerce(self, value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            return []
        return [dict(entry) for entry in value if isinstance(entry, dict)]

    def empty_entry(self) -> dict[str, Any]:
        return {sub.id: "" for sub in self.field.fields}

    def compose_input(self) -> ComposeResult:
        with Vertical(classes="entries-list"):
            for number, entry in enumerate(self._value, start=1):
                yield EntryCard(self.field, dict(entry), number, self.context)
        yield Button(
            ADD_LABEL,
            variant="primary",
            compact=True,
            disabled=self.context.read_only,
            classes="entry-add",
        )

    def on_mount(self) -> None:
        self._update_warning()

    @property
    def cards(self) -> list[EntryCard]:
        return list(self.query_one(".entries-list", Vertical).query_children(EntryCard))

    def missing(self) -> list[str]:
        found = super().missing()
        for number, card in enumerate(self.cards, start=1):
            for sub in card.subfields:
                if sub.display:
                    found.extend(f"{self.field.label} {number}: {label}" for label in sub.missing())
        return found

    def _update_warning(self) -> None:
        short = len(self._value) < self.field.min_entries
        self.show_message(min_entries_warning(self.field) if short else "")
        self.query_one(".field-message").set_class(short, "-warning")

    def _store(self) -> None:
        for number, card in enumerate(self.cards, start=1):
            card.border_title = card_title(number)
        self.set_value([dict(card.entry) for card in self.cards])
        self._update_warning()

    async def add_entry(self) -> EntryCard:
        """Append an empty entry, focus its first input and post `Changed`."""
        card = EntryCard(self.field, self.empty_entry(), len(self.cards) + 1, self.context)
        await self.query_one(".entries-list", Vertical).mount(card)
        self._store()
        self.call_after_refresh(card.scroll_visible, animate=False)
        if card.subfields:
            card.subfields[0].focus_input()
        return card

    async def remove_entry(self, card: EntryCard) -> None:
        """Remove one entry and post `Changed`."""
        await card.remove()
        self._store()
        self.query_one(".entry-add", Button).focus()

    @on(Button.Pressed, ".entry-add")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add_entry()

    @on(Button.Pressed, ".entry-remove")
    async def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        card = next(node for node in event.button.ancestors if isinstance(node, EntryCard))
        if card.is_blank:
            await self.remove_entry(card)
            return
        from meldcode_tui.tui.screens.review_dialogs import ConfirmDialog  # imports the fields

        async def confirmed(yes: object) -> None:
            if yes is True and card.is_attached:
                await self.remove_entry(card)

        title = f"{self.field.label}: {card.border_title} verwijderen?"
        dialog = ConfirmDialog(title, REMOVE_TEXT, REMOVE_LABEL, safe_default=True)
        self.app.push_screen(dialog, confirmed)

    @on(FieldWidget.Changed)
    def _subfield_changed(self, event: FieldWidget.Changed) -> None:
        if event.widget is self:
            return
        event.stop()
        card = next(node for node in event.widget.ancestors if isinstance(node, EntryCard))
        card.entry[event.field_id] = event.value
        card.update_visibility()
        self._store()
