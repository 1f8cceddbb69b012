"""The shard worker processes: calls run elsewhere, die with the run, and fail clearly."""

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
    keep_one_worker,
    shard_processes,
    start_forkserver,
    stop_forkserver,
    worker_count,
)
from flows.runner import WORKER_RUN_INPUT_BYTES, expects_worker_processes
from flows.settings import RunSettings


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


def test_a_failing_run_does_not_wait_for_the_shards_in_flight() -> None:
    def call_that_outlives_the_run() -> None:
        with contextlib.suppress(Exception):
            in_worker(time.sleep, 20)

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="run failed"), shard_processes(2, preload=()):
        threading.Thread(target=call_that_outlives_the_run, daemon=True).start()
        time.sleep(2)
        raise RuntimeError("run failed")
    assert time.monotonic() - started < 12


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


def test_only_large_local_runs_start_the_workers_early(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text("A short article.\n", encoding="utf-8")
    large = tmp_path / "large" / "feed.jsonl"
    large.parent.mkdir()
    large.write_bytes(b"x" * WORKER_RUN_INPUT_BYTES)
    out = tmp_path / "out"
    assert not expects_worker_processes(RunSettings(sources=[str(small)], out=out))
    assert expects_worker_processes(RunSettings(sources=[str(large.parent)], out=out))
    assert not expects_worker_processes(RunSettings(sources=[str(large)], out=out, workers=2))
    assert not expects_worker_processes(RunSettings(sources=[str(tmp_path / "missing")], out=out))


def test_keeping_one_worker_ends_the_shard_workers_and_forks_a_fresh_one() -> None:
    with shard_processes(2, preload=()):
        shard_worker, server = in_worker(_pid_and_parent)
        keep_one_worker()
        assert not Path(f"/proc/{shard_worker}").exists()
        last_worker, parent = in_worker(_pid_and_parent)
        assert last_worker not in (shard_worker, os.getpid())
        assert parent == server  # forked from the same, still running, forkserver
    assert not Path(f"/proc/{last_worker}").exists()
    keep_one_worker()  # without a pool there is nothing to narrow
    assert in_worker(_pid_and_parent)[0] == os.getpid()
