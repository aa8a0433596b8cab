"""Keys in order: before a navigation acts (F7/F8, Esc, Ctrl+Q, a click), every key already sent
to the focused field is handled there, and the change it made has reached the screen.

Textual runs priority bindings in the app as soon as the key arrives, while the keys before it
may still wait in the focused widget's queue; over a slow remote session a burst of text and F8
arrives at once. Waiting for a `Callback` posted behind the pending messages of the focused widget
and each ancestor (until nothing is pending) puts the navigation after them.
"""

from __future__ import annotations

import asyncio
import contextlib

from textual.message_pump import MessagePump, active_message_pump
from textual.screen import Screen

MAX_ROUNDS = 20
ROUND_TIMEOUT = 0.5


def _pending(node: MessagePump) -> bool:
    return not node._message_queue.empty()  # Textual keeps no public view of a widget's queue


async def _behind(node: MessagePump) -> None:
    reached = asyncio.Event()
    node.call_later(reached.set)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(reached.wait(), ROUND_TIMEOUT)


async def settle_input(screen: Screen[object]) -> None:
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
    for _ in range(MAX_ROUNDS):
        busy = [node for node in chain if _pending(node)]
        if not busy:
            return
        for node in busy:
            await _behind(node)
