"""Flow 1.2 in the wizard (issue 13): what stap 1-3 and the besluiten now record — entered with
the keyboard, saved to disk, shown again on resume, in the review (overview and timeline) and in
the export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import STEP_1, STEP_2, STEP_3, CaseWriter
from driver import (
    SIZE,
    choose,
    choose_option,
    entry_field,
    field,
    fill_text,
    new_case,
    next_,
    read_case,
    ready,
    step_screen,
    type_text,
)
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, Static, TabbedContent, TextArea

from meldcode_tui.case.export import export_case
from meldcode_tui.case.model import Actor
from meldcode_tui.case.store import CaseStore
from meldcode_tui.casework.work import CaseWork
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.app import MeldcodeApp, make_app
from meldcode_tui.tui.fields.base import FieldWidget
from meldcode_tui.tui.fields.choicelist import ChoiceList
from meldcode_tui.tui.screens.review import ReviewScreen
from meldcode_tui.tui.widgets.status import ReadOnlyBanner

FLOW = load_flow(default_flow_path())
FLOW_11 = Path(__file__).parents[1] / "unit_tests" / "flow_fixtures" / "meldcode-school-1.1.yaml"
VT_FIRST = "Raadpleeg altijd eerst Veilig Thuis (0800-2000)."


def warning_of(widget: FieldWidget) -> Static:
    return widget.query_one(".option-warning", Static)


def shown(widget: Static) -> str:
    return str(widget.content) if widget.display and widget.has_class("-visible") else ""


async def tick(pilot: Pilot[Any], widget: FieldWidget, option_id: str) -> None:
    box = next(b for b in widget.query(Checkbox) if b.name == option_id)
    box.focus()
    await pilot.pause()
    await pilot.press("space")
    await pilot.pause()


async def resume(pilot: Pilot[Any]) -> None:
    """Open the only case from home, as a user does the next day."""
    await ready(pilot)
    pilot.app.screen.query_one("#case-table").focus()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


async def review_texts(pilot: Pilot[Any], case_id: str) -> tuple[str, str]:
    """The review's overview text and its timeline text."""
    app = pilot.app
    assert isinstance(app, MeldcodeApp)
    await app.show_review(case_id)
    await pilot.pause()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    overview = str(screen.query_one("#review-text", Static).content)
    screen.query_one("#review-tabs", TabbedContent).active = "review-timeline"
    await pilot.pause()
    timeline = "\n".join(row.what for row in screen.timeline())
    return overview, timeline


def exported(data_dir: Path, case_id: str) -> str:
    return export_case(CaseStore(data_dir).load(case_id), FLOW, "md")


async def test_stap_1_records_the_staff_route_forms_of_abuse_own_words_and_kindcheck(
    data_dir: Path,
) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await new_case(pilot)
        assert step_screen(pilot).step.id == "signalen"
        staff = field(pilot, "vermoeden_medewerker")
        assert not field(pilot, "medewerker_bevoegd_gezag").display
        await choose_option(pilot, staff, "ja")
        assert "0900-111 3 111" in shown(warning_of(staff))
        assert "aangifte" in shown(warning_of(staff))
        await fill_text(
            pilot,
            field(pilot, "medewerker_bevoegd_gezag").query_one(Input),
            "Directeur Verzonnen, 2 maart",
        )
        await fill_text(
            pilot,
            field(pilot, "medewerker_vertrouwensinspecteur").query_one(Input),
            "Inspecteur Fictief, 3 maart",
        )
        forms = field(pilot, "vormen")
        await tick(pilot, forms, "psychisch")
        assert shown(warning_of(forms)) == ""
        await tick(pilot, forms, "huwelijksdwang")
        assert shown(warning_of(forms)) == VT_FIRST
        await fill_text(
            pilot, field(pilot, "eigen_woorden").query_one(TextArea), '"Ik moet trouwen."'
        )
        await choose_option(pilot, field(pilot, "andere_kinderen"), "ja")
        await fill_text(
            pilot, field(pilot, "andere_kinderen_wie").query_one(TextArea), "Zus (8), school Z"
        )
        await pilot.press("ctrl+q")

    case = read_case(data_dir)
    values = case["steps"]["signalen"]["values"]
    assert values["vermoeden_medewerker"] == "ja"
    assert values["medewerker_bevoegd_gezag"] == "Directeur Verzonnen, 2 maart"
    assert values["medewerker_vertrouwensinspecteur"] == "Inspecteur Fictief, 3 maart"
    assert values["vormen"] == ["psychisch", "huwelijksdwang"]
    assert values["eigen_woorden"] == '"Ik moet trouwen."'
    assert (values["andere_kinderen"], values["andere_kinderen_wie"]) == ("ja", "Zus (8), school Z")
    assert all(event["by"]["name"] == "Mentor Jansen" for event in case["events"])

    again = make_app(data_dir=data_dir)
    async with again.run_test(size=SIZE) as pilot:
        await resume(pilot)
        assert step_screen(pilot).step.id == "signalen"
        assert "0900-111 3 111" in shown(warning_of(field(pilot, "vermoeden_medewerker")))
        assert shown(warning_of(field(pilot, "vormen"))) == VT_FIRST
        assert field(pilot, "andere_kinderen_wie").query_one(TextArea).text == "Zus (8), school Z"
        overview, timeline = await review_texts(pilot, case["id"])
    for text in (
        "Gaat het om een vermoeden tegen een medewerker van school? Ja, het vermoeden gaat over",
        "Overleg met de vertrouwensinspecteur (met wie, wanneer): Inspecteur Fictief, 3 maart",
        "Vormen van geweld of mishandeling: Psychische mishandeling; Huwelijksdwang",
        f"Let op: {VT_FIRST}",
        'Woorden van de leerling (letterlijk): "Ik moet trouwen."',
        "Welke andere kinderen (leeftijd, school of opvang): Zus (8), school Z",
    ):
        assert text in overview, text
    assert "Stap 1 — Vormen van geweld of mishandeling" in timeline
    assert "Stap 1 — Zijn er andere kinderen in het gezin" in timeline
    document = exported(data_dir, case["id"])
    assert "Huwelijksdwang" in document and "Zus (8), school Z" in document
    assert "Vink aan" not in document and "Beantwoord dit eerst" not in document


async def test_stap_2_and_3_record_roles_veilig_thuis_and_gesprekken_with_interpreter(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(steps={"signalen": STEP_1}, position=("consultatie", ""))
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert step_screen(pilot).step.id == "consultatie"
        consulted = field(pilot, "geconsulteerd")
        consulted.query_one(".entry-add", Button).focus()
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "Collega Verzonnen")
        other = entry_field(consulted, 1, "functie_anders")
        assert not other.display
        await choose_option(pilot, entry_field(consulted, 1, "functie"), "anders")
        assert other.display
        await fill_text(pilot, other.query_one(Input), "Remedial teacher")
        await choose_option(pilot, field(pilot, "vt_geraadpleegd"), "ja")
        await choose_option(pilot, field(pilot, "vt_wijze"), "anoniem")
        await fill_text(
            pilot, field(pilot, "vt_contactpersoon").query_one(Input), "Mevrouw Bedacht"
        )
        await next_(pilot)

        assert step_screen(pilot).step.id == "gesprek"
        await choose_option(pilot, field(pilot, "gesprek_gevoerd"), "ja")
        talks = field(pilot, "gesprekken")
        talks.query_one(".entry-add", Button).focus()
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "01-03-2026")
        await fill_text(pilot, entry_field(talks, 1, "door").query_one(Input), "Mentor Jansen")
        await fill_text(
            pilot, entry_field(talks, 1, "tweede_medewerker").query_one(Input), "Teamleider B"
        )
        await choose_option(pilot, entry_field(talks, 1, "met_wie"), "afzonderlijk")
        await fill_text(
            pilot, entry_field(talks, 1, "reactie").query_one(TextArea), "Moeder schrok"
        )
        await fill_text(
            pilot, entry_field(talks, 1, "afspraken").query_one(TextArea), "Volgende week weer"
        )
        interpreter = entry_field(talks, 1, "tolk_wie")
        assert not interpreter.display
        await choose_option(pilot, entry_field(talks, 1, "tolk"), "ja")
        assert interpreter.display
        assert (
            "Gesprekken 1: Tolk (naam, taal)"
            in step_screen(pilot).open_case.state.missing["gesprek"]
        )
        await fill_text(pilot, interpreter.query_one(Input), "Tolk Fictief, Arabisch")
        await pilot.press("ctrl+q")

    values = read_case(data_dir, case_id)["steps"]
    assert values["consultatie"]["values"]["geconsulteerd"][0] == {
        "naam": "Collega Verzonnen",
        "functie": "anders",
        "functie_anders": "Remedial teacher",
        "datum": "",
        "advies": "",
    }
    assert values["consultatie"]["values"]["vt_wijze"] == "anoniem"
    assert values["consultatie"]["values"]["vt_contactpersoon"] == "Mevrouw Bedacht"
    [talk] = values["gesprek"]["values"]["gesprekken"]
    assert talk["datum"] == "2026-03-01"
    assert (talk["met_wie"], talk["tolk"], talk["tolk_wie"]) == (
        "afzonderlijk",
        "ja",
        "Tolk Fictief, Arabisch",
    )

    again = make_app(data_dir=data_dir, case_id=case_id)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert step_screen(pilot).step.id == "gesprek"
        talks = field(pilot, "gesprekken")
        assert entry_field(talks, 1, "tolk_wie").display
        assert step_screen(pilot).open_case.state.missing["gesprek"] == []
        overview, timeline = await review_texts(pilot, case_id)
    for text in (
        "Functie: Anders\n     Andere functie: Remedial teacher",
        "Anoniem of op naam: Anoniem (zonder naam van de leerling)",
        "Contactpersoon bij Veilig Thuis: Mevrouw Bedacht",
        "Met wie: Met ouders en leerling afzonderlijk",
        "Reactie van ouders en/of leerling: Moeder schrok",
        "Tolk (naam, taal): Tolk Fictief, Arabisch",
    ):
        assert text in overview, text
    assert "Stap 3 — Gesprekken" in timeline
    document = exported(data_dir, case_id)
    assert "Remedial teacher" in document and "Tolk Fictief, Arabisch" in document


async def test_a_mentor_deciding_sees_who_decides_and_records_a_reason(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        answers={"vermoeden": "ja", "veiligheid": "nee", "hulp_aanbieden": "ja"},
        position=("besluiten", ""),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert step_screen(pilot).step.id == "besluiten"
        hulp = field(pilot, "besluit_hulp")
        warning = hulp.query_one(".decision-decider", Static)
        assert "teamleider of de OT-medewerker" in str(warning.content)
        await choose(pilot, hulp.query_one(ChoiceList), 1)
        label = "Besluit 2: hulpverlening inzetten / voortzetten: Onderbouwing"
        assert label in step_screen(pilot).open_case.state.missing["besluiten"]
        await fill_text(pilot, hulp.query_one(TextArea), "Teamleider is ziek")
        assert label not in step_screen(pilot).open_case.state.missing["besluiten"]
        await pilot.press("ctrl+q")
    decision = read_case(data_dir, case_id)["decisions"]["hulp"]
    assert (decision["value"], decision["reason"]) == (False, "Teamleider is ziek")
    assert decision["by"] == {"name": "Mentor Jansen", "role": "mentor"}
    document = exported(data_dir, case_id)
    assert "besloten in een andere rol dan het protocol noemt" in document
    assert "Teamleider is ziek" in document


async def test_a_case_of_flow_1_1_opens_read_only_and_shows_every_old_value(
    data_dir: Path, known_user: None
) -> None:
    old_flow = load_flow(FLOW_11)
    work = CaseWork.create(
        CaseStore(data_dir), old_flow, pupil="Leerling Oud", actor=Actor(name="Mentor Oud")
    )
    work.set_value("gesprek", "gesprek_gevoerd", "ja")
    work.set_value("gesprek", "datum", "2026-02-20")
    work.set_value("gesprek", "met_wie", "samen")
    work.set_value("gesprek", "besproken", "Oud gesprek")
    work.move("gesprek")
    work.release()
    before = read_case(data_dir, work.case_id)
    app = make_app(data_dir=data_dir, case_id=work.case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = step_screen(pilot)
        assert screen.step.id == "gesprek"
        assert "protocol" in str(screen.query_one(ReadOnlyBanner).content)
        assert field(pilot, "besproken").query_one(TextArea).text == "Oud gesprek"
        await pilot.press("ctrl+q")
        await pilot.pause()
    again = make_app(data_dir=data_dir)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        overview, _ = await review_texts(pilot, work.case_id)
    assert "begonnen met versie 1.1" in overview
    assert "Waarden die deze versie van het protocol niet (meer) kent:" in overview
    assert "datum: 2026-02-20" in overview and "met_wie: samen" in overview
    assert read_case(data_dir, work.case_id)["steps"] == before["steps"]


async def test_after_f3_to_teamleider_the_besluiten_no_longer_warn(
    data_dir: Path, write_case: CaseWriter, known_user: None
) -> None:
    case_id = write_case(
        steps={"signalen": STEP_1, "consultatie": STEP_2, "gesprek": STEP_3},
        answers={"vermoeden": "ja", "veiligheid": "nee", "hulp_aanbieden": "ja"},
        position=("besluiten", ""),
    )
    app = make_app(data_dir=data_dir, case_id=case_id)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert field(pilot, "besluit_melden").query(".decision-decider")
        await pilot.press("f3")
        await pilot.pause()
        roles = app.screen.query_one("#actor-roles", ChoiceList)
        await choose(pilot, roles, roles.labels.index("Teamleider"))
        await pilot.pause()
        app.show_step("gesprek")  # as a click on the stepper
        await pilot.pause()
        app.show_step("besluiten")
        await pilot.pause()
        await pilot.pause()
        assert step_screen(pilot).step.id == "besluiten"
        assert not field(pilot, "besluit_melden").query(".decision-decider")
