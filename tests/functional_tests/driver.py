"""Helpers that drive the real app with the Pilot the way a user would, and read the case files
on disk. Only fictitious pupils ("Leerling-042", "Pseudoniem Vos")."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, TextArea

from meldcode_tui.tui.app import MeldcodeApp
from meldcode_tui.tui.fields import FieldWidget, QuestionView
from meldcode_tui.tui.fields.choicelist import ChoiceList
from meldcode_tui.tui.screens.step import StepScreen
from meldcode_tui.tui.widgets.weighing import Weighing

SIZE = (80, 24)
FIXED_NOW = datetime(2026, 3, 2, 9, 30, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    return FIXED_NOW


async def ready(pilot: Pilot[Any]) -> None:
    """Wait until the flow and the case list are loaded (and a case given on start is open)."""
    await app_of(pilot).wait_until_loaded()
    await pilot.pause()
    await pilot.pause()


def case_ids(data_dir: Path) -> list[str]:
    return sorted(p.stem for p in data_dir.glob("*.json") if not p.name.startswith("."))


def read_case(data_dir: Path, case_id: str | None = None) -> dict[str, Any]:
    """The case file on disk, as JSON."""
    if case_id is None:
        (case_id,) = case_ids(data_dir)
    return json.loads((data_dir / f"{case_id}.json").read_text(encoding="utf-8"))


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type `text` as a fast typist does: one key event per character, all queued at once, then
    wait until the app has handled them. The events are those `pilot.press` sends, without its
    wait for an idle process after every key (two sleeps of at least 20 ms a key). The first pause
    waits for the app to hand every key to the focused widget, the second for that widget."""
    for char in text:
        key = char if char.isalnum() else _character_to_key(char)
        pilot.app.post_message(events.Key(key, char))
    await pilot.pause()
    await pilot.pause()


async def new_case(
    pilot: Pilot[Any],
    pupil: str = "Leerling-042",
    group: str = "5B",
    name: str = "Mentor Jansen",
    role: str = "mentor",
) -> None:
    """Fill in the home screen's new-case form with the keyboard and start the case."""
    app = pilot.app
    app.screen.query_one("#pupil", Input).focus()
    await type_text(pilot, pupil)
    await pilot.press("tab")
    await type_text(pilot, group)
    await pilot.press("tab")
    name_input = app.screen.query_one("#name", Input)
    name_input.value = ""
    await type_text(pilot, name)
    await pilot.press("tab")
    app.screen.query_one("#role", Input).value = ""
    await type_text(pilot, role)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


def step_screen(pilot: Pilot[Any]) -> StepScreen:
    screen = pilot.app.screen
    assert isinstance(screen, StepScreen), f"not on a step screen but {screen!r}"
    return screen


def field(pilot: Pilot[Any], field_id: str) -> FieldWidget:
    form = step_screen(pilot).form
    assert form is not None
    widget = form.field_widget(field_id)
    assert widget is not None, field_id
    return widget


async def choose(pilot: Pilot[Any], radios: ChoiceList, index: int) -> None:
    """Pick option `index` of a choice list with the arrow keys and Enter."""
    radios.focus()
    await pilot.pause()
    current = radios.highlighted or 0
    key = "down" if index >= current else "up"
    await pilot.press(*[key] * abs(index - current), "enter")
    await pilot.pause()


async def fill_text(pilot: Pilot[Any], widget: Input | TextArea, text: str) -> None:
    widget.focus()
    await pilot.pause()
    await type_text(pilot, text)
    await pilot.pause()


def weighing(pilot: Pilot[Any]) -> Weighing:
    found = step_screen(pilot).weighing
    assert found is not None
    return found


def question(pilot: Pilot[Any]) -> QuestionView:
    view = weighing(pilot).view
    assert view is not None, "no question shown"
    return view


async def answer(
    pilot: Pilot[Any],
    option: str,
    justification: str = "",
    vt_advice: str = "",
    meldnormen: tuple[str, ...] = (),
    values: dict[str, str] | None = None,
) -> None:
    """Answer the question on screen: option by id, the meldnormen to tick, the option's own
    fields (typed into their input, e.g. a date as dd-mm-jjjj), then the texts."""
    view = question(pilot)
    index = [o.id for o in view.question.options].index(option)
    await choose(pilot, view.query_one(".question-options", ChoiceList), index)
    shown = [group for group in view.query(".question-meldnormen") if group.display]
    boxes = {box.name: box for group in shown for box in group.query(Checkbox)}
    for norm in meldnormen:
        boxes[norm].focus()
        await pilot.press("space")
        await pilot.pause()
    own = {
        w.field.id: w
        for box in view.query(".question-fields")
        if box.display
        for w in box.query(FieldWidget)
    }
    for field_id, text in (values or {}).items():
        entry = own[field_id].query_one(Input)
        entry.value = ""
        await fill_text(pilot, entry, text)
    if vt_advice:
        await fill_text(pilot, view.query_one(".vt-advice", TextArea), vt_advice)
    if justification:
        await fill_text(pilot, view.query_one(".question-justification", TextArea), justification)


async def next_(pilot: Pilot[Any]) -> None:
    """F8: the next question, the outcome, or the next step."""
    await pilot.press("f8")
    await pilot.pause()
    await pilot.pause()


def current_question(pilot: Pilot[Any]) -> str | None:
    return weighing(pilot).current


def app_of(pilot: Pilot[Any]) -> MeldcodeApp:
    app = pilot.app
    assert isinstance(app, MeldcodeApp)
    return app


def entry_field(entries: FieldWidget, number: int, sub_id: str) -> FieldWidget:
    """Sub-field `sub_id` of entry `number` (from 1) of an entries field."""
    from meldcode_tui.tui.fields.entries import EntriesField

    assert isinstance(entries, EntriesField)
    card = entries.cards[number - 1]
    return next(sub for sub in card.subfields if sub.field.id == sub_id)


def option_index(widget: FieldWidget, option_id: str) -> int:
    options = list(widget.field.options) or [*("ja", "nee")]
    ids = [o if isinstance(o, str) else o.id for o in options]
    return ids.index(option_id)


async def choose_option(pilot: Pilot[Any], widget: FieldWidget, option_id: str) -> None:
    """Choose an option of a choice or yesno field by its id."""
    await choose(pilot, widget.query_one(ChoiceList), option_index(widget, option_id))


async def fill_steps_1_to_3(pilot: Pilot[Any]) -> None:
    """Steps 1–3 with the keyboard: not about a staff member, one signal, the kindcheck, one
    consultation, one conversation with two staff."""
    from textual.widgets import Button

    screen = step_screen(pilot)
    assert screen.step.id == "signalen"
    await choose_option(pilot, field(pilot, "vermoeden_medewerker"), "nee")
    signals = field(pilot, "signalen")
    signals.query_one(".entry-add", Button).focus()
    await pilot.press("enter")
    await pilot.pause()
    await type_text(pilot, "23-02-2026")
    await pilot.press("enter")
    await type_text(pilot, "Blauwe plek")
    await choose(pilot, signals.query(ChoiceList).first(), 0)
    await choose_option(pilot, field(pilot, "andere_kinderen"), "nee")
    await next_(pilot)

    assert step_screen(pilot).step.id == "consultatie"
    consulted = field(pilot, "geconsulteerd")
    consulted.query_one(".entry-add", Button).focus()
    await pilot.press("enter")
    await pilot.pause()
    await type_text(pilot, "Collega Fictief")
    await choose_option(pilot, entry_field(consulted, 1, "functie"), "ot_medewerker")
    await choose(pilot, field(pilot, "vt_geraadpleegd").query_one(ChoiceList), 1)
    await next_(pilot)

    assert step_screen(pilot).step.id == "gesprek"
    await choose(pilot, field(pilot, "gesprek_gevoerd").query_one(ChoiceList), 0)
    talks = field(pilot, "gesprekken")
    talks.query_one(".entry-add", Button).focus()
    await pilot.press("enter")
    await pilot.pause()
    await type_text(pilot, "26-02-2026")
    await fill_text(pilot, entry_field(talks, 1, "door").query_one(Input), "Mentor")
    await fill_text(pilot, entry_field(talks, 1, "tweede_medewerker").query_one(Input), "OT")
    await choose_option(pilot, entry_field(talks, 1, "met_wie"), "ouders")
    await fill_text(pilot, field(pilot, "besproken").query_one(TextArea), "Besproken")
    await next_(pilot)
    assert step_screen(pilot).step.id == "afweging"
