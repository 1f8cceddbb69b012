"""Oversized pages and lines, and compression bombs: refused fast and in bounded memory."""

from __future__ import annotations

import contextlib
import resource
import time
from collections.abc import Callable

import pytest

from cleaners.document import RejectedDocument
from cleaners.options import CleanOptions
from cleaners.pipeline import clean_raw
from cleaners.readers import RawDocument
from tests.hostile.conftest import OPTIONS
from tests.hostile.corpus import (
    STORY,
    Corpus,
    check_outcome,
    clean_paths,
    rows_fit_the_contract,
    story_html,
)

# Reading stops one byte past the cap, so no input costs more memory than about the cap
# (twice it, as bytes and then text) whatever its size on disk or once decompressed.
MEMORY_HEADROOM_BYTES = 400 * 1024 * 1024


@pytest.mark.timeout(180)
def test_oversized_lines_pages_and_bombs_are_refused_quickly(large: Corpus) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    outcome = clean_paths([str(large.root)], OPTIONS)
    spent = time.perf_counter() - started
    problems = check_outcome(outcome, large)
    assert not problems, "\n".join(problems)
    rows_fit_the_contract(outcome)
    assert spent < 60, f"refusing the large inputs took {spent:.1f} s"
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    assert grown < MEMORY_HEADROOM_BYTES, f"peak memory grew by {grown / 2**20:.0f} MiB"


def test_bomb_rejections_name_the_cause(large: Corpus) -> None:
    outcome = clean_paths([str(large.root / "bomb.jsonl.gz")], OPTIONS)
    (rejection,) = outcome.rejections.values()
    assert rejection.reason == "too-large" and "decompression bomb" in rejection.detail
    assert outcome.read == 1


def _page_with_attributes(count: int) -> str:
    attributes = " ".join(f"data-a{i}=x" for i in range(count))
    return story_html().replace("<article>", f"<article><p {attributes}>x</p>")


def _long_page(size: int) -> str:
    paragraph = "<p>" + " ".join(STORY) + "</p>\n"
    return story_html().replace("</article>", paragraph * (size // len(paragraph)) + "</article>")


BUDGET_OPTIONS = CleanOptions(max_input_bytes=5_000_000)
# Parsing time grows faster than the page, so such pages must be refused before parsing.
EXTRACTION_BUDGET_S = 2.5


@pytest.mark.timeout(12)
@pytest.mark.parametrize(
    "page",
    [
        pytest.param(lambda: _page_with_attributes(20_000), id="20k-attributes"),
        pytest.param(lambda: _long_page(4_500_000), id="4.5MB-page"),
    ],
)
def test_a_page_under_the_size_cap_is_cleaned_or_rejected_within_the_extraction_budget(
    page: Callable[[], str],
) -> None:
    raw = RawDocument("budget", "budget.html", "html", page().encode())
    started = time.perf_counter()
    with contextlib.suppress(RejectedDocument):
        clean_raw(raw, BUDGET_OPTIONS)
    spent = time.perf_counter() - started
    assert spent < EXTRACTION_BUDGET_S, f"{spent:.1f} s"
