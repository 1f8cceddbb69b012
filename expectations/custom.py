"""newsclean's own Great Expectations: residue, mojibake, one repeated line, body length, dates."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, ClassVar

import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import (
    ColumnMapExpectation,
    ColumnPairMapExpectation,
)
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    ColumnPairMapMetricProvider,
    column_condition_partial,
    column_pair_condition_partial,
)

from expectations.checks import (
    compile_line_patterns,
    line_rules,
    mojibake_badness,
    most_repeated_line,
    pattern_source,
)

# Metric names carry the project's prefix so they never collide with Great Expectations' own.
NO_RESIDUE_METRIC = "column_values.newsclean_no_residue_lines"
NO_MOJIBAKE_METRIC = "column_values.newsclean_no_mojibake"
NOT_DOMINATED_METRIC = "column_values.newsclean_not_dominated_by_one_line"
LANGUAGE_LENGTH_METRIC = "column_pair_values.newsclean_length_meets_language_minimum"
NOT_LATER_METRIC = "column_pair_values.newsclean_a_not_later_than_b"
NON_EMPTY_METRIC = "column_values.newsclean_non_empty"
PAIR_DOMAIN_KEYS = (
    "batch_id",
    "table",
    "column_A",
    "column_B",
    "row_condition",
    "condition_parser",
    "ignore_row_if",
)


class ColumnValuesHaveNoResidueLines(ColumnMapMetricProvider):
    condition_metric_name = NO_RESIDUE_METRIC
    condition_value_keys = ("patterns",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, patterns: list[str], **kwargs: Any) -> pd.Series:
        rules = line_rules(compile_line_patterns(tuple(patterns or ())))
        return column.map(lambda text: not rules.matching_lines(str(text)))


class ColumnValuesHaveNoMojibake(ColumnMapMetricProvider):
    condition_metric_name = NO_MOJIBAKE_METRIC
    condition_value_keys = ("max_badness",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, max_badness: int, **kwargs: Any) -> pd.Series:
        limit = max_badness or 0
        return column.map(lambda text: mojibake_badness(str(text)) <= limit)


class ColumnValuesNotDominatedByOneLine(ColumnMapMetricProvider):
    condition_metric_name = NOT_DOMINATED_METRIC
    condition_value_keys = ("max_share",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, max_share: float, **kwargs: Any) -> pd.Series:
        return column.map(lambda text: most_repeated_line(str(text))[1] <= max_share)


class ColumnValuesNonEmpty(ColumnMapMetricProvider):
    condition_metric_name = NON_EMPTY_METRIC

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
        # Arrow lists arrive as numpy arrays, whose truth value is ambiguous: measure length.
        return column.map(lambda value: value is not None and len(value) > 0)


class ColumnPairLengthMeetsLanguageMinimum(ColumnPairMapMetricProvider):
    condition_metric_name = LANGUAGE_LENGTH_METRIC
    condition_domain_keys = PAIR_DOMAIN_KEYS
    condition_value_keys = ("min_chars", "default_min_chars")

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        column_A: pd.Series,
        column_B: pd.Series,
        min_chars: dict[str, int],
        default_min_chars: int,
        **kwargs: Any,
    ) -> pd.Series:
        minimum = column_B.map(lambda code: (min_chars or {}).get(code, default_min_chars))
        return column_A.fillna("").map(lambda text: len(str(text).strip())) >= minimum


class ColumnPairANotLaterThanB(ColumnPairMapMetricProvider):
    condition_metric_name = NOT_LATER_METRIC
    condition_domain_keys = PAIR_DOMAIN_KEYS
    condition_value_keys = ("tolerance_hours",)

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(
        cls, column_A: pd.Series, column_B: pd.Series, tolerance_hours: float, **kwargs: Any
    ) -> pd.Series:
        return column_A <= column_B + timedelta(hours=tolerance_hours or 0.0)


class ExpectColumnValuesToHaveNoResidueLines(ColumnMapExpectation):
    """Expect no line of a text column to match a residue rule (banner, widget, credit…).

    `patterns` are the sources of the cleaners' line rules, flags written inline
    (`expectations.checks.pattern_source`); the check runs them as one alternation.
    """

    patterns: list[str]
    map_metric = NO_RESIDUE_METRIC
    success_keys = ("patterns", "mostly")
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["newsclean", "residue"]}

    @classmethod
    def from_compiled(
        cls, column: str, patterns: list[re.Pattern[str]], **kwargs: Any
    ) -> ExpectColumnValuesToHaveNoResidueLines:
        return cls(column=column, patterns=[pattern_source(p) for p in patterns], **kwargs)


class ExpectColumnValuesToHaveNoMojibake(ColumnMapExpectation):
    """Expect ftfy's badness (mis-decoded sequences such as `Ã©`) of each text to stay at most `max_badness`."""  # noqa: E501

    max_badness: int = 0
    map_metric = NO_MOJIBAKE_METRIC
    success_keys = ("max_badness", "mostly")
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["newsclean", "encoding"]}


class ExpectColumnValuesToNotBeDominatedByOneLine(ColumnMapExpectation):
    """Expect no single repeated line to fill more than `max_share` of a text's characters."""

    max_share: float = 0.5
    map_metric = NOT_DOMINATED_METRIC
    success_keys = ("max_share", "mostly")
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["newsclean", "residue"]}


class ExpectColumnValuesToBeNonEmpty(ColumnMapExpectation):
    """Expect each value (a list such as `authors`, or a string) to hold at least one item."""

    map_metric = NON_EMPTY_METRIC
    success_keys = ("mostly",)
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["newsclean", "coverage"]}


class ExpectColumnPairValueLengthsToMeetLanguageMinimum(ColumnPairMapExpectation):
    """Expect text (column_A) to have at least the minimum characters for its language (column_B)."""  # noqa: E501

    min_chars: dict[str, int]
    default_min_chars: int
    ignore_row_if: str = "neither"
    map_metric = LANGUAGE_LENGTH_METRIC
    success_keys = ("min_chars", "default_min_chars", "ignore_row_if", "mostly")
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["newsclean", "length"]}


class ExpectColumnPairValuesAToNotBeLaterThanB(ColumnPairMapExpectation):
    """Expect time column_A to be no later than time column_B, give or take `tolerance_hours`."""

    tolerance_hours: float = 0.0
    ignore_row_if: str = "either_value_is_missing"
    map_metric = NOT_LATER_METRIC
    success_keys = ("tolerance_hours", "ignore_row_if", "mostly")
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["newsclean", "dates"]}
