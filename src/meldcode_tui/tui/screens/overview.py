"""The case overview: every case in the data folder at a glance, for the zorgcoördinator.

One row per case (pupil reference, group, status, current step, next aftercare date with an
overdue marker, last change and by whom) and one row per case file that cannot be read, with the
reason. A filter shows the closed cases whose bewaartermijn has passed, to be destroyed.
Sorting and filtering work on the whole listing in memory; the table holds only a window
of the result and grows as the cursor nears its end, because a DataTable measures every cell it
is given and 10,000 cases at once would take seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from meldcode_tui.case.model import Status
from meldcode_tui.casework.retention import is_expired
from meldcode_tui.localtime import local
from meldcode_tui.tui.texts import step_label
from meldcode_tui.tui.widgets.case_table import (
    CaseTable,
    ColumnFit,
    Fit,
    clip,
    clip_start,
    fit_columns,
    header_text,
)
from meldcode_tui.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from meldcode_tui.case.index import CaseSummary, Listing
    from meldcode_tui.case.store import CaseStore
    from meldcode_tui.flow.model import Flow
    from meldcode_tui.tui.app import MeldcodeApp

PAGE = 100
"""Rows added to the table at a time."""
MORE_MARGIN = 5
"""Rows before the end of the window at which the next page is added."""
KEEP_LIMIT = 5 * PAGE
"""After reloading, the cursor returns to its case only within this many rows."""

OVERDUE = "⚠ te laat"
OVERDUE_MARK = "⚠"
UNREADABLE = "onleesbaar"
EXPIRED = "verstreken"
"""The filter of closed cases whose bewaartermijn has passed (candidates for destruction)."""
REASON_WIDTH = 14

STATUS_ORDER = {status.value: index for index, status in enumerate(Status)}
"""The statuses in the protocol's order (the column's labels are the flow's `short` names)."""
STATUS_FILTERS: tuple[tuple[str, str], ...] = (
    ("Alle statussen", "alle"),
    ("Open", "open"),
    ("Gemeld", "gemeld"),
    ("Hulp", "hulp"),
    ("Nazorg", "nazorg"),
    ("Gesloten", "gesloten"),
    ("Heropend", "heropend"),
    ("Bewaartermijn verstreken", EXPIRED),
    ("Onleesbaar", UNREADABLE),
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    ascending: str
    descending: str
    fit: ColumnFit


def _column(key: str, label: str, up: str, down: str, wide: int, narrow: int) -> Column:
    return Column(key, label, up, down, ColumnFit(key, label, wide, narrow, flex=key == "pupil"))


# Content widths, wide and at 80 columns: dates then read dd-mm-jj, overdue only "⚠" (the note
# line counts them), a long id its last characters; the pupil column takes the rest.
COLUMNS: tuple[Column, ...] = (
    _column("pupil", "Leerling", "A-Z", "Z-A", 24, 0),
    _column("group", "Klas/groep", "oplopend", "aflopend", 10, 5),
    _column("status", "Status", "open eerst", "gesloten eerst", 8, 8),
    _column("step", "Stap", "stap 1 eerst", "nazorg eerst", 12, 10),
    _column("due", "Nazorg", "eerste datum eerst", "laatste datum eerst", 20, 10),
    _column("updated", "Gewijzigd", "oudste eerst", "nieuwste eerst", 16, 8),
    _column("by", "Door", "A-Z", "Z-A", 24, 8),
    _column("id", "Zaak", "oplopend", "aflopend", 16, 8),
)
FITS = tuple(column.fit for column in COLUMNS)
COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS)}
ERROR_KEY_PREFIX = "!"

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort "2B" before "10A": digit runs compare as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in _DIGITS.split(text.casefold())
        if part
    )


def dutch_reason(reason: str) -> str:
    """The store's English reason for an unreadable file, in Dutch where it is a known one."""
    known = (
        ("not valid JSON", "beschadigd: geen geldige JSON"),
        ("not valid UTF-8", "beschadigd: geen geldige tekst"),
        ("written by a newer version", "gemaakt met een nieuwere versie van meldcode"),
        ("does not match the case format", "geen geldig zaakbestand"),
        ("does not hold a case", "geen zaakbestand"),
        ("the id inside the file", "het zaaknummer in het bestand klopt niet met de naam"),
        ("the file name is not a case id", "de bestandsnaam is geen zaaknummer"),
        ("cannot read the file", "kan niet worden gelezen (rechten of schijf)"),
        ("not a regular file", "geen gewoon bestand"),
    )
    return next((dutch for english, dutch in known if english in reason), reason)


def short_date(iso: str, narrow: bool = False) -> str:
    try:
        return date.fromisoformat(iso).strftime("%d-%m-%y" if narrow else "%d-%m-%Y")
    except ValueError:
        return iso


def short_datetime(iso: str, narrow: bool = False) -> str:
    try:
        moment = local(datetime.fromisoformat(iso))
    except ValueError:
        return iso
    return moment.strftime("%d-%m-%y" if narrow else "%d-%m-%Y %H:%M")


@dataclass(frozen=True, slots=True)
class OverviewRow:
    """One line of the overview: a case (`summary`), or a file that cannot be read (`error`).

    Display texts are made only for the rows that go into the table."""

    key: str
    status: str
    summary: CaseSummary | None = None
    step: str = ""
    step_index: int = 0
    status_label: str = ""
    overdue: bool = False
    expired: bool = False
    error: str | None = None

    @property
    def case_id(self) -> str | None:
        return None if self.summary is None else self.summary.id

    @property
    def file(self) -> str:
        return self.key.removeprefix(ERROR_KEY_PREFIX)

    def values(self, narrow: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The row's texts; the dates of the columns in `narrow` short."""
        c = self.summary
        if c is None:
            reason = clip(self.error or "", REASON_WIDTH)
            return (f"⚠ {UNREADABLE}", "", "", reason, "", "", "", self.file)
        return (
            c.pupil,
            c.group,
            self.status_label or c.status,
            self.step,
            short_date(c.next_due, "due" in narrow) if c.next_due else "",
            short_datetime(c.updated, "updated" in narrow),
            c.updated_by,
            c.id,
        )

    def cells(self, fit: Fit | None = None) -> list[Text]:
        """The row's cells; with `fit`, each in its column's width."""
        narrow = fit.narrow if fit is not None else frozenset()
        marker = OVERDUE_MARK if "due" in narrow else OVERDUE
        texts = list(self.values(narrow))
        if fit is not None:
            for index, column in enumerate(COLUMNS):
                width = fit.widths[column.key]
                if column.key == "due" and self.overdue:
                    width -= len(marker) + 1
                cut = clip_start if column.key == "id" else clip
                texts[index] = cut(texts[index], width)
        cells = [Text(value, no_wrap=True) for value in texts]
        if self.error is not None:
            cells[COLUMN_INDEX["pupil"]].stylize("bold")
        if self.overdue:
            cells[COLUMN_INDEX["due"]].append(f" {marker}", style="bold red")
        return cells

    def matches(self, needle: str) -> bool:
        c = self.summary
        if c is None:
            texts: tuple[str, ...] = (self.file, UNREADABLE)
        else:
            texts = (c.pupil, c.group, c.id, c.updated_by, *c.editors)
        return any(needle in text.casefold() for text in texts)


def _sort_key(column: str) -> Callable[[OverviewRow], Any]:
    def summary(row: OverviewRow) -> CaseSummary:
        assert row.summary is not None
        return row.summary

    keys: dict[str, Callable[[OverviewRow], Any]] = {
        "pupil": lambda r: summary(r).pupil.casefold(),
        "group": lambda r: natural_key(summary(r).group),
        "status": lambda r: STATUS_ORDER.get(r.status, len(STATUS_ORDER)),
        "step": lambda r: r.step_index,
        "due": lambda r: (summary(r).next_due is None, summary(r).next_due or ""),
        "updated": lambda r: summary(r).updated,
        "by": lambda r: summary(r).updated_by.casefold(),
        "id": lambda r: summary(r).id,
    }
    return keys[column]


def build_rows(
    listing: Listing, flow: Flow, today: date
) -> tuple[list[OverviewRow], list[OverviewRow]]:
    """Rows of the readable cases and of the unreadable files."""
    today_iso = today.isoformat()
    labels = {step.id: step_label(flow, step.id) for step in flow.steps}
    order = {step.id: index for index, step in enumerate(flow.steps)}
    first = flow.steps[0].id
    cases = [
        OverviewRow(
            key=c.id,
            status=c.status,
            summary=c,
            step=labels.get(c.step or first, c.step),
            status_label=flow.status_short(c.status),
            step_index=order.get(c.step or first, len(order)),
            overdue=c.next_due is not None and c.next_due < today_iso,
            expired=is_expired(c.status, c.retain_until, today),
        )
        for c in listing.cases
    ]
    errors = [
        OverviewRow(
            key=ERROR_KEY_PREFIX + problem.file,
            status=UNREADABLE,
            error=dutch_reason(problem.reason),
        )
        for problem in listing.errors
    ]
    return cases, errors


def select_rows(
    cases: Sequence[OverviewRow],
    errors: Sequence[OverviewRow],
    query: str,
    status: str,
    sort_column: str,
    descending: bool,
) -> list[OverviewRow]:
    """Filter by text and status, sort by a column; unreadable files first, whatever the sort."""
    needle = query.strip().casefold()

    def keep(row: OverviewRow) -> bool:
        wanted = status == "alle" or row.status == status or (status == EXPIRED and row.expired)
        return wanted and (not needle or row.matches(needle))

    shown = sorted(
        (row for row in cases if keep(row)), key=_sort_key(sort_column), reverse=descending
    )
    return [*(row for row in errors if keep(row)), *shown]


class OverviewScreen(Screen[None]):
    """Every case in the data folder: sort, filter, open the review with Enter."""

    app: MeldcodeApp

    CSS_PATH = "overview.tcss"
    AUTO_FOCUS = "#overview-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Terug", id="overview-back"),
        Binding("s", "next_sort", "Sorteren", tooltip="Volgende sorteerkolom", id="overview-sort"),
        Binding("r", "reverse_sort", "Omkeren", tooltip="Sorteervolgorde omdraaien"),
        Binding("slash,ctrl+f", "filter", "Zoeken", key_display="/", id="overview-filter"),
        Binding("f5", "reload", "Vernieuwen", key_display="F5", id="overview-reload"),
    ]

    def __init__(
        self,
        store: CaseStore,
        flow: Flow,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.flow = flow
        self.today = today
        self.sort_column = "updated"
        self.descending = True
        self.loaded = False
        self._cases: list[OverviewRow] = []
        self._errors: list[OverviewRow] = []
        self._shown: list[OverviewRow] = []
        self._filled = 0
        self._fit = fit_columns(FITS, 0)

    def compose(self) -> ComposeResult:
        yield Static("Alle zaken", id="overview-title")
        with Horizontal(id="overview-filters"):
            yield Input(
                id="overview-query",
                placeholder="Zoek op leerling, groep, zaak of naam",
                compact=True,
            )
            yield Select(
                STATUS_FILTERS, value="alle", allow_blank=False, compact=True, id="overview-status"
            )
        yield CaseTable(id="overview-table", zebra_stripes=True)
        yield Static("Zaken worden geladen…", id="overview-note", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._load()

    def current_day(self) -> date:
        return self.today or date.today()

    @work(thread=True, exclusive=True, group="overview-load")
    def _load(self) -> None:
        from meldcode_tui.case.errors import CaseError

        try:
            listing = self.store.list()
        except (CaseError, OSError) as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        rows = build_rows(listing, self.flow, self.current_day())
        self.app.call_from_thread(self._loaded, *rows)

    def _failed(self, exc: BaseException) -> None:
        reason = getattr(exc, "strerror", None) or str(exc)
        self.query_one("#overview-note", Static).update(
            f"De map met zaken kan niet worden gelezen: {reason}."
        )

    def _loaded(self, cases: list[OverviewRow], errors: list[OverviewRow]) -> None:
        self._cases, self._errors = cases, errors
        self.loaded = True
        self.refill(keep=self.highlighted_key())

    def highlighted_key(self) -> str | None:
        table = self.query_one("#overview-table", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def refill(self, keep: str | None = None) -> None:
        """Filter, sort and show the first page again, with the cursor on `keep` if it is shown
        within the first pages, else at the top."""
        query = self.query_one("#overview-query", Input).value
        status = self.query_one("#overview-status", Select).value
        self._shown = select_rows(
            self._cases,
            self._errors,
            query,
            status if isinstance(status, str) else "alle",
            self.sort_column,
            self.descending,
        )
        table = self.query_one("#overview-table", CaseTable)
        self._fit = fit_columns(FITS, table.fit_width or self.app.size.width - 3)
        headers = {column.key: self._header(column) for column in COLUMNS}
        table.set_columns(FITS, self._fit, headers)
        self._filled = 0
        self._add_page()
        self._update_note()
        index = next((i for i, row in enumerate(self._shown) if row.key == keep), None)
        if index is not None and index < KEEP_LIMIT:
            while self._filled <= index:
                self._add_page()
            table.move_cursor(row=index, animate=False)

    def _header(self, column: Column) -> Text:
        width = self._fit.widths[column.key]
        if column.key != self.sort_column:
            return Text(clip(column.label, width))
        mark = "▼" if self.descending else "▲"
        return Text(header_text(column.label, width, mark), style="bold")

    @on(CaseTable.Refit, "#overview-table")
    def _refit(self) -> None:
        if self.loaded:
            self.refill(keep=self.highlighted_key())

    def _add_page(self) -> None:
        table = self.query_one("#overview-table", DataTable)
        page = self._shown[self._filled : self._filled + PAGE]
        for row in page:
            table.add_row(*row.cells(self._fit), key=row.key)
        self._filled += len(page)

    def _update_note(self) -> None:
        column = COLUMNS[COLUMN_INDEX[self.sort_column]]
        order = column.descending if self.descending else column.ascending
        cases = sum(1 for row in self._shown if row.error is None)
        parts = [f"{cases} van {len(self._cases)} zaken"]
        overdue = sum(1 for row in self._shown if row.overdue)
        if overdue:
            parts.append(f"{overdue} nazorg te laat")
        expired = sum(1 for row in self._shown if row.expired)
        if expired:
            parts.append(f"{expired} bewaartermijn verstreken")
        unreadable = sum(1 for row in self._shown if row.error is not None)
        if unreadable:
            parts.append(f"{unreadable} onleesbaar")
        parts.append(f"{column.label} {'▼' if self.descending else '▲'} ({order})")
        self.query_one("#overview-note", Static).update(" · ".join(parts))

    @property
    def shown_rows(self) -> list[OverviewRow]:
        """The rows after filtering and sorting, in order (also those not yet in the table)."""
        return list(self._shown)

    def sort_by(self, column_key: str, descending: bool | None = None) -> None:
        if column_key not in COLUMN_INDEX:
            return
        if descending is None:
            descending = not self.descending if column_key == self.sort_column else False
        self.sort_column, self.descending = column_key, descending
        self.refill()

    @on(DataTable.HeaderSelected, "#overview-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value is not None:
            self.sort_by(event.column_key.value)

    @on(DataTable.RowHighlighted, "#overview-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if event.cursor_row >= table.row_count - MORE_MARGIN and self._filled < len(self._shown):
            self._add_page()

    @on(DataTable.RowSelected, "#overview-table")
    async def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        row = next((r for r in self._shown if r.key == key), None)
        if row is None:
            return
        if row.case_id is None:
            self.notify(
                f"{row.file} kan niet worden geopend: {row.error}. Het bestand is niet veranderd.",
                title="Onleesbaar zaakbestand",
                severity="warning",
                markup=False,
            )
            return
        await self.open_case(row.case_id)

    async def open_case(self, case_id: str) -> None:
        """Show the read-only review of a case; the list is read again when it closes."""
        await self.app.show_review(case_id, today=self.today, then=self.action_reload)

    @on(Input.Changed, "#overview-query")
    @on(Select.Changed, "#overview-status")
    def _filter_changed(self) -> None:
        if self.loaded:
            self.refill()

    @on(Input.Submitted, "#overview-query")
    def _query_submitted(self) -> None:
        self.query_one("#overview-table", DataTable).focus()

    def action_next_sort(self) -> None:
        keys = [column.key for column in COLUMNS]
        self.sort_by(keys[(keys.index(self.sort_column) + 1) % len(keys)], descending=False)

    def action_reverse_sort(self) -> None:
        self.sort_by(self.sort_column, descending=not self.descending)

    def action_filter(self) -> None:
        self.query_one("#overview-query", Input).focus()

    def action_reload(self) -> None:
        self._load()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
