"""The small dialogs of the review and aftercare screens: pick a step, save a text or a PDF as a
file, close or reopen a case with a reason, confirm an action (closing with a "bewaren tot" date
and destroying a case: `retention_dialogs`).

Files are written atomically and private (0600) through the case layer's `write_export`; an
existing file is never overwritten, a free name beside it is chosen instead.
"""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from meldcode_tui.case.outfile import write_export
from meldcode_tui.tui.fields.choicelist import ChoiceList


def free_path(folder: Path, filename: str) -> Path:
    """`folder/filename`, or `name-2.ext`, `name-3.ext`, ... when that exists."""
    target = folder / filename
    stem, suffix = target.stem, target.suffix
    number = 2
    while target.exists():
        target = folder / f"{stem}-{number}{suffix}"
        number += 1
    return target


Content = str | Callable[[], bytes]
"""What a file will hold: a text (written as UTF-8), or a function that makes the bytes (a PDF,
made only when that choice is saved)."""


def save_file(folder: Path, filename: str, data: bytes) -> Path:
    """Write `data` to a new file in `folder` (0600, atomic); returns its path. Raises OSError."""
    folder = folder.expanduser()
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is geen map")
    target = free_path(folder, filename)
    write_export(target, data)
    return target


def default_folder() -> Path:
    return Path.home()


class Dialog(ModalScreen[object]):
    """Base of the dialogs: Escape cancels."""

    CSS_PATH = "review_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren")]

    first_focus = ""
    """The selector of the widget that has focus when the dialog opens (per dialog)."""

    def on_mount(self) -> None:
        if self.first_focus:
            self.query_one(self.first_focus).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, ".cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)


class StepPicker(Dialog):
    """Choose the step whose summary is copied; dismisses with the step id."""

    AUTO_FOCUS = "#pick-steps"

    def __init__(self, title: str, steps: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.steps = list(steps)

    def compose(self) -> ComposeResult:
        with Vertical(classes="review-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(
                *(Option(label, id=step_id) for step_id, label in self.steps),
                id="pick-steps",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Annuleren", classes="cancel", compact=True)

    @on(OptionList.OptionSelected, "#pick-steps")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class SaveTextDialog(Dialog):
    """Offer to save one of a few texts (or a PDF) as a file in a folder the user picks.

    `texts` maps a choice label to (file name, content); with more than one, the user picks one.
    In a browser (`App.is_web`) the file is handed to the browser instead of a folder.
    Dismisses with the saved path (or the file name delivered to the browser), or None.
    """

    AUTO_FOCUS = "#save-folder, #save-ok"

    def __init__(
        self,
        title: str,
        intro: str,
        texts: dict[str, tuple[str, Content]],
        folder: Path | None = None,
        ok_label: str = "Opslaan",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.intro = intro
        self.texts = texts
        self.folder = folder or default_folder()
        self.ok_label = ok_label
        self.choice = next(iter(texts))
        self.busy = False  # a PDF is being made: another press does not start a second one

    def compose(self) -> ComposeResult:
        with Vertical(classes="review-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.intro:
                yield Static(self.intro, classes="dialog-text", markup=False)
            if len(self.texts) > 1:
                yield ChoiceList(list(self.texts), 0, id="save-choice")
            if not self.app.is_web:
                yield Label("Map", classes="dialog-label")
                yield Input(str(self.folder), id="save-folder", compact=True)
            yield Static("", id="save-message", classes="dialog-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ok_label, id="save-ok", variant="primary", compact=True)
                yield Button("Niet opslaan", classes="cancel", compact=True)

    @on(ChoiceList.Changed, "#save-choice")
    def _choice_changed(self, event: ChoiceList.Changed) -> None:
        self.choice = list(self.texts)[event.index]

    @on(Input.Submitted, "#save-folder")
    @on(Button.Pressed, "#save-ok")
    async def _save(self) -> None:
        if self.busy:
            return
        filename, content = self.texts[self.choice]
        if isinstance(content, str):
            data = content.encode("utf-8")
        else:
            self.busy = True
            self.query_one("#save-message", Static).update("Bezig met maken…")
            try:
                data = await asyncio.to_thread(content)
            finally:
                self.busy = False
        if self.app.is_web:
            self.app.deliver_binary(io.BytesIO(data), save_filename=filename)
            self.dismiss(filename)
            return
        folder = Path(os.path.expanduser(self.query_one("#save-folder", Input).value.strip()))
        try:
            path = save_file(folder, filename, data)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self.query_one("#save-message", Static).update(f"Niet opgeslagen: {reason}.")
            return
        self.dismiss(path)


class ReasonDialog(Dialog):
    """Ask the reason for a step that goes into the dossier (closing, reopening); dismisses with
    the reason, or None. `name` prefixes the ids of its input and button."""

    def __init__(self, title: str, text: str, ok_label: str, name: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.ok_label = ok_label
        self.name_prefix = name
        self.first_focus = f"#{name}-reason"

    def compose(self) -> ComposeResult:
        name = self.name_prefix
        with Vertical(classes="review-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.text, classes="dialog-text", markup=False)
            yield Input(id=f"{name}-reason", placeholder="reden", compact=True)
            yield Static("", id=f"{name}-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ok_label, id=f"{name}-ok", variant="warning", compact=True)
                yield Button("Annuleren", classes="cancel", compact=True)

    @on(Input.Submitted)
    @on(Button.Pressed, ".dialog-buttons Button:first-child")
    def _submitted(self) -> None:
        self._confirm()

    def _confirm(self) -> None:
        field = self.query_one(f"#{self.name_prefix}-reason", Input)
        reason = field.value.strip()
        if not reason:
            self.query_one(f"#{self.name_prefix}-message", Static).update("Vul een reden in.")
            field.focus()
            return
        self.dismiss(reason)


def reopen_case_dialog(pupil: str) -> ReasonDialog:
    return ReasonDialog(
        f"Zaak heropenen — {pupil}",
        "Waarom wordt deze gesloten zaak heropend? De reden en je naam komen in het dossier.",
        "Zaak heropenen",
        "reopen",
    )


class ChoiceDialog(Dialog):
    """A question with one button per choice and Annuleren; dismisses with the chosen id (or
    None). `focus` is the id of the button that has focus first ("cancel": Annuleren)."""

    def __init__(
        self, title: str, text: str, choices: Sequence[tuple[str, str]], *, focus: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.choices = list(choices)
        first = focus or self.choices[0][0]
        self.first_focus = ".cancel" if first == "cancel" else f"#choice-{first}"

    def compose(self) -> ComposeResult:
        with Vertical(classes="review-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.text, classes="dialog-text", markup=False)
            with Horizontal(classes="dialog-buttons"):
                for index, (choice, label) in enumerate(self.choices):
                    yield Button(
                        label,
                        id=f"choice-{choice}",
                        variant="primary" if index == 0 else "default",
                        compact=True,
                    )
                yield Button("Annuleren", classes="cancel", compact=True)

    @on(Button.Pressed, ".dialog-buttons Button")
    def _chosen(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("choice-"):
            self.dismiss(self.result_of(button_id.removeprefix("choice-")))

    def result_of(self, choice: str) -> object:
        return choice


class ConfirmDialog(ChoiceDialog):
    """Yes or no; dismisses with True, or None. Where saying yes throws something away, pass
    `safe_default=True`: the dialog then opens on "Annuleren", so a second Enter keeps it."""

    def __init__(self, title: str, text: str, ok_label: str, *, safe_default: bool = False) -> None:
        super().__init__(title, text, [("ok", ok_label)], focus="cancel" if safe_default else "")

    def result_of(self, choice: str) -> object:
        return True
