"""Which task runner a run uses, and how it is started once or served on a schedule."""

from __future__ import annotations

from typing import Any

from prefect.task_runners import ThreadPoolTaskRunner

from cleaners.runlog import RunSummary
from flows.pipeline import clean_news
from flows.settings import RunSettings

IN_PROCESS_THREADS = 2


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
    return clean_news.with_options(task_runner=task_runner(settings))(settings)


def serve_flow(settings: RunSettings, cron: str, name: str) -> None:
    flow = clean_news.with_options(task_runner=task_runner(settings))
    flow.serve(name=name, cron=cron, parameters={"settings": settings.model_dump(mode="json")})
