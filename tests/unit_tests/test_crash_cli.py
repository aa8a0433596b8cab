"""A bug in a headless command: one English line with the crash report's path, exit code 70, no
traceback; the report holds exception types and code locations only (`meldcode_tui.crash`).

A unique marker is planted in the case and in the message of the exception the bug raises; it
must appear neither in the output nor in the report. Fictitious data only.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from meldcode_tui import cli, crash
from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

MARKER = "Vertrouwelijk-K9W2"
MENTOR = Actor(name="Mentor Bakker", role="mentor")


class ExportBug(RuntimeError):
    pass


@pytest.fixture
def marked_case(tmp_path: Path) -> tuple[Path, str]:
    data_dir = tmp_path / "zaken"
    store = CaseStore(data_dir)
    case = store.create(FlowRef.of(load_flow(default_flow_path())), f"Leerling {MARKER}", MENTOR)
    with store.open(case.id, MENTOR) as session:
        session.set_notes("signalen", f"Notitie {MARKER}")
    return data_dir, case.id


def reports(log_dir: Path) -> list[Path]:
    folder = log_dir / "crash"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_bug_in_a_command_gives_one_line_and_exit_70(
    marked_case: tuple[Path, str],
    private_log_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir, case_id = marked_case

    def broken(case: object, flow: object, **options: object) -> str:
        secret = f"pupil {getattr(case, 'pupil', '')} {MARKER}"
        raise ExportBug(secret)

    monkeypatch.setattr("meldcode_tui.case.export.build_verslag", broken)
    code = cli.main(["--data-dir", str(data_dir), "cases", "export", case_id])
    out, err = capsys.readouterr()

    assert code == crash.EXIT_SOFTWARE == 70
    assert out == ""
    assert MARKER not in err and "Traceback" not in err
    (report,) = reports(private_log_dir)
    assert err == (
        "meldcode: unexpected error (a bug in meldcode); a crash report without case data is in "
        f"{report}\n"
    )
    text = report.read_text(encoding="utf-8")
    assert MARKER not in text
    assert "where: command: cases export\n" in text
    assert "ExportBug" in text
    assert 'File "meldcode_tui/commands/cases.py", line ' in text and "in run_export" in text
    assert "in test_a_bug_in_a_command_gives_one_line_and_exit_70.<locals>.broken" in text
    if os.name == "posix":
        assert stat.S_IMODE(report.stat().st_mode) == 0o600
        assert stat.S_IMODE(report.parent.stat().st_mode) == 0o700


def test_without_a_log_folder_the_line_says_so(
    marked_case: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir, case_id = marked_case
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("MELDCODE_LOG_DIR", str(tmp_path / "file" / "log"))
    monkeypatch.setattr(
        "meldcode_tui.case.export.build_verslag",
        lambda *a, **k: (_ for _ in ()).throw(ExportBug(MARKER)),
    )
    assert cli.main(["--data-dir", str(data_dir), "cases", "export", case_id]) == 70
    err = capsys.readouterr().err
    assert err == (
        "meldcode: unexpected error (a bug in meldcode); no crash report could be written\n"
    )


def _raise_chain() -> None:
    secret = MARKER
    try:
        try:
            {}[secret]
        except KeyError as exc:
            raise ValueError(secret) from exc
    except ValueError:
        raise ExceptionGroup(secret, [OSError(2, secret), ExportBug(secret)]) from None


def test_the_report_holds_types_and_locations_of_the_whole_chain_only() -> None:
    try:
        try:
            _raise_chain()
        except ExceptionGroup as group:
            raise RuntimeError(MARKER) from group
    except RuntimeError as exc:
        text = crash.format_report(exc, "command: test")

    assert MARKER not in text
    for name in ("ExceptionGroup", "FileNotFoundError", "test_crash_cli.ExportBug", "RuntimeError"):
        assert f"\n{name}\n" in text
    assert "KeyError" not in text  # suppressed by `from None`, as Python shows it
    assert text.count("Traceback (most recent call last):") == 2  # the members were not raised
    assert text.count("Member of the group ExceptionGroup:") == 2
    assert "The above exception was the direct cause of the following exception:" in text
    assert "in _raise_chain" in text
    assert str(Path(__file__).parent) not in text  # paths relative to their sys.path entry


def test_deep_recursion_is_cut_to_its_first_and_last_frames() -> None:
    def down(n: int) -> None:
        if n == 0:
            raise RecursionError(MARKER)
        down(n - 1)

    try:
        down(500)
    except RecursionError as exc:
        text = crash.format_report(exc, "app")
    assert text.count(", in ") == crash.MAX_FRAMES
    assert "frames left out" in text


def test_paths_are_relative_to_their_sys_path_entry_or_only_a_name() -> None:
    import textual.app

    assert crash.short_path(textual.app.__file__) == "textual/app.py"
    assert crash.short_path("<frozen runpy>") == "<frozen runpy>"
    outside = os.path.join(os.sep, "home", "juf.jansen", "script.py")
    if not any(os.path.abspath(p or os.curdir) == os.sep for p in sys.path):
        assert crash.short_path(outside) == "script.py"


def test_reports_never_overwrite_and_are_exclusive(tmp_path: Path) -> None:
    folder = tmp_path / "crash"
    first = crash.write_report(ValueError(), "app", folder)
    second = crash.write_report(ValueError(), "app", folder)
    assert first is not None and second is not None and first != second
    assert sorted(folder.iterdir()) == sorted([first, second])
