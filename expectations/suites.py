"""The articles suites as code: row checks (each with a rejection reason) and dataset checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from cleaners.contract import ARTICLE_COLUMNS, ARTICLES_SCHEMA
from expectations.checks import load_residue_patterns, pattern_source
from expectations.options import QualityOptions

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations import ExpectationSuite
    from great_expectations.expectations import Expectation

ROW_SUITE = "articles.rows"
DATASET_SUITE = "articles.dataset"
BODY_COLUMN = "text"
# Row failure codes, in the order a row's failures are reported: the most fundamental first.
EMPTY_BODY = "empty-body"
BODY_TOO_SHORT = "body-too-short"
LANGUAGE_NOT_CONFIGURED = "language-not-configured"
PUBLISHED_AFTER_FETCHED = "published-after-fetched"
PUBLISHED_IN_FUTURE = "published-in-future"
TITLE_LENGTH = "title-length"
MOJIBAKE_LEFT = "mojibake-left"
RESIDUE_LEFT = "residue-left"
REPEATED_LINE = "repeated-line"
ROW_REASONS: tuple[str, ...] = (
    EMPTY_BODY,
    BODY_TOO_SHORT,
    LANGUAGE_NOT_CONFIGURED,
    PUBLISHED_AFTER_FETCHED,
    PUBLISHED_IN_FUTURE,
    TITLE_LENGTH,
    MOJIBAKE_LEFT,
    RESIDUE_LEFT,
    REPEATED_LINE,
)
# The contract's hash: hex SHA-256 cut to 32 characters (cleaners.text.content_hash).
CONTENT_HASH_PATTERN = r"^[0-9a-f]{32}$"


# The article text and the nested cleaning log stay out of the whole-dataset frame: as Python
# objects they cost gigabytes at 100k rows (2.3 GB peak against 0.9 GB without them). Their
# types are the contract's by the Arrow schema check, their nulls are counted in Arrow, and
# the row suite has checked the text of every row already.
LARGE_COLUMNS = ("text", "cleaning")
DATASET_COLUMNS = tuple(name for name in ARTICLE_COLUMNS if name not in LARGE_COLUMNS)


def to_frame(table: pa.Table) -> pd.DataFrame:
    """The table as Great Expectations' pandas engine validates it.

    List columns stay Arrow lists: as one NumPy array per row they would take several times
    the memory, and Great Expectations copies the frame for many of its checks.
    """
    import pandas as pd

    def arrow_lists(arrow_type: pa.DataType) -> pd.ArrowDtype | None:
        return pd.ArrowDtype(arrow_type) if pa.types.is_list(arrow_type) else None

    return table.to_pandas(types_mapper=arrow_lists).reset_index(drop=True)


def contract_column_types() -> dict[str, str]:
    """The pandas type name each contract column has once the table is converted for validation.

    >>> types = contract_column_types()
    >>> types["published_at"], types["word_count"], types["authors"]
    ('Timestamp', 'int32', 'list')
    """
    frame = to_frame(ARTICLES_SCHEMA.empty_table())
    return {name: frame.dtypes[name].type.__name__ for name in ARTICLE_COLUMNS}


def row_expectations(options: QualityOptions, now: datetime | None = None) -> list[Expectation]:
    """One expectation per row failure reason; `meta["reason"]` carries the code."""
    import great_expectations.expectations as gxe

    from expectations import custom

    now = now or datetime.now(UTC)
    tolerance = timedelta(hours=options.clock_tolerance_hours)
    patterns = options.residue_patterns
    if patterns is None:
        patterns = load_residue_patterns(options.languages)
    reason = _meta
    return [
        gxe.ExpectColumnValueLengthsToBeBetween(
            column=BODY_COLUMN, min_value=1, meta=reason(EMPTY_BODY, "the body has text")
        ),
        custom.ExpectColumnPairValueLengthsToMeetLanguageMinimum(
            column_A=BODY_COLUMN,
            column_B="language",
            min_chars=dict(options.min_body_chars),
            default_min_chars=options.default_min_body_chars,
            meta=reason(BODY_TOO_SHORT, "the body is long enough for an article in its language"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="language",
            value_set=options.allowed_languages,
            meta=reason(LANGUAGE_NOT_CONFIGURED, "the language is one the run is configured for"),
        ),
        custom.ExpectColumnPairValuesAToNotBeLaterThanB(
            column_A="published_at",
            column_B="fetched_at",
            tolerance_hours=options.clock_tolerance_hours,
            meta=reason(PUBLISHED_AFTER_FETCHED, "the page was published before it was fetched"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="published_at",
            max_value=now + tolerance,
            meta=reason(PUBLISHED_IN_FUTURE, "the publication time is not in the future"),
        ),
        gxe.ExpectColumnValueLengthsToBeBetween(
            column="title",
            min_value=options.min_title_chars,
            max_value=options.max_title_chars,
            meta=reason(TITLE_LENGTH, "the title has the length of a headline"),
        ),
        custom.ExpectColumnValuesToHaveNoMojibake(
            column=BODY_COLUMN,
            max_badness=options.max_mojibake_badness,
            meta=reason(MOJIBAKE_LEFT, "the body shows no mis-decoded characters"),
        ),
        custom.ExpectColumnValuesToHaveNoResidueLines(
            column=BODY_COLUMN,
            patterns=[pattern_source(p) for p in patterns],
            meta=reason(RESIDUE_LEFT, "no line of the body matches a residue rule"),
        ),
        custom.ExpectColumnValuesToNotBeDominatedByOneLine(
            column=BODY_COLUMN,
            max_share=options.max_repeated_line_share,
            meta=reason(REPEATED_LINE, "no repeated line fills the body"),
        ),
    ]


def dataset_expectations(options: QualityOptions) -> list[Expectation]:
    """Schema and types from the contract, uniqueness, value ranges and coverage floors.

    They apply to the contract's columns except `LARGE_COLUMNS` (`DATASET_COLUMNS`).
    """
    import great_expectations.expectations as gxe

    from expectations import custom

    checks: list[Expectation] = [
        gxe.ExpectTableColumnsToMatchOrderedList(
            column_list=list(DATASET_COLUMNS), meta=_meta("schema", "the columns of the contract")
        )
    ]
    types = contract_column_types()
    for name in DATASET_COLUMNS:
        type_name = types[name]
        checks.append(
            gxe.ExpectColumnValuesToBeOfType(
                column=name, type_=type_name, meta=_meta("schema", "the contract's type")
            )
        )
    for contract_field in ARTICLES_SCHEMA:
        if not contract_field.nullable and contract_field.name in DATASET_COLUMNS:
            checks.append(
                gxe.ExpectColumnValuesToNotBeNull(
                    column=contract_field.name, meta=_meta("schema", "a required column")
                )
            )
    checks += [
        gxe.ExpectColumnValuesToBeUnique(
            column="doc_id", meta=_meta("unique", "every document id occurs once")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="language_score",
            min_value=0,
            max_value=1,
            meta=_meta("range", "language scores are probabilities"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="word_count", min_value=0, meta=_meta("range", "word counts are not negative")
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="content_hash",
            regex=CONTENT_HASH_PATTERN,
            meta=_meta("range", "content hashes have the contract's form"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="language",
            value_set=options.allowed_languages,
            meta=_meta("range", "languages are configured ones"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="published_at",
            mostly=options.min_date_share,
            meta=_meta("coverage", "share of articles with a publication date"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="title",
            mostly=options.min_title_share,
            meta=_meta("coverage", "share of articles with a title"),
        ),
        custom.ExpectColumnValuesToBeNonEmpty(
            column="authors",
            mostly=options.min_author_share,
            meta=_meta("coverage", "share of articles with an author"),
        ),
    ]
    return checks


def row_suite(options: QualityOptions, now: datetime | None = None) -> ExpectationSuite:
    import great_expectations as gx

    return gx.ExpectationSuite(name=ROW_SUITE, expectations=row_expectations(options, now))


def dataset_suite(options: QualityOptions) -> ExpectationSuite:
    import great_expectations as gx

    return gx.ExpectationSuite(name=DATASET_SUITE, expectations=dataset_expectations(options))


def _meta(reason: str, checks: str) -> dict[str, Any]:
    return {"reason": reason, "checks": checks}
