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
import inspect
import os
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandListItem, CommandPalette, SimpleProvider
from textual.screen import Screen
from textual.signal import Signal

from meldcode_tui.tui.prefs import Prefs, load_prefs, save_prefs
from meldcode_tui.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from textual.widget import AwaitMount, Widget

    from meldcode_tui.case.index import Listing
    from meldcode_tui.case.lock import LockState
    from meldcode_tui.case.model import Actor
    from meldcode_tui.case.store import CaseStore
    from meldcode_tui.casework.registry import FlowRegistry
    from meldcode_tui.casework.work import CaseWork
    from meldcode_tui.flow.model import Flow, Step
    from meldcode_tui.tui.screens.review import ReviewScreen

EARLY_LIST_WAIT_S = 0.1
"""How long the first frame waits for the list of cases (read from the index: milliseconds);
a slower folder shows "Zaken worden geladen…" first, and the list when it is read."""
PAINT_WAIT_S = 1.0
"""The flow loads once the first frame is drawn, or after this long."""
HOLD_REFRESHES = 40
"""Frames a screen that opened may take to focus a field before the held keys go on anyway."""
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
        Binding(
            "f1", "help", "Help", key_display="F1", tooltip="Protocoltekst en toetsen", id="help"
        ),
        Binding(
            "f2",
            "contacts",
            "Veilig Thuis",
            key_display="F2",
            tooltip="0800-2000 en 112",
            id="contacts",
        ),
        Binding("f3", "change_actor", "Wie", key_display="F3", show=False, id="actor"),
        Binding("f4", "kader", "Afwegingskader", show=False, id="kader"),
        Binding("ctrl+o", "overview", "Alle zaken", show=False, id="overview"),
        Binding("ctrl+q", "quit", "Stoppen", priority=True, id="quit"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Menu",
            show=False,
            priority=True,
            tooltip="Zoek een opdracht of ga naar een stap",
            id="palette",
        ),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self,
        data_dir: Path,
        flow_path: Path,
        case_id: str | None = None,
        clock: Clock | None = None,
        demo: bool = False,
        ask_actor: bool = False,
    ) -> None:
        super().__init__()
        self.demo = demo
        # ask_actor: served in a browser, the person acting is asked, not read from or saved to
        # the prefs of the computer's user (who runs the server).
        self.remember_actor = not ask_actor
        self.data_path = data_dir
        self.flow_path = flow_path
        self.start_case_id = case_id
        self.clock = clock
        self.prefs: Prefs = load_prefs() if self.remember_actor else Prefs()
        self.flow: Flow | None = None
        self.store: CaseStore | None = None
        self.registry: FlowRegistry | None = None
        self.work: CaseWork | None = None
        """The open case: its one owner. Screens render `work.state` and send intents."""
        self.startup_error: str | None = None
        self._load_done = asyncio.Event()
        self._listed = threading.Event()
        self._painted = threading.Event()
        self._early: tuple[Listing, dict[str, str]] | None = None
        self._held_keys: list[events.Key] | None = []
        """Keys typed while a screen opens (the first one too: the terminal hands over keys
        typed ahead before the home screen has focused a field), kept for that screen."""
        self.actor_changed_signal: Signal[Prefs] = Signal(self, "actor-changed")
        self._tunes_memory = False
        """Set by `run_async`: the app owns the process, so it tunes the garbage collector."""
        self.rescued_to: Path | None = None
        """Where the case went when it could not be saved and the user chose to keep it apart."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.screen_stack:
            from meldcode_tui.tui.settle import settle_input, take_keys_coming_back

            if self._held_keys is not None:
                self._held_keys.append(event)  # a screen is opening: for its focused field
                return

            for _ in range(8):  # keys in order, also in a burst (tui/settle.py)
                if not self.screen_stack:
                    return
                await settle_input(self.screen)
                earlier = take_keys_coming_back(self)
                if not earlier:
                    break
                for key in earlier:
                    await self._dispatch_message(key)
            if self._held_keys is not None:  # the key before this one began opening a screen
                self._held_keys.append(event)
                return
        await super().on_event(event)

    async def run_async(self, **kwargs: Any) -> None:
        """Run the app as the process's one app (`meldcode`, `App.run`), tuning the garbage
        collector for it: what was imported is frozen (a full pass over it cost the first frame
        10-17 ms), the collector pauses until the first frame is drawn (as Textual pauses it
        while scrolling: what the first frame builds stays alive anyway), and `settle_memory`
        works. (Textual's `run_test`, one process running many apps, leaves the collector be.)"""
        self._tunes_memory = True
        gc.freeze()
        gc.disable()
        try:
            return await super().run_async(**kwargs)
        finally:
            gc.enable()

    def get_default_screen(self) -> Screen[Any]:
        return HomeScreen()

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._mark_screen)
        self._mark_screen(self.screen)
        self._start_loading()
        self._release_keys(typed_ahead=True)

    def _mark_screen(self, screen: Screen[Any]) -> None:
        """Every screen of a demo run carries the demo banner; every full screen says who is
        acting, changeable with F3."""
        from meldcode_tui.tui.widgets.actor import ActorLine
        from meldcode_tui.tui.widgets.banner import DemoBanner
        from meldcode_tui.tui.widgets.top_lines import TopLines

        if screen.query(TopLines):
            return
        lines: list[Widget] = [DemoBanner()] if self.demo else []
        if not screen.is_modal:
            lines.append(ActorLine(self.prefs))
        if lines:
            screen.mount(TopLines(*lines))

    def _start_loading(self) -> None:
        """List the cases at once and, if that is quick, before the first frame (so it shows
        them); the flow loads after the first frame, so that it does not slow that frame down."""
        threading.Thread(target=self._load, name="meldcode-load", daemon=True).start()
        if self._listed.wait(EARLY_LIST_WAIT_S):
            self._show_early()
        self.call_after_refresh(self._first_paint)

    def _first_paint(self) -> None:
        """The first frame is drawn: the collector runs again (`run_async` paused it) and the
        flow may load."""
        gc.enable()
        self._painted.set()

    async def wait_until_loaded(self) -> None:
        """Until the flow and the cases are loaded, or loading failed."""
        await self._load_done.wait()

    def _deliver(self, callback: Callable[..., object], *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the app stopped before loading finished
            self.call_from_thread(callback, *args)

    @contextlib.asynccontextmanager
    async def loaded_holding_keys(self) -> AsyncIterator[bool]:
        """For a handler that may run before loading is done (keys typed ahead): wait until the
        flow and the cases are loaded, keeping the keys typed meanwhile (and while the handler
        opens a screen) for the screen focused afterwards. Yields whether loading succeeded."""
        self._hold_keys()
        try:
            if not self.ready:
                self.notify("Even geduld: het protocol en de zaken worden nog geladen.")
                await self.wait_until_loaded()
            yield self.ready
        finally:
            self._release_keys()

    def _hold_keys(self) -> None:
        """From now on keep the keys typed, until `_release_keys`: a screen is opening, and
        Textual would give them to the screen that is going (or to none, until the new one has
        focused a field). Waiting in `on_event` instead would deadlock: focus is applied through
        the app's own queue."""
        if self._held_keys is None:
            self._held_keys = []

    def _release_keys(self, *, typed_ahead: bool = False) -> None:
        """Hand the held keys on once the screen now shown has focused a field. `typed_ahead`:
        the keys held since the start, some typed before the terminal left line mode, where
        Enter reads as a newline (Ctrl+J)."""
        self.call_after_refresh(self._deliver_held_keys, HOLD_REFRESHES, typed_ahead)

    async def _deliver_held_keys(self, refreshes_left: int, typed_ahead: bool = False) -> None:
        """Runs in the app's queue: keys typed since are still being held, so order is kept."""
        if self._held_keys is None:
            return
        if self.screen_stack and self.screen.focused is None and refreshes_left > 0:
            self.call_after_refresh(self._deliver_held_keys, refreshes_left - 1, typed_ahead)
            return
        from meldcode_tui.tui.settle import put_keys_back

        held, self._held_keys = self._held_keys, None
        if typed_ahead:
            held = [events.Key("enter", "\r") if k.key == "ctrl+j" else k for k in held]
        while held:  # straight to Textual: settling here would wait for the new screen, whose
            key = held.pop(0)  # mounting waits for this queue (the app's)
            await super().on_event(key)
            if not key.is_printable:  # Tab, Enter...: the keys after it wait for its effect
                put_keys_back(self, held)
                return

    def _list_early(self) -> tuple[Listing, dict[str, str]] | None:
        """The cases and the step labels of the flow as last validated, without pydantic or
        YAML; None when that is not possible (the full load then lists, with its messages)."""
        from meldcode_tui.case.index import list_cases
        from meldcode_tui.flow.cache import cached_steps
        from meldcode_tui.tui.texts import step_labels

        steps = cached_steps(self.flow_path)
        if steps is None:
            return None
        try:
            return list_cases(self.data_path), step_labels(steps)
        except Exception:  # the full load below reports it
            return None

    def _show_early(self) -> None:
        early, self._early = self._early, None
        home = self.home_screen
        if early is not None and home is not None and home.listing is None:
            home.show_listing(*early)

    def _load(self) -> None:
        """In a daemon thread, so that neither the first screen nor quitting waits for it."""
        self._early = self._list_early()
        listed = self._early is not None
        self._listed.set()
        if listed:
            self._deliver(self._show_early)  # no-op when shown before the first frame
        self._painted.wait(PAINT_WAIT_S)

        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.case.store import CaseStore
        from meldcode_tui.flow.cache import store_steps
        from meldcode_tui.flow.errors import FlowError
        from meldcode_tui.flow.validate import load_flow
        from meldcode_tui.tui import texts

        try:
            flow = load_flow(self.flow_path)
        except FlowError as exc:
            self._deliver(self._fail, texts.flow_error_text(exc))
            return
        if not listed:
            store_steps(flow)
        try:
            store = CaseStore(self.data_path)
            listing = None if listed else store.list()
        except (CaseError, OSError) as exc:
            self._deliver(self._fail, texts.data_folder_text(self.data_path, exc))
            return
        except Exception as exc:  # a bug must end the app with a message, not a loading screen
            self._deliver(self._fail, texts.data_folder_text(self.data_path, exc))
            return
        self._deliver(self._loaded, flow, store, listing)

    def _fail(self, message: str) -> None:
        self._load_done.set()
        self.startup_error = message
        self.exit(return_code=EXIT_FAILED)

    async def _loaded(self, flow: Flow, store: CaseStore, listing: Listing | None) -> None:
        from meldcode_tui.casework.registry import FlowRegistry

        self.flow = flow
        self.store = store
        self.registry = FlowRegistry(flow, store.root)
        home = self.home_screen
        if home is not None and listing is not None:
            home.show_listing(listing)
        elif home is not None:
            home.suggest_roles()
        if self.start_case_id:
            await self.open_case(self.start_case_id)
        else:
            if not self.remember_actor:
                self.ask_actor(lambda: None)  # with the flow's roles; home follows the signal
            self.call_after_refresh(self.settle_memory)
        self._load_done.set()

    def settle_memory(self) -> None:
        """Collect once, then keep what lives now (the flow, the open screens and their widgets)
        out of the garbage collector's later passes (only when `run_async` runs the app).

        A full pass walks every object; with a step screen open it took up to 170 ms, a stall
        the user feels on a key press. Called once a screen is drawn (the pass then costs time
        while the user reads, not while they type); objects created afterwards are collected as
        usual, and the next call lets go of what died in between.
        """
        if not self._tunes_memory:
            return
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
        return self.work is None or self.work.read_only

    def actor(self) -> Actor | None:
        from meldcode_tui.case.model import Actor

        if not self.prefs.name:
            return None
        return Actor(name=self.prefs.name, role=self.prefs.role)

    def remember(self, name: str, role: str) -> None:
        """The person acting from now on, in this session: every later event names them."""
        prefs = Prefs(name=name.strip(), role=role.strip())
        if prefs != self.prefs:
            self.prefs = prefs
            if self.remember_actor:
                save_prefs(prefs)
        actor = self.actor()
        if self.work is not None and actor is not None:
            self.work.set_actor(actor)
        self.actor_changed_signal.publish(self.prefs)

    def action_change_actor(self) -> None:
        """Change who is acting, from any screen."""
        from meldcode_tui.tui.screens.actor import ActorScreen

        if not isinstance(self.screen, ActorScreen):
            self.ask_actor(lambda: None)

    async def open_case(
        self,
        case_id: str,
        *,
        force: bool = False,
        read_only: bool = False,
        take_over: LockState | None = None,
    ) -> bool:
        """Open a case at its saved position; the one place the app opens a case. A case that
        cannot be opened gives a Dutch message. `take_over`: the lock the person confirmed to
        take over (see `_offer_takeover`)."""
        from meldcode_tui.tui import texts

        if self.store is None or self.registry is None:
            return False
        if self.actor() is None:
            self.ask_actor(lambda: self.open_case(case_id, force=force, read_only=read_only))
            return False
        self.close_case()
        work = await self._open_work(case_id, force=force, read_only=read_only, take_over=take_over)
        if work is None:
            return False
        self._show_opened(work)
        if take_over is None:
            self._offer_takeover(work)
        elif work.read_only:
            self.notify(texts.TAKEOVER_FAILED, severity="warning", markup=False)
        else:
            self.notify(texts.TAKEOVER_DONE, title="Vergrendeling overgenomen", markup=False)
        return True

    def _offer_takeover(self, work: CaseWork) -> None:
        """A case kept read-only by a lock whose holder cannot be checked (another computer, a
        time in the future, an unreadable lock file): ask whether to take the lock over."""
        from meldcode_tui.casework.work import ReadOnly
        from meldcode_tui.tui import texts
        from meldcode_tui.tui.screens.review_dialogs import ConfirmDialog

        state = work.lock_state
        if work.read_only_reason is not ReadOnly.LOCKED or state is None:
            return
        if not texts.takeover_offered(state):
            return

        async def answered(yes: object) -> None:
            if yes is True and self.work is work:
                await self.open_case(work.case_id, take_over=state)

        dialog = ConfirmDialog(
            "Vergrendeling overnemen?", texts.takeover_text(state), "Overnemen", safe_default=True
        )
        self.push_screen(dialog, answered)

    def _show_opened(self, work: CaseWork) -> None:
        self.work = work
        flow = work.flow
        position = work.case.position
        step = flow.step(position.step) or flow.step(work.state.progress) or flow.steps[0]
        self.show_step(step.id, position.focus, remember=False)

    async def create_case(self, pupil: str, group: str) -> bool:
        """Start a new case and open it at step 1 (the files are written in a worker thread)."""
        actor = self.actor()
        if self.store is None or self.flow is None or actor is None:
            return False
        self.close_case()
        return await self._create(pupil, group, actor)

    async def _create(self, pupil: str, group: str, actor: Actor) -> bool:
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.casework.work import CaseWork
        from meldcode_tui.tui import texts

        assert self.store is not None and self.flow is not None
        self._hold_keys()
        try:
            work = await asyncio.to_thread(
                CaseWork.create, self.store, self.flow, pupil=pupil, actor=actor, group=group
            )
        except (CaseError, OSError) as exc:
            self.notify(
                texts.save_error_text(exc),
                title="Zaak niet gemaakt",
                severity="error",
                markup=False,
            )
            return False
        finally:
            self._release_keys()  # after the new case is shown, in this same handler
        self._show_opened(work)
        return True

    def ask_actor(self, then: Callable[[], object]) -> None:
        from meldcode_tui.tui.screens.actor import ActorScreen

        async def done(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.remember(*result)
                outcome = then()
                if inspect.isawaitable(outcome):
                    await outcome

        self.push_screen(
            ActorScreen(self.prefs.name, self.prefs.role, self.flow.roles if self.flow else None),
            done,
        )

    def show_step(self, step_id: str, focus: str = "", *, remember: bool = True) -> None:
        """Show a step of the open case; the position is saved so that resuming lands here."""
        from meldcode_tui.tui.screens.step import StepScreen

        if self.work is None:
            return
        step = self.work.flow.step(step_id)
        if step is None:
            return
        while isinstance(self.screen, Screen) and self.screen.is_modal:
            self.pop_screen()
        current = self.screen
        if isinstance(current, StepScreen) and current.work is self.work:
            current.show_step(step, focus)  # one screen per open case: swaps heading and body
        elif isinstance(current, StepScreen):
            self.switch_screen(StepScreen(step, focus))
        else:
            self.push_screen(StepScreen(step, focus))
        if remember:
            self.save_position(step_id, focus)

    def save_position(self, step_id: str, focus: str) -> None:
        if self.work is not None and not self.work.read_only:
            self.apply(lambda w: w.move(step_id, focus))

    def apply(self, change: Callable[[CaseWork], object]) -> bool:
        """Send one intent to the open case (saved at once); False when it was not saved."""
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.tui import texts

        work = self.work
        if work is None or work.read_only:
            return False
        try:
            change(work)
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
        saved_at = self.work.saved_at if self.work is not None else None
        return local_time(saved_at) if saved_at is not None else ""

    def close_case(self) -> None:
        if self.work is not None:
            work, self.work = self.work, None
            try:
                work.release()
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
        """The protocol text of this step and the keys of the screen the user is on."""
        from meldcode_tui.tui.keys import screen_keys
        from meldcode_tui.tui.screens.help import HelpScreen

        if self.flow is not None and not isinstance(self.screen, HelpScreen):
            keys = screen_keys(self.screen)
            self.push_screen(HelpScreen(self.flow, self.current_step(), keys))

    def action_show_help_panel(self) -> None:
        """Textual's keys panel (English, and it cannot be closed with a key) is our F1 screen."""
        self.action_help()

    def action_hide_help_panel(self) -> None:
        """Nothing to hide: the keys are shown by the F1 screen, which closes itself."""

    def action_change_theme(self) -> None:
        """A light or a dark colour scheme, named in Dutch (in place of Textual's theme list)."""
        from meldcode_tui.tui.commands import theme_choices

        self.search_commands(theme_choices(self), placeholder="Kies een kleurenschema…")

    def get_key_display(self, binding: Binding) -> str:
        from meldcode_tui.tui.keys import key_display

        return key_display(super().get_key_display(binding))

    def action_contacts(self) -> None:
        from meldcode_tui.tui.screens.contacts import ContactsScreen, SchoolContacts

        if self.flow is not None and not isinstance(self.screen, ContactsScreen):
            school = SchoolContacts.read(Path(self.data_path))
            self.push_screen(ContactsScreen(self.flow.contacts, school))

    def action_kader(self) -> None:
        """The afwegingskader of the flow, with the open case's route highlighted."""
        from meldcode_tui.tui.screens.kader import AfwegingskaderScreen

        if self.flow is None or isinstance(self.screen, AfwegingskaderScreen):
            return
        from meldcode_tui.tui.screens.step import StepScreen

        work = self.work
        answers = work.case.answer_values() if work is not None else {}
        in_case = work is not None and isinstance(self.screen, StepScreen)

        def picked(question_id: str | None) -> None:
            step = work.flow.step_of_question(question_id) if work and question_id else None
            if step is not None and work is self.work:
                self.show_step(step.id, question_id or "")

        flow = work.flow if work else self.flow
        self.push_screen(AfwegingskaderScreen(flow, answers, can_pick=in_case), picked)

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
        self.push_screen(OverviewScreen(self.store, self.flow), lambda _: self.go_home())

    def action_aftercare(self) -> None:
        """The nazorg items of the open case: in the wizard, its Nazorg step (which edits them);
        elsewhere the aftercare screen over the current one (Esc returns to it)."""
        from meldcode_tui.tui.screens.aftercare import AftercareScreen

        work = self.work
        if work is None or isinstance(self.screen, AftercareScreen):
            return
        nazorg = next((s for s in work.flow.steps if s.holds_aftercare), None)
        if nazorg is not None and self._editing_in_wizard():
            self.show_step(nazorg.id)
            return
        self.push_screen(AftercareScreen(work))

    def holds(self, case_id: str) -> bool:
        """This app has the case open for editing."""
        return self.work is not None and self.work.case_id == case_id and self.work.holds_lock

    async def _open_work(
        self,
        case_id: str,
        *,
        title: str = "Zaak niet geopend",
        force: bool = False,
        read_only: bool = False,
        take_over: LockState | None = None,
    ) -> CaseWork | None:
        """`case_id` opened for the person acting (`CaseWork.open`, in a worker thread), or None
        after a Dutch message saying why it could not be. The keys typed meanwhile are held,
        and reach the screen the caller shows next once it has focused a field."""
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.casework.work import CaseWork
        from meldcode_tui.tui import texts

        actor = self.actor()
        if self.store is None or self.registry is None or actor is None:
            return None
        self._hold_keys()
        try:
            return await asyncio.to_thread(
                CaseWork.open,
                self.store,
                self.registry,
                case_id,
                actor,
                force=force,
                read_only=read_only,
                take_over=take_over,
            )
        except (CaseError, OSError) as exc:
            self.notify(
                texts.case_error_text(exc, case_id), title=title, severity="error", markup=False
            )
            return None
        finally:
            self._release_keys()  # after the caller has shown the case, in this same handler

    async def _work_for(self, case_id: str) -> CaseWork | None:
        """The open case if it is `case_id`, else `case_id` opened (and made the open case)."""
        if self.work is not None and self.work.case_id == case_id:
            return self.work
        self.close_case()
        self.work = await self._open_work(case_id)
        return self.work

    async def edit_aftercare(
        self, case_id: str, then: Callable[[], object], today: date | None = None
    ) -> None:
        """The aftercare of a case from the overview: opened for it, let go after."""
        from meldcode_tui.tui.screens.aftercare import AftercareScreen

        work = await self._work_for(case_id)
        if work is None:
            return

        def done(_: object) -> None:
            self.close_case()
            then()

        self.push_screen(AftercareScreen(work, today=today), done)

    async def change_case(
        self, case_id: str, intent: Callable[[CaseWork], object], title: str
    ) -> bool:
        """Send one intent to a case from the overview (close, reopen): the case is opened for
        it and let go after; False, with a Dutch message, when it was not done."""
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.tui import texts

        work = await self._work_for(case_id)
        if work is None:
            return False
        try:
            intent(work)
        except (CaseError, OSError) as exc:
            self.notify(texts.save_error_text(exc), title=title, severity="error", markup=False)
            return False
        finally:
            if not self._editing_in_wizard():
                self.close_case()
        return True

    def _editing_in_wizard(self) -> bool:
        from meldcode_tui.tui.screens.step import StepScreen

        return any(isinstance(screen, StepScreen) for screen in self.screen_stack)

    async def show_review(
        self, case_id: str, today: date | None = None, then: Callable[[], object] | None = None
    ) -> None:
        """The read-only review of a case (no lock is taken)."""
        from meldcode_tui.tui.screens.review import ReviewScreen

        work = await self._open_work(case_id, title="Zaak niet gelezen", read_only=True)
        if work is None:
            return

        def closed(_: object) -> None:
            if then is not None:
                then()

        self.push_screen(ReviewScreen(work, today=today), closed)

    async def on_review_screen_take_over(self, message: ReviewScreen.TakeOver) -> None:
        self.go_home()
        await self.open_case(message.case_id)

    def _handle_exception(self, error: Exception) -> None:
        """Textual's handling of an unhandled exception (the app exits), with a crash report
        without case data in place of Textual's traceback, which shows local variables."""
        from meldcode_tui.tui.crash import crash_notice

        notice = crash_notice(error)
        super()._handle_exception(error)
        self._exit_renderables[:] = [notice]

    async def action_quit(self) -> None:
        """Stop; with a change that could not be saved, ask first (never lose typed text)."""
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.tui.screens.review_dialogs import ChoiceDialog
        from meldcode_tui.tui.settle import settle_input

        await settle_input(self.screen)
        work = self.work
        if work is not None and work.unsaved:
            with contextlib.suppress(CaseError, OSError):
                work.flush()
        if work is None or not work.unsaved:
            self.close_case()
            self.exit()
            return
        dialog = ChoiceDialog(
            "Niet alles is opgeslagen",
            "De laatste wijziging in deze zaak kon niet worden opgeslagen (bijvoorbeeld: schijf "
            "vol of map alleen-lezen). Wat wil je doen?",
            [("rescue", "Apart bewaren en stoppen"), ("discard", "Stoppen zonder bewaren")],
            focus="cancel",
        )
        self.push_screen(dialog, self._quit_choice)

    def _quit_choice(self, choice: object) -> None:
        from meldcode_tui.case.errors import CaseError
        from meldcode_tui.casework.retention import rescue_folders

        work = self.work
        if choice == "discard" or work is None:
            self.close_case()
            self.exit()
        elif choice == "rescue":
            try:
                path = work.rescue(rescue_folders(self.data_path))
            except (CaseError, OSError):
                self.notify(
                    "Apart bewaren lukte nergens. Het programma blijft open; maak ruimte op de "
                    "schijf en probeer het opnieuw.",
                    title="Niet bewaard",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
                return
            self.rescued_to = path
            self.close_case()
            self.exit()

    def action_help_quit(self) -> None:
        if self.work is not None and self.work.unsaved:
            self.notify(
                "Let op: de laatste wijziging is nog niet opgeslagen. Stoppen met Ctrl+Q vraagt "
                "wat je ermee wilt doen.",
                title="Stoppen?",
                severity="warning",
                markup=False,
            )
            return
        self.notify("Stoppen doe je met Ctrl+Q; alles is opgeslagen.", title="Stoppen?")

    def action_command_palette(self) -> None:
        from meldcode_tui.tui.commands import DutchCommandPalette

        if self.use_command_palette and not CommandPalette.is_open(cast(App[object], self)):
            self.push_screen(
                DutchCommandPalette(placeholder="Zoek een opdracht…", id="--command-palette")
            )

    def search_commands(
        self, commands: Sequence[CommandListItem], placeholder: str = "Zoek een opdracht…"
    ) -> AwaitMount:
        from meldcode_tui.tui.commands import DutchCommandPalette

        return self.push_screen(
            DutchCommandPalette(
                # An instance, as Textual's own `search_commands` passes it (typed for classes).
                providers=[SimpleProvider(self.screen, list(commands))],  # type: ignore[list-item]
                placeholder=placeholder,
            )
        )

    def search_themes(self) -> None:
        self.action_change_theme()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's system commands that a mentor needs, in Dutch; no screenshot (it would
        write case content to a file outside the data folder) and no theme list in English."""
        yield SystemCommand(
            "Kleurenschema", "Licht of donker kleurenschema", self.action_change_theme
        )
        yield SystemCommand(
            "Toetsen", "Alle toetsen van dit scherm, met de protocoltekst (F1)", self.action_help
        )
        yield SystemCommand("Stoppen", "Sluit de zaak en stop het programma", self.action_quit)


def make_app(
    data_dir: str | os.PathLike[str] | None = None,
    case_id: str | None = None,
    flow_path: Path | None = None,
    clock: Clock | None = None,
    demo: bool = False,
    ask_actor: bool = False,
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
        ask_actor=ask_actor,
    )


def run(
    data_dir: str | None = None,
    case_id: str | None = None,
    demo: bool = False,
    ask_actor: bool = False,
) -> int:
    """Run the app in the terminal and return the exit code; start-up problems print Dutch text."""
    import sys

    app = make_app(data_dir=data_dir, case_id=case_id, demo=demo, ask_actor=ask_actor)
    try:
        app.run()
    finally:
        app.close_case()
    if app.startup_error:
        print(app.startup_error, file=sys.stderr)
        return EXIT_FAILED
    if app.rescued_to is not None:
        print(
            f"De zaak kon niet worden opgeslagen; een kopie staat in {app.rescued_to}.",
            file=sys.stderr,
        )
    return app.return_code or EXIT_OK
