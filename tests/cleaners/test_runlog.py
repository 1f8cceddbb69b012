"""Progress lines of a run's shard stages."""

from hypothesis import given
from hypothesis import strategies as st

from cleaners.runlog import progress_message, worth_reporting


@given(st.integers(min_value=1, max_value=5000))
def test_a_stage_is_reported_at_each_tenth_and_at_its_end(total: int) -> None:
    reported = [done for done in range(1, total + 1) if worth_reporting(done, total)]
    assert reported[-1] == total
    assert len(reported) == min(total, 10)


def test_the_time_left_is_estimated_from_the_pace_so_far() -> None:
    assert progress_message("cleaned", 50, 200, 25_000, 600.0).endswith("about 30 min 0 s left")
    assert progress_message("cleaned", 200, 200, 100_000, 7_260.0) == (
        "cleaned 200 of 200 shards (100,000 documents, 14 a second) in 2 h 1 min"
    )
