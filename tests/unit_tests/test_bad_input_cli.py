"""Bad input gives one short English line, never a traceback: a data folder that cannot be
searched, a moment in year 9999, a 5,000-digit number, a 10 MB answer. Error lines quote at most
60 characters of a value. Fictitious data only.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from meldcode_tui import cli
from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.commands.cases import SHOW_LIMIT
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

MENTOR = Actor(name="Mentor Bakker", role="mentor")
FLOW = str(default_flow_path())
HALF_MB = 500_000
"""Within the answers file's 1 MiB limit, so that the value reaches the message that quotes it."""
ONE_MB = 1_000_000
"""Within the flow file's 2 MiB limit."""
FIVE_MB = 5_000_000
"""Within the case file's 8 MiB limit."""
TEN_MB = 10 * 1024 * 1024


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meldcode_tui", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def one_short_line(result: subprocess.CompletedProcess[str], limit: int = 240) -> str:
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("meldcode: ") and result.stderr.count("\n") == 1
    assert len(result.stderr) <= limit, result.stderr[:300]
    return result.stderr


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, str]:
    store = CaseStore(tmp_path / "zaken")
    created = store.create(FlowRef.of(load_flow(default_flow_path())), "Leerling-042", MENTOR)
    with store.open(created.id, MENTOR) as session:
        session.set_answer("vermoeden", "ja", justification="Signalen uit stap 1.")
        session.set_aftercare("evaluatie", due="9999-12-31")
    return store.root, created.id


def rewrite(data_dir: Path, case_id: str, change: Any) -> None:
    path = data_dir / f"{case_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


# --- a data folder that cannot be searched -----------------------------------------------------


def test_cases_new_in_a_folder_that_cannot_be_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "zaken"
    folder.mkdir(mode=0o700)
    folder.chmod(0o600)  # readable, not searchable
    if os.name != "posix" or os.geteuid() == 0:  # root searches anyway: refuse as the OS would
        real_stat = os.stat

        def refusing(path: Any, *args: Any, **kwargs: Any) -> Any:
            if Path(os.fsdecode(path)).parent == folder:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_stat(path, *args, **kwargs)

        monkeypatch.setattr(os, "stat", refusing)
    try:
        code = cli.main(
            ["--data-dir", str(folder), "cases", "new", "--pupil", "L-1", "--author", "M"]
        )
    finally:
        monkeypatch.undo()
        folder.chmod(0o700)
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err == f"meldcode: cannot use the data folder {folder}: Permission denied\n"
    assert list(folder.iterdir()) == []


# --- moments at the edges of the calendar -------------------------------------------------------


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs TZ")
@pytest.mark.parametrize(
    ("moment", "zone"), [("9999-12-31T23:59:00Z", "JST-9"), ("0001-01-01T00:30:00Z", "EST+5")]
)
def test_export_of_a_moment_without_local_time(
    case: tuple[Path, str], moment: str, zone: str
) -> None:
    data_dir, case_id = case

    def edge(data: dict[str, Any]) -> None:
        data["created_at"] = data["updated_at"] = moment
        data["answers"]["vermoeden"]["at"] = moment

    rewrite(data_dir, case_id, edge)
    for fmt in ("md", "txt"):
        result = run("--data-dir", str(data_dir), "cases", "export", case_id, "--format", fmt,
                     env={"TZ": zone})  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        shown = datetime.fromisoformat(moment).strftime("%d-%m-%Y %H:%M")
        assert f"Laatst gewijzigd:** {shown}" in result.stdout or shown in result.stdout
        assert "31-12-9999" in result.stdout  # the aftercare due date
    listed = run("--data-dir", str(data_dir), "cases", "list", env={"TZ": zone})
    assert listed.returncode == 0 and listed.stderr == ""


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs TZ")
def test_the_app_shows_a_moment_without_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from meldcode_tui.tui.texts import local_datetime, local_time

    monkeypatch.setenv("TZ", "JST-9")
    time.tzset()
    try:
        edge = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
        assert local_datetime(edge) == "31-12-9999 23:59"
        assert local_time(edge) == "23:59:00"
        assert local_time(datetime(2026, 3, 2, 9, 30, tzinfo=UTC)) == "18:30:00"
    finally:
        monkeypatch.undo()
        time.tzset()


# --- a 5,000-digit number ------------------------------------------------------------------------


def test_a_5000_digit_answer_in_an_answers_file(tmp_path: Path) -> None:
    answers = tmp_path / "antwoorden.json"
    answers.write_text('{"vermoeden": ' + "7" * 5000 + "}", encoding="utf-8")
    result = run("flows", "run", FLOW, "--answers", str(answers))
    assert result.returncode == 2 and result.stdout == ""
    assert one_short_line(result) == (
        f"meldcode: answers file {answers}: not valid JSON (a number in it is too large)\n"
    )
    answers.write_text('{"vermoeden": ' + "7" * 4000 + "}", encoding="utf-8")
    result = run("flows", "run", FLOW, "--answers", str(answers))
    assert result.returncode == 2
    assert one_short_line(result).endswith("a number in it is too large\n")


def test_a_5000_digit_number_in_a_case_file(case: tuple[Path, str]) -> None:
    data_dir, case_id = case
    path = data_dir / f"{case_id}.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"ja"', "7" * 5000, 1), encoding="utf-8"
    )
    for action in ("show", "export"):
        result = run("--data-dir", str(data_dir), "cases", action, case_id)
        assert result.returncode == 1 and result.stdout == ""
        assert one_short_line(result) == (
            f"meldcode: case file {case_id}.json: not valid JSON (a number in it is too large)\n"
        )
    listed = run("--data-dir", str(data_dir), "cases", "list")
    assert listed.returncode == 0
    assert one_short_line(listed).startswith(f"meldcode: skipped {case_id}.json: not valid JSON")


# --- a 10 MB answer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {"vermoeden": "x" * HALF_MB},
        {"q" * HALF_MB: "ja"},
        {"vermoeden": {"option": "ja", "meldnormen": ["m" * HALF_MB]}},
        {"vermoeden": ["x" * HALF_MB]},
    ],
    ids=["answer", "question", "meldnorm", "list"],
)
def test_a_huge_answer_is_quoted_short(tmp_path: Path, answers: dict[str, Any]) -> None:
    file = tmp_path / "antwoorden.json"
    file.write_text(json.dumps(answers), encoding="utf-8")
    result = run("flows", "run", FLOW, "--answers", str(file))
    assert result.returncode == 2 and result.stdout == ""
    assert "…" in one_short_line(result)


def test_a_huge_answer_in_a_case_file(case: tuple[Path, str]) -> None:
    data_dir, case_id = case

    def huge(data: dict[str, Any]) -> None:
        data["answers"]["vermoeden"]["value"] = "x" * FIVE_MB

    rewrite(data_dir, case_id, huge)
    shown = run("--data-dir", str(data_dir), "cases", "show", case_id)
    assert shown.returncode == 0 and shown.stderr == ""
    assert SHOW_LIMIT < len(shown.stdout) < SHOW_LIMIT + 2000
    assert "characters in all; --json shows the whole text)" in shown.stdout
    listed = run("--data-dir", str(data_dir), "cases", "list")
    assert listed.returncode == 0 and listed.stderr == "" and len(listed.stdout) < 1000
    exported = run("--data-dir", str(data_dir), "cases", "export", case_id)
    assert exported.returncode == 0 and exported.stderr == ""
    assert "passen niet bij deze versie van het protocol" in exported.stdout


def test_a_huge_value_in_a_flow_file_is_quoted_short(tmp_path: Path) -> None:
    text = Path(FLOW).read_text(encoding="utf-8")
    bad_value = tmp_path / "waarde.yaml"
    bad_value.write_text(text.replace("number: 1\n", f"number: {'n' * ONE_MB}\n", 1))
    bad_key = tmp_path / "sleutel.yaml"
    extra = f"  - {'k' * 1000}: 1\n    id: signalen\n"  # YAML keys stop at 1024
    bad_key.write_text(text.replace("  - id: signalen\n", extra, 1))
    for file in (bad_value, bad_key):
        result = run("flows", "check", str(file))
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        assert 0 < max(len(line) for line in result.stdout.splitlines()) < 500
        assert "…" in result.stdout
