"""Never lose typed text on the way out: after a failed save, Ctrl+C says so and Ctrl+Q asks,
offering to keep the case apart in a private file."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from driver import SIZE, app_of, field, new_case, read_case, ready
from textual.widgets import Button, TextArea

from meldcode_tui.case import store as store_module
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.screens.review_dialogs import ChoiceDialog

MARKER = "Tekst die niet op schijf kwam"


def disk_full(*_: Any, **__: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


async def _type_while_the_disk_is_full(pilot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    await ready(pilot)
    await new_case(pilot)
    app_of(pilot).show_step("gesprek")
    for _ in range(4):
        await pilot.pause()
    monkeypatch.setattr(store_module, "write_atomic", disk_full)
    notes = field(pilot, "besproken").query_one(TextArea)
    notes.focus()
    notes.insert(MARKER)
    for _ in range(4):
        await pilot.pause()
    work = app_of(pilot).work
    assert work is not None and work.unsaved


async def test_ctrl_c_does_not_claim_a_save_and_ctrl_q_keeps_the_text_apart(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _type_while_the_disk_is_full(pilot, monkeypatch)
        await pilot.press("ctrl+c")
        await pilot.pause()
        told = "\n".join(n.message for n in app._notifications)
        assert "nog niet opgeslagen" in told
        assert "alles is opgeslagen" not in told
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click(app.screen.query_one("#choice-rescue", Button))
        await pilot.pause()
    assert app.rescued_to is not None and app.rescued_to.parent == data_dir / "niet-opgeslagen"
    kept = json.loads(app.rescued_to.read_text(encoding="utf-8"))
    assert kept["steps"]["gesprek"]["values"]["besproken"] == MARKER
    if os.name == "posix":
        assert stat.S_IMODE(app.rescued_to.stat().st_mode) == 0o600
    case_id = kept["id"]
    assert MARKER not in json.dumps(read_case(data_dir, case_id))


async def test_escape_from_the_question_keeps_the_app_open(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _type_while_the_disk_is_full(pilot, monkeypatch)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ChoiceDialog)
        monkeypatch.undo()
        await pilot.press("ctrl+q")
        await pilot.pause()
        case_id = app_of(pilot).store.list().cases[0].id  # type: ignore[union-attr]
    assert app.rescued_to is None
    assert read_case(data_dir, case_id)["steps"]["gesprek"]["values"]["besproken"] == MARKER
