"""The dialogs of the bewaartermijn: closing a case with a reason and a "bewaren tot" date, and
destroying a case (the confirmation names the pupil reference and the dates).

The rules are casework's (`casework.retention`); these dialogs ask, show and say in Dutch what a
rule refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from meldcode_tui.casework.retention import (
    RetainProblem,
    Standing,
    add_years,
    retain_problem,
    retention_years,
)
from meldcode_tui.localtime import local_date
from meldcode_tui.tui.fields.date import INVALID_DATE, PLACEHOLDER, parse_date
from meldcode_tui.tui.screens.review_dialogs import Dialog, ReasonDialog

if TYPE_CHECKING:
    from meldcode_tui.casework.work import CaseWork


@dataclass(frozen=True)
class Closing:
    """What the close dialog asked: the reason, the "bewaren tot" date and, for a date before
    the school's term, why the case is kept shorter."""

    reason: str
    retain_until: date
    shorter_reason: str = ""

    def intent(self, today: date) -> Callable[[CaseWork], None]:
        """The close as a change of the open case (closed on `today`)."""
        return lambda work: work.close(
            self.reason, self.retain_until, shorter_reason=self.shorter_reason, today=today
        )


class CloseDialog(ReasonDialog):
    """Close a case: the reason, and the "bewaren tot" date (the school's term by default,
    dd-mm-jjjj); a date before that asks why. Dismisses with a `Closing`, or None. The review's
    close and the early close after vermoeden = nee (its own title, text and button) both ask
    here."""

    def __init__(
        self,
        pupil: str,
        today: date,
        default: date,
        years: int,
        *,
        title: str = "",
        text: str = "Waarom wordt deze zaak gesloten? De reden komt in het dossier.",
        ok_label: str = "Zaak sluiten",
    ) -> None:
        super().__init__(title or f"Zaak sluiten — {pupil}", text, ok_label, "close")
        self.today = today
        self.default = default
        self.years = years

    def compose(self) -> ComposeResult:
        term = f"{self.years} jaar" if self.years != 1 else "1 jaar"
        with Vertical(classes="review-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.text, classes="dialog-text", markup=False)
            yield Input(id="close-reason", placeholder="reden", compact=True)
            yield Label("Bewaren tot (dd-mm-jjjj)", id="close-until-label", classes="dialog-label")
            yield Input(
                local_date(self.default),
                id="close-until",
                placeholder=PLACEHOLDER,
                max_length=10,
                compact=True,
            )
            yield Static(
                f"De bewaartermijn van de school is {term} na het sluiten: tot "
                f"{local_date(self.default)}. Daarna kan de zaak worden vernietigd.",
                classes="dialog-hint",
                markup=False,
            )
            shorter = Input(
                id="close-shorter",
                placeholder="reden om korter te bewaren",
                compact=True,
            )
            shorter.display = False
            yield shorter
            yield Static("", id="close-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ok_label, id="close-ok", variant="warning", compact=True)
                yield Button("Annuleren", classes="cancel", compact=True)

    @on(Input.Changed, "#close-until")
    def _until_changed(self, event: Input.Changed) -> None:
        chosen = parse_date(event.value)
        self.query_one("#close-shorter", Input).display = (
            chosen is not None and chosen < self.default
        )

    def _confirm(self) -> None:
        message = self.query_one("#close-message", Static)
        reason_field = self.query_one("#close-reason", Input)
        until_field = self.query_one("#close-until", Input)
        shorter_field = self.query_one("#close-shorter", Input)
        reason = reason_field.value.strip()
        if not reason:
            message.update("Vul een reden in.")
            reason_field.focus()
            return
        chosen = parse_date(until_field.value)
        if chosen is None:
            message.update(f"{INVALID_DATE} bij 'Bewaren tot'.")
            until_field.focus()
            return
        shorter = shorter_field.value.strip() if chosen < self.default else ""
        problem = retain_problem(chosen, self.today, self.default, shorter)
        if problem is RetainProblem.BEFORE_CLOSING:
            message.update("De bewaardatum kan niet vóór vandaag liggen.")
            until_field.focus()
            return
        if problem is RetainProblem.SHORTER_WITHOUT_REASON:
            shorter_field.display = True
            message.update(
                "Korter bewaren dan de termijn van de school: vul in waarom. "
                "Die reden komt in het dossier."
            )
            shorter_field.focus()
            return
        self.dismiss(Closing(reason, chosen, shorter))


def close_case_dialog(work: CaseWork, today: date, **texts: str) -> CloseDialog:
    """The close dialog of `work`'s case on `today`: the school's term is read once, for the
    default date and the hint; `texts` may give another title, text and button."""
    years = retention_years(work.store.root)
    return CloseDialog(work.case.pupil, today, add_years(today, years), years, **texts)


@dataclass(frozen=True)
class DestroyFacts:
    """What the destroy confirmation names: the pupil reference, the dates and where the case
    stands towards its bewaartermijn."""

    case_id: str
    pupil: str
    created: date
    closed: date | None
    retain_until: date | None
    standing: Standing


def _day(day: date | None, missing: str) -> str:
    return local_date(day) if day is not None else missing


WARNINGS = {
    Standing.EXPIRED: "De bewaartermijn is verstreken.",
    Standing.KEPT: "Let op: de bewaartermijn loopt nog tot {until}. Weet je zeker dat je deze "
    "zaak nu al vernietigt?",
    Standing.NO_TERM: "Let op: bij het sluiten is geen bewaardatum vastgelegd (een oudere versie "
    "van het programma). Weet je zeker dat de bewaartermijn voorbij is?",
    Standing.OPEN: "Let op: deze zaak is niet gesloten. Vernietig een lopende zaak alleen als "
    "het moet (bijv. per vergissing aangemaakt), met de reden. Die komt in vernietigd.log: zet "
    "er geen namen of inhoud van de zaak in.",
}


class DestroyDialog(Dialog):
    """Confirm destroying a case; an open case also asks the reason. Opens on "Annuleren" (an
    open case: on the reason). Dismisses with the reason ("" when none is asked), or None."""

    def __init__(self, facts: DestroyFacts) -> None:
        super().__init__()
        self.facts = facts
        self.first_focus = "#destroy-reason" if facts.standing is Standing.OPEN else ".cancel"

    def compose(self) -> ComposeResult:
        facts = self.facts
        no_date = "—" if facts.closed is None else "geen datum"
        lines = (
            f"Leerling:    {facts.pupil}\n"
            f"Zaak:        {facts.case_id}\n"
            f"Aangemaakt:  {_day(facts.created, '')}\n"
            f"Gesloten:    {_day(facts.closed, 'nee, de zaak loopt nog')}\n"
            f"Bewaren tot: {_day(facts.retain_until, no_date)}"
        )
        with Vertical(classes="review-dialog"):
            yield Static(f"Zaak vernietigen — {facts.pupil}", classes="dialog-title", markup=False)
            yield Static(lines, id="destroy-facts", classes="dialog-text", markup=False)
            yield Static(
                WARNINGS[facts.standing].format(until=_day(facts.retain_until, "")),
                id="destroy-warning",
                classes="dialog-text",
                markup=False,
            )
            yield Static(
                "Het zaakbestand en alle bestanden ervan worden verwijderd; dat kan niet ongedaan "
                "worden gemaakt. Het log houdt alleen het zaaknummer, de datums en je naam en rol "
                "bij.",
                classes="dialog-hint",
                markup=False,
            )
            if facts.standing is Standing.OPEN:
                yield Input(
                    id="destroy-reason", placeholder="reden (geen zaakinhoud)", compact=True
                )
            yield Static("", id="destroy-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Vernietigen", id="destroy-ok", variant="error", compact=True)
                yield Button("Annuleren", classes="cancel", compact=True)

    @on(Input.Submitted, "#destroy-reason")
    @on(Button.Pressed, "#destroy-ok")
    def _confirm(self) -> None:
        if self.facts.standing is not Standing.OPEN:
            self.dismiss("")
            return
        field = self.query_one("#destroy-reason", Input)
        reason = field.value.strip()
        if not reason:
            self.query_one("#destroy-message", Static).update(
                "Vul de reden in waarom deze lopende zaak wordt vernietigd."
            )
            field.focus()
            return
        self.dismiss(reason)
