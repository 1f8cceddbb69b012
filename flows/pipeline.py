"""The newsclean flow: discover, clean shards, index the run, finalise, validate, publish."""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyarrow.parquet as pq
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.futures import PrefectFuture
from prefect.states import Failed, State

from cleaners.contract import rejected_table
from cleaners.manifest import load_manifest, save_manifest, select_inputs, superseded_parts
from cleaners.options import CleanOptions
from cleaners.readers import discover, plan_slices, remove_spills
from cleaners.residue.rules import RuleError, load_rules
from cleaners.runlog import (
    RunSummary,
    load_history,
    progress_message,
    save_summary,
    worth_reporting,
)
from cleaners.shard import CleanedShard, FinalShard
from cleaners.store import (
    MANIFEST,
    OutputBusy,
    OutputLock,
    RunStage,
    check_writable,
    publish,
    recover,
)
from flows.processes import IN_PROCESS_THREADS, shard_processes, worker_count
from flows.settings import QualityFailed, RunSettings
from flows.tasks import (
    clean_shard_task,
    finalize_shard_task,
    forget_refused_task,
    index_run_task,
    validate_task,
)

if TYPE_CHECKING:
    from expectations import DatasetValidation

R = TypeVar("R")


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


@flow(name="newsclean", validate_parameters=True)
def clean_news(settings: RunSettings) -> RunSummary | State[RunSummary]:
    """Clean every new or changed input under `settings.sources` into `settings.out`."""
    logger = get_run_logger()
    out = settings.out
    run_id = new_run_id()
    summary = RunSummary(
        run_id=run_id, started_at=datetime.now(UTC).isoformat(), sources=list(settings.sources)
    )
    timer = time.perf_counter()
    with ExitStack() as held:
        try:
            held.enter_context(OutputLock(out))
        except OutputBusy as busy:
            # Another run took the folder while this one started: said in one line, as the
            # command line's own check before start-up says it.
            return Failed(message=str(busy), data=busy)
        rolled_back = recover(out)
        if rolled_back:
            logger.warning("rolled back %d interrupted run(s): %s", len(rolled_back), rolled_back)
        check_writable(out)
        stage = RunStage(out, run_id)
        options = settings.clean_options()

        files, discovery_rejections = discover(settings.sources, skip=out)
        manifest = load_manifest(out / MANIFEST)
        selection = select_inputs(files, manifest, run_id)
        summary.inputs, summary.skipped_inputs = len(files), selection.unchanged
        shards = plan_slices(selection.todo, settings.shard_size, stage.work)
        logger.info(
            "%d inputs found, %d unchanged since earlier runs, %d shards to clean",
            len(files),
            selection.unchanged,
            len(shards),
        )
        summary.stage_seconds["discover"] = _lap(timer)
        if not shards and not discovery_rejections:
            logger.info("nothing new to clean; the dataset is unchanged")
            if selection.entries != manifest:
                # Inputs touched but unchanged: their new times are recorded, so that the next
                # run skips them without reading their bytes again.
                save_manifest(stage.path(MANIFEST), selection.entries)
                publish(stage)
            else:
                stage.discard()
            summary.finished_at = datetime.now(UTC).isoformat()
            summary.quality_success = None
            return summary

        try:
            # A broken rule file is the run's fault, not each document's: it fails the run
            # before anything is cleaned, and the inputs stay new for the run after the fix.
            load_rules(options.languages)
        except RuleError:
            stage.discard()
            raise
        work = str(stage.work)
        replaced = selection.replaced_sources
        remote = bool(settings.dask_address or settings.workers)
        processes = worker_count(len(shards), IN_PROCESS_THREADS, remote)
        if processes:
            logger.info("%d shards go to %d worker processes", len(shards), processes)
        with shard_processes(processes):
            futures = [
                clean_shard_task.submit(i, len(shards), slices, options, work, run_id)
                for i, slices in enumerate(shards)
            ]
            cleaned = _results_in_order(futures, "cleaned", lambda shard: shard.read)
            remove_spills(shards)
            summary.stage_seconds["clean"] = _lap(timer) - summary.stage_seconds["discover"]

            refused: list[str] = []
            maps = index_run_task(cleaned, str(out), str(stage.root), replaced, refused)
            finals = _finalize_all(cleaned, maps, stage, settings.drop_duplicates, options)
            # A document rejected while finalising (no text left, a failed row check) cannot
            # be the copy its duplicates point at: when it is one, the run is matched again
            # without it and finalised again (rarely: copies mostly pass or fail alike).
            while newly := sorted({d for f in finals for d in f.refused} - set(refused)):
                refused += newly
                if set(newly) & set(_duplicates(maps).values()):
                    maps = index_run_task(cleaned, str(out), str(stage.root), replaced, refused)
                    for folder in ("articles", "rejected"):
                        shutil.rmtree(stage.root / folder, ignore_errors=True)
                    finals = _finalize_all(cleaned, maps, stage, settings.drop_duplicates, options)
            if refused:
                # Nor may it stay in the index, where a later run's copies would find it.
                forget_refused_task(str(stage.root), refused)
            if discovery_rejections:
                path = stage.path(f"rejected/part-{run_id}-discover.parquet")
                pq.write_table(
                    rejected_table(r.row(run_id) for r in discovery_rejections),
                    path,
                    compression="zstd",
                )
            _add_counts(
                summary,
                cleaned_read=sum(c.read for c in cleaned),
                finals=finals,
                discovery=[r.reason for r in discovery_rejections],
            )
            summary.stage_seconds["finalize"] = _lap(timer) - sum(summary.stage_seconds.values())

            # Once every shard is finalised, so that no shard worker sits beside the run's
            # largest allocation: the whole dataset's columns and Great Expectations' copies.
            validation = validate_task(
                str(stage.root), run_id, options.languages, str(out), selection.replaced_sources
            )
            summary.quality_success = validation.success
            summary.quality_failures = list(validation.failures)
            summary.stage_seconds["validate"] = _lap(timer) - sum(summary.stage_seconds.values())

        removed: list[str] = []
        # An input rejected before it could be read (missing, unreadable) is rejected again by
        # every run that names it: its earlier rejection gives way, so that it has one row.
        superseded = superseded_parts(
            out, selection.replaced_sources, (r.source for r in discovery_rejections)
        )
        for relative, remaining in superseded:
            if remaining is None:
                removed.append(relative)
            else:
                pq.write_table(remaining, stage.path(relative), compression="zstd")
        save_manifest(stage.path(MANIFEST), selection.entries)
        summary.finished_at = datetime.now(UTC).isoformat()
        report_page = report_task(summary, str(out), str(stage.root), validation)
        summary.report_page = str(out / Path(report_page).relative_to(stage.root))
        save_summary(stage.root, summary)
        publish(stage, remove=removed)
        summary.stage_seconds["publish"] = _lap(timer) - sum(summary.stage_seconds.values())

    _publish_artifacts(summary)
    if settings.fail_on_quality and summary.quality_success is False:
        # The run ends failed, and its caller gets QualityFailed, without a traceback in the
        # log: the run completed, and a one-line reason is what its reader needs.
        message = "quality checks failed: " + "; ".join(summary.quality_failures)
        return Failed(message=message, data=QualityFailed(message, summary))
    return summary


def _results_in_order(
    futures: list[PrefectFuture[R]], stage: str, documents: Callable[[R], int]
) -> list[R]:
    """The futures' results in order, logging the stage's progress at each tenth of it."""
    logger = get_run_logger()
    started = time.perf_counter()
    results: list[R] = []
    done = 0
    for future in futures:
        results.append(future.result())
        done += documents(results[-1])
        if worth_reporting(len(results), len(futures)):
            elapsed = time.perf_counter() - started
            logger.info(progress_message(stage, len(results), len(futures), done, elapsed))
    return results


def _finalize_all(
    cleaned: list[CleanedShard],
    maps: tuple[str, str],
    stage: RunStage,
    drop_duplicates: bool,
    options: CleanOptions,
) -> list[FinalShard]:
    futures = [
        finalize_shard_task.submit(c, maps, str(stage.root), stage.run_id, drop_duplicates, options)
        for c in cleaned
    ]
    return _results_in_order(futures, "finalised", lambda shard: shard.written + shard.rejected)


def _duplicates(maps: tuple[str, str]) -> dict[str, str]:
    """The run's duplicates map (the first of `index_run_task`'s files): doc_id to canonical."""
    duplicates: dict[str, str] = json.loads(Path(maps[0]).read_text(encoding="utf-8"))
    return duplicates


def _lap(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def _add_counts(
    summary: RunSummary, cleaned_read: int, finals: list[FinalShard], discovery: list[str]
) -> None:
    summary.read = cleaned_read + len(discovery)
    summary.written = sum(f.written for f in finals)
    summary.rejected = sum(f.rejected for f in finals) + len(discovery)
    summary.duplicates = sum(f.duplicates for f in finals)
    totals: dict[str, Counter[str]] = {
        "by_language": Counter(),
        "by_site": Counter(),
        "rejected_by_reason": Counter(discovery),
        "removals_by_rule": Counter(),
    }
    for final in finals:
        for name, counter in totals.items():
            counter.update(getattr(final, name))
        summary.with_date += final.with_date
        summary.with_title += final.with_title
        summary.with_authors += final.with_authors
    for name, counter in totals.items():
        setattr(summary, name, dict(counter.most_common()))


@task(name="report")
def report_task(
    summary: RunSummary, out: str, stage_root: str, validation: DatasetValidation
) -> str:
    from expectations import render_run_page

    history = [*load_history(Path(out)), summary]
    page = render_run_page(
        summary, history, Path(stage_root) / "reports" / summary.run_id, validation
    )
    return str(page)


def _publish_artifacts(summary: RunSummary) -> None:
    from expectations import summary_markdown, summary_table

    create_markdown_artifact(
        markdown=summary_markdown(summary),
        key="newsclean-run-summary",
        description=f"newsclean run {summary.run_id}",
    )
    create_table_artifact(
        table=summary_table(summary),
        key="newsclean-run-table",
        description="read, written and rejected documents",
    )
