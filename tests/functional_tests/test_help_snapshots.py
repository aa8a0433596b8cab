"""Snapshot of F1 on a wide screen (120×40): the protocol text of the step with the keys of the
step screen beside it. (The 80×24 one, keys under the text, is `test_wizard_snapshots`.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from casefolder import amsterdam_time
from conftest import STEP_1, STEP_2, STEP_3, CaseWriter
from driver import fixed_clock, ready
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from meldcode_tui.tui.app import make_app

WIDE = (120, 40)


@pytest.fixture(autouse=True)
def amsterdam() -> Iterator[None]:
    with amsterdam_time():
        yield


def test_help_beside_the_keys_on_a_wide_screen(
    snap_compare: Any, data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        position=("gesprek", "besproken"),
    )

    async def f1(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            assert isinstance(widget, Input | TextArea)
            widget.cursor_blink = False
        await pilot.press("f1")
        await pilot.pause()

    app = make_app(data_dir=data_dir, case_id=case_id, clock=fixed_clock)
    assert snap_compare(app, terminal_size=WIDE, run_before=f1)
