"""The route a case's answers take through its flow, and the early close that route offers
(vermoeden = nee: "Afsluiten en vastleggen"). Casework's rules and the verslag both read them
here, so the screen and the export never disagree on what a case may skip."""

from __future__ import annotations

from meldcode_tui.case.model import Case
from meldcode_tui.flow.engine import AnswerError, Routing, route
from meldcode_tui.flow.model import CloseCase, Flow


def routing_of(flow: Flow, case: Case) -> Routing | None:
    """The engine's routing of the case's answers; None when an answer no longer fits the flow."""
    try:
        return route(flow.routing, case.answer_values(), strict=False)
    except AnswerError:
        return None


def close_offer(flow: Flow, case: Case, routing: Routing | None = None) -> CloseCase | None:
    """The early close the route in force offers, or None."""
    routing = routing if routing is not None else routing_of(flow, case)
    if routing is None or not routing.advice.may_close:
        return None
    return flow.close_on(routing.path, {qid: a.value for qid, a in case.answers.items()})
