import html
import json
import re
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from cleaners.contract import ARTICLES_SCHEMA
from expectations import (
    QualityOptions,
    RowFailure,
    custom,
    suites,
    validate_dataset,
    validate_rows,
    validation,
)
from tests.expectations.quality_builders import NOW, article, table_of

OPTIONS = QualityOptions(
    languages=("de", "en", "ja"),
    residue_patterns=(re.compile(r"(?i)^(leave a reply|share this article)$"),),
)
LONG_BODY = "\n\n".join(
    f"Absatz {k}: Die Gespräche in Astana dauerten bis zum Abend." for k in range(6)
)

# One row per reason that fails exactly that check (and no other).
BAD_ROWS = {
    suites.BODY_TOO_SHORT: {"text": "Gipfel beendet."},
    suites.LANGUAGE_NOT_CONFIGURED: {"language": "xx"},
    suites.PUBLISHED_AFTER_FETCHED: {
        "published_at": NOW - timedelta(days=1),
        "fetched_at": NOW - timedelta(days=3),
    },
    suites.TITLE_LENGTH: {"title": "Gipfel " * 80},
    suites.MOJIBAKE_LEFT: {"text": LONG_BODY + "\n\nLe prÃ©sident a parlÃ©."},
    suites.RESIDUE_LEFT: {"text": LONG_BODY + "\n\nShare this article"},
    suites.REPEATED_LINE: {"text": "Jetzt abonnieren und weiterlesen!\n\n" * 8},
}


@pytest.mark.parametrize("reason", sorted(BAD_ROWS))
def test_each_row_check_fails_only_its_row(reason):
    table = table_of(article(0), article(1, **BAD_ROWS[reason]), article(2))
    failures = validate_rows(table, OPTIONS)
    assert [(f.doc_id, f.reason) for f in failures] == [("doc-1", reason)]
    assert failures[0].detail.endswith(".") and len(failures[0].detail) > 20


def test_empty_body_and_future_dates_are_reported_first():
    future = {"published_at": NOW + timedelta(days=3), "fetched_at": None}
    table = table_of(article(0, text=""), article(1, **future))
    failures = validate_rows(table, OPTIONS)
    assert [(f.doc_id, f.reason) for f in failures] == [
        ("doc-0", suites.EMPTY_BODY),
        ("doc-0", suites.BODY_TOO_SHORT),
        ("doc-1", suites.PUBLISHED_IN_FUTURE),
    ]


def test_clean_rows_and_missing_metadata_pass():
    table = table_of(
        article(0),
        article(1, title=None, published_at=None, fetched_at=None, authors=[]),
        article(2, language="und"),
        article(
            3,
            language="ja",
            text="首脳会議はアスタナで開かれ、各国の代表が協力の拡大で合意した。" * 3,
        ),
    )
    assert validate_rows(table, OPTIONS) == []


def test_per_language_minimum_is_configurable():
    short = "Der Gipfel in Astana endete am Donnerstag mit einem Appell."
    table = table_of(article(0, text=short))
    assert [f.reason for f in validate_rows(table, OPTIONS)] == [suites.BODY_TOO_SHORT]
    lenient = QualityOptions(languages=("de",), min_body_chars={"de": 20}, residue_patterns=())
    assert validate_rows(table, lenient) == []


def test_empty_table_has_no_failures():
    assert validate_rows(ARTICLES_SCHEMA.empty_table(), OPTIONS) == []


def test_table_without_contract_columns_is_refused():
    with pytest.raises(ValueError, match="contract"):
        validate_rows(pa.table({"doc_id": ["a"]}), OPTIONS)


def test_a_shard_of_two_thousand_rows_is_checked_in_one_great_expectations_run(monkeypatch):
    rows = [article(i) for i in range(2000)]
    rows[1500] = article(1500, text="")
    runs = []
    run = validation._run

    def counted(*args, **kwargs):
        runs.append(args[1])
        return run(*args, **kwargs)

    monkeypatch.setattr(validation, "_run", counted)
    failures = validate_rows(table_of(*rows), OPTIONS)
    assert len(runs) == 1  # one suite over the whole frame, not one run per row
    assert {f.doc_id for f in failures} == {"doc-1500"}
    assert isinstance(failures[0], RowFailure)


def test_a_row_check_that_crashes_stops_the_check_instead_of_passing(monkeypatch):
    def broken(patterns):
        raise ValueError("the residue screen could not be built")

    monkeypatch.setattr(custom, "line_rules", broken)
    with pytest.raises(RuntimeError, match="could not run: .*residue screen could not be built"):
        validate_rows(table_of(article(0)), OPTIONS)


def test_dataset_validation_writes_json_and_data_docs(tmp_path: Path):
    table = table_of(*(article(i) for i in range(5)))
    result = validate_dataset(table, OPTIONS, tmp_path / "report")
    assert result.success, result.failures
    assert result.failures == []
    assert result.json_path == tmp_path / "report" / "validation.json"
    document = json.loads(result.json_path.read_text(encoding="utf-8"))
    assert document["success"] is True
    assert document["rows"] == 5
    assert document["result"]["statistics"]["unsuccessful_expectations"] == 0
    assert result.data_docs == tmp_path / "report" / "data_docs" / "index.html"
    assert result.data_docs.is_file()


def test_dataset_validation_reports_duplicates_and_coverage(tmp_path: Path):
    rows = [article(i, authors=[], title=None) for i in range(5)]
    rows.append(article(9, doc_id="doc-0"))
    result = validate_dataset(table_of(*rows), OPTIONS, tmp_path)
    assert not result.success
    reasons = sorted(failure.split(":")[0] for failure in result.failures)
    assert reasons == ["coverage", "coverage", "unique"]
    assert any("doc_id" in failure for failure in result.failures)
    document = json.loads(result.json_path.read_text(encoding="utf-8"))
    assert document["success"] is False and len(document["failures"]) == 3


def test_dataset_validation_reports_schema_drift(tmp_path: Path):
    table = table_of(article(0)).drop_columns(["dateline"])
    result = validate_dataset(table, OPTIONS, tmp_path)
    assert not result.success
    assert "schema: column dateline is missing" in result.failures


def test_empty_dataset_passes(tmp_path: Path):
    result = validate_dataset(ARTICLES_SCHEMA.empty_table(), OPTIONS, tmp_path)
    assert result.success, result.failures


def test_dataset_validation_counts_missing_text_without_handing_it_to_pandas(tmp_path: Path):
    table = table_of(article(0), article(1))
    nullable = pa.schema([f.with_nullable(True) for f in table.schema])
    texts = pa.array([None, "Der Gipfel in Astana endete am Montag."], type=pa.string())
    table = table.cast(nullable).set_column(table.schema.get_field_index("text"), "text", texts)
    result = validate_dataset(table, OPTIONS, tmp_path)
    assert not result.success
    assert "text: 1 rows have no value in a required column" in result.failures


def test_dataset_validation_from_small_columns_and_counted_nulls(tmp_path: Path):
    table = table_of(*(article(i) for i in range(3))).drop_columns(list(suites.LARGE_COLUMNS))
    clean = validate_dataset(table, OPTIONS, tmp_path / "a", {"text": 0, "cleaning": 0})
    assert clean.success, clean.failures
    missing = validate_dataset(table, OPTIONS, tmp_path / "b", {"text": 2, "cleaning": 0})
    assert missing.failures == ["text: 2 rows have no value in a required column"]
    drifted = validate_dataset(
        table.drop_columns(["dateline"]), OPTIONS, tmp_path / "c", {"text": 0, "cleaning": 0}
    )
    assert "schema: column dateline is missing" in drifted.failures


def test_data_docs_show_the_data_s_values_as_text_not_html(tmp_path: Path):
    # A crawler's record id is the document id; Data Docs list duplicated ids in a table.
    hostile = "<img src=x onerror=alert(1)>"
    table = table_of(article(0, doc_id=hostile), article(1, doc_id=hostile), article(2))
    result = validate_dataset(table, OPTIONS, tmp_path)
    assert not result.success and result.data_docs is not None
    pages = "".join(
        page.read_text(encoding="utf-8") for page in result.data_docs.parent.rglob("*.html")
    )
    assert hostile not in pages
    assert html.escape(hostile) in pages
    # the JSON result keeps the value as the data has it
    document = json.loads(result.json_path.read_text(encoding="utf-8"))
    unique = next(
        outcome
        for outcome in document["result"]["results"]
        if outcome["expectation_config"]["type"] == "expect_column_values_to_be_unique"
    )
    assert unique["result"]["partial_unexpected_list"] == [hostile, hostile]
