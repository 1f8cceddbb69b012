"""Language identification on ../shared/eval/lid-sentences: newsclean beside fastText and lingua.

Runs, in one process and on the same cases, fastText lid.176.ftz alone, lingua restricted to
the configured languages alone, and `cleaners.metadata.language.detect_language`; writes each
one's predictions to --out-dir, scores them with the set's own score.py, and prints accuracy
(all, sentences, word pairs) and mean microseconds per detect call after a warm-up pass:
wall-clock, as the set's README times its baselines, and the thread's CPU time, which moves
less when other jobs load the machine.

    .venv/bin/python bench/lid_eval.py [--data ../shared/eval/lid-sentences] [--out-dir DIR]
"""

# ruff: noqa: E402  (thread pools are pinned before any detector library is imported)
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cleaners.metadata import language  # noqa: E402
from cleaners.options import NEWS_LANGUAGES  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "lid-sentences"


def load_scorer(data: Path) -> ModuleType:
    sys.dont_write_bytecode = True
    spec = importlib.util.spec_from_file_location("lid_score", data / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fasttext_alone(text: str) -> str | None:
    result = language._fasttext().detect(text.replace("\n", " "), model="lite", k=1)
    return result[0]["lang"] if result else None


def lingua_alone(text: str) -> str | None:
    detector = language._lingua(tuple(sorted(NEWS_LANGUAGES)))
    found = detector.detect_language_of(text)
    return None if found is None else found.iso_code_639_1.name.lower()


def newsclean(text: str) -> str | None:
    code, _ = language.detect_language(text)
    return None if code == "und" else code


def run(
    name: str, detect: Callable[[str], str | None], cases: list[dict], repeat: int
) -> tuple[dict[str, str | None], dict[str, float]]:
    for case in cases[:: max(1, len(cases) // 200)]:
        detect(case["text"])
    predictions: dict[str, str | None] = {}
    times: dict[str, list[float]] = {"all": [], "sentence": [], "word-pair": [], "cpu": []}
    for _ in range(repeat):
        for case in cases:
            start_cpu = time.thread_time_ns()
            start = time.perf_counter_ns()
            predictions[case["id"]] = detect(case["text"])
            us = (time.perf_counter_ns() - start) / 1000
            times["cpu"].append((time.thread_time_ns() - start_cpu) / 1000)
            times["all"].append(us)
            times[case.get("kind", "sentence")].append(us)
    return predictions, {k: statistics.fmean(v) for k, v in times.items() if v}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out-dir", type=Path, default=Path("bench/out/lid"))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)

    scorer = load_scorer(args.data)
    cases_by_id = scorer.load_cases(str(args.data / "sentences.jsonl"))
    cases = list(cases_by_id.values())
    args.out_dir.mkdir(parents=True, exist_ok=True)

    start = time.perf_counter()
    language.detect_language("warm up both detectors: lingua loads its models here")
    language._lingua_guess("x", tuple(sorted(NEWS_LANGUAGES)))
    print(
        f"load (fastText + lingua restricted to {len(NEWS_LANGUAGES)} languages): "
        f"{time.perf_counter() - start:.1f} s"
    )

    rows = []
    for name, detect in (
        ("fastText lid.176.ftz alone (baseline)", fasttext_alone),
        (f"lingua, {len(NEWS_LANGUAGES)} languages, alone (baseline)", lingua_alone),
        ("newsclean detect_language", newsclean),
    ):
        predictions, mean_us = run(name, detect, cases, args.repeat)
        slug = name.split(" ")[0].lower().strip(",")
        with open(args.out_dir / f"{slug}.jsonl", "w", encoding="utf-8") as out:
            for cid, code in predictions.items():
                out.write(json.dumps({"id": cid, "lang": code}) + "\n")
        result = scorer.score(cases_by_id, predictions)
        kinds = result["per_kind"]
        rows.append(
            (
                name,
                result["accuracy"],
                kinds["sentence"]["accuracy"],
                kinds["word-pair"]["accuracy"],
                mean_us["all"],
                mean_us["sentence"],
                mean_us["word-pair"],
                mean_us["cpu"],
            )
        )

    print()
    print(
        "| detector | acc. all | acc. sentences | acc. word pairs "
        "| mean µs all | µs sentence | µs word pair | CPU µs all |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, acc, acc_s, acc_p, us, us_s, us_p, cpu in rows:
        accuracy = f"{acc:.4f} | {acc_s:.4f} | {acc_p:.4f}"
        print(f"| {name} | {accuracy} | {us:.0f} | {us_s:.0f} | {us_p:.0f} | {cpu:.0f} |")


if __name__ == "__main__":
    main()
