"""`newsclean` with another default task runner, to compare runners without changing settings.

    .venv/bin/python -m bench.throughput.with_runner process:2 run SOURCE --out DIR
    .venv/bin/python -m bench.throughput.with_runner threads:2 run SOURCE --out DIR

RUNNER is `threads:N` (Prefect's ThreadPoolTaskRunner) or `process:N` (ProcessPoolTaskRunner);
the rest of the arguments go to the `newsclean` command line unchanged.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _runner_factory(spec: str) -> Any:
    kind, _, count = spec.partition(":")
    workers = int(count or "2")
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    if kind == "process":
        return lambda settings: ProcessPoolTaskRunner(max_workers=workers)
    if kind == "threads":
        return lambda settings: ThreadPoolTaskRunner(max_workers=workers)
    raise SystemExit(f"unknown runner {spec!r}: use threads:N or process:N")


def main() -> int:
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    spec, argv = sys.argv[1], sys.argv[2:]
    from flows.cli import EPHEMERAL_STARTUP_SECONDS
    from flows.cli import main as newsclean

    # The same environment `newsclean` sets up, before Prefect is first imported below.
    os.environ.setdefault(
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", EPHEMERAL_STARTUP_SECONDS
    )
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    import flows.runner

    flows.runner.task_runner = _runner_factory(spec)
    return newsclean(argv)


if __name__ == "__main__":
    raise SystemExit(main())
