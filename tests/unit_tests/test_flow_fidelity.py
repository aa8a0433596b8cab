"""The bundled flow says what the official Meldcode and the school's protocol say.

Where the school's seed differs from the official afwegingskader (2019) the official text wins
and the seed's extras are kept (DESIGN.md §1). These tests read the flow file's data, not the
screens: headings, the wording of the questions, the form of address, and which texts may reach
the record and the export.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from meldcode_tui.flow.model import FieldKind, Flow, FormField
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(default_flow_path())


def strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text of the flow file with the key that holds it."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, f"{path}[{index}]")
    elif isinstance(node, str):
        yield path, node


@pytest.fixture(scope="module")
def texts() -> list[tuple[str, str]]:
    return list(strings(yaml.safe_load(default_flow_path().read_bytes())))


def test_the_weighing_uses_the_official_headings(flow: Flow) -> None:
    assert [q.title for q in flow.questions()] == [
        "Vermoeden",
        "Veiligheid",
        "Zelf hulp bieden of organiseren",
        "Aanvaarden van hulp",
        "Gewenst resultaat",
    ]


def test_no_question_carries_a_number_or_the_seeds_shorthand(texts: list[tuple[str, str]]) -> None:
    for place, text in texts:
        assert "Weigering hulp" not in text, place
        assert not re.search(r"Afweging \d", text), place


@pytest.mark.parametrize(
    ("question", "text"),
    [
        (
            "vermoeden",
            "Is er, op basis van de stappen 1 t/m 3, een vermoeden van (dreiging van) huiselijk "
            "geweld en/of kindermishandeling?",
        ),
        (
            "veiligheid",
            "Is er op basis van de stappen 1 t/m 3 sprake van acute en/of structurele "
            "onveiligheid?",
        ),
        (
            "hulp_aanbieden",
            "Is de school in staat om effectieve hulp te bieden of te organiseren, gericht op het "
            "afwenden van het (risico op) huiselijk geweld en/of kindermishandeling?",
        ),
        (
            "hulp_aanvaard",
            "Aanvaarden de betrokkenen de hulp en zijn zij bereid zich in te zetten?",
        ),
        (
            "resultaat",
            "Leidt de hulp binnen de gewenste termijn tot de noodzakelijke veiligheid en/of het "
            "welzijn van alle betrokkenen?",
        ),
    ],
)
def test_each_question_has_the_official_wording(flow: Flow, question: str, text: str) -> None:
    found = flow.question(question)
    assert found is not None
    assert found.text == text


def test_the_reader_is_addressed_with_je(texts: list[tuple[str, str]]) -> None:
    formal = re.compile(r"\b(u|uw|U|Uw)\b")
    assert [(place, text) for place, text in texts if formal.search(text)] == []


def test_the_ot_medewerker_is_named_in_full(flow: Flow, texts: list[tuple[str, str]]) -> None:
    assert all("OT medewerker" not in text for _, text in texts)
    for step_id in ("consultatie", "gesprek", "afweging", "besluiten"):
        step = flow.step(step_id)
        assert step is not None
        assert "OT-medewerker (ondersteuningsteam)" in step.who, step_id


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [
        ("Hulpverleners of organiseren", "Hulp verlenen of organiseren"),
        ("biedt passende hulp", "bied passende hulp"),
        ("open staan", "openstaan"),
    ],
)
def test_the_seeds_typos_are_corrected(texts: list[tuple[str, str]], typo: str, fixed: str) -> None:
    joined = " ".join(" ".join(text.split()) for _, text in texts)
    assert typo not in joined
    assert fixed in joined


def _recorded_fields(fields: list[FormField]) -> Iterator[FormField]:
    for field in fields:
        yield field
        yield from _recorded_fields(field.fields)


def test_screen_hints_stay_out_of_what_reaches_the_record(flow: Flow) -> None:
    """Labels, option labels and advice texts are exported; hints belong in `help`."""
    recorded: list[str] = []
    for step in flow.steps:
        for field in _recorded_fields(step.fields):
            recorded += [field.label, *(o.label for o in field.options)]
        for question in step.questions:
            recorded.append(question.text)
            for option in question.options:
                recorded += [option.label, option.advice]
                recorded += [f.label for f in _recorded_fields(option.fields)]
    hints = re.compile(r"optioneel|vink aan", re.IGNORECASE)
    assert [text for text in recorded if hints.search(text)] == []


def test_geen_effectieve_hulp_is_a_meldnorm_with_the_official_text(flow: Flow) -> None:
    norm = flow.meldnorm("geen_effectieve_hulp")
    assert norm is not None
    assert norm.label == "De school kan zelf onvoldoende effectieve hulp bieden of organiseren"
    besluit = flow.step("besluiten")
    assert besluit is not None
    assert "onvoldoende effectieve hulp" in besluit.guidance


def test_veiligheid_ja_asks_to_choose_between_defined_norms(flow: Flow) -> None:
    question = flow.question("veiligheid")
    assert question is not None
    ja = question.option("ja")
    assert ja is not None
    assert ja.effect.choose_meldnormen
    assert ja.effect.meldnormen == ["acuut", "structureel"]
    for norm_id, word in (("acuut", "Acute onveiligheid"), ("structureel", "Structurele")):
        norm = flow.meldnorm(norm_id)
        assert norm is not None
        assert norm.definition.startswith(word)


def test_vermoeden_nee_offers_to_close_without_step_5(flow: Flow) -> None:
    question = flow.question("vermoeden")
    assert question is not None
    nee = question.option("nee")
    assert nee is not None and nee.close is not None
    assert nee.close.label == "Afsluiten en vastleggen"
    assert nee.close.reason_label
    assert nee.close.skips == ["besluiten"]


def test_nog_onbekend_records_the_evaluation_date_of_the_evalueren_item(flow: Flow) -> None:
    question = flow.question("resultaat")
    assert question is not None
    waiting = question.option("nog_onbekend")
    assert waiting is not None
    [date_field] = waiting.fields
    assert date_field.kind is FieldKind.DATE
    assert date_field.required
    assert date_field.sets_due == "evaluatie"
    items = {item.id: item.label for item in flow.aftercare_items()}
    assert items["evaluatie"] == "Evalueren"


NAZORG_TEXTS = [
    (
        "De school krijgt niet altijd te horen wat er gebeurd is. Dan is het de "
        "verantwoordelijkheid van de zorgcoördinator of van de directeur om die informatie te "
        "verkrijgen. Niet over de specifieke therapie die ouders aangeboden krijgen, maar wel "
        "dát er hulp in het gezin is gekomen en eventuele contactgegevens van hulpverlenende "
        "instanties"
    ),
    (
        "Na afloop wordt nagevraagd of het gezin op de juiste plek is aangekomen en of de "
        "geboden hulpverlening voldoende is"
    ),
    (
        "Er wordt een goede terugkoppeling gedaan naar degene die als eerste de zorgen gemeld "
        "heeft (bijv. de klassenassistent, conciërge, mentor of leerkracht)"
    ),
    ("Alle stappen die gezet worden zijn goed vastgelegd in het leerlingdossier"),
    (
        "Als blijkt dat het gezin het advies van de verwijzing niet heeft opgevolgd en de "
        "problemen bestaan nog steeds, dan wordt het stappenplan opnieuw uitgevoerd. De "
        "zorgcoördinator overlegt met het interne zorgteam om af te spreken wie met de ouders "
        "en/of het kind (opnieuw) het gesprek gaat voeren"
    ),
    (
        "Zodra er signalen zijn dat de hulpverlening niet goed functioneert, bijvoorbeeld "
        "doordat de hulpverlening voortijdig door de ouders, het kind of de hulpverlening "
        "gestopt is of door verhuizing van het gezin, probeert de zorgcoördinator samen met "
        "de instantie waarnaar verwezen is de hulpverlening weer tot stand te brengen. Indien "
        "dit niet lukt, wordt het stappenplan opnieuw uitgevoerd. Er wordt advies of consult "
        "gevraagd aan Veilig Thuis, waarbij aangegeven wordt waarop de hulpverlening is "
        "gestrand"
    ),
    (
        "Bij verhuizing van een leerling (over wie bij de school zorgen/vermoedens bestaan "
        "van kindermishandeling) wordt contact opgenomen met de nieuwe school van het kind. "
        "Met de zorgcoördinator van de nieuwe school worden de zorgen besproken. Het "
        "stappenplan van het protocol wordt binnen de nieuwe school opnieuw in werking gezet"
    ),
    (
        "Veilig Thuis hoort altijd terug te koppelen aan de melder wat er met de melding "
        "gebeurd is. Mocht dit terugkoppelen te lang duren, dan belt de zorgcoördinator zelf "
        "naar Veilig Thuis om actief te informeren naar de stand van zaken betreffende de "
        "melding en de eventuele hulpverlening die op gang gebracht is"
    ),
]
"""Seed 003 (the school's nazorg), after the first point (evaluating, the step's guidance)."""


@pytest.mark.parametrize("text", NAZORG_TEXTS)
def test_every_nazorg_item_carries_the_protocols_full_text(flow: Flow, text: str) -> None:
    shown = [" ".join(o.help.split()) for o in flow.aftercare_items()]
    assert any(text in help_text for help_text in shown)
