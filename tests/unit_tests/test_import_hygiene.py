"""The core knows no UI: importing `flow/` and `case/` (and the CLI) never loads Textual; only
making a PDF loads the PDF library.

Like Harlequin's test of the same name: the real imports run in a fresh interpreter and
`sys.modules` is read afterwards, which is the only way to see a deferred import really defer.
Modules are found with `pkgutil.walk_packages`, so a module added later is covered too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CORE_PACKAGES = ("meldcode_tui.flow", "meldcode_tui.case", "meldcode_tui.casework")

PROBE = """
import importlib, json, pkgutil, sys
imported = []
for name in sys.argv[1:]:
    package = importlib.import_module(name)
    imported.append(name)
    for info in pkgutil.walk_packages(package.__path__, prefix=name + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
loaded = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"imported": imported, "loaded": loaded}))
"""

IMPORT_ONLY = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
loaded = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"imported": sys.argv[1:], "loaded": loaded}))
"""


def probe(*names: str, code: str = PROBE) -> dict[str, list[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", code, *names], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_importing_every_core_module_does_not_load_textual(package: str) -> None:
    result = probe(package)
    assert len(result["imported"]) > 1, f"no modules found under {package}"
    assert "textual" not in result["loaded"], f"{package} imported textual"


def test_the_walk_finds_the_flow_modules() -> None:
    result = probe("meldcode_tui.flow")
    expected = {"cache", "engine", "errors", "model", "routing", "validate"}
    assert {f"meldcode_tui.flow.{m}" for m in expected} <= set(result["imported"])


@pytest.mark.parametrize(
    "module",
    [
        "meldcode_tui.flow",
        "meldcode_tui.flow.engine",
        "meldcode_tui.flow.routing",
        "meldcode_tui.flow.errors",
        "meldcode_tui.flow.cache",
    ],
)
def test_the_engine_side_of_flow_loads_neither_pydantic_nor_yaml(module: str) -> None:
    """What `flows run` on a warm cache needs must stay light (see DESIGN §3a)."""
    loaded = probe(module, code=IMPORT_ONLY)["loaded"]
    assert not {"pydantic", "yaml", "textual", "rich"} & set(loaded)


def test_building_the_cli_parser_does_not_load_textual() -> None:
    code = (
        "import json, sys\n"
        "from meldcode_tui.cli import build_parser\n"
        "build_parser()\n"
        "print(json.dumps({'imported': [], 'loaded': sorted(sys.modules)}))\n"
    )
    loaded = set(probe(code=code)["loaded"])
    assert not {"textual", "pydantic", "yaml"} & loaded


PDF_LIBRARIES = {"fpdf", "PIL", "fontTools"}


def test_listing_and_text_exports_do_not_load_the_pdf_library(tmp_path: Path) -> None:
    """fpdf2 (with Pillow and fontTools) is loaded only when a PDF is made."""
    code = (
        "import contextlib, io, json, sys\n"
        "from meldcode_tui import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert cli.main(['--data-dir', sys.argv[1], 'cases', 'list']) == 0\n"
        "print(json.dumps({'imported': [], 'loaded': sorted(sys.modules)}))\n"
    )
    loaded = set(probe(str(tmp_path), code=code)["loaded"])
    assert not PDF_LIBRARIES & loaded
    loaded = set(
        probe(
            "meldcode_tui.case.export",
            "meldcode_tui.tui.app",
            "meldcode_tui.tui.screens.review",
            "meldcode_tui.tui.screens.review_dialogs",
            code=IMPORT_ONLY,
        )["loaded"]
    )
    assert "textual" in loaded and not PDF_LIBRARIES & loaded
    assert "fpdf" in probe("meldcode_tui.case.pdf", code=IMPORT_ONLY)["loaded"]
