"""The routing table: the part of a flow the engine needs, as plain immutable records.

It is derived from a validated `Flow` and can be stored as JSON, so that routing answers needs
neither YAML nor pydantic once a flow file has been validated (see `meldcode_tui.flow.cache`).
The records are `NamedTuple`s, not dataclasses: `meldcode flows run` imports this on every call,
and `dataclasses` (with `inspect`) plus building the classes cost it more than its routing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from meldcode_tui.flow.model import Flow

END = "end"
"""Routing target: the weighing is finished after this option."""

REPEAT = "repeat"
"""Routing target: the same question must be answered again (after consulting Veilig Thuis, or
when the result of the help is known)."""

FORMAT = 2
"""The version of the table's JSON form; a stored table of another format is rebuilt."""


class RouteOption(NamedTuple):
    id: str
    goto: str
    advice: str = ""
    melden: bool | None = None
    hulp: bool | None = None
    meldnormen: tuple[str, ...] = ()
    choose_meldnormen: bool = False
    veilig_thuis_raadplegen: bool = False
    close: bool = False


class RouteQuestion(NamedTuple):
    id: str
    options: tuple[RouteOption, ...]

    def option(self, option_id: str) -> RouteOption | None:
        return next((o for o in self.options if o.id == option_id), None)


class RoutingTable(NamedTuple):
    flow_id: str
    version: str
    content_hash: str
    start: str | None
    questions: dict[str, RouteQuestion]

    @classmethod
    def from_flow(cls, flow: Flow) -> RoutingTable:
        questions = {
            q.id: RouteQuestion(
                q.id,
                tuple(
                    RouteOption(
                        id=o.id,
                        goto=o.goto or "",
                        advice=o.advice,
                        melden=o.effect.melden,
                        hulp=o.effect.hulp,
                        meldnormen=tuple(o.effect.meldnormen),
                        choose_meldnormen=o.effect.choose_meldnormen,
                        veilig_thuis_raadplegen=o.effect.veilig_thuis_raadplegen,
                        close=o.close is not None,
                    )
                    for o in q.options
                ),
            )
            for q in flow.questions()
        }
        return cls(flow.id, flow.version, flow.content_hash, flow.start, questions)

    def to_json(self) -> dict[str, Any]:
        return {
            **self._asdict(),
            "questions": {
                qid: {"id": q.id, "options": [o._asdict() for o in q.options]}
                for qid, q in self.questions.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RoutingTable:
        """Rebuild a table stored by `to_json`.

        Raises `ValueError`, `KeyError`, `TypeError` or `AttributeError` when the data is not a
        consistent routing table.
        """
        questions = {
            qid: RouteQuestion(
                q["id"],
                tuple(
                    RouteOption(**{**o, "meldnormen": tuple(o["meldnormen"])}) for o in q["options"]
                ),
            )
            for qid, q in data["questions"].items()
        }
        table = cls(
            data["flow_id"], data["version"], data["content_hash"], data["start"], questions
        )
        table.check()
        return table

    def check(self) -> None:
        """Raise `ValueError` unless every id, target and start of the table fits together."""
        for name in ("flow_id", "version", "content_hash"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} is not a string")
        if self.start is not None and self.start not in self.questions:
            raise ValueError(f"start '{self.start}' is not a question")
        targets = {*self.questions, END, REPEAT}
        for qid, question in self.questions.items():
            if question.id != qid or not question.options:
                raise ValueError(f"question '{qid}' is malformed")
            for option in question.options:
                if not isinstance(option.id, str) or option.goto not in targets:
                    raise ValueError(f"option '{option.id}' of '{qid}' is malformed")
