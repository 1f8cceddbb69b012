"""A time limit on one call, in whichever thread makes it: the call is stopped, not waited for.

A page can make an extractor run for minutes (trafilatura and htmldate grow faster than
linearly on some markup), and a shard must go on without it. Signals only reach a process's
main thread, while shards run in worker processes, Prefect's task threads or Dask's worker
threads; so one watchdog thread per process raises `TimeLimitExceeded` inside the late call
(CPython's `PyThreadState_SetAsyncExc`). Like Ctrl-C, it lands between two Python bytecodes:
a single long call into C (a regular expression, lxml's parser) ends first. The size checks
before parsing keep those calls short.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)


class TimeLimitExceeded(BaseException):
    """Raised inside a call that ran past its time limit.

    A BaseException, like KeyboardInterrupt, so that the `except Exception` blocks with which
    libraries guard their heuristics do not swallow it.
    """


@dataclass(eq=False)
class _Limit:
    thread_id: int
    deadline: float
    finished: bool = False  # set by the calling thread once its call has returned or raised
    firing: bool = False  # set by the watchdog while it decides and raises
    fired: bool = False


@dataclass
class _Watchdog:
    """The process's watchdog thread and the limits it keeps, by thread."""

    wake: threading.Condition = field(default_factory=threading.Condition)
    limits: dict[int, _Limit] = field(default_factory=dict)
    thread: threading.Thread | None = None

    def arm(self, seconds: float) -> _Limit:
        limit = _Limit(threading.get_ident(), time.monotonic() + seconds)
        with self.wake:
            self.limits[limit.thread_id] = limit
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self._watch, name="newsclean-time-limits", daemon=True
                )
                self.thread.start()
            self.wake.notify()
        return limit

    def settle(self, limit: _Limit) -> None:
        """Called by the limited thread when its call is over: after it, nothing can be raised.

        No lock is taken here: the exception may land at any bytecode of this method, and a
        lock held at that moment would never be released. The two flags order the threads
        instead: either the watchdog sees `finished` and does not fire, or this thread sees
        `firing` and waits until the exception is set, to take it back or to be hit by it.
        """
        limit.finished = True
        while limit.firing:
            time.sleep(0)
        self.limits.pop(limit.thread_id, None)
        if limit.fired:
            _set_async_exc(limit.thread_id, ctypes.py_object())  # a NULL: withdraw it if unseen

    def _watch(self) -> None:
        with self.wake:
            while True:
                now = time.monotonic()
                for limit in list(self.limits.values()):
                    if limit.deadline <= now:
                        self.limits.pop(limit.thread_id, None)
                        _fire(limit)
                deadlines = [limit.deadline for limit in self.limits.values()]
                self.wake.wait(min(deadlines) - now if deadlines else None)


def _fire(limit: _Limit) -> None:
    limit.firing = True
    if not limit.finished:
        limit.fired = True
        _set_async_exc(limit.thread_id, ctypes.py_object(TimeLimitExceeded))
    limit.firing = False


_watchdog = _Watchdog()


def _after_fork() -> None:
    # The watchdog thread does not survive a fork; a worker starts its own at its first call.
    global _watchdog
    _watchdog = _Watchdog()


os.register_at_fork(after_in_child=_after_fork)


def call_with_time_limit(
    seconds: float, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """`function(*args, **kwargs)`, stopped with TimeLimitExceeded once `seconds` have passed.

    A call made while the same thread is already limited runs under the outer limit.

    >>> call_with_time_limit(5, sum, [1, 2, 3])
    6
    >>> def spin():
    ...     while True:
    ...         try:
    ...             pass
    ...         except Exception:  # what libraries do around their heuristics
    ...             pass
    >>> try:
    ...     call_with_time_limit(0.05, spin)
    ... except TimeLimitExceeded:
    ...     print("stopped")
    stopped
    """
    watchdog = _watchdog
    if threading.get_ident() in watchdog.limits:
        return function(*args, **kwargs)
    limit = watchdog.arm(seconds)
    try:
        return function(*args, **kwargs)
    finally:
        watchdog.settle(limit)
