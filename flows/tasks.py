"""Prefect tasks: each calls one function of `cleaners/` on one shard, passing paths and counts."""

from __future__ import annotations

import json
from pathlib import Path

from prefect import get_run_logger, task

from cleaners.boilerplate import BoilerplateIndex
from cleaners.dedup import DedupIndex
from cleaners.options import CleanOptions
from cleaners.readers import InputSlice
from cleaners.shard import CleanedShard, FinalShard, load_entries, load_fingerprints
from cleaners.store import BOILERPLATE, DEDUP_INDEX
from flows.processes import in_worker
from flows.shard_work import clean_shard, finalize_with_maps


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
def index_run_task(cleaned: list[CleanedShard], out: str, stage_root: str) -> tuple[str, str]:
    """Find duplicates and learn boilerplate across the whole run; returns the two maps' paths."""
    out_dir, root = Path(out), Path(stage_root)
    dedup = DedupIndex.load(out_dir / DEDUP_INDEX)
    duplicates = dedup.assign(load_entries(s.entries_path for s in cleaned))
    dedup.save(root / DEDUP_INDEX)
    boilerplate = BoilerplateIndex.load(out_dir / BOILERPLATE)
    groups: set[str] = set()
    for shard in cleaned:
        for group, documents in load_fingerprints(shard).items():
            groups.add(group)
            for fingerprints in documents:
                boilerplate.observe(group, frozenset(fingerprints))
    boilerplate.save(root / BOILERPLATE)
    learned = {group: sorted(boilerplate.learned(group)) for group in groups}
    work = root / "work"
    duplicates_path, learned_path = work / "duplicates.json", work / "learned.json"
    duplicates_path.write_text(json.dumps(duplicates), encoding="utf-8")
    learned_path.write_text(json.dumps(learned), encoding="utf-8")
    get_run_logger().info(
        "%d duplicates found; boilerplate learned for %d of %d sites",
        len(duplicates),
        sum(1 for v in learned.values() if v),
        len(groups),
    )
    return str(duplicates_path), str(learned_path)


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
