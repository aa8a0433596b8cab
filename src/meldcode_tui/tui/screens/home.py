"""The home screen: start a new case, resume a recent one, find any case, see overdue aftercare.

It is the first screen, shown before the flow and the case store are loaded, so it imports
nothing heavy; the list of cases arrives through `show_listing`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Label, Static

from meldcode_tui.tui.labels import refuse_unfit_labels
from meldcode_tui.tui.plain import plain_cell
from meldcode_tui.tui.widgets.case_table import (
    CaseTable,
    ColumnFit,
    Fit,
    clip,
    clip_start,
    fit_columns,
)
from meldcode_tui.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from rich.text import Text

    from meldcode_tui.case.index import CaseSummary, Listing
    from meldcode_tui.tui.app import MeldcodeApp
    from meldcode_tui.tui.prefs import Prefs

PUPIL_HINT = "Geen volledige naam nodig: een pseudoniem of nummer volstaat."
LOADING = "Zaken worden geladen…"
RECENT_LIMIT = 50
COLUMNS = (
    ColumnFit("pupil", "Leerling", flex=True),
    ColumnFit("group", "Klas/groep", 10, 5),
    ColumnFit("step", "Stap", 22, 12, grows_first=True),
    ColumnFit("updated", "Bijgewerkt", 16, 10),
    ColumnFit("id", "Zaak", 16, 8),
)
"""Content widths, wide and narrowest (`CaseTable`); a narrower Bijgewerkt shows less of the
time (`WHEN_FORMATS`)."""
NEW_CASE_LABELS = (
    ("#pupil", "Leerling"),
    ("#group", "Klas/groep"),
    ("#name", "Je naam"),
    ("#role", "Rol"),
)
"""The form's one-line labels; the last two say who is acting, also when a case is opened."""


class HomeScreen(Screen[None]):
    """New case, recent cases, search."""

    AUTO_FOCUS = "#pupil"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_case", "Nieuwe zaak", id="new-case"),
        Binding("ctrl+f", "search", "Zoeken", show=False, id="search"),
        Binding("ctrl+o", "app.overview", "Alle zaken", id="home-overview"),
    ]

    app: MeldcodeApp

    def __init__(self) -> None:
        super().__init__()
        self.listing: Listing | None = None
        self.step_labels: dict[str, str] = {}
        """Step id → "3 Gesprek": from the flow cache before the flow is loaded, then the flow."""
        self._composed = False
        self._fit: Fit | None = None

    def compose(self) -> ComposeResult:
        prefs = self.app.prefs
        yield Static("Meldcode huiselijk geweld en kindermishandeling", id="home-title")
        with Vertical(id="new-case"):
            with Horizontal(classes="form-row"):
                yield Label("Leerling", classes="form-label")
                yield Input(id="pupil", placeholder="pseudoniem of leerlingnummer", compact=True)
            yield Static(PUPIL_HINT, classes="hint")
            with Horizontal(classes="form-row"):
                yield Label("Klas/groep", classes="form-label")
                yield Input(id="group", placeholder="bijv. 2B", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Je naam", classes="form-label")
                yield Input(prefs.name, id="name", placeholder="voor het logboek", compact=True)
                yield Label("Rol", classes="form-label -short")
                self._role = Input(prefs.role, id="role", placeholder="bijv. mentor", compact=True)
                yield self._role
            yield Button("Zaak starten", id="create", variant="primary", compact=True)
        self._overdue = Static(id="overdue", markup=False)
        yield self._overdue
        with Vertical(id="cases") as self._cases:
            self._search = Input(
                id="search", placeholder="Zoek op leerling, groep of zaaknummer", compact=True
            )
            yield self._search
            self._table = CaseTable(id="case-table")
            yield self._table
            self._note_line = Static(LOADING, id="list-note")
            yield self._note_line
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#new-case").border_title = "Nieuwe zaak"
        self._cases.border_title = "Recente zaken"
        self._overdue.display = False
        self.app.actor_changed_signal.subscribe(self, self._actor_shown)
        self._composed = True
        if self.listing is not None:
            self.show_listing(self.listing)

    def reload(self) -> None:
        """Read the list of cases again (after a case was closed)."""
        if self.app.store is not None:
            self.show_listing(self.app.store.list())

    def show_listing(self, listing: Listing, step_labels: dict[str, str] | None = None) -> None:
        self.listing = listing
        if step_labels is not None:
            self.step_labels = step_labels
        if not self._composed:
            return
        self._show_overdue(listing.cases)
        self.suggest_roles()
        self._fill()

    def suggest_roles(self) -> None:
        """Typing a role completes it from the flow's role list (→ accepts the suggestion)."""
        from textual.suggester import SuggestFromList

        if not self._composed:
            return
        role = self._role  # also before the children are mounted (see `_fill`)
        flow = self.app.flow
        if role.suggester is None and flow is not None and flow.roles:
            labels = [o.label for o in flow.named_roles]
            role.suggester = SuggestFromList(labels, case_sensitive=False)

    @on(CaseTable.Refit, "#case-table")
    def _refit(self) -> None:
        if self.listing is not None:
            self._fill()

    def _fill(self) -> None:
        """Also before the screen's children are mounted (the list of the first frame): so
        through the widgets kept in `compose`, not through queries."""
        table = self._table
        fit = fit_columns(COLUMNS, table.fit_width or self.app.size.width - 6)
        if fit != self._fit:  # a search keeps the columns: only the rows change
            table.set_columns(COLUMNS, fit)
            self._fit = fit
        else:
            table.clear()
        if self.listing is None:
            return
        query = self._search.value.strip().casefold()
        cases = self.listing.cases
        title = "Recente zaken"
        if query:
            cases = [c for c in cases if _matches(c, query)]
            title = "Gevonden zaken"
        else:
            name = self.app.prefs.name
            mine = [c for c in cases if name and c.updated_by == name]
            if mine:
                cases, title = mine, "Je recente zaken"
            cases = cases[:RECENT_LIMIT]
        for summary in cases:
            table.add_row(*self._row(summary, fit), key=summary.id)
        self._cases.border_title = title
        note = self._note(len(cases), bool(query))
        self._note_line.update(note)
        self._note_line.display = bool(note)

    def _row(self, summary: CaseSummary, fit: Fit) -> tuple[Text, ...]:
        texts = (
            summary.pupil,
            summary.group,
            self._progress_label(summary.step, summary.status),
            _when(summary.updated, fit.widths["updated"]),
            summary.id,
        )
        cells = []
        for column, text in zip(COLUMNS, texts, strict=True):
            cut = clip_start if column.key == "id" else clip
            cells.append(plain_cell(cut(text, fit.widths[column.key])))
        return tuple(cells)

    def _progress_label(self, step_id: str, status: str) -> str:
        """How far the case is: the furthest step with work in it, and the status past "open"."""
        from meldcode_tui.tui.texts import step_label

        flow = self.app.flow
        label = self.step_labels.get(step_id)
        if label is None:
            label = step_label(flow, step_id) if flow is not None else step_id
        return label if status == "open" else f"{label} · {status}"

    def _note(self, shown: int, searching: bool) -> str:
        from meldcode_tui.tui.texts import list_error_text

        parts = []
        if shown == 0:
            parts.append("Geen zaken gevonden." if searching else "Nog geen zaken.")
        if self.listing is not None and self.listing.errors:
            parts.append(list_error_text(len(self.listing.errors)))
        return " ".join(parts)

    def _show_overdue(self, cases: list[CaseSummary]) -> None:
        overdue = [c for c in cases if c.overdue]
        note = self._overdue
        note.display = bool(overdue)
        if overdue:
            names = ", ".join(f"{c.pupil} ({c.id})" for c in overdue[:3])
            more = f" en {len(overdue) - 3} meer" if len(overdue) > 3 else ""
            note.update(f"Nazorg over de datum: {names}{more}")

    def _actor_fields(self) -> tuple[str, str]:
        return self.query_one("#name", Input).value, self.query_one("#role", Input).value

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one("#case-table", DataTable).focus()

    @on(Input.Changed, "#name, #role")
    def _actor_changed(self) -> None:
        """The name and role here are who is acting, from this moment on, on every screen (a
        name or role the case files would refuse is not taken over: the field says why)."""
        name, role = self._actor_fields()
        if name.strip() and not refuse_unfit_labels(self, NEW_CASE_LABELS[2:]):
            self.app.remember(name, role)

    def _actor_shown(self, prefs: Prefs) -> None:
        for widget_id, value in (("#name", prefs.name), ("#role", prefs.role)):
            field = self.query_one(widget_id, Input)
            if field.value.strip() != value:
                field.value = value

    @on(Input.Submitted, "#pupil, #group, #name")
    async def _next_input(self, event: Input.Submitted) -> None:
        """Enter goes on to the next empty field of the form; with none left, it starts the
        case (so with name and role remembered: Leerling ⏎ Klas/groep ⏎)."""
        ids = [field_id for field_id, _ in NEW_CASE_LABELS]
        after = ids[ids.index(f"#{event.input.id}") + 1 :]
        empty = next((i for i in after if not self.query_one(i, Input).value.strip()), None)
        if empty is not None:
            self.set_focus(self.query_one(empty, Input))  # at once, unlike `focus()`: the next key
        else:
            await self._create()

    @on(Input.Submitted, "#role")
    @on(Button.Pressed, "#create")
    async def _create(self) -> None:
        async with self.app.loaded_holding_keys() as loaded:
            if loaded and not refuse_unfit_labels(self, NEW_CASE_LABELS):
                await self._create_checked()

    async def _create_checked(self) -> None:
        pupil = self.query_one("#pupil", Input).value.strip()
        group = self.query_one("#group", Input).value.strip()
        name, role = self._actor_fields()
        if not pupil:
            self.notify("Vul een pseudoniem of leerlingnummer in.", severity="warning")
            self.query_one("#pupil", Input).focus()
            return
        if not name.strip():
            self.notify("Vul je naam in: die komt in het logboek van de zaak.", severity="warning")
            self.query_one("#name", Input).focus()
            return
        self.app.remember(name, role)
        running = self.listing.not_closed_for(pupil) if self.listing is not None else []
        if running:
            self._ask_about_running_case(running, pupil, group)
            return
        await self._start(pupil, group)

    async def _start(self, pupil: str, group: str) -> None:
        if await self.app.create_case(pupil, group):
            self.query_one("#pupil", Input).value = ""
            self.query_one("#group", Input).value = ""

    def _ask_about_running_case(self, running: list[CaseSummary], pupil: str, group: str) -> None:
        """A second case for a pupil splits their dossier: offer the running one first."""
        from meldcode_tui.tui.screens.review_dialogs import ChoiceDialog

        lines = [
            f"Zaak {c.id}: {self._progress_label(c.step, c.status)}, bijgewerkt "
            f"{_when(c.updated)} door {c.updated_by}."
            for c in running[:3]
        ]
        text = "\n".join(
            [
                f"Voor {pupil} loopt al een zaak:",
                *lines,
                "Een tweede zaak splitst het dossier van de leerling. Ga verder in de lopende "
                "zaak, of start toch een nieuwe (bijvoorbeeld voor een andere leerling met "
                "dezelfde naam).",
            ]
        )

        async def chosen(choice: object) -> None:
            if choice == "open":
                await self.app.open_case(running[0].id)
            elif choice == "new":
                await self._start(pupil, group)

        self.app.push_screen(
            ChoiceDialog(
                "Er loopt al een zaak voor deze leerling",
                text,
                [("open", "Lopende zaak openen"), ("new", "Toch een nieuwe zaak")],
            ),
            chosen,
        )

    @on(DataTable.RowSelected, "#case-table")
    async def _open(self, event: DataTable.RowSelected) -> None:
        case_id = event.row_key.value
        async with self.app.loaded_holding_keys() as loaded:
            if not loaded or case_id is None or refuse_unfit_labels(self, NEW_CASE_LABELS[2:]):
                return
            name, role = self._actor_fields()
            if name.strip():
                self.app.remember(name, role)
            await self.app.open_case(case_id)

    def action_new_case(self) -> None:
        self.query_one("#pupil", Input).focus()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()


def _matches(summary: Any, query: str) -> bool:
    return any(query in str(text).casefold() for text in (summary.pupil, summary.group, summary.id))


WHEN_FORMATS = ("%d-%m-%Y %H:%M", "%d-%m-%y %H:%M", "%d-%m-%Y", "%d-%m-%y")
"""How a time reads in the Bijgewerkt column, longest first: the first that fits is used."""


def _when(iso: str, width: int | None = None) -> str:
    """A stored time in local time, as much of it as `width` cells hold (all of it: None)."""
    from meldcode_tui.localtime import local

    try:
        moment = local(datetime.fromisoformat(iso))
    except ValueError:
        return iso
    for form in WHEN_FORMATS:
        text = moment.strftime(form)
        if width is None or len(text) <= width:
            break
    return text
