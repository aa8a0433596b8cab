"""Case format versions: the current `SCHEMA_VERSION` and the migrations from older ones.

A migration is a function from the JSON object of version N to that of version N+1, registered
with `@migration(N)`. Files are migrated in memory on read; the file itself changes only when the
case is next saved. Pure Python: no pydantic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from meldcode_tui.case.errors import InvalidCaseError, NewerSchemaError

SCHEMA_VERSION: Final = 2

Migration = Callable[[dict[str, Any]], dict[str, Any]]

MIGRATIONS: dict[int, Migration] = {}
"""Version N -> the function turning a version-N case object into a version-N+1 one."""


def migration(from_version: int) -> Callable[[Migration], Migration]:
    """Register a migration from `from_version` to `from_version + 1`."""

    def register(function: Migration) -> Migration:
        MIGRATIONS[from_version] = function
        return function

    return register


def schema_version_of(raw: dict[str, Any], file: str) -> int:
    version = raw.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int:
        raise InvalidCaseError(file, "schema_version is not a whole number")
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(file, version, SCHEMA_VERSION)
    return version


def migrate(raw: dict[str, Any], file: str) -> dict[str, Any]:
    """Bring a case object of any older version up to `SCHEMA_VERSION`."""
    version = schema_version_of(raw, file)
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise InvalidCaseError(file, f"case format {version} is too old to be read")
        raw = step(dict(raw))
        raw["schema_version"] = version + 1
        version += 1
    return raw


@migration(1)
def _answer_values_and_retain_until(raw: dict[str, Any]) -> dict[str, Any]:
    """Format 2 gives every answer the values of its option's fields (none before) and keeps
    the "bewaren tot" date of a closed case (`retain_until`). A case closed under format 1 had
    none recorded, and none is made up: it stays without one until it is reopened and closed
    again."""
    answers = raw.get("answers")
    if isinstance(answers, dict):
        raw["answers"] = {
            qid: {**answer, "values": {}}
            if isinstance(answer, dict) and "values" not in answer
            else answer
            for qid, answer in answers.items()
        }
    raw.setdefault("retain_until", None)
    return raw
