"""The step screen: one step of the open case, rendered from the flow.

It shows where the user is (stepper, "Stap n van 5"), who is involved, the protocol's summary
(F1 for the full text), the step's form or the weighing, and what is still missing. Every change
is handed to the app's case session at once; the screen decides nothing about routing.

One screen serves every step of one open case: `show_step` swaps the heading and the body. The
body of a step that was shown before is kept (hidden) and shown again as it was, unless the case
changed underneath it (e.g. a step-4 answer changes the advice that step 5 pre-ticks); then it
is built again from the case. Building a screen and its forms anew on every F7/F8 cost half a
second and more; swapping costs one re-layout.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from meldcode_tui.casework.rules import decisions_of
from meldcode_tui.flow.model import FieldKind, Step
from meldcode_tui.tui.fields import FIELDS_CSS_PATH, FieldContext, FieldWidget, StepForm
from meldcode_tui.tui.screens.help import step_heading
from meldcode_tui.tui.settle import settle_input
from meldcode_tui.tui.texts import read_only_text
from meldcode_tui.tui.widgets.aftercare_items import AftercareItems
from meldcode_tui.tui.widgets.keybar import KeyBar
from meldcode_tui.tui.widgets.status import ReadOnlyBanner, SaveIndicator
from meldcode_tui.tui.widgets.stepper import Stepper
from meldcode_tui.tui.widgets.weighing import Weighing

if TYPE_CHECKING:
    from meldcode_tui.case.model import Case
    from meldcode_tui.casework.rules import StepState
    from meldcode_tui.casework.work import CaseWork
    from meldcode_tui.flow.model import Flow
    from meldcode_tui.tui.app import MeldcodeApp

WIZARD_CSS_PATH = Path(__file__).parent.parent / "wizard.tcss"


class StepScroll(VerticalScroll):
    """The scrolling body of one step."""

    BLANK = True  # nothing of its own to draw: Textual paints its background without rendering


class StepScreen(Screen[None]):
    """One step of the wizard."""

    BLANK = True

    CSS_PATH: ClassVar[list[str | PurePath]] = [WIZARD_CSS_PATH, FIELDS_CSS_PATH]
    AUTO_FOCUS = ""  # `_restore_focus` decides (Textual's would focus the body first)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7,alt+left", "previous", "Vorige", key_display="F7", priority=True),
        Binding("f8,alt+right", "next", "Volgende", key_display="F8", priority=True),
        # Shift+F7 reaches an app as F19 from most terminals and from the browser.
        Binding(
            "shift+f7,f19",
            "previous_question",
            "Vorige vraag",
            key_display="⇧F7",
            tooltip="Terug naar de vorige vraag van de afweging, om het antwoord te wijzigen",
        ),
        Binding("f10", "home", "Zaken", key_display="F10", tooltip="Zaak sluiten, naar de lijst"),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    app: MeldcodeApp

    def __init__(self, step: Step, focus: str = "") -> None:
        super().__init__()
        self.step = step
        self.focus_id = focus
        self._missing_text = ""
        self._work: CaseWork | None = None
        self._bodies: dict[str, Widget] = {}
        self._scrollers: dict[str, StepScroll] = {}
        self._synced: dict[str, Hashable] = {}

    @property
    def flow(self) -> Flow:
        return self.open_case.flow

    @property
    def open_case(self) -> CaseWork:
        work = self._work or self.app.work
        assert work is not None
        return work

    @property
    def case(self) -> Case:
        return self.open_case.case

    @property
    def read_only(self) -> bool:
        return self.app.read_only

    @property
    def work(self) -> CaseWork | None:
        """The open case this screen shows (`show_step` is for this case only)."""
        return self._work

    def _states(self) -> dict[str, StepState]:
        return self.open_case.state.step_states(self.step.id, [s.id for s in self.flow.steps])

    def compose(self) -> ComposeResult:
        self._work = self.app.work
        case = self.case
        yield Stepper(self.flow.steps, self._states())
        with Horizontal(id="step-top"):
            yield Static("", id="step-title", markup=False)
            yield Static(_case_label(case), id="case-label", markup=False)
        yield Static("", id="step-who", markup=False)
        summary = Static("", id="step-summary", markup=False)
        summary.tooltip = "F1: de volledige protocoltekst bij deze stap"
        yield summary
        if self.open_case.read_only:
            yield ReadOnlyBanner(read_only_text(self.open_case))
        yield Static("", id="step-warning", markup=False)
        with Vertical(id="step-body"):
            yield self._new_scroller(self.step)
        yield Static("", id="missing", markup=False)
        close_row = Horizontal(id="close-row")
        close_row.display = False
        with close_row:
            yield Button("", id="close-early", variant="warning", compact=True)
        with Horizontal(id="step-nav"):
            yield Button("← Vorige", id="previous", compact=True)
            yield Button("Volgende →", id="next", variant="primary", compact=True)
            yield SaveIndicator()
        yield KeyBar()

    def _fingerprint(self, step: Step) -> Hashable:
        """What of the case a step's body shows; a kept body whose print changed is rebuilt."""
        case = self.case
        parts: list[Any] = [self.read_only]
        if step.questions:
            parts.append(repr(case.answers))
        else:
            record = case.steps.get(step.id)
            parts.append(repr(record.values) if record is not None else "")
            if any(f.kind is FieldKind.DECISION for f in step.fields):
                parts.append(repr(case.decisions))
                parts.append(repr(case.answers))
                parts.append(self.open_case.actor.role)  # who decides: the decider warning
            if step.holds_aftercare:
                parts.append(repr(case.aftercare))
        return tuple(parts)

    def _new_scroller(self, step: Step) -> StepScroll:
        """The step's body in its own scrolling container (kept, hidden, when another is shown;
        focusing or restyling one step's container then never touches the others)."""
        scroller = StepScroll(self._new_body(step), classes="step-scroll")
        self._scrollers[step.id] = scroller
        return scroller

    def _new_body(self, step: Step) -> Widget:
        body: Widget
        if step.questions:
            body = Weighing(self.flow, self.case, self.read_only, self.focus_id)
        else:
            record = self.case.steps.get(step.id)
            values = dict(record.values) if record is not None else {}
            decisions = decisions_of(self.case)
            context = FieldContext(
                flow=self.flow,
                advice=self.open_case.state.advice,
                read_only=self.read_only,
                actor_role=self.open_case.actor.role,
                work=self.open_case,
            )
            body = StepForm(step, values, decisions, context, id=f"form-{step.id}")
        self._bodies[step.id] = body
        self._synced[step.id] = self._fingerprint(step)
        return body

    def on_mount(self) -> None:
        self._show_heading()
        self._show_missing()
        self.call_after_refresh(self._restore_focus)
        self.call_after_refresh(self.app.settle_memory)

    def show_step(self, step: Step, focus: str = "") -> None:
        """Show another step (or the same one at another place) of this screen's case."""
        self.step = step
        self.focus_id = focus
        self._show_heading()
        self.query_one(Stepper).update_states(self._states())
        self.query_one(SaveIndicator).mark("")
        self.refresh_bindings()
        scroller = self._scrollers.get(step.id)
        stale: StepScroll | None = None
        if scroller is not None and self._synced.get(step.id) != self._fingerprint(step):
            stale, scroller = scroller, None
        focused = self.focused
        for other in self._scrollers.values():
            other.display = other is scroller
        if focused is not None and scroller not in focused.ancestors:
            self.set_focus(None)
        if scroller is None:
            scroller = self._new_scroller(step)
            scroller.display = True
            self.call_next(self._mount_scroller, scroller, stale)
            return
        scroller.scroll_home(animate=False)
        body = self._bodies[step.id]
        if isinstance(body, Weighing):
            body.restart(focus)
        if body.is_mounted:
            self._show_missing()
            self.call_after_refresh(self._restore_focus)

    async def _mount_scroller(self, scroller: StepScroll, stale: StepScroll | None) -> None:
        if stale is not None:
            await stale.remove()
        await self.query_one("#step-body", Vertical).mount(scroller)
        if scroller is self._scrollers.get(self.step.id):
            self._show_missing()
            self.call_after_refresh(self._restore_focus)

    def _show_heading(self) -> None:
        step = self.step
        total = sum(1 for s in self.flow.steps if s.number is not None)
        self.query_one("#step-title", Static).update(step_heading(step, total))
        for widget_id, text in (
            ("#step-who", f"Wie: {step.who}" if step.who else ""),
            ("#step-summary", step.summary),
            ("#step-warning", step.warning or ""),
        ):
            widget = self.query_one(widget_id, Static)
            widget.update(text)
            widget.display = bool(text)
        first, last = self.flow.steps[0], self.flow.steps[-1]
        self.query_one("#previous", Button).disabled = step.id == first.id
        self.query_one("#next", Button).disabled = step.id == last.id

    def _restore_focus(self) -> None:
        """Focus the remembered field, else the first one; else the step's scrolling body."""
        self.refresh_bindings()
        form = self.form
        scroller = self._scrollers.get(self.step.id)
        if form is None:
            if self.focused is None and scroller is not None:  # the weighing focuses itself
                scroller.focus(scroll_visible=False)
            return
        if not form.is_mounted:
            return
        focused = False
        if self.focus_id:
            focused = form.focus_field(self.focus_id)
        elif not self.read_only:
            visible = form.visible_fields()
            focused = bool(visible) and visible[0].focus_input(scroll=False)
            if scroller is not None:  # the step opens at its top: its first label shows
                scroller.scroll_home(animate=False, immediate=True)
        if not focused and scroller is not None:
            scroller.focus(scroll_visible=False)

    @property
    def _body_widget(self) -> Widget | None:
        return self._bodies.get(self.step.id)

    @property
    def form(self) -> StepForm | None:
        body = self._body_widget
        return body if isinstance(body, StepForm) else None

    @property
    def weighing(self) -> Weighing | None:
        body = self._body_widget
        return body if isinstance(body, Weighing) else None

    def _after_save(self) -> None:
        self._synced[self.step.id] = self._fingerprint(self.step)
        self.query_one(SaveIndicator).mark(self.app.saved_time())
        self.query_one(Stepper).update_states(self._states())
        self._show_missing()

    def _show_close_offer(self) -> None:
        """The early close the route offers (vermoeden = nee), on the weighing step only."""
        offer = self.open_case.state.close_offer
        button = self.query_one("#close-early", Button)
        shown = bool(self.step.questions) and offer is not None and not self.read_only
        if offer is not None and str(button.label) != offer.label:
            button.label = offer.label
        row = self.query_one("#close-row", Horizontal)
        if row.display != shown:
            row.display = shown

    def _show_missing(self) -> None:
        self._show_close_offer()
        missing = self.query_one("#missing", Static)
        state = self.open_case.state
        if self.step.questions:
            labels = state.answer_missing.get(self.step.id, [])
        else:
            labels = state.missing[self.step.id]
        decisions = [f for f in self.step.fields if f.kind is FieldKind.DECISION]
        missing.set_class(bool(decisions) and bool(labels), "-decisions")
        missing.display = bool(labels)
        short = {f.label: f.label.split(":")[0] for f in decisions}
        if any(label in short for label in labels):
            lead = "Beide besluiten zijn altijd nodig. Nog open: "
        else:
            lead = "Nog in te vullen: "
        labels = [short.get(label, label) for label in labels]
        text = lead + "; ".join(labels) if labels else ""
        if text != self._missing_text:
            self._missing_text = text
            missing.update(text)

    @on(FieldWidget.Changed)
    def _field_changed(self, event: FieldWidget.Changed) -> None:
        form = event.widget.parent
        if not isinstance(form, StepForm) or form not in self._bodies.values():
            return
        field = event.widget.field
        step_id = form.step.id  # the step the field belongs to, even after F7/F8 moved on
        if field.kind is FieldKind.DECISION and field.decision is not None:
            key = field.decision
            value = event.value or {}
            saved = self.app.apply(
                lambda w: w.decide(
                    key,
                    value=value.get("value"),
                    reason=value.get("reason", ""),
                    checked=list(value.get("checked", [])),
                )
            )
        elif field.kind is FieldKind.AFTERCARE:
            return
        else:
            field_id, new = event.field_id, event.value
            saved = self.app.apply(lambda w: w.set_value(step_id, field_id, new))
        if saved and step_id == self.step.id:
            self._after_save()
        else:
            self._show_missing()

    @on(AftercareItems.Saved)
    def _aftercare_saved(self, event: AftercareItems.Saved) -> None:
        event.stop()
        self._after_save()

    @on(Weighing.AnswerChanged)
    def _answer_changed(self, event: Weighing.AnswerChanged) -> None:
        answer = event.answer
        saved = self.app.apply(
            lambda w: w.answer(
                answer.question_id,
                answer.value,
                justification=answer.justification,
                meldnormen=answer.meldnormen,
                veilig_thuis_advice=answer.veilig_thuis_advice,
                values=answer.values,
            )
        )
        weighing = self.weighing
        if weighing is not None:
            weighing.update_case(self.case)
            self.refresh_bindings()
        if saved:
            self._after_save()

    @on(Weighing.Moved)
    def _question_moved(self, event: Weighing.Moved) -> None:
        self.refresh_bindings()
        self.call_after_refresh(self.app.save_position, self.step.id, event.question_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "previous_question":
            weighing = self.weighing
            return weighing is not None and weighing.previous_question() is not None
        return True

    async def action_previous_question(self) -> None:
        weighing = self.weighing
        if weighing is not None and weighing.is_mounted:
            await settle_input(self)
            await weighing.back()

    @on(Weighing.Decide)
    async def _decide(self) -> None:
        await self.action_next()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        form = self.form
        if form is None:
            return
        field = _field_of(event.widget, form)
        if field is not None:
            self.focus_id = field
            self.app.save_position(self.step.id, field)

    @on(Stepper.Selected)
    async def _stepper_selected(self, event: Stepper.Selected) -> None:
        if event.step_id != self.step.id:
            await settle_input(self)
            self.app.show_step(event.step_id)

    @on(Button.Pressed, "#previous")
    async def action_previous(self) -> None:
        await settle_input(self)
        self._go(-1)

    @on(Button.Pressed, "#next")
    async def action_next(self) -> None:
        await settle_input(self)
        weighing = self.weighing
        if weighing is not None:
            if not weighing.is_mounted:
                return
            if await weighing.advance():
                return
            reason = weighing.blocked_reason()
            if reason and not self.read_only:
                self.notify(reason, severity="warning", markup=False)
                return
        self._go(+1)

    @on(Button.Pressed, "#close-early")
    async def _close_early(self) -> None:
        from meldcode_tui.tui.screens.retention_dialogs import close_case_dialog
        from meldcode_tui.tui.texts import CLOSE_EARLY_TEXT

        await settle_input(self)
        offer = self.open_case.state.close_offer
        if offer is None or self.read_only:
            return
        today = date.today()
        dialog = close_case_dialog(
            self.open_case,
            today,
            title=f"{offer.label} — {self.case.pupil}",
            text=CLOSE_EARLY_TEXT.format(reason_label=offer.reason_label),
            ok_label=offer.label,
        )
        self.app.push_screen(dialog, lambda closing: self._close_with(closing, today))

    async def _close_with(self, closing: object, today: date) -> None:
        from meldcode_tui.localtime import local_date
        from meldcode_tui.tui.screens.retention_dialogs import Closing
        from meldcode_tui.tui.texts import CLOSED_EARLY

        if not isinstance(closing, Closing):
            return
        case_id = self.open_case.case_id
        if not self.app.apply(closing.intent(today)):
            return
        until = local_date(closing.retain_until)
        self.notify(f"{CLOSED_EARLY} Bewaren tot {until}.", title="Zaak gesloten", markup=False)
        self.app.go_home()
        await self.app.show_review(case_id)

    async def action_home(self) -> None:
        await settle_input(self)
        self.app.go_home()

    def _go(self, delta: int) -> None:
        ids = [s.id for s in self.flow.steps]
        index = ids.index(self.step.id) + delta
        if 0 <= index < len(ids):
            self.app.show_step(ids[index])


def _field_of(widget: Widget, form: StepForm) -> str | None:
    node: Any = widget
    while node is not None and node is not form:
        if isinstance(node, FieldWidget) and node.parent is form:
            return node.field.id
        node = node.parent
    return None


def _case_label(case: Case) -> str:
    return f"{case.pupil} · {case.group}" if case.group else case.pupil
