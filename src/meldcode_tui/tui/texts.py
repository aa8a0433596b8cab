"""Dutch texts the app shows for errors and times: one place, so the wording stays consistent.

Errors from `flow/` and `case/` carry English messages for developers; the user reads these.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from meldcode_tui.localtime import local, local_datetime

if TYPE_CHECKING:
    from collections.abc import Sequence

    from meldcode_tui.case.errors import CaseError, UnsafeFolderError
    from meldcode_tui.case.lock import LockState
    from meldcode_tui.casework.work import CaseWork
    from meldcode_tui.flow.errors import FlowError
    from meldcode_tui.flow.model import Flow


def local_time(moment: datetime) -> str:
    """hh:mm:ss in the local time zone."""
    return local(moment).strftime("%H:%M:%S")


def flow_error_text(exc: FlowError) -> str:
    lines = [
        "Meldcode kan niet starten: het protocolbestand (flow) is niet in orde.",
        "Laat dit herstellen door wie het programma beheert. Gevonden problemen:",
    ]
    lines.extend(f"  - {problem}" for problem in exc.problems)
    return "\n".join(lines)


def data_folder_text(folder: Path, exc: BaseException) -> str:
    from meldcode_tui.case.errors import CaseError, UnsafeFolderError

    if isinstance(exc, UnsafeFolderError):
        return unsafe_folder_text(exc)
    if isinstance(exc, CaseError | OSError):
        reason = getattr(exc, "strerror", None) or str(exc)
    else:
        reason = f"interne fout {type(exc).__name__}"
    return (
        f"Meldcode kan niet starten: de map met zaken kan niet worden gebruikt:\n  {folder}\n"
        f"(technisch: {reason})\n"
        "Kies een andere map met --data-dir MAP, of herstel de map of haar rechten."
    )


def unsafe_folder_text(exc: UnsafeFolderError) -> str:
    folder = exc.folder
    if exc.problem == "others":
        return (
            "Meldcode start niet: de map met zaken is open voor alle gebruikers van deze "
            f"computer (rechten {exc.mode:04o}):\n  {folder}\n"
            "Iedereen zou zaken kunnen lezen, veranderen of verwijderen. Maak de map privé met:\n"
            f"  chmod 700 {folder}\n"
            "(of chmod 770 voor een teammap die met één groep wordt gedeeld)."
        )
    return (
        f"Meldcode start niet: de map met zaken is van een andere gebruiker:\n  {folder}\n"
        "Die kan zaken veranderen of verwijderen. Kies een eigen map met --data-dir MAP, of laat "
        "de eigenaar de map delen met een groep waarin je zit (chgrp GROEP MAP; chmod 770 MAP)."
    )


TAKEOVER_DONE = (
    "Je bewerkt de zaak nu zelf. Wat de vorige houder nog wijzigt, wordt niet opgeslagen."
)
TAKEOVER_FAILED = "De vergrendeling is intussen veranderd; de zaak blijft alleen-lezen."


def takeover_offered(state: LockState) -> bool:
    """Whether to offer taking over a lock: only where this computer cannot see whether its
    holder still works on the case (a live program on this computer is never overruled)."""
    from meldcode_tui.case.lock import LockKind

    return state.kind in (LockKind.FOREIGN_HOST, LockKind.FUTURE, LockKind.UNREADABLE)


def takeover_text(state: LockState) -> str:
    """Who, where and since when holds the lock, why it may be left over, and what taking it
    over means."""
    from meldcode_tui.case.lock import LockKind

    holder = state.holder
    when = local_datetime(holder.time) if holder is not None else "onbekend"
    if state.kind is LockKind.UNREADABLE or holder is None:
        lines = [
            "Deze zaak is vergrendeld, maar het vergrendelbestand is onleesbaar "
            f"(technisch: {state.reason}). Het bestand is van {when}.",
        ]
    else:
        who = holder.user or "iemand"
        where = holder.host or "een onbekende computer"
        lines = [f"Deze zaak is geopend door {who} op {where}, sinds {when}."]
        if state.kind is LockKind.FUTURE:
            lines.append(
                "Die tijd ligt in de toekomst: een klok stond verkeerd, dus de tijd zegt niets."
            )
        else:
            lines.append("Deze computer kan niet nagaan of die persoon er nog mee werkt.")
    lines.append(
        "Neem alleen over als je zeker weet dat niemand de zaak daar nog open heeft. "
        "Wat daar daarna nog wordt gewijzigd, wordt niet opgeslagen."
    )
    return "\n".join(lines)


def case_error_text(exc: CaseError | OSError, case_id: str) -> str:
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
    if isinstance(exc, OSError):
        return f"Zaak {case_id} kan niet worden geopend (rechten of schijf)."
    return f"Zaak {case_id} kan niet worden geopend ({exc})."


def save_error_text(exc: BaseException) -> str:
    """Why a change was not saved, in Dutch, chosen by the error's type (never its English text)."""
    import errno

    from meldcode_tui.case import errors
    from meldcode_tui.casework.work import NotYetError

    keep = "Je tekst staat nog op het scherm."
    if isinstance(exc, errors.CaseClosedError):
        return "Deze zaak is gesloten. Heropen de zaak (met een reden) om iets te veranderen."
    if isinstance(exc, errors.StaleRevisionError):
        return (
            "Niet opgeslagen: iemand anders heeft deze zaak intussen opgeslagen; er is niets "
            "overschreven. Open de zaak opnieuw (F10, dan de zaak) en voer je wijziging opnieuw in."
        )
    if isinstance(exc, errors.LockLostError):
        return (
            "Niet opgeslagen: iemand anders heeft de zaak overgenomen. Je laatste wijziging is "
            "niet bewaard; wat eerder als opgeslagen werd gemeld, staat in de zaak."
        )
    if isinstance(exc, errors.ReadOnlyError):
        return "Niet opgeslagen: deze zaak is nu alleen te lezen."
    if isinstance(exc, NotYetError):
        return f"Niet opgeslagen: vul eerst in: {'; '.join(exc.waiting)}."
    if isinstance(exc, errors.InvalidValueError):
        return "Niet opgeslagen: deze invoer kan niet worden bewaard (onjuiste vorm)."
    if isinstance(exc, errors.SaveError | OSError):
        cause = exc.__cause__ if isinstance(exc, errors.SaveError) else exc
        code = getattr(exc, "errno", None) or getattr(cause, "errno", None)
        if code in (errno.ENOSPC, errno.EDQUOT):
            return f"Niet opgeslagen: de schijf is vol. {keep} Maak ruimte en probeer het opnieuw."
        if code in (errno.EROFS, errno.EACCES, errno.EPERM):
            return (
                f"Niet opgeslagen: er mag niet worden geschreven in de map met zaken. {keep} "
                "Controleer de map en haar rechten."
            )
        return f"Niet opgeslagen. {keep} Controleer de map met zaken en probeer het opnieuw."
    return f"Niet opgeslagen. {keep}"


def read_only_text(work: CaseWork) -> str:
    """Why the open case is read-only, in Dutch; empty when it can be changed."""
    from meldcode_tui.casework.work import ReadOnly

    reason = work.read_only_reason
    if reason is ReadOnly.NO:
        return ""
    if reason is ReadOnly.LOCKED and work.lock_holder is not None:
        holder = work.lock_holder
        who = holder.user or "iemand anders"
        where = f" op {holder.host}" if holder.host else ""
        return (
            f"Alleen lezen — deze zaak wordt bewerkt door {who}{where} "
            f"(sinds {local_datetime(holder.time)})."
        )
    if reason is ReadOnly.CLOSED:
        return "Alleen lezen — deze zaak is gesloten. Heropenen kan vanuit het overzicht (H)."
    if reason is ReadOnly.FLOW:
        return (
            "Alleen lezen — het protocol waarmee deze zaak is vastgelegd, is niet (meer) aanwezig "
            "of is veranderd. Vraag wie het programma beheert om die versie terug te zetten."
        )
    if reason is ReadOnly.STALE:
        return (
            "Alleen lezen — iemand anders heeft deze zaak intussen opgeslagen. Open haar opnieuw."
        )
    if reason is ReadOnly.LOCK_LOST:
        return "Alleen lezen — iemand anders heeft deze zaak overgenomen."
    if reason is ReadOnly.LOCK_FAILED:
        return "Alleen lezen — de zaak kan nu niet worden vergrendeld."
    return "Alleen lezen."


def list_error_text(count: int) -> str:
    if count == 1:
        return "1 zaakbestand kan niet worden gelezen en wordt niet getoond."
    return f"{count} zaakbestanden kunnen niet worden gelezen en worden niet getoond."


class _StepLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def number(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def short(self) -> str: ...


def step_label(flow: Flow, step_id: str) -> str:
    """A step as "3 Gesprek" (number and short name), short enough for 80×24."""
    step = flow.step(step_id) if step_id else flow.steps[0]
    return step_id if step is None else short_step_label(step)


def step_labels(steps: Sequence[_StepLike]) -> dict[str, str]:
    """`step_label` of each step by its id, "" naming the first step (a flow's steps, or the
    `flow.cache.StepHead`s known before the flow is loaded)."""
    labels = {step.id: short_step_label(step) for step in steps}
    if steps:
        labels[""] = labels[steps[0].id]
    return labels


def short_step_label(step: _StepLike) -> str:
    """Number and the flow's short name of a step (`Step.short`, else its title's first word)."""
    short = step.short or step.title.split()[0]
    return f"{step.number} {short}" if step.number is not None else short


CLOSE_EARLY_TEXT = (
    "{reason_label}: waarom wordt deze zaak nu afgesloten? De reden komt in het dossier."
)
CLOSED_EARLY = "De zaak is afgesloten en vastgelegd."


def school_contacts_title(school: str) -> str:
    return f"Contacten van {school}" if school else "Contacten van de school"


def school_file_missing(file: Path) -> str:
    return (
        "Nog geen eigen contacten van de school (aandachtsfunctionaris, zorgcoördinator, "
        f"jeugdagent, ...). Zet ze in {file}; een voorbeeld staat in docs/school.example.yaml."
    )


def school_file_broken(file: Path) -> str:
    return (
        f"De contacten van de school staan in {file}, maar dat bestand kan niet worden gelezen "
        "of is niet goed ingevuld. Vraag de beheerder het te herstellen; de landelijke nummers "
        "hierboven gelden altijd."
    )


def destroy_error_text(exc: CaseError | OSError, case_id: str) -> str:
    """Why a case was not destroyed, in Dutch, chosen by the error's type."""
    from meldcode_tui.case import errors
    from meldcode_tui.case.destroy import CaseInUseError, DestroyedButError, LogNotWrittenError
    from meldcode_tui.casework.retention import DestroyRefused, Standing

    if isinstance(exc, LogNotWrittenError):
        return (
            f"Zaak {case_id} is vernietigd, maar vernietigd.log kon niet worden bijgewerkt. "
            "Noteer zelf het zaaknummer, de datum en je naam."
        )
    if isinstance(exc, DestroyedButError):
        return (
            f"Zaak {case_id} is vernietigd, maar het bestand .index.json in de map met zaken "
            "kon niet worden bijgewerkt. Verwijder dat bestand; het wordt opnieuw gemaakt."
        )
    if isinstance(exc, DestroyRefused):
        if exc.standing is None:
            return "Alleen de zorgcoördinator kan een zaak vernietigen."
        if exc.standing is Standing.OPEN:
            return "Een lopende zaak wordt alleen vernietigd met een reden."
        return "De bewaartermijn van deze zaak is nog niet verstreken."
    if isinstance(exc, CaseInUseError):
        who = exc.state.holder.user if exc.state and exc.state.holder else ""
        return (
            f"Zaak {case_id} is niet vernietigd: {who or 'iemand anders'} heeft de zaak nu open. "
            "Dat kan pas als die de zaak heeft gesloten."
        )
    if isinstance(exc, errors.CaseNotFound):
        return f"Er is geen zaak met nummer {case_id} meer in deze map."
    if isinstance(exc, errors.CaseReadError):
        return case_error_text(exc, case_id)
    return (
        f"Zaak {case_id} is niet vernietigd: het bestand kon niet worden verwijderd "
        "(rechten of schijf). Er is niets veranderd."
    )
