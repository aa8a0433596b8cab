"""The user guide stays true: every picture it links exists and is one that
`scripts/screenshots.py` takes, no picture points outside itself, every link inside the guide
finds its heading, and the script still drives the real app to a screen and saves it."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "handleiding.md"
IMAGES = ROOT / "docs" / "img"
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
ANCHOR_LINK = re.compile(r"\]\(#([^)\s]+)\)")


def load_script() -> ModuleType:
    path = ROOT / "scripts" / "screenshots.py"
    spec = importlib.util.spec_from_file_location("screenshots", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["screenshots"] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


screenshots = load_script()


def linked_images() -> list[str]:
    return IMAGE_LINK.findall(GUIDE.read_text(encoding="utf-8"))


def github_anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_every_linked_picture_exists_and_is_taken_by_the_script() -> None:
    links = linked_images()
    taken = {f"img/{shot.name}.svg" for shot in screenshots.SHOTS}
    assert len(links) >= 15
    missing = [link for link in links if not (GUIDE.parent / link).is_file()]
    assert missing == []
    assert sorted(set(links) - taken) == [], "a picture the script does not take"
    assert sorted(taken - set(links)) == [], "a picture the guide does not show"


def test_every_picture_is_a_whole_svg_that_fetches_nothing() -> None:
    pictures = sorted(IMAGES.glob("*.svg"))
    assert pictures
    for picture in pictures:
        svg = picture.read_text(encoding="utf-8")
        root = ElementTree.fromstring(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg", picture.name
        assert screenshots.external_references(svg) == [], picture.name
        assert "@font-face" not in svg, picture.name


def test_every_link_inside_the_guide_finds_its_heading() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    headings = {
        github_anchor(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")
    }
    targets = ANCHOR_LINK.findall(text)
    assert targets
    assert [target for target in targets if target not in headings] == []


def test_readme_links_the_guide_under_its_title() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    top = next(line for line in lines[1:] if line.strip())
    assert "(docs/handleiding.md)" in top


def test_the_web_font_is_stripped_and_nothing_else_may_point_out() -> None:
    svg = (
        '<svg><style>\n    @font-face {\n        font-family: "Fira Code";\n'
        '        src: local("FiraCode-Regular"),\n'
        '                url("https://cdnjs.example/FiraCode-Regular.woff2") format("woff2");\n'
        "    }\n    .x { fill: #fff }\n</style>"
        '<clipPath id="c"/><g clip-path="url(#c)"/></svg>'
    )
    cleaned = screenshots.local_only(svg)
    assert "https" not in cleaned and "@font-face" not in cleaned
    assert 'clip-path="url(#c)"' in cleaned
    with pytest.raises(ValueError, match="refers outside"):
        screenshots.local_only('<svg><image href="https://example.org/x.png"/></svg>')


async def test_the_script_takes_a_picture_of_the_real_app(tmp_path: Path) -> None:
    """The acute route: a case opened at step 5 by its id, F7 back to step 4's outcome."""
    shot = next(s for s in screenshots.SHOTS if s.name == "stap4-acuut")
    path = await screenshots.take(shot, tmp_path)
    svg = path.read_text(encoding="utf-8")
    assert path == tmp_path / "stap4-acuut.svg"
    assert screenshots.external_references(svg) == []
    text = re.sub(r"<[^>]+>", "", svg).replace("&#160;", " ")
    assert "Stap 4 van 5" in text
    assert "Demo-leerling Noor Bedacht" in text
    assert "0800-2000" in text
