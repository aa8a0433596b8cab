"""Every key the app can show is described in Dutch: each binding of the Textual widgets the app
uses has a Dutch text in `tui.keys` (a Textual upgrade that brings a new English one fails here),
and our own bindings are not Textual's English ones."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.app import App
from textual.binding import Binding
from textual.command import CommandInput, CommandList, CommandPalette
from textual.containers import ScrollableContainer, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    Markdown,
    OptionList,
    Select,
    Static,
    TabbedContent,
    TextArea,
    Tree,
)
from textual.widgets._select import SelectCurrent, SelectOverlay
from textual.widgets._tabs import Tabs

import meldcode_tui.tui
from meldcode_tui.tui.keys import DUTCH, describe, key_display

TEXTUAL_CLASSES: list[type[DOMNode]] = [
    App,
    Screen,
    ModalScreen,
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    Markdown,
    OptionList,
    Select,
    SelectCurrent,
    SelectOverlay,
    Static,
    TabbedContent,
    Tabs,
    TextArea,
    Tree,
    ScrollableContainer,
    VerticalScroll,
    CommandPalette,
    CommandInput,
    CommandList,
]
"""The Textual classes the app shows, with the parts they are made of (a Select's overlay, the
tabs of a TabbedContent, the palette's input and list)."""


def bindings_of(cls: type[DOMNode]) -> list[Binding]:
    found = []
    for klass in cls.__mro__:
        for item in klass.__dict__.get("BINDINGS", []):
            found.append(item if isinstance(item, Binding) else Binding(*item))
    return found


def our_classes() -> list[type[DOMNode]]:
    classes: list[type[DOMNode]] = []
    for module_info in pkgutil.walk_packages(meldcode_tui.tui.__path__, "meldcode_tui.tui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                classes.append(cls)
    return classes


@pytest.mark.parametrize("cls", TEXTUAL_CLASSES, ids=lambda cls: cls.__name__)
def test_every_textual_binding_has_a_dutch_text(cls: type[DOMNode]) -> None:
    missing = [
        (binding.action, binding.description)
        for binding in bindings_of(cls)
        if binding.description and describe(binding) == binding.description
    ]
    assert missing == []


def test_our_own_bindings_are_not_textuals_english() -> None:
    english = {description for _, description in DUTCH}
    classes = our_classes()
    assert len(classes) > 20
    own = [
        (cls.__name__, binding.description)
        for cls in classes
        for binding in (
            item if isinstance(item, Binding) else Binding(*item)
            for item in cls.__dict__.get("BINDINGS", [])
        )
    ]
    assert ("HomeScreen", "Nieuwe zaak") in own
    assert [pair for pair in own if pair[1] in english] == []


def test_a_binding_of_ours_with_a_textual_action_keeps_its_own_text() -> None:
    assert describe(Binding("enter", "select_cursor", "Openen")) == "Openen"
    assert describe(Binding("enter", "select_cursor", "Select")) == "Kiezen"
    assert describe(Binding("escape", "dismiss", "Dismiss menu")) == "Keuzes sluiten"


@pytest.mark.parametrize(
    ("textual", "dutch"),
    [("space", "spatie"), ("shift+space", "shift+spatie"), ("f4", "F4"), ("^p", "^p")],
)
def test_key_names(textual: str, dutch: str) -> None:
    assert key_display(textual) == dutch
