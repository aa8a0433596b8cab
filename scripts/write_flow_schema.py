"""Write `flows/flow.schema.json`, the JSON Schema of the flow file format, from the `Flow` model.

Flow authors get completion and checks in their editor through the first line of a flow file:
`# yaml-language-server: $schema=flow.schema.json`. The schema describes shape only; ids, routing
targets, reachability and cycles are checked by `meldcode flows check`.

Usage:
    python scripts/write_flow_schema.py          # rewrite the file
    python scripts/write_flow_schema.py --check  # exit 1 when the file is out of date

`tests/unit_tests/test_flow_schema.py` fails when the committed file and the model disagree.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from meldcode_tui.flow.model import Flow

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "flows" / "flow.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def build_schema() -> dict[str, Any]:
    """The schema of a flow file: pydantic's validation schema of `Flow`, with its dialect."""
    schema = Flow.model_json_schema(mode="validation")
    return {"$schema": DIALECT, **schema, "title": "meldcode-tui flow file"}


def render_schema() -> str:
    """The file's exact text: keys sorted, indented, one trailing newline."""
    return json.dumps(build_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the file is up to date")
    args = parser.parse_args(argv)
    text = render_schema()
    if args.check:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
        if current != text:
            print(f"{SCHEMA_PATH} is out of date: run python scripts/write_flow_schema.py")
            return 1
        print(f"{SCHEMA_PATH}: up to date")
        return 0
    SCHEMA_PATH.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
