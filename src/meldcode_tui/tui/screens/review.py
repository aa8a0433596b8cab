"""The review screen: one case read-only, for the zorgcoördinator.

The summary is the case's export document (`case.export`), so the screen, the file export and the
CLI never disagree. The timeline describes the event log in Dutch with the flow's labels. From
here the coordinator copies a step summary for Magister, exports the case, opens the aftercare,
closes the case (both decisions taken, with a reason) or takes over editing (`TakeOver`, handled
by the app).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from meldcode_tui.case.export import (
    AFTERCARE_LABELS,
    decision_labels,
    export_case,
    step_summary,
)
from meldcode_tui.case.model import AftercareStatus, Case, Event, Status
from meldcode_tui.casework.rules import missing_decisions
from meldcode_tui.tui.texts import local_datetime
from meldcode_tui.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from meldcode_tui.case.lock import LockInfo
    from meldcode_tui.casework.work import CaseWork
    from meldcode_tui.flow.model import Flow, Step
    from meldcode_tui.tui.app import MeldcodeApp

TimelineRow = tuple[str, str, str, str]


def step_name(step: Step) -> str:
    return f"Stap {step.number} — {step.title}" if step.number else step.title


def target_label(flow: Flow, target: str) -> str:
    """A step, field or question id as the flow names it: "gesprek.besproken" reads
    "Stap 3 — Wat is er besproken?"."""
    step_id, _, field_id = target.partition(".")
    step = flow.step(step_id)
    if step is not None:
        if not field_id:
            return step_name(step)
        field = next((f for f in step.fields if f.id == field_id), None)
        if field is not None:
            prefix = f"Stap {step.number}" if step.number else step.title
            return f"{prefix} — {field.label}"
    question = flow.question(target)
    if question is not None:
        step = flow.step_of_question(target)
        prefix = f"Stap {step.number}" if step is not None and step.number else "Afweging"
        return f"{prefix} — {question.text}"
    return target


def _option_label(flow: Flow, question_id: str, option_id: str) -> str:
    question = flow.question(question_id)
    option = next((o for o in question.options if o.id == option_id), None) if question else None
    return option.label if option else option_id


def _decision_label(flow: Flow, key: str) -> str:
    field = next(
        (f for step in flow.steps for f in step.fields if f.decision == key),
        None,
    )
    return field.label if field is not None else f"besluit {key}"


def _aftercare_label(flow: Flow, item_id: str) -> str:
    option = next(
        (o for step in flow.steps for f in step.fields for o in f.options if o.id == item_id),
        None,
    )
    return option.label if option is not None else item_id


def describe_event(flow: Flow, event: Event) -> str:
    """What an event changed, in Dutch, with the flow's labels; only a close or reopen carries
    text the person typed (the reason)."""
    action, target, detail = event.action, event.target, event.detail
    if action == "create":
        version = f", protocol versie {detail}" if detail else ""
        return f"Zaak aangemaakt{version}"
    if action == "answer":
        return f"Beantwoord: {target_label(flow, target)} → {_option_label(flow, target, detail)}"
    if action == "clear_answer":
        return f"Antwoord gewist: {target_label(flow, target)}"
    if action == "value":
        return f"Vastgelegd: {target_label(flow, target)}"
    if action == "notes":
        return f"Notities bijgewerkt: {target_label(flow, target)}"
    if action == "decision":
        yes, no = decision_labels(flow, target)
        verdict = {"ja": yes, "nee": no}.get(detail, "bijgewerkt, nog geen besluit")
        return f"{_decision_label(flow, target)} → {verdict}"
    if action == "aftercare":
        try:
            status = AFTERCARE_LABELS[AftercareStatus(detail)]
        except ValueError:
            status = detail
        return f"Nazorg: {_aftercare_label(flow, target)} → {status}"
    if action == "status":
        return f"Status: {flow.status_label(detail)}"
    if action == "link":
        return f"Vervolg op zaak {target} (stappenplan opnieuw)"
    if action == "melding":
        return "Melding bij Veilig Thuis vastgelegd"
    if action == "hulp_gestart":
        return "Hulp gestart"
    if action == "close":
        return f"Zaak gesloten. Reden: {event.note}"
    if action == "reopen":
        return f"Zaak heropend. Reden: {event.note}"
    if action == "take_over":
        where = f" op {target}" if target else ""
        return f"Zaak overgenomen van {detail or 'onbekend'}{where}"
    return " ".join(part for part in (action, target, detail) if part)


def timeline_rows(flow: Flow, case: Case) -> list[TimelineRow]:
    """The event log in order: when, who, role, what."""
    return [
        (local_datetime(e.at), e.by.name, e.by.role, describe_event(flow, e)) for e in case.events
    ]


def timeline_text(rows: list[TimelineRow]) -> Text:
    """Each event: when, who and role on a line, what changed below (wrapped), a blank line
    between events."""
    parts: list[Text] = []
    for when, who, role, what in rows:
        person = f"{who} ({role})" if role else who
        parts.append(Text.assemble((when, "bold"), " · ", person, "\n", what))
    return Text("\n\n").join(parts)


class Timeline(Static):
    """The event log as one widget (a widget per event took most of a second to mount and lay
    out for a case of 60 events, while the keys pressed waited)."""

    def __init__(self) -> None:
        super().__init__(id="timeline-text")
        self.rows: list[TimelineRow] = []

    def show(self, rows: list[TimelineRow]) -> None:
        self.rows = rows
        self.update(timeline_text(rows))


def lock_text(holder: LockInfo) -> str:
    who = holder.user or "iemand anders"
    where = f" op {holder.host}" if holder.host else ""
    return (
        f"Deze zaak wordt nu bewerkt door {who}{where} (sinds {local_datetime(holder.time)}). "
        "Je ziet de laatst opgeslagen versie."
    )


class ReviewScreen(Screen[None]):
    """A case read-only: summary per step, decisions, aftercare and the timeline."""

    CSS_PATH = "review.tcss"
    AUTO_FOCUS = "#review-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Terug", show=False, id="review-back"),
        Binding("t", "toggle_tab", "Tijdlijn", tooltip="Overzicht of tijdlijn", id="review-tab"),
        Binding("m", "magister", "Magister", tooltip="Kopieer een stap voor Magister"),
        Binding("e", "export", "Exporteren", tooltip="Het hele dossier als bestand"),
        Binding("n", "aftercare", "Nazorg", tooltip="Nazorg en evaluatie bijhouden"),
        Binding("z", "close_case", "Sluiten", tooltip="Zaak sluiten (beide besluiten genomen)"),
        Binding("h", "reopen_case", "Heropenen", tooltip="Gesloten zaak heropenen, met reden"),
        Binding("o", "take_over", "Overnemen", tooltip="Deze zaak zelf bewerken"),
    ]

    @dataclass
    class TakeOver(Message):
        """The user wants to edit this case: the app opens it in the wizard."""

        case_id: str

    app: MeldcodeApp

    def __init__(self, work: CaseWork, *, today: date | None = None) -> None:
        super().__init__()
        self.work = work
        self.flow: Flow = work.flow
        self.case_id = work.case_id
        self.today = today
        self.case: Case | None = work.case
        self.error: str | None = None
        self.holder: LockInfo | None = work.lock_holder

    def _read(self) -> None:
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.tui.texts import case_error_text

        try:
            self.work.reload()
        except (CaseError, OSError) as exc:
            self.case = None
            self.error = (
                case_error_text(exc, self.case_id)
                if isinstance(exc, CaseError)
                else f"Zaak {self.case_id} kan niet worden gelezen."
            )
            return
        self.case, self.error = self.work.case, None
        self.holder = self.work.store.lock_holder(self.case_id)

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="review-title", markup=False)
        if self.case is None:
            yield Static(self.error or "", id="review-error", markup=False)
            yield KeyBar()
            return
        lock = Static(lock_text(self.holder) if self.holder else "", id="review-lock", markup=False)
        lock.display = self.holder is not None
        yield lock
        with TabbedContent(id="review-tabs"):
            with TabPane("Overzicht", id="review-summary"), VerticalScroll(id="review-scroll"):
                yield Static(
                    export_case(self.case, self.flow, "txt"), id="review-text", markup=False
                )
            with TabPane("Tijdlijn", id="review-timeline"), VerticalScroll(id="timeline"):
                yield Timeline()
        yield KeyBar()

    def on_mount(self) -> None:
        if self.case is not None:
            self._fill_timeline()

    def _title(self) -> str:
        case = self.case
        if case is None:
            return f"Zaak {self.case_id}"
        parts = [case.pupil]
        if case.group:
            parts.append(f"groep {case.group}")
        parts.append(self.flow.status_label(self.work.status.value))
        today = self.today or date.today()
        if any(item.overdue(today) for item in case.aftercare):
            parts.append("⚠ nazorg te laat")
        parts.append(f"zaak {case.id}")
        return " · ".join(parts)

    def _fill_timeline(self) -> None:
        assert self.case is not None
        self.query_one(Timeline).show(timeline_rows(self.flow, self.case))

    def timeline(self) -> list[TimelineRow]:
        """The rows the timeline shows, in order."""
        return self.query_one(Timeline).rows

    async def reload(self) -> None:
        """Read the case again from disk (after closing it, or after the aftercare screen)."""
        self._read()
        self.query_one("#review-title", Static).update(self._title())
        if self.case is None:
            self.notify(self.error or "", title="Zaak niet gelezen", severity="error", markup=False)
            return
        lock = self.query_one("#review-lock", Static)
        lock.update(lock_text(self.holder) if self.holder else "")
        lock.display = self.holder is not None
        self.query_one("#review-text", Static).update(export_case(self.case, self.flow, "txt"))
        self._fill_timeline()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_toggle_tab(self) -> None:
        if self.case is None:
            return
        tabs = self.query_one("#review-tabs", TabbedContent)
        tabs.active = "review-timeline" if tabs.active == "review-summary" else "review-summary"
        target = "#timeline" if tabs.active == "review-timeline" else "#review-scroll"
        self.query_one(target).focus()

    def action_magister(self) -> None:
        from meldcode_tui.tui.screens.review_dialogs import StepPicker

        if self.case is None:
            return
        steps = [(step.id, step_name(step)) for step in self.flow.steps]
        self.app.push_screen(
            StepPicker("Kopieer voor Magister: welke stap?", steps), self._copy_step
        )

    def _copy_step(self, step_id: object) -> None:
        from meldcode_tui.tui.screens.review_dialogs import SaveTextDialog

        step = self.flow.step(str(step_id)) if step_id else None
        if self.case is None or step is None:
            return
        text = step_summary(self.case, self.flow, step.id)
        self.app.copy_to_clipboard(text)
        self.notify(
            f"{step_name(step)} staat op het klembord: plak het in het logboek van Magister.",
            title="Gekopieerd",
            markup=False,
        )
        part = f"stap{step.number}" if step.number else step.id
        dialog = SaveTextDialog(
            "Ook opslaan als bestand?",
            "Werkt plakken niet in deze terminal? Sla de samenvatting dan op als tekstbestand.",
            {step_name(step): (f"meldcode-{self.case.id}-{part}.txt", text)},
        )
        self.app.push_screen(dialog, self._saved)

    def action_export(self) -> None:
        from meldcode_tui.tui.screens.review_dialogs import SaveTextDialog

        if self.case is None:
            return
        name = f"meldcode-{self.case.id}"
        dialog = SaveTextDialog(
            "Zaak exporteren",
            "Het hele dossier als document, voor het leerlingdossier.",
            {
                "Markdown (.md)": (f"{name}.md", export_case(self.case, self.flow, "md")),
                "Platte tekst (.txt)": (f"{name}.txt", export_case(self.case, self.flow, "txt")),
            },
            ok_label="Exporteren",
        )
        self.app.push_screen(dialog, self._saved)

    def _saved(self, result: object) -> None:
        if isinstance(result, Path):
            self.notify(
                f"Opgeslagen als {result} (alleen voor jou leesbaar).",
                title="Opgeslagen",
                markup=False,
            )
        elif isinstance(result, str):
            self.notify(
                f"{result} wordt door de browser gedownload.", title="Bestand", markup=False
            )

    async def action_aftercare(self) -> None:
        if self.case is not None:
            await self.app.edit_aftercare(
                self.case_id, lambda: self.run_worker(self.reload()), today=self.today
            )

    def action_close_case(self) -> None:
        from meldcode_tui.tui.screens.review_dialogs import close_case_dialog

        case = self.case
        if case is None:
            return
        if self.work.status is Status.GESLOTEN:
            self.notify("Deze zaak is al gesloten.", title="Zaak sluiten")
            return
        missing = missing_decisions(self.flow, case)
        if missing:
            self.notify(
                "Een zaak kan pas gesloten worden als beide besluiten van stap 5 zijn genomen. "
                f"Nog niet genomen: {'; '.join(missing)}.",
                title="Zaak sluiten kan nog niet",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        if self._locked_elsewhere("Sluiten"):
            return
        self.app.push_screen(close_case_dialog(case.pupil), self._close_with)

    async def _close_with(self, reason: object) -> None:
        if not isinstance(reason, str) or not reason:
            return
        if await self.app.change_case(
            self.case_id, lambda w: w.close(reason), title="Niet gesloten"
        ):
            self.notify("De zaak is gesloten.", title="Zaak gesloten")
        self.run_worker(self.reload())

    def action_reopen_case(self) -> None:
        from meldcode_tui.tui.screens.review_dialogs import reopen_case_dialog

        if self.case is None:
            return
        if self.work.status is not Status.GESLOTEN:
            self.notify("Deze zaak is niet gesloten.", title="Zaak heropenen")
            return
        if self._locked_elsewhere("Heropenen"):
            return
        self.app.push_screen(reopen_case_dialog(self.case.pupil), self._reopen_with)

    async def _reopen_with(self, reason: object) -> None:
        if not isinstance(reason, str) or not reason:
            return
        if await self.app.change_case(
            self.case_id, lambda w: w.reopen(reason), title="Niet heropend"
        ):
            self.notify("De zaak is heropend.", title="Zaak heropend")
        self.run_worker(self.reload())

    def _locked_elsewhere(self, what: str) -> bool:
        holder = self.work.store.lock_holder(self.case_id)
        if holder is None or self.app.holds(self.case_id):
            return False
        self.notify(
            f"{lock_text(holder)} Dat kan pas als die de zaak heeft gesloten.",
            title=f"{what} kan nu niet",
            severity="warning",
            timeout=10,
            markup=False,
        )
        return True

    def action_take_over(self) -> None:
        if self.case is None:
            return
        if self.work.status is Status.GESLOTEN:
            self.notify(
                "Een gesloten zaak kan niet worden bewerkt. Heropen de zaak eerst (H), met een "
                "reden.",
                title="Overnemen kan nu niet",
                severity="warning",
                markup=False,
            )
            return
        from meldcode_tui.tui.texts import takeover_offered

        state = self.work.store.lock_state(self.case_id)
        if not takeover_offered(state) and self._locked_elsewhere("Overnemen"):
            return
        self.post_message(self.TakeOver(self.case_id))  # the app asks before taking a lock over
