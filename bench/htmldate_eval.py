"""Publication dates on ../shared/eval/htmldate-dev: newsclean beside htmldate alone.

For every page, in one process: htmldate alone (`find_date(page, url=url,
original_date=True)`, the set's "original" baseline), and newsclean's date path as the
pipeline runs it (bytes decoded by cleaners.repair, `html_date_candidates`, then
`choose_published_at`; the day compared is the UTC day of `published_at`). With --pipeline,
newsclean's figure comes from the whole `clean_html` instead (extraction, residue, enrich),
so dates found in the extracted body take part too. Predictions go to --out-dir and are
scored with the set's own score.py, in total and in the two halves of the set by
sha1(id) (`half`).

With --cpu, the CPU time of `clean_html` per page instead: htmldate's day taken from the
extraction (as the pipeline does) against htmldate run a second time on the page (as it was
done before), each in a fresh process that first warms up on --warm-up other pages, so that
htmldate's and trafilatura's caches hold nothing of the measured pages; --repeat rounds.

    .venv/bin/python bench/htmldate_eval.py [--data ../shared/eval/htmldate-dev] [--pipeline]
    .venv/bin/python bench/htmldate_eval.py --cpu [--limit 300] [--warm-up 30] [--repeat 2]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from htmldate import find_date  # noqa: E402

from cleaners.document import Document, RejectedDocument  # noqa: E402
from cleaners.metadata.dates import (  # noqa: E402
    choose_published_at,
    html_date_candidates,
    local_published_at,
)
from cleaners.repair import decode_bytes  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "htmldate-dev"


def load_scorer(data: Path) -> ModuleType:
    sys.dont_write_bytecode = True
    spec = importlib.util.spec_from_file_location("htmldate_score", data / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def htmldate_alone(page: bytes, url: str | None) -> str | None:
    return find_date(page, url=url, original_date=True)


def _days(doc: Document) -> tuple[str | None, str | None]:
    """The UTC day of published_at, and the day in the zone its source gave (publisher's)."""
    local = local_published_at(doc)
    if doc.published_at is None or local is None:
        return None, None
    return doc.published_at.date().isoformat(), local.date().isoformat()


def newsclean_dates(page: bytes, url: str | None) -> tuple[str | None, str | None]:
    html = decode_bytes(page, is_html=True)[0]
    doc = Document(text="", url=url, date_candidates=html_date_candidates(html, url))
    return _days(choose_published_at(doc))


def newsclean_pipeline(page: bytes, url: str | None) -> tuple[str | None, str | None]:
    from cleaners.pipeline import RawDocument, clean_raw, derived_id

    raw = RawDocument(derived_id(url or "page"), url or "page", "html", page, url=url)
    try:
        return _days(clean_raw(raw))
    except RejectedDocument:
        return None, None


def cpu_per_page(data: Path, variant: str, warm_up: int, limit: int) -> tuple[float, float]:
    """CPU ms per page of clean_html over pages warm_up..warm_up+limit, in this process, and
    of the part spent in newsclean's own htmldate call (`cleaners.metadata.dates._htmldate`)."""
    import cleaners.metadata.dates
    import cleaners.pipeline
    from cleaners.metadata.dates import Htmldate
    from cleaners.pipeline import clean_html

    if variant == "twice":
        recorded = cleaners.pipeline.recorded_htmldate_day

        def run_again(*args: object, **kwargs: object) -> tuple[object, object]:
            return Htmldate.RUN, recorded(*args, **kwargs)[1]  # type: ignore[arg-type]

        cleaners.pipeline.recorded_htmldate_day = run_again  # type: ignore[assignment]
    own = cleaners.metadata.dates._htmldate
    spent = [0.0]

    def timed(html: str, url: str | None) -> object:
        start = time.process_time()
        try:
            return own(html, url)
        finally:
            spent[0] += time.process_time() - start

    cleaners.metadata.dates._htmldate = timed  # type: ignore[assignment]
    with open(data / "cases.jsonl", encoding="utf-8") as cases_file:
        cases = [json.loads(line) for line in cases_file][: warm_up + limit]
    pages = []
    for case in cases:
        with gzip.open(data / case["file"], "rb") as page:
            pages.append((page.read(), case.get("url")))

    def run(chosen: list[tuple[bytes, str | None]]) -> float:
        start = time.process_time()
        for page, url in chosen:
            with contextlib.suppress(RejectedDocument):
                clean_html(page, url)
        return time.process_time() - start

    run(pages[:warm_up])
    spent[0] = 0.0
    measured = max(1, len(pages) - warm_up)
    return run(pages[warm_up:]) / measured * 1000, spent[0] / measured * 1000


def cpu_main(args: argparse.Namespace) -> None:
    import subprocess

    limit = args.limit or 300
    names = {
        "twice": "htmldate run again on the page (baseline: before)",
        "once": "htmldate's day from the extraction (newsclean)",
    }
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for _ in range(args.repeat):
        for variant in names:
            code = (
                "import sys; sys.argv[0] = 'bench'; from pathlib import Path; "
                "sys.path.insert(0, 'bench'); import htmldate_eval as b; "
                f"print(*b.cpu_per_page(Path({str(args.data)!r}), {variant!r}, "
                f"{args.warm_up}, {limit}))"
            )
            done = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            )
            total, own = done.stdout.strip().splitlines()[-1].split()
            results[variant].append((float(total), float(own)))
    print(f"clean_html CPU ms/page over {limit} pages of {args.data.name} "
          f"(after {args.warm_up} warm-up pages, fresh process each; "
          "in brackets: newsclean's own htmldate call)")  # fmt: skip
    runs = " | ".join(f"run {i + 1}" for i in range(args.repeat))
    print(f"| variant | {runs} | lowest |")
    print("|---|" + "---|" * (args.repeat + 1))
    for variant, name in names.items():
        cells = " | ".join(f"{total:.1f} ({own:.1f})" for total, own in results[variant])
        lowest = min(total for total, _ in results[variant])
        print(f"| {name} | {cells} | {lowest:.1f} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out-dir", type=Path, default=Path("bench/out/dates"))
    parser.add_argument("--pipeline", action="store_true", help="score the whole clean_html")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--cpu", action="store_true", help="CPU ms/page of clean_html")
    parser.add_argument("--warm-up", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    if args.cpu:
        cpu_main(args)
        return

    scorer = load_scorer(args.data)
    with open(args.data / "cases.jsonl", encoding="utf-8") as cases_file:
        cases = [json.loads(line) for line in cases_file]
    if args.limit:
        cases = cases[: args.limit]
    pages = {}
    for case in cases:
        with gzip.open(args.data / case["file"], "rb") as page:
            pages[case["id"]] = page.read()
    args.out_dir.mkdir(parents=True, exist_ok=True)

    def baseline(page: bytes, url: str | None) -> tuple[str | None, ...]:
        return (htmldate_alone(page, url),)

    newsclean = newsclean_pipeline if args.pipeline else newsclean_dates
    label = "clean_html" if args.pipeline else "html_date_candidates + choose_published_at"
    systems = [
        ("htmldate", baseline, ["htmldate alone, original_date=True (baseline)"]),
        (
            "pipeline" if args.pipeline else "newsclean",
            newsclean,
            [f"newsclean {label}: UTC day of published_at",
             f"newsclean {label}: publisher's local day of published_at"],
        ),
    ]  # fmt: skip

    rows = []
    for slug, system, names in systems:
        paths = [args.out_dir / f"{slug}{'-local' if i else ''}.jsonl" for i in range(len(names))]
        lines: list[list[str]] = [[] for _ in names]
        system(pages[cases[0]["id"]], cases[0].get("url"))  # warm-up: imports, lazy models
        spent = 0.0
        for case in cases:
            start = time.perf_counter()
            days = system(pages[case["id"]], case.get("url"))
            spent += time.perf_counter() - start
            for found, day in zip(lines, days, strict=True):
                found.append(json.dumps({"id": case["id"], "date": day}) + "\n")
        for path, found in zip(paths, lines, strict=True):
            path.write_text("".join(found), encoding="utf-8")
        for name, path in zip(names, paths, strict=True):
            result = json.loads(
                _run_scorer(scorer, path, args.data / "cases.jsonl", limit=len(cases))
            )
            rows.append((name, result, spent / len(cases) * 1000, path))

    print("| system | accuracy | no date | wrong | half A | half B | ms/page | predictions |")
    print("|---|---|---|---|---|---|---|---|")
    for name, result, ms, path in rows:
        halves = " | ".join(
            f"{right}/{total} = {right / total:.3f}" if total else "-"
            for right, total in half_accuracy(path, cases)
        )
        print(
            f"| {name} | {result['accuracy']:.3f} | {result['no_date_share']:.3f} "
            f"| {result['wrong_share']:.3f} | {halves} | {ms:.1f} | {path} |"
        )


def half(case_id: str) -> str:
    """The half of the set a case is in: "A" when sha1 of its id is even, else "B".

    Changes are developed on the misses of half A; half B is only ever scored in totals.

    >>> half("0000"), half("0003")
    ('B', 'A')
    """
    return "A" if int(hashlib.sha1(case_id.encode()).hexdigest(), 16) % 2 == 0 else "B"


def half_accuracy(predictions: Path, cases: list[dict[str, str]]) -> list[tuple[int, int]]:
    """(right, cases) in half A and in half B, a predicted day being right when it is the gold."""
    found: dict[str, str | None] = {}
    with open(predictions, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            found[row["id"]] = row["date"]
    counts = {"A": [0, 0], "B": [0, 0]}
    for case in cases:
        count = counts[half(case["id"])]
        count[1] += 1
        count[0] += (found.get(case["id"]) or "")[:10] == case["date"]
    return [(right, total) for right, total in counts.values()]


def _run_scorer(scorer: ModuleType, predictions: Path, cases_path: Path, limit: int) -> str:
    """The scorer's --json output for a predictions file (restricted to the first cases)."""
    import io
    import tempfile

    with (
        tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as subset,
        open(cases_path, encoding="utf-8") as cases,
    ):
        for i, line in enumerate(cases):
            if i < limit:
                subset.write(line)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        scorer.main([str(predictions), "--json", "--cases", subset.name])
    Path(subset.name).unlink()
    return buffer.getvalue()


if __name__ == "__main__":
    main()
