"""Where the HTML path's CPU goes, call by call, beside a bare `trafilatura.extract`.

Every call runs over the same pages of ../shared/eval/trafilatura-dev (bytes for the calls that
take bytes, the decoded page or its parsed tree for the others), in one process, after a
warm-up over pages that are not measured. The calls take turns for --rounds rounds, so load on
a shared machine falls on all of them alike; each figure is the best round's CPU time
(`time.process_time`) per page, and its ratio to the baseline of the same round set.

    .venv/bin/python bench/extraction_cost.py [--pages 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import sys
import time
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura  # noqa: E402
from htmldate import find_date  # noqa: E402
from trafilatura import metadata as trafilatura_metadata  # noqa: E402
from trafilatura.settings import set_date_params  # noqa: E402
from trafilatura.utils import load_html  # noqa: E402

from cleaners.document import RejectedDocument  # noqa: E402
from cleaners.extract import EXTRACTION_SETTINGS, extract_html  # noqa: E402
from cleaners.layout import strip_furniture_lines  # noqa: E402
from cleaners.pipeline import clean_html  # noqa: E402
from cleaners.repair import decode_bytes  # noqa: E402

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "trafilatura-dev"
WARM_UP_PAGES = 20


class Page:
    """One page in each form a measured call takes."""

    def __init__(self, raw: bytes, url: str | None) -> None:
        self.raw = raw
        self.url = url
        self.html = decode_bytes(raw, is_html=True)[0]
        self.lines = (_extracted(self.html, url) or "").splitlines()

    def tree(self) -> Any:
        return load_html(self.html)


def _extracted(html: str, url: str | None) -> str | None:
    result = trafilatura.bare_extraction(html, url=url, **EXTRACTION_SETTINGS)
    return getattr(result, "text", None)


def _clean_html(page: Page) -> None:
    with contextlib.suppress(RejectedDocument):
        clean_html(page.raw, page.url)


def _extract_html(page: Page) -> None:
    with contextlib.suppress(RejectedDocument):
        extract_html(page.html, page.url)


DATE_SETTINGS = set_date_params(True)
CALLS: dict[str, Callable[[Page], object]] = {
    "trafilatura.extract(bytes) [baseline]": lambda p: trafilatura.extract(p.raw),
    "clean_html (the whole per-page path)": _clean_html,
    "extract_html (extraction, layout, title)": _extract_html,
    "bare_extraction, newsclean's settings": lambda p: trafilatura.bare_extraction(
        p.html, url=p.url, **EXTRACTION_SETTINGS
    ),
    "  the same without metadata": lambda p: trafilatura.bare_extraction(
        p.html, url=p.url, **{**EXTRACTION_SETTINGS, "with_metadata": False}
    ),
    "  the same in trafilatura's fast mode": lambda p: trafilatura.bare_extraction(
        p.html, url=p.url, **{**EXTRACTION_SETTINGS, "fast": True}
    ),
    "trafilatura extract_metadata": lambda p: trafilatura_metadata.extract_metadata(
        p.tree(), p.url, dict(DATE_SETTINGS)
    ),
    "  its author search in the page": lambda p: trafilatura_metadata.extract_author(p.tree()),
    "  its categories and tags": lambda p: (
        trafilatura_metadata.extract_catstags("category", (tree := p.tree())),
        trafilatura_metadata.extract_catstags("tag", tree),
    ),
    "  htmldate find_date": lambda p: find_date(p.tree(), **{**DATE_SETTINGS, "url": p.url}),
    "load_html (one parse)": lambda p: p.tree(),
    "  a deep copy of the parsed page": lambda p: deepcopy(p.tree()),
    "strip_furniture_lines (cleaners.layout)": lambda p: strip_furniture_lines(
        p.lines, p.tree(), p.url
    ),
}
# Calls that parse the page themselves pay for a parse that "load_html (one parse)" measures.
PARSES = {
    "trafilatura extract_metadata",
    "  its author search in the page",
    "  its categories and tags",
    "  htmldate find_date",
    "  a deep copy of the parsed page",
    "strip_furniture_lines (cleaners.layout)",
}


def load_pages(eval_dir: Path, count: int) -> list[Page]:
    cases = [json.loads(line) for line in (eval_dir / "cases.jsonl").open(encoding="utf-8")]
    return [
        Page(gzip.open(eval_dir / case["file"]).read(), case.get("url"))
        for case in cases[: count + WARM_UP_PAGES]
    ]


def measure(pages: list[Page], rounds: int) -> dict[str, float]:
    warm, measured = pages[:WARM_UP_PAGES], pages[WARM_UP_PAGES:]
    for call in CALLS.values():
        for page in warm:
            call(page)
    best: dict[str, float] = {}
    for _ in range(rounds):
        for label, call in CALLS.items():
            start = time.process_time()
            for page in measured:
                call(page)
            seconds = (time.process_time() - start) / len(measured)
            best[label] = min(best.get(label, seconds), seconds)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pages = load_pages(args.eval, args.pages)
    best = measure(pages, args.rounds)
    baseline = best["trafilatura.extract(bytes) [baseline]"]
    parse = best["load_html (one parse)"]
    print(f"{len(pages) - WARM_UP_PAGES} pages, best of {args.rounds} rounds, CPU per page\n")
    print("| call | ms/page | × baseline |")
    print("|---|---|---|")
    for label, seconds in best.items():
        note = f" (of which {parse * 1000:.1f} ms parsing)" if label in PARSES else ""
        print(f"| {label.strip()}{note} | {seconds * 1000:.2f} | {seconds / baseline:.2f} |")


if __name__ == "__main__":
    main()
