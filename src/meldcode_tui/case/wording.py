"""How a case's ids read in Dutch, with the flow's own labels: steps, fields, questions, decisions,
aftercare states, and the event log as a timeline (when, who, role, what).

The review screen's Tijdlijn and the verslag's appendix both come from `timeline_rows`, so they
never disagree.
"""

from __future__ import annotations

from typing import NamedTuple

from meldcode_tui.case.model import Actor, AftercareStatus, Case, Event
from meldcode_tui.flow.model import Flow, Step
from meldcode_tui.localtime import iso_date_text, local_datetime

AFTERCARE_LABELS = {
    AftercareStatus.OPEN: "open",
    AftercareStatus.GEDAAN: "gedaan",
    AftercareStatus.NVT: "niet van toepassing",
}


class TimelineRow(NamedTuple):
    """One event: when (local time, as text), who, in which role, and what it changed."""

    when: str
    who: str
    role: str
    what: str

    @property
    def person(self) -> str:
        return f"{self.who} ({self.role})" if self.role else self.who


def actor_text(actor: Actor) -> str:
    return f"{actor.name} ({actor.role})" if actor.role else actor.name


def step_name(step: Step) -> str:
    return f"Stap {step.number} — {step.title}" if step.number else step.title


def decision_labels(flow: Flow, key: str) -> tuple[str, str]:
    """How deciding yes and no on besluit `key` ("melden", "hulp") reads, from the flow."""
    field = next(
        (f for step in flow.steps for f in step.fields if f.decision == key and f.yes_label),
        None,
    )
    return (field.yes_label, field.no_label) if field is not None else ("Ja", "Nee")


def target_label(flow: Flow, target: str) -> str:
    """A step, field or question id as the flow names it: "gesprek.besproken" reads
    "Stap 3 — Wat is er besproken?"."""
    step_id, _, field_id = target.partition(".")
    step = flow.step(step_id)
    if step is not None:
        if not field_id:
            return step_name(step)
        field = next((f for f in step.fields if f.id == field_id), None)
        if field is not None:
            prefix = f"Stap {step.number}" if step.number else step.title
            return f"{prefix} — {field.label}"
    question = flow.question(target)
    if question is not None:
        step = flow.step_of_question(target)
        prefix = f"Stap {step.number}" if step is not None and step.number else "Afweging"
        return f"{prefix} — {question.text}"
    return target


def _option_label(flow: Flow, question_id: str, option_id: str) -> str:
    question = flow.question(question_id)
    option = question.option(option_id) if question is not None else None
    return option.label if option else option_id


def _decision_label(flow: Flow, key: str) -> str:
    field = next(
        (f for step in flow.steps for f in step.fields if f.decision == key),
        None,
    )
    return field.label if field is not None else f"besluit {key}"


def _aftercare_label(flow: Flow, item_id: str) -> str:
    option = next(
        (o for step in flow.steps for f in step.fields for o in f.options if o.id == item_id),
        None,
    )
    return option.label if option is not None else item_id


def describe_event(flow: Flow, event: Event) -> str:
    """What an event changed, in Dutch, with the flow's labels; only a close or reopen carries
    text the person typed (the reason)."""
    action, target, detail = event.action, event.target, event.detail
    if action == "create":
        version = f", protocol versie {detail}" if detail else ""
        return f"Zaak aangemaakt{version}"
    if action == "answer":
        return f"Beantwoord: {target_label(flow, target)} → {_option_label(flow, target, detail)}"
    if action == "clear_answer":
        return f"Antwoord gewist: {target_label(flow, target)}"
    if action == "value":
        return f"Vastgelegd: {target_label(flow, target)}"
    if action == "notes":
        return f"Notities bijgewerkt: {target_label(flow, target)}"
    if action == "decision":
        yes, no = decision_labels(flow, target)
        verdict = {"ja": yes, "nee": no}.get(detail, "bijgewerkt, nog geen besluit")
        return f"{_decision_label(flow, target)} → {verdict}"
    if action == "aftercare":
        try:
            status = AFTERCARE_LABELS[AftercareStatus(detail)]
        except ValueError:
            status = detail
        return f"Nazorg: {_aftercare_label(flow, target)} → {status}"
    if action == "status":
        return f"Status: {flow.status_label(detail)}"
    if action == "link":
        return f"Vervolg op zaak {target} (stappenplan opnieuw)"
    if action == "melding":
        return "Melding bij Veilig Thuis vastgelegd"
    if action == "hulp_gestart":
        return "Hulp gestart"
    if action == "close":
        kept = f", bewaren tot {iso_date_text(detail)}" if detail else ""
        return f"Zaak gesloten{kept}. Reden: {event.note}"
    if action == "shorten_retention":
        return (
            f"Korter bewaren dan de termijn van de school: tot {iso_date_text(detail)}. "
            f"Reden: {event.note}"
        )
    if action == "reopen":
        return f"Zaak heropend. Reden: {event.note}"
    if action == "take_over":
        where = f" op {target}" if target else ""
        return f"Zaak overgenomen van {detail or 'onbekend'}{where}"
    return " ".join(part for part in (action, target, detail) if part)


def timeline_rows(flow: Flow, case: Case) -> list[TimelineRow]:
    """The event log in order: when, who, role, what."""
    return [
        TimelineRow(local_datetime(e.at), e.by.name, e.by.role, describe_event(flow, e))
        for e in case.events
    ]
