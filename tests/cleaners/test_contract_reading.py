"""Reading the `articles/` dataset back: chosen columns only, and missing values counted."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from cleaners.contract import (
    ARTICLES_SCHEMA,
    PARTITION_COLUMN,
    PARTS_PER_CHUNK,
    null_counts,
    read_articles,
)
from tests.expectations.quality_builders import article, table_of


def write_dataset(folder: Path) -> None:
    rows = [article(i, title=None if i % 3 == 0 else f"Title {i}") for i in range(10)]
    for language, part in (("de", rows[:6]), ("en", rows[6:])):
        table = table_of(*part).drop_columns([PARTITION_COLUMN])
        path = folder / f"language={language}" / "part-0.parquet"
        path.parent.mkdir(parents=True)
        pq.write_table(table, path, row_group_size=2)


def test_chosen_columns_are_read_in_their_order(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    table = read_articles(tmp_path, columns=["word_count", "doc_id", PARTITION_COLUMN])
    assert table.column_names == ["word_count", "doc_id", PARTITION_COLUMN]
    assert sorted(table.column("doc_id").to_pylist()) == sorted(f"doc-{i}" for i in range(10))
    assert read_articles(tmp_path).schema.equals(ARTICLES_SCHEMA)


def test_missing_values_are_counted_across_files_and_batches(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    assert null_counts(tmp_path, ["title", "text"]) == {"title": 4, "text": 0}
    assert null_counts(tmp_path / "absent", ["title"]) == {"title": 0}
    assert read_articles(tmp_path / "absent", columns=["doc_id"]).column_names == ["doc_id"]


def test_flat_columns_are_counted_from_statistics_and_agree_with_reading(tmp_path: Path) -> None:
    with_statistics, no_statistics = tmp_path / "statistics", tmp_path / "plain"
    write_dataset(with_statistics)
    rows = [article(i, title=None if i % 2 else f"Title {i}") for i in range(6)]
    path = no_statistics / "language=en" / "part-0.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(table_of(*rows).drop_columns([PARTITION_COLUMN]), path, write_statistics=False)
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).statistics is None
    for folder in (with_statistics, no_statistics):
        table = read_articles(folder)
        expected = {name: table.column(name).null_count for name in ("title", "text", "cleaning")}
        assert null_counts(folder, ["title", "text", "cleaning"]) == expected
    assert null_counts(no_statistics, ["title"]) == {"title": 3}


def test_many_small_parts_are_read_back_whole_in_few_chunks(tmp_path: Path) -> None:
    # A large run writes a file per shard and language: more files than one chunk joins.
    parts = PARTS_PER_CHUNK + 3
    for shard in range(parts):
        language = ("de", "en")[shard % 2]
        table = table_of(article(shard)).drop_columns([PARTITION_COLUMN])
        path = tmp_path / f"language={language}" / f"part-{shard:05d}.parquet"
        path.parent.mkdir(exist_ok=True)
        pq.write_table(table, path)
    table = read_articles(tmp_path, columns=["doc_id", PARTITION_COLUMN])
    assert sorted(table.column("doc_id").to_pylist()) == sorted(f"doc-{i}" for i in range(parts))
    languages = dict(
        zip(
            table.column("doc_id").to_pylist(),
            table.column(PARTITION_COLUMN).to_pylist(),
            strict=True,
        )
    )
    assert all(languages[f"doc-{i}"] == ("de", "en")[i % 2] for i in range(parts))
    assert table.column("doc_id").num_chunks <= 2
