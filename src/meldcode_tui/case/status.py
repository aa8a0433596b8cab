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


def last_close(events: Iterable[Event]) -> Event | None:
    """The close that holds now: the last close event, unless the case was reopened since (or,
    in an old file, given another status by a `status` event)."""
    status, found = Status.OPEN, None
    for event in events:
        status = _after(status, event)
        if event.action == CLOSE:
            found = event
        elif status is not Status.GESLOTEN:
            found = None
    return found


def close_reason(events: Iterable[Event]) -> str:
    """The reason typed at the last close, if the case is closed."""
    close = last_close(events)
    return close.note if close is not None else ""


def closed_at(events: Iterable[Event]) -> datetime | None:
    """When the case was last closed, if it is closed."""
    close = last_close(events)
    return close.at if close is not None else None


def retain_until_of(events: Iterable[Event]) -> date | None:
    """The "bewaren tot" date of the last close, if the case is closed (and one was recorded)."""
    close = last_close(events)
    return _iso_date(close.detail) if close is not None else None


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
