"""`newsclean serve` against a real Prefect server: a scheduled run completes and writes rows."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cleaners.contract import read_articles, read_rejected
from cleaners.runlog import load_history

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
REPO = SAMPLES.parents[1]
INPUTS = [
    "example-wire/2026-11-18-hamburg-terminal-cranes.txt",
    "jornal-example/porto-metro-linha-rosa.txt",
]
INTERVAL_SECONDS = "5"
WAIT_SECONDS = 180
STOP_SECONDS = 30
SCHEDULER_SOURCE = "prefect/server/services/scheduler.py"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, SIGKILL what is left after a while; reap the leader."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None and not group_alive(process.pid):
                break
            time.sleep(0.2)
        else:
            continue
        break
    process.wait(timeout=STOP_SECONDS)


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Process groups started by the test, stopped in reverse order, leaving nothing behind."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in reversed(started):
        stop_group(process)
    leftovers = [p.pid for p in started if group_alive(p.pid)]
    assert not leftovers, f"process groups still alive: {leftovers}"


def wait_until(condition: Any, what: str, watched: list[subprocess.Popen[bytes]]) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        for process in watched:
            if process.poll() is not None:
                pytest.fail(f"{process.args!r} ended with {process.returncode} before {what}")
        found = condition()
        if found:
            return found
        time.sleep(1)
    pytest.fail(f"no {what} within {WAIT_SECONDS} s")


def scheduler_failure(server_log: Path) -> str | None:
    """The server's scheduler failing to create runs: no scheduled run would ever come."""
    text = server_log.read_text(errors="replace")
    at = text.find(SCHEDULER_SOURCE)
    return text[max(0, at - 1500) : at + 2500] if at >= 0 else None


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def completed_scheduled_runs(url: str) -> list[Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.settings import PREFECT_API_URL, temporary_settings

    completed = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))
    )
    with temporary_settings(updates={PREFECT_API_URL: url}), get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=completed, sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=20
        )
    return [run for run in runs if run.deployment_id and run.auto_scheduled]


def test_served_flow_runs_on_its_schedule(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    inputs, out, home = tmp_path / "inputs", tmp_path / "out", tmp_path / "prefect-home"
    for relative in INPUTS:
        (inputs / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLES / relative, inputs / relative)
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")},
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    logs = [open(tmp_path / name, "wb") for name in ("server.log", "serve.log")]  # noqa: SIM115
    try:
        server = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1"]
            + ["--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=logs[0],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(server)
        wait_until(lambda: healthy(url), "healthy Prefect server", [server])

        serve = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "serve", "--interval", INTERVAL_SECONDS]
            + [str(inputs), "--out", str(out), "--name", "newsclean-test"],
            cwd=REPO,
            # Ask the server for due runs every 2 s instead of every 10 s.
            env={**env, "PREFECT_API_URL": url, "PREFECT_RUNNER_POLL_FREQUENCY": "2"},
            stdout=logs[1],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(serve)

        def completed_or_stuck() -> list[Any]:
            failure = scheduler_failure(tmp_path / "server.log")
            if failure:
                pytest.fail(f"the Prefect server cannot schedule runs:\n{failure}")
            return completed_scheduled_runs(url)

        runs = wait_until(completed_or_stuck, "completed scheduled run", [server, serve])
    except BaseException:
        for log in logs:
            log.flush()
        for name in ("server.log", "serve.log"):
            tail = (tmp_path / name).read_text(errors="replace")[-4000:]
            sys.stderr.write(f"--- end of {name}:\n{tail}\n")
        raise
    finally:
        for log in logs:
            log.close()

    assert runs[0].state_name == "Completed"
    history = load_history(out)
    assert history, "the scheduled run recorded its summary"
    first = history[0]
    articles = read_articles(out / "articles")
    rejected = read_rejected(out / "rejected")
    assert first.read == len(INPUTS)
    assert articles.num_rows + rejected.num_rows == first.read == first.written + first.rejected
    assert articles.num_rows > 0
    assert set(articles.column("run_id").to_pylist()) == {first.run_id}
    sources = sorted(articles.column("source").to_pylist() + rejected.column("source").to_pylist())
    assert sources == sorted(INPUTS)


def test_prefect_yaml_deploys_the_flow_with_valid_settings_and_schedule() -> None:
    import yaml
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.flows import Flow, load_flow_from_entrypoint

    from flows.settings import RunSettings

    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = config["deployments"]
    flow: Flow[..., object] = load_flow_from_entrypoint(str(REPO / deployment["entrypoint"]))
    assert isinstance(flow, Flow) and flow.name == "newsclean-deployed"
    settings = RunSettings(**deployment["parameters"]["settings"])
    assert settings.sources and not settings.workers
    for schedule in deployment["schedules"]:
        assert CronSchedule(cron=schedule["cron"], timezone=schedule["timezone"])
    assert deployment["concurrency_limit"]["limit"] == 1


def test_serve_needs_exactly_one_schedule(tmp_path: Path) -> None:
    from flows.runner import serve_flow
    from flows.settings import RunSettings

    settings = RunSettings(sources=[str(tmp_path)], out=tmp_path / "out")
    with pytest.raises(ValueError, match="exactly one"):
        serve_flow(settings)
    with pytest.raises(ValueError, match="exactly one"):
        serve_flow(settings, cron="*/15 * * * *", interval=60)
