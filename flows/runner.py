"""Which task runner a run uses, and how it is started once, served on a schedule or deployed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from cleaners.runlog import RunSummary
from flows.pipeline import clean_news
from flows.settings import RunSettings

IN_PROCESS_THREADS = 2
# Runs of one output folder never overlap (the second would stop on the folder's lock), so a
# served deployment starts one run at a time and a late run waits for the one before it.
SERVED_RUNS_AT_ONCE = 1


def task_runner(settings: RunSettings) -> Any:
    """In-process threads by default; Dask (prefect-dask) only when asked, as it starts slowly."""
    if settings.dask_address or settings.workers:
        from prefect_dask import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": settings.workers,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    return ThreadPoolTaskRunner(max_workers=IN_PROCESS_THREADS)


def run_flow(settings: RunSettings) -> RunSummary:
    """Run the flow once, on the task runner its settings ask for."""
    return clean_news.with_options(task_runner=task_runner(settings))(settings)


def serve_flow(
    settings: RunSettings,
    cron: str | None = None,
    name: str = "newsclean-scheduled",
    interval: float | None = None,
) -> None:
    """Serve the flow on a cron schedule or every `interval` seconds until stopped.

    Needs a Prefect server (`PREFECT_API_URL`); each scheduled run executes in a fresh process.
    """
    if (cron is None) == (interval is None):
        raise ValueError("serve needs exactly one of a cron schedule or an interval")
    flow_with_runner = clean_news.with_options(task_runner=task_runner(settings))
    flow_with_runner.serve(
        name=name,
        cron=cron,
        interval=timedelta(seconds=interval) if interval is not None else None,
        parameters={"settings": settings.model_dump(mode="json")},
        limit=SERVED_RUNS_AT_ONCE,
    )


@flow(name="newsclean-deployment", validate_parameters=True)
def deployed_clean_news(settings: RunSettings) -> RunSummary:
    """The entry point of a deployment run by a worker (see prefect.yaml).

    A worker loads the flow from its entry point, so the task runner chosen by `--workers` or
    `--dask` at serve time would be lost; this flow picks it from the run's own settings.
    """
    return run_flow(settings)
