"""A stored moment (UTC) in the local time zone, also at the edges of the calendar.

`datetime.astimezone()` raises OverflowError for a moment whose local time falls outside years
1-9999 (the last hours of 31-12-9999 east of UTC, the first hours of 01-01-0001 west of it), and
some platforms raise OSError or ValueError for moments far from now. A case file may hold such a
moment (typed, imported or damaged); it is shown in UTC instead of stopping the export or the app.

Imports nothing heavy: the app's first screen uses it.
"""

from __future__ import annotations

from datetime import date, datetime


def local(moment: datetime) -> datetime:
    """`moment` in the local time zone, or `moment` itself when it has no local time."""
    try:
        return moment.astimezone()
    except (OverflowError, ValueError, OSError):
        return moment


def local_datetime(moment: datetime) -> str:
    """dd-mm-jjjj hh:mm in the local time zone."""
    return local(moment).strftime("%d-%m-%Y %H:%M")


def local_date(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def iso_date_text(text: str) -> str:
    """A stored ISO date as dd-mm-jjjj; any other text unchanged."""
    try:
        return local_date(date.fromisoformat(text))
    except ValueError:
        return text
