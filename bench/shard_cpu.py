"""CPU per document of one shard's stages, in one process, beside a bare ftfy loop.

Runs what a shard worker runs (`clean_shard`, the run's `index_run`, `finalize_with_maps`) on
the first shards of the generated text corpus, after the worker's own preparation
(`prepare_shard_work`), and the baseline of the throughput goal, `ftfy.fix_text` over the same
texts, in the same process. CPU time (`time.process_time`), so the figures move less than wall
time on a shared machine; compare the ratio.

    .venv/bin/python -m bench.shard_cpu [--shards 4] [--shard-size 500]
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

import ftfy

from cleaners.options import CleanOptions
from cleaners.readers import discover, plan_slices
from cleaners.shard import clean_shard
from flows.shard_work import finalize_with_maps, index_run, prepare_shard_work

CORPUS = Path(__file__).resolve().parent / "out" / "throughput" / "text-10000"
CORPUS_FILE = CORPUS / "text-10000.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--shard-size", type=int, default=500)
    args = parser.parse_args()
    if not CORPUS_FILE.exists():
        raise SystemExit(f"no corpus: run `python -m bench.throughput.corpus --kind text "
                         f"--docs 10000` first ({CORPUS_FILE})")  # fmt: skip
    prepare_shard_work()
    options = CleanOptions()
    work = Path(tempfile.mkdtemp(prefix="shard-cpu-"))
    (work / "work").mkdir()
    (work / "out").mkdir()
    files, _ = discover([str(CORPUS_FILE)])
    shards = plan_slices(files, args.shard_size, work)[: args.shards]
    spent: dict[str, float] = {}

    def timed(stage: str, function: Callable[..., Any], *arguments: Any) -> Any:
        started = time.process_time()
        result = function(*arguments)
        spent[stage] = spent.get(stage, 0.0) + time.process_time() - started
        return result

    cleaned = [
        timed("clean_shard", clean_shard, number, shard, options, work, "bench")
        for number, shard in enumerate(shards)
    ]
    index = timed("index_run", index_run, cleaned, str(work / "out"), str(work), [], [])
    maps = (index.duplicates_path, index.learned_path)
    for shard in cleaned:
        timed("finalize_shard", finalize_with_maps, shard, maps, str(work), "bench", False, options)
    documents = sum(shard.read for shard in cleaned)

    with gzip.open(CORPUS_FILE, "rt", encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in islice(lines, documents)]
    started = time.process_time()
    for text in texts:
        ftfy.fix_text(text)
    baseline = time.process_time() - started

    print(f"{documents} documents in {len(cleaned)} shards of {args.shard_size}, CPU ms/doc:")
    print(f"  baseline ftfy.fix_text loop: {1000 * baseline / documents:.2f}")
    for stage, seconds in spent.items():
        print(f"  {stage}: {1000 * seconds / documents:.2f}")
    total = sum(spent.values())
    print(f"  all stages: {1000 * total / documents:.2f} ({total / baseline:.2f}x the baseline)")


if __name__ == "__main__":
    main()
