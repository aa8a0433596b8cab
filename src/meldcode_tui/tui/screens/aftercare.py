"""The aftercare ("Nazorg") screen: the editable nazorg checklist (`AftercareItems`, the same
editor as the wizard's Nazorg step) of one case, every change sent to the open case (`CaseWork`)
and saved at once.

When someone else edits the case the screen is read-only with a banner. The app opens the case;
Esc returns to where the screen was opened from (the wizard, or the review).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from meldcode_tui.flow.model import Option
from meldcode_tui.tui.widgets.aftercare_items import AftercareItems
from meldcode_tui.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from meldcode_tui.case.model import Case
    from meldcode_tui.casework.work import CaseWork
    from meldcode_tui.flow.model import Flow


def aftercare_options(flow: Flow) -> list[Option]:
    """The nazorg checklist: the options of the flow's `aftercare` field(s)."""
    return flow.aftercare_items()


class AftercareScreen(Screen[None]):
    """The nazorg checklist of one case."""

    CSS_PATH = "aftercare.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Terug", id="aftercare-back"),
    ]

    CaseStarted = AftercareItems.CaseStarted

    def __init__(self, work: CaseWork, *, today: date | None = None) -> None:
        super().__init__()
        self.work = work
        self.flow: Flow = work.flow
        self.case_id = work.case_id
        self.today = today

    @property
    def case(self) -> Case:
        return self.work.case

    @property
    def read_only(self) -> bool:
        return self.work.read_only

    @property
    def items(self) -> AftercareItems:
        return self.query_one(AftercareItems)

    def compose(self) -> ComposeResult:
        from meldcode_tui.tui.texts import read_only_text

        case = self.case
        group = f" ({case.group})" if case.group else ""
        yield Static(
            f"Nazorg — {case.pupil}{group} · zaak {case.id}", id="aftercare-title", markup=False
        )
        banner = Static(read_only_text(self.work), id="aftercare-banner", markup=False)
        banner.display = self.read_only
        yield banner
        with VerticalScroll(id="aftercare-items"):
            yield AftercareItems(self.work, read_only=self.read_only, today=self.today)
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.read_only:  # the first field, ready to type after what it holds
            first = self.query(".item-due").first(Input)
            first.focus(scroll_visible=False)
            self.call_after_refresh(first.action_end)

    def overdue_items(self) -> list[str]:
        return self.items.overdue_items()

    def action_back(self) -> None:
        self.dismiss(None)
