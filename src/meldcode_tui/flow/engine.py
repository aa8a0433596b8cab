"""The routing engine: a pure function of (routing table, answers) to the path and the advice.

An answer is an option id, or a mapping `{"option": id, "meldnormen": [ids]}` when the user ticked
which of an option's meldnormen apply. Ticked meldnormen replace the option's own; an option that
asks the professional to choose (`choose_meldnormen`) and has none ticked advises its meldnormen as
candidates only (`Advice.candidates`), never as confirmed. Answers to questions off the path are
kept by the caller and reported here as not in force; they never count towards the advice.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from meldcode_tui.flow.routing import END, REPEAT, RouteOption, RouteQuestion, RoutingTable
from meldcode_tui.inert import excerpt


class AnswerError(ValueError):
    """An answer names a question the flow lacks, or an option the question lacks."""


class Chosen(NamedTuple):
    """A validated answer: the option chosen and, optionally, the meldnormen ticked for it."""

    option: str
    meldnormen: tuple[str, ...] | None = None


class Advice(NamedTuple):
    """What the answers in force advise. The professional decides; this only advises.

    `meldnormen` are all norms the route points to; `candidates` those among them that the
    professional still has to choose from (nothing ticks them in advance). `may_close`: the case
    may be closed at once (e.g. no suspicion), with a reason.
    """

    melden: bool | None = None
    meldnormen: tuple[str, ...] = ()
    hulp: bool | None = None
    veilig_thuis_raadplegen: bool = False
    texts: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    may_close: bool = False

    @property
    def confirmed(self) -> tuple[str, ...]:
        """The meldnormen the answers themselves establish (not mere candidates)."""
        return tuple(n for n in self.meldnormen if n not in self.candidates)

    def to_json(self) -> dict[str, Any]:
        return {
            "melden": self.melden,
            "meldnormen": list(self.meldnormen),
            "hulp": self.hulp,
            "veilig_thuis_raadplegen": self.veilig_thuis_raadplegen,
        }


class Routing(NamedTuple):
    """The state of the weighing for a set of answers."""

    path: tuple[str, ...]
    next: str | None
    complete: bool
    advice: Advice
    not_in_force: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    chosen: Mapping[str, RouteOption] = MappingProxyType({})

    def to_json(self, table: RoutingTable) -> dict[str, Any]:
        return {
            "flow": table.flow_id,
            "version": table.version,
            "path": list(self.path),
            "next": self.next,
            "complete": self.complete,
            "advice": self.advice.to_json(),
        }


def parse_answer(question: RouteQuestion, value: object) -> Chosen:
    """Check one raw answer against its question."""
    meldnormen: tuple[str, ...] | None = None
    if isinstance(value, Mapping):
        raw_norms = value.get("meldnormen")
        if raw_norms is not None:
            if not isinstance(raw_norms, list) or not all(isinstance(n, str) for n in raw_norms):
                raise AnswerError(f"meldnormen for '{question.id}' must be a list of ids")
            meldnormen = tuple(raw_norms)
        value = value.get("option")
    if not isinstance(value, str):
        raise AnswerError(f"answer to '{question.id}' must be an option id, got {excerpt(value)}")
    option = question.option(value)
    if option is None:
        known = ", ".join(o.id for o in question.options)
        raise AnswerError(
            f"question '{question.id}' has no option {excerpt(value)} (options: {known})"
        )
    if meldnormen is not None:
        extra = [n for n in meldnormen if n not in option.meldnormen]
        if extra:
            raise AnswerError(
                f"meldnorm {excerpt(extra[0])} does not belong to answer {excerpt(value)} "
                f"of '{question.id}'"
            )
    return Chosen(option.id, meldnormen)


def parse_answers(
    table: RoutingTable, answers: Mapping[str, object], *, strict: bool = True
) -> tuple[dict[str, Chosen], tuple[str, ...]]:
    """Validate raw answers; return the parsed ones and the ids the flow does not know.

    With `strict`, an unknown question id is an error; otherwise it is returned as unknown so that
    a case begun on an older flow keeps its answers.
    """
    parsed: dict[str, Chosen] = {}
    unknown: list[str] = []
    for qid, value in answers.items():
        question = table.questions.get(qid)
        if question is None:
            if strict:
                raise AnswerError(f"the flow '{table.flow_id}' has no question {excerpt(qid)}")
            unknown.append(qid)
            continue
        parsed[qid] = parse_answer(question, value)
    return parsed, tuple(unknown)


def route(table: RoutingTable, answers: Mapping[str, object], *, strict: bool = True) -> Routing:
    """Follow the answers from the first question and return the path in force and the advice."""
    parsed, unknown = parse_answers(table, answers, strict=strict)
    path: list[str] = []
    chosen: dict[str, RouteOption] = {}
    next_id: str | None = None
    complete = False
    current = table.start
    while current is not None and current not in path:
        path.append(current)
        answer = parsed.get(current)
        if answer is None:
            next_id = current
            break
        option = table.questions[current].option(answer.option)
        assert option is not None
        chosen[current] = option
        if option.goto == END:
            complete = True
            break
        if option.goto == REPEAT:
            next_id = current
            break
        current = option.goto
    advice = _advice(path, chosen, parsed)
    off_path = tuple(qid for qid in parsed if qid not in chosen)
    return Routing(tuple(path), next_id, complete, advice, off_path, unknown, chosen)


def _advice(
    path: list[str], chosen: Mapping[str, RouteOption], parsed: Mapping[str, Chosen]
) -> Advice:
    melden: bool | None = None
    hulp: bool | None = None
    norms: list[str] = []
    firm: set[str] = set()
    consult = False
    close = False
    texts: list[str] = []
    for qid in path:
        option = chosen.get(qid)
        if option is None:
            continue
        if option.melden is True:
            melden = True
        elif option.melden is False and melden is None:
            melden = False
        if option.hulp is not None:
            hulp = option.hulp
        ticked = parsed[qid].meldnormen
        found = ticked or option.meldnormen
        norms.extend(n for n in found if n not in norms)
        if ticked or not option.choose_meldnormen:
            firm.update(found)
        consult = consult or option.veilig_thuis_raadplegen
        close = close or option.close
        if option.advice:
            texts.append(option.advice)
    candidates = tuple(n for n in norms if n not in firm)
    return Advice(melden, tuple(norms), hulp, consult, tuple(texts), candidates, close)
