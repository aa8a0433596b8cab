"""Printing for the headless commands: JSON to stdout, one-line English errors to stderr."""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def error(message: str) -> None:
    sys.stderr.write(f"meldcode: {message}\n")
