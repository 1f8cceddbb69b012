"""CPU milliseconds per document of the plain-text path (`clean_raw`), beside a bare ftfy loop.

Usage (from the repository root):

    .venv/bin/python -m bench.text_path_cpu                         # this tree
    .venv/bin/python -m bench.text_path_cpu --against /tmp/old-tree # and another tree, alternately
    .venv/bin/python -m bench.text_path_cpu --profile               # pyinstrument, this tree

Reads the first 1,000 documents of the generated text corpus (bench/out/throughput/text-10000,
see bench/throughput/corpus.py) into memory, runs everything once to load models and fill
lazy tables, then measures CPU time (`time.process_time`) of

- the baseline: `ftfy.fix_text` (default configuration) over the same raw texts, and
- `cleaners.pipeline.clean_raw` over the same documents,

several rounds each, and prints the best round of each. With `--against DIR` the same
measurement runs in fresh interpreters for this tree and for DIR (a copy of another version
of the repository), alternating, so that both are measured under the same machine load.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEXT_CORPUS = ROOT / "bench" / "out" / "throughput" / "text-10000" / "text-10000.jsonl.gz"
DOCS = 1000


def load(limit: int) -> list[dict[str, Any]]:
    with gzip.open(TEXT_CORPUS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(limit), handle, strict=False)]


def measure(docs: int, rounds: int) -> dict[str, Any]:
    import ftfy

    import cleaners
    from cleaners.document import RejectedDocument
    from cleaners.pipeline import clean_raw
    from cleaners.readers import RawDocument

    records = load(docs)
    raws = [
        RawDocument(str(r.get("id") or n), f"text#L{n}", "text", r["text"], url=r.get("url"))
        for n, r in enumerate(records, start=1)
    ]
    texts = [r["text"] for r in records]

    def ftfy_loop() -> None:
        for text in texts:
            ftfy.fix_text(text)

    def clean_loop() -> None:
        for raw in raws:
            with contextlib.suppress(RejectedDocument):
                clean_raw(raw)

    ftfy_loop()  # warm-up: language models, lazy tables, caches of compiled patterns
    clean_loop()
    best_ftfy = best_clean = float("inf")
    for _ in range(rounds):
        for loop, name in ((ftfy_loop, "ftfy"), (clean_loop, "clean")):
            started = time.process_time()
            loop()
            spent = time.process_time() - started
            if name == "ftfy":
                best_ftfy = min(best_ftfy, spent)
            else:
                best_clean = min(best_clean, spent)
    return {
        "code": str(Path(cleaners.__file__).resolve().parents[1]),
        "docs": len(raws),
        "rounds": rounds,
        "ftfy_ms_per_doc": round(1000 * best_ftfy / len(raws), 3),
        "clean_raw_ms_per_doc": round(1000 * best_clean / len(raws), 3),
        "ratio": round(best_clean / best_ftfy, 2),
    }


def profile(docs: int) -> None:
    from pyinstrument import Profiler

    from cleaners.document import RejectedDocument
    from cleaners.pipeline import clean_raw
    from cleaners.readers import RawDocument

    records = load(docs)
    raws = [
        RawDocument(str(r.get("id") or n), f"text#L{n}", "text", r["text"], url=r.get("url"))
        for n, r in enumerate(records, start=1)
    ]
    for raw in raws[:20]:  # warm-up
        with contextlib.suppress(RejectedDocument):
            clean_raw(raw)
    profiler = Profiler(interval=0.0005)
    with profiler:
        for raw in raws:
            with contextlib.suppress(RejectedDocument):
                clean_raw(raw)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def _child(code_root: Path, docs: int, rounds: int) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(code_root))
    command = [sys.executable, "-m", "bench.text_path_cpu", "--docs", str(docs)]
    command += ["--rounds", str(rounds), "--json"]
    out = subprocess.run(command, cwd=code_root, env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=DOCS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another tree, measured alternately")
    parser.add_argument("--alternations", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    args = parser.parse_args()
    if args.profile:
        profile(args.docs)
        return
    if args.json or args.against is None:
        result = measure(args.docs, args.rounds)
        if args.json:
            print(json.dumps(result))
            return
        print(
            f"{result['docs']} docs, best of {result['rounds']} rounds, CPU: "
            f"ftfy.fix_text {result['ftfy_ms_per_doc']} ms/doc (baseline), "
            f"clean_raw {result['clean_raw_ms_per_doc']} ms/doc, ratio {result['ratio']}"
        )
        return
    best: dict[str, dict[str, Any]] = {}
    for _ in range(args.alternations):
        for label, tree in (("against", args.against.resolve()), ("this", ROOT)):
            result = _child(tree, args.docs, args.rounds)
            kept = best.setdefault(label, result)
            for key in ("ftfy_ms_per_doc", "clean_raw_ms_per_doc"):
                kept[key] = min(kept[key], result[key])
    for label in ("against", "this"):
        r = best[label]
        print(
            f"{label:7} {r['code']}: {r['docs']} docs, CPU best of "
            f"{args.alternations}x{r['rounds']} rounds: ftfy.fix_text {r['ftfy_ms_per_doc']} "
            f"ms/doc (baseline), clean_raw {r['clean_raw_ms_per_doc']} ms/doc, "
            f"ratio {round(r['clean_raw_ms_per_doc'] / r['ftfy_ms_per_doc'], 2)}"
        )


if __name__ == "__main__":
    main()
