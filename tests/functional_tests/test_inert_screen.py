"""Control characters in a case reach the terminal from no screen: what Textual would write to
the terminal is checked for every control character but the escape sequences Textual makes
itself (styles, cursor moves, links), on the home list, the step screen with its editable notes,
and a notification. Fictitious data only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from driver import SIZE, app_of, ready
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.inert import UNSAFE_CODEPOINTS
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.screens.step import StepScreen

MENTOR = Actor(name="Mentor Jansen", role="mentor")
PUPIL = "Leerling\x1b]0;GEHACKT\x07\x9b2J\u202eKEER\x7f"
NOTES = "Notitie\x1b[2J\x1b]0;GEHACKT\x1b\\ met\u2066 meer"
TEXTUAL_OWN = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\]8;[^\x1b]*\x1b\\")
UNSAFE = {chr(c) for c in UNSAFE_CODEPOINTS} - {"\n"}
SIGNAL = {"datum": "2026-02-23", "bron": "eigen_waarneming"}


@pytest.fixture
def hostile_case(data_dir: Path) -> str:
    store = CaseStore(data_dir)
    case = store.create(FlowRef.of(load_flow(default_flow_path())), "Leerling-042", MENTOR)
    with store.open(case.id, MENTOR) as session:
        session.set_notes("signalen", NOTES)
        session.set_value("signalen", "signalen", [{**SIGNAL, "feiten": NOTES, "waarnemer": PUPIL}])
    path = store.path_of(case.id)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["pupil"] = PUPIL
    path.write_text(json.dumps(data), encoding="utf-8")
    return case.id


def terminal_output(pilot: Pilot[Any]) -> str:
    """Everything Textual would write to the terminal to draw the current screen in full."""
    app = pilot.app
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def assert_inert(output: str) -> None:
    ours_removed = TEXTUAL_OWN.sub("", output)
    assert sorted({f"U+{ord(c):04X}" for c in ours_removed if c in UNSAFE}) == []
    assert "GEHACKT" in ours_removed  # the text is there, its control characters are not


async def test_no_control_character_reaches_the_terminal(
    data_dir: Path, hostile_case: str, known_user: None
) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        home = terminal_output(pilot)
        assert_inert(home)
        assert "Leerling\ufffd]0;GEHACKT" in home

        assert await app_of(pilot).open_case(hostile_case)
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        editable = [w.text for w in app.screen.query(TextArea)]
        editable += [w.value for w in app.screen.query(Input)]
        assert NOTES in editable and PUPIL in editable  # editable fields keep the file's text
        assert_inert(terminal_output(pilot))

        app.notify(f"Zaak van {PUPIL}", markup=False)
        await pilot.pause()
        assert_inert(terminal_output(pilot))


async def test_the_check_can_fail_without_the_replacement(
    data_dir: Path, hostile_case: str, known_user: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rich.control
    import textual.content

    for table in (textual.content._CONTROL_STRIP_TRANSLATE, rich.control._CONTROL_STRIP_TRANSLATE):
        for code in UNSAFE_CODEPOINTS:
            if table.get(code) == "\ufffd":
                monkeypatch.delitem(table, code)
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        with pytest.raises(AssertionError, match="U\\+001B"):
            assert_inert(terminal_output(pilot))
