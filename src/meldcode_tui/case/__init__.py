"""Case files: the model (`model`), the store and editing sessions (`store`), listing (`index`),
locks (`lock`), atomic writes (`atomic`), ids (`ids`), format versions (`migrate`), bytes <-> case
(`codec`) and errors (`errors`). Nothing here imports Textual.

Names are loaded on first use, so `import meldcode_tui.case` costs nothing (pydantic included).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CaseStore": "store",
    "CaseSession": "store",
    "KEEP": "store",
    "Case": "model",
    "Actor": "model",
    "FlowRef": "model",
    "Status": "model",
    "CaseSummary": "index",
    "ListError": "index",
    "Listing": "index",
    "list_cases": "index",
    "LockInfo": "lock",
    "CaseError": "errors",
    "InvalidCaseId": "errors",
    "CaseNotFound": "errors",
    "CorruptCaseError": "errors",
    "InvalidCaseError": "errors",
    "NewerSchemaError": "errors",
    "SaveError": "errors",
    "StaleRevisionError": "errors",
    "LockLostError": "errors",
    "ReadOnlyError": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
