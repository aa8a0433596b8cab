"""The status of a case, derived from its event log and never typed in.

open → gemeld (a melding was recorded) / hulp (help was started, or besluit 2 says so) → nazorg
(aftercare work began) → gesloten (closed, with a reason); a recorded reopen makes it heropend
until the next transition. Files written before statuses were derived carry `status` events;
those still count.

A close event's `detail` is the "bewaren tot" date chosen (ISO), so the date a closed case is kept
until is derived here too, and a reopen clears it; a `SHORTEN_RETENTION` event just before the
close holds the reason typed for keeping it shorter than the school's term.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from meldcode_tui.case.model import Event, Status

CLOSE = "close"
REOPEN = "reopen"
MELDING = "melding"
HULP_GESTART = "hulp_gestart"
TAKE_OVER = "take_over"
SHORTEN_RETENTION = "shorten_retention"

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


def closed_at(events: Iterable[Event]) -> datetime | None:
    """When the case was last closed, if it is closed."""
    at: datetime | None = None
    for event in events:
        if event.action == CLOSE:
            at = event.at
        elif event.action == REOPEN:
            at = None
    return at


def retain_until_of(events: Iterable[Event]) -> date | None:
    """The "bewaren tot" date of the last close, if the case is closed (and one was recorded)."""
    until: date | None = None
    for event in events:
        if event.action == CLOSE:
            until = _iso_date(event.detail)
        elif event.action in (REOPEN, _LEGACY_STATUS):
            until = None
    return until


def shortened_reason(events: Iterable[Event]) -> str:
    """Why the last close keeps the case shorter than the school's term ("" when it does not)."""
    reason = ""
    for event in events:
        if event.action == SHORTEN_RETENTION:
            reason = event.note
        elif event.action == REOPEN:
            reason = ""
    return reason


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


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
