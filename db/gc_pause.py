"""Pausing Python's cycle collector around bulk work.

Opening a large document, exporting a corpus, measuring agreement and suggesting quotes each
build hundreds of thousands of small objects and no reference cycles; a full collection in
the middle would scan every live object again (a third of the time, or a visible pause), for
nothing. Collection resumes afterwards as usual.

What is still alive at the end is the work's result, which lives on: it goes straight to
the oldest generation (freeze, then unfreeze), instead of making the collector's next young
pass walk every object of it (40 ms for the suggestions of a 2 MB article). A cycle among
them, if there were one, is still found by the next full collection.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cycle collection while the block runs; its survivors go to the oldest generation."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()
