"""The bewaartermijn and destroying a case: every rule about them, in one place.

On closing, a case gets a "bewaren tot" date: by default the day of closing plus the school's
`retention_years` (`case.school`); a person may choose another day, not before the day of
closing, and one before the default needs a reason. A closed case whose date has passed is
expired, the normal candidate for destruction. Destroying is for the zorgcoördinator; a closed case
still within its term (or closed without a date, under an older version) only when that is
confirmed (`force`), an open case only when confirmed and with a reason. No Textual here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from pathlib import Path

from meldcode_tui.case.destroy import RESCUE_FOLDER, Destroyed, destroy_case
from meldcode_tui.case.errors import InvalidValueError
from meldcode_tui.case.model import Actor, Case, Status
from meldcode_tui.case.school import DEFAULT_RETENTION_YEARS, SchoolSettingsError, load_school
from meldcode_tui.case.store import CaseStore

DESTROYER_ROLE = "zorgcoördinator"


class Standing(StrEnum):
    """Where a case stands towards destruction."""

    EXPIRED = "expired"
    """Closed, and its bewaren-tot date has passed: the normal candidate."""
    KEPT = "kept"
    """Closed, and still within its bewaren-tot date."""
    NO_TERM = "no_term"
    """Closed without a bewaren-tot date (closed by a version that did not record one)."""
    OPEN = "open"
    """Not closed."""


class DestroyRefused(InvalidValueError):
    """Destroying was refused by a rule; `standing` says where the case stood (None: the role)."""

    def __init__(self, message: str, standing: Standing | None) -> None:
        super().__init__(message)
        self.standing = standing


def rescue_folders(root: Path) -> list[Path]:
    """Where a case that could not be saved is kept apart, in order of preference: the data
    folder's `niet-opgeslagen/`, the config folder, the home folder."""
    from meldcode_tui.locations import config_dir

    return [root / RESCUE_FOLDER, config_dir(), Path.home()]


def retention_years(root: Path) -> int:
    """The school's default bewaartermijn in years; the default when `school.yaml` is damaged."""
    try:
        return load_school(root).retention_years
    except SchoolSettingsError:
        return DEFAULT_RETENTION_YEARS


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def default_retain_until(closed_on: date, years: int) -> date:
    return add_years(closed_on, years)


class RetainProblem(StrEnum):
    """Why a chosen "bewaren tot" date is not accepted."""

    BEFORE_CLOSING = "before_closing"
    SHORTER_WITHOUT_REASON = "shorter_without_reason"


def retain_problem(
    chosen: date, closed_on: date, default: date, reason: str
) -> RetainProblem | None:
    """What is wrong with keeping a case closed on `closed_on` until `chosen`, if anything: not
    before the day of closing, and before the school's `default` only with a reason."""
    if chosen < closed_on:
        return RetainProblem.BEFORE_CLOSING
    if chosen < default and not reason.strip():
        return RetainProblem.SHORTER_WITHOUT_REASON
    return None


def check_retain_until(chosen: date, closed_on: date, default: date, reason: str) -> None:
    """`InvalidValueError` when `retain_problem` finds something."""
    problem = retain_problem(chosen, closed_on, default, reason)
    if problem is RetainProblem.BEFORE_CLOSING:
        raise InvalidValueError("the keep-until date cannot be before the day the case is closed")
    if problem is RetainProblem.SHORTER_WITHOUT_REASON:
        raise InvalidValueError(
            "a keep-until date before the school's term "
            f"({default.isoformat()}) needs a reason for keeping the case shorter"
        )


def is_expired(status: str, retain_until: date | str | None, today: date) -> bool:
    """A closed case whose bewaren-tot date is before `today`."""
    if status != Status.GESLOTEN.value or not retain_until:
        return False
    if isinstance(retain_until, str):
        try:
            retain_until = date.fromisoformat(retain_until)
        except ValueError:
            return False
    return retain_until < today


def standing_of(case: Case, today: date) -> Standing:
    if case.status is not Status.GESLOTEN:
        return Standing.OPEN
    if case.retain_until is None:
        return Standing.NO_TERM
    return Standing.EXPIRED if is_expired(case.status, case.retain_until, today) else Standing.KEPT


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def may_destroy(role: str) -> bool:
    """Whether someone in `role` may destroy cases: the zorgcoördinator ("Zorgcoordinator",
    "zorg-coördinator" and the like count too)."""
    return _folded(DESTROYER_ROLE) in _folded(role)


def destroy(
    store: CaseStore,
    case_id: str,
    actor: Actor,
    *,
    force: bool = False,
    reason: str = "",
    today: date | None = None,
    rescue_in: Iterable[Path] | None = None,
) -> Destroyed:
    """Destroy a case by the rules above (`case.destroy` says what goes and what is logged).

    `force`: the person confirmed destroying a case that is not expired; `reason`: why an open
    case is destroyed (it goes in the log); `rescue_in`: the folders whose rescue copies of the
    case go too (default: `rescue_folders`). Raises `DestroyRefused`, or what `destroy_case` does.
    """
    if not may_destroy(actor.role):
        raise DestroyRefused(
            f"only the {DESTROYER_ROLE} may destroy cases (the role given is "
            f"{actor.role or 'empty'!r})",
            None,
        )
    day = today or date.today()

    def check(case: Case) -> None:
        standing = standing_of(case, day)
        if standing is Standing.EXPIRED:
            return
        if standing is Standing.OPEN:
            if not force or not reason.strip():
                raise DestroyRefused(
                    f"case {case.id} is not closed; destroying it needs --force and --reason",
                    standing,
                )
            return
        if not force:
            until = (
                f"is kept until {case.retain_until.isoformat()}"
                if case.retain_until is not None
                else "was closed without a keep-until date"
            )
            raise DestroyRefused(
                f"case {case.id} {until}; destroying it before that needs --force", standing
            )

    folders = rescue_in if rescue_in is not None else rescue_folders(store.root)
    return destroy_case(store, case_id, actor, check, reason=reason, rescue_folders=folders)
