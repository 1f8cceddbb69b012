"""The Parquet contract: the one pyarrow schema of `articles/` and `rejected/`; row conversion."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from cleaners.document import Cleaning, Document

CLEANING_TYPE = pa.struct(
    [
        pa.field("rule", pa.string(), nullable=False),
        pa.field("action", pa.string(), nullable=False),
        pa.field("field", pa.string()),
        pa.field("text", pa.string(), nullable=False),
    ]
)
TIMESTAMP = pa.timestamp("us", tz="UTC")

ARTICLES_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("site", pa.string()),
        pa.field("title", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("language", pa.string(), nullable=False),
        pa.field("language_score", pa.float32(), nullable=False),
        pa.field("published_at", TIMESTAMP),
        pa.field("published_at_source", pa.string()),
        pa.field("fetched_at", TIMESTAMP),
        pa.field("authors", pa.list_(pa.string()), nullable=False),
        pa.field("editors", pa.list_(pa.string()), nullable=False),
        pa.field("agency", pa.string()),
        pa.field("dateline", pa.string()),
        pa.field("tags", pa.list_(pa.string()), nullable=False),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("duplicate_of", pa.string()),
        pa.field("cleaning", pa.list_(CLEANING_TYPE), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)

REJECTED_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
        pa.field("excerpt", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)

ARTICLE_COLUMNS: tuple[str, ...] = tuple(ARTICLES_SCHEMA.names)
PARTITION_COLUMN = "language"
EXCERPT_BYTES = 160


@dataclass(frozen=True, slots=True)
class Rejection:
    """A document that ends in `rejected/`: where it came from, at which stage, and why."""

    doc_id: str
    source: str
    stage: str
    reason: str
    detail: str
    excerpt: str = ""

    def row(self, run_id: str) -> dict[str, str]:
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "stage": self.stage,
            "reason": self.reason,
            "detail": self.detail,
            "excerpt": self.excerpt,
            "run_id": run_id,
        }


def escape_excerpt(data: bytes | str, limit: int = EXCERPT_BYTES) -> str:
    """The first bytes of an input, printable and safe to show in a report.

    >>> escape_excerpt(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    '\\\\x89PNG\\\\r\\\\n\\\\x1a\\\\n\\\\x00\\\\x00'
    >>> escape_excerpt("Très bien")
    'Très bien'
    """
    if isinstance(data, str):
        data = data[:limit].encode("utf-8", "replace")
    head = data[:limit]
    text = head.decode("utf-8", "backslashreplace")
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def article_row(doc: Document) -> dict[str, Any]:
    """The contract's columns of a document, as a plain dict (what `clean_text` returns)."""
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "url": doc.url,
        "site": doc.site,
        "title": doc.title,
        "text": doc.text,
        "language": doc.language,
        "language_score": float(doc.language_score),
        "published_at": doc.published_at,
        "published_at_source": doc.published_at_source,
        "fetched_at": doc.fetched_at,
        "authors": list(doc.authors),
        "editors": list(doc.editors),
        "agency": doc.agency,
        "dateline": doc.dateline,
        "tags": list(doc.tags),
        "word_count": doc.word_count,
        "content_hash": doc.content_hash,
        "duplicate_of": doc.duplicate_of,
        "cleaning": [cleaning_entry(c) for c in doc.cleaning],
        "run_id": doc.run_id,
    }


def document_from_row(row: Mapping[str, Any]) -> Document:
    """The Document a contract row was made from (working fields left empty)."""
    values = {name: row[name] for name in ARTICLE_COLUMNS if name in row and name != "cleaning"}
    for name in ("authors", "editors", "tags"):
        values[name] = list(values.get(name) or [])
    entries = [Cleaning(**entry) for entry in row.get("cleaning") or []]
    return Document(**values, cleaning=entries)


def cleaning_entry(entry: Cleaning) -> dict[str, str | None]:
    return {"rule": entry.rule, "action": entry.action, "field": entry.field, "text": entry.text}


def articles_table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows to a table of exactly the contract's schema (raises on a row that does not fit)."""
    return pa.Table.from_pylist(list(rows), schema=ARTICLES_SCHEMA)


def rejected_table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=REJECTED_SCHEMA)


def read_articles(folder: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """The `articles/` dataset (hive-partitioned by language) as a table of the contract's schema.

    The partition column lives in the folder names, not in the files, as hive readers expect.
    `columns` reads only those columns, in that order.
    """
    if not folder.is_dir():
        table = ARTICLES_SCHEMA.empty_table()
        return table if columns is None else table.select(list(columns))
    return _articles_dataset(folder).to_table(columns=None if columns is None else list(columns))


def null_counts(folder: Path, columns: Sequence[str]) -> dict[str, int]:
    """Missing values per column of the `articles/` dataset, without holding a column at once.

    Flat columns are counted from the Parquet files' statistics when every file has them, so
    a run's text is not read back at all; nested columns, and files without statistics, are
    read one record batch at a time.
    """
    counts = dict.fromkeys(columns, 0)
    if not folder.is_dir():
        return counts
    dataset = _articles_dataset(folder)
    fragments = list(dataset.get_fragments())
    unread: list[str] = []
    for name in columns:
        counted = _null_count_from_statistics(fragments, name)
        if counted is None:
            unread.append(name)
        else:
            counts[name] = counted
    if unread:
        for batch in dataset.to_batches(columns=unread):
            for name in unread:
                counts[name] += batch.column(name).null_count
    return counts


def _null_count_from_statistics(fragments: list[ds.Fragment], name: str) -> int | None:
    # A nested column's statistics count missing leaves, not missing rows: read those instead.
    if pa.types.is_nested(ARTICLES_SCHEMA.field(name).type):
        return None
    total = 0
    for fragment in fragments:
        metadata = fragment.metadata
        for group in range(metadata.num_row_groups):
            row_group = metadata.row_group(group)
            chunks = (row_group.column(i) for i in range(row_group.num_columns))
            chunk = next((c for c in chunks if c.path_in_schema == name), None)
            statistics = None if chunk is None else chunk.statistics
            if statistics is None or not statistics.has_null_count:
                return None
            total += statistics.null_count
    return total


def _articles_dataset(folder: Path) -> ds.Dataset:
    partitioning = ds.partitioning(
        pa.schema([ARTICLES_SCHEMA.field(PARTITION_COLUMN)]), flavor="hive"
    )
    return ds.dataset(folder, format="parquet", partitioning=partitioning, schema=ARTICLES_SCHEMA)


def read_rejected(folder: Path) -> pa.Table:
    """The `rejected/` dataset as a table of its schema."""
    if not folder.is_dir():
        return REJECTED_SCHEMA.empty_table()
    return ds.dataset(folder, format="parquet", schema=REJECTED_SCHEMA).to_table()
