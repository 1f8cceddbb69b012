import re
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from expectations import custom
from expectations.checks import pattern_source

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ARTICLE = "Talks ended in Astana on Thursday.\n\nLeaders agreed to meet again next year."


def frame(**columns: list) -> pd.DataFrame:
    return pd.DataFrame(columns)


def unexpected_rows(outcome) -> list[int]:
    return [int(i) for i in outcome.result["unexpected_index_list"]]


def test_no_residue_lines(run_expectation):
    rules = [re.compile(r"(?i)^leave a reply$"), re.compile(r"^Share on \w+$")]
    check = custom.ExpectColumnValuesToHaveNoResidueLines.from_compiled("text", rules)
    assert check.patterns == [pattern_source(p) for p in rules]
    assert run_expectation(check, frame(text=[ARTICLE, ARTICLE.upper()])).success
    failing = run_expectation(check, frame(text=[ARTICLE, ARTICLE + "\n\nLEAVE A REPLY"]))
    assert not failing.success
    assert unexpected_rows(failing) == [1]


def test_no_residue_lines_without_rules_passes(run_expectation):
    check = custom.ExpectColumnValuesToHaveNoResidueLines(column="text", patterns=[])
    assert run_expectation(check, frame(text=["LEAVE A REPLY"])).success


def test_no_mojibake(run_expectation):
    check = custom.ExpectColumnValuesToHaveNoMojibake(column="text")
    clean = ["Le président a également parlé.", "Саммит ШОС в Астане.", "上海合作组织峰会。"]
    assert run_expectation(check, frame(text=clean)).success
    failing = run_expectation(check, frame(text=[*clean, "Le prÃ©sident a Ã©galement parlÃ©."]))
    assert unexpected_rows(failing) == [3]


def test_no_mojibake_respects_the_allowed_badness(run_expectation):
    check = custom.ExpectColumnValuesToHaveNoMojibake(column="text", max_badness=5)
    assert run_expectation(check, frame(text=["Le prÃ©sident"])).success


def test_not_dominated_by_one_line(run_expectation):
    check = custom.ExpectColumnValuesToNotBeDominatedByOneLine(column="text", max_share=0.5)
    sometimes = ARTICLE + "\n\nAdvertisement\n\nAdvertisement"
    assert run_expectation(check, frame(text=[ARTICLE, sometimes])).success
    widget = "Subscribe to our newsletter\n\n" * 6 + "Talks ended."
    paragraph = "Leaders agreed in Astana to meet again next year."
    doubled = f"{paragraph}\n\n{paragraph}"
    failing = run_expectation(check, frame(text=[ARTICLE, widget, doubled]))
    assert unexpected_rows(failing) == [1, 2]


def test_length_meets_language_minimum(run_expectation):
    check = custom.ExpectColumnPairValueLengthsToMeetLanguageMinimum(
        column_A="text", column_B="language", min_chars={"ja": 5}, default_min_chars=40
    )
    passing = frame(text=[ARTICLE, "首脳会議が終了した"], language=["en", "ja"])
    assert run_expectation(check, passing).success
    failing = frame(text=[ARTICLE, "Short.", "会議", ""], language=["en", "en", "ja", "de"])
    assert unexpected_rows(run_expectation(check, failing)) == [1, 2, 3]


def test_published_not_later_than_fetched(run_expectation):
    check = custom.ExpectColumnPairValuesAToNotBeLaterThanB(
        column_A="published_at", column_B="fetched_at", tolerance_hours=2
    )
    times = pd.to_datetime([NOW - timedelta(days=1), NOW + timedelta(hours=1), None], utc=True)
    fetched = pd.to_datetime([NOW, NOW, NOW], utc=True)
    assert run_expectation(check, frame(published_at=times, fetched_at=fetched)).success
    late = pd.to_datetime([NOW, NOW + timedelta(hours=3)], utc=True)
    failing = run_expectation(check, frame(published_at=late, fetched_at=fetched[:2]))
    assert unexpected_rows(failing) == [1]


@pytest.mark.parametrize("rows", [0, 1])
def test_custom_expectations_accept_tiny_frames(run_expectation, rows):
    check = custom.ExpectColumnValuesToNotBeDominatedByOneLine(column="text")
    assert run_expectation(check, frame(text=[ARTICLE] * rows)).success


def test_non_empty_lists(run_expectation):
    check = custom.ExpectColumnValuesToBeNonEmpty(column="authors", mostly=0.5)
    lists = pd.Series([["Anna"], ["Ben", "Cem"]], dtype=object)
    assert run_expectation(check, frame(authors=lists)).success
    sparse = pd.Series([["Anna"], [], []], dtype=object)
    assert unexpected_rows(run_expectation(check, frame(authors=sparse))) == [1, 2]
