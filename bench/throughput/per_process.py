"""Peak memory (PSS, RSS) of each process of a command's tree, sampled every half second.

Usage (from the repository root):

    .venv/bin/python -m bench.throughput.per_process --progress 60 -- \\
        .venv/bin/python -m flows.cli run bench/out/throughput/html-2000 --out /tmp/h

With `--progress N`, a line with the tree's current and peak summed PSS is printed every N
seconds, so a run of hours shows its figures before it ends (or is stopped).
"""

from __future__ import annotations

import argparse
import subprocess
import time

from bench.throughput.run import TreeMemory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--progress", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given: put it after --")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    memory = TreeMemory(process.pid, interval=0.5)
    memory.start()
    started = time.monotonic()
    while process.poll() is None:
        try:
            process.wait(timeout=args.progress or None)
        except subprocess.TimeoutExpired:
            print(
                f"{time.monotonic() - started:8.0f} s  tree PSS now {memory.pss >> 20} MB, "
                f"peak {memory.peak_pss >> 20} MB",
                flush=True,
            )
    memory.stop()
    print(f"exit status {process.returncode}")
    print(
        f"wall {time.monotonic() - started:.1f} s; CPU of the tree as last sampled "
        f"{sum(memory.cpu.values()):.1f} s"
    )
    for (pid, name), (pss, rss) in sorted(memory.per_process.items(), key=lambda i: -i[1][0]):
        cpu = memory.cpu_of.get((pid, name), 0.0)
        print(
            f"{pid:>8}  peak PSS {pss >> 20:>6} MB  RSS {rss >> 20:>6} MB  CPU {cpu:6.1f} s  {name}"
        )
    print(
        f"the tree's summed PSS peaked at {memory.peak_pss >> 20} MB, "
        f"{memory.peak_pss_at:.0f} s after the start; each process then:"
    )
    for (pid, name), pss in sorted(memory.at_peak_pss.items(), key=lambda i: -i[1]):
        print(f"{pid:>8}  PSS {pss >> 20:>6} MB  {name}")


if __name__ == "__main__":
    main()
