"""`meldcode --demo`: the app runs on a seeded temporary folder, the real data folder and the
preferences stay byte-for-byte unchanged, and the temporary folder is gone afterwards."""

from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from meldcode_tui import cli, locations
from meldcode_tui.case.store import CaseStore
from meldcode_tui.commands import tui
from meldcode_tui.demo.seed import case_files
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import CONFIG_DIR_ENV, DATA_DIR_ENV, default_flow_path

CASE_JSON = b'{"note": "stands in for a real case file; must never change"}\n'


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below `folder` with the sha256 of its bytes, and its mode."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        + oct(path.stat().st_mode)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    } | {str(p.relative_to(folder)) + "/": "dir" for p in folder.rglob("*") if p.is_dir()}


@pytest.fixture
def real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    data = tmp_path / "real-data"
    data.mkdir()
    (data / "20261101-abcdef.json").write_bytes(CASE_JSON)
    config = tmp_path / "real-config"
    config.mkdir()
    (config / "prefs.json").write_text('{"name": "Echte Naam", "role": "mentor"}')
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    monkeypatch.setenv(CONFIG_DIR_ENV, str(config))
    return {"data": data, "config": config}


class FakeRunner:
    """Stands in for `meldcode_tui.tui.app.run`: records what it got and writes like the app."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.error = error

    def __call__(self, *, data_dir: str | None, case_id: str | None, demo: bool) -> int:
        assert data_dir is not None
        folder = Path(data_dir)
        self.calls.append(
            {
                "data_dir": folder,
                "case_id": case_id,
                "demo": demo,
                "cases": {c.id for c in CaseStore(folder).list().cases},
                "resolved_data_dir": locations.data_dir(),
                "config_dir": locations.config_dir(),
            }
        )
        (folder / "written-by-the-app.json").write_text("{}")
        (locations.config_dir() / "prefs.json").write_text('{"name": "Trainer", "role": "x"}')
        if self.error is not None:
            raise self.error
        return 0


def demo_ids() -> set[str]:
    return {f.name.removesuffix(".yaml") for f in case_files()}


def test_demo_never_touches_the_real_folders(real: dict[str, Path]) -> None:
    before = {name: snapshot(folder) for name, folder in real.items()}
    runner = FakeRunner()

    assert tui.run_demo(runner, case_id="demo-3-melding-acuut") == 0

    (call,) = runner.calls
    assert call["demo"] is True and call["case_id"] == "demo-3-melding-acuut"
    assert call["cases"] == demo_ids()
    folder: Path = call["data_dir"]
    assert folder != real["data"] and not folder.is_relative_to(real["data"])
    assert call["resolved_data_dir"] == folder
    assert call["config_dir"].is_relative_to(folder)
    assert not folder.exists()
    assert {name: snapshot(f) for name, f in real.items()} == before
    assert os.environ[DATA_DIR_ENV] == str(real["data"])
    assert os.environ[CONFIG_DIR_ENV] == str(real["config"])


def test_demo_folder_is_removed_when_the_app_fails(real: dict[str, Path]) -> None:
    before = snapshot(real["data"])
    runner = FakeRunner(error=RuntimeError("the app crashed"))

    with pytest.raises(RuntimeError, match="crashed"):
        tui.run_demo(runner)

    assert not runner.calls[0]["data_dir"].exists()
    assert snapshot(real["data"]) == before
    assert os.environ[DATA_DIR_ENV] == str(real["data"])


def test_demo_folder_is_removed_when_the_process_is_terminated(real: dict[str, Path]) -> None:
    before = snapshot(real["data"])
    handler = signal.getsignal(signal.SIGTERM)

    class Terminated(FakeRunner):
        def __call__(self, *, data_dir: str | None, case_id: str | None, demo: bool) -> int:
            super().__call__(data_dir=data_dir, case_id=case_id, demo=demo)
            os.kill(os.getpid(), signal.SIGTERM)
            return 0

    runner = Terminated()
    with pytest.raises(SystemExit) as exit_info:
        tui.run_demo(runner)

    assert exit_info.value.code == 128 + signal.SIGTERM
    assert not runner.calls[0]["data_dir"].exists()
    assert snapshot(real["data"]) == before
    assert signal.getsignal(signal.SIGTERM) == handler


def test_cli_demo_flag_ignores_data_dir(
    real: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "given-on-the-command-line"
    other.mkdir()
    runner = FakeRunner()
    monkeypatch.setattr("meldcode_tui.tui.app.run", runner)
    before = snapshot(real["data"])

    assert cli.main(["--demo", "--data-dir", str(other), "open", "demo-1-signalen"]) == 0

    (call,) = runner.calls
    assert call["case_id"] == "demo-1-signalen" and call["cases"] == demo_ids()
    assert list(other.iterdir()) == []
    assert snapshot(real["data"]) == before


def test_cli_without_demo_uses_the_data_folder(
    real: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("meldcode_tui.tui.app.run", lambda **kwargs: calls.append(kwargs) or 0)

    assert cli.main([]) == 0
    assert cli.main(["--ask-actor"]) == 0  # as `meldcode serve` starts it
    assert calls == [
        {"data_dir": None, "case_id": None, "ask_actor": False},
        {"data_dir": None, "case_id": None, "ask_actor": True},
    ]


def test_demo_is_refused_for_headless_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--demo", "flows", "check"])
    assert exit_info.value.code == cli.EXIT_USAGE
    assert "--demo works with the app" in capsys.readouterr().err


def test_the_demo_user_changed_none_of_the_demo_cases(real: dict[str, Path]) -> None:
    """Otherwise the home screen's "your recent cases" would hide the others."""
    from meldcode_tui.demo.session import DEMO_USER, demo_session

    with demo_session() as folder:
        cases = CaseStore(folder).list().cases
        prefs = (locations.config_dir() / "prefs.json").read_text()
    assert DEMO_USER in prefs
    assert len(cases) == len(case_files())
    assert all(c.updated_by != DEMO_USER for c in cases)


def test_a_demo_runs_where_the_platform_has_no_sighup(
    real: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no SIGHUP (and a SIGBREAK): naming it crashed `meldcode --demo` there."""
    from meldcode_tui.demo.session import demo_session

    monkeypatch.delattr(signal, "SIGHUP")
    monkeypatch.setattr(signal, "SIGBREAK", signal.SIGUSR1, raising=False)
    before = signal.getsignal(signal.SIGUSR1)
    with demo_session() as folder:
        assert folder.is_dir()
        assert signal.getsignal(signal.SIGUSR1) is not before
    assert not folder.exists()
    assert signal.getsignal(signal.SIGUSR1) == before


def test_the_demo_user_has_a_role_of_the_flow(real: dict[str, Path]) -> None:
    from meldcode_tui.demo.session import demo_session
    from meldcode_tui.tui.prefs import load_prefs

    flow = load_flow(default_flow_path())
    with demo_session():
        prefs = load_prefs()
    assert prefs.role in [role.label for role in flow.roles]
