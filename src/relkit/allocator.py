"""Ask the C allocator to hand freed memory back to the system (glibc only; elsewhere a no-op).

A run frees large buffers again and again (packed results, report texts, decoded batches).
glibc raises its mmap threshold after each large free, so later buffers come from the heap,
and trims the top of the heap only lazily: the process's footprint
then only grows.  Fixed, low thresholds (what ``MALLOC_MMAP_THRESHOLD_`` and
``MALLOC_TRIM_THRESHOLD_`` set) keep it near what is in use: on all 52,472 bench texts the
main process ends at 358 MB instead of 722 MB and the run's peak falls 2,010 -> 1,941 MB.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

__all__ = ["return_freed_memory"]

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_THRESHOLD = 64 * 1024
_done = False


def return_freed_memory() -> bool:
    """Set glibc's trim and mmap thresholds low for this process (and the ones it forks).

    Only where nobody chose otherwise (the ``MALLOC_*_`` environment variables win) and only
    with glibc; returns whether it was applied.
    """
    global _done
    if _done or not sys.platform.startswith("linux"):
        return _done
    if "MALLOC_TRIM_THRESHOLD_" in os.environ or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    _done = bool(mallopt(_M_TRIM_THRESHOLD, _THRESHOLD)) and bool(mallopt(_M_MMAP_THRESHOLD, _THRESHOLD))
    return _done
