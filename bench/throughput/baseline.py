"""Single-core baselines over a corpus: a bare loop of trafilatura.extract or ftfy.fix_text.

    .venv/bin/python -m bench.throughput.baseline bench/out/throughput/text-10000/*.jsonl.gz

Prints one JSON object: documents, seconds spent in the library calls (wall and CPU), and the
seconds of the whole loop including reading the gzipped JSON lines.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import time
from collections.abc import Callable


def bare_loop(path: str, limit: int | None) -> dict[str, float | int | str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        first = json.loads(handle.readline())
    field = "html" if "html" in first else "text"
    call: Callable[[str], object]
    if field == "html":
        import trafilatura

        def call(html: str) -> object:
            return trafilatura.extract(html)

        library = f"trafilatura.extract (trafilatura {trafilatura.__version__})"
    else:
        import ftfy

        call = ftfy.fix_text
        library = f"ftfy.fix_text (ftfy {ftfy.__version__})"
    call(first[field])  # imports and lazy tables outside the timing
    docs = 0
    in_call = 0.0
    cpu_start, loop_start = time.process_time(), time.perf_counter()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in itertools.islice(handle, limit):
            content = json.loads(line)[field]
            started = time.perf_counter()
            call(content)
            in_call += time.perf_counter() - started
            docs += 1
    cpu = time.process_time() - cpu_start
    return {
        "library": library,
        "docs": docs,
        "call_seconds": round(in_call, 3),
        "loop_seconds": round(time.perf_counter() - loop_start, 3),
        "cpu_seconds": round(cpu, 3),
        "docs_per_second": round(docs / in_call, 2) if in_call else 0.0,
        "docs_per_cpu_second": round(docs / cpu, 2) if cpu else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="a gzipped JSON-lines corpus with `html` or `text`")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    args = parser.parse_args()
    print(json.dumps(bare_loop(args.corpus, args.limit)))


if __name__ == "__main__":
    main()
