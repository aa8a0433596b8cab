"""What the app shows after a bug, instead of Textual's crash report.

Textual prints an unhandled exception as a traceback with the local variables of every frame:
the open case, the text being typed, names. `MeldcodeApp._handle_exception` replaces that with
`crash_notice`: a Dutch message and the path of a crash report without case data
(`meldcode_tui.crash`). A failed worker reaches the app as Textual's `WorkerFailed`, whose
message holds the `repr` of the worker's exception; the report is made of that exception.
"""

from __future__ import annotations

from rich.text import Text
from textual.worker import WorkerFailed

from meldcode_tui.crash import write_report


def crash_notice(error: BaseException) -> Text:
    """Write the crash report of `error` and return the message to print on exit."""
    where = "app"
    if isinstance(error, WorkerFailed) and isinstance(error.error, BaseException):
        error, where = error.error, "app (worker)"
    report = write_report(error, where)
    message = (
        "Er ging iets mis in Meldcode en het programma is gestopt. Wat je hebt ingevoerd tot het "
        "laatste opslaan is bewaard."
    )
    if report is None:
        message += " Er kon geen foutverslag worden geschreven."
    else:
        message += f" Een foutverslag zonder zaakgegevens staat in {report}."
    return Text(message, end="\n")
