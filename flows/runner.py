"""Which task runner a run uses, and how it is started once, served on a schedule or deployed."""

# No `from __future__ import annotations` here: a served flow is pickled by value into each run's
# process, and pydantic can only validate its `settings` parameter against a real class there.

from datetime import timedelta
from typing import Any

from prefect import flow
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from cleaners.runlog import RunSummary
from cleaners.store import OutputBusy
from flows.pipeline import clean_news
from flows.processes import IN_PROCESS_THREADS, stop_forkserver
from flows.settings import QualityFailed, RunSettings
from flows.startup import RunStart, start_run

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


def run_flow(settings: RunSettings, start: RunStart | None = None) -> RunSummary:
    """Run the flow once, on the task runner its settings ask for.

    `start` is what `flows.startup.start_run` began for this run, when the caller began it
    earlier; otherwise it begins here. Either way the workers' forkserver, or this process,
    loads the cleaners while Prefect's temporary API server starts, not after.
    """
    start = start or start_run(settings)
    start.wait_for_api()
    summary = clean_news.with_options(task_runner=task_runner(settings))(settings)
    # Prefect answers a flow that returns a state with that state's result, and raises for a
    # failed one: what comes back here is always the run's summary.
    assert isinstance(summary, RunSummary)
    # A run with nothing new to clean never opened its workers. A failed run leaves the
    # forkserver be: stopping it would wait for the shards still in flight.
    stop_forkserver()
    return summary


@flow(name="newsclean-deployed", validate_parameters=True)
def deployed_clean_news(settings: RunSettings) -> RunSummary | State[RunSummary]:
    """A scheduled or deployed run: the `newsclean` flow on the task runner its settings ask for.

    A served or deployed flow is rebuilt in a fresh process for every run, where a task runner
    attached to the flow at serve time would be lost; this flow picks it from the settings.
    """
    try:
        return run_flow(settings)
    except (QualityFailed, OutputBusy) as error:  # failed, said in one line: see `clean_news`
        return Failed(message=str(error), data=error)


def serve_flow(
    settings: RunSettings,
    cron: str | None = None,
    name: str = "newsclean-scheduled",
    interval: float | None = None,
) -> None:
    """Serve the run on a cron schedule or every `interval` seconds, until stopped.

    Needs a Prefect server (`PREFECT_API_URL`); each scheduled run executes in a fresh process.
    """
    if (cron is None) == (interval is None):
        raise ValueError("serve needs exactly one of a cron schedule or an interval")
    deployed_clean_news.serve(
        name=name,
        cron=cron,
        interval=timedelta(seconds=interval) if interval is not None else None,
        parameters={"settings": settings.model_dump(mode="json")},
        limit=SERVED_RUNS_AT_ONCE,
    )
