"""Where the focus is, and that the user can see it: on home, after adding an entry, after
resuming (cursor after the text), in the meldnormen list of besluit 1, at the top of step 5, and
in the nazorg editor. At 80×24."""

from __future__ import annotations

from pathlib import Path

from casefolder import VOS, ScreenHost, settle
from conftest import STEP_1, STEP_2, STEP_3, CaseWriter
from driver import SIZE, field, next_, ready, step_screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, TextArea

from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.fields.checklist import CheckList
from meldcode_tui.tui.screens.aftercare import AftercareScreen
from meldcode_tui.tui.screens.home import HomeScreen
from meldcode_tui.tui.widgets.keybar import KeyBar

ANSWERS = {"vermoeden": "ja", "veiligheid": "nee", "hulp_aanbieden": "ja", "hulp_aanvaard": "nee"}
SIGNAL = STEP_1["signalen"][0]


def on_screen(widget: Widget) -> bool:
    """Is the widget drawn inside the visible part of its scrolling step body?"""
    scroller = step_screen_of(widget)
    region = widget.region
    return region.height > 0 and scroller.region.contains_region(region)


def step_screen_of(widget: Widget) -> Widget:
    node = widget.parent
    while node is not None and "step-scroll" not in node.classes:
        node = node.parent
    assert isinstance(node, Widget)
    return node


async def test_the_focused_field_on_home_stands_out(data_dir: Path, known_user: None) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, HomeScreen)
        pupil, group = screen.query_one("#pupil", Input), screen.query_one("#group", Input)
        assert pilot.app.focused is pupil
        assert pupil.styles.background != group.styles.background
        label = screen.query(".form-label").results(Label)
        bold = [str(w.content) for w in label if w.styles.text_style.bold]
        assert bold == ["Leerling"]
        await pilot.press("tab")
        assert pilot.app.focused is group
        assert group.styles.background != pupil.styles.background


async def test_a_new_signal_shows_its_date_field(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    signals = {"signalen": {"signalen": [SIGNAL, SIGNAL, SIGNAL]}}
    case_id = write_case(steps=signals, position=("signalen", ""))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        add = field(pilot, "signalen").query_one(".entry-add", Button)
        add.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        focused = pilot.app.focused
        assert isinstance(focused, Input)
        assert focused.value == ""
        assert on_screen(focused)


async def test_resume_puts_the_cursor_after_the_text_in_view(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        position=("gesprek", "besproken"),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text_area = field(pilot, "besproken").query_one(TextArea)
        assert pilot.app.focused is text_area
        assert text_area.cursor_location == text_area.document.end
        assert on_screen(text_area)
        await pilot.press("space", "x")
        await pilot.pause()
        assert text_area.text == STEP_3["besproken"] + " x"


async def test_resume_in_an_input_does_not_select_its_text(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    consulted = {**STEP_2, "vt_geraadpleegd": "ja", "vt_datum": "2026-02-26"}
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": consulted, "gesprek": STEP_3},
        position=("consultatie", "vt_datum"),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        date_input = field(pilot, "vt_datum").query_one(Input)
        assert pilot.app.focused is date_input
        await pilot.pause()
        assert date_input.value == "26-02-2026"
        assert date_input.selection.is_empty
        assert date_input.cursor_position == len(date_input.value)


async def test_step_5_opens_at_its_top_with_besluit_1(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        answers=ANSWERS,
        position=("afweging", ""),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await next_(pilot)  # from the outcome of step 4
        await pilot.pause()
        screen = step_screen(pilot)
        assert screen.step.id == "besluiten"
        melden = field(pilot, "besluit_melden")
        scroller = next(w for w in screen.query(".step-scroll") if w.display)
        assert scroller.scroll_y == 0
        assert on_screen(melden.query_one(".field-label"))
        assert pilot.app.focused in melden.query("*")


async def test_the_meldnormen_list_keeps_arrows_and_space_to_the_highlighted_norm(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        answers=ANSWERS,
        position=("besluiten", "besluit_melden"),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        norms = field(pilot, "besluit_melden").query_one(CheckList)
        boxes = list(norms.query(Checkbox))
        before = list(norms.checked)
        boxes[0].focus()
        await pilot.pause()
        scroller = step_screen(pilot).query_one(".step-scroll")
        assert ("Spatie", "Aan/uit vinken") in step_screen(pilot).query_one(KeyBar).shown_keys
        await pilot.press("down")
        await pilot.pause()
        assert pilot.app.focused is boxes[1]
        assert on_screen(boxes[1])
        await pilot.press("up", "up")
        await pilot.pause()
        assert pilot.app.focused is boxes[0]
        assert scroller.scroll_y >= 0
        await pilot.press("enter")
        await pilot.pause()
        assert norms.checked == before  # Enter ticks nothing
        await pilot.press("down", "space")
        await pilot.pause()
        assert boxes[1].value is (boxes[1].name not in before)
        assert pilot.app.focused is boxes[1]


async def test_the_nazorg_editor_opens_with_its_first_field_focused(case_folder: Path) -> None:
    app = ScreenHost(case_folder, lambda host: host.aftercare(VOS))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AftercareScreen)
        first = screen.query(".item-due").first(Input)
        assert app.focused is first
        assert first.selection.is_empty
        assert first.cursor_position == len(first.value)
