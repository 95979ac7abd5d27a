"""Helpers for bulk work (a register import of 200,000 markings, a large instroom file)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the duration.

    A bulk import keeps millions of small objects alive (rows, keys), and
    every full collection walks all of them again: about a third of a
    register import's time went there. Reference counting still frees
    everything; cycles wait until the collector runs again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
