"""The afwegingskader view: drawn from the flow, the path of the answers marked, Escape closes it;
and a snapshot at 80×24."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Static

from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow, parse_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.screens.kader import AfwegingskaderScreen, KaderTree, Mark

FLOW: Flow = load_flow(default_flow_path())
SIZE = (80, 24)

ACUTE_REPORT: dict[str, object] = {
    "vermoeden": "ja",
    "veiligheid": {"option": "ja", "meldnormen": ["acuut"]},
}
HELP_ACCEPTED: dict[str, object] = {
    "vermoeden": "ja",
    "veiligheid": "nee",
    "hulp_aanbieden": "ja",
    "hulp_aanvaard": "ja",
    "resultaat": "nog_onbekend",
}

SMALL_FLOW = b"""
id: kader-proef
version: "1"
title: Proefflow met andere vragen
steps:
  - id: inschatting
    number: 2
    title: Snelle inschatting
    questions:
      - id: gevaar
        text: Is de leerling op dit moment in gevaar?
        options:
          - id: ja
            label: Ja
            goto: end
            effect: {melden: true}
          - id: nee
            label: Nee
            goto: ouders
      - id: ouders
        text: Werken de ouders mee aan een plan?
        options:
          - id: ja
            label: Ja
            goto: end
            effect: {melden: false, hulp: true}
          - id: weet_niet
            label: Weet niet
            goto: repeat
            effect: {veilig_thuis_raadplegen: true}
"""


class KaderHost(App[None]):
    """Pushes the afwegingskader over an empty screen."""

    def __init__(self, flow: Flow, answers: Mapping[str, object]) -> None:
        super().__init__()
        self.flow = flow
        self.answers = answers

    def on_mount(self) -> None:
        self.push_screen(AfwegingskaderScreen(self.flow, self.answers))


def chosen(screen: AfwegingskaderScreen) -> list[tuple[str, str | None]]:
    return [(item.question, item.option) for item in screen.marked(Mark.CHOSEN)]


def questions(screen: AfwegingskaderScreen, mark: Mark) -> list[str]:
    return [item.question for item in screen.marked(mark)]


def labels(screen: AfwegingskaderScreen) -> list[str]:
    return screen.query_one(KaderTree).labels


def outcome(screen: AfwegingskaderScreen) -> str:
    return str(screen.query_one("#kader-outcome", Static).render())


async def test_route_to_a_report_for_acute_unsafety() -> None:
    app = KaderHost(FLOW, ACUTE_REPORT)
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, AfwegingskaderScreen)
        assert chosen(screen) == [("vermoeden", "ja"), ("veiligheid", "ja")]
        assert questions(screen, Mark.PATH) == ["vermoeden", "veiligheid"]
        assert questions(screen, Mark.NEXT) == []
        off_questions = [i.question for i in screen.marked(Mark.OFF) if i.option is None]
        assert off_questions == ["hulp_aanbieden", "hulp_aanvaard", "resultaat"]
        text = labels(screen)
        assert "● Ja → einde: advies melden (acute onveiligheid, structurele onveiligheid)" in text
        assert "○ Nee → einde: niet melden, zaak afsluiten" in text
        assert "○ Nog onbekend → opnieuw" in text
        assert "○ Twijfel → opnieuw (bel Veilig Thuis)" in text
        assert outcome(screen) == (
            "Uitkomst: advies melden bij Veilig Thuis (meldnormen: acute onveiligheid)."
        )
        cursor = screen.query_one(KaderTree).cursor_item
        assert cursor is not None and cursor.option == "ja"


async def test_route_with_help_accepted_waits_for_the_result() -> None:
    app = KaderHost(FLOW, HELP_ACCEPTED)
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, AfwegingskaderScreen)
        assert chosen(screen) == [
            ("vermoeden", "ja"),
            ("veiligheid", "nee"),
            ("hulp_aanbieden", "ja"),
            ("hulp_aanvaard", "ja"),
            ("resultaat", "nog_onbekend"),
        ]
        assert [i.question for i in screen.marked(Mark.OFF) if i.option is None] == []
        assert questions(screen, Mark.NEXT) == ["resultaat"]
        assert outcome(screen) == "Vraag 5 opnieuw beantwoorden."
        assert str(screen.query_one("#kader-advice", Static).render()).startswith(
            "Het resultaat is nog niet bekend"
        )


async def test_doubt_marks_the_question_to_answer_again() -> None:
    app = KaderHost(FLOW, {"vermoeden": "ja", "veiligheid": "twijfel"})
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, AfwegingskaderScreen)
        assert chosen(screen) == [("vermoeden", "ja"), ("veiligheid", "twijfel")]
        assert questions(screen, Mark.NEXT) == ["veiligheid"]
        assert labels(screen)[3].startswith("▶ 2. ")
        assert outcome(screen).startswith("Vraag 2 opnieuw beantwoorden (eerst Veilig Thuis")


async def test_answers_off_the_path_are_not_marked() -> None:
    answers = {"vermoeden": "nee", "veiligheid": "ja", "hulp_aanvaard": "nee"}
    app = KaderHost(FLOW, answers)
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, AfwegingskaderScreen)
        assert chosen(screen) == [("vermoeden", "nee")]
        assert outcome(screen) == "Uitkomst: geen melding."


async def test_no_answers_yet() -> None:
    app = KaderHost(FLOW, {})
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, AfwegingskaderScreen)
        assert chosen(screen) == []
        assert questions(screen, Mark.NEXT) == ["vermoeden"]
        assert outcome(screen) == "Nog geen antwoorden: de afweging begint bij vraag 1."


async def test_answers_that_do_not_fit_the_flow() -> None:
    app = KaderHost(FLOW, {"vermoeden": "misschien", "oude_vraag": "ja"})
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, AfwegingskaderScreen)
        assert chosen(screen) == []
        assert "passen niet bij dit stroomschema" in outcome(screen)


async def test_the_picture_follows_the_flow_file() -> None:
    flow = parse_flow(SMALL_FLOW, "kader-proef.yaml")
    app = KaderHost(flow, {"gevaar": "nee", "ouders": "weet_niet"})
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, AfwegingskaderScreen)
        assert labels(screen) == [
            "1. Is de leerling op dit moment in gevaar?",
            "○ Ja → einde: advies melden",
            "● Nee → 2. Werken de ouders mee aan een plan?",
            "▶ 2. Werken de ouders mee aan een plan?",
            "○ Ja → einde: hulp, niet melden",
            "● Weet niet → opnieuw (bel Veilig Thuis)",
        ]
        assert str(screen.query_one("#kader-title", Static).render()) == (
            "Afwegingskader — stap 2: Snelle inschatting"
        )
        assert questions(screen, Mark.NEXT) == ["ouders"]


async def test_escape_closes_the_view() -> None:
    app = KaderHost(FLOW, ACUTE_REPORT)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, AfwegingskaderScreen)
        await pilot.press("down", "escape")
        assert not isinstance(app.screen, AfwegingskaderScreen)


@pytest.mark.parametrize("answers", [ACUTE_REPORT, HELP_ACCEPTED, {}])
async def test_every_node_fits_in_80_columns(answers: dict[str, object]) -> None:
    app = KaderHost(FLOW, answers)
    async with app.run_test(size=SIZE):
        tree = app.screen.query_one(KaderTree)
        assert tree.virtual_size.width <= tree.scrollable_content_region.width


def test_snapshot_of_the_route_to_a_report(snap_compare: Callable[..., Any]) -> None:
    assert snap_compare(KaderHost(FLOW, ACUTE_REPORT), terminal_size=SIZE)


@pytest.mark.parametrize("width", [80, 200])
async def test_a_long_question_wraps_whole_at_any_width(width: int) -> None:
    long_text = " ".join(["Is er sprake van een lange vraag die niet op een regel past"] * 4) + "?"
    flow = parse_flow(
        SMALL_FLOW.replace(b"Is de leerling op dit moment in gevaar?", long_text.encode()),
        "lang.yaml",
    )
    app = KaderHost(flow, {})
    async with app.run_test(size=(width, 24)):
        tree = app.screen.query_one(KaderTree)
        assert labels(app.screen)[0] == f"▶ 1. {long_text}"
        drawn = [str(tree.get_option_at_index(0).prompt).splitlines()]
        lines = drawn[0]
        assert len(lines) >= 2
        assert " ".join(line.strip() for line in lines) == f"▶ 1. {long_text}"
        assert all(len(line) <= tree.scrollable_content_region.width for line in lines)
        assert lines[1].startswith("     ")  # under the text, past "▶ 1. "
