"""Prefect tasks: each calls one function of the shard work, passing paths and counts."""

from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task

from cleaners.options import CleanOptions
from cleaners.readers import InputSlice
from cleaners.shard import CleanedShard, FinalShard
from expectations import DatasetValidation
from flows.processes import in_worker
from flows.shard_work import (
    clean_shard,
    finalize_with_maps,
    forget_refused,
    index_run,
    validate_stage,
)


@task(name="clean-shard", retries=0)
def clean_shard_task(
    shard: int, total: int, slices: list[InputSlice], options: CleanOptions, work: str, run_id: str
) -> CleanedShard:
    result = in_worker(clean_shard, shard, slices, options, Path(work), run_id)
    get_run_logger().info(
        "shard %d/%d cleaned: %d read, %d rejected", shard + 1, total, result.read, result.rejected
    )
    return result


@task(name="index-run")
def index_run_task(
    cleaned: list[CleanedShard],
    out: str,
    stage_root: str,
    replaced_sources: list[str],
    refused: list[str],
) -> tuple[str, str]:
    """Find duplicates and learn boilerplate across the whole run; returns the two maps' paths."""
    # In a worker when the run has them: the index grows with the run, and the main process
    # lives on until the run ends.
    index = in_worker(index_run, cleaned, out, stage_root, replaced_sources, refused)
    get_run_logger().info(
        "%d duplicates found; boilerplate learned for %d of %d sites",
        index.duplicates,
        index.sites_learned,
        index.sites,
    )
    return index.duplicates_path, index.learned_path


@task(name="forget-refused")
def forget_refused_task(stage_root: str, refused: list[str]) -> None:
    """Drop the documents that finalising rejected from the run's staged dedup index."""
    in_worker(forget_refused, stage_root, refused)


@task(name="finalize-shard")
def finalize_shard_task(
    cleaned: CleanedShard,
    maps: tuple[str, str],
    stage_root: str,
    run_id: str,
    drop_duplicates: bool,
    options: CleanOptions,
) -> FinalShard:
    return in_worker(
        finalize_with_maps, cleaned, maps, stage_root, run_id, drop_duplicates, options
    )


@task(name="validate-run")
def validate_task(
    stage_root: str, run_id: str, languages: tuple[str, ...], out: str, replaced: list[str]
) -> DatasetValidation:
    """Validate the run's staged articles, in a worker when the run has them.

    A worker is forked from the forkserver that imported Great Expectations already; this
    process then never imports it (seconds of CPU and ~140 MB it would keep to the end).
    """
    return in_worker(validate_stage, stage_root, run_id, languages, out, replaced)
