"""Faults around the data: an output folder that cannot exist, a disk that fills mid-run."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import cleaners.shard
from cleaners.store import LOCK_FILE, STAGING
from flows.cli import EXIT_FAILED, main
from flows.runner import run_flow
from flows.settings import RunSettings
from tests.hostile.corpus import STORY, story_text

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "data" / "samples"


def dataset_state(out: Path) -> dict[str, str]:
    """Every published file and its digest: what a failed run must leave exactly as it was."""
    state = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if path.is_file() and relative.parts[0] != STAGING and relative.name != LOCK_FILE:
            state[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def write_inputs(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        lines = [f"{p} Item {index}." for p in STORY]
        (folder / f"story-{index:03d}.txt").write_text(story_text(lines, f"Tram news {index}"))
    return folder


@pytest.mark.parametrize("layout", ["under-a-file", "is-a-file"])
def test_unwritable_output_fails_with_exit_2_and_a_message(
    tmp_path: Path, layout: str, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file")
    out = blocker / "out" if layout == "under-a-file" else blocker
    inputs = write_inputs(tmp_path / "in", 1)
    assert main(["run", str(inputs), "--out", str(out)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert err.startswith("newsclean: ") and str(out) in err and "Traceback" not in err
    assert blocker.read_text() == "a regular file"


@pytest.mark.timeout(300)
def test_unwritable_output_prints_no_traceback_from_a_real_process(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a regular file")
    inputs = write_inputs(tmp_path / "in", 1)
    process = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(inputs), "--out", str(blocker / "out")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert process.returncode == EXIT_FAILED, process.stderr[-2000:]
    assert process.stderr.startswith("newsclean: ") and "cannot write to" in process.stderr
    assert "Traceback" not in process.stderr + process.stdout
    assert blocker.read_text() == "a regular file"


@pytest.fixture
def published(prefect_api: None, tmp_path: Path) -> Iterator[dict[str, Any]]:
    out = tmp_path / "out"
    summary = run_flow(RunSettings(sources=[str(write_inputs(tmp_path / "in", 3))], out=out))
    assert summary.written > 0
    yield {"out": out, "inputs": tmp_path / "in", "tmp": tmp_path}


@pytest.mark.timeout(300)
def test_disk_full_mid_run_fails_clearly_and_leaves_the_dataset_untouched(
    published: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out: Path = published["out"]
    before = dataset_state(out)
    more = write_inputs(published["tmp"] / "more", 4)
    calls = {"n": 0}
    real_write = pq.write_table

    def write_until_full(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(*args, **kwargs)

    monkeypatch.setattr(cleaners.shard.pq, "write_table", write_until_full)
    # One shard: a run of one shard stays in this process, where the fault is injected (the
    # real full disk of worker processes is the tmpfs test below).
    code = main(["run", str(more), "--out", str(out), "--shard-size", "4"])
    err = capsys.readouterr().err
    assert code == EXIT_FAILED
    assert "No space left on device" in err and "Traceback" not in err
    assert dataset_state(out) == before
    monkeypatch.setattr(cleaners.shard.pq, "write_table", real_write)
    summary = run_flow(RunSettings(sources=[str(more)], out=out))
    assert summary.read == summary.written + summary.rejected == 4


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("shard_size", ["500", "8"], ids=["in-process", "worker-processes"])
def test_a_really_full_disk_fails_clearly_and_leaves_the_dataset_untouched(
    prefect_api: None,
    small_disk: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    shard_size: str,
) -> None:
    out = small_disk / "out"
    first = write_inputs(tmp_path / "first", 2)
    assert main(["run", str(first), "--out", str(out)]) == 0
    capsys.readouterr()
    before = dataset_state(out)
    # Leave a few kilobytes free: enough to start, not enough to stage a run's files.
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, free - 48 * 1024))
    more = write_inputs(tmp_path / "more", 40)
    code = main(["run", str(more), "--out", str(out), "--shard-size", shard_size])
    err = capsys.readouterr().err
    assert code == EXIT_FAILED, err
    assert "newsclean:" in err and "Traceback" not in err
    assert "No space left on device" in err or "cannot write" in err
    assert dataset_state(out) == before
