"""What one shard's tasks do, importable without Prefect so that worker processes stay lean."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from cleaners.boilerplate import BoilerplateIndex
from cleaners.contract import null_counts, read_articles
from cleaners.dedup import DedupIndex, prepare_signatures
from cleaners.manifest import doc_ids_of_sources, rows_of_sources
from cleaners.metadata.language import load_models
from cleaners.options import CleanOptions
from cleaners.residue import prepare_rules
from cleaners.shard import (
    CleanedShard,
    FinalShard,
    clean_shard,
    finalize_shard,
    load_entries,
    load_fingerprints,
)
from cleaners.store import BOILERPLATE, DEDUP_INDEX
from expectations import (
    DatasetValidation,
    QualityOptions,
    prepare_row_checks,
    suites,
    validate_dataset,
    validate_rows,
)
from flows.collector import collection_paused

__all__ = [
    "RunIndex",
    "clean_shard",
    "finalize_with_maps",
    "forget_refused",
    "index_run",
    "prepare_shard_work",
    "validate_stage",
]


def prepare_shard_work() -> None:
    """Load now what cleaning and checking shards would otherwise load on their first documents.

    Great Expectations (its import alone takes seconds), the language models that articles
    need, the signatures' character tables, and the residue rules and row checks with their
    screens (for the default languages). HTML pages need htmldate's date parser as well:
    `cleaners.metadata.dates.prepare_htmldate`.
    """
    import great_expectations  # noqa: F401 - the row checks' import, done now

    load_models()
    prepare_signatures()
    prepare_rules()
    prepare_row_checks()


@dataclass(frozen=True, slots=True)
class RunIndex:
    """Where the run's duplicate and learned-boilerplate maps were written, and their counts."""

    duplicates_path: str
    learned_path: str
    duplicates: int
    sites: int
    sites_learned: int


def index_run(
    cleaned: list[CleanedShard],
    out: str,
    stage_root: str,
    replaced_sources: list[str],
    refused: list[str],
) -> RunIndex:
    """Find duplicates and learn boilerplate across the whole run; write both maps as JSON.

    `replaced_sources` are the changed inputs whose published rows this run replaces;
    `refused` the documents that finalising rejected, left out of duplicate matching.
    """
    out_dir, root = Path(out), Path(stage_root)
    replaced = doc_ids_of_sources(out_dir, replaced_sources)
    dedup = DedupIndex.load(out_dir / DEDUP_INDEX)
    dedup.forget(replaced)
    left_out = set(refused)
    entries = load_entries(s.entries_path for s in cleaned)
    duplicates = dedup.assign([entry for entry in entries if entry.doc_id not in left_out])
    dedup.save(root / DEDUP_INDEX)
    boilerplate = BoilerplateIndex.load(out_dir / BOILERPLATE)
    groups: set[str] = set()
    for shard in cleaned:
        for group, documents in load_fingerprints(shard).items():
            groups.add(group)
            for doc_id, fingerprints in documents:
                # A document of a changed input was counted when its first version was
                # cleaned: counted again, every rewrite of a growing feed would add its lines
                # once more, until a site's own articles looked like its template.
                if doc_id not in replaced:
                    boilerplate.observe(group, frozenset(fingerprints))
    boilerplate.save(root / BOILERPLATE)
    learned = {group: sorted(boilerplate.learned(group)) for group in groups}
    work = root / "work"
    duplicates_path, learned_path = work / "duplicates.json", work / "learned.json"
    duplicates_path.write_text(json.dumps(duplicates), encoding="utf-8")
    learned_path.write_text(json.dumps(learned), encoding="utf-8")
    return RunIndex(
        str(duplicates_path),
        str(learned_path),
        duplicates=len(duplicates),
        sites=len(groups),
        sites_learned=sum(1 for lines in learned.values() if lines),
    )


def forget_refused(stage_root: str, refused: list[str]) -> None:
    """Drop from the run's staged dedup index the documents that finalising rejected: a later
    run's copy of one must not point at a row that was never written."""
    path = Path(stage_root) / DEDUP_INDEX
    index = DedupIndex.load(path)
    index.forget(refused)
    index.save(path)


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


def validate_stage(
    stage_root: str, run_id: str, languages: tuple[str, ...], out: str, replaced: list[str]
) -> DatasetValidation:
    """Validate the run's staged articles; write the validation JSON and Data Docs.

    The run's text is never held at once: only its missing values are counted, batch by batch.
    Its document ids are checked against those of the published articles that stay beside
    them: all but the rows of the `replaced` sources.
    """
    folder = Path(stage_root) / "articles"
    with collection_paused():  # imported already, except in a run whose shards went to Dask
        import great_expectations  # noqa: F401
    return validate_dataset(
        read_articles(folder, columns=suites.DATASET_COLUMNS),
        QualityOptions(languages=languages),
        Path(stage_root) / "reports" / run_id,
        large_column_nulls=null_counts(folder, suites.LARGE_COLUMNS),
        published_ids=_published_ids(Path(out) / "articles", replaced),
    )


def _published_ids(folder: Path, replaced: list[str]) -> pa.Array:
    published = read_articles(folder, columns=["doc_id", "source"])
    if replaced:
        published = published.filter(pc.invert(rows_of_sources(published, replaced)))
    return published.column("doc_id").combine_chunks()
