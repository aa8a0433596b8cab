"""The routing table: the part of a flow the engine needs, as plain frozen dataclasses.

It is derived from a validated `Flow` and can be stored as JSON, so that routing answers needs
neither YAML nor pydantic once a flow file has been validated (see `meldcode_tui.flow.cache`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meldcode_tui.flow.model import Flow


@dataclass(frozen=True)
class RouteOption:
    id: str
    goto: str
    advice: str = ""
    melden: bool | None = None
    hulp: bool | None = None
    meldnormen: tuple[str, ...] = ()
    veilig_thuis_raadplegen: bool = False


@dataclass(frozen=True)
class RouteQuestion:
    id: str
    options: tuple[RouteOption, ...]

    def option(self, option_id: str) -> RouteOption | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class RoutingTable:
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
                        veilig_thuis_raadplegen=o.effect.veilig_thuis_raadplegen,
                    )
                    for o in q.options
                ),
            )
            for q in flow.questions()
        }
        return cls(flow.id, flow.version, flow.content_hash, flow.start, questions)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RoutingTable:
        questions = {
            qid: RouteQuestion(
                q["id"],
                tuple(
                    RouteOption(**{**o, "meldnormen": tuple(o["meldnormen"])}) for o in q["options"]
                ),
            )
            for qid, q in data["questions"].items()
        }
        return cls(data["flow_id"], data["version"], data["content_hash"], data["start"], questions)
