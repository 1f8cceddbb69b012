from typing import Any

import pytest

from cleaners.contract import ARTICLE_COLUMNS, ARTICLES_SCHEMA
from expectations import suites
from expectations.options import QualityOptions
from tests.expectations.quality_builders import article, table_of

OPTIONS = QualityOptions(
    languages=("de", "en"), min_date_share=0.5, min_title_share=0.5, min_author_share=0.5
)


def dataset_check(reason: str, column: str) -> Any:
    for expectation in suites.dataset_expectations(OPTIONS):
        config = expectation.configuration
        if config.meta["reason"] == reason and config.kwargs.get("column") == column:
            return expectation
    raise LookupError((reason, column))


def frame_of(*rows):
    return table_of(*rows).to_pandas()


def test_every_expectation_names_its_reason():
    row_checks = suites.row_expectations(OPTIONS)
    assert [e.configuration.meta["reason"] for e in row_checks] == list(suites.ROW_REASONS)
    assert all(e.configuration.meta["reason"] for e in suites.dataset_expectations(OPTIONS))


def test_schema_checks_come_from_the_contract():
    checks = suites.dataset_expectations(OPTIONS)
    typed = {
        e.configuration.kwargs["column"]
        for e in checks
        if e.expectation_type == "expect_column_values_to_be_of_type"
    }
    required = {
        e.configuration.kwargs["column"]
        for e in checks
        if e.expectation_type == "expect_column_values_to_not_be_null" and e.mostly == 1
    }
    assert typed == set(suites.DATASET_COLUMNS)
    assert set(suites.DATASET_COLUMNS) | set(suites.LARGE_COLUMNS) == set(ARTICLE_COLUMNS)
    assert required == {
        f.name for f in ARTICLES_SCHEMA if not f.nullable and f.name in suites.DATASET_COLUMNS
    }


def test_columns_match_the_contract(run_expectation):
    check = suites.dataset_expectations(OPTIONS)[0]
    good = frame_of(article(0)).drop(columns=list(suites.LARGE_COLUMNS))
    assert run_expectation(check, good).success
    assert not run_expectation(check, good.drop(columns=["dateline"])).success
    assert not run_expectation(check, good[list(reversed(good.columns))]).success


def test_column_types_match_the_contract(run_expectation):
    check = next(
        e
        for e in suites.dataset_expectations(OPTIONS)
        if e.expectation_type == "expect_column_values_to_be_of_type"
        and e.configuration.kwargs["column"] == "word_count"
    )
    good = frame_of(article(0))
    assert run_expectation(check, good).success
    assert not run_expectation(check, good.astype({"word_count": "float64"})).success


def test_unique_doc_id(run_expectation):
    check = dataset_check("unique", "doc_id")
    assert run_expectation(check, frame_of(article(0), article(1))).success
    assert not run_expectation(check, frame_of(article(0), article(1, doc_id="doc-0"))).success


@pytest.mark.parametrize(
    ("column", "missing"),
    [("published_at", {"published_at": None}), ("title", {"title": None})],
)
def test_coverage_floors(run_expectation, column, missing):
    check = dataset_check("coverage", column)
    half = frame_of(article(0), article(1, **missing))
    most = frame_of(article(0), article(1, **missing), article(2, **missing))
    assert run_expectation(check, half).success
    assert not run_expectation(check, most).success


def test_author_coverage_floor(run_expectation):
    check = dataset_check("coverage", "authors")
    assert run_expectation(check, frame_of(article(0), article(1, authors=[]))).success
    failing = frame_of(article(0), article(1, authors=[]), article(2, authors=[]))
    assert not run_expectation(check, failing).success


@pytest.mark.parametrize(
    ("column", "bad"),
    [
        ("language_score", {"language_score": 1.5}),
        ("word_count", {"word_count": -1}),
        ("content_hash", {"content_hash": "not-a-hash"}),
        ("language", {"language": "xx"}),
    ],
)
def test_value_ranges(run_expectation, column, bad):
    check = dataset_check("range", column)
    assert run_expectation(check, frame_of(article(0), article(1, language="und"))).success
    assert not run_expectation(check, frame_of(article(0), article(1, **bad))).success
