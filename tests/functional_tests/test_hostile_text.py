"""Case text that looks like markup is shown literally and never crashes or acts: the real app
with the Pilot through the home list, the step screen, the overview, the review with its dialogs
and timeline, the aftercare, the afwegingskader, a read-only banner and a notification.

Every text below is fictitious. Read as Textual or Rich markup, "[/]" raises a MarkupError,
"[b]" and "[red]" vanish and "[@click=app.quit]x[/]" becomes a click that quits the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from casefolder import settle
from conftest import STEP_1
from driver import SIZE, app_of, ready
from textual.content import Content
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static, TextArea
from textual.widgets._toast import Toast

from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.screens.aftercare import AftercareScreen
from meldcode_tui.tui.screens.home import HomeScreen
from meldcode_tui.tui.screens.kader import AfwegingskaderScreen
from meldcode_tui.tui.screens.overview import OverviewScreen
from meldcode_tui.tui.screens.review import ReviewScreen, Timeline
from meldcode_tui.tui.screens.review_dialogs import ReasonDialog, SaveTextDialog
from meldcode_tui.tui.screens.step import StepScreen
from meldcode_tui.tui.widgets.case_table import clip

PUPIL = "Leerling [/] x"
GROUP = "5[b]B"
AUTHOR = Actor(name="Mentor [@click=app.quit]Jansen[/]", role="[red]mentor")
HOLDER = Actor(name="Teamleider [/][b]Bakker", role="teamleider")
FACTS = "Blauwe plek [b]arm[/b] [/]"
JUSTIFICATION = "[@click=app.quit]x[/]"
REASON = "Structureel [red]onveilig[/red] [/]"
NOTE = "[red]ouders bellen[/] [@click=app.quit]klik[/]"
WHO = "[$accent]De Boer"
CASE_ID_TYPED = "[/]x[@click=app.quit]y[/]"


def write_hostile_case(data_dir: Path) -> str:
    """One case written through the store by AUTHOR, hostile text in every kind of field."""
    flow = load_flow(default_flow_path())
    store = CaseStore(data_dir)
    case = store.create(FlowRef.of(flow), PUPIL, AUTHOR, group=GROUP)
    with store.open(case.id, AUTHOR) as session:
        session.set_value("signalen", "signalen", [{**STEP_1["signalen"][0], "feiten": FACTS}])
        session.set_answer("vermoeden", "ja", justification=JUSTIFICATION)
        session.set_answer("veiligheid", "ja", meldnormen=["structureel"])
        session.set_decision("melden", True, reason=REASON, checked=["structureel"])
        session.set_decision("hulp", True, reason=REASON, checked=["meewerken"])
        session.set_aftercare("evaluatie", due="2020-01-06", who=WHO, note=NOTE)
        session.set_position("signalen")
    return case.id


def shown(widget: Static) -> str:
    """The text a Static draws (after any markup was read), not the text it was given."""
    visual = widget.visual
    assert isinstance(visual, Content), visual
    return visual.plain


def drawn(widget: Widget) -> str:
    """The characters a widget puts on screen now."""
    width, height = widget.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def cell(table: DataTable[Any], row: str, column: int) -> str:
    value = table.get_row(row)[column]
    return value if isinstance(value, str) else value.plain


def still_running(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert app.is_running
    assert app.return_code is None


async def press(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


@pytest.fixture
def hostile_case(data_dir: Path, known_user: None) -> str:
    return write_hostile_case(data_dir)


async def test_home_list_and_step_screen(data_dir: Path, hostile_case: str) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#case-table", DataTable)
        assert [cell(table, hostile_case, i) for i in (0, 1)] == [PUPIL, GROUP]
        assert any(PUPIL in line and GROUP in line for line in drawn(table).splitlines())
        assert shown(home.query_one("#overdue", Static)) == (
            f"Nazorg over de datum: {PUPIL} ({hostile_case})"
        )

        table.focus()
        await press(pilot, "enter")
        step = app.screen
        assert isinstance(step, StepScreen)
        assert shown(step.query_one("#case-label", Static)) == f"{PUPIL} · {GROUP}"
        assert FACTS in [area.text for area in step.query(TextArea)]

        await press(pilot, "f4")
        assert isinstance(app.screen, AfwegingskaderScreen)
        assert shown(app.screen.query_one("#kader-title", Static)).startswith("Afwegingskader")
        await press(pilot, "escape")
        assert app.screen is step
        still_running(pilot)


async def test_overview_review_dialogs_and_aftercare(
    data_dir: Path, hostile_case: str, tmp_path: Path
) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await press(pilot, "ctrl+o")
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        table = overview.query_one("#overview-table", DataTable)
        widths = [column.width - 1 for column in table.ordered_columns]  # cut to fit 80 columns
        expected = {0: PUPIL, 1: GROUP, 6: AUTHOR.name}
        for column, text in expected.items():
            assert cell(table, hostile_case, column) == clip(text, widths[column])
        assert clip(PUPIL, widths[0]) in drawn(table)

        await press(pilot, "enter")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        title = shown(review.query_one("#review-title", Static))
        assert title.startswith(f"{PUPIL} · klas/groep {GROUP} · ")
        source = shown(review.query_one("#review-text", Static))
        for text in (PUPIL, GROUP, FACTS, JUSTIFICATION, REASON, NOTE, WHO):
            assert text in source

        await press(pilot, "t")
        timeline = review.query_one(Timeline)
        assert timeline.rows
        assert shown(timeline).count(f"{AUTHOR.name} ({AUTHOR.role})") >= len(timeline.rows)

        await press(pilot, "z")
        assert isinstance(app.screen, ReasonDialog)
        assert shown(app.screen.query_one(".dialog-title", Static)) == f"Zaak sluiten — {PUPIL}"
        await press(pilot, "escape")

        await press(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, SaveTextDialog)
        missing = tmp_path / "[b]geen map[/]"
        dialog.query_one("#save-folder", Input).value = str(missing)
        await press(pilot, "enter")
        assert app.screen is dialog
        assert str(missing) in shown(dialog.query_one("#save-message", Static))
        await press(pilot, "escape")

        await press(pilot, "n")
        aftercare = app.screen
        assert isinstance(aftercare, AftercareScreen)
        assert shown(aftercare.query_one("#aftercare-title", Static)) == (
            f"Nazorg — {PUPIL} ({GROUP}) · zaak {hostile_case}"
        )
        assert aftercare.query_one("#note-evaluatie", Input).value == NOTE
        assert aftercare.query_one("#who-evaluatie", Input).value == WHO
        await press(pilot, "escape")
        assert app.screen is review
        still_running(pilot)


async def test_a_lock_holder_with_markup_in_the_name(data_dir: Path, hostile_case: str) -> None:
    with CaseStore(data_dir).open(hostile_case, HOLDER) as held:
        assert not held.read_only
        app = make_app(data_dir=data_dir, case_id=hostile_case)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            assert isinstance(app.screen, StepScreen)
            banner = shown(app.screen.query_one("#read-only-banner", Static))
            assert f"bewerkt door {HOLDER.name} op " in banner

            await press(pilot, "ctrl+o", "enter")
            assert isinstance(app.screen, ReviewScreen)
            assert HOLDER.name in shown(app.screen.query_one("#review-lock", Static))
            await press(pilot, "o")
            assert any(HOLDER.name in n.message for n in app._notifications)

            await press(pilot, "n")
            assert isinstance(app.screen, AftercareScreen)
            assert HOLDER.name in shown(app.screen.query_one("#aftercare-banner", Static))
            still_running(pilot)


async def test_a_case_number_with_markup_in_a_notification(
    data_dir: Path, known_user: None
) -> None:
    app = make_app(data_dir=data_dir, case_id=CASE_ID_TYPED)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.pause()
        toasts = [toast.render() for toast in app.screen.query(Toast)]
        assert any(f"'{CASE_ID_TYPED}' is geen geldig zaaknummer." in t.plain for t in toasts)
        assert isinstance(app.screen, HomeScreen)
        still_running(pilot)
    assert app_of(pilot).return_code is None
