"""The manifest of processed inputs: what is new or changed since earlier runs, what it replaces."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cleaners.contract import read_articles, read_rejected
from cleaners.readers import InputFile, display_source

MANIFEST_SCHEMA = pa.schema(
    [
        pa.field("path", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("size", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
        pa.field("sha256", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    path: str
    source: str
    size: int
    mtime_ns: int
    sha256: str
    run_id: str


@dataclass
class Selection:
    """Inputs to process now, and the earlier sources whose rows they replace."""

    todo: list[InputFile]
    unchanged: int
    replaced_sources: list[str]
    entries: dict[str, ManifestEntry]  # the manifest as it will be after this run


def load_manifest(path: Path) -> dict[str, ManifestEntry]:
    if not path.exists():
        return {}
    return {row["path"]: ManifestEntry(**row) for row in pq.read_table(path).to_pylist()}


def save_manifest(path: Path, entries: dict[str, ManifestEntry]) -> None:
    rows = [vars_of(e) for e in sorted(entries.values(), key=lambda e: e.path)]
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=MANIFEST_SCHEMA), path)


def vars_of(entry: ManifestEntry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in MANIFEST_SCHEMA.names}


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""  # unreadable now: processed (and rejected) again next time
    return digest.hexdigest()


def select_inputs(
    files: Iterable[InputFile], manifest: dict[str, ManifestEntry], run_id: str
) -> Selection:
    """New and changed inputs; an input whose size and mtime, or bytes, are unchanged is skipped."""
    entries = dict(manifest)
    todo: list[InputFile] = []
    replaced: list[str] = []
    unchanged = 0
    taken = {entry.source: entry.path for entry in manifest.values()}
    for item in files:
        key = _key(item)
        known = manifest.get(key)
        # An input keeps the source it was first recorded under, and a new one gets a source
        # no other input has: rows are found and replaced by source, and ids derive from it.
        source = known.source if known else distinct_source(item.source, key, taken)
        taken[source] = key
        item = replace(item, source=source)
        if _same_stat(item, known):
            unchanged += 1
            continue
        digest = file_sha256(item.path)
        if known and digest and known.sha256 == digest:
            unchanged += 1
            entries[key] = ManifestEntry(
                key, known.source, item.size, item.mtime_ns, digest, known.run_id
            )
            continue
        if known:
            replaced.append(known.source)
        todo.append(item)
        entries[key] = ManifestEntry(key, item.source, item.size, item.mtime_ns, digest, run_id)
    return Selection(todo, unchanged, replaced, entries)


def distinct_source(source: str, path: str, taken: dict[str, str]) -> str:
    """`source`, or with the folders above it in `path` put before it until no other path has it.

    Two folders of the same name given to one run ("x/news", "y/news") would otherwise give
    their files the same source ("news/a.txt").

    >>> taken = {"news/a.txt": "/data/x/news/a.txt"}
    >>> distinct_source("news/a.txt", "/data/y/news/a.txt", taken)
    'y/news/a.txt'
    >>> distinct_source("news/a.txt", "/data/x/news/a.txt", taken)
    'news/a.txt'
    """
    whole = Path(path)
    above = [part for part in whole.parent.parts if part != whole.anchor]
    del above[max(0, len(above) - source.count("/")) :]  # the folders `source` already names
    while taken.get(source, path) != path:
        if not above:
            return path  # every folder is in it: only the whole path is left, and it is unique
        source = f"{display_source(above.pop())}/{source}"
    return source


def any_new_inputs(files: Iterable[InputFile], manifest: dict[str, ManifestEntry]) -> bool:
    """Whether `select_inputs` may find an input to process: one whose size or mtime changed.

    Reads no input's bytes: an input touched but unchanged counts as new here.
    """
    return any(not _same_stat(item, manifest.get(_key(item))) for item in files)


def _key(item: InputFile) -> str:
    return str(Path(item.path).resolve())


def _same_stat(item: InputFile, known: ManifestEntry | None) -> bool:
    # An input that could not be read (no digest) is read again: its permissions or its disk
    # may have been fixed without its size or time changing.
    return (
        known is not None
        and bool(known.sha256)
        and known.size == item.size
        and known.mtime_ns == item.mtime_ns
    )


def rows_of_sources(table: pa.Table, sources: Iterable[str]) -> pa.Array:
    """A mask of the rows that came from any of `sources` (a JSON line's source is `file#L<n>`)."""
    wanted = list(sources)
    column = table.column("source")
    mask = pc.is_in(column, value_set=pa.array(wanted, pa.string()))
    for source in wanted:
        mask = pc.or_(mask, pc.starts_with(column, source + "#L"))
    return mask


def doc_ids_of_sources(out: Path, sources: list[str]) -> set[str]:
    """The doc_ids of the published rows (articles and rejected) that came from `sources`."""
    if not sources:
        return set()
    found: set[str] = set()
    for table in (
        read_articles(out / "articles", columns=["source", "doc_id"]),
        read_rejected(out / "rejected").select(["source", "doc_id"]),
    ):
        found.update(table.filter(rows_of_sources(table, sources)).column("doc_id").to_pylist())
    return found


def superseded_parts(
    out: Path, sources: list[str], rejections_of: Iterable[str] = ()
) -> list[tuple[str, pa.Table | None]]:
    """Published part files holding rows of `sources`, or rejections of `rejections_of`: each
    with what remains (None: nothing)."""
    changes: list[tuple[str, pa.Table | None]] = []
    for folder, wanted in (("articles", sources), ("rejected", [*sources, *rejections_of])):
        if not wanted:
            continue
        for path in sorted((out / folder).rglob("*.parquet")):
            sources_only = pq.read_table(path, columns=["source"])
            if not pc.any(rows_of_sources(sources_only, wanted)).as_py():
                continue
            table = pq.read_table(path)
            remaining = table.filter(pc.invert(rows_of_sources(table, wanted)))
            relative = path.relative_to(out).as_posix()
            changes.append((relative, remaining if remaining.num_rows else None))
    return changes
