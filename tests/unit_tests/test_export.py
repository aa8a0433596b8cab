"""Export of a case as Markdown / text: content, isolation between cases, and golden files."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from meldcode_tui.case.export import Exported, export_case, step_summary
from meldcode_tui.case.model import (
    Actor,
    AftercareItem,
    AftercareStatus,
    Answer,
    Case,
    Decision,
    Event,
    FlowRef,
    Status,
    StepRecord,
)
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

GOLDEN = Path(__file__).parent / "golden"
MENTOR = Actor(name="Mentor Fictief", role="mentor")
TEAMLEIDER = Actor(name="Teamleider Verzonnen", role="teamleider")
ZORG = Actor(name="Zorgcoördinator Denkbeeld", role="zorgcoördinator")
AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(default_flow_path())


pytestmark = pytest.mark.usefixtures("amsterdam_time")


def make_case(flow: Flow, pupil: str, marker: str) -> Case:
    return Case(
        id=f"2026-11-20-{pupil.lower()[-3:]}abc",
        flow=FlowRef(id=flow.id, version=flow.version, content_hash=flow.content_hash),
        pupil=pupil,
        group="2B",
        created_by=MENTOR,
        created_at=AT,
        updated_at=AT,
        answers={
            "vermoeden": Answer(value="ja", justification=f"Vermoeden {marker}", by=MENTOR, at=AT),
            "veiligheid": Answer(value="ja", meldnormen=["acuut"], by=MENTOR, at=AT),
            "hulp_aanbieden": Answer(value="nee", by=MENTOR, at=AT),
            "resultaat": Answer(value="ja", by=MENTOR, at=AT),
        },
        steps={
            "signalen": StepRecord(
                values={
                    "vermoeden_medewerker": "nee",
                    "signalen": [
                        {
                            "datum": "2026-11-12",
                            "feiten": f"Feit {marker}",
                            "waarnemer": "Gymdocent",
                            "bron": "eigen_waarneming",
                            "interpretatie": f"Interpretatie {marker}",
                        },
                        {
                            "datum": "2026-11-05",
                            "feiten": f"Eerder feit {marker}",
                            "bron": "verteld_door_leerling",
                            "categorie": "gedrag",
                        },
                    ],
                    "vormen": ["verwaarlozing", "huwelijksdwang"],
                    "eigen_woorden": f"Woorden {marker}",
                    "andere_kinderen": "ja",
                    "andere_kinderen_wie": f"Broer {marker}",
                },
                notes=f"Notitie {marker}",
                updated_by=MENTOR,
                updated_at=AT,
            ),
            "consultatie": StepRecord(
                values={
                    "geconsulteerd": [
                        {
                            "naam": "Collega Verzonnen",
                            "functie": "anders",
                            "functie_anders": f"Functie {marker}",
                            "advies": f"Advies {marker}",
                        }
                    ],
                    "vt_geraadpleegd": "ja",
                    "vt_wijze": "anoniem",
                    "vt_contactpersoon": f"Contact {marker}",
                    "vt_advies": f"VT-advies {marker}",
                }
            ),
            "gesprek": StepRecord(
                values={
                    "gesprek_gevoerd": "afgezien",
                    "reden_afzien": "veiligheid",
                    "vt_overleg_datum": "2026-11-15",
                    "vt_overleg_advies": f"Overleg {marker}",
                }
            ),
            "besluiten": StepRecord(values={"regie": f"Regie {marker}"}),
        },
        decisions={
            "melden": Decision(
                value=True, reason=f"Reden melden {marker}", checked=["acuut"], by=TEAMLEIDER, at=AT
            ),
            "hulp": Decision(value=False, reason=f"Reden hulp {marker}", by=TEAMLEIDER, at=AT),
        },
        aftercare=[
            AftercareItem(id="evaluatie", due=date(2026, 12, 1), who="Zorgcoördinator"),
            AftercareItem(id="leerlingdossier", status=AftercareStatus.GEDAAN, note="In Magister"),
        ],
    )


def test_markdown_holds_each_steps_facts_and_both_decisions(flow: Flow) -> None:
    text = export_case(make_case(flow, "Leerling-042", "ALFA"), flow, "md")
    for expected in [
        "Leerling-042",
        "Feit ALFA",
        "Interpretatie ALFA",
        "12-11-2026",
        "Eigen waarneming",
        "Vormen van geweld of mishandeling:** Verwaarlozing; Huwelijksdwang",
        "Raadpleeg altijd eerst Veilig Thuis (0800-2000).",
        "Woorden ALFA",
        "Zijn er andere kinderen in het gezin, ook op andere scholen?** Ja",
        "Broer ALFA",
        "- **Functie:** Anders\n- **Andere functie:** Functie ALFA",
        "Anoniem (zonder naam van de leerling)",
        "Contact ALFA",
        "Notitie ALFA",
        "VT-advies ALFA",
        "Overleg ALFA",
        "Vermoeden ALFA",
        "Bij een vermoeden van acute onveiligheid",
        "Ja, melden bij Veilig Thuis",
        "Reden melden ALFA",
        "Nee, geen hulp inzetten",
        "Reden hulp ALFA",
        "Regie ALFA",
        "uiterlijk 01-12-2026",
        "versie 1.2",
    ]:
        assert expected in text, expected
    for step in flow.steps:
        assert step.title in text


def test_fields_hidden_by_their_condition_are_not_exported(flow: Flow) -> None:
    text = export_case(make_case(flow, "Leerling-042", "ALFA"), flow, "txt")
    assert "14-11-2026" not in text
    assert "15-11-2026" in text


def test_answers_off_the_path_are_marked_not_counted(flow: Flow) -> None:
    text = export_case(make_case(flow, "Leerling-042", "ALFA"), flow, "txt")
    counted, _, off_path = text.partition("niet meer meetellen")
    assert "Leidt de hulp binnen de gewenste termijn" in off_path
    assert "Leidt de hulp binnen de gewenste termijn" not in counted


def test_unticked_candidates_are_exported_as_candidates_not_as_meldnormen(flow: Flow) -> None:
    case = make_case(flow, "Leerling-042", "ALFA")
    case.answers["veiligheid"] = Answer(value="ja", by=MENTOR, at=AT)
    text = export_case(case, flow, "txt")
    weighing = text.partition("Stap 4")[2].partition("Stap 5")[0]
    assert "Meldnormen volgens de afweging" not in weighing
    assert (
        "Mogelijke meldnormen (niet aangevinkt): Bij een vermoeden van acute onveiligheid; "
        "Bij een vermoeden van structurele onveiligheid"
    ) in weighing


def test_the_record_names_status_and_decisions_in_the_flows_words(flow: Flow) -> None:
    case = make_case(flow, "Leerling-042", "ALFA")
    case.status = Status.GEMELD
    text = export_case(case, flow, "txt")
    assert "Status: gemeld bij Veilig Thuis" in text
    assert "Klas/groep: 2B" in text
    assert "Besluit 2: hulpverlening inzetten / voortzetten: Nee, geen hulp inzetten" in text


def test_twijfel_exports_the_veilig_thuis_number_from_the_flow(flow: Flow) -> None:
    case = make_case(flow, "Leerling-042", "ALFA")
    case.answers["veiligheid"] = Answer(value="twijfel", by=MENTOR, at=AT)
    text = export_case(case, flow, "txt")
    assert "Afweging: nog niet afgerond" in text
    assert "Veilig Thuis raadplegen: ja (0800-2000)" in text


def test_export_holds_no_field_of_another_case(flow: Flow) -> None:
    make_case(flow, "Leerling-099", "BRAVO")
    text = export_case(make_case(flow, "Leerling-042", "ALFA"), flow, "md")
    assert "BRAVO" not in text
    assert "Leerling-099" not in text


def test_step_summary_is_short_plain_text_for_one_step(flow: Flow) -> None:
    summary = step_summary(make_case(flow, "Leerling-042", "ALFA"), flow, "signalen")
    assert summary.startswith("Stap 1 — Signalen in kaart brengen (Leerling-042)")
    assert "Feit ALFA" in summary
    assert "Reden melden" not in summary
    assert "**" not in summary


def closed_case(flow: Flow) -> Case:
    """The ALFA case with a timeline, closed by the zorgcoördinator."""
    case = make_case(flow, "Leerling-042", "ALFA")
    later = datetime(2026, 12, 2, 14, 5, tzinfo=UTC)
    case.events = [
        Event(at=AT, by=MENTOR, action="create", detail=flow.version),
        Event(at=AT, by=MENTOR, action="value", target="signalen.signalen"),
        Event(at=AT, by=TEAMLEIDER, action="decision", target="melden", detail="ja"),
        Event(at=AT, by=TEAMLEIDER, action="decision", target="hulp", detail="nee"),
        Event(at=later, by=ZORG, action="close", detail="2028-12-02", note="Afgerond ALFA"),
    ]
    case.status = Status.GESLOTEN
    case.status_reason = "Afgerond ALFA"
    case.retain_until = date(2028, 12, 2)
    return case


EXPORTED = Exported(at=datetime(2026, 12, 3, 8, 15, tzinfo=UTC), by=ZORG)


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_export_matches_golden_file(flow: Flow, fmt: str) -> None:
    text = export_case(
        closed_case(flow),
        flow,
        fmt,  # type: ignore[arg-type]
        exported=EXPORTED,
        school="Voorbeeldschool De Verzonnen Linde",
    )
    golden = GOLDEN / f"export.{fmt}"
    if os.environ.get("MELDCODE_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_markdown_export_shows_case_text_literally(flow: Flow) -> None:
    case = make_case(flow, "Leerling_**042**", "ALFA")
    case.steps["gesprek"].notes = "Vader zei: **nooit** meer\n- geen lijst\n10. geen nummer"
    text = export_case(case, flow, "md")
    assert "Leerling\\_\\*\\*042\\*\\*" in text
    assert "\\*\\*nooit\\*\\*" in text
    assert "\n  \\- geen lijst" in text or "\\- geen lijst" in text
    assert "10\\. geen nummer" in text
    assert "**nooit**" not in text
    plain = export_case(case, flow, "txt")
    assert "**nooit**" in plain


@pytest.mark.parametrize("pupil", ["*x*", "# y", "[a](b)"])
def test_markdown_keeps_a_pupil_reference_literal(flow: Flow, pupil: str) -> None:
    case = closed_case(flow)
    case.pupil = pupil
    case.steps["signalen"].values["signalen"][0]["waarnemer"] = pupil  # type: ignore[index]
    text = export_case(case, flow, "md", exported=EXPORTED)
    escaped = {"*x*": "\\*x\\*", "# y": "\\# y", "[a](b)": "\\[a\\](b)"}[pupil]
    assert f"# Meldcode — {escaped}\n" in text
    assert f"- **Leerling (pseudoniem of leerlingnummer):** {escaped}\n" in text
    assert f"- **Door wie:** {escaped}\n" in text
    assert pupil not in text.replace(escaped, "")


def _hints(flow: Flow) -> set[str]:
    """Every screen hint of the flow: the `help` of fields, their parts and their options."""
    hints: set[str] = set()
    for step in flow.steps:
        fields = [*step.fields, *(sub for f in step.fields for sub in f.fields)]
        for question in step.questions:
            hints.add(question.help)
            for option in question.options:
                hints.add(option.help)
                fields.extend(option.fields)
        for field in fields:
            hints.add(field.help)
            hints.update(option.help for option in field.options)
    return {hint for hint in hints if hint}


def test_no_screen_hint_reaches_the_export(flow: Flow) -> None:
    from meldcode_tui.demo.seed import demo_cases

    hints = _hints(flow)
    assert "Optioneel." in hints and len(hints) > 20
    for case in [closed_case(flow), *demo_cases(flow, date(2026, 11, 20))]:
        for fmt in ("md", "txt"):
            text = export_case(case, flow, fmt, exported=EXPORTED)  # type: ignore[arg-type]
            assert "(optioneel)" not in text.lower()
            assert "vink aan" not in text.lower()
            leaked = [hint for hint in hints if hint in text]
            assert leaked == [], (case.pupil, fmt, leaked)


def test_plain_text_has_no_markdown_and_signals_in_date_order(flow: Flow) -> None:
    text = export_case(closed_case(flow), flow, "txt", exported=EXPORTED)
    assert "**" not in text and "\n#" not in text and "\n- **" not in text
    assert text.index("Eerder feit ALFA") < text.index("Feit ALFA\n")
    assert "\n     Interpretatie (apart van de feiten): Interpretatie ALFA\n" in text
    assert "\n     Wat is gezien of gehoord (feiten): Feit ALFA\n" in text


def test_a_closed_case_names_who_closed_it_and_the_timeline_is_an_appendix(flow: Flow) -> None:
    text = export_case(closed_case(flow), flow, "txt", exported=EXPORTED, school="School X")
    assert "Gesloten door: Zorgcoördinator Denkbeeld (zorgcoördinator), 02-12-2026 15:05\n" in text
    assert (
        "Geëxporteerd: 03-12-2026 09:15 door Zorgcoördinator Denkbeeld (zorgcoördinator)\n" in text
    )
    appendix = text.partition("Bijlage — Tijdlijn\n")[2]
    assert appendix.startswith("------------------\n\n20-11-2026 10:30 — Mentor Fictief (mentor)")
    closed = "02-12-2026 15:05 — Zorgcoördinator Denkbeeld (zorgcoördinator) — Zaak gesloten"
    assert f"{closed}, bewaren tot 02-12-2028." in appendix
    assert "Gesloten door" not in export_case(make_case(flow, "Leerling-042", "ALFA"), flow, "txt")
