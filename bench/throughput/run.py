"""End-to-end throughput and peak memory of `newsclean run`, beside single-core baselines.

Usage (from the repository root):

    .venv/bin/python -m bench.throughput.run --kind html --docs 10000
    .venv/bin/python -m bench.throughput.run --kind text --docs 10000 --config shard2000

For each configuration it runs the real command line on the corpus (generated first if
missing, see corpus.py) into a fresh output folder under bench/out/throughput/runs/, and
reports: documents per second end to end, the run's own stage times (`stage_seconds` of the
run summary), CPU seconds of the whole process tree (the larger of GNU time's figure and the
per-process CPU times sampled by psutil), and its peak memory: the sum of the PSS of every
process of the tree (shared pages divided among their sharers), the sum of their RSS (shared
pages counted in every process), both sampled every 0.2 s, and GNU time's largest single
process. The fixed per-run overhead is a run on one tiny document.
The baseline (a bare single-core loop of trafilatura.extract over the same HTML, or of
ftfy.fix_text over the same text) is measured in the same invocation, before and after the
runs, so that the ratios compare figures taken under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from bench.throughput.corpus import OUT, ROOT, tiny_path, write_corpus

PYTHON = str(ROOT / ".venv" / "bin" / "python")
NEWSCLEAN = [PYTHON, "-m", "flows.cli"]
RUNS = OUT / "runs"
WITH_RUNNER = [PYTHON, "-m", "bench.throughput.with_runner"]
# Named configurations: the command that stands for `newsclean`, and extra `run` arguments.
CONFIGS: dict[str, tuple[list[str], list[str]]] = {
    "default": (NEWSCLEAN, []),
    "shard2000": (NEWSCLEAN, ["--shard-size", "2000"]),
    "threads2": ([*WITH_RUNNER, "threads:2"], []),
    "process2": ([*WITH_RUNNER, "process:2"], []),
    "process2-shard250": ([*WITH_RUNNER, "process:2"], ["--shard-size", "250"]),
    "process2-shard2000": ([*WITH_RUNNER, "process:2"], ["--shard-size", "2000"]),
    "dask2": (NEWSCLEAN, ["--workers", "2"]),
}
# Compared by default: the plain command line and the same flow on a 2-process pool.
DEFAULT_CONFIGS = ["default", "process2"]
MAX_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
USER_SECONDS = re.compile(r"User time \(seconds\): ([\d.]+)")
SYSTEM_SECONDS = re.compile(r"System time \(seconds\): ([\d.]+)")


class TreeMemory(threading.Thread):
    """Samples the memory and CPU time of a process and all its descendants until stopped.

    RSS counts pages shared between processes (a forkserver and the workers forked from it)
    once per process; PSS divides each shared page among its sharers, so the PSS sum is the
    tree's real footprint. CPU time is kept per process as last seen: GNU time only counts
    the children that its command waited for, and a forkserver's workers are not among them.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.peak_pss = 0
        self.pss = 0  # the latest sample's sum
        self.peak_processes = 0
        self.cpu: dict[tuple[int, float], float] = {}
        # Peak (PSS, RSS) in bytes of each process, by pid and the tail of its command line.
        self.per_process: dict[tuple[int, str], tuple[int, int]] = {}
        self.cpu_of: dict[tuple[int, str], float] = {}  # the same keys: CPU s as last seen
        # PSS of each process at the moment the tree's summed PSS peaked, and that moment.
        self.at_peak_pss: dict[tuple[int, str], int] = {}
        self.peak_pss_at = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        started = time.monotonic()
        while not self._done.is_set():
            total, pss, count = 0, 0, 0
            snapshot: dict[tuple[int, str], int] = {}
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for process in processes:
                try:
                    memory = process.memory_full_info()
                    times = process.cpu_times()
                    key = (process.pid, process.create_time())
                    total += memory.rss
                    pss += memory.pss
                    count += 1
                    self.cpu[key] = times.user + times.system
                    name = (process.pid, " ".join(process.cmdline())[-70:])
                    seen = self.per_process.get(name, (0, 0))
                    self.per_process[name] = max(seen, (memory.pss, memory.rss))
                    self.cpu_of[name] = times.user + times.system
                    snapshot[name] = memory.pss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self.pss = pss
            if total > self.peak:
                self.peak, self.peak_processes = total, count
            if pss > self.peak_pss:
                self.peak_pss, self.at_peak_pss = pss, snapshot
                self.peak_pss_at = time.monotonic() - started
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


def run_newsclean(config: str, source: Path, label: str) -> dict[str, Any]:
    """One `newsclean run` of `source` into a fresh folder, measured."""
    out = RUNS / label
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    prefix, extra = CONFIGS[config]
    command = ["/usr/bin/time", "-v", *prefix, "run", str(source), "--out", str(out), *extra]
    log_path = RUNS / f"{label}.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.PIPE, text=True, env=env)
        memory = TreeMemory(process.pid)
        memory.start()
        _, stderr = process.communicate()
        memory.stop()
    wall = time.perf_counter() - started
    log_path.with_suffix(".stderr").write_text(stderr, encoding="utf-8")
    if process.returncode != 0:
        raise SystemExit(f"{label}: newsclean exited {process.returncode}; see {log_path}")
    summary = _summary(out)
    read = int(summary.get("read", 0))
    waited_cpu = _seconds(USER_SECONDS, stderr) + _seconds(SYSTEM_SECONDS, stderr)
    sampled_cpu = sum(memory.cpu.values())
    cpu = max(waited_cpu, sampled_cpu)
    max_rss = MAX_RSS.search(stderr)
    return {
        "label": label,
        "config": config,
        "command": " ".join(command[2:]),
        "read": read,
        "written": summary.get("written"),
        "rejected": summary.get("rejected"),
        "duplicates": summary.get("duplicates"),
        "wall_seconds": round(wall, 2),
        "docs_per_second": round(read / wall, 2) if wall else 0.0,
        "cpu_seconds": round(cpu, 1),
        "stage_seconds": summary.get("stage_seconds", {}),
        "cpu_seconds_waited": round(waited_cpu, 1),
        "cpu_seconds_sampled": round(sampled_cpu, 1),
        "peak_tree_rss_mb": round(memory.peak / 2**20),
        "peak_tree_pss_mb": round(memory.peak_pss / 2**20),
        "peak_tree_processes": memory.peak_processes,
        "max_single_rss_mb": round(int(max_rss.group(1)) / 1024) if max_rss else None,
    }


def _seconds(pattern: re.Pattern[str], text: str) -> float:
    match = pattern.search(text)
    return float(match.group(1)) if match else 0.0


def _summary(out: Path) -> dict[str, Any]:
    runs = sorted((out / "state" / "runs").glob("*.json"))
    if not runs:
        return {}
    data: dict[str, Any] = json.loads(runs[-1].read_text(encoding="utf-8"))
    return data


def run_baseline(corpus: Path, limit: int | None) -> dict[str, Any]:
    command = [PYTHON, "-m", "bench.throughput.baseline", str(corpus)]
    if limit:
        command += ["--limit", str(limit)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _print_run(
    result: dict[str, Any], overhead: float, baseline_rate: float, baseline_cpu_rate: float
) -> None:
    stages = ", ".join(f"{k} {v:.1f}" for k, v in result["stage_seconds"].items())
    net = result["wall_seconds"] - overhead
    net_rate = result["read"] / net if net > 0 else 0.0
    cpu_per_doc = result["cpu_seconds"] / max(result["read"], 1)
    cpu_ratio = 1 / (cpu_per_doc * baseline_cpu_rate) if cpu_per_doc else 0.0
    print(
        f"  {result['label']}: {result['read']} docs in {result['wall_seconds']:.1f} s = "
        f"{result['docs_per_second']:.1f} docs/s ({result['docs_per_second'] / baseline_rate:.2f}x"
        f" baseline); without the fixed overhead {net_rate:.1f} docs/s "
        f"({net_rate / baseline_rate:.2f}x)\n"
        f"    stages (s): {stages}\n"
        f"    CPU of the tree {result['cpu_seconds']:.0f} s = {1000 * cpu_per_doc:.1f} ms/doc "
        f"(baseline {1000 / baseline_cpu_rate:.1f} ms/doc: CPU ratio {cpu_ratio:.2f}x, "
        f"so at most {2 * cpu_ratio:.2f}x on 2 idle cores)\n"
        f"    peak PSS of the tree {result.get('peak_tree_pss_mb')} MB, "
        f"peak RSS of the tree {result['peak_tree_rss_mb']} MB over "
        f"{result['peak_tree_processes']} processes (largest process {result['max_single_rss_mb']}"
        f" MB); written {result['written']}, rejected {result['rejected']}, "
        f"duplicates {result['duplicates']}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=("text", "html"), required=True)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument(
        "--config",
        action="append",
        choices=sorted(CONFIGS),
        help=f"runs to make (repeatable; default: {' and '.join(DEFAULT_CONFIGS)})",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration")
    parser.add_argument(
        "--baseline-docs",
        type=int,
        default=None,
        help="documents in each baseline loop (default: the whole corpus)",
    )
    parser.add_argument("--no-tiny", action="store_true", help="skip the fixed-overhead run")
    args = parser.parse_args()
    configs = args.config or DEFAULT_CONFIGS

    corpus = write_corpus(args.kind, args.docs)
    print(f"corpus {corpus} ({corpus.stat().st_size / 2**20:.0f} MB gzipped)", flush=True)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()}", flush=True)
    results: dict[str, Any] = {"kind": args.kind, "docs": args.docs, "runs": []}

    before = run_baseline(corpus, args.baseline_docs)
    print(f"baseline before: {json.dumps(before)}", flush=True)
    overhead = 0.0
    if not args.no_tiny:
        tiny = run_newsclean("default", tiny_path(), f"tiny-{args.kind}")
        overhead = tiny["wall_seconds"]
        results["tiny"] = tiny
        print(
            f"fixed overhead (1 document, default): {overhead:.1f} s wall, "
            f"{tiny['cpu_seconds']:.1f} s CPU, peak tree RSS {tiny['peak_tree_rss_mb']} MB; "
            f"stages {tiny['stage_seconds']}",
            flush=True,
        )
    for config in configs:
        for attempt in range(args.repeat):
            label = f"{args.kind}-{args.docs}-{config}-{attempt}"
            print(f"running {label} ...", flush=True)
            results["runs"].append(run_newsclean(config, corpus, label))
            _print_run(
                results["runs"][-1],
                overhead,
                before["docs_per_second"],
                before["docs_per_cpu_second"],
            )
    after = run_baseline(corpus, args.baseline_docs)
    print(f"baseline after: {json.dumps(after)}", flush=True)
    results["baseline"] = [before, after]
    print(f"machine load average at the end {os.getloadavg()}", flush=True)

    rates = [before["docs_per_second"], after["docs_per_second"]]
    baseline_rate = sum(rates) / 2
    baseline_cpu_rate = (before["docs_per_cpu_second"] + after["docs_per_cpu_second"]) / 2
    print(
        f"\n{args.kind} {args.docs}: baseline {before['library']}, single core: "
        f"{rates[0]:.1f} / {rates[1]:.1f} docs/s (before / after; mean {baseline_rate:.1f})"
    )
    for run in results["runs"]:
        _print_run(run, overhead, baseline_rate, baseline_cpu_rate)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = OUT / f"results-{args.kind}-{args.docs}-{stamp}.json"
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"results: {path}")


if __name__ == "__main__":
    main()
