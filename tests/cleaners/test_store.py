import multiprocessing
from pathlib import Path

import pytest

from cleaners.store import OutputBusy, OutputLock, RunStage, publish, recover


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".staging" not in p.parts and p.name != ".lock"
    }


def stage_run(out: Path, run_id: str, files: dict[str, bytes]) -> RunStage:
    stage = RunStage(out, run_id)
    for relative, data in files.items():
        stage.path(relative).write_bytes(data)
    (stage.work / "scratch.bin").write_bytes(b"never published")
    return stage


def test_publish_moves_staged_files_and_leaves_no_staging(tmp_path: Path) -> None:
    stage = stage_run(
        tmp_path, "r1", {"articles/language=en/part-r1-0.parquet": b"a", "state/m": b"1"}
    )
    publish(stage)
    assert snapshot(tmp_path) == {"articles/language=en/part-r1-0.parquet": b"a", "state/m": b"1"}
    assert not stage.root.exists()


def test_unpublished_stage_is_discarded_on_recovery(tmp_path: Path) -> None:
    publish(stage_run(tmp_path, "r1", {"state/m": b"1"}))
    before = snapshot(tmp_path)
    stage_run(tmp_path, "r2", {"state/m": b"2", "articles/x.parquet": b"x"})
    assert recover(tmp_path) == ["r2"]
    assert snapshot(tmp_path) == before
    assert not (tmp_path / ".staging" / "r2").exists()


def test_publish_interrupted_midway_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(stage_run(tmp_path, "r1", {"state/m": b"1", "rejected/old.parquet": b"old"}))
    before = snapshot(tmp_path)
    stage = stage_run(tmp_path, "r2", {"articles/a.parquet": b"a", "state/m": b"2", "z/last": b"z"})
    import os

    real_replace = os.replace
    calls = {"n": 0}

    def dying_replace(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # the process dies after two files have moved
            raise SystemExit("killed")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", dying_replace)
    with pytest.raises(SystemExit):
        publish(stage, remove=["rejected/old.parquet"])
    monkeypatch.setattr(os, "replace", real_replace)
    assert snapshot(tmp_path) != before
    assert recover(tmp_path) == ["r2"]
    assert snapshot(tmp_path) == before


def _hold_lock(
    out: str,
    ready: "multiprocessing.synchronize.Event",
    release: "multiprocessing.synchronize.Event",
) -> None:
    with OutputLock(Path(out)):
        ready.set()
        release.wait(10)


def test_second_writer_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(tmp_path), ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(OutputBusy, match="is in use"), OutputLock(tmp_path):
            pass
    finally:
        release.set()
        holder.join(10)
    with OutputLock(tmp_path):  # free again once the holder is gone
        pass
