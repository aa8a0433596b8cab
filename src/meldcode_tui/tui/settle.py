"""Keys in order: a key is handled only after the keys before it have been handled where they
went, and the changes they made have reached the screen.

Textual forwards each key to the widget focused when the app reads it, and runs priority bindings
(F7/F8, Ctrl+Q) and focus moves at once, while the keys before it may still wait in the focused
widget's queue. Over a slow remote session a burst of text and F8 (or Tab) arrives at once, and
text landed in the next field or question. Waiting for a `Callback` posted behind the pending
messages of the focused widget and each ancestor (until nothing is pending) restores the order;
a key on its way back to the app (Tab, Esc: to run a binding) is handled before the key after it.
The wait is bounded: a widget that is busy (a dialog it awaits) does not stall the keyboard.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from textual import events
from textual.message_pump import MessagePump, active_message_pump
from textual.screen import Screen

BUDGET_SECONDS = 0.5


def _pending(node: MessagePump) -> bool:
    return not node._message_queue.empty()  # Textual keeps no public view of a widget's queue


async def _behind(node: MessagePump, timeout: float) -> bool:
    """Wait until the messages now queued for `node` are handled; False when it took too long."""
    reached = asyncio.Event()
    node.call_later(reached.set)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(reached.wait(), timeout)
    return reached.is_set()


async def settle_input(screen: Screen[Any]) -> None:
    """Until the focused widget and its ancestors up to `screen` have nothing pending."""
    focused = screen.focused
    if focused is None:
        return
    running = active_message_pump.get(None)
    chain: list[MessagePump] = []
    for node in focused.ancestors_with_self:
        if node is not running:
            chain.append(node)
        if node is screen:
            break
    deadline = time.monotonic() + BUDGET_SECONDS
    while True:
        busy = [node for node in chain if _pending(node)]
        if not busy:
            return
        for pump in busy:
            left = deadline - time.monotonic()
            if left <= 0 or not await _behind(pump, left):
                return


def take_keys_coming_back(app: MessagePump) -> list[events.Key]:
    """Keys the focused widget did not use, on their way back to the app to run a binding (Tab,
    Esc), taken out of the app's queue so that they can be handled before the key after them."""
    queue: Any = app._message_queue  # textual._queue.Queue: a deque `values`, a `ready_event`
    values = getattr(queue, "values", None)
    if values is None:
        return []
    keys = [m for m in values if isinstance(m, events.Key) and m.is_forwarded]
    for key in keys:
        values.remove(key)
    if not values:
        queue.ready_event.clear()
    return keys


def put_keys_back(app: MessagePump, keys: list[events.Key]) -> None:
    """`keys` handled next by the app, before any message now queued, in their order."""
    if not keys:
        return
    queue: Any = app._message_queue
    values = getattr(queue, "values", None)
    if values is None:
        for key in keys:
            app.post_message(key)
        return
    values.extendleft(reversed(keys))
    queue.ready_event.set()
