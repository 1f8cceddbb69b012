"""Builders for the quality tests: contract rows, tables and run summaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from cleaners.contract import articles_table
from cleaners.runlog import RunSummary
from cleaners.text import content_hash, word_count
from expectations import DatasetValidation

NOW = datetime.now(UTC).replace(microsecond=0)
PARAGRAPHS = (
    "Die Staats- und Regierungschefs der Organisation trafen sich am Donnerstag in Astana.",
    "Auf dem Gipfel wurde über Handel, Sicherheit und neue Zahlungssysteme gesprochen.",
    "Beobachter sehen in dem Treffen ein Signal an die westlichen Staaten.",
)
BODY = "\n\n".join(PARAGRAPHS)


def article(index: int = 0, **changes: Any) -> dict[str, Any]:
    """A contract row that passes every check unless `changes` break it."""
    text = changes.get("text", f"{BODY}\n\nMeldung {index}.")
    row: dict[str, Any] = {
        "doc_id": f"doc-{index}",
        "source": f"pages/{index}.html",
        "url": f"https://example.org/news/{index}",
        "site": "example.org",
        "title": "Gipfel in Astana endet mit Appell",
        "text": text,
        "language": "de",
        "language_score": 0.97,
        "published_at": NOW - timedelta(days=1),
        "published_at_source": "html-meta",
        "fetched_at": NOW,
        "authors": ["Anna Beispiel"],
        "editors": [],
        "agency": None,
        "dateline": "ASTANA",
        "tags": ["politik"],
        "word_count": word_count(text),
        "content_hash": content_hash(text),
        "duplicate_of": None,
        "cleaning": [],
        "run_id": "run-1",
    }
    row.update(changes)
    return row


def table_of(*rows: dict[str, Any]) -> pa.Table:
    return articles_table(rows)


def a_summary(run_id: str = "run-3", **changes: Any) -> RunSummary:
    """A finished, balanced run with a little of everything to chart."""
    figures: dict[str, Any] = dict(
        run_id=run_id,
        started_at="2026-11-23T02:00:00+00:00",
        finished_at="2026-11-23T02:05:00+00:00",
        sources=["/data/crawl"],
        inputs=12,
        read=120,
        written=100,
        rejected=20,
        duplicates=4,
        by_language={"de": 60, "fr": 30, "en": 10},
        by_site={"example.org": 70, "news.example": 30},
        rejected_by_reason={"body-too-short": 15, "residue-left": 5},
        removals_by_rule={"comment-form": 40, "share-buttons": 25, "<script>alert(1)</script>": 1},
        with_date=90,
        with_title=98,
        with_authors=10,
        stage_seconds={"read": 1.5, "validate": 3.25},
    )
    figures.update(changes)
    return RunSummary(**figures)


def history() -> list[RunSummary]:
    """Two earlier runs, oldest first."""
    return [
        a_summary(
            "run-1", started_at="2026-11-21T02:00:00+00:00", read=80, written=70, rejected=10
        ),
        a_summary("run-2", started_at="2026-11-22T02:00:00+00:00", read=90, written=85, rejected=5),
    ]


def validation(tmp_path: Path, success: bool = False) -> DatasetValidation:
    """A dataset verdict whose Data Docs page exists under `tmp_path`."""
    docs = tmp_path / "data_docs" / "index.html"
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text("<html></html>", encoding="utf-8")
    failures = [] if success else ["unique: expect_column_values_to_be_unique on doc_id: 2 rows"]
    return DatasetValidation(success, failures, tmp_path / "validation.json", docs)
