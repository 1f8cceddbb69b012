"""Worker processes for the per-shard work, so that a run uses every core despite the GIL.

Extraction, charset repair, the residue rules and the row checks are pure Python and hold the
GIL, so threads alone work on one core. A run with more than one shard therefore cleans and
finalises its shards in a small process pool. The workers are forked from a forkserver that
imported the cleaners and Great Expectations and loaded the language models once: the workers
share those pages instead of each loading them, and they never import Prefect.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import forkserver
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# Imported once in the forkserver; the workers forked from it inherit them. A run whose inputs
# hold no HTML page leaves out htmldate's parser.
PRELOAD = ["flows.worker_preload", "flows.worker_preload_html"]
TEXT_PRELOAD = ["flows.worker_preload"]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# Shards in flight at once under the default task runner (threads that wait on the workers):
# one per core, and at least two so that one shard's writing overlaps the next one's reading.
IN_PROCESS_THREADS = max(2, usable_cores())

_pool: ProcessPoolExecutor | None = None


class WorkerDied(RuntimeError):
    """A shard worker process ended abruptly (killed, out of memory, or crashed)."""


def worker_count(shards: int, threads: int, remote: bool) -> int:
    """How many shard worker processes a run starts: none for one shard or a remote task runner.

    >>> worker_count(shards=40, threads=2, remote=False) <= 2
    True
    >>> worker_count(shards=1, threads=2, remote=False)
    0
    >>> worker_count(shards=40, threads=2, remote=True)
    0
    """
    count = min(shards, threads, usable_cores())
    return 0 if remote or count < 2 else count


def _die_with_run(run_pid: int) -> None:
    # A worker must not outlive the run that started it: a killed run is rolled back by the
    # next one, and an orphan still writing into the staging folder would race that. The
    # forkserver cannot be relied on for this: every worker holds it alive.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        run = os.pidfd_open(run_pid)
    except ProcessLookupError:  # the run is already gone
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd on this system: nothing to watch with
        return
    threading.Thread(target=_exit_when_readable, args=(run,), daemon=True).start()


def _exit_when_readable(pidfd: int) -> None:
    select.select([pidfd], [], [])  # readable once the process has exited
    os._exit(1)


def start_forkserver(preload: Sequence[str] = PRELOAD) -> None:
    """Start the workers' forkserver now; it imports `preload` in the background.

    A run calls this before Prefect's API server has come up, so that loading the cleaners,
    Great Expectations and the models (seconds of one core) overlaps that start-up instead of
    following it. `shard_processes` then forks its workers from this server.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    forkserver.ensure_running()


@contextmanager
def shard_processes(count: int, preload: Sequence[str] = PRELOAD) -> Iterator[None]:
    """Within the block, `in_worker` runs its calls in `count` processes (inline when 0).

    `preload` names the modules the forkserver imports before forking the workers.
    """
    global _pool
    if count < 1:
        stop_forkserver()  # started early for a run that turned out to need no workers
        yield
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    _pool = _new_pool(count)
    try:
        yield
    except BaseException:
        # A failed or interrupted run does not wait for shards in flight: their output is
        # staged and rolled back. The workers are stopped at once, so that a call already
        # queued for a worker fails instead of waiting for one that will never come.
        pool, _pool = _pool, None
        if pool is not None:
            for process in list((pool._processes or {}).values()):
                with contextlib.suppress(OSError, ValueError):
                    process.kill()
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True)
    stop_forkserver()


class _OneCallWorkers(ProcessPoolExecutor):
    """A process pool whose workers each make one call, and which survives a hasty shutdown."""

    def _adjust_process_count(self) -> None:
        # Python 3.11 replaces a worker that made its calls even after `shutdown(wait=False)`
        # has dropped the pool's process table; the TypeError kills the pool's manager thread,
        # and every call still in flight would then wait forever.
        if self._processes is None:
            return
        super()._adjust_process_count()


def _new_pool(count: int) -> ProcessPoolExecutor:
    # One call per worker: each shard starts from a fresh fork of the preloaded forkserver, so
    # a worker's memory is what one shard needs, not what every shard before it left behind
    # (freed memory is seldom returned to the system). A fork costs milliseconds; a shard seconds.
    return _OneCallWorkers(
        max_workers=count,
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=_die_with_run,
        initargs=(os.getpid(),),
        max_tasks_per_child=1,
    )


def stop_forkserver() -> None:
    """Stop the workers' forkserver, if one runs, releasing what it loaded."""
    # The forkserver would keep the preloaded cleaners and models in memory for the life of
    # the process; once the shard work is done nothing needs them.
    server = getattr(forkserver, "_forkserver", None)
    pid = getattr(server, "_forkserver_pid", None)
    if pid is not None:
        # A forkserver does not exit while a worker it forked lives on, and a failed run may
        # have left one behind: stopping it politely could wait for as long as that worker.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    stop = getattr(server, "_stop", None)
    if callable(stop):
        stop()


def in_worker(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Call `function` in a shard worker process when a pool is open in this process, else here."""
    pool = _pool
    if pool is None:
        return function(*args, **kwargs)
    try:
        return pool.submit(function, *args, **kwargs).result()
    except BrokenProcessPool as error:
        raise WorkerDied(
            "a shard worker process ended abruptly (killed or out of memory); "
            "the run stops and its staged output is rolled back by the next run"
        ) from error
