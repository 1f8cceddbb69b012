"""Line measures: splitting (remembered per body), prose lines, head and tail zones."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaners.residue.lines import is_prose, text_lines, zones

PROSE = "Leaders met in the capital on Thursday to discuss trade and security issues."
line_choices = st.sampled_from([PROSE, "Share", "Related Articles", "By Jane Doe", "x " * 40])


@given(st.lists(line_choices, max_size=12))
def test_zones_are_the_first_and_last_prose_lines(lines: list[str]) -> None:
    prose = [index for index, line in enumerate(lines) if is_prose(line)]
    expected = (prose[0], prose[-1] + 1) if prose else (len(lines), 0)
    assert zones(lines) == expected


def test_split_lines_are_a_fresh_list_each_time() -> None:
    text = "Title\n\n  First.  \nSecond."
    lines = text_lines(text)
    lines[0] = "changed"
    assert text_lines(text) == ["Title", "First.", "Second."]
    long_text = ("word " * 20 + "\n") * 3000
    assert len(text_lines(long_text)) == 3000
