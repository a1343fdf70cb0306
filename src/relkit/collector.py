"""The cyclic garbage collector's settings while a corpus is loaded or analysed.

Loading and analysing build many objects that live for the whole run (documents, their
cleaning logs, per-document results). Python's collector, at its default of a young
collection every 700 allocations, rescans them again and again: loading 20,000 news texts
took about 10% longer for it (``benchmarks/bench_load.py``). While the block runs, what exists already is frozen out of the
collector's sight (``gc.freeze``), so forked workers do not touch, and copy, its pages
either, and young collections come every ``GC_THRESHOLD`` allocations. Nested blocks leave
the settings to the outer one.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["quiet_collector", "GC_THRESHOLD"]

# Allocations between young-generation collections during a run (Python's default: 700).
GC_THRESHOLD = 50_000


@contextmanager
def quiet_collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    gc.set_threshold(max(threshold[0], GC_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if freeze:
            gc.unfreeze()
