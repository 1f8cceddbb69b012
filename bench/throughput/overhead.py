"""The fixed per-run overhead: `newsclean run` on one document, in this tree and another.

Usage (from the repository root):

    .venv/bin/python -m bench.throughput.overhead --against /tmp/newsclean-head --rounds 5

Each round runs the command line of this tree and of the `--against` tree (a copy of another
commit, e.g. `git archive HEAD | tar -x -C /tmp/newsclean-head`) on the one-document input of
`corpus.tiny_path` (or `--source`), into fresh output folders, one after the other, so that
both see the same machine load. Per run: wall seconds, CPU seconds of the whole process tree
(the larger of GNU time's figure and psutil's per-process CPU times, as in run.py) and its peak
summed PSS. Each first run is followed by a second run on the same output folder, which finds
nothing new (what most scheduled runs find).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.throughput.corpus import ROOT, tiny_path
from bench.throughput.run import SYSTEM_SECONDS, USER_SECONDS, TreeMemory, _seconds

PYTHON = str(ROOT / ".venv" / "bin" / "python")


def one_run(tree: Path, source: Path, out: Path) -> dict[str, Any]:
    command = ["/usr/bin/time", "-v", PYTHON, "-m", "flows.cli", "run", str(source)]
    command += ["--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    memory = TreeMemory(process.pid)
    memory.start()
    stdout, stderr = process.communicate()
    memory.stop()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{tree}: exit {process.returncode}\n{stdout[-2000:]}\n{stderr[-3000:]}")
    waited = _seconds(USER_SECONDS, stderr) + _seconds(SYSTEM_SECONDS, stderr)
    summary = next((line for line in stdout.splitlines() if line.startswith("newsclean")), "")
    return {
        "wall": wall,
        "cpu": max(waited, sum(memory.cpu.values())),
        "pss_mb": memory.peak_pss / 2**20,
        "summary": summary,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, required=True, help="the other tree")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--source", type=Path, help="another input (default: the one-document input)"
    )
    args = parser.parse_args()
    trees = {"this": ROOT, "against": args.against.resolve()}
    source = args.source.resolve() if args.source else tiny_path()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()}", flush=True)
    print(f"input: {source}", flush=True)
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    work = Path(tempfile.mkdtemp(prefix="newsclean-overhead-"))
    try:
        for round_ in range(args.rounds):
            order = list(trees.items()) if round_ % 2 == 0 else list(reversed(trees.items()))
            for name, tree in order:
                out = work / f"{name}-{round_}"
                for kind in ("first run", "nothing new"):
                    result = one_run(tree, source, out)
                    results.setdefault((name, kind), []).append(result)
                    print(
                        f"round {round_} {name:7} {kind:11}: {result['wall']:5.1f} s wall "
                        f"{result['cpu']:5.1f} s CPU {result['pss_mb']:5.0f} MB PSS  "
                        f"{result['summary'][:60]}",
                        flush=True,
                    )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine load average at the end {os.getloadavg()}")
    print(f"\nmedians over {args.rounds} rounds (min-max):")
    for (name, kind), runs in sorted(results.items(), key=lambda item: item[0][1]):
        parts = []
        for key, unit in (("wall", "s wall"), ("cpu", "s CPU"), ("pss_mb", "MB PSS")):
            values = [run[key] for run in runs]
            parts.append(
                f"{statistics.median(values):.1f} {unit} ({min(values):.1f}-{max(values):.1f})"
            )
        print(f"  {name:7} {kind:11} ({trees[name]}): " + ", ".join(parts))


if __name__ == "__main__":
    main()
