"""The review screen: one case read-only, for the zorgcoördinator.

The summary is the case's verslag (`case.export`), so the screen, the file export and the CLI
never disagree; the timeline is `case.wording.timeline_rows`, the verslag's appendix. From here
the coordinator sends the whole case (or one step) to the clipboard for Magister, exports it as
PDF, text or Markdown, opens the aftercare, closes the case (both decisions taken, with a reason
and a "bewaren tot" date), destroys it (the zorgcoördinator) or takes over editing (`TakeOver`,
handled by the app).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
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
    Exported,
    Verslag,
    build_verslag,
    export_case,
    render,
    step_summary,
)
from meldcode_tui.case.model import Case, Status
from meldcode_tui.case.wording import (
    TimelineRow,
    step_name,
    timeline_rows,
)
from meldcode_tui.casework.retention import Standing, may_destroy
from meldcode_tui.casework.rules import missing_decisions
from meldcode_tui.localtime import local_date
from meldcode_tui.tui.texts import local_datetime
from meldcode_tui.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from meldcode_tui.case.lock import LockInfo
    from meldcode_tui.casework.work import CaseWork
    from meldcode_tui.flow.model import Flow
    from meldcode_tui.tui.app import MeldcodeApp
    from meldcode_tui.tui.screens.review_dialogs import Content


def summary_text(case: Case, flow: Flow) -> str:
    """What the Overzicht tab shows: the verslag without export line and without the timeline
    (the Tijdlijn tab shows that)."""
    return export_case(case, flow, "txt", timeline=False)


def timeline_text(rows: list[TimelineRow]) -> Text:
    """Each event: when, who and role on a line, what changed below (wrapped), a blank line
    between events."""
    parts: list[Text] = []
    for row in rows:
        parts.append(Text.assemble((row.when, "bold"), " · ", row.person, "\n", row.what))
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
        Binding(
            "m", "magister", "Magister", tooltip="Het hele dossier als tekst naar het klembord"
        ),
        Binding("s", "magister_step", "Per stap", tooltip="Eén stap naar het klembord"),
        Binding("e", "export", "Exporteren", tooltip="Het hele dossier als bestand"),
        Binding("n", "aftercare", "Nazorg", tooltip="Nazorg en evaluatie bijhouden"),
        Binding("z", "close_case", "Sluiten", tooltip="Zaak sluiten (beide besluiten genomen)"),
        Binding("h", "reopen_case", "Heropenen", tooltip="Gesloten zaak heropenen, met reden"),
        Binding("o", "take_over", "Overnemen", tooltip="Deze zaak zelf bewerken"),
        Binding("v", "destroy", "Vernietigen", tooltip="Zaak vernietigen (zorgcoördinator)"),
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
                yield Static(summary_text(self.case, self.flow), id="review-text", markup=False)
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
            parts.append(f"klas/groep {case.group}")
        parts.append(self.flow.status_label(self.work.status.value))
        today = self.today or date.today()
        if self.work.status is Status.GESLOTEN and case.retain_until is not None:
            parts.append(f"bewaren tot {local_date(case.retain_until)}")
            if self.work.standing(today) is Standing.EXPIRED:
                parts.append("⚠ verstreken")
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
        self.query_one("#review-text", Static).update(summary_text(self.case, self.flow))
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

    def verslag(self) -> Verslag:
        """The case as the verslag, made now by the person acting, with the school's name."""
        from meldcode_tui.case.school import SchoolSettingsError, load_school

        assert self.case is not None
        try:
            school = load_school(self.work.store.root).name
        except SchoolSettingsError:
            school = ""
            self.notify(
                "Het bestand met de schoolgegevens (school.yaml) is niet in orde; de naam van de "
                "school ontbreekt in het verslag.",
                title="Schoolgegevens",
                severity="warning",
                markup=False,
            )
        at = self.app.clock() if self.app.clock is not None else datetime.now(UTC)
        exported = Exported(at=at, by=self.app.actor())
        return build_verslag(self.case, self.flow, exported=exported, school=school)

    def action_magister(self) -> None:
        """The whole case as plain text to the clipboard, then the offer to save it as a file."""
        if self.case is None:
            return
        text = render(self.verslag().blocks, "txt")
        self._send(
            text,
            f"Het hele dossier van {self.case.pupil}",
            {"Het hele dossier (.txt)": (f"meldcode-{self.case.id}.txt", text)},
        )

    def action_magister_step(self) -> None:
        from meldcode_tui.tui.screens.review_dialogs import StepPicker

        if self.case is None:
            return
        steps = [(step.id, step_name(step)) for step in self.flow.steps]
        self.app.push_screen(
            StepPicker("Kopieer voor Magister: welke stap?", steps), self._copy_step
        )

    def _copy_step(self, step_id: object) -> None:
        step = self.flow.step(str(step_id)) if step_id else None
        if self.case is None or step is None:
            return
        text = step_summary(self.case, self.flow, step.id)
        part = f"stap{step.number}" if step.number else step.id
        self._send(
            text, step_name(step), {step_name(step): (f"meldcode-{self.case.id}-{part}.txt", text)}
        )

    def _send(self, text: str, what: str, files: dict[str, tuple[str, Content]]) -> None:
        """Send `text` to the clipboard (OSC 52: whether the terminal passes it on cannot be
        known), say so, and offer the same text as a file."""
        from meldcode_tui.tui.screens.review_dialogs import SaveTextDialog

        self.app.copy_to_clipboard(text)
        self.notify(
            f"{what} is als tekst naar het klembord gestuurd: plak het in het logboek van "
            "Magister. Niet elke terminal geeft het klembord door.",
            title="Naar het klembord gestuurd",
            markup=False,
        )
        dialog = SaveTextDialog(
            "Ook opslaan als bestand?",
            "Lukt plakken niet? Dan gaf je terminal het klembord niet door. Sla de tekst op als "
            "bestand (alleen voor jou leesbaar) en neem die over in Magister.",
            files,
        )
        self.app.push_screen(dialog, self._saved)

    def action_export(self) -> None:
        from meldcode_tui.tui.screens.review_dialogs import SaveTextDialog

        if self.case is None:
            return
        verslag = self.verslag()

        def pdf() -> bytes:
            from meldcode_tui.case.pdf import render_pdf

            return render_pdf(verslag)

        name = f"meldcode-{self.case.id}"
        dialog = SaveTextDialog(
            "Zaak exporteren",
            "Het hele dossier als document, voor het leerlingdossier.",
            {
                "PDF, om te printen (.pdf)": (f"{name}.pdf", pdf),
                "Platte tekst (.txt)": (f"{name}.txt", render(verslag.blocks, "txt")),
                "Markdown (.md)": (f"{name}.md", render(verslag.blocks, "md")),
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
        from meldcode_tui.tui.screens.retention_dialogs import close_case_dialog

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
        today = self.today or date.today()
        self.app.push_screen(close_case_dialog(self.work, today), self._close_with)

    async def _close_with(self, closing: object) -> None:
        from meldcode_tui.tui.screens.retention_dialogs import Closing

        if not isinstance(closing, Closing):
            return
        today = self.today or date.today()
        if await self.app.change_case(
            self.case_id,
            closing.intent(today),
            title="Niet gesloten",
        ):
            until = local_date(closing.retain_until)
            self.notify(
                f"De zaak is gesloten en wordt bewaard tot {until}.",
                title="Zaak gesloten",
                markup=False,
            )
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

    def action_destroy(self) -> None:
        from meldcode_tui.case.status import closed_at
        from meldcode_tui.localtime import local
        from meldcode_tui.tui.screens.retention_dialogs import DestroyDialog, DestroyFacts

        case = self.case
        if case is None:
            return
        actor = self.app.actor()
        if actor is None or not may_destroy(actor.role):
            role = f" ({actor.role})" if actor is not None and actor.role else ""
            who = f"Je werkt nu als {actor.name}{role}. " if actor is not None else ""
            self.notify(
                "Alleen de zorgcoördinator kan een zaak vernietigen. "
                f"{who}Ben jij de zorgcoördinator? Zet dan je rol op zorgcoördinator (F3).",
                title="Vernietigen kan niet",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        if self._locked_elsewhere("Vernietigen"):
            return
        closed = closed_at(case.events)
        facts = DestroyFacts(
            case_id=case.id,
            pupil=case.pupil,
            created=local(case.created_at).date(),
            closed=local(closed).date() if closed is not None else None,
            retain_until=case.retain_until,
            standing=self.work.standing(self.today),
        )
        self.app.push_screen(DestroyDialog(facts), self._destroy_with)

    def _destroy_with(self, reason: object) -> None:
        from meldcode_tui.case.destroy import DestroyedButError
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.tui.texts import destroy_error_text

        actor = self.app.actor()
        if not isinstance(reason, str) or actor is None:
            return
        if self.app.holds(self.case_id):
            self.app.close_case()
        self.work.set_actor(actor)
        try:
            self.work.destroy(force=True, reason=reason, today=self.today)
        except DestroyedButError as exc:
            self.app.notify(
                destroy_error_text(exc, self.case_id),
                title="Zaak vernietigd",
                severity="warning",
                timeout=20,
                markup=False,
            )
            self.dismiss(None)
            return
        except (CaseError, OSError) as exc:
            self.notify(
                destroy_error_text(exc, self.case_id),
                title="Niet vernietigd",
                severity="error",
                timeout=15,
                markup=False,
            )
            self.run_worker(self.reload())
            return
        self.app.notify(
            f"Zaak {self.case_id} is vernietigd, met alle bestanden ervan. In vernietigd.log "
            "staan het zaaknummer, de datums en wie het deed; niet wie de leerling was.",
            title="Zaak vernietigd",
            markup=False,
        )
        self.dismiss(None)
