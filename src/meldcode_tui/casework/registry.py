"""The flow registry: which flow a case is read with.

A case records the flow it was started with (id, version, content hash). The registry knows the
bundled flow and the flow files in the data folder's `flows/` (a school keeps older or own versions
there) and resolves a case's reference: the exact file when one has the recorded hash; else a flow
with the same id that still knows everything the case holds (a compatible change); else nothing, and
the case opens read-only with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from meldcode_tui.case.model import Case
from meldcode_tui.flow.errors import FlowError
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow

FLOWS_FOLDER = "flows"
FLOW_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Resolved:
    """The flow to read a case with; `problem` (English) says why the case must stay read-only."""

    flow: Flow
    exact: bool
    problem: str = ""


class FlowRegistry:
    """The bundled flow first, then the flow files of `<data folder>/flows/`, loaded when needed."""

    def __init__(self, bundled: Flow, data_folder: Path | None = None) -> None:
        self.bundled = bundled
        self._folder = data_folder / FLOWS_FOLDER if data_folder is not None else None
        self._extra: list[Flow] | None = None

    def flows(self) -> list[Flow]:
        return [self.bundled, *self._extra_flows()]

    def _extra_flows(self) -> list[Flow]:
        if self._extra is None:
            self._extra = list(_load_folder(self._folder)) if self._folder is not None else []
        return self._extra

    def resolve(self, case: Case) -> Resolved:
        ref = case.flow
        if self.bundled.id == ref.id and self.bundled.content_hash == ref.content_hash:
            return Resolved(self.bundled, exact=True)
        candidates = [f for f in self.flows() if f.id == ref.id]
        for flow in candidates:
            if flow.content_hash == ref.content_hash:
                return Resolved(flow, exact=True)
        for flow in candidates:
            if not unknown_to(flow, case):
                return Resolved(flow, exact=False)
        if candidates:
            unknown = unknown_to(candidates[0], case)
            return Resolved(
                candidates[0],
                exact=False,
                problem=f"the case's flow {ref.id} {ref.version} has changed: this version no "
                f"longer knows {', '.join(unknown[:3])}",
            )
        return Resolved(
            self.bundled,
            exact=False,
            problem=f"the case's flow {ref.id} {ref.version} is not installed",
        )


def unknown_to(flow: Flow, case: Case) -> list[str]:
    """What the case holds that `flow` does not know (question, option, step or field ids)."""
    unknown: list[str] = []
    for qid, answer in case.answers.items():
        question = flow.question(qid)
        if question is None:
            unknown.append(qid)
        elif all(option.id != answer.value for option in question.options):
            unknown.append(f"{qid}={answer.value}")
    for sid, record in case.steps.items():
        step = flow.step(sid)
        if step is None:
            unknown.append(sid)
            continue
        known = {f.id for f in step.fields}
        unknown.extend(f"{sid}.{fid}" for fid in record.values if fid not in known)
    return unknown


def _load_folder(folder: Path) -> Iterable[Flow]:
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix in FLOW_SUFFIXES)
    except OSError:
        return
    for path in paths:
        try:
            yield load_flow(path)
        except FlowError:
            continue
