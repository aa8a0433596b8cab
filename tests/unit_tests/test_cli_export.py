"""`meldcode cases export ID [--format md|txt|pdf] [-o FILE] [--by NAME --role ROLE]`, run as a
user would: a subprocess. (The PDF's content: test_pdf_export.py.)"""

from __future__ import annotations

import re
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from meldcode_tui.case.export import export_case
from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

MENTOR = Actor(name="Mentor Bakker", role="mentor")
TEAMLEIDER = Actor(name="Teamleider Smit", role="teamleider")


def flow() -> Flow:
    return load_flow(default_flow_path())


def meldcode(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meldcode_tui", "--data-dir", str(data_dir), "cases", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


EXPORT_LINE = re.compile(r"^(- \*\*)?Geëxporteerd:(\*\*)? .*\n", re.MULTILINE)


def without_export_line(text: str) -> str:
    """The document without its one "Geëxporteerd" line (its time is the moment of the run)."""
    assert len(EXPORT_LINE.findall(text)) == 1, text
    return EXPORT_LINE.sub("", text)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "zaken"


@pytest.fixture
def cases(data_dir: Path) -> tuple[str, str]:
    """Two fictitious cases: one walked to both decisions, one with another pupil's signal."""
    store = CaseStore(data_dir)
    ref = FlowRef.of(flow())
    first = store.create(ref, "Pseudoniem Vos", MENTOR, group="3A")
    with store.open(first.id, MENTOR) as session:
        session.set_value(
            "signalen",
            "signalen",
            [
                {
                    "datum": "2026-02-23",
                    "feiten": "Blauwe plek op de arm.",
                    "bron": "eigen_waarneming",
                }
            ],
        )
    with store.open(first.id, TEAMLEIDER) as session:
        session.set_decision("melden", True, reason="Structurele zorgen.", checked=["structureel"])
        session.set_decision("hulp", False, reason="Ouders weigeren hulp.")
        session.set_aftercare("evaluatie", due="2026-04-01", who="De Boer")
    other = store.create(ref, "Leerling-7001", MENTOR, group="1B")
    with store.open(other.id, MENTOR) as session:
        session.set_notes("signalen", "Alleen in de andere zaak.")
    return first.id, other.id


def test_markdown_to_stdout_is_the_export_document(data_dir: Path, cases: tuple[str, str]) -> None:
    case_id, _ = cases
    result = meldcode(data_dir, "export", case_id)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert without_export_line(result.stdout) == export_case(
        CaseStore(data_dir).load(case_id), flow(), "md"
    )
    assert result.stdout.startswith("# Meldcode — Pseudoniem Vos\n")
    for fact in (
        "Blauwe plek op de arm.",
        "Ja, melden bij Veilig Thuis",
        "Structurele zorgen.",
        "Bij een vermoeden van structurele onveiligheid",
        "Nee, geen hulp inzetten",
        "Ouders weigeren hulp.",
        "Evalueren — open — uiterlijk 01-04-2026 — door De Boer",
        "versie 1.2",
    ):
        assert fact in result.stdout
    assert "Alleen in de andere zaak." not in result.stdout
    assert "Leerling-7001" not in result.stdout


def test_text_format(data_dir: Path, cases: tuple[str, str]) -> None:
    case_id, _ = cases
    result = meldcode(data_dir, "export", case_id, "--format", "txt")
    assert result.returncode == 0, result.stderr
    assert without_export_line(result.stdout) == export_case(
        CaseStore(data_dir).load(case_id), flow(), "txt"
    )
    assert "**" not in result.stdout and "#" not in result.stdout


def test_the_export_names_who_exported_and_when(data_dir: Path, cases: tuple[str, str]) -> None:
    case_id, _ = cases
    before = datetime.now()
    result = meldcode(
        data_dir, "export", case_id, "--format", "txt", "--by", "Zorg Denkbeeld", "--role", "zc"
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("Geëxporteerd:"))
    stamp = line.removeprefix("Geëxporteerd: ").removesuffix(" door Zorg Denkbeeld (zc)")
    moment = datetime.strptime(stamp, "%d-%m-%Y %H:%M")
    assert before.replace(second=0, microsecond=0) <= moment <= datetime.now()
    anonymous = meldcode(data_dir, "export", case_id, "--format", "txt")
    assert "Geëxporteerd: " in anonymous.stdout and " door niet opgegeven\n" in anonymous.stdout


def test_a_role_without_a_name_is_a_usage_error(data_dir: Path, cases: tuple[str, str]) -> None:
    result = meldcode(data_dir, "export", cases[0], "--role", "zorgcoördinator")
    assert result.returncode == 2
    assert result.stdout == "" and result.stderr == "meldcode: --role needs --by NAME\n"


def test_output_file_is_private_and_replaced_atomically(
    data_dir: Path, cases: tuple[str, str], tmp_path: Path
) -> None:
    case_id, _ = cases
    target = tmp_path / "dossier.md"
    target.write_text("oud", encoding="utf-8")
    target.chmod(0o644)
    result = meldcode(data_dir, "export", case_id, "-o", str(target), "--force")
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""
    assert without_export_line(target.read_text(encoding="utf-8")) == export_case(
        CaseStore(data_dir).load(case_id), flow(), "md"
    )
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_new_output_file_is_0600(data_dir: Path, cases: tuple[str, str], tmp_path: Path) -> None:
    case_id, _ = cases
    target = tmp_path / "dossier.txt"
    result = meldcode(data_dir, "export", case_id, "--format", "txt", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_bad_id_is_a_usage_error(data_dir: Path) -> None:
    result = meldcode(data_dir, "export", "../etc/passwd")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("meldcode: invalid case id")


def test_unknown_case_fails_in_one_line(data_dir: Path) -> None:
    result = meldcode(data_dir, "export", "20260101-abcdef")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "meldcode: no case with id 20260101-abcdef\n"


def test_corrupt_case_fails_in_one_line(data_dir: Path) -> None:
    CaseStore(data_dir)
    (data_dir / "20260101-kapot1.json").write_text("{niet af", encoding="utf-8")
    result = meldcode(data_dir, "export", "20260101-kapot1")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_output_fails_in_one_line(
    data_dir: Path, cases: tuple[str, str], tmp_path: Path
) -> None:
    case_id, _ = cases
    target = tmp_path / "bestaat-niet" / "dossier.md"
    result = meldcode(data_dir, "export", case_id, "-o", str(target))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("meldcode: cannot write")
    assert not target.exists()


def test_bad_format_is_a_usage_error(data_dir: Path, cases: tuple[str, str]) -> None:
    case_id, _ = cases
    result = meldcode(data_dir, "export", case_id, "--format", "docx")
    assert result.returncode == 2
    assert result.stdout == ""
