"""The `newsclean` command line: run, serve, report, explain."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

EXIT_OK, EXIT_QUALITY, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 130
INTERRUPTED = "interrupted; the output folder is left as it was"
# The embedded Prefect API starts a server per run; on a busy machine it needs longer than the
# default to come up.
EPHEMERAL_STARTUP_SECONDS = "180"
# How long the Dask scheduler given with --dask may take to accept a connection.
DASK_CONNECT_SECONDS = 10.0


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault(
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", EPHEMERAL_STARTUP_SECONDS
    )
    # No network beyond the machine: the embedded server must not try to send telemetry.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print(f"newsclean: {INTERRUPTED}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of the output has gone (`newsclean explain … | head`): stop quietly, and
        # keep Python from reporting the pipe again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsclean", description="Clean, normalise and deduplicate scraped news."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="clean SOURCE files and folders into --out, once")
    _add_run_options(run)
    run.set_defaults(handler=_run)

    serve = commands.add_parser("serve", help="serve the run on a cron schedule (Prefect server)")
    schedule = serve.add_mutually_exclusive_group(required=True)
    schedule.add_argument("--cron", help='a cron schedule, e.g. "*/15 * * * *"')
    schedule.add_argument(
        "--interval", type=float, metavar="SECONDS", help="run every SECONDS instead of a cron"
    )
    serve.add_argument("--name", default="newsclean-scheduled", help="the deployment's name")
    _add_run_options(serve)
    serve.set_defaults(handler=_serve)

    report = commands.add_parser("report", help="print a run's summary and its report page")
    report.add_argument("run_id", nargs="?", help="a run id (default: the latest run)")
    report.add_argument("--out", required=True, type=_folder, help="the output folder")
    report.set_defaults(handler=_report)

    explain = commands.add_parser("explain", help="clean one file and show every removal")
    explain.add_argument("file", help="a .txt, .html or .jsonl file (optionally .gz)")
    explain.set_defaults(handler=_explain)
    return parser


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="files or folders to read")
    parser.add_argument("--out", required=True, type=_folder, help="the output folder")
    runner = parser.add_mutually_exclusive_group()
    runner.add_argument("--workers", type=int, default=0, help="run on a local Dask cluster")
    runner.add_argument("--dask", dest="dask_address", help="run on the Dask scheduler at ADDRESS")
    parser.add_argument(
        "--drop-duplicates",
        action="store_true",
        help="move duplicate copies to rejected/ instead of flagging them",
    )
    parser.add_argument(
        "--fail-on-quality",
        action="store_true",
        help="exit non-zero when the run's quality checks fail",
    )
    parser.add_argument("--shard-size", type=int, default=500, help="documents per task")


def _folder(value: str) -> Path:
    """A folder named on the command line; an empty name (an unset shell variable) is refused
    rather than taken for the current folder."""
    if not value.strip():
        raise argparse.ArgumentTypeError("the folder's name is empty")
    return Path(value)


def _settings(args: argparse.Namespace) -> Any:
    from flows.settings import RunSettings

    return RunSettings(
        sources=args.sources,
        out=args.out,
        workers=args.workers or 0,
        dask_address=args.dask_address,
        drop_duplicates=args.drop_duplicates,
        fail_on_quality=args.fail_on_quality,
        shard_size=args.shard_size,
    )


def _fail(message: str) -> int:
    print(f"newsclean: {message}", file=sys.stderr)
    return EXIT_FAILED


def _run(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
    except ValidationError as error:
        return _fail(_invalid(error))
    from cleaners.store import OutputBusy, OutputLock, OutputUnusable, check_writable
    from flows.collector import collection_paused, no_collection_at_exit
    from flows.settings import QualityFailed
    from flows.startup import start_run

    no_collection_at_exit()
    started = time.perf_counter()
    previous_handler = signal.signal(signal.SIGINT, _exit_at_interrupt)
    try:
        check_writable(settings.out)  # before paying for Prefect's start-up
        with OutputLock(settings.out):  # busy with another run: say so now, not after start-up
            pass
        if settings.dask_address and (problem := _unreachable(settings.dask_address)):
            return _fail(problem)
        # Before the flow's module imports Prefect: the forkserver, then Prefect's API server
        # start first, and this process loads what it needs while they start.
        start = start_run(settings)
        with collection_paused():
            from flows.runner import run_flow
        summary = run_flow(settings, start)
    except (OutputBusy, OutputUnusable) as error:
        return _fail(str(error))
    except QualityFailed as error:
        if error.summary is not None:
            print(_summary_text(error.summary, time.perf_counter() - started))
        print(f"newsclean: {error}", file=sys.stderr)
        return EXIT_QUALITY
    except Exception as error:  # noqa: BLE001 - a failed run ends with a message, not a traceback
        return _fail(f"the run failed: {type(error).__name__}: {error}")
    finally:
        signal.signal(signal.SIGINT, previous_handler)
    print(_summary_text(summary, time.perf_counter() - started))
    return EXIT_OK


def _unreachable(address: str) -> str | None:
    """Why the Dask scheduler at a TCP `address` cannot be reached, or None.

    Asked before the run starts: Dask itself retries for 30 s, then fails the flow with a
    traceback. Addresses of other transports (tls://, ucx://, inproc://) are left to Dask.

    >>> _unreachable("tcp://scheduler")
    "--dask: 'tcp://scheduler' has no port; a scheduler's address is like tcp://10.0.0.5:8786"
    >>> _unreachable("tls://10.0.0.5:8786") is None
    True
    """
    scheme, _, location = address.rpartition("://")
    if scheme not in ("", "tcp"):
        return None
    host, _, port = location.rpartition(":")
    if not port.isdigit() or not host:
        return f"--dask: {address!r} has no port; a scheduler's address is like tcp://10.0.0.5:8786"
    try:
        with socket.create_connection((host.strip("[]"), int(port)), DASK_CONNECT_SECONDS):
            return None
    except OSError as error:
        return f"cannot reach the Dask scheduler at {address}: {error.strerror or error}"


def _exit_at_interrupt(signum: int, frame: object) -> None:
    """Ctrl-C during a run: stop now, with the run's helper processes.

    A run that stops at any point leaves the output folder as it was (the next run rolls back
    what it staged), so nothing is gained by letting Prefect wind the run down: with its API
    server gone too (Ctrl-C reaches the whole process group), that takes minutes of retries.
    """
    import psutil

    print(f"newsclean: {INTERRUPTED}", file=sys.stderr)
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            child.kill()
    os._exit(EXIT_INTERRUPTED)


def _invalid(error: ValidationError) -> str:
    """The options a run refused, as the command line names them.

    >>> from flows.settings import RunSettings
    >>> try:
    ...     RunSettings(sources=["a"], out="o", shard_size=0)
    ... except ValidationError as error:
    ...     print(_invalid(error))
    invalid options: --shard-size: Input should be greater than or equal to 1
    """
    problems = []
    for problem in error.errors():
        where = "--" + "-".join(str(part) for part in problem["loc"]).replace("_", "-")
        problems.append(f"{where}: {problem['msg']}" if problem["loc"] else problem["msg"])
    return "invalid options: " + "; ".join(problems)


def _summary_text(summary: Any, seconds: float) -> str:
    from cleaners.readers import FORMAT_NAMES  # loaded by the run already; pyarrow comes with it

    if not summary.inputs and not summary.read:
        return (
            f"newsclean: no input found: no {FORMAT_NAMES} file (gzipped or not) under the "
            f"sources given; nothing written ({seconds:.1f} s)"
        )
    if not summary.read and summary.skipped_inputs:
        return (
            f"newsclean: nothing new in {summary.inputs} inputs "
            f"({summary.skipped_inputs} unchanged); nothing written ({seconds:.1f} s)"
        )
    lines = [
        f"newsclean run {summary.run_id}: read {summary.read} = written {summary.written}"
        f" + rejected {summary.rejected} in {seconds:.1f} s",
        f"  inputs: {summary.inputs} ({summary.skipped_inputs} unchanged, skipped)",
        _duplicates_line(summary),
        "  languages: " + (_counts(summary.by_language) or "none written"),
    ]
    if summary.rejected_by_reason:
        lines.append("  rejected: " + _counts(summary.rejected_by_reason))
    if summary.removals_by_rule:
        lines.append("  removals: " + _counts(summary.removals_by_rule, most=8))
    quality = {True: "passed", False: "FAILED", None: "not run"}[summary.quality_success]
    lines.append(
        f"  quality: {quality}" + "".join(f"\n    - {f}" for f in summary.quality_failures)
    )
    if summary.report_page:
        lines.append(f"  report: {summary.report_page}")
    return "\n".join(lines)


def _duplicates_line(summary: Any) -> str:
    """The run's duplicates: flagged (kept, with `duplicate_of`) or dropped to rejected/.

    >>> from cleaners.runlog import RunSummary
    >>> _duplicates_line(RunSummary("r1", "", duplicates=2))
    '  duplicates flagged: 2'
    >>> _duplicates_line(RunSummary("r1", "", duplicates=2, rejected_by_reason={"duplicate": 2}))
    '  duplicates dropped: 2'
    """
    from cleaners.contract import DUPLICATE_REASON

    dropped = summary.rejected_by_reason.get(DUPLICATE_REASON, 0)
    if not dropped:
        return f"  duplicates flagged: {summary.duplicates}"
    flagged = summary.duplicates - dropped
    return f"  duplicates dropped: {dropped}" + (f", flagged: {flagged}" if flagged else "")


def _counts(counts: dict[str, int], most: int | None = None) -> str:
    """Counts, largest first and ties by name: the same order for a run and for its report.

    >>> _counts({"fr": 2, "en": 4, "de": 2}, most=2)
    'en 4, de 2'
    """
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{name} {count}" for name, count in ordered[:most])


def _serve(args: argparse.Namespace) -> int:
    if not os.environ.get("PREFECT_API_URL"):
        return _fail(
            "serve needs a Prefect server: start one with `prefect server start` and set "
            "PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)"
        )
    try:
        settings = _settings(args)
    except ValidationError as error:
        return _fail(_invalid(error))
    from flows.runner import serve_flow

    serve_flow(settings, cron=args.cron, name=args.name, interval=args.interval)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from cleaners.runlog import load_history

    history = load_history(args.out)
    if not history:
        return _fail(f"no runs recorded under {args.out}")
    chosen = (
        history[-1]
        if not args.run_id
        else next((run for run in history if run.run_id == args.run_id), None)
    )
    if chosen is None:
        return _fail(f"no run {args.run_id} under {args.out}")
    chosen.report_page = _page_under(args.out, chosen)
    print(_summary_text(chosen, 0.0).replace(" in 0.0 s", ""))
    return EXIT_OK


def _page_under(out: Path, summary: Any) -> str:
    """A run's page under the output folder as named now.

    The run recorded it as its own `--out` named it, which may be relative to another folder.

    >>> from cleaners.runlog import RunSummary
    >>> run = RunSummary("r1", "", report_page="out/reports/r1/index.html")
    >>> _page_under(Path("../work/out"), run)
    '../work/out/reports/r1/index.html'
    """
    if not summary.report_page:
        return ""
    return str(out / "reports" / summary.run_id / Path(summary.report_page).name)


def _explain(args: argparse.Namespace) -> int:
    from cleaners.contract import Rejection
    from cleaners.document import RejectedDocument
    from cleaners.options import DEFAULT_OPTIONS
    from cleaners.pipeline import clean_raw
    from cleaners.readers import FORMAT_NAMES, discover, plan_slices, read_slice
    from cleaners.residue.rules import RuleError, load_rules

    try:
        load_rules(DEFAULT_OPTIONS.languages)
    except RuleError as error:
        return _fail(f"the residue rules cannot be used: {error}")
    files, rejected = discover([args.file])
    if not files:
        problems = "; ".join(f"{r.source}: {r.detail}" for r in rejected)
        return _fail(problems or f"no {FORMAT_NAMES} file in {args.file}")
    for rejection in rejected:  # a folder's unusable entries, and the rest is explained
        print(f"== {rejection.source}: rejected ({rejection.reason}): {rejection.detail}")
    for shard in plan_slices(files, 1_000_000):
        for item in shard:
            for raw in read_slice(item):
                if isinstance(raw, Rejection):
                    print(f"== {raw.source}: rejected ({raw.reason}): {raw.detail}")
                    continue
                try:
                    doc = clean_raw(raw)
                except RejectedDocument as error:
                    print(f"== {raw.source}: rejected ({error.reason}): {error.detail}")
                    continue
                print(f"== {doc.source}  [{doc.language} {doc.language_score:.2f}]")
                print(
                    f"title: {doc.title}\npublished_at: {doc.published_at} "
                    f"({doc.published_at_source})\nauthors: {doc.authors}  editors: {doc.editors}"
                    f"\nagency: {doc.agency}  dateline: {doc.dateline}  tags: {doc.tags}\n"
                )
                print(doc.text, "\n")
                for entry in doc.cleaning:
                    field = f" -> {entry.field}" if entry.field else ""
                    print(f"  {entry.action:8} {entry.rule}{field}: {entry.text!r}")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
