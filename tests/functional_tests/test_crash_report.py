"""A bug in the app ends it with a Dutch message and a crash report without case data, instead of
Textual's traceback, which prints the local variables of every frame (the case, the text typed).

Each test plants a unique marker in the case (pupil reference and notes) and in the message of
the exception the bug raises, runs the real app with the Pilot, and checks that the marker is
neither in what the process printed nor in the crash report, and that the report names the
exception type and the code location. Fictitious data only.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest
from driver import SIZE, app_of, ready
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from meldcode_tui.case import store as store_module
from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.app import make_app

MARKER = "Vertrouwelijk-Q7Z3"
MENTOR = Actor(name="Mentor Jansen", role="mentor")


class SaveBug(RuntimeError):
    """Stands in for a bug below a save."""


class ScreenBug(ValueError):
    """Stands in for a bug in a screen's key handler."""


@pytest.fixture
def marked_case(data_dir: Path) -> str:
    store = CaseStore(data_dir)
    case = store.create(FlowRef.of(load_flow(default_flow_path())), f"Leerling {MARKER}", MENTOR)
    with store.open(case.id, MENTOR) as session:
        session.set_notes("signalen", f"Notitie met {MARKER} erin.")
    return case.id


def crash_reports(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "log" / "crash"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def check_report(tmp_path: Path, printed: str, type_name: str, location: str) -> None:
    assert MARKER not in printed
    (report,) = crash_reports(tmp_path)
    text = report.read_text(encoding="utf-8")
    assert MARKER not in text
    assert "Traceback" not in printed and "locals" not in printed
    assert "Er ging iets mis in Meldcode" in printed
    assert str(report) in printed.replace("\n", "")
    assert type_name in text
    assert location in text
    if os.name == "posix":
        assert stat.S_IMODE(report.stat().st_mode) == 0o600
        assert stat.S_IMODE(report.parent.stat().st_mode) == 0o700


async def test_a_bug_inside_a_save(
    data_dir: Path,
    marked_case: str,
    known_user: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    def broken_write(path: Path, data: bytes, **kwargs: Any) -> None:
        raise SaveBug(f"kon {path.name} niet schrijven: {data[:2000]!r} {MARKER}")

    app = make_app(data_dir=data_dir, case_id=marked_case)
    with pytest.raises(SaveBug):
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            monkeypatch.setattr(store_module, "write_atomic", broken_write)
            text = f"Nieuwe notitie {MARKER}"
            app_of(pilot).call_later(app.apply, lambda s: s.set_notes("signalen", text))
            await pilot.pause()
    out, err = capfd.readouterr()
    check_report(tmp_path, out + err, "SaveBug", "in CaseSession._commit")
    assert 'File "meldcode_tui/case/store.py"' in crash_reports(tmp_path)[0].read_text()
    assert app.return_code == 1


class BrokenScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "explode", "Explode")]

    def __init__(self, pupil: str) -> None:
        super().__init__()
        self.pupil = pupil

    def compose(self) -> Any:
        yield Static(self.pupil, markup=False)

    def action_explode(self) -> None:
        typed = f"wat de gebruiker typte: {self.pupil}"
        raise ScreenBug(typed)


async def test_a_bug_inside_a_screen(
    data_dir: Path,
    marked_case: str,
    known_user: None,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    app = make_app(data_dir=data_dir)
    with pytest.raises(ScreenBug):
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await app.push_screen(BrokenScreen(f"Leerling {MARKER}"))
            await pilot.press("x")
            await pilot.pause()
    out, err = capfd.readouterr()
    check_report(tmp_path, out + err, "ScreenBug", "in BrokenScreen.action_explode")


async def test_a_bug_inside_a_worker_is_reported_by_its_own_exception(
    data_dir: Path, known_user: None, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from textual.worker import WorkerFailed

    async def failing() -> None:
        raise ScreenBug(f"in een worker: {MARKER}")

    app = make_app(data_dir=data_dir)
    with pytest.raises(WorkerFailed):
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            app.run_worker(failing(), exit_on_error=True)
            await pilot.pause()
            await pilot.pause()
    out, err = capfd.readouterr()
    check_report(tmp_path, out + err, "ScreenBug", "in test_a_bug_inside_a_worker")
    assert "where: app (worker)" in crash_reports(tmp_path)[0].read_text()


async def test_without_a_writable_log_folder_the_message_still_comes(
    data_dir: Path,
    known_user: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("MELDCODE_LOG_DIR", str(blocker / "log"))
    app = make_app(data_dir=data_dir)
    with pytest.raises(ScreenBug):
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await app.push_screen(BrokenScreen(f"Leerling {MARKER}"))
            await pilot.press("x")
            await pilot.pause()
    printed = "".join(capfd.readouterr())
    assert "Er ging iets mis in Meldcode" in printed
    assert "Er kon geen foutverslag worden geschreven" in printed
    assert MARKER not in printed


def test_textual_alone_would_print_the_marker(
    data_dir: Path, marked_case: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """The check above can fail: Textual's own report of the same bug shows the marker."""
    import asyncio

    from textual.app import App

    class Plain(App[None]):
        def on_mount(self) -> None:
            self.push_screen(BrokenScreen(f"Leerling {MARKER}"))

    async def run() -> None:
        app = Plain()
        with pytest.raises(ScreenBug):
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                await pilot.press("x")
                await pilot.pause()

    asyncio.run(run())
    assert MARKER in "".join(capfd.readouterr())
    assert sys.modules["meldcode_tui.tui.app"].MeldcodeApp._handle_exception is not (
        App._handle_exception
    )
