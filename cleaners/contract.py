"""The Parquet contract: the one pyarrow schema of `articles/` and `rejected/`; row conversion."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

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
# A run writes a file per shard and language, so a large run has thousands of small parts. Each
# part read is one chunk per column, with buffers of its own; read back chunk by chunk they
# weigh twice the data. Parts are joined into one chunk this many at a time.
PARTS_PER_CHUNK = 64
EXCERPT_BYTES = 160


# The reason of a copy that `--drop-duplicates` moved to rejected/.
DUPLICATE_REASON = "duplicate"


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
    `columns` reads only those columns, in that order. Files are read one at a time: a dataset
    scan keeps every file's footer until it ends, which for a run of many shards costs more
    memory than the columns read.
    """
    names = ARTICLES_SCHEMA.names if columns is None else list(columns)
    schema = pa.schema(ARTICLES_SCHEMA.field(name) for name in names)
    combined: list[pa.Table] = []
    pending: list[pa.Table] = []
    for path, value in _article_parts(folder):
        pending.append(_read_part(path, value, schema))
        if len(pending) == PARTS_PER_CHUNK:
            combined.append(pa.concat_tables(pending).combine_chunks())
            pending = []
    if pending:
        combined.append(pa.concat_tables(pending).combine_chunks())
    return pa.concat_tables(combined) if combined else schema.empty_table()


def null_counts(folder: Path, columns: Sequence[str]) -> dict[str, int]:
    """Missing values per column of the `articles/` dataset, without holding a column at once.

    Flat columns are counted from each file's statistics where it has them, so a run's text is
    not read back at all; nested columns, and files without statistics, are read one record
    batch at a time.
    """
    counts = dict.fromkeys(columns, 0)
    for path, value in _article_parts(folder):
        with pq.ParquetFile(path) as part:
            unread = []
            for name in columns:
                counted = _null_count_from_statistics(part, name, value)
                if counted is None:
                    unread.append(name)
                else:
                    counts[name] += counted
            for batch in part.iter_batches(columns=unread) if unread else ():
                for name in unread:
                    counts[name] += batch.column(name).null_count
    return counts


def _article_parts(folder: Path) -> list[tuple[Path, str | None]]:
    """Each Parquet file of the dataset with the partition value its folder names, in order."""
    if not folder.is_dir():
        return []
    parts = []
    for path in sorted(folder.rglob("*.parquet")):
        relative = path.relative_to(folder).parts
        if any(name.startswith((".", "_")) for name in relative):  # hidden, as hive readers skip
            continue
        value = None
        for name in relative[:-1]:
            key, equals, encoded = name.partition("=")
            if equals and key == PARTITION_COLUMN:
                value = unquote(encoded)
        parts.append((path, value))
    return parts


def _read_part(path: Path, value: str | None, schema: pa.Schema) -> pa.Table:
    with pq.ParquetFile(path) as part:
        present = [name for name in schema.names if name in part.schema_arrow.names]
        table = part.read(columns=present)
    arrays = []
    for field in schema:
        if field.name == PARTITION_COLUMN:
            arrays.append(pa.array([value] * table.num_rows, field.type))
        elif field.name in table.column_names:
            arrays.append(table.column(field.name).cast(field.type))
        else:  # a column the file does not have is missing in every row
            arrays.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _null_count_from_statistics(part: pq.ParquetFile, name: str, value: str | None) -> int | None:
    rows: int = part.metadata.num_rows
    if name == PARTITION_COLUMN:
        return rows if value is None else 0
    if name not in part.schema_arrow.names:
        return rows
    # A nested column's statistics count missing leaves, not missing rows: read those instead.
    if pa.types.is_nested(ARTICLES_SCHEMA.field(name).type):
        return None
    total = 0
    for group in range(part.metadata.num_row_groups):
        row_group = part.metadata.row_group(group)
        chunks = (row_group.column(i) for i in range(row_group.num_columns))
        chunk = next((c for c in chunks if c.path_in_schema == name), None)
        statistics = None if chunk is None else chunk.statistics
        if statistics is None or not statistics.has_null_count:
            return None
        total += statistics.null_count
    return total


def read_rejected(folder: Path) -> pa.Table:
    """The `rejected/` dataset as a table of its schema."""
    if not folder.is_dir():
        return REJECTED_SCHEMA.empty_table()
    return ds.dataset(folder, format="parquet", schema=REJECTED_SCHEMA).to_table()
