"""Run the suites on an articles table: row failures for `rejected/`, a verdict with Data Docs."""

from __future__ import annotations

import html
import json
import logging
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cleaners.contract import ARTICLES_SCHEMA
from expectations import suites
from expectations.checks import (
    badness_trigger,
    compile_line_patterns,
    line_rules,
    load_residue_patterns,
    mojibake_badness,
    most_repeated_line,
    pattern_source,
    residue_lines,
)
from expectations.options import DEFAULT_QUALITY, QualityOptions

if TYPE_CHECKING:
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.data_context import EphemeralDataContext

log = logging.getLogger(__name__)

VALIDATION_JSON = "validation.json"
DATA_DOCS_DIR = "data_docs"
DATA_DOCS_SITE = "newsclean"
EXCERPT_CHARS = 80
# The columns the row checks read.
ROW_COLUMNS = ("doc_id", "text", "language", "title", "published_at", "fetched_at")
TZ_VALUES_WARNING = "Series.values returning an ndarray that drops timezone"
# Where a result holds values taken from the data, which Data Docs show in tables.
SAMPLED_VALUE_KEYS = ("partial_unexpected_list", "partial_unexpected_counts", "unexpected_list")


@dataclass(frozen=True, slots=True)
class RowFailure:
    """A row that fails a row check: its id, a short code, and a sentence saying why."""

    doc_id: str
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class DatasetValidation:
    """The verdict on a whole table, where its JSON result lies, and its Data Docs page."""

    success: bool
    failures: list[str]
    json_path: Path
    data_docs: Path | None


def validate_rows(table: pa.Table, options: QualityOptions = DEFAULT_QUALITY) -> list[RowFailure]:
    """Every row check a row fails, ordered by row and then from the most fundamental check.

    An empty table has no failures (and does not load Great Expectations).
    """
    if table.num_rows == 0:
        return []
    _require_columns(table)
    if options.residue_patterns is None:
        options = _with_rule_patterns(options)
    frame = _frame(table)
    now = datetime.now(UTC)
    context = _context()
    result = _run(context, suites.row_suite(options, now), frame, {"result_format": "COMPLETE"})
    order = {reason: rank for rank, reason in enumerate(suites.ROW_REASONS)}
    found: list[tuple[int, int, RowFailure]] = []
    for outcome in result.results:
        config = outcome.expectation_config
        reason = ((config.meta if config else None) or {}).get("reason", "quality")
        message = raised_exception(outcome)
        if message is not None:
            raise RuntimeError(f"row check {reason} could not run: {message}")
        for index in outcome.result.get("unexpected_index_list") or []:
            row = frame.iloc[int(index)]
            failure = RowFailure(str(row["doc_id"]), reason, _detail(reason, row, options))
            found.append((int(index), order.get(reason, len(order)), failure))
    return [failure for _, _, failure in sorted(found, key=lambda item: item[:2])]


def prepare_row_checks(options: QualityOptions = DEFAULT_QUALITY) -> None:
    """Compile the row checks' residue-line screens and ftfy's badness trigger now.

    Worth calling once in a process that later forks workers: each fresh worker would
    otherwise spend most of a second compiling them for its first rows.
    """
    if options.residue_patterns is None:
        options = _with_rule_patterns(options)
    sources = tuple(pattern_source(pattern) for pattern in options.residue_patterns or ())
    line_rules(compile_line_patterns(sources)).prepare()
    badness_trigger()


def validate_dataset(
    table: pa.Table,
    options: QualityOptions,
    report_dir: Path,
    large_column_nulls: Mapping[str, int] | None = None,
    published_ids: pa.Array | None = None,
) -> DatasetValidation:
    """Run the dataset suite; write its result as JSON and Data Docs under `report_dir`.

    `table` may leave out `suites.LARGE_COLUMNS` when their counts of missing values are
    given instead, so that a large dataset's text never has to be held at once.
    `published_ids` are the document ids that earlier runs published and that stay beside
    `table`'s rows: an id of `table` among them would occur twice in the dataset.
    """
    report_dir.mkdir(parents=True, exist_ok=True)
    if large_column_nulls is None:
        expected = ARTICLES_SCHEMA
        large_column_nulls = {
            name: table.column(name).null_count
            for name in suites.LARGE_COLUMNS
            if name in table.column_names
        }
    else:
        expected = pa.schema(f for f in ARTICLES_SCHEMA if f.name not in suites.LARGE_COLUMNS)
    failures = _schema_differences(table.schema, expected) + _nulls_in_required(large_column_nulls)
    failures += _ids_published_already(table.column("doc_id"), published_ids)
    frame = _frame(table.drop_columns([c for c in suites.LARGE_COLUMNS if c in table.column_names]))
    docs_dir = report_dir / DATA_DOCS_DIR
    context = _context(docs_dir)
    result = _run(context, suites.dataset_suite(options), frame, {"result_format": "SUMMARY"})
    failures += [_failure_sentence(outcome) for outcome in result.results if not outcome.success]
    success = not failures
    json_path = report_dir / VALIDATION_JSON
    document = {
        "success": success,
        "failures": failures,
        "rows": table.num_rows,
        "result": result.to_json_dict(),
    }
    json_path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str), "utf-8")
    return DatasetValidation(success, failures, json_path, _build_data_docs(context, docs_dir))


def _context(docs_dir: Path | None = None) -> EphemeralDataContext:
    # Usage statistics would be a network call; the pipeline runs offline.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites: dict[str, Any] = {}
    if docs_dir is not None:
        sites[DATA_DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir.resolve()),  # GE refuses relative paths
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        data_docs_sites=sites,
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _run(
    context: EphemeralDataContext,
    suite: Any,
    frame: pd.DataFrame,
    result_format: dict[str, Any],
) -> ExpectationSuiteValidationResult:
    import great_expectations as gx

    batch = (
        context.data_sources.add_pandas("articles")
        .add_dataframe_asset("articles")
        .add_batch_definition_whole_dataframe("table")
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite.name, data=batch, suite=context.suites.add(suite))
    )
    with warnings.catch_warnings():
        # Great Expectations reads time columns through `Series.values`, which pandas warns
        # will keep the time zone one day; every time column here is UTC, so both read alike.
        warnings.filterwarnings("ignore", message=TZ_VALUES_WARNING)
        return definition.run(batch_parameters={"dataframe": frame}, result_format=result_format)


def _build_data_docs(context: EphemeralDataContext, docs_dir: Path) -> Path | None:
    # Data Docs are a convenience for readers; failing to render them must not fail a run.
    try:
        _escape_sampled_values(context)
        context.build_data_docs(site_names=[DATA_DOCS_SITE])
    except Exception:
        log.exception("Great Expectations could not build Data Docs in %s", docs_dir)
        return None
    index = docs_dir / "index.html"
    return index if index.is_file() else None


def _escape_sampled_values(context: EphemeralDataContext) -> None:
    """HTML-escape the data's values in the stored results that Data Docs are built from.

    Great Expectations escapes the parameters of its sentences but writes table cells as
    they are, so a document id such as `<img src=x onerror=…>` would run in the reader's
    browser. The result returned by the run, and its JSON, keep the values as they are.
    """
    store = context.validation_results_store
    for key in store.list_keys():
        stored = store.get(key)
        if stored is None:
            continue
        for outcome in stored.results:
            for name in SAMPLED_VALUE_KEYS:
                if outcome.result and name in outcome.result:
                    outcome.result[name] = _escaped(outcome.result[name])
        store.set(key, stored)


def _escaped(value: Any) -> Any:
    """Strings HTML-escaped, within lists and dicts too.

    >>> _escaped([{"value": "<b>", "count": 2}, None])
    [{'value': '&lt;b&gt;', 'count': 2}, None]
    """
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {name: _escaped(item) for name, item in value.items()}
    return value


def _frame(table: pa.Table) -> pd.DataFrame:
    return suites.to_frame(table)


def _require_columns(table: pa.Table) -> None:
    missing = [name for name in ROW_COLUMNS if name not in table.column_names]
    if missing:
        raise ValueError(f"the table lacks the contract's columns {missing}")


def _with_rule_patterns(options: QualityOptions) -> QualityOptions:
    return replace(options, residue_patterns=load_residue_patterns(options.languages))


def _nulls_in_required(null_counts: Mapping[str, int]) -> list[str]:
    return [
        f"{name}: {count} rows have no value in a required column"
        for name, count in null_counts.items()
        if count and not ARTICLES_SCHEMA.field(name).nullable
    ]


def _ids_published_already(ids: pa.ChunkedArray, published: pa.Array | None) -> list[str]:
    # The suite sees only the run's rows; the dataset holds earlier runs' rows beside them.
    if published is None or not len(published):
        return []
    again = pc.count_distinct(ids.filter(pc.is_in(ids, value_set=published))).as_py()
    if not again:
        return []
    return [f"unique: doc_id: {again} document ids of this run are in earlier runs' articles too"]


def _schema_differences(schema: pa.Schema, contract: pa.Schema = ARTICLES_SCHEMA) -> list[str]:
    if schema.equals(contract):
        return []
    expected = {field.name: field for field in contract}
    actual = {field.name: field for field in schema}
    differences = [f"column {name} is missing" for name in expected if name not in actual]
    differences += [
        f"column {name} is not in the contract" for name in actual if name not in expected
    ]
    differences += [
        f"column {name} is {actual[name].type}, the contract says {field.type}"
        for name, field in expected.items()
        if name in actual and not actual[name].type.equals(field.type)
    ]
    if not differences and schema.names != contract.names:
        differences.append("columns are not in the contract's order")
    if not differences:
        differences.append("nullability differs from the contract")
    return [f"schema: {difference}" for difference in differences]


def raised_exception(outcome: Any) -> str | None:
    """The message of the exception an expectation's check raised, None when it ran.

    Great Expectations reports an exception in one of two shapes: flat, or (when a metric the
    check needs raised) one entry per metric. A crashed check must never read as a pass.

    >>> class Outcome:
    ...     exception_info = {"metric-1": {"raised_exception": True, "exception_message": "boom"}}
    >>> raised_exception(Outcome())
    'boom'
    >>> Outcome.exception_info = {"raised_exception": False, "exception_message": None}
    >>> raised_exception(Outcome()) is None
    True
    """
    info = outcome.exception_info or {}
    for entry in [info, *(value for value in info.values() if isinstance(value, dict))]:
        if entry.get("raised_exception"):
            return str(entry.get("exception_message") or "unknown error")
    return None


def _failure_sentence(outcome: Any) -> str:
    config = outcome.expectation_config
    meta = config.meta or {}
    where = config.kwargs.get("column") or config.kwargs.get("column_A") or "table"
    result = outcome.result or {}
    message = raised_exception(outcome)
    if message is not None:
        observed = f"could not run: {message}"
    elif "unexpected_percent" in result and result.get("unexpected_count"):
        mostly = config.kwargs.get("mostly")
        needed = f", at most {100 * (1 - mostly):.1f}% allowed" if mostly is not None else ""
        observed = (
            f"{result['unexpected_count']} rows ({result['unexpected_percent']:.1f}%) fail{needed}"
        )
    else:
        observed = f"observed {result.get('observed_value')!r}"
    reason, checks = meta.get("reason", "quality"), meta.get("checks", "")
    return f"{reason}: {config.type} on {where} ({checks}): {observed}"


def _detail(reason: str, row: pd.Series, options: QualityOptions) -> str:
    text = "" if pd.isna(row["text"]) else str(row["text"])
    language = str(row["language"])
    if reason == suites.EMPTY_BODY:
        return "The body is empty after cleaning."
    if reason == suites.BODY_TOO_SHORT:
        minimum = options.min_body_chars_for(language)
        return f"The body has {len(text.strip())} characters; language {language} needs {minimum}."
    if reason == suites.LANGUAGE_NOT_CONFIGURED:
        return f"Language {language!r} is not among the configured languages."
    if reason == suites.PUBLISHED_AFTER_FETCHED:
        return f"Published at {row['published_at']}, after it was fetched at {row['fetched_at']}."
    if reason == suites.PUBLISHED_IN_FUTURE:
        return f"Published at {row['published_at']}, which is in the future."
    if reason == suites.TITLE_LENGTH:
        title = str(row["title"])
        return (
            f"The title has {len(title)} characters, outside "
            f"{options.min_title_chars}–{options.max_title_chars}: {_excerpt(title)!r}."
        )
    if reason == suites.MOJIBAKE_LEFT:
        return f"ftfy sees {mojibake_badness(text)} mis-decoded sequences in the body."
    if reason == suites.RESIDUE_LEFT:
        lines = residue_lines(text, options.residue_patterns or ())
        first = _excerpt(lines[0]) if lines else ""
        return f"{len(lines)} body lines match residue rules, first {first!r}."
    if reason == suites.REPEATED_LINE:
        line, share = most_repeated_line(text)
        return f"One repeated line fills {share:.0%} of the body: {_excerpt(line)!r}."
    return f"The row fails the {reason} check."


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"
