"""Bytes <-> `Case`: parsing a case file with distinct errors for corrupt, invalid and newer files,
migration of older ones, and serialising a case for saving.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from meldcode_tui.case.errors import CorruptCaseError, InvalidCaseError
from meldcode_tui.case.migrate import migrate
from meldcode_tui.case.model import Case

_ID_LIKE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_MAX_PROBLEMS = 3


def parse_case(data: bytes, file: str, expected_id: str | None = None) -> Case:
    """Validate the bytes of a case file named `file`.

    Raises `CorruptCaseError`, `InvalidCaseError` or `NewerSchemaError`; messages hold field
    places and English reasons only, never values from the file.
    """
    try:
        case: Case | None = Case.model_validate_json(data)
    except ValidationError:
        case = None
    if case is None:
        case = _parse_slowly(data, file)
    if expected_id is not None and case.id != expected_id:
        raise InvalidCaseError(file, "the id inside the file does not match the file name")
    return case


def _parse_slowly(data: bytes, file: str) -> Case:
    """Find out why the fast path failed, migrating an older format on the way."""
    problem: str | None = None
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        problem = f"not valid UTF-8 text (byte {exc.start}); the file is damaged"
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        problem = "not valid JSON (nested too deeply)"
    except ValueError:  # an integer of more digits than Python converts
        problem = "not valid JSON (a number too long to read)"
    if problem is not None:
        raise CorruptCaseError(file, problem)
    if not isinstance(raw, dict):
        raise InvalidCaseError(file, "the file does not hold a case (not a JSON object)")
    raw = migrate(raw, file)
    try:
        return Case.model_validate(raw)
    except ValidationError as exc:
        problem = describe_validation(exc)
    raise InvalidCaseError(file, problem)


def describe_validation(exc: ValidationError) -> str:
    """Places and reasons of a pydantic error, without the input values it carries."""
    errors = exc.errors(include_url=False, include_context=False, include_input=False)
    parts = [f"{_place(e['loc'])}: {e['msg'].lower()}" for e in errors[:_MAX_PROBLEMS]]
    more = len(errors) - _MAX_PROBLEMS
    if more > 0:
        parts.append(f"and {more} more problem{'s' if more > 1 else ''}")
    return "does not match the case format (" + "; ".join(parts) + ")"


def _place(loc: tuple[Any, ...]) -> str:
    shown = [
        str(part) if isinstance(part, int) or _ID_LIKE.match(str(part)) else "?" for part in loc
    ]
    return ".".join(shown) or "(top level)"


def dump_case(case: Case, *, check: bool = True) -> bytes:
    """The bytes of a case file (compact JSON).

    With `check`, the bytes are validated as they will be read back, and `InvalidCaseError` is
    raised when the case in memory holds a value the format does not allow. A `CaseSession`
    builds every change from checked parts and saves with `check=False`.
    """
    data = case.model_dump_json().encode("utf-8")
    if not check:
        return data
    try:
        Case.model_validate_json(data)
    except ValidationError as exc:
        problem = describe_validation(exc)
    else:
        return data
    raise InvalidCaseError(f"{case.id}.json", problem)
