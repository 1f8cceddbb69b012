"""The flow on Dask (an existing cluster, or one started by `--workers`) writes what the default
runner writes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cleaners.contract import read_articles, read_rejected
from flows.cli import main
from flows.runner import run_flow
from flows.settings import RunSettings

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
# Small shards, so that both workers get some and results come back out of order.
SHARD_SIZE = 4


def rows(out: Path) -> dict[str, list[dict[str, Any]]]:
    """The dataset's rows sorted by doc_id, without the run id that names each run."""

    def comparable(table_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = [{k: v for k, v in row.items() if k != "run_id"} for row in table_rows]
        return sorted(kept, key=lambda row: (row["doc_id"], row["source"]))

    return {
        "articles": comparable(read_articles(out / "articles").to_pylist()),
        "rejected": comparable(read_rejected(out / "rejected").to_pylist()),
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dask") / "samples"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.fixture(scope="module")
def default_rows(prefect_api: None, inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("threads-out")
    summary = run_flow(RunSettings(sources=[str(inputs)], out=out, shard_size=SHARD_SIZE))
    assert summary.written > 0 and summary.read == summary.written + summary.rejected
    return rows(out)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as local:
        yield local


def test_existing_dask_cluster_writes_the_same_rows(
    prefect_api: None,
    inputs: Path,
    default_rows: Any,
    cluster: Any,
    tmp_path: Path,
) -> None:
    from distributed import Client

    settings = RunSettings(
        sources=[str(inputs)],
        out=tmp_path,
        shard_size=SHARD_SIZE,
        dask_address=cluster.scheduler_address,
    )
    summary = run_flow(settings)
    assert summary.read == summary.written + summary.rejected
    assert rows(tmp_path) == default_rows
    # The shards really ran on the cluster's workers, not in this process.
    with Client(cluster.scheduler_address) as client:
        processed = client.run(
            lambda dask_worker: len(dask_worker.data) + dask_worker.state.executed_count
        )
    assert len(processed) == 2 and sum(processed.values()) > 0


def test_workers_option_starts_a_local_cluster_and_writes_the_same_rows(
    prefect_api: None,
    inputs: Path,
    default_rows: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["run", str(inputs), "--out", str(tmp_path), "--workers", "2"]
    code = main([*argv, "--shard-size", str(SHARD_SIZE)])
    assert code == 0, capsys.readouterr().err[-3000:]
    assert "read " in capsys.readouterr().out
    assert rows(tmp_path) == default_rows
