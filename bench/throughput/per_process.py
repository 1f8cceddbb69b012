"""Peak memory (PSS, RSS) of each process of a command's tree, sampled every half second.

Usage (from the repository root):

    .venv/bin/python -m bench.throughput.per_process -- \\
        .venv/bin/python -m flows.cli run bench/out/throughput/html-2000 --out /tmp/h
"""

from __future__ import annotations

import subprocess
import sys

from bench.throughput.run import TreeMemory


def main() -> None:
    command = sys.argv[1:]
    if command[:1] == ["--"]:
        command = command[1:]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    memory = TreeMemory(process.pid, interval=0.5)
    memory.start()
    process.wait()
    memory.stop()
    print(f"exit status {process.returncode}")
    for (pid, name), (pss, rss) in sorted(memory.per_process.items(), key=lambda i: -i[1][0]):
        print(f"{pid:>8}  peak PSS {pss >> 20:>6} MB  RSS {rss >> 20:>6} MB  {name}")
    print(
        f"the tree's summed PSS peaked at {memory.peak_pss >> 20} MB, "
        f"{memory.peak_pss_at:.0f} s after the start; each process then:"
    )
    for (pid, name), pss in sorted(memory.at_peak_pss.items(), key=lambda i: -i[1]):
        print(f"{pid:>8}  PSS {pss >> 20:>6} MB  {name}")


if __name__ == "__main__":
    main()
