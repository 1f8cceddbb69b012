"""Crash safety: a run killed with SIGKILL at any moment leaves the output folder as it was.

Each run under test is a real `newsclean run` process, killed while its shards are cleaned
(seen from here by watching its staging folder) or at an exact step of publishing (a Python
audit hook in the child kills it when it is about to perform that step: publishing takes
milliseconds, too short to catch from outside).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from cleaners.contract import read_articles, read_rejected
from cleaners.store import DONE, JOURNAL, MANIFEST, STAGING, recover
from flows.runner import run_flow
from flows.settings import RunSettings

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
REPO = SAMPLES.parents[1]
FIRST_INPUTS = [
    "crawler-example/batch-2026-11-20.jsonl",
    "example-wire/2026-11-18-hamburg-terminal-cranes.txt",
    "cronaca-example/bologna-tram-via-ugo-bassi.txt",
    "jornal-example/porto-metro-linha-rosa.txt",
]
ADDED_INPUTS = [
    "tagesblatt-example/dresden-hochwasserschutz-elbe.txt",
    "diario-example/zaragoza-fin-huelga-autobuses.html",
]
CHANGED_INPUT = "example-wire/2026-11-18-hamburg-terminal-cranes.txt"
SHARD_SIZE = "2"
WAIT_SECONDS = 240

# Runs in the child before the command line: SIGKILLs the child's whole process group when
# publishing reaches the step named by NEWSCLEAN_TEST_KILL_AT.
KILL_HOOK = """
import os, signal, sys
STAGING = os.sep + ".staging" + os.sep
moment = os.environ["NEWSCLEAN_TEST_KILL_AT"]
DONE = os.environ["NEWSCLEAN_TEST_DONE_MARKER"]
moves = 0

def _kill():
    os.killpg(os.getpgid(0), signal.SIGKILL)

def _hook(event, args):
    global moves
    if event == "os.rename" and STAGING in str(args[0]) and STAGING not in str(args[1]):
        moves += 1
        if moment == "moving" and moves == 3:
            _kill()
    elif event == "open" and moment == "marker" and str(args[0]).endswith(DONE):
        _kill()

sys.addaudithook(_hook)
from flows.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def snapshot(out: Path) -> dict[str, str]:
    """Every published file's digest: what a reader of the output folder can see."""
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.relative_to(out).parts[0] not in {STAGING, ".lock"}
    }


def contents(out: Path) -> dict[str, list[dict[str, Any]]]:
    """The dataset's and the manifest's rows, without the run ids that name each run."""

    def without_run_id(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
        return sorted(
            ({k: v for k, v in r.items() if k != "run_id"} for r in rows), key=key_of(key)
        )

    return {
        "articles": without_run_id(read_articles(out / "articles").to_pylist(), "doc_id"),
        "rejected": without_run_id(read_rejected(out / "rejected").to_pylist(), "source"),
        "manifest": without_run_id(pq.read_table(out / MANIFEST).to_pylist(), "path"),
    }


def key_of(name: str) -> Any:
    return lambda row: (row[name] or "", row.get("source") or "")


def child_env(api_url: str) -> dict[str, str]:
    env = dict(os.environ)
    # The session's Prefect server: a child does not start an embedded one of its own.
    env["PREFECT_API_URL"] = api_url
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return env


def start_run(
    inputs: Path, out: Path, env: dict[str, str], log: Path, kill_at: str | None = None
) -> subprocess.Popen[bytes]:
    """A `newsclean run` in its own process group, its output going to `log`."""
    argv = ["run", str(inputs), "--out", str(out), "--shard-size", SHARD_SIZE]
    if kill_at:
        command = [sys.executable, "-c", KILL_HOOK, *argv]
        env = {**env, "NEWSCLEAN_TEST_KILL_AT": kill_at, "NEWSCLEAN_TEST_DONE_MARKER": DONE}
    else:
        command = [sys.executable, "-m", "flows.cli", *argv]
    with open(log, "wb") as output:
        return subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


@pytest.fixture
def reap() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes started by a test; none outlives it."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            kill_group(process)


def wait_for(condition: Any, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the run ended (exit {process.returncode}) before {what}:\n{tail(log)}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {WAIT_SECONDS} s")
        time.sleep(0.02)


def staged(out: Path, pattern: str) -> list[Path]:
    return sorted((out / STAGING).glob(pattern))


@pytest.fixture(scope="module")
def scene(prefect_api: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """An output folder after one run, inputs added and changed since, and the reference
    result of the next run when nothing interrupts it."""
    from prefect.settings import PREFECT_API_URL

    root = tmp_path_factory.mktemp("crash")
    inputs, out, reference = root / "inputs", root / "out", root / "reference"
    for relative in FIRST_INPUTS:
        (inputs / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLES / relative, inputs / relative)
    run_flow(RunSettings(sources=[str(inputs)], out=out, shard_size=int(SHARD_SIZE)))
    shutil.copytree(out, reference)

    for relative in ADDED_INPUTS:
        (inputs / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLES / relative, inputs / relative)
    changed = inputs / CHANGED_INPUT
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("2029", "2031"), encoding="utf-8"
    )
    expected = run_flow(
        RunSettings(sources=[str(inputs)], out=reference, shard_size=int(SHARD_SIZE))
    )
    assert expected.read > 0 and expected.skipped_inputs == len(FIRST_INPUTS) - 1
    return {
        "inputs": inputs,
        "out": out,
        "before": snapshot(out),
        "expected": expected,
        "reference": contents(reference),
        "env": child_env(str(PREFECT_API_URL.value())),
    }


def test_killed_while_cleaning_leaves_the_output_as_it_was_and_holds_off_a_second_run(
    scene: dict[str, Any], reap: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    out: Path = scene["out"]
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = start_run(scene["inputs"], out, scene["env"], first_log)
    reap.append(first)
    wait_for(lambda: staged(out, "*/work/cleaned-*.parquet"), first, first_log, "cleaned shard")
    # Frozen while it holds the folder: a second run on the same folder must stop at once.
    os.killpg(first.pid, signal.SIGSTOP)
    try:
        second = start_run(scene["inputs"], out, scene["env"], second_log)
        reap.append(second)
        second.wait(timeout=WAIT_SECONDS)
        said = second_log.read_text(errors="replace")
        assert second.returncode == 2, tail(second_log)
        assert "in use" in said and str(out) in said
    finally:
        os.killpg(first.pid, signal.SIGCONT)
        kill_group(first)
    assert first.returncode == -signal.SIGKILL
    assert staged(out, "*/work"), "the killed run left its staging folder behind"
    assert snapshot(out) == scene["before"]
    recover(out)
    assert snapshot(out) == scene["before"]


@pytest.mark.parametrize("moment", ["moving", "marker"])
def test_killed_while_publishing_is_rolled_back(
    scene: dict[str, Any], reap: list[subprocess.Popen[bytes]], tmp_path: Path, moment: str
) -> None:
    out: Path = scene["out"]
    log = tmp_path / "run.log"
    run = start_run(scene["inputs"], out, scene["env"], log, kill_at=moment)
    reap.append(run)
    run.wait(timeout=WAIT_SECONDS)
    assert run.returncode == -signal.SIGKILL, tail(log)
    journals = staged(out, f"*/{JOURNAL}")
    assert len(journals) == 1 and not (journals[0].parent / DONE).exists()
    journal = json.loads(journals[0].read_text(encoding="utf-8"))
    assert journal["added"] and journal["replaced"], "the run had new and replaced files"
    assert snapshot(out) != scene["before"], "the kill came in the middle of publishing"
    recover(out)
    assert snapshot(out) == scene["before"]
    assert not staged(out, "*")


def test_next_run_after_the_kills_completes_the_work(scene: dict[str, Any]) -> None:
    out: Path = scene["out"]
    summary = run_flow(
        RunSettings(sources=[str(scene["inputs"])], out=out, shard_size=int(SHARD_SIZE))
    )
    expected = scene["expected"]
    assert summary.read == summary.written + summary.rejected
    assert (summary.read, summary.written, summary.rejected) == (
        expected.read,
        expected.written,
        expected.rejected,
    )
    assert contents(out) == scene["reference"]
    assert not staged(out, "*/")


@pytest.mark.timeout(600)
def test_ctrl_c_stops_the_run_at_once_and_the_next_run_completes(tmp_path: Path) -> None:
    """Ctrl-C reaches the run's whole process group, its own Prefect server included."""
    import psutil

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    story = (SAMPLES / CHANGED_INPUT).read_text(encoding="utf-8")
    with open(inputs / "feed.jsonl", "w", encoding="utf-8") as feed:
        for number in range(2000):
            record = {"id": f"story-{number}", "text": f"{story}\nUpdate number {number}."}
            feed.write(json.dumps(record) + "\n")
    out, log = tmp_path / "out", tmp_path / "run.log"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # its own server
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "flows.cli", "run", str(inputs), "--out", str(out)]
    with open(log, "wb") as written:
        run = subprocess.Popen(
            [*command, "--shard-size", "50"], stdout=written, stderr=written, env=env,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + WAIT_SECONDS
        while b"cleaned" not in log.read_bytes() and run.poll() is None:
            assert time.monotonic() < deadline, "the run never started cleaning"
            time.sleep(0.2)
        os.killpg(run.pid, signal.SIGINT)
        try:
            assert run.wait(timeout=60) == 130
        finally:  # a run that hangs fails the test and is not left behind
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.pid, signal.SIGKILL)
    assert b"interrupted; the output folder is left as it was" in log.read_bytes()
    gone_by = time.monotonic() + 15
    while left := _alive_in_session(run.pid, psutil):
        assert time.monotonic() < gone_by, f"processes of the interrupted run live on: {left}"
        time.sleep(0.2)

    finished = subprocess.run(command, capture_output=True, env=env, timeout=WAIT_SECONDS)
    assert finished.returncode == 0
    assert b"read 2000 = written 2000 + rejected 0" in finished.stdout
    assert b"rolled back 1 interrupted run" in finished.stderr


def _alive_in_session(session: int, psutil: Any) -> list[str]:
    alive = []
    for process in psutil.process_iter(["pid", "status", "cmdline"]):
        with contextlib.suppress(OSError):
            if os.getsid(process.pid) == session and process.info["status"] != "zombie":
                alive.append(" ".join(process.info["cmdline"] or [])[:80])
    return alive
