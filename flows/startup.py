"""What a local run starts and loads before its flow, so that it overlaps Prefect's start-up.

Without an API server configured, Prefect starts its temporary (ephemeral) API server on the
flow's first API call and then waits seconds for it to answer, with this process idle. A run
starts that same server itself, first and in the background, and uses the wait: it starts the
workers' forkserver (which loads the cleaners in its own process) or, for a run small enough
to clean in this process, imports here what checking its documents will need.

Importable without Prefect: a run starts its forkserver before it imports Prefect.
"""

from __future__ import annotations

import contextvars
import threading
from typing import Any

from cleaners.manifest import any_new_inputs, load_manifest
from cleaners.readers import InputFile, discover, may_hold_html
from cleaners.store import MANIFEST
from flows.collector import collection_paused
from flows.processes import PRELOAD, TEXT_PRELOAD, start_forkserver, usable_cores
from flows.settings import RunSettings

# Inputs this large make more than one shard even when gzipped (a shard of text articles is
# about a quarter of a megabyte gzipped), so the run will clean them in worker processes.
WORKER_RUN_INPUT_BYTES = 1_000_000


class RunStart:
    """What `start_run` began: Prefect's temporary API server starting in a background thread."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start_api_server(self) -> None:
        """Start Prefect's temporary API server in the background, unless a server is set.

        It is the instance Prefect's own clients start and use (one per process), so the flow
        finds it running, and Prefect stops it when this process exits.
        """
        from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_ALLOW_EPHEMERAL_MODE

        if PREFECT_API_URL.value() or not PREFECT_SERVER_ALLOW_EPHEMERAL_MODE.value():
            return  # a configured server, or none allowed: the flow's client says which
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()
        # In this thread's context: settings made for this run (a test's API, a start-up
        # timeout) are seen by the starting thread as well.
        context = contextvars.copy_context()
        self._thread = threading.Thread(
            target=context.run, args=(self._start, server), name="prefect-api-start", daemon=True
        )
        self._thread.start()

    def _start(self, server: Any) -> None:
        try:
            server.start()
        except BaseException as error:  # noqa: BLE001 - handed to the thread that waits
            self._error = error

    def wait_for_api(self) -> None:
        """Wait until the API server started here answers; raise why it could not start."""
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
        error, self._error = self._error, None
        if error is not None:
            raise error


def start_run(settings: RunSettings) -> RunStart:
    """Start the workers' forkserver or load this process, and Prefect's API server beside them.

    The forkserver starts first (it needs neither Prefect nor this process's time); the API
    server next; whatever this process loads after that overlaps the server's start-up.
    """
    start = RunStart()
    with collection_paused():
        files, rejected = discover(settings.sources, skip=settings.out)
        # A run with nothing new to clean, as most scheduled runs are, loads none of it.
        cleans = bool(rejected) or _new_inputs(settings, files)
        workers = cleans and expects_worker_processes(settings, files)
        if workers:
            start_forkserver(PRELOAD if may_hold_html(files) else TEXT_PRELOAD)
        start.start_api_server()
        if cleans and not workers and not _remote(settings):
            # Checked in this process: its row checks and its validation import Great
            # Expectations, the largest import of a run. (What cleaning loads, it loads as the
            # documents need it: a small run meets few languages and maybe no HTML.)
            import great_expectations  # noqa: F401
    return start


def expects_worker_processes(settings: RunSettings, files: list[InputFile]) -> bool:
    """Whether a run will clean in local worker processes, judged by the size of its inputs."""
    if _remote(settings) or usable_cores() < 2:
        return False
    return sum(f.size for f in files) >= WORKER_RUN_INPUT_BYTES


def _remote(settings: RunSettings) -> bool:
    """Whether the run's shards go to Dask, whose workers load what they need themselves."""
    return bool(settings.dask_address or settings.workers)


def _new_inputs(settings: RunSettings, files: list[InputFile]) -> bool:
    try:
        manifest = load_manifest(settings.out / MANIFEST)
    except Exception:  # noqa: BLE001 - the flow reads it again and reports what is wrong
        return True
    return any_new_inputs(files, manifest)
