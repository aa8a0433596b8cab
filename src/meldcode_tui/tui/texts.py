"""Dutch texts the app shows for errors and times: one place, so the wording stays consistent.

Errors from `flow/` and `case/` carry English messages for developers; the user reads these.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from meldcode_tui.localtime import local

if TYPE_CHECKING:
    from meldcode_tui.case.errors import CaseError
    from meldcode_tui.flow.errors import FlowError


def local_time(moment: datetime) -> str:
    """hh:mm:ss in the local time zone."""
    return local(moment).strftime("%H:%M:%S")


def local_datetime(moment: datetime) -> str:
    """dd-mm-jjjj hh:mm in the local time zone."""
    return local(moment).strftime("%d-%m-%Y %H:%M")


def flow_error_text(exc: FlowError) -> str:
    lines = [
        "Meldcode kan niet starten: het protocolbestand (flow) is niet in orde.",
        "Laat dit herstellen door wie het programma beheert. Gevonden problemen:",
    ]
    lines.extend(f"  - {problem}" for problem in exc.problems)
    return "\n".join(lines)


def data_folder_text(folder: Path, exc: BaseException) -> str:
    reason = getattr(exc, "strerror", None) or str(exc)
    return (
        f"Meldcode kan niet starten: de map met zaken kan niet worden gebruikt:\n  {folder}\n"
        f"(technisch: {reason})\n"
        "Kies een andere map met --data-dir MAP, of herstel de map of haar rechten."
    )


def case_error_text(exc: CaseError, case_id: str) -> str:
    """Why a case cannot be opened, in Dutch, without case content."""
    from meldcode_tui.case import errors

    if isinstance(exc, errors.InvalidCaseId):
        return f"'{case_id}' is geen geldig zaaknummer."
    if isinstance(exc, errors.CaseNotFound):
        return f"Er is geen zaak met nummer {case_id} in deze map."
    if isinstance(exc, errors.NewerSchemaError):
        return (
            f"Zaak {case_id} is gemaakt met een nieuwere versie van meldcode. "
            "Werk het programma bij om deze zaak te openen."
        )
    if isinstance(exc, errors.CorruptCaseError | errors.InvalidCaseError):
        return (
            f"Het bestand van zaak {case_id} is beschadigd of geen zaakbestand en kan niet worden "
            "gelezen. Het bestand is niet veranderd."
        )
    if isinstance(exc, errors.UnreadableCaseError):
        return f"Het bestand van zaak {case_id} kan niet worden gelezen (rechten of schijf)."
    return f"Zaak {case_id} kan niet worden geopend ({exc})."


def save_error_text(exc: BaseException) -> str:
    return (
        f"Niet opgeslagen: {exc}. Uw tekst staat nog op het scherm; controleer de map met zaken "
        "en probeer het opnieuw."
    )


def list_error_text(count: int) -> str:
    if count == 1:
        return "1 zaakbestand kan niet worden gelezen en wordt niet getoond."
    return f"{count} zaakbestanden kunnen niet worden gelezen en worden niet getoond."
