"""Every error the case layer raises: one base class, English messages, never case content.

A message may name a file, a case id or a field id; it never quotes answers, notes or names, and it
never carries a pydantic error dump (those hold input values).
"""

from __future__ import annotations

from pathlib import Path


class CaseError(Exception):
    """Base of every case-layer error; `str(exc)` is a one-line English message."""


class InvalidCaseId(CaseError, ValueError):
    """A case id that is not one the store could have made (could leave the data folder)."""

    def __init__(self, case_id: object) -> None:
        shown = repr(case_id)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        super().__init__(f"invalid case id {shown}")
        self.case_id = case_id


class CaseNotFound(CaseError):
    """No case file with this id in the data folder."""

    def __init__(self, case_id: str) -> None:
        super().__init__(f"no case with id {case_id}")
        self.case_id = case_id


class CaseReadError(CaseError):
    """A case file that exists but cannot be used; `file` is its name, `reason` why."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"case file {file}: {reason}")
        self.file = file
        self.reason = reason


class UnreadableCaseError(CaseReadError):
    """The file could not be read at all (permissions, I/O error)."""


class CorruptCaseError(CaseReadError):
    """The file is not UTF-8 JSON: damaged, truncated or not a case file."""


class InvalidCaseError(CaseReadError):
    """The file is JSON but does not match the case format."""


class NewerSchemaError(CaseReadError):
    """The file was written by a newer version of meldcode, in a format this one cannot read."""

    def __init__(self, file: str, version: int, supported: int) -> None:
        super().__init__(
            file,
            f"written by a newer version of meldcode (case format {version}, this version reads "
            f"up to {supported}); update meldcode to open it",
        )
        self.version = version
        self.supported = supported


class SaveError(CaseError):
    """A save failed (disk full, read-only folder, no permission); the previous file is intact.
    `errno` is the operating system's error number, when there was one."""

    def __init__(self, message: str, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno


class StaleRevisionError(SaveError):
    """Someone else saved (or removed) the case file since this copy was read: the save was
    refused and nothing was overwritten. Reading the case again shows their version."""

    def __init__(self, case_id: str, *, removed: bool = False) -> None:
        what = "removed the case file" if removed else "saved the case"
        super().__init__(
            f"case {case_id} was not saved: someone else {what} since it was read, "
            "and nothing was overwritten; open the case again to see the current version"
        )
        self.case_id = case_id


class DataFolderError(CaseError):
    """The data folder cannot be created or read."""


class UnsafeFolderError(DataFolderError):
    """The data folder is open to others or belongs to someone else. `problem` is "others" or
    "owner"; the message says how to fix it."""

    def __init__(self, folder: Path, problem: str, mode: int, message: str) -> None:
        super().__init__(message)
        self.folder = folder
        self.problem = problem
        self.mode = mode


class ReadOnlyError(CaseError):
    """A change was attempted through a read-only or closed session."""


class CaseClosedError(ReadOnlyError):
    """A change to a closed case; it changes only after a recorded reopen."""


class LockLostError(ReadOnlyError):
    """Someone took over this session's lock; the session is read-only from now on."""


class InvalidValueError(CaseError, ValueError):
    """A value or id handed to the store has the wrong type or shape."""
