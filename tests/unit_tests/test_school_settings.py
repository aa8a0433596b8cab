"""The school's shared settings file: defaults when absent, values when valid, a clear error that
quotes nothing of the file when it is damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from meldcode_tui.case.school import SchoolSettingsError, load_school


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    settings = load_school(tmp_path)
    assert settings.name == ""
    assert settings.retention_years == 2
    assert settings.contacts == ()


def test_a_valid_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "school.yaml").write_text(
        "name: Voorbeeldschool\nretention_years: 5\ncontacts:\n"
        "  - role: Aandachtsfunctionaris\n    name: A. Voorbeeld\n    phone: 0101234567\n",
        encoding="utf-8",
    )
    settings = load_school(tmp_path)
    assert settings.name == "Voorbeeldschool"
    assert settings.retention_years == 5
    assert settings.contacts[0].role == "Aandachtsfunctionaris"
    assert settings.contacts[0].phone == "0101234567"


@pytest.mark.parametrize(
    "content",
    [
        "name: [unclosed geheim-Bakker",
        "- a list geheim-Bakker",
        "name: x\nsecret_key: geheim-Bakker\n",
        "retention_years: -1\nname: geheim-Bakker\n",
        "contacts:\n  - name: geheim-Bakker\n",
    ],
)
def test_a_damaged_file_is_an_error_without_its_content(tmp_path: Path, content: str) -> None:
    (tmp_path / "school.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(SchoolSettingsError) as caught:
        load_school(tmp_path)
    assert "school.yaml" in caught.value.reason
    assert "geheim" not in str(caught.value)


def test_a_folder_in_its_place_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "school.yaml").mkdir()
    with pytest.raises(SchoolSettingsError):
        load_school(tmp_path)
