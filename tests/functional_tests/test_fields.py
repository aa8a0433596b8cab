"""Pilot tests of the form widgets: each field kind, StepForm and the step-4 QuestionView."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any, ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Static, TextArea

from meldcode_tui.case.model import Actor, Answer, Decision
from meldcode_tui.flow.engine import Advice
from meldcode_tui.flow.model import FieldKind, Flow, FormField, Option
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.fields import (
    FIELDS_CSS_PATH,
    FieldContext,
    FieldWidget,
    QuestionView,
    StepForm,
    make_field,
)
from meldcode_tui.tui.fields.choicelist import ChoiceList
from meldcode_tui.tui.fields.date import INVALID_DATE, parse_date
from meldcode_tui.tui.fields.entries import EntriesField
from meldcode_tui.tui.fields.question import QuestionHeading
from meldcode_tui.tui.fields.registry import FIELD_WIDGETS
from meldcode_tui.tui.screens.review_dialogs import ConfirmDialog

FLOW: Flow = load_flow(default_flow_path())
SIZE = (80, 24)


class Host(App[None]):
    """Hosts one widget and records what it posts."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [FIELDS_CSS_PATH]

    def __init__(self, make: Callable[[], Widget]) -> None:
        super().__init__()
        self._make = make
        self.changes: list[tuple[str, Any]] = []
        self.answers: list[QuestionView.Answered] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield self._make()

    def on_field_widget_changed(self, event: FieldWidget.Changed) -> None:
        self.changes.append((event.field_id, event.value))

    def on_question_view_answered(self, event: QuestionView.Answered) -> None:
        self.answers.append(event)


def context(
    advice: Advice | None = None, read_only: bool = False, role: str = "teamleider"
) -> FieldContext:
    """A field's context; the person acting is a teamleider (who takes the besluiten)."""
    return FieldContext(FLOW, advice, read_only, actor_role=role)


def step_field(step_id: str, field_id: str) -> FormField:
    """A field of a step, or with "entries.sub" a sub-field of an entries field."""
    step = FLOW.step(step_id)
    assert step is not None
    parent, _, sub = field_id.partition(".")
    found = next(f for f in step.fields if f.id == parent)
    return next(f for f in found.fields if f.id == sub) if sub else found


STAFF = FormField(
    id="medewerkers",
    kind=FieldKind.ENTRIES,
    label="Medewerkers van school bij het gesprek",
    min_entries=2,
    min_entries_warning="Het protocol vraagt: voer het gesprek altijd met 2 medewerkers.",
    fields=[
        FormField(id="naam", kind=FieldKind.LINE, label="Naam", required=True),
        FormField(id="functie", kind=FieldKind.LINE, label="Functie"),
    ],
)
"""An entries field of two lines (the widget's behaviour does not depend on the flow's)."""


def staff_host(value: Any) -> Host:
    return Host(lambda: make_field(STAFF, value, context()))


def field_host(
    step_id: str, field_id: str, value: Any = None, advice: Advice | None = None
) -> Host:
    return Host(lambda: make_field(step_field(step_id, field_id), value, context(advice)))


def form_host(
    step_id: str,
    values: dict[str, Any] | None = None,
    decisions: dict[str, Any] | None = None,
    advice: Advice | None = None,
    read_only: bool = False,
    role: str = "teamleider",
) -> Host:
    step = FLOW.step(step_id)
    assert step is not None
    return Host(
        lambda: StepForm(step, values or {}, decisions or {}, context(advice, read_only, role))
    )


def question_host(question_id: str, answer: Any = None, read_only: bool = False) -> Host:
    question = FLOW.question(question_id)
    assert question is not None
    return Host(lambda: QuestionView(question, answer, context(read_only=read_only)))


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))
    await pilot.pause()


async def focus(pilot: Pilot[None], widget: Widget) -> None:
    widget.focus()
    await pilot.pause()


async def click(pilot: Pilot[None], widget: Widget) -> None:
    widget.scroll_visible(animate=False)
    await pilot.pause()
    assert await pilot.click(widget)
    await pilot.pause()


async def choose(pilot: Pilot[None], radio_set: ChoiceList, index: int) -> None:
    """Click option `index` with the mouse."""
    assert all(len(label) < radio_set.size.width - 2 for label in radio_set.labels)  # a line each
    radio_set.scroll_visible(animate=False)
    await pilot.pause()
    assert await pilot.click(radio_set, offset=(2, index))
    await pilot.pause()


def visible(widget: Widget) -> bool:
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


def drawn(widget: Widget) -> str:
    """The characters a widget puts on screen now."""
    lines = widget.render_lines(Region(0, 0, *widget.outer_size))
    return "\n".join(strip.text for strip in lines)


def text_of(widget: Static) -> str:
    return str(widget.content)


# --- the registry -------------------------------------------------------------------------------


def test_every_field_kind_has_a_widget() -> None:
    assert set(FIELD_WIDGETS) == set(FieldKind)


def test_every_flow_field_gets_its_kinds_widget() -> None:
    for step in FLOW.steps:
        for field in step.fields:
            assert isinstance(make_field(field, None, context()), FIELD_WIDGETS[field.kind])


# --- line and text ------------------------------------------------------------------------------


async def test_line_field_posts_the_typed_text() -> None:
    app = field_host("besluiten", "regie")
    async with app.run_test(size=SIZE) as pilot:
        await focus(pilot, app.query_one(Input))
        await type_text(pilot, "A. Jansen")
        assert app.changes[-1] == ("regie", "A. Jansen")
        assert app.query_one(FieldWidget).value == "A. Jansen"


async def test_stored_values_do_not_echo_as_changes() -> None:
    app = form_host(
        "consultatie",
        {
            "geconsulteerd": [{"naam": "B. Bakker", "functie": "mentor", "datum": "2025-03-05"}],
            "vt_geraadpleegd": "ja",
            "vt_datum": "2025-03-06",
            "vt_advice": "Gesprek voeren met ouders.",
            "jeugdagent": "nee",
        },
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.changes == []
        assert app.query_one("#field-vt_datum Input", Input).value == "06-03-2025"


async def test_text_field_posts_multi_line_text() -> None:
    app = field_host("besluiten", "andere_gezinsleden", "Broer")
    async with app.run_test(size=SIZE) as pilot:
        area = app.query_one(TextArea)
        await focus(pilot, area)
        await pilot.press("end")
        await type_text(pilot, " (12)")
        await pilot.press("enter")
        await type_text(pilot, "Zus")
        assert app.changes[-1] == ("andere_gezinsleden", "Broer (12)\nZus")


# --- date ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("05-03-2025", "2025-03-05"),
        ("5-3-2025", "2025-03-05"),
        ("05/03/2025", "2025-03-05"),
        ("2025-03-05", "2025-03-05"),
        (" 29-02-2024 ", "2024-02-29"),
        ("29-02-2025", None),
        ("32-01-2025", None),
        ("2025-13-01", None),
        ("gisteren", None),
        ("05-03-25", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    parsed = parse_date(text)
    assert (parsed.isoformat() if parsed else None) == iso


async def test_date_field_stores_iso_dates() -> None:
    app = field_host("gesprek", "gesprekken.datum")
    async with app.run_test(size=SIZE) as pilot:
        await focus(pilot, app.query_one(Input))
        await type_text(pilot, "05-03-2025")
        assert app.changes[-1] == ("datum", "2025-03-05")
        await pilot.press("ctrl+u")
        await type_text(pilot, "2025-04-01")
        assert app.changes[-1] == ("datum", "2025-04-01")


async def test_a_date_is_drawn_whole_typed_or_stored() -> None:
    """The input is wide enough for dd-mm-jjjj and the cursor after it: no digit scrolls away."""
    app = field_host("gesprek", "gesprekken.datum", "2026-11-20")
    async with app.run_test(size=SIZE) as pilot:
        date_input = app.query_one(Input)
        await pilot.pause()
        assert "20-11-2026" in drawn(date_input)
        await focus(pilot, date_input)
        await pilot.press("ctrl+u")
        await type_text(pilot, "25-11-2026")
        await pilot.press("tab")
        await pilot.pause()
        assert "25-11-2026" in drawn(date_input)


async def test_invalid_date_shows_a_message_and_posts_nothing() -> None:
    app = field_host("gesprek", "gesprekken.datum")
    async with app.run_test(size=SIZE) as pilot:
        field = app.query_one(FieldWidget)
        await focus(pilot, app.query_one(Input))
        await type_text(pilot, "31-02-2025")
        await pilot.press("tab")
        await pilot.pause()
        assert app.changes == []
        message = field.query_one(".field-message", Static)
        assert text_of(message) == INVALID_DATE
        assert message.has_class("-visible")
        await focus(pilot, app.query_one(Input))
        await pilot.press("ctrl+u")
        await type_text(pilot, "28-02-2025")
        assert app.changes == [("datum", "2025-02-28")]
        assert not message.has_class("-visible")


# --- choice, yesno, checklist -------------------------------------------------------------------


async def test_yesno_posts_ja_and_nee() -> None:
    app = field_host("consultatie", "vt_geraadpleegd")
    async with app.run_test(size=SIZE) as pilot:
        radio_set = app.query_one(ChoiceList)
        assert radio_set.labels == ["Ja", "Nee"]
        await focus(pilot, radio_set)
        await pilot.press("enter")
        assert app.changes[-1] == ("vt_geraadpleegd", "ja")
        await pilot.press("down", "space")
        assert app.changes[-1] == ("vt_geraadpleegd", "nee")
        await choose(pilot, radio_set, 0)
        assert [value for _, value in app.changes] == ["ja", "nee", "ja"]


async def test_choice_field_posts_the_option_id() -> None:
    app = field_host("gesprek", "gesprekken.met_wie", "leerling")
    async with app.run_test(size=SIZE) as pilot:
        radio_set = app.query_one(ChoiceList)
        assert radio_set.pressed_index == 1
        await choose(pilot, radio_set, 3)
        assert app.changes == [("met_wie", "afzonderlijk")]


async def test_a_long_option_wraps_under_its_label_not_under_the_mark() -> None:
    field = step_field("gesprek", "reden_afzien")
    longest = max((option.label for option in field.options), key=len)
    assert len(longest) > SIZE[0]
    app = field_host("gesprek", "reden_afzien")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        drawn_lines = drawn(app.query_one(ChoiceList)).splitlines()
        lines = [line.rstrip().replace("▊", " ", 1) for line in drawn_lines]  # the focus bar
        first = next(i for i, line in enumerate(lines) if longest.split()[0] in line)
        assert lines[first].lstrip().startswith("○ ")
        mark_column = lines[first].index("○")
        follow = lines[first + 1]
        assert follow[: mark_column + 2].strip() == ""
        assert follow[mark_column + 2] != " "
        shown = " ".join(line.strip() for line in lines[first : first + 2])
        assert shown.removeprefix("○ ").startswith(" ".join(longest.split()[:8]))


async def test_checklist_posts_the_ticked_ids() -> None:
    field = FormField(
        id="normen", kind=FieldKind.CHECKLIST, label="Welke normen", options_from="meldnormen"
    )
    app = Host(lambda: make_field(field, ["geen_hulp"], context()))
    async with app.run_test(size=SIZE) as pilot:
        boxes = list(app.query(Checkbox))
        assert len(boxes) == len(FLOW.meldnormen)
        assert [b.value for b in boxes] == [False, False, False, True, False, False]
        marks = [drawn(b).lstrip()[:3] for b in boxes]
        assert marks == ["▐ ▌", "▐ ▌", "▐ ▌", "▐X▌", "▐ ▌", "▐ ▌"]
        await focus(pilot, boxes[0])
        await pilot.press("space")
        assert app.changes[-1] == ("normen", ["acuut", "geen_hulp"])
        assert drawn(boxes[0]).lstrip()[:3] == "▐X▌"
        await click(pilot, boxes[3])
        assert app.changes[-1] == ("normen", ["acuut"])


async def test_checklist_of_own_options() -> None:
    field = FormField(
        id="afspraken",
        kind=FieldKind.CHECKLIST,
        label="Afspraken",
        required=True,
        options=[Option(id="a", label="Eerste"), Option(id="b", label="Tweede")],
    )
    app = Host(lambda: make_field(field, None, context()))
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(FieldWidget)
        assert widget.is_blank() and widget.missing() == ["Afspraken"]
        await click(pilot, list(app.query(Checkbox))[1])
        assert app.changes == [("afspraken", ["b"])]
        assert widget.missing() == []


# --- entries ------------------------------------------------------------------------------------


async def test_entries_add_edit_remove_post_the_whole_list_and_ask_before_removing() -> None:
    app = staff_host([{"naam": "J. de Vries", "functie": "mentor"}])
    async with app.run_test(size=SIZE) as pilot:
        entries = app.query_one(EntriesField)
        warning = entries.query_one(".field-message", Static)
        assert visible(warning) and "2 medewerkers" in text_of(warning)

        await click(pilot, entries.query_one(".entry-add", Button))
        assert len(entries.cards) == 2
        assert app.changes[-1] == (
            "medewerkers",
            [{"naam": "J. de Vries", "functie": "mentor"}, {"naam": "", "functie": ""}],
        )
        assert not visible(warning)
        assert app.focused is entries.cards[1].query_one(Input)

        await type_text(pilot, "K. Smit")
        assert app.changes[-1] == (
            "medewerkers",
            [{"naam": "J. de Vries", "functie": "mentor"}, {"naam": "K. Smit", "functie": ""}],
        )
        assert all(field_id == "medewerkers" for field_id, _ in app.changes)

        posted = len(app.changes)
        await click(pilot, entries.cards[0].query_one(".entry-remove", Button))
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert text_of(dialog.query_one(".dialog-title", Static)) == (
            "Medewerkers van school bij het gesprek: Nr. 1 verwijderen?"
        )
        await pilot.press("escape")
        await pilot.pause()
        assert len(entries.cards) == 2 and len(app.changes) == posted

        await click(pilot, entries.cards[0].query_one(".entry-remove", Button))
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert len(entries.cards) == 2, "Enter on the dialog as it opens keeps the entry"

        await click(pilot, entries.cards[0].query_one(".entry-remove", Button))
        await click(pilot, app.screen.query_one("#choice-ok", Button))
        assert app.changes[-1] == ("medewerkers", [{"naam": "K. Smit", "functie": ""}])
        assert entries.cards[0].border_title == "Nr. 1"
        assert visible(warning)

        await click(pilot, entries.query_one(".entry-add", Button))
        await click(pilot, entries.cards[1].query_one(".entry-remove", Button))
        assert not isinstance(app.screen, ConfirmDialog), "a blank entry goes without asking"
        assert app.changes[-1] == ("medewerkers", [{"naam": "K. Smit", "functie": ""}])


async def test_min_entries_warning_with_one_and_gone_with_two() -> None:
    one = [{"naam": "J. de Vries", "functie": "mentor"}]
    two = [*one, {"naam": "K. Smit", "functie": "teamleider"}]
    for value, shown in ((one, True), (two, False)):
        app = staff_host(value)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            warning = app.query_one(EntriesField).query_one(".field-message", Static)
            assert visible(warning) is shown


async def test_entries_report_required_sub_fields_as_missing() -> None:
    app = field_host("signalen", "signalen", [{"datum": "2025-03-05", "feiten": ""}])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        entries = app.query_one(EntriesField)
        assert entries.missing() == ["Signalen 1: Wat is gezien of gehoord (feiten)"]


# --- StepForm -----------------------------------------------------------------------------------

TALK_FIELDS = {"gesprekken", "besproken", "hulp_aangeboden", "hulp_aanvaard"}
SKIP_FIELDS = {"reden_afzien", "vt_overleg_datum", "vt_overleg_advies"}


def shown_fields(form: StepForm) -> set[str]:
    return {widget.field.id for widget in form.visible_fields()}


async def test_show_if_switches_between_talk_and_skip_fields() -> None:
    app = form_host("gesprek")
    async with app.run_test(size=SIZE) as pilot:
        form = app.query_one(StepForm)
        assert shown_fields(form) == {"gesprek_gevoerd"}
        radio_set = form.query_one("#field-gesprek_gevoerd ChoiceList", ChoiceList)
        await choose(pilot, radio_set, 1)
        assert shown_fields(form) == {"gesprek_gevoerd"} | SKIP_FIELDS
        assert not form.query_one("#field-gesprekken").display
        await choose(pilot, radio_set, 0)
        assert shown_fields(form) == {"gesprek_gevoerd"} | TALK_FIELDS
        assert app.changes == [("gesprek_gevoerd", "afgezien"), ("gesprek_gevoerd", "ja")]


async def test_missing_lists_required_empty_visible_fields() -> None:
    app = form_host("gesprek", {"gesprek_gevoerd": "afgezien", "datum": ""})
    async with app.run_test(size=SIZE) as pilot:
        form = app.query_one(StepForm)
        assert form.missing() == [
            "Reden om van het gesprek af te zien",
            "Datum overleg met Veilig Thuis",
            "Advies van Veilig Thuis",
        ]
        form.focus_field("vt_overleg_advies")
        await pilot.pause()
        await type_text(pilot, "Niet met ouders praten.")
        assert app.changes[-1] == ("vt_overleg_advies", "Niet met ouders praten.")
        assert "Advies van Veilig Thuis" not in form.missing()

        await choose(pilot, form.query_one("#field-gesprek_gevoerd ChoiceList", ChoiceList), 0)
        assert form.missing() == ["Gesprekken"]


async def test_focus_field_focuses_its_input() -> None:
    app = form_host("besluiten")
    async with app.run_test(size=SIZE) as pilot:
        form = app.query_one(StepForm)
        form.focus_field("regie")
        await pilot.pause()
        assert app.focused is form.query_one("#field-regie Input")
        assert app.focused.region.height > 0


# --- decisions ----------------------------------------------------------------------------------

REPORT = Advice(melden=True, meldnormen=("acuut",), hulp=True)
NORMS = len(FLOW.meldnormen)


def checked_boxes(widget: Widget) -> list[bool]:
    return [box.value for box in widget.query(Checkbox)]


async def test_melden_pre_ticks_the_advised_meldnormen_without_posting() -> None:
    app = form_host("besluiten", advice=REPORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        melden = app.query_one("#field-besluit_melden", FieldWidget)
        assert checked_boxes(melden) == [True] + [False] * (NORMS - 1)
        assert melden.value == {"value": None, "reason": "", "checked": ["acuut"]}
        assert app.changes == []
        form = app.query_one(StepForm)
        assert form.missing() == [
            "Besluit 1: melding maken bij Veilig Thuis",
            "Besluit 2: hulpverlening inzetten / voortzetten",
            "Wie houdt de regie?",
        ]
        await choose(pilot, melden.query_one(ChoiceList), 0)
        assert app.changes[-1] == (
            "besluit_melden",
            {"value": True, "reason": "", "checked": ["acuut"]},
        )
        assert not visible(melden.query_one(".decision-deviation"))


async def test_candidate_meldnormen_are_not_pre_ticked() -> None:
    """Veiligheid = ja without a ticked norm advises acuut and structureel as candidates only:
    nothing is ticked that nobody confirmed, in step 4 or in besluit 1."""
    candidates = ("acuut", "structureel")
    advice = Advice(melden=True, meldnormen=candidates, candidates=candidates)
    app = form_host("besluiten", advice=advice)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        melden = app.query_one("#field-besluit_melden", FieldWidget)
        assert checked_boxes(melden) == [False] * NORMS
        await choose(pilot, melden.query_one(ChoiceList), 0)
        assert app.changes[-1] == ("besluit_melden", {"value": True, "reason": "", "checked": []})


async def test_stored_decision_is_not_pre_ticked() -> None:
    stored = {"melden": Decision(value=False, reason="Hulp loopt al.", checked=[])}
    app = form_host("besluiten", decisions=stored, advice=REPORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        melden = app.query_one("#field-besluit_melden", FieldWidget)
        assert checked_boxes(melden) == [False] * NORMS
        assert melden.value == {"value": False, "reason": "Hulp loopt al.", "checked": []}
        assert visible(melden.query_one(".decision-deviation"))
        assert not melden.is_blank()


async def test_choosing_against_the_advice_requires_a_reason() -> None:
    app = form_host("besluiten", advice=REPORT)
    async with app.run_test(size=SIZE) as pilot:
        form = app.query_one(StepForm)
        melden = app.query_one("#field-besluit_melden", FieldWidget)
        deviation = melden.query_one(".decision-deviation", Static)
        await choose(pilot, melden.query_one(ChoiceList), 1)
        assert visible(deviation)
        assert text_of(deviation).startswith("Je besluit anders dan het advies uit stap 4")
        assert melden.is_blank()
        assert "Besluit 1: melding maken bij Veilig Thuis: Onderbouwing" in form.missing()
        assert str(melden.query_one(".decision-reason-label").content) == "Onderbouwing *"

        await focus(pilot, melden.query_one(TextArea))
        await type_text(pilot, "Hulp is al ingezet.")
        assert app.changes[-1] == (
            "besluit_melden",
            {"value": False, "reason": "Hulp is al ingezet.", "checked": ["acuut"]},
        )
        assert not melden.is_blank()
        assert not [m for m in form.missing() if m.startswith("Besluit 1")]


async def test_ticking_a_meldnorm_while_not_reporting_is_a_deviation() -> None:
    app = form_host("besluiten", advice=None)
    async with app.run_test(size=SIZE) as pilot:
        melden = app.query_one("#field-besluit_melden", FieldWidget)
        deviation = melden.query_one(".decision-deviation")
        await choose(pilot, melden.query_one(ChoiceList), 1)
        assert not visible(deviation)
        assert not melden.is_blank()
        await click(pilot, list(melden.query(Checkbox))[4])
        assert visible(deviation)
        assert melden.is_blank()
        assert app.changes[-1] == (
            "besluit_melden",
            {"value": False, "reason": "", "checked": ["nieuwe_signalen"]},
        )


async def test_deciding_as_a_mentor_warns_and_requires_a_reason() -> None:
    app = form_host("besluiten", advice=Advice(melden=False, hulp=True), role="mentor")
    async with app.run_test(size=SIZE) as pilot:
        hulp = app.query_one("#field-besluit_hulp", FieldWidget)
        warning = hulp.query_one(".decision-decider", Static)
        assert visible(warning) and "teamleider of de OT-medewerker" in text_of(warning)
        await choose(pilot, hulp.query_one(ChoiceList), 0)
        assert not visible(hulp.query_one(".decision-deviation"))
        assert hulp.missing() == ["Besluit 2: hulpverlening inzetten / voortzetten: Onderbouwing"]
        hulp.query_one(TextArea).focus()
        await type_text(pilot, "De teamleider is deze week afwezig.")
        assert hulp.missing() == []
        assert app.changes[-1][1]["reason"] == "De teamleider is deze week afwezig."


async def test_a_teamleider_deciding_sees_no_role_warning() -> None:
    app = form_host("besluiten", advice=Advice(melden=False, hulp=True), role="Teamleider")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.query(".decision-decider")


async def test_hulp_against_the_advice_requires_a_reason() -> None:
    app = form_host("besluiten", advice=Advice(melden=True, hulp=False))
    async with app.run_test(size=SIZE) as pilot:
        hulp = app.query_one("#field-besluit_hulp", FieldWidget)
        labels = hulp.query_one(ChoiceList).labels
        assert labels == ["Ja, hulp inzetten / voortzetten", "Nee, geen hulp inzetten"]
        assert len(hulp.query(Checkbox)) == 2
        await choose(pilot, hulp.query_one(ChoiceList), 0)
        assert visible(hulp.query_one(".decision-deviation"))
        assert hulp.is_blank()
        await choose(pilot, hulp.query_one(ChoiceList), 1)
        assert not visible(hulp.query_one(".decision-deviation"))
        assert app.changes[-1] == ("besluit_hulp", {"value": False, "reason": "", "checked": []})


# --- QuestionView -------------------------------------------------------------------------------


async def test_question_posts_answer_with_justification() -> None:
    app = question_host("vermoeden")
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(QuestionView)
        assert not view.ready()
        await focus(pilot, view.query_one(".question-justification", TextArea))
        await type_text(pilot, "Blauwe plekken")
        assert app.answers == []
        await choose(pilot, view.query_one(ChoiceList), 1)
        answer = app.answers[-1]
        assert (answer.question_id, answer.value, answer.justification) == (
            "vermoeden",
            "nee",
            "Blauwe plekken",
        )
        assert answer.meldnormen is None and answer.veilig_thuis_advice == ""
        advice = view.query_one(".question-advice", Static)
        assert visible(advice) and text_of(advice).startswith("Geen melding:")
        assert view.ready()
        await choose(pilot, view.query_one(ChoiceList), 0)
        assert app.answers[-1].value == "ja"
        assert not visible(advice)


async def test_twijfel_asks_for_veilig_thuis_advice() -> None:
    app = question_host("veiligheid")
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(QuestionView)
        call = view.query_one(".vt-call", Static)
        assert not visible(call)
        await choose(pilot, view.query_one(ChoiceList), 1)
        assert visible(call) and text_of(call) == "Bel Veilig Thuis: 0800-2000"
        assert app.answers[-1].value == "twijfel"
        assert not view.ready()
        await focus(pilot, view.query_one(".vt-advice", TextArea))
        await type_text(pilot, "Opnieuw afwegen")
        assert view.ready()
        assert app.answers[-1].veilig_thuis_advice == "Opnieuw afwegen"
        assert app.answers[-1].value == "twijfel"


async def test_unsafe_answer_asks_which_meldnormen_apply() -> None:
    app = question_host("veiligheid")
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(QuestionView)
        norms = view.query_one(".question-meldnormen")
        assert not visible(norms)
        await choose(pilot, view.query_one(ChoiceList), 0)
        assert visible(norms)
        labels = [str(box.label) for box in norms.query(Checkbox)]
        assert [label.split(":")[0] for label in labels] == [
            "Acute onveiligheid",
            "Structurele onveiligheid",
        ]
        assert checked_boxes(norms) == [False, False]
        advice = text_of(view.query_one(".question-advice", Static))
        assert advice.startswith("Meld nu bij Veilig Thuis, 0800-2000; bij direct gevaar 112.")
        assert "Vink aan welke onveiligheid er is" in advice
        assert app.answers[-1].meldnormen is None
        assert not view.ready()
        await click(pilot, list(norms.query(Checkbox))[1])
        assert app.answers[-1].meldnormen == ["structureel"]
        assert app.answers[-1].value == "ja"
        assert view.ready()


async def test_stored_answer_is_shown_without_posting() -> None:
    stored = Answer(
        value="twijfel",
        justification="Onduidelijk",
        veilig_thuis_advice="Eerst gesprek",
        by=Actor(name="A. Jansen", role="mentor"),
    )
    app = question_host("veiligheid", stored)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(QuestionView)
        assert app.answers == []
        assert view.ready()
        assert view.query_one(ChoiceList).pressed_index == 1
        assert view.query_one(".vt-advice", TextArea).text == "Eerst gesprek"
        assert view.answer == {
            "value": "twijfel",
            "justification": "Onduidelijk",
            "meldnormen": None,
            "veilig_thuis_advice": "Eerst gesprek",
            "values": {},
        }


async def test_one_view_shows_each_question_in_turn_and_keeps_drafts() -> None:
    """`show` writes another question into the same widgets, posts nothing, and brings back
    what was typed in a question that had no option yet (so not saved) when it returns."""
    stored = Answer(value="ja", justification="Signalen", by=Actor(name="A. Jansen", role="x"))
    app = question_host("vermoeden", stored)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(QuestionView)
        options = view.query_one(ChoiceList)
        veiligheid = FLOW.question("veiligheid")
        assert veiligheid is not None
        view.show(veiligheid, None)
        await pilot.pause()
        assert app.answers == []
        assert view.query_one(QuestionHeading).plain == f"{veiligheid.text}\n{veiligheid.help}"
        assert options.labels == ["Ja", "Twijfel", "Nee"]
        assert options.pressed_index == -1 and not view.ready()
        justification = view.query_one(".question-justification", TextArea)
        assert justification.text == ""
        await focus(pilot, justification)
        await type_text(pilot, "Nog onzeker")
        assert app.answers == []  # no option yet: nothing to save
        vermoeden = FLOW.question("vermoeden")
        assert vermoeden is not None
        view.show(vermoeden, stored)
        await pilot.pause()
        assert options.labels == ["Ja", "Nee"] and options.pressed_index == 0
        assert justification.text == "Signalen"
        view.show(veiligheid, None)
        await pilot.pause()
        assert justification.text == "Nog onzeker"
        await choose(pilot, options, 2)
        answer = app.answers[-1]
        assert (answer.question_id, answer.value, answer.justification) == (
            "veiligheid",
            "nee",
            "Nog onzeker",
        )


async def test_choice_list_chooses_with_keys_and_mouse_and_redraws_quietly() -> None:
    class ChoiceHost(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.chosen: list[int] = []

        def compose(self) -> ComposeResult:
            yield ChoiceList(["Ja", "Nee", "Twijfel"], pressed=1)

        def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
            self.chosen.append(event.index)

    app = ChoiceHost()
    async with app.run_test(size=SIZE) as pilot:
        choices = app.query_one(ChoiceList)
        choices.focus()
        await pilot.pause()
        assert choices.highlighted == 1 and choices.pressed_index == 1
        await pilot.press("enter")  # the chosen one again: no change
        await pilot.press("down", "space")
        await pilot.pause()
        assert app.chosen == [2] and choices.pressed_index == 2
        await pilot.click(ChoiceList, offset=(2, 0))
        await pilot.pause()
        assert app.chosen == [2, 0]
        assert [str(choices.get_option_at_index(i).prompt)[0] for i in range(3)] == [
            "◉",
            "○",
            "○",
        ]
        choices.show_options(["Ja", "Nee"], -1)
        await pilot.pause()
        assert app.chosen == [2, 0] and choices.pressed_index == -1
        assert choices.option_count == 2 and choices.highlighted == 0


# --- read-only ----------------------------------------------------------------------------------

INPUTS = (Input, TextArea, ChoiceList, Checkbox, Button)


async def test_read_only_form_disables_every_input() -> None:
    for step_id, values in (
        ("gesprek", {"gesprek_gevoerd": "ja", "gesprekken": [{"door": "J. de Vries"}]}),
        ("besluiten", {}),
    ):
        app = form_host(step_id, values, advice=REPORT, read_only=True)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            controls = [w for kind in INPUTS for w in app.query(kind)]
            assert controls
            assert all(control.disabled for control in controls)
            await pilot.press("tab")
            assert not isinstance(app.focused, INPUTS)


async def test_read_only_question_disables_every_input() -> None:
    app = question_host("veiligheid", {"value": "ja"}, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        controls = [w for kind in INPUTS for w in app.query(kind)]
        assert controls and all(control.disabled for control in controls)


async def test_stored_meldnormen_are_ticked_for_their_option() -> None:
    app = question_host("veiligheid", {"value": "ja", "meldnormen": ["acuut"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(QuestionView)
        norms = view.query_one(".question-meldnormen")
        assert visible(norms)
        assert checked_boxes(norms) == [True, False]
        assert app.answers == []
        assert view.ready()
        await click(pilot, norms.query(Checkbox).first())
        assert app.answers[-1].meldnormen is None
        assert app.answers[-1].value == "ja"
        assert not view.ready()
