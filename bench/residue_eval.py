"""Main-text extraction and residue removal on trafilatura-dev, against bare trafilatura.

Runs, in one process and on the same pages:

- baseline: `trafilatura.extract(html_bytes)` with its defaults;
- residue: decode -> `extract_html` -> `clean_residue` (this module's part of the pipeline);
- newsclean: `cleaners.clean_html(html_bytes, url=...)`, the whole per-document pipeline,
  when it is importable;

scores each with the evaluation set's own `score.py`, then cleans the plain-text seeds and
lists the short lines left at the head and tail of each (where residue would sit).

    .venv/bin/python bench/residue_eval.py [--eval DIR] [--seeds DIR] [--limit N] [--out DIR]
        [--halves]

`--halves` also scores every row on each half of the set (half A: pages whose file name has an
even SHA-1, half B: odd), so a change developed on one half can be confirmed on the other.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura
from trafilatura.utils import decode_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaners.document import Document, RejectedDocument  # noqa: E402
from cleaners.extract import extract_html  # noqa: E402
from cleaners.residue import clean_residue  # noqa: E402
from cleaners.residue.lines import text_lines, words  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "trafilatura-dev"
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
SUSPECT_WORDS = 8  # a short line at the very head or tail is where residue would be left


def _load_scorer(eval_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("trafilatura_dev_score", eval_dir / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {eval_dir}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _baseline(html: bytes, url: str | None) -> str:
    return trafilatura.extract(html) or ""


RESIDUE_SECONDS = [0.0]  # time spent in clean_residue alone, for its per-page figure
EXTRACTED: dict[str, str] = {}  # extract_html's text before clean_residue, by SHA-1 of the page


def _residue(html: bytes, url: str | None) -> str:
    try:
        # trafilatura's own decoding, as in the baseline: this row isolates extraction settings
        # and residue removal; the clean_html row adds the pipeline's charset repair.
        extracted = extract_html(str(decode_file(html)), url)
    except RejectedDocument:
        return ""
    EXTRACTED[hashlib.sha1(html).hexdigest()] = extracted.text
    start = time.perf_counter()
    text = clean_residue(extracted).text
    RESIDUE_SECONDS[0] += time.perf_counter() - start
    return text


def _newsclean_system() -> Callable[[bytes, str | None], str] | None:
    try:
        from cleaners import clean_html
    except ImportError:
        return None

    def run(html: bytes, url: str | None) -> str:
        try:
            return str(clean_html(html, url=url)["text"])
        except RejectedDocument:
            return ""

    return run


def _run(
    name: str, system: Callable[[bytes, str | None], str], pages: list[tuple[str, bytes, Any]]
) -> tuple[dict[str, str | None], float, int]:
    predictions: dict[str, str | None] = {}
    errors = 0
    start = time.perf_counter()
    for case_id, html, url in pages:
        try:
            predictions[case_id] = system(html, url)
        except Exception as error:  # a crash is scored as an empty page and counted
            print(f"[{name} {case_id}] {type(error).__name__}: {error}", file=sys.stderr)
            predictions[case_id] = ""
            errors += 1
    return predictions, time.perf_counter() - start, errors


def half_of(case: dict[str, Any]) -> str:
    """Half "A" or "B" of the set, fixed by the page's file name.

    >>> half_of({"file": "pages/0001.html.gz"}) in ("A", "B")
    True
    """
    digest = hashlib.sha1(Path(case["file"]).name.encode("utf-8")).hexdigest()
    return "A" if int(digest, 16) % 2 == 0 else "B"


HALF_ROWS: list[dict[str, Any]] = []  # the same rows scored on each half, when asked for


def _score_halves(
    scorer: ModuleType, cases: list[Any], name: str, predictions: Any, at: int | None = None
) -> None:
    rows = []
    for half in ("A", "B"):
        selected = [case for case in cases if half_of(case) == half]
        summary, _ = scorer.evaluate(selected, predictions)
        rows.append({"system": f"{name} [half {half}]", "seconds": 0.0, "errors": 0, **summary})
    position = len(HALF_ROWS) if at is None else at
    HALF_ROWS[position:position] = rows


def evaluate(
    eval_dir: Path, limit: int | None, out: Path | None, halves: bool = False
) -> list[dict[str, Any]]:
    scorer = _load_scorer(eval_dir)
    cases = scorer.load_cases(str(eval_dir / "cases.jsonl"))[:limit]
    pages = []
    for case in cases:
        with gzip.open(eval_dir / case["file"], "rb") as handle:
            pages.append((str(case["id"]), handle.read(), case["url"]))
    systems: list[tuple[str, str, Callable[[bytes, str | None], str]]] = [
        ("baseline", "trafilatura.extract(html) [baseline]", _baseline),
        ("residue", "decode_file -> extract_html -> clean_residue", _residue),
    ]
    newsclean = _newsclean_system()
    if newsclean is not None:
        systems.append(("newsclean", "cleaners.clean_html (whole pipeline)", newsclean))
    rows = []
    for slug, name, system in systems:
        predictions, seconds, errors = _run(name, system, pages)
        summary, _ = scorer.evaluate(cases, predictions)
        rows.append({"system": name, "seconds": seconds, "errors": errors, **summary})
        if halves:
            _score_halves(scorer, cases, name, predictions)
        if slug == "residue":
            # The same run's extraction alone, to show what clean_residue adds on top of it.
            before = {
                case_id: EXTRACTED.get(hashlib.sha1(html).hexdigest(), "")
                for case_id, html, _ in pages
            }
            summary, _ = scorer.evaluate(cases, before)
            extraction_seconds = seconds - RESIDUE_SECONDS[0]
            name = "decode_file -> extract_html (no residue cleaning)"
            if halves:
                _score_halves(scorer, cases, name, before, at=len(HALF_ROWS) - 2)
            rows.insert(-1, {"system": name, "seconds": extraction_seconds, "errors": 0, **summary})
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            with (out / f"predictions-{slug}.jsonl").open("w", encoding="utf-8") as stream:
                for case_id, text in predictions.items():
                    stream.write(json.dumps({"id": case_id, "text": text}) + "\n")
    return rows


def print_table(rows: list[dict[str, Any]], header: bool = True) -> None:
    pages = rows[0]["cases"] if rows else 0
    residue_ms = 1000 * RESIDUE_SECONDS[0] / max(pages, 1)
    if header:
        print(f"\n{pages} pages; clean_residue alone: {residue_ms:.1f} ms/page\n")
    print("| system | tp | fn | fp | tn | precision | recall | F1 | ms/page | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        per_page = 1000 * row["seconds"] / max(row["cases"], 1)
        print(
            f"| {row['system']} | {row['true_positives']} | {row['false_negatives']} | "
            f"{row['false_positives']} | {row['true_negatives']} | {row['precision']:.4f} | "
            f"{row['recall']:.4f} | {row['f1']:.4f} | {per_page:.1f} | {row['errors']} |"
        )


def seeds_report(seeds: Path) -> None:
    print(f"\nseeds ({seeds}), cleaned as plain text:\n")
    for path in sorted(seeds.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        doc = clean_residue(Document(text=raw))
        lines = text_lines(doc.text)
        suspects = [line for line in lines[:2] + lines[-2:] if words(line) <= SUSPECT_WORDS]
        removed = sum(1 for entry in doc.cleaning if entry.action == "removed")
        moved = sorted({e.field for e in doc.cleaning if e.action == "moved" and e.field})
        print(
            f"- {path.name}: {len(text_lines(raw))} -> {len(lines)} lines, {removed} removed, "
            f"moved to {moved or 'nothing'}"
        )
        for line in suspects:
            print(f"    short line left at head/tail: {line!r}")
        print("    rules: " + ", ".join(sorted({entry.rule for entry in doc.cleaning})))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None, help="write each system's predictions")
    parser.add_argument("--halves", action="store_true", help="also score each half of the set")
    args = parser.parse_args()
    print_table(evaluate(args.eval, args.limit, args.out, args.halves))
    if HALF_ROWS:
        print("\nThe same predictions scored on each half (ms/page not measured per half):\n")
        print_table(HALF_ROWS, header=False)
    if args.seeds.exists():
        seeds_report(args.seeds)


if __name__ == "__main__":
    main()
