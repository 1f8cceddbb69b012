"""A shard of inputs through the per-document cleaners, then its finalisation into the contract."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from cleaners.boilerplate import line_fingerprints, strip_learned
from cleaners.contract import (
    ARTICLES_SCHEMA,
    DUPLICATE_REASON,
    PARTITION_COLUMN,
    Rejection,
    article_row,
    document_from_row,
    escape_excerpt,
    rejected_table,
)
from cleaners.dedup import DedupEntry, entries_of, read_entries, write_entries
from cleaners.document import Document, RejectedDocument
from cleaners.options import CleanOptions
from cleaners.pipeline import clean_raw
from cleaners.readers import InputSlice, RawDocument, read_slice
from cleaners.store import partition_value
from cleaners.text import content_hash, word_count

log = logging.getLogger(__name__)
# The staged intermediate carries, beside the contract's columns, the boilerplate scope and the
# input's first bytes: a row rejected when finalised shows them, as a row rejected earlier does.
STAGED_SCHEMA = ARTICLES_SCHEMA.append(
    pa.field("source_group", pa.string(), nullable=False)
).append(pa.field("input_excerpt", pa.string(), nullable=False))
PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd"}
# Orders documents across shards for "first seen": shard k's documents come after shard k-1's.
MAX_SHARD_DOCUMENTS = 1_000_000


@dataclass
class CleanedShard:
    """What a cleaned shard hands on: paths and counts, never the text itself."""

    shard: int
    read: int
    articles_path: str
    rejected_path: str
    entries_path: str
    fingerprints_path: str
    rejected: int = 0


@dataclass
class FinalShard:
    """Counts of one finalised shard, for the run summary."""

    shard: int
    written: int = 0
    rejected: int = 0
    duplicates: int = 0
    files: list[str] = field(default_factory=list)
    by_language: dict[str, int] = field(default_factory=dict)
    by_site: dict[str, int] = field(default_factory=dict)
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    removals_by_rule: dict[str, int] = field(default_factory=dict)
    with_date: int = 0
    with_title: int = 0
    with_authors: int = 0
    refused: list[str] = field(default_factory=list)  # rejected here, but not as duplicates


def clean_documents(
    slices: Iterable[InputSlice], options: CleanOptions
) -> tuple[list[Document], list[Rejection], int]:
    """Read and clean every document of the slices; every document ends in one of the lists."""
    docs: list[Document] = []
    rejections: list[Rejection] = []
    read = 0
    for item in slices:
        for raw in read_slice(item, options):
            read += 1
            if isinstance(raw, Rejection):
                rejections.append(raw)
                continue
            try:
                doc = clean_raw(raw, options)
            except RejectedDocument as error:
                rejections.append(_rejection(raw, error.stage, error.reason, error.detail))
            except Exception as error:  # noqa: BLE001 - one bad document must not stop the run
                log.warning("cleaning %s failed: %r", raw.source, error)
                detail = f"{type(error).__name__}: {error}"[:300]
                rejections.append(_rejection(raw, "clean", "cleaner-error", detail))
            else:
                doc.source_group = raw.source_group if not doc.source_group else doc.source_group
                doc.input_excerpt = escape_excerpt(raw.content)
                docs.append(doc)
    return docs, rejections, read


def _rejection(raw: RawDocument, stage: str, reason: str, detail: str) -> Rejection:
    return Rejection(raw.doc_id, raw.source, stage, reason, detail, escape_excerpt(raw.content))


def clean_shard(
    shard: int, slices: list[InputSlice], options: CleanOptions, work: Path, run_id: str
) -> CleanedShard:
    """Clean a shard and stage its rows, its rejections, its dedup entries and line fingerprints."""
    docs, rejections, read = clean_documents(slices, options)
    rows = []
    for doc in docs:
        row = article_row(doc)
        row["run_id"] = run_id
        row["source_group"] = doc.source_group
        row["input_excerpt"] = doc.input_excerpt
        rows.append(row)
    articles_path = work / f"cleaned-{shard:05d}.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=STAGED_SCHEMA), articles_path)
    rejected_path = work / f"rejected-{shard:05d}.parquet"
    pq.write_table(rejected_table(r.row(run_id) for r in rejections), rejected_path)
    entries_path = work / f"entries-{shard:05d}.npz"
    write_entries(entries_path, entries_of(docs, first_order=shard * MAX_SHARD_DOCUMENTS))
    # Line fingerprints go to a file too: what a shard hands back stays small whatever its size.
    fingerprints: dict[str, list[tuple[str, list[str]]]] = {}
    for doc in docs:
        prints = sorted(line_fingerprints(doc))
        fingerprints.setdefault(doc.source_group, []).append((doc.doc_id, prints))
    fingerprints_path = work / f"fingerprints-{shard:05d}.json"
    fingerprints_path.write_text(json.dumps(fingerprints), encoding="utf-8")
    return CleanedShard(
        shard,
        read,
        str(articles_path),
        str(rejected_path),
        str(entries_path),
        str(fingerprints_path),
        len(rejections),
    )


def load_fingerprints(cleaned: CleanedShard) -> dict[str, list[tuple[str, list[str]]]]:
    """(doc_id, line fingerprints) of a cleaned shard's documents, by boilerplate scope."""
    loaded = json.loads(Path(cleaned.fingerprints_path).read_text(encoding="utf-8"))
    return {
        group: [(doc_id, prints) for doc_id, prints in documents]
        for group, documents in loaded.items()
    }


def load_entries(paths: Iterable[str]) -> list[DedupEntry]:
    return [entry for path in paths for entry in read_entries(Path(path))]


def finalize_shard(
    cleaned: CleanedShard,
    duplicates: dict[str, str],
    learned: dict[str, frozenset[str]],
    row_check: Any,
    stage_root: Path,
    run_id: str,
    drop_duplicates: bool,
    min_words: int,
) -> FinalShard:
    """Strip learned boilerplate, set `duplicate_of`, check rows, and stage the final files.

    `row_check(table) -> list of (doc_id, reason, detail)` is the row-level validation.
    """
    result = FinalShard(cleaned.shard)
    staged = pq.read_table(cleaned.articles_path)
    rejections = pq.read_table(cleaned.rejected_path).to_pylist()
    kept: list[dict[str, Any]] = []
    excerpts: dict[str, str] = {}
    for row in staged.to_pylist():
        group = row.pop("source_group")
        excerpt = row.pop("input_excerpt")
        excerpts[row["doc_id"]] = excerpt
        doc = document_from_row(row)
        lines = learned.get(group)
        if lines:
            stripped = strip_learned(doc, lines)
            if stripped.text != doc.text:
                doc = stripped.evolve(
                    word_count=word_count(stripped.text), content_hash=content_hash(stripped.text)
                )
        if doc.word_count < min_words:
            rejections.append(
                _row_rejection(
                    doc, "clean", "no-text", "only learned boilerplate was left", excerpt, run_id
                )
            )
            result.refused.append(doc.doc_id)
            continue
        doc.duplicate_of = duplicates.get(doc.doc_id)
        if doc.duplicate_of and drop_duplicates:
            rejections.append(
                _row_rejection(
                    doc, "dedup", DUPLICATE_REASON, f"a copy of {doc.duplicate_of}", excerpt, run_id
                )
            )
            result.duplicates += 1
            continue
        kept.append(article_row(doc))
    table = pa.Table.from_pylist(kept, schema=ARTICLES_SCHEMA)
    failures = row_check(table) if table.num_rows else []
    failed: dict[str, tuple[str, str]] = {}
    for doc_id, reason, detail in failures:
        failed.setdefault(doc_id, (reason, detail))
    final_rows = []
    for row in kept:
        failure = failed.get(row["doc_id"])
        if failure:
            rejections.append(
                _row_rejection(
                    document_from_row(row), "validate", *failure, excerpts[row["doc_id"]], run_id
                )
            )
            result.refused.append(row["doc_id"])
        else:
            final_rows.append(row)
    _stage_articles(final_rows, stage_root, run_id, cleaned.shard, result)
    if rejections:
        path = stage_root / "rejected" / f"part-{run_id}-{cleaned.shard:05d}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(rejected_table(rejections), path, **PARQUET_OPTIONS)
        result.files.append(str(path))
    result.rejected = len(rejections)
    result.rejected_by_reason = dict(Counter(r["reason"] for r in rejections))
    return result


def _row_rejection(
    doc: Document, stage: str, reason: str, detail: str, excerpt: str, run_id: str
) -> dict[str, str]:
    return Rejection(doc.doc_id, doc.source, stage, reason, detail, excerpt).row(run_id)


def _stage_articles(
    rows: list[dict[str, Any]], stage_root: Path, run_id: str, shard: int, result: FinalShard
) -> None:
    by_language: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_language.setdefault(partition_value(row[PARTITION_COLUMN]), []).append(row)
    file_schema = ARTICLES_SCHEMA.remove(ARTICLES_SCHEMA.get_field_index(PARTITION_COLUMN))
    for language, group in sorted(by_language.items()):
        path = (
            stage_root / "articles" / f"language={language}" / f"part-{run_id}-{shard:05d}.parquet"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist(group, schema=ARTICLES_SCHEMA).drop_columns([PARTITION_COLUMN])
        pq.write_table(table.cast(file_schema), path, **PARQUET_OPTIONS)
        result.files.append(str(path))
    result.written = len(rows)
    result.by_language = dict(Counter(partition_value(r["language"]) for r in rows))
    result.by_site = dict(Counter(r["site"] or "(unknown)" for r in rows))
    result.duplicates += sum(1 for r in rows if r["duplicate_of"])
    result.removals_by_rule = dict(
        Counter(c["rule"] for r in rows for c in r["cleaning"] if c["action"] != "fixed")
    )
    result.with_date = sum(1 for r in rows if r["published_at"] is not None)
    result.with_title = sum(1 for r in rows if r["title"])
    result.with_authors = sum(1 for r in rows if r["authors"])
