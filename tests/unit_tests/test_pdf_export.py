"""The verslag as a PDF: the text read back from the file (pypdf), page 1 rendered to an image
(pypdfium2), and `meldcode cases export ID --format pdf -o FILE` run as a user would."""

from __future__ import annotations

import io
import logging
import stat
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from test_export import EXPORTED, closed_case

from meldcode_tui.case.export import build_verslag
from meldcode_tui.case.model import Actor, Case, FlowRef
from meldcode_tui.case.pdf import render_pdf
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

SCHOOL = "Basisschool De Verzonnen Eik"
PUPIL = "Ayşe Kılıç-Łukasiewicz (İbrahim, ĳsbeer)"
NOTE = "Vader zei: „nooit meer” — € 5,– voor de ‘bus’. Çok teşekkürler; dziękuję."


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(default_flow_path())


pytestmark = pytest.mark.usefixtures("amsterdam_time")


def the_case(flow: Flow, long: bool = False) -> Case:
    case = closed_case(flow)
    case.pupil = PUPIL
    case.steps["gesprek"].notes = NOTE + ("\n" + "Nog een regel van het verslag." * 12) * (
        40 if long else 0
    )
    return case


def pdf_of(case: Case, flow: Flow, school: str = SCHOOL) -> bytes:
    return render_pdf(build_verslag(case, flow, exported=EXPORTED, school=school))


def pages_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_every_page_is_confidential_with_school_pupil_and_page_number(flow: Flow) -> None:
    pages = pages_of(pdf_of(the_case(flow, long=True), flow))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "VERTROUWELIJK" in page
        assert SCHOOL in page
        assert f"Leerling: {PUPIL} · zaak 2026-11-20-042abc" in page
        assert f"pagina {number} van {len(pages)}" in page
        assert (
            "Geëxporteerd: 03-12-2026 09:15 door Zorgcoördinator Denkbeeld (zorgcoördinator)"
            in page
        )


def test_the_pdf_holds_the_steps_decisions_and_timeline(flow: Flow) -> None:
    text = "\n".join(pages_of(pdf_of(the_case(flow), flow)))
    for step in flow.steps:
        assert step.title in text, step.title
    for expected in (
        "Besluit 1: melding maken bij Veilig Thuis: Ja, melden bij Veilig Thuis",
        "Onderbouwing: Reden melden ALFA",
        "Besluit 2: hulpverlening inzetten / voortzetten: Nee, geen hulp inzetten",
        "Onderbouwing: Reden hulp ALFA",
        "Gesloten door: Zorgcoördinator Denkbeeld (zorgcoördinator), 02-12-2026 15:05",
        "Evalueren — open — uiterlijk 01-12-2026 — door Zorgcoördinator",
        "Bijlage — Tijdlijn",
        "Interpretatie (apart van de feiten): Interpretatie ALFA",
    ):
        assert expected in text, expected
    assert text.index("Eerder feit ALFA") < text.index("Feit ALFA\n")
    appendix = text.partition("Bijlage — Tijdlijn")[2]
    assert "Zaak gesloten, bewaren tot 02-12-2028. Reden: Afgerond ALFA" in " ".join(
        appendix.split()
    )  # a table cell wraps
    assert "Wanneer" in appendix and "Wie (rol)" in appendix
    assert "Teamleider Verzonnen" in appendix and "02-12-2026" in appendix


def test_dutch_turkish_and_polish_text_survives(flow: Flow) -> None:
    text = "\n".join(pages_of(pdf_of(the_case(flow), flow)))
    assert PUPIL in text
    assert NOTE in text


def test_a_character_the_font_lacks_is_replaced_and_not_logged(
    flow: Flow, caplog: pytest.LogCaptureFixture
) -> None:
    case = the_case(flow)
    case.steps["gesprek"].notes = "Emoji 🙂 en ESC \x1b[31m rood"
    with caplog.at_level(logging.DEBUG):
        text = "\n".join(pages_of(pdf_of(case, flow)))
    assert "Emoji \ufffd en ESC \\x1b[31m rood" in text
    assert "🙂" not in caplog.text and "\x1b" not in caplog.text


def test_without_a_school_name_the_header_still_says_vertrouwelijk(flow: Flow) -> None:
    (page,) = pages_of(pdf_of(closed_case(flow), flow, school=""))[:1]
    assert page.startswith("VERTROUWELIJK")
    assert "School:" not in page


def test_page_one_renders_as_a_filled_a4_page(flow: Flow, tmp_path: Path) -> None:
    document = pdfium.PdfDocument(pdf_of(the_case(flow), flow))
    page = document[0]
    width, height = page.get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    image = page.render(scale=1).to_pil().convert("L")
    assert abs(image.size[0] / image.size[1] - 210 / 297) < 0.002
    histogram = image.histogram()
    inked = sum(histogram[:128])
    assert 0.01 < inked / (image.size[0] * image.size[1]) < 0.5
    image.save(tmp_path / "page1.png")


def meldcode(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meldcode_tui", "--data-dir", str(data_dir), "cases", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_cli_writes_a_private_pdf(flow: Flow, tmp_path: Path) -> None:
    data_dir = tmp_path / "zaken"
    store = CaseStore(data_dir)
    case = store.create(FlowRef.of(flow), PUPIL, Actor(name="Mentor Fictief", role="mentor"))
    (data_dir / "school.yaml").write_text(f"name: {SCHOOL}\n", encoding="utf-8")
    target = tmp_path / "verslag.pdf"
    args = ("export", case.id, "--format", "pdf", "-o", str(target))
    result = meldcode(data_dir, *args, "--by", "Zorg Denkbeeld", "--role", "zorgcoördinator")
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    (page, *_) = pages_of(target.read_bytes())
    assert "VERTROUWELIJK" in page and SCHOOL in page and PUPIL in page
    assert "door Zorg Denkbeeld (zorgcoördinator)" in page
    again = meldcode(data_dir, *args)
    assert again.returncode == 1
    assert again.stderr.startswith("meldcode: cannot write") and "--force" in again.stderr
    to_terminal = meldcode(data_dir, "export", case.id, "--format", "pdf")
    assert to_terminal.returncode == 2 and to_terminal.stdout == ""
    assert to_terminal.stderr == (
        "meldcode: --format pdf needs -o FILE: a PDF is not written to the terminal\n"
    )


def test_a_long_pupil_reference_is_cut_in_the_header_and_whole_in_the_text(flow: Flow) -> None:
    case = the_case(flow)
    case.pupil = "Leerling " + "Kılıç " * 60
    (page, *_) = pages_of(pdf_of(case, flow, school="School " * 40))
    header = page.splitlines()[1]
    assert header.startswith("Leerling: Leerling Kılıç") and "… · zaak 2026-11-20-042abc" in header
    assert len(header) < 120
    assert page.splitlines()[0].endswith("…")
    assert " ".join(case.pupil.split()) in " ".join(page.split())


def test_text_that_looks_like_the_page_count_alias_stays_as_typed(flow: Flow) -> None:
    case = closed_case(flow)
    case.pupil = "Leerling-{nb}"
    case.steps["signalen"].notes = "Zie pagina {nb} en {nb}."
    pages = pages_of(pdf_of(case, flow))
    text = "\n".join(pages)
    assert "Notities: Zie pagina {nb} en {nb}." in text
    assert "Leerling (pseudoniem of leerlingnummer): Leerling-{nb}" in text
    for number, page in enumerate(pages, start=1):
        assert page.startswith("VERTROUWELIJK") and "Leerling: Leerling-{nb}" in page
        assert page.endswith(f"pagina {number} van {len(pages)}")
