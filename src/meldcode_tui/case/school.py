"""The school's own settings, shared by the team: a small YAML file `school.yaml` in the data
folder, next to the case files.

It holds what differs per school and is no protocol knowledge: the school's name (on the verslag),
its own contacts (aandachtsfunctionaris, zorgcoördinator, jeugdagent, ...; shown under F2 beside
the flow's national numbers) and the bewaartermijn a closed case is kept by default. A missing file
means the defaults; a damaged one is a `SchoolSettingsError` with an English reason that never
quotes the file's content, and the caller decides whether to go on with the defaults.

    name: Voorbeeldschool
    retention_years: 2
    contacts:
      - role: Aandachtsfunctionaris
        name: A. Voorbeeld
        phone: 010-1234567
        email: zorg@voorbeeldschool.nl
        note: Bereikbaar op schooldagen
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from meldcode_tui.safe_read import BadContent, FileProblem, check_shape, read_limited

SCHOOL_FILE_NAME: Final = "school.yaml"
SCHOOL_LIMIT: Final = 256 * 1024
DEFAULT_RETENTION_YEARS: Final = 2


class SchoolSettingsError(Exception):
    """`school.yaml` exists but cannot be used; `reason` is English and quotes no content."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SchoolContact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    role: str = Field(min_length=1, max_length=80)
    name: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=120)
    note: str = Field(default="", max_length=400)


class SchoolSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    name: str = Field(default="", max_length=120)
    retention_years: int = Field(default=DEFAULT_RETENTION_YEARS, ge=0, le=100)
    contacts: tuple[SchoolContact, ...] = ()


def school_path(root: Path) -> Path:
    return root / SCHOOL_FILE_NAME


def load_school(root: Path) -> SchoolSettings:
    """The settings in `root`'s `school.yaml`; the defaults when there is none."""
    try:
        data = read_limited(school_path(root), SCHOOL_LIMIT)
    except FileNotFoundError:
        return SchoolSettings()
    except FileProblem as exc:
        raise SchoolSettingsError(f"{SCHOOL_FILE_NAME}: {exc.reason}") from None
    return parse_school(data)


def parse_school(data: bytes) -> SchoolSettings:
    try:
        raw = yaml.load(data, Loader=yaml.BaseLoader)  # every value a string: 010-... stays
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError):
        raise SchoolSettingsError(f"{SCHOOL_FILE_NAME}: not valid YAML") from None
    if raw is None or raw == "":
        return SchoolSettings()
    try:
        check_shape(raw, max_nodes=10_000)
    except BadContent as exc:
        raise SchoolSettingsError(f"{SCHOOL_FILE_NAME}: {exc.reason}") from None
    if not isinstance(raw, dict):
        raise SchoolSettingsError(f"{SCHOOL_FILE_NAME}: must be a mapping of settings")
    try:
        return SchoolSettings.model_validate(raw)
    except ValidationError as exc:
        places = sorted({".".join(str(part) for part in err["loc"]) for err in exc.errors()})
        raise SchoolSettingsError(
            f"{SCHOOL_FILE_NAME}: wrong or unknown setting(s): {', '.join(places)}"
        ) from None
