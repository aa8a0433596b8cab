"""The application shell: loads the flow and the case store, holds the open case session, and
moves between the home screen and the step screens.

The home screen is shown before the flow file and the case store are loaded (in a daemon thread
started after the first frame), so the app is usable about as fast as a bare Textual app. Every
change to a case goes through `apply`, which turns a failed save into a Dutch notification
instead of a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen

from meldcode_tui.tui.prefs import Prefs, load_prefs, save_prefs
from meldcode_tui.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from meldcode_tui.case.index import Listing
    from meldcode_tui.case.model import Actor
    from meldcode_tui.case.store import CaseSession, CaseStore
    from meldcode_tui.flow.model import Flow, Step
    from meldcode_tui.tui.screens.aftercare import AftercareScreen
    from meldcode_tui.tui.screens.review import ReviewScreen

EXIT_OK = 0
EXIT_FAILED = 1

Clock = Callable[[], datetime]


def _command_provider() -> type[Any]:
    from meldcode_tui.tui.commands import MeldcodeCommands

    return MeldcodeCommands


class MeldcodeApp(App[None]):
    """One case at a time, walked through the steps of the flow."""

    TITLE = "Meldcode"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {_command_provider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", key_display="F1", tooltip="Protocoltekst", id="help"),
        Binding(
            "f2",
            "contacts",
            "Veilig Thuis",
            key_display="F2",
            tooltip="0800-2000 en 112",
            id="contacts",
        ),
        Binding("f4", "kader", "Afwegingskader", show=False, id="kader"),
        Binding("ctrl+o", "overview", "Alle zaken", show=False, id="overview"),
        Binding("ctrl+q", "quit", "Stoppen", priority=True, id="quit"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self,
        data_dir: Path,
        flow_path: Path,
        case_id: str | None = None,
        clock: Clock | None = None,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.demo = demo
        self.data_path = data_dir
        self.flow_path = flow_path
        self.start_case_id = case_id
        self.clock = clock
        self.prefs: Prefs = load_prefs()
        self.flow: Flow | None = None
        self.store: CaseStore | None = None
        self.session: CaseSession | None = None
        self.startup_error: str | None = None
        self._load_done = asyncio.Event()

    def get_default_screen(self) -> Screen[Any]:
        return HomeScreen()

    def on_mount(self) -> None:
        if self.demo:
            self.screen_change_signal.subscribe(self, self._mark_demo)
            self._mark_demo(self.screen)
        self.call_after_refresh(self._start_loading)

    def _mark_demo(self, screen: Screen[Any]) -> None:
        """Every screen of a demo run carries the demo banner."""
        from meldcode_tui.tui.widgets.banner import DemoBanner

        if not screen.query(DemoBanner):
            screen.mount(DemoBanner())

    def _start_loading(self) -> None:
        threading.Thread(target=self._load, name="meldcode-load", daemon=True).start()

    async def wait_until_loaded(self) -> None:
        """Until the flow and the cases are loaded, or loading failed."""
        await self._load_done.wait()

    def _deliver(self, callback: Callable[..., None], *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the app stopped before loading finished
            self.call_from_thread(callback, *args)

    def _load(self) -> None:
        """In a daemon thread, so that neither the first screen nor quitting waits for it."""
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.case.store import CaseStore
        from meldcode_tui.flow.errors import FlowError
        from meldcode_tui.flow.validate import load_flow
        from meldcode_tui.tui import texts

        try:
            flow = load_flow(self.flow_path)
        except FlowError as exc:
            self._deliver(self._fail, texts.flow_error_text(exc))
            return
        try:
            store = CaseStore(self.data_path)
            listing = store.list()
        except (CaseError, OSError) as exc:
            self._deliver(self._fail, texts.data_folder_text(self.data_path, exc))
            return
        self._deliver(self._loaded, flow, store, listing)

    def _fail(self, message: str) -> None:
        self._load_done.set()
        self.startup_error = message
        self.exit(return_code=EXIT_FAILED)

    def _loaded(self, flow: Flow, store: CaseStore, listing: Listing) -> None:
        self.flow = flow
        self.store = store
        home = self.home_screen
        if home is not None:
            home.show_listing(listing)
        if self.start_case_id:
            self.open_case(self.start_case_id)
        else:
            self.call_after_refresh(self.settle_memory)
        self._load_done.set()

    def settle_memory(self) -> None:
        """Collect once, then keep what lives now (the flow, the open screens and their widgets)
        out of the garbage collector's later passes.

        A full pass walks every object; with a step screen open it took up to 170 ms, a stall
        the user feels on a key press. Called once a screen is drawn (the pass then costs time
        while the user reads, not while they type); objects created afterwards are collected as
        usual, and the next call lets go of what died in between.
        """
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    @property
    def ready(self) -> bool:
        """The flow and the case store are loaded."""
        return self.flow is not None and self.store is not None

    @property
    def home_screen(self) -> HomeScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)

    @property
    def read_only(self) -> bool:
        return self.session is None or self.session.read_only

    def actor(self) -> Actor | None:
        from meldcode_tui.case.model import Actor

        if not self.prefs.name:
            return None
        return Actor(name=self.prefs.name, role=self.prefs.role)

    def remember(self, name: str, role: str) -> None:
        prefs = Prefs(name=name.strip(), role=role.strip())
        if prefs != self.prefs:
            self.prefs = prefs
            save_prefs(prefs)

    def open_case(self, case_id: str) -> bool:
        """Open a case at its saved position; a case that cannot be opened gives a message."""
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.tui import texts

        actor = self.actor()
        if self.store is None or self.flow is None:
            return False
        if actor is None:
            self.ask_actor(lambda: self.open_case(case_id))
            return False
        try:
            session = self.store.open(case_id, actor)
        except CaseError as exc:
            self.notify(
                texts.case_error_text(exc, case_id),
                title="Zaak niet geopend",
                severity="error",
                markup=False,
            )
            return False
        except OSError as exc:
            self.notify(
                f"Zaak {case_id} kan niet worden geopend: {exc.strerror}.",
                title="Zaak niet geopend",
                severity="error",
                markup=False,
            )
            return False
        self.close_case()
        self.session = session
        position = session.case.position
        step = self.flow.step(position.step) or self.flow.steps[0]
        self.show_step(step.id, position.focus, remember=False)
        return True

    def create_case(self, pupil: str, group: str) -> bool:
        """Start a new case and open it at step 1."""
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.case.model import FlowRef
        from meldcode_tui.tui import texts

        actor = self.actor()
        if self.store is None or self.flow is None or actor is None:
            return False
        flow = self.flow
        ref = FlowRef(id=flow.id, version=flow.version, content_hash=flow.content_hash)
        try:
            case = self.store.create(flow=ref, pupil=pupil, actor=actor, group=group)
        except (CaseError, OSError) as exc:
            self.notify(
                texts.save_error_text(exc),
                title="Zaak niet gemaakt",
                severity="error",
                markup=False,
            )
            return False
        return self.open_case(case.id)

    def ask_actor(self, then: Callable[[], object]) -> None:
        from meldcode_tui.tui.screens.actor import ActorScreen

        def done(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.remember(*result)
                then()

        self.push_screen(ActorScreen(self.prefs.name, self.prefs.role), done)

    def show_step(self, step_id: str, focus: str = "", *, remember: bool = True) -> None:
        """Show a step of the open case; the position is saved so that resuming lands here."""
        from meldcode_tui.tui.screens.step import StepScreen

        if self.flow is None or self.session is None:
            return
        step = self.flow.step(step_id)
        if step is None:
            return
        while isinstance(self.screen, Screen) and self.screen.is_modal:
            self.pop_screen()
        current = self.screen
        if isinstance(current, StepScreen) and current.session is self.session:
            current.show_step(step, focus)  # one screen per open case: swaps heading and body
        elif isinstance(current, StepScreen):
            self.switch_screen(StepScreen(step, focus))
        else:
            self.push_screen(StepScreen(step, focus))
        if remember:
            self.save_position(step_id, focus)

    def save_position(self, step_id: str, focus: str) -> None:
        session = self.session
        if session is None or session.read_only:
            return
        position = session.case.position
        if (position.step, position.focus) != (step_id, focus):
            self.apply(lambda s: s.set_position(step_id, focus))

    def apply(self, change: Callable[[CaseSession], object]) -> bool:
        """Apply one change to the open case (saved at once); False when it was not saved."""
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.tui import texts

        session = self.session
        if session is None or session.read_only:
            return False
        try:
            change(session)
        except (CaseError, OSError) as exc:
            self.notify(
                texts.save_error_text(exc),
                title="Let op",
                severity="error",
                timeout=10,
                markup=False,
            )
            return False
        return True

    def saved_time(self) -> str:
        """When the open case was last saved, hh:mm:ss local time (or the injected clock's)."""
        from meldcode_tui.tui.texts import local_time

        if self.clock is not None:
            return local_time(self.clock())
        saved_at = self.session.saved_at if self.session is not None else None
        return local_time(saved_at) if saved_at is not None else ""

    def close_case(self) -> None:
        if self.session is not None:
            session, self.session = self.session, None
            try:
                session.close()
            except Exception as exc:  # a lock file that cannot be removed must not stop the app
                self.log.warning(f"closing the case: {exc}")

    def go_home(self) -> None:
        """Close the case and return to the list of cases."""
        self.close_case()
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        home = self.home_screen
        if home is not None:
            home.reload()

    def current_step(self) -> Step | None:
        return getattr(self.screen, "step", None)

    def action_help(self) -> None:
        from meldcode_tui.tui.screens.help import HelpScreen

        if self.flow is not None and not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.flow, self.current_step()))

    def action_contacts(self) -> None:
        from meldcode_tui.tui.screens.contacts import ContactsScreen

        if self.flow is not None and not isinstance(self.screen, ContactsScreen):
            self.push_screen(ContactsScreen(self.flow.contacts))

    def action_kader(self) -> None:
        """The afwegingskader of the flow, with the open case's route highlighted."""
        from meldcode_tui.tui.screens.kader import AfwegingskaderScreen

        if self.flow is None or isinstance(self.screen, AfwegingskaderScreen):
            return
        answers = self.session.case.answer_values() if self.session is not None else {}
        self.push_screen(AfwegingskaderScreen(self.flow, answers))

    def action_overview(self) -> None:
        """All cases at a glance (the zorgcoördinator's view); closes the open case first."""
        from meldcode_tui.tui.screens.overview import OverviewScreen

        actor = self.actor()
        if self.store is None or self.flow is None or isinstance(self.screen, OverviewScreen):
            return
        if actor is None:
            self.ask_actor(self.action_overview)
            return
        self.go_home()
        self.push_screen(OverviewScreen(self.store, self.flow, actor), lambda _: self.go_home())

    def action_aftercare(self) -> None:
        """The aftercare checklist of the open case; the wizard closes the case to hand it over."""
        from meldcode_tui.tui.screens.aftercare import AftercareScreen

        actor = self.actor()
        if self.session is None or self.store is None or self.flow is None or actor is None:
            return
        case_id = self.session.case.id
        self.go_home()
        self.push_screen(AftercareScreen(self.store, self.flow, case_id, actor))

    def on_review_screen_take_over(self, message: ReviewScreen.TakeOver) -> None:
        self.go_home()
        self.open_case(message.case_id)

    def on_aftercare_screen_case_started(self, message: AftercareScreen.CaseStarted) -> None:
        self.notify(
            f"Nieuwe zaak {message.case_id} gestart, gekoppeld aan {message.linked_to}.",
            title="Stappenplan opnieuw",
            markup=False,
        )

    async def action_quit(self) -> None:
        self.close_case()
        self.exit()

    def action_help_quit(self) -> None:
        self.notify("Stoppen doet u met [b]Ctrl+Q[/b]; alles is al opgeslagen.", title="Stoppen?")

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(placeholder="Zoek een opdracht…", id="--command-palette")
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Thema kiezen", "Licht of donker kleurenschema", self.action_change_theme
        )
        yield SystemCommand("Toetsen", "Toon alle sneltoetsen", self.action_show_help_panel)
        yield SystemCommand("Stoppen", "Sluit de zaak en stop het programma", self.action_quit)


def make_app(
    data_dir: str | os.PathLike[str] | None = None,
    case_id: str | None = None,
    flow_path: Path | None = None,
    clock: Clock | None = None,
    demo: bool = False,
) -> MeldcodeApp:
    """The app, as the CLI, the tests and the snapshot modules start it."""
    from meldcode_tui.locations import data_dir as resolve_data_dir
    from meldcode_tui.locations import default_flow_path

    return MeldcodeApp(
        data_dir=resolve_data_dir(data_dir),
        flow_path=flow_path or default_flow_path(),
        case_id=case_id,
        clock=clock,
        demo=demo,
    )


def run(data_dir: str | None = None, case_id: str | None = None, demo: bool = False) -> int:
    """Run the app in the terminal and return the exit code; start-up problems print Dutch text."""
    import sys

    app = make_app(data_dir=data_dir, case_id=case_id, demo=demo)
    try:
        app.run()
    finally:
        app.close_case()
    if app.startup_error:
        print(app.startup_error, file=sys.stderr)
        return EXIT_FAILED
    return app.return_code or EXIT_OK
