"""The cyclic garbage collector around a run's bursts of imports and at the interpreter's exit.

Importing Prefect, Great Expectations, pandas and the cleaners creates some 600,000
long-lived objects and almost no garbage, yet the collector walks every one of them at each
full collection those allocations trigger (0.3 s each at that size, ~1.4 s of a run's
start-up). At exit, the interpreter's shutdown runs full collections over the whole heap once
more (1.5-2.7 s for a run's main process) to free what the end of the process frees anyway.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager

_exit_handler_registered = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Within the block, the collector does not start collections of its own.

    For blocks that import or load large libraries: what they build lives as long as the
    process, so collecting during the block only costs time. Reference counting still frees
    everything that is not in a cycle.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def no_collection_at_exit() -> None:
    """Make the interpreter's shutdown skip its collections over the objects alive at exit.

    Registered before the run starts Prefect's server, so that it runs after every later
    exit handler (Python runs them last registered first): Prefect stops its temporary server
    and drains its log and event queues first. Objects frozen then are still released with the
    process; only their cycles are no longer searched for.
    """
    global _exit_handler_registered
    if not _exit_handler_registered:
        atexit.register(gc.freeze)
        _exit_handler_registered = True
