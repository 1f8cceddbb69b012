"""What one shard's tasks do, importable without Prefect so that worker processes stay lean."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from cleaners.contract import null_counts, read_articles
from cleaners.options import CleanOptions
from cleaners.shard import CleanedShard, FinalShard, clean_shard, finalize_shard
from expectations import DatasetValidation, QualityOptions, suites, validate_dataset, validate_rows

__all__ = ["clean_shard", "finalize_with_maps", "validate_stage"]


def finalize_with_maps(
    cleaned: CleanedShard,
    maps: tuple[str, str],
    stage_root: str,
    run_id: str,
    drop_duplicates: bool,
    options: CleanOptions,
) -> FinalShard:
    """Finalise a shard with the run's duplicate and learned-boilerplate maps (JSON files)."""
    duplicates = json.loads(Path(maps[0]).read_text(encoding="utf-8"))
    learned = {
        group: frozenset(lines)
        for group, lines in json.loads(Path(maps[1]).read_text(encoding="utf-8")).items()
    }
    quality = QualityOptions(languages=options.languages)

    def row_check(table: pa.Table) -> list[tuple[str, str, str]]:
        return [(f.doc_id, f.reason, f.detail) for f in validate_rows(table, quality)]

    return finalize_shard(
        cleaned,
        duplicates,
        learned,
        row_check,
        Path(stage_root),
        run_id,
        drop_duplicates,
        options.min_words,
    )


def validate_stage(stage_root: str, run_id: str, languages: tuple[str, ...]) -> DatasetValidation:
    """Validate the run's staged articles; write the validation JSON and Data Docs.

    The run's text is never held at once: only its missing values are counted, batch by batch.
    """
    folder = Path(stage_root) / "articles"
    return validate_dataset(
        read_articles(folder, columns=suites.DATASET_COLUMNS),
        QualityOptions(languages=languages),
        Path(stage_root) / "reports" / run_id,
        large_column_nulls=null_counts(folder, suites.LARGE_COLUMNS),
    )
