"""Control characters from case files never reach the terminal through the CLI: `inert` escapes
them in `cases list/show/export`, JSON escapes them, and a case with one in its labels cannot be
created. An export to a file keeps the text as it is. Fictitious data only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from meldcode_tui.case.errors import InvalidValueError
from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.inert import UNSAFE_CODEPOINTS, excerpt, has_unsafe, inert
from meldcode_tui.locations import default_flow_path

MENTOR = Actor(name="Mentor Bakker", role="mentor")
TITLE = "\x1b]0;gehackt\x07"
HOSTILE_PUPIL = f"Leerling{TITLE}\x9b2J\u202eKEER\x7f"
HOSTILE_NOTES = "regel 1\nregel\t2\r\x1b[2Jweg\u2028"
UNSAFE = {chr(c) for c in UNSAFE_CODEPOINTS}


def raw_unsafe(text: str, allowed: str = "\n") -> set[str]:
    return {c for c in text if c in UNSAFE and c not in allowed}


def meldcode(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meldcode_tui", "--data-dir", str(data_dir), "cases", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "100"},  # the width `cases show` wraps to
    )


# --- inert, has_unsafe, excerpt --------------------------------------------------------------


def test_inert_escapes_every_kind_of_control_character() -> None:
    assert inert("a\x1b[31mb") == "a\\x1b[31mb"
    assert inert("\x00\x07\x08\r\n\t\x7f") == "\\x00\\x07\\x08\\x0d\\x0a\\x09\\x7f"
    assert inert("\x85\x9b") == "\\x85\\x9b"
    assert inert("abc\u202edef\u2066\u200f") == "abc\\u202edef\\u2066\\u200f"
    assert inert("\u2028\u2029") == "\\u2028\\u2029"
    assert inert("Zoë, café — 😀 \u200d") == "Zoë, café — 😀 \u200d"  # printable text untouched
    assert inert("a\nb\tc\rd\x1b", multiline=True) == "a\nb\tc\\x0dd\\x1b"
    for code in UNSAFE_CODEPOINTS:
        assert not raw_unsafe(inert(chr(code)), allowed="")
        assert has_unsafe(f"x{chr(code)}y")
    assert not has_unsafe("Leerling-042 (groep 5B)")


def test_excerpt_quotes_at_most_sixty_characters() -> None:
    assert excerpt("ja") == "'ja'"
    assert excerpt("x" * 10_000_000) == "'" + "x" * 60 + "…' (10000000 characters)"
    assert excerpt("\x1b" * 100).startswith("'\\x1b\\x1b")
    assert excerpt(7 * 10**5000) == "a number of more than 60 digits"
    assert excerpt(12) == "12"
    assert len(excerpt(["y" * 1000] * 1000)) < 100


# --- the store and `cases new` refuse control characters in a new case's labels ---------------


@pytest.mark.parametrize(
    ("pupil", "group", "author"),
    [
        (HOSTILE_PUPIL, "", "Mentor"),
        ("Leerling-042", "5B\n6A", "Mentor"),
        ("Leerling\u202e240", "", "Mentor"),
        ("Leerling-042", "", "Mentor\x1b[8m"),
        ("Leer\u200bling-042", "", "Mentor"),
        ("Leerling-042", "5\u00adB", "Mentor"),
        ("Leerling-042", "", "Men\ufefftor"),
    ],
)
def test_create_refuses_control_characters(
    tmp_path: Path, pupil: str, group: str, author: str
) -> None:
    store = CaseStore(tmp_path / "zaken")
    with pytest.raises(InvalidValueError, match="control or invisible character") as info:
        store.create(FlowRef.of(load_flow(default_flow_path())), pupil, Actor(name=author), group)
    assert not raw_unsafe(str(info.value), allowed="")
    assert list(store.root.iterdir()) == []


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--pupil", HOSTILE_PUPIL),
        ("--group", "5B\x1b[2J"),
        ("--author", "M\u202eX"),
        ("--pupil", "Leerling\u2060-042"),
    ],
)
def test_cases_new_refuses_control_characters(tmp_path: Path, option: str, value: str) -> None:
    args = {"--pupil": "Leerling-042", "--author": "Mentor Bakker", option: value}
    result = meldcode(tmp_path / "zaken", "new", *[x for kv in args.items() for x in kv])
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"meldcode: {option} contains a control or invisible character (such as ESC, a tab, a "
        "line break, a direction override or a zero-width space); type it without\n"
    )
    assert not (tmp_path / "zaken").exists() or not list((tmp_path / "zaken").glob("*.json"))


# --- list, show and export of a case that holds them anyway (a file from elsewhere) ------------


@pytest.fixture
def hostile_case(tmp_path: Path) -> tuple[Path, str]:
    """A case written through the store, then given control characters in its file, as an
    older version or a hand-edited file could have them."""
    store = CaseStore(tmp_path / "zaken")
    case = store.create(FlowRef.of(load_flow(default_flow_path())), "Leerling-042", MENTOR)
    with store.open(case.id, MENTOR) as session:
        session.set_notes("signalen", HOSTILE_NOTES)
        session.set_aftercare("evaluatie", who=f"De Boer{TITLE}")
    path = store.path_of(case.id)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["pupil"] = HOSTILE_PUPIL
    data["group"] = "5B\x1bc"
    path.write_text(json.dumps(data), encoding="utf-8")
    return store.root, case.id


def test_list_and_show_escape_control_characters(hostile_case: tuple[Path, str]) -> None:
    data_dir, case_id = hostile_case
    for args in (("list",), ("show", case_id)):
        result = meldcode(data_dir, *args)
        assert result.returncode == 0, result.stderr
        assert not raw_unsafe(result.stdout), args
        assert "Leerling\\x1b]0;gehackt\\x07\\x9b2J\\u202eKEER\\x7f" in result.stdout
    show = meldcode(data_dir, "show", case_id).stdout
    assert "De Boer\\x1b]0;gehackt\\x07" in show
    assert "  notes: regel 1\n      regel   2\\x0d\\x1b[2Jweg\\u2028\n" in show


def test_json_output_escapes_them_as_json_and_keeps_the_text(
    hostile_case: tuple[Path, str],
) -> None:
    data_dir, case_id = hostile_case
    listing = meldcode(data_dir, "list", "--json")
    shown = meldcode(data_dir, "show", case_id, "--json")
    for result in (listing, shown):
        assert result.returncode == 0, result.stderr
        assert not raw_unsafe(result.stdout)
    assert json.loads(listing.stdout)["cases"][0]["pupil"] == HOSTILE_PUPIL
    assert json.loads(shown.stdout)["steps"]["signalen"]["notes"] == HOSTILE_NOTES
    assert "\\u009b" in shown.stdout and "\\u202e" in shown.stdout


def test_export_to_the_terminal_is_escaped_to_a_file_as_it_is(
    hostile_case: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, case_id = hostile_case
    printed = meldcode(data_dir, "export", case_id, "--format", "txt")
    assert printed.returncode == 0, printed.stderr
    assert not raw_unsafe(printed.stdout, allowed="\n\t")
    assert "regel 1\n  regel\t2\n  \\x1b[2Jweg\n" in printed.stdout

    target = tmp_path / "dossier.txt"
    written = meldcode(data_dir, "export", case_id, "--format", "txt", "-o", str(target))
    assert written.returncode == 0, written.stderr
    document = target.read_bytes().decode("utf-8")
    assert HOSTILE_PUPIL in document
    assert "regel 1\n  regel\t2\n  \x1b[2Jweg\n" in document
    assert inert(document, multiline=True) == printed.stdout


def test_error_messages_are_inert_too(tmp_path: Path) -> None:
    data_dir = tmp_path / "zaken"
    CaseStore(data_dir)
    (data_dir / "20260101-kapot1.json").write_text("{", encoding="utf-8")
    result = meldcode(tmp_path / "zaken\x1b]0;x\x07", "list")
    assert result.returncode == 0
    assert "zaken\\x1b]0;x\\x07" in result.stdout
    assert not raw_unsafe(result.stdout + result.stderr)
