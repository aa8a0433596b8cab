"""The error a bad flow file raises: every problem with its file, place and reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a flow file."""

    file: str
    place: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.place}: {self.reason}"
            if self.place
            else f"{self.file}: {self.reason}"
        )


class FlowError(Exception):
    """A flow file cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
