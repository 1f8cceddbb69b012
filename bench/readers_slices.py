"""CPU time to plan and read every slice of a long JSON-lines file: counting lines vs offsets.

The baseline reaches each slice by reading every line before it (slices planned without a
work folder and without byte offsets); newsclean's figure is the same file planned with a
work folder (byte offsets for plain files, one copy per slice for gzipped ones).
Both read the same file in the same run, and the rows they yield must hash the same.

    .venv/bin/python bench/readers_slices.py bench/out/throughput/text-100000 --shard-size 500
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cleaners.contract import Rejection  # noqa: E402
from cleaners.readers import InputSlice, discover, plan_slices, read_slice, remove_spills  # noqa: E402


def read_all(shards: list[list[InputSlice]]) -> tuple[int, str]:
    digest = hashlib.sha256()
    rows = 0
    for shard in shards:
        for item in shard:
            for row in read_slice(item):
                rows += 1
                if isinstance(row, Rejection):
                    digest.update(f"{row.source}|{row.reason}|{row.detail}".encode())
                else:
                    content = row.content if isinstance(row.content, str) else repr(row.content)
                    digest.update(f"{row.source}|{row.doc_id}|{content}".encode("utf-8", "replace"))
    return rows, digest.hexdigest()[:16]


def measure(sources: list[str], shard_size: int, work: Path | None) -> dict[str, object]:
    files, _ = discover(sources)
    started = time.process_time()
    shards = plan_slices(files, shard_size, work)
    if work is None:  # the baseline: every slice counts lines from the file's start
        shards = [[replace(item, offset=-1) for item in shard] for shard in shards]
    planned = time.process_time()
    spilled = sum(Path(i.spill).stat().st_size for s in shards for i in s if i.spill)
    rows, digest = read_all(shards)
    done = time.process_time()
    remove_spills(shards)
    return {
        "slices": sum(len(s) for s in shards),
        "plan_s": planned - started,
        "read_s": done - planned,
        "rows": rows,
        "digest": digest,
        "spill_mb": spilled / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+")
    parser.add_argument("--shard-size", type=int, default=500)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    results = {}
    if not args.skip_baseline:
        results["baseline (count lines from the start)"] = measure(
            args.sources, args.shard_size, None
        )
    with tempfile.TemporaryDirectory(prefix="bench-slices-") as work:
        results["newsclean (offsets and slice copies)"] = measure(
            args.sources, args.shard_size, Path(work)
        )
        left = [p for p in Path(work).rglob("*") if p.is_file()]
    print(f"sources: {' '.join(args.sources)}  shard size: {args.shard_size}")
    for name, r in results.items():
        print(
            f"{name:40s} slices {r['slices']:>5}  plan {r['plan_s']:7.2f} s CPU  "
            f"read {r['read_s']:7.2f} s CPU  total {r['plan_s'] + r['read_s']:7.2f} s CPU  "  # type: ignore[operator]
            f"rows {r['rows']}  digest {r['digest']}  copies {r['spill_mb']:.0f} MB"
        )
    digests = {r["digest"] for r in results.values()}
    print(f"same rows: {len(digests) == 1}  files left in the work folder: {len(left)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
