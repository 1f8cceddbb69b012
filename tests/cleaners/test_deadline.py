"""call_with_time_limit stops late calls in any thread, and never hits code after the call."""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from cleaners.deadline import TimeLimitExceeded, call_with_time_limit
from cleaners.document import RejectedDocument
from cleaners.options import CleanOptions
from cleaners.pipeline import clean_raw
from cleaners.readers import RawDocument
from tests.hostile.corpus import STORY, slow_page, story_html


def spin_forever() -> None:
    while True:
        with contextlib.suppress(Exception):  # what libraries put around their heuristics
            sum(range(100))


def stopped(seconds: float = 0.05) -> str:
    try:
        call_with_time_limit(seconds, spin_forever)
    except TimeLimitExceeded:
        return "stopped"
    return "returned"


@pytest.mark.timeout(30)
def test_a_call_that_never_ends_is_stopped_in_the_main_thread() -> None:
    assert threading.current_thread() is threading.main_thread()
    assert stopped() == "stopped"


@pytest.mark.timeout(30)
def test_a_call_that_never_ends_is_stopped_in_other_threads_at_once() -> None:
    with ThreadPoolExecutor(max_workers=3) as pool:
        outcomes = list(pool.map(lambda _: stopped(0.1), range(6)))
    assert outcomes == ["stopped"] * 6


@pytest.mark.timeout(60)
def test_a_forked_worker_stops_its_calls_with_a_watchdog_of_its_own() -> None:
    assert stopped() == "stopped"  # the parent's watchdog thread is running now
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        assert pool.apply(stopped) == "stopped"


def test_results_and_errors_of_calls_in_time_are_unchanged() -> None:
    assert call_with_time_limit(5, divmod, 7, 2) == (3, 1)
    with pytest.raises(ZeroDivisionError):
        call_with_time_limit(5, divmod, 1, 0)


@pytest.mark.timeout(30)
def test_a_nested_call_runs_under_the_outer_limit() -> None:
    def inner_has_more_time() -> None:
        call_with_time_limit(60, spin_forever)

    with pytest.raises(TimeLimitExceeded):
        call_with_time_limit(0.05, inner_has_more_time)


def busy(seconds: float) -> int:
    until, count = time.perf_counter() + seconds, 0
    while time.perf_counter() < until:
        count += 1
    return count


@pytest.mark.timeout(120)
def test_an_exception_never_lands_after_the_call_is_over() -> None:
    """Calls that end right at their limit race the watchdog; whoever wins, nothing leaks out.

    Each call works about as long as its limit, so some end first and some are stopped; the
    code that follows each call must never see the exception. The threads switch as often as
    the interpreter allows, so that the watchdog's steps interleave with the caller's.
    """
    outcomes = {"returned": 0, "stopped": 0}
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        run_calls_at_their_limit(outcomes)
    finally:
        sys.setswitchinterval(interval)
    assert outcomes["returned"] and outcomes["stopped"], outcomes


def run_calls_at_their_limit(outcomes: dict[str, int]) -> None:
    for round_ in range(200):
        limit = 0.004 + (round_ % 7) * 0.002
        try:
            call_with_time_limit(limit, busy, 0.01)
            outcomes["returned"] += 1
        except TimeLimitExceeded:
            outcomes["stopped"] += 1
        try:
            busy(0.02)  # longer than any limit: a late exception would land here
        except TimeLimitExceeded:  # pragma: no cover - the failure this test is for
            pytest.fail(f"the exception landed after call {round_} was over")


@pytest.mark.timeout(60)
def test_a_page_still_cleaning_at_the_limit_is_rejected_and_the_next_one_is_cleaned() -> None:
    # Cleaning this page takes seconds; the limit is a small part of that.
    quick = RawDocument("quick", "quick.html", "html", story_html().encode())
    clean_raw(quick)  # loads the language models, which a worker has loaded before its first page
    options = CleanOptions(max_document_seconds=0.2)
    slow = RawDocument("slow", "slow.html", "html", slow_page(10_000).encode())
    with pytest.raises(RejectedDocument) as rejected:
        clean_raw(slow, options)
    assert (rejected.value.reason, rejected.value.stage) == ("timeout", "extract")
    assert "0.2 s" in rejected.value.detail
    assert STORY[1] in clean_raw(quick, options).text
