"""The app wired together: demo banner on every screen, the overview → review → take-over path,
and the afwegingskader from a case."""

from __future__ import annotations

from pathlib import Path

from conftest import STEP_1, CaseWriter
from driver import ready
from textual.screen import Screen
from textual.widget import Widget

from meldcode_tui.demo.seed import seed_demo
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.screens.home import HomeScreen
from meldcode_tui.tui.screens.kader import AfwegingskaderScreen, KaderTree, Mark
from meldcode_tui.tui.screens.overview import OverviewScreen
from meldcode_tui.tui.screens.review import ReviewScreen
from meldcode_tui.tui.screens.step import StepScreen
from meldcode_tui.tui.widgets.actor import ActorLine
from meldcode_tui.tui.widgets.banner import DemoBanner


def _rows_on_screen(screen: Screen[object], *widgets: Widget) -> list[int]:
    """The screen row each widget is drawn on (each must be visible, one row high)."""
    visible = screen._compositor.visible_widgets
    return [visible[widget][0].y for widget in widgets]


async def test_demo_banner_is_on_every_screen(data_dir: Path, known_user: None) -> None:
    """And it covers neither the line that says who is acting nor the screen's own title."""
    seed_demo(data_dir, load_flow(default_flow_path()))
    app = make_app(data_dir=data_dir, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        banner, actor = app.screen.query_one(DemoBanner), app.screen.query_one(ActorLine)
        title = app.screen.query_one("#home-title")
        assert _rows_on_screen(app.screen, banner, actor, title) == [0, 1, 2]
        await app.open_case("demo-3-melding-acuut")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        banner, actor = app.screen.query_one(DemoBanner), app.screen.query_one(ActorLine)
        assert _rows_on_screen(app.screen, banner, actor) == [0, 1]
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.query(DemoBanner)


async def test_no_banner_outside_demo(data_dir: Path, known_user: None) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert not app.screen.query(DemoBanner)


async def test_overview_review_and_take_over(
    data_dir: Path, known_user: None, write_case: CaseWriter
) -> None:
    case_id = write_case(steps={"signalen": STEP_1}, position=("signalen", "signalen"))
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.case_id == case_id
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert app.work is not None and app.work.case.id == case_id
        assert not app.work.read_only


async def test_afwegingskader_follows_the_open_case(
    data_dir: Path, known_user: None, write_case: CaseWriter
) -> None:
    case_id = write_case(
        answers={"vermoeden": "ja", "veiligheid": "nee"}, position=("afweging", "hulp_aanbieden")
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, AfwegingskaderScreen)
        tree = app.screen.query_one(KaderTree)
        chosen = {
            (item.question, item.option)
            for item in tree.items
            if item.option is not None and item.mark is Mark.CHOSEN
        }
        assert chosen == {("vermoeden", "ja"), ("veiligheid", "nee")}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
