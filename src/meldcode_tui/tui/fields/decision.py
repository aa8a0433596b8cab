"""The `decision` field (step 5): besluit 1 "melden" or besluit 2 "hulp".

Value: {"value": True/False/None, "reason": str, "checked": [option ids]}. The step-4 advice is
shown in the flow's words (`Flow.texts.decision_advice`). Besluit 1 pre-ticks the
meldnormen the step-4 answers establish when nothing was decided yet; mere candidates (acute or
structurele onveiligheid before the professional ticked which) are never ticked in advance.
Deciding against the advice, or ticking a meldnorm while not reporting, shows the field's
deviation warning and makes the reason required; so does deciding in a role that the field's
`deciders` do not name (its `decider_warning` shows as soon as the field does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Label, Static, TextArea

from meldcode_tui.tui.fields.base import FieldWidget, required_label
from meldcode_tui.tui.fields.checklist import CheckList, field_options
from meldcode_tui.tui.fields.choicelist import ChoiceList

DEFAULT_DEVIATION_WARNING = "Je besluit anders dan het advies uit stap 4. Schrijf op waarom."


def decision_dict(decision: Any) -> dict[str, Any] | None:
    """A stored decision (pydantic `Decision`, a mapping or None) as the widget's value dict."""
    if decision is None:
        return None
    if not isinstance(decision, Mapping):
        decision = {name: getattr(decision, name, None) for name in ("value", "reason", "checked")}
    value = decision.get("value")
    return {
        "value": value if isinstance(value, bool) else None,
        "reason": decision.get("reason") or "",
        "checked": [c for c in decision.get("checked") or [] if isinstance(c, str)],
    }


def _undecided(value: dict[str, Any] | None) -> bool:
    if value is None:
        return True
    return value["value"] is None and not value["reason"] and not value["checked"]


class DecisionField(FieldWidget):
    """Ja/nee, the checklist of the decision's options, and the reason."""

    @property
    def key(self) -> str:
        return self.field.decision or "melden"

    @property
    def advised(self) -> bool | None:
        advice = self.context.advice
        return None if advice is None else getattr(advice, self.key, None)

    def coerce(self, value: Any) -> dict[str, Any]:
        stored = decision_dict(value)
        if _undecided(stored):
            advice = self.context.advice
            known = {option.id for option in field_options(self.field, self.context.flow)}
            ticked = list(advice.confirmed) if advice and self.key == "melden" else []
            return {"value": None, "reason": "", "checked": [n for n in ticked if n in known]}
        assert stored is not None
        return stored

    def deviates(self) -> bool:
        """Is the decision on screen against the step-4 advice (the rule: casework.rules)?"""
        from meldcode_tui.case.model import Decision
        from meldcode_tui.casework.rules import decision_deviates

        shown = Decision(value=self._value["value"], checked=list(self._value["checked"]))
        return decision_deviates(self.key, shown, self.context.advice)

    def outside_role(self) -> bool:
        """Is the person acting now not in a role the protocol names for this decision?"""
        from meldcode_tui.casework.rules import outside_deciders

        return outside_deciders(self.context.flow, self.field, self.context.actor_role)

    def reason_required(self) -> bool:
        """The rule is casework's (`rules.reason_needed`), for the decision on screen and the
        person acting now."""
        from meldcode_tui.case.model import Decision
        from meldcode_tui.casework.rules import reason_needed

        shown = Decision(value=self._value["value"], checked=list(self._value["checked"]))
        context = self.context
        return reason_needed(context.flow, self.field, shown, context.advice, context.actor_role)

    def is_blank(self) -> bool:
        return self._value["value"] is None or (
            self.reason_required() and not self._value["reason"].strip()
        )

    def missing(self) -> list[str]:
        found: list[str] = []
        if self.field.required and self._value["value"] is None:
            found.append(self.field.label)
        if self.reason_required() and not self._value["reason"].strip():
            found.append(f"{self.field.label}: {self.reason_label}")
        return found

    @property
    def reason_label(self) -> str:
        from meldcode_tui.casework.rules import reason_label

        return reason_label(self.field)

    def compose_input(self) -> ComposeResult:
        read_only = self.context.read_only
        advice = self.context.flow.texts.decision_advice.of(self.key, self.advised)
        if advice:
            yield Static(advice, classes="decision-advice", markup=False)
        if self.field.decider_warning and self.outside_role():
            yield Static(self.field.decider_warning, classes="decision-decider", markup=False)
        yes, no = self.field.yes_label, self.field.no_label
        chosen = {True: 0, False: 1}.get(self._value["value"], -1)
        yield ChoiceList(
            [yes, no], chosen, disabled=read_only, classes="field-input decision-choice"
        )
        options = field_options(self.field, self.context.flow)
        if options:
            yield Label(self.field.options_label, classes="decision-checklist-title", markup=False)
            yield CheckList(
                options, self._value["checked"], disabled=read_only, classes="decision-checklist"
            )
        yield Static(
            self.field.deviation_warning or DEFAULT_DEVIATION_WARNING,
            classes="decision-deviation",
            markup=False,
        )
        yield Label(self.reason_label, classes="decision-reason-label", markup=False)
        yield TextArea(
            self._value["reason"],
            soft_wrap=True,
            tab_behavior="focus",
            disabled=read_only,
            classes="decision-reason",
        )

    def on_mount(self) -> None:
        self._show_deviation()

    def _show_deviation(self) -> None:
        deviates = self.deviates()
        self.query_one(".decision-deviation", Static).set_class(deviates, "-visible")
        self.query_one(".decision-reason-label", Label).update(
            required_label(self.reason_label, self.reason_required())
        )

    def _update(self, **changes: Any) -> None:
        self.set_value({**self._value, **changes})
        self._show_deviation()

    @on(ChoiceList.Changed)
    def _choice_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        if event.index in (0, 1):
            self._update(value=event.index == 0)

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._update(checked=self.query_one(CheckList).checked)

    @on(TextArea.Changed)
    def _reason_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._update(reason=event.text_area.text)
