"""The status of a case, derived from its event log and never typed in.

open → gemeld (a melding was recorded) / hulp (help was started, or besluit 2 says so) → nazorg
(aftercare work began) → gesloten (closed, with a reason); a recorded reopen makes it heropend
until the next transition. Files written before statuses were derived carry `status` events;
those still count.
"""

from __future__ import annotations

from collections.abc import Iterable

from meldcode_tui.case.model import Event, Status

CLOSE = "close"
REOPEN = "reopen"
MELDING = "melding"
HULP_GESTART = "hulp_gestart"
TAKE_OVER = "take_over"

_LEGACY_STATUS = "status"


def status_of(events: Iterable[Event]) -> Status:
    """The status the events lead to, read in order."""
    status = Status.OPEN
    for event in events:
        status = _after(status, event)
    return status


def close_reason(events: Iterable[Event]) -> str:
    """The reason typed at the last close, if the case is closed."""
    reason = ""
    for event in events:
        if event.action == CLOSE:
            reason = event.note
        elif event.action == REOPEN:
            reason = ""
    return reason


def _after(status: Status, event: Event) -> Status:
    action = event.action
    if action == CLOSE:
        return Status.GESLOTEN
    if action == REOPEN:
        return Status.HEROPEND
    if action == _LEGACY_STATUS:
        try:
            return Status(event.detail)
        except ValueError:
            return status
    if status is Status.GESLOTEN:
        return status
    if action == MELDING:
        return Status.GEMELD
    if action == HULP_GESTART:
        return Status.GEMELD if status is Status.GEMELD else Status.HULP
    if action == "decision" and event.target == "hulp" and event.detail == "ja":
        return Status.GEMELD if status is Status.GEMELD else Status.HULP
    if action == "aftercare" and status in (Status.GEMELD, Status.HULP):
        return Status.NAZORG
    return status
