"""Row checks on real pages: trafilatura alone (baseline) vs newsclean, and validation speed."""

import collections
import gzip
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import ftfy.badness
import trafilatura

from cleaners import RejectedDocument, clean_html, detect_language
from cleaners.contract import articles_table
from cleaners.text import content_hash, word_count
from expectations import QualityOptions, validate_dataset, validate_rows
from expectations.checks import (
    load_residue_patterns,
    mojibake_badness,
    most_repeated_line,
    residue_lines,
)

EVAL = Path("../shared/eval/trafilatura-dev")
FETCHED = datetime(2030, 1, 1, tzinfo=UTC)
cases = [json.loads(line) for line in (EVAL / "cases.jsonl").open(encoding="utf-8")]
options = QualityOptions()


def baseline_row(case, html):
    text = trafilatura.extract(html, url=case["url"]) or ""
    meta = trafilatura.extract_metadata(html, default_url=case["url"])
    language, score = detect_language(text) if text else ("und", 0.0)
    return {
        "doc_id": case["id"],
        "source": case["file"],
        "url": case["url"],
        "site": None,
        "title": meta.title if meta else None,
        "text": text,
        "language": language,
        "language_score": score,
        "published_at": None,
        "published_at_source": None,
        "fetched_at": FETCHED,
        "authors": [meta.author] if meta and meta.author else [],
        "editors": [],
        "agency": None,
        "dateline": None,
        "tags": [],
        "word_count": word_count(text),
        "content_hash": content_hash(text),
        "duplicate_of": None,
        "cleaning": [],
        "run_id": "bench",
    }


baseline, newsclean, rejected_upstream = [], [], 0
for case in cases:
    html = gzip.decompress((EVAL / case["file"]).read_bytes())
    baseline.append(baseline_row(case, html))
    try:
        row = clean_html(html, url=case["url"], fetched_at=FETCHED)
    except RejectedDocument:
        rejected_upstream += 1
        continue
    newsclean.append({**row, "doc_id": case["id"], "run_id": "bench"})

print(f"pages {len(cases)}; newsclean rejected {rejected_upstream} before validation")
for name, rows in (("baseline trafilatura.extract", baseline), ("newsclean clean_html", newsclean)):
    table = articles_table(rows)
    validate_rows(table.slice(0, 1), options)  # Great Expectations loaded outside the timing
    started = time.perf_counter()
    failures = validate_rows(table, options)
    seconds = time.perf_counter() - started
    by_reason = collections.Counter(f.reason for f in failures)
    failing = len({f.doc_id for f in failures})
    print(
        f"\n{name}: {table.num_rows} rows, {failing} fail a row check "
        f"({failing / table.num_rows:.1%}); validate_rows {seconds:.2f} s"
    )
    for reason, count in sorted(by_reason.items()):
        print(f"  {reason:26} {count:4}")

rows = [{**row, "doc_id": f"{row['doc_id']}-{i}"} for i in range(3) for row in newsclean]
shard = articles_table(rows[:2000])
started = time.perf_counter()
validate_rows(shard, options)
print(
    f"\nvalidate_rows, 2,000-row shard ({sum(map(len, shard['text'].to_pylist())):,} chars): "
    f"{time.perf_counter() - started:.2f} s"
)
texts = shard["text"].to_pylist()
patterns = load_residue_patterns(options.languages)
started = time.perf_counter()
for text, language in zip(texts, shard["language"].to_pylist(), strict=True):
    _ = (residue_lines(text, patterns), mojibake_badness(text), most_repeated_line(text))
    _ = len(text.strip()) >= options.min_body_chars_for(language)
print(
    f"baseline, the same body checks as a plain Python loop: {time.perf_counter() - started:.2f} s"
)
started = time.perf_counter()
exact = [mojibake_badness(text) for text in texts]
windowed = time.perf_counter() - started
started = time.perf_counter()
assert exact == [ftfy.badness.badness(text) for text in texts]
print(
    f"mojibake count over the shard: ftfy.badness.badness {time.perf_counter() - started:.2f} s, "
    f"expectations.checks.mojibake_badness {windowed:.2f} s (same counts)"
)
started = time.perf_counter()
result = validate_dataset(shard, options, Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/q"))
print(
    f"validate_dataset with Data Docs, 2,000 rows: {time.perf_counter() - started:.2f} s; "
    f"success {result.success}; failures {result.failures}"
)
