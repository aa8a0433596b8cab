"""Printing for the headless commands: JSON to stdout, one-line English errors to stderr, and text
from case files, flow files and users made inert (`meldcode_tui.inert`) on its way out.

Every line a command prints goes through one of these, so no control character from a case,
a flow or a file name reaches the terminal: `print_text` and `error` escape it, `print_json`
writes it as a JSON escape (`\\u001b`, `\\u202e`), which a JSON reader turns back into the text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any

from meldcode_tui.inert import LABEL_FAULT, UNSAFE_CODEPOINTS, has_unsafe, inert

_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in UNSAFE_CODEPOINTS if code >= 0x7F}
"""JSON itself escapes C0 controls in strings; its own layout uses line feeds."""


def print_json(data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(text.translate(_JSON_ESCAPES) + "\n")


def print_text(text: str) -> None:
    """Lines of text for a person (a table, a case, a document): line feeds and tabs kept,
    every other control character shown as an escape."""
    sys.stdout.write(inert(text, multiline=True))


def error(message: str) -> None:
    sys.stderr.write(f"meldcode: {inert(message)}\n")


def refuse_control_characters(args: argparse.Namespace, options: Iterable[str]) -> bool:
    """Say so in one line and answer True when one of the `options` typed holds a character
    `has_unsafe` finds (such text would be stored and later printed)."""
    for option in options:
        if has_unsafe(getattr(args, option)):
            error(f"--{option} contains {LABEL_FAULT}; type it without")
            return True
    return False
