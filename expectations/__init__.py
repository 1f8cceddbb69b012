"""Data-quality validation of the articles table (Great Expectations) and the run report page."""

from expectations.options import DEFAULT_QUALITY, QualityOptions
from expectations.report import render_run_page, summary_markdown, summary_table
from expectations.validation import (
    DatasetValidation,
    RowFailure,
    prepare_row_checks,
    validate_dataset,
    validate_rows,
)

__all__ = [
    "DEFAULT_QUALITY",
    "DatasetValidation",
    "QualityOptions",
    "prepare_row_checks",
    "RowFailure",
    "render_run_page",
    "summary_markdown",
    "summary_table",
    "validate_dataset",
    "validate_rows",
]
