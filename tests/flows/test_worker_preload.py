"""The workers' preload builds, once, everything a shard worker would otherwise build lazily.

Each shard runs in a fresh fork of the forkserver, so whatever a first document or first row
check builds on demand would be built again for every shard.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flows.processes import usable_cores

# Run in a fresh interpreter: the test session has long since built all of this itself.
# After the preload, every lazy builder is made to fail; a worker's work must not reach one.
AFTER_PRELOAD = textwrap.dedent(
    """
    import flows.worker_preload  # the forkserver's preload, for a run with HTML pages
    import flows.worker_preload_html
    from dateparser.languages.dictionary import Dictionary
    from htmldate.extractors import get_external_parser

    import fasttext

    import cleaners.dedup as dedup
    import cleaners.residue.engine as engine
    import expectations.checks as checks
    from cleaners.contract import article_row, articles_table
    from cleaners.pipeline import clean_raw
    from cleaners.readers import RawDocument
    from expectations import validate_rows

    tables_built = dedup._char_tables.cache_info().misses
    assert tables_built == 1, tables_built

    def built_lazily(*args, **kwargs):
        raise AssertionError("built after the preload")

    engine._screen = built_lazily
    fasttext.load_model = built_lazily
    checks.line_screen = built_lazily
    Dictionary._construct_split_regex = built_lazily
    Dictionary._construct_split_relative_regex = built_lazily

    body = "\\n\\n".join([
        "LEAVE A REPLY",
        "Ministers met in Astana on Thursday to agree on new rules for the grain trade "
        "and for the shipping routes that carry it across the Caspian Sea.",
        "Leggi anche: altre notizie",
        "Die Minister einigten sich nach langen Gesprächen auf neue Regeln für den Handel, "
        "die im kommenden Jahr in Kraft treten sollen. " * 6,
        "Kommentar (0)",
    ])
    raw = RawDocument("d1", "seed.txt", "text", body, url="https://news.example.com/a/1")
    doc = clean_raw(raw)
    assert "LEAVE A REPLY" not in doc.text and doc.cleaning, doc.text
    assert dedup.entries_of([doc], first_order=0)
    assert dedup._char_tables.cache_info().misses == tables_built
    row = article_row(doc)
    row["run_id"] = "run-1"
    failures = validate_rows(articles_table([row]))
    assert not failures, failures
    found = get_external_parser().get_date_data("18 de abril de 2024")["date_obj"]
    assert found is not None and found.year == 2024 and found.month == 4, found
    print("prepared")
    """
)


def run_fresh(script: str, *args: str) -> str:
    """Run `script` in a fresh interpreter, which must end by printing "prepared"; its stderr."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("prepared")
    return done.stderr


def test_a_worker_builds_no_screen_date_pattern_or_character_table_after_the_preload() -> None:
    run_fresh(AFTER_PRELOAD)


# A run of plain text preloads without htmldate's parser: its documents never reach it.
TEXT_ONLY = textwrap.dedent(
    """
    import sys

    import flows.worker_preload  # the forkserver's preload, for a run of plain text
    from cleaners.pipeline import clean_raw
    from cleaners.readers import RawDocument

    body = "Ministers met in Astana on 18 April 2024 to agree on new rules for the grain trade."
    doc = clean_raw(RawDocument("d1", "seed.txt", "text", body * 3))
    assert doc.text, doc
    assert "dateparser" not in sys.modules
    print("prepared")
    """
)


def test_plain_text_never_needs_the_html_date_parser_left_out_of_its_preload() -> None:
    run_fresh(TEXT_ONLY)


# A run that cleans in worker processes validates in one too: the workers' forkserver imported
# Great Expectations already, so the run's own process never does.
RUN_WITH_WORKERS = textwrap.dedent(
    """
    import json
    import random
    import sys
    from pathlib import Path

    from flows.cli import main
    from flows.startup import WORKER_RUN_INPUT_BYTES

    folder = Path(sys.argv[1])
    words = "grain trade ministers summit harbour shipping routes rules talks".split()
    rng = random.Random(7)
    documents = []
    while sum(len(line) for line in documents) < WORKER_RUN_INPUT_BYTES:
        paragraphs = [
            " ".join(rng.choice(words) for _ in range(40)).capitalize() + "." for _ in range(8)
        ]
        documents.append(json.dumps({"text": "\\n\\n".join(paragraphs)}))
    (folder / "in.jsonl").write_text("\\n".join(documents) + "\\n", encoding="utf-8")
    status = main(["run", str(folder / "in.jsonl"), "--out", str(folder / "out"),
                   "--shard-size", str(len(documents) // 3)])
    assert status == 0, status
    runs = list((folder / "out" / "state" / "runs").glob("*.json"))
    summary = json.loads(runs[0].read_text(encoding="utf-8"))
    assert summary["read"] == len(documents), summary
    assert summary["quality_success"] is not None, summary
    assert (folder / "out" / "reports" / summary["run_id"] / "validation.json").is_file()
    assert "great_expectations" not in sys.modules
    print("prepared")
    """
)


@pytest.mark.skipif(usable_cores() < 2, reason="one core: the run cleans in its own process")
def test_a_run_with_worker_processes_validates_in_one_and_never_imports_great_expectations(
    tmp_path: Path,
) -> None:
    log = run_fresh(RUN_WITH_WORKERS, str(tmp_path))
    # The run's log follows the shard stages, with the time left while they go on.
    assert re.search(r"cleaned 1 of [3-4] shards \([\d,]+ documents, .*; about .* left", log), log
    assert re.search(r"finalised ([3-4]) of \1 shards", log), log
