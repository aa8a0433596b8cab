"""The error a bad flow file raises: every problem with its file, place and reason; reading a
flow file's bytes (a problem there is a `FlowError` too)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from meldcode_tui.safe_read import FLOW_LIMIT, UnreadableFile, read_limited


class Problem(NamedTuple):
    """One thing wrong with a flow file."""

    file: str
    place: str
    reason: str

    def __str__(self) -> str:
        """One line, whatever the file's ids contain: line breaks are shown escaped, and a
        reason quoting a huge id is cut short."""
        reason = self.reason
        if len(reason) > MAX_REASON_LENGTH:
            reason = f"{reason[:MAX_REASON_LENGTH]}…"
        text = f"{self.file}: {self.place}: {reason}" if self.place else f"{self.file}: {reason}"
        return text.translate(_ESCAPE_LINE_BREAKS)


MAX_REASON_LENGTH = 240


_ESCAPE_LINE_BREAKS = {
    ord(c): c.encode("unicode_escape").decode("ascii")
    for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
}


class FlowError(Exception):
    """A flow file cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def read_flow_file(path: str | Path) -> bytes:
    """The bytes of a flow file (a regular file within `FLOW_LIMIT`; a link the user named is
    followed); raises `FlowError` naming the file."""
    try:
        return read_limited(path, FLOW_LIMIT, follow_symlinks=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
    except UnreadableFile as exc:
        reason = exc.reason
    raise FlowError([Problem(str(path), "", f"cannot read file: {reason}")])
