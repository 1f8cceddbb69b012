"""End to end: the real flow on the samples plus broken inputs, read back from Parquet."""

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from cleaners.contract import (
    ARTICLES_SCHEMA,
    PARTITION_COLUMN,
    REJECTED_SCHEMA,
    read_articles,
    read_rejected,
)
from cleaners.readers import discover
from cleaners.runlog import load_history
from flows.runner import run_flow
from flows.settings import RunSettings
from flows.startup import WORKER_RUN_INPUT_BYTES, expects_worker_processes

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
INPUT_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".ndjson")


def expected_sources(root: Path) -> list[str]:
    """Every document the inputs hold, named as the pipeline names its `source`."""
    sources = []
    for path in sorted(root.rglob("*")):
        name = path.name.lower().removesuffix(".gz")
        if not path.is_file() or not name.endswith(INPUT_SUFFIXES):
            continue
        relative = path.relative_to(root).as_posix()
        if name.endswith((".jsonl", ".ndjson")):
            opener: Any = gzip.open if path.name.endswith(".gz") else open
            with opener(path, "rb") as handle:
                count = len(handle.read().splitlines())
            sources += [f"{relative}#L{n}" for n in range(1, count + 1)]
        else:
            sources.append(relative)
    return sources


def add_broken_inputs(folder: Path) -> dict[str, str]:
    """Bad inputs mixed among the good ones, with the reason each must be rejected for."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "menu-only.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    records = [
        json.dumps({"id": "broken-feed-1", "text": "A short but real line of text " * 5}),
        '{"id": "broken-feed-2", "text": ',
        json.dumps({"id": "broken-feed-3", "html": 42}),
    ]
    (folder / "feed.jsonl").write_text("\n".join(records) + "\n")
    full = gzip.compress(b"Some text that will be cut off. " * 200)
    (folder / "cut.txt.gz").write_bytes(full[: len(full) // 3])
    return {
        "broken/empty.txt": "empty",
        "broken/image.txt": "binary",
        "broken/feed.jsonl#L2": "bad-json",
        "broken/feed.jsonl#L3": "bad-record",
        "broken/cut.txt.gz": "unreadable",
    }


@pytest.fixture(scope="module")
def sample_run(prefect_api: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    inputs = tmp_path_factory.mktemp("in") / "inputs"
    shutil.copytree(SAMPLES, inputs / "samples")
    broken = add_broken_inputs(inputs / "broken")
    out = tmp_path_factory.mktemp("out")
    summary = run_flow(RunSettings(sources=[str(inputs)], out=out, shard_size=5))
    return {"summary": summary, "inputs": inputs, "out": out, "broken": broken}


def test_written_dataset_has_exactly_the_contract_schema(sample_run: dict[str, Any]) -> None:
    out: Path = sample_run["out"]
    articles = read_articles(out / "articles")
    assert articles.schema.equals(ARTICLES_SCHEMA)
    assert articles.num_rows > 0
    file_schema = ARTICLES_SCHEMA.remove(ARTICLES_SCHEMA.get_field_index(PARTITION_COLUMN))
    parts = sorted((out / "articles").rglob("*.parquet"))
    assert parts
    for part in parts:
        assert pq.read_schema(part).remove_metadata().equals(file_schema), part
        assert part.parent.name.startswith(f"{PARTITION_COLUMN}=")
        assert pq.ParquetFile(part).metadata.row_group(0).column(0).compression == "ZSTD"
    assert read_rejected(out / "rejected").schema.equals(REJECTED_SCHEMA)


def test_every_input_document_is_exactly_one_row(sample_run: dict[str, Any]) -> None:
    out: Path = sample_run["out"]
    summary = sample_run["summary"]
    articles = read_articles(out / "articles").column("source").to_pylist()
    rejected = read_rejected(out / "rejected").column("source").to_pylist()
    expected = expected_sources(sample_run["inputs"])
    assert sorted(articles + rejected) == sorted(expected)
    assert summary.read == len(expected) == summary.written + summary.rejected
    assert (summary.written, summary.rejected) == (len(articles), len(rejected))


def test_broken_inputs_are_rejected_with_their_reasons(sample_run: dict[str, Any]) -> None:
    rejected = read_rejected(sample_run["out"] / "rejected").to_pylist()
    reasons = {row["source"]: row["reason"] for row in rejected}
    for source, reason in sample_run["broken"].items():
        assert reasons.get(source) == reason, source
    assert all(row["detail"] and row["run_id"] == sample_run["summary"].run_id for row in rejected)


def test_rows_are_cleaned_and_enriched(sample_run: dict[str, Any]) -> None:
    rows = read_articles(sample_run["out"] / "articles").to_pylist()
    assert len({row["doc_id"] for row in rows}) == len(rows)
    languages = {row["language"] for row in rows}
    assert len(languages - {"und"}) >= 5
    for row in rows:
        assert row["text"].strip() and "\n\n\n" not in row["text"]
        assert row["word_count"] > 0 and len(row["content_hash"]) >= 16
        assert 0.0 <= row["language_score"] <= 1.0
    removed = [c for row in rows for c in row["cleaning"] if c["action"] == "removed"]
    assert removed, "the samples carry residue, so something must have been removed"
    assert any(row["published_at"] is not None for row in rows)
    assert any(row["title"] for row in rows)


def test_run_leaves_a_report_a_manifest_and_history(sample_run: dict[str, Any]) -> None:
    out: Path = sample_run["out"]
    summary = sample_run["summary"]
    assert (out / "reports" / summary.run_id / "index.html").is_file()
    assert (out / "state" / "manifest.parquet").is_file()
    assert [run.run_id for run in load_history(out)] == [summary.run_id]
    assert not (out / ".staging").exists() or not any((out / ".staging").iterdir())


def test_rerun_with_nothing_new_writes_nothing(sample_run: dict[str, Any]) -> None:
    out: Path = sample_run["out"]
    before = sorted(p.relative_to(out) for p in out.rglob("*.parquet"))
    summary = run_flow(RunSettings(sources=[str(sample_run["inputs"])], out=out))
    assert summary.read == 0 and summary.skipped_inputs == summary.inputs > 0
    assert sorted(p.relative_to(out) for p in out.rglob("*.parquet")) == before


def expects_workers(settings: RunSettings) -> bool:
    return expects_worker_processes(settings, discover(settings.sources)[0])


def test_only_large_local_runs_start_the_workers_early(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text("A short article.\n", encoding="utf-8")
    large = tmp_path / "large" / "feed.jsonl"
    large.parent.mkdir()
    large.write_bytes(b"x" * WORKER_RUN_INPUT_BYTES)
    out = tmp_path / "out"
    assert not expects_workers(RunSettings(sources=[str(small)], out=out))
    assert expects_workers(RunSettings(sources=[str(large.parent)], out=out))
    assert not expects_workers(RunSettings(sources=[str(large)], out=out, workers=2))
    assert not expects_workers(RunSettings(sources=[str(tmp_path / "missing")], out=out))


def test_a_scheduled_run_failing_its_quality_checks_ends_failed_with_the_reason(
    prefect_api: None, tmp_path: Path
) -> None:
    from flows.runner import deployed_clean_news

    # Two short articles without authors or dates: below the dataset's coverage floors.
    source = tmp_path / "desk"
    source.mkdir()
    for town in ("Kiel", "Emden"):
        sentences = [
            f"The harbour of {town} will get two new cranes in the spring, the port said.",
            "They replace machines that have worked on the quay for thirty years now.",
            "Each new crane can lift two containers at once and runs on electricity alone.",
        ]
        (source / f"{town.lower()}.txt").write_text(f"Cranes for {town}\n" + "\n".join(sentences))
    settings = RunSettings(sources=[str(source)], out=str(tmp_path / "out"), fail_on_quality=True)
    state = deployed_clean_news(settings, return_state=True)
    assert state.is_failed()
    # the reason itself, not an exception's wrapping of it
    assert state.message is not None and state.message.startswith("quality checks failed: ")
    assert len(read_articles(tmp_path / "out" / "articles")) == 2  # it completed and published


def test_a_run_that_finds_its_folder_taken_after_start_up_ends_failed_in_one_line(
    prefect_api: None, tmp_path: Path
) -> None:
    from cleaners.store import OutputLock
    from flows.pipeline import clean_news
    from flows.runner import deployed_clean_news

    out = tmp_path / "out"
    settings = RunSettings(sources=[str(SAMPLES / "example-wire")], out=out)
    # Another run took the folder between this run's check and its flow's start.
    with OutputLock(out):
        states = [
            clean_news(settings, return_state=True),
            deployed_clean_news(settings, return_state=True),
        ]
    for state in states:
        assert state.is_failed()
        assert state.message is not None and state.message.startswith(f"{out} is in use by pid")
    assert not (out / "articles").exists()


def test_a_row_rejected_after_cleaning_shows_the_input_s_first_bytes(
    prefect_api: None, tmp_path: Path
) -> None:
    from cleaners.contract import escape_excerpt

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    story = SAMPLES / "example-wire" / "2026-11-18-hamburg-terminal-cranes.txt"
    for name in ("a.txt", "b.txt"):
        shutil.copy(story, inputs / name)
    out = tmp_path / "out"
    run_flow(RunSettings(sources=[str(inputs)], out=out, drop_duplicates=True))
    (dropped,) = read_rejected(out / "rejected").to_pylist()
    assert dropped["reason"] == "duplicate"
    # the input as it came (its first line is the headline, which the clean text no longer has)
    assert dropped["excerpt"] == escape_excerpt(story.read_bytes())
