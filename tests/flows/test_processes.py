"""The shard worker processes: calls run elsewhere, die with the run, and fail clearly.

This module is imported by every worker that runs one of its functions: keep its imports light.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from multiprocessing import forkserver
from pathlib import Path

import pytest

from flows.processes import (
    WorkerDied,
    in_worker,
    shard_processes,
    start_forkserver,
    stop_forkserver,
    worker_count,
)


def _pid_and_parent() -> tuple[int, int]:
    return os.getpid(), os.getppid()


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_without_a_pool_the_call_runs_in_this_process() -> None:
    assert in_worker(_pid_and_parent)[0] == os.getpid()


def test_with_a_pool_the_call_runs_in_another_process_and_returns_its_value() -> None:
    with shard_processes(2, preload=()):
        pid, _ = in_worker(_pid_and_parent)
        assert in_worker(sum, [1, 2, 3]) == 6
    assert pid != os.getpid()
    assert in_worker(_pid_and_parent)[0] == os.getpid()  # the pool is gone after the block


def test_a_worker_killed_mid_call_is_a_clear_error_not_a_hang() -> None:
    with pytest.raises(WorkerDied, match="ended abruptly"), shard_processes(2, preload=()):
        in_worker(_killed)


ORPHAN_SCRIPT = """
import sys, time
from pathlib import Path
from flows.processes import shard_processes, in_worker

def sleep_and_write(folder):
    Path(folder, "started").touch()
    time.sleep(4)
    Path(folder, "finished").touch()

if __name__ == "__main__":
    with shard_processes(2, preload=()):
        in_worker(sleep_and_write, sys.argv[1])
"""


def test_workers_die_with_the_process_that_started_them(tmp_path: Path) -> None:
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN_SCRIPT, encoding="utf-8")
    root = Path(__file__).parents[2]
    process = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    deadline = time.monotonic() + 120
    while not (tmp_path / "started").exists():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.1)
    process.kill()
    process.wait()
    time.sleep(6)  # past the moment the worker would have finished
    assert not (tmp_path / "finished").exists()


@pytest.mark.parametrize(
    ("shards", "threads", "remote", "expected"),
    [(1, 2, False, 0), (5, 1, False, 0), (5, 2, True, 0)],
)
def test_no_processes_where_they_cannot_help(
    shards: int, threads: int, remote: bool, expected: int
) -> None:
    assert worker_count(shards, threads, remote) == expected


def _forkserver_pid() -> int | None:
    return getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)


def test_workers_fork_from_a_forkserver_started_early_which_stops_with_the_pool() -> None:
    start_forkserver(preload=())
    server = _forkserver_pid()
    assert server is not None and Path(f"/proc/{server}").exists()
    with shard_processes(2, preload=()):
        _, parent = in_worker(_pid_and_parent)
    assert parent == server
    assert not Path(f"/proc/{server}").exists()


def test_a_forkserver_started_early_stops_when_the_run_needs_no_workers() -> None:
    start_forkserver(preload=())
    server = _forkserver_pid()
    assert server is not None
    with shard_processes(0):
        assert in_worker(_pid_and_parent)[0] == os.getpid()
    assert not Path(f"/proc/{server}").exists()
    stop_forkserver()  # stopping what is already stopped is harmless


def test_a_failing_run_does_not_wait_for_the_shards_in_flight() -> None:
    def call_that_outlives_the_run() -> None:
        with contextlib.suppress(Exception):
            in_worker(time.sleep, 10)

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="run failed"), shard_processes(2, preload=()):
        threading.Thread(target=call_that_outlives_the_run, daemon=True).start()
        time.sleep(2)
        raise RuntimeError("run failed")
    assert time.monotonic() - started < 8  # the shard in flight ends at about 10 s
    stop_forkserver()
    assert time.monotonic() - started < 8  # stopping the forkserver does not wait for it either


def test_a_failing_run_answers_every_call_it_had_in_flight_or_queued() -> None:
    answered: list[str] = []

    def call() -> None:
        try:
            in_worker(time.sleep, 5)
            answered.append("done")
        except Exception as error:  # the run failed under it: any clear error will do
            answered.append(type(error).__name__)

    callers = [threading.Thread(target=call, daemon=True) for _ in range(5)]
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="run failed"), shard_processes(2, preload=()):
        for caller in callers:
            caller.start()
        time.sleep(1)
        raise RuntimeError("run failed")
    for caller in callers:
        caller.join(timeout=30)
    assert len(answered) == len(callers), answered
    assert time.monotonic() - started < 20
