"""Output equivalence of the per-document path: every Document (or rejection) before and after.

Usage (from the repository root):

    .venv/bin/python -m bench.text_path_equivalence --write   # record the reference outputs
    .venv/bin/python -m bench.text_path_equivalence           # compare the current code with it

Runs `cleaners.pipeline.clean_raw` over (a) the first 2,000 documents of the generated text
corpus (bench/out/throughput/text-10000, see bench/throughput/corpus.py), (b) the seeds in
../shared/seeds and every input under data/samples, and (c) the trafilatura-dev pages of
../shared/eval (HTML path). Each output is recorded field by field (`repr` of each field of
the Document, or the rejection's reason, detail, stage and excerpt). HTML documents also
record `extract_html`'s own output (pickled); the comparison feeds that recorded extraction to
`clean_raw`, so that it checks everything after extraction (markup checks, HTML dates, repair,
residue, enrich) even while cleaners/extract.py changes, and reports separately on how many
pages the current extraction differs from the recorded one.

The clock is fixed (`datetime.now` in cleaners.metadata.dates) so that "in the future" date
checks do not depend on the day the comparison runs.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import gzip
import hashlib
import json
import pickle
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TEXT_CORPUS = ROOT / "bench" / "out" / "throughput" / "text-10000" / "text-10000.jsonl.gz"
SEEDS = SHARED / "seeds"
SAMPLES = ROOT / "data" / "samples"
TRAFILATURA_DEV = SHARED / "eval" / "trafilatura-dev"
REFERENCE = ROOT / "bench" / "out" / "text_path_equivalence" / "reference.jsonl.gz"
TEXT_DOCS = 2000
FIXED_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class FixedClock(datetime):
    """`datetime` whose `now` is FIXED_NOW; at module level, so that its values pickle."""

    @classmethod
    def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
        return FIXED_NOW if tz is not None else FIXED_NOW.replace(tzinfo=None)


def _fix_clock() -> None:
    import cleaners.metadata.dates as dates

    dates.datetime = FixedClock  # type: ignore[misc]


def _raw(**fields: Any) -> Any:
    from cleaners.readers import RawDocument

    return RawDocument(**fields)


def text_corpus(limit: int = TEXT_DOCS) -> Iterator[Any]:
    with gzip.open(TEXT_CORPUS, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if number > limit:
                break
            record = json.loads(line)
            source = f"text-10000.jsonl.gz#L{number}"
            yield _raw(
                doc_id=str(record.get("id") or source),
                source=source,
                kind="text",
                content=record["text"],
                url=record.get("url"),
                source_group="text-10000",
            )


def _file_kind(name: str) -> str | None:
    bare = name.removesuffix(".gz")
    if bare.endswith((".html", ".htm")):
        return "html"
    if bare.endswith(".txt"):
        return "text"
    if bare.endswith(".jsonl"):
        return "jsonl"
    return None


def small_inputs() -> Iterator[Any]:
    """The seeds and the sample folder, read here (not with cleaners.readers) so that the
    comparison does not depend on the readers' own changes."""
    files = sorted(SEEDS.glob("*")) + sorted(p for p in SAMPLES.rglob("*") if p.is_file())
    for path in files:
        kind = _file_kind(path.name)
        if kind is None:
            continue
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        base = SEEDS if path.is_relative_to(SEEDS) else SAMPLES
        source = f"{base.name}/{path.relative_to(base)}"
        if kind != "jsonl":
            yield _raw(doc_id=source, source=source, kind=kind, content=data, source_group="s")
            continue
        for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:  # the samples hold a deliberately broken line
                continue
            if not isinstance(record, dict):
                continue
            body = record.get("html") if record.get("html") is not None else record.get("text")
            if not isinstance(body, str) or not body.strip():
                continue
            yield _raw(
                doc_id=f"{source}#L{number}",
                source=f"{source}#L{number}",
                kind="html" if record.get("html") is not None else "text",
                content=body,
                url=record.get("url"),
                title=record.get("title"),
                source_group="s",
            )


def html_pages() -> Iterator[Any]:
    with open(TRAFILATURA_DEV / "cases.jsonl", encoding="utf-8") as handle:
        for line in handle:
            case = json.loads(line)
            data = gzip.decompress((TRAFILATURA_DEV / case["file"]).read_bytes())
            source = f"trafilatura-dev/{case['id']}"
            yield _raw(
                doc_id=source, source=source, kind="html", content=data, url=case.get("url"),
                source_group="trafilatura-dev",
            )  # fmt: skip


def describe(raw: Any) -> dict[str, Any]:
    """Everything clean_raw produced for one input, as comparable strings."""
    from cleaners.document import RejectedDocument
    from cleaners.pipeline import clean_raw

    out: dict[str, Any] = {"source": raw.source}
    try:
        doc = clean_raw(raw)
    except RejectedDocument as error:
        out["rejected"] = [error.reason, error.detail, error.stage, error.excerpt]
    else:
        out["fields"] = {f.name: repr(getattr(doc, f.name)) for f in dataclasses.fields(doc)}
    return out


def _html_text(raw: Any) -> str:
    from cleaners.repair import decode_bytes

    html = raw.content
    return decode_bytes(html, is_html=True)[0] if isinstance(html, bytes) else str(html)


def _key(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()


def _with_new_fields(recorded: object) -> object:
    """A Document pickled by older code, given the defaults of fields added since."""
    if dataclasses.is_dataclass(recorded) and not isinstance(recorded, type):
        for field in dataclasses.fields(recorded):
            if not hasattr(recorded, field.name) and field.default is not dataclasses.MISSING:
                setattr(recorded, field.name, field.default)
    return recorded


def _extraction(raw: Any) -> tuple[str, str]:
    """(repr, pickled base64) of extract_html's result for the page: a Document or an error."""
    from cleaners.extract import extract_html

    try:
        result: Any = extract_html(_html_text(raw), raw.url)
    except Exception as error:  # recorded and replayed: the comparison is about what follows
        result = error
    return repr(result), base64.b64encode(pickle.dumps(result)).decode("ascii")


class Replay:
    """Stands in for extract_html: answers with the recorded extraction of each page."""

    def __init__(self) -> None:
        self.recorded: dict[str, Any] = {}

    def __call__(self, html: str, url: str | None, options: Any = None) -> Any:
        result = self.recorded[_key(html)]
        if isinstance(result, Exception):
            raise result
        return result


def all_inputs() -> Iterator[tuple[str, Any]]:
    for raw in text_corpus():
        yield "text-corpus", raw
    for raw in small_inputs():
        yield "seeds+samples", raw
    for raw in html_pages():
        yield "trafilatura-dev", raw


def _print_difference(before: dict[str, Any], after: dict[str, Any]) -> None:
    for key in ("rejected", "fields"):
        if before.get(key) == after.get(key):
            continue
        old, new = before.get(key) or {}, after.get(key) or {}
        if not (isinstance(old, dict) and isinstance(new, dict)):
            print(f"  {key}:\n    before {old}\n    after  {new}")
            continue
        for name in sorted(set(old) | set(new)):
            if old.get(name) != new.get(name):
                print(f"  {name}:\n    before {old.get(name)}\n    after  {new.get(name)}")


def write_reference(inputs: list[tuple[str, Any]], path: Path) -> None:
    started = time.process_time()
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for group, raw in inputs:
            result = describe(raw)
            if raw.kind == "html":
                result["extract"], result["extract_pickle"] = _extraction(raw)
                result["html_key"] = _key(_html_text(raw))
            handle.write(json.dumps({"group": group, **result}, ensure_ascii=False) + "\n")
    cpu = time.process_time() - started
    print(f"wrote {len(inputs)} reference outputs to {path} ({cpu:.1f} s CPU)")


def compare(inputs: list[tuple[str, Any]], path: Path) -> int:
    """Print every difference from the reference; the number of differing documents."""
    import cleaners.pipeline

    started = time.process_time()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        reference = {(r["group"], r["source"]): r for r in map(json.loads, handle)}
    replay = Replay()
    for record in reference.values():
        if "extract_pickle" in record:
            recorded = pickle.loads(base64.b64decode(record["extract_pickle"]))
            replay.recorded[record["html_key"]] = _with_new_fields(recorded)
    cleaners.pipeline.extract_html = replay  # type: ignore[assignment]
    compared = differing = extract_changed = 0
    counts: dict[str, int] = {}
    for group, raw in inputs:
        before = reference.get((group, raw.source))
        if before is None:
            print(f"MISSING in reference: {group} {raw.source}")
            differing += 1
            continue
        after = describe(raw)
        if before.get("fields") and after.get("fields"):  # fields added since are not compared
            after["fields"] = {k: v for k, v in after["fields"].items() if k in before["fields"]}
        compared += 1
        counts[group] = counts.get(group, 0) + 1
        if raw.kind == "html" and _extraction(raw)[0] != before["extract"]:
            extract_changed += 1
        if all(before.get(key) == after.get(key) for key in ("rejected", "fields")):
            continue
        differing += 1
        print(f"DIFFERENT: {group} {raw.source}")
        _print_difference(before, after)
    cpu = time.process_time() - started
    per_group = ", ".join(f"{group} {count}" for group, count in counts.items())
    print(
        f"compared {compared} documents ({per_group}): {differing} different "
        f"({cpu:.1f} s CPU); the current extract_html differs from the recorded one on "
        f"{extract_changed} pages (replayed, not part of this comparison)"
    )
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record the reference outputs")
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    parser.add_argument("--only", choices=["text-corpus", "seeds+samples", "trafilatura-dev"])
    args = parser.parse_args()
    _fix_clock()
    inputs = [(group, raw) for group, raw in all_inputs() if not args.only or group == args.only]
    if args.write:
        write_reference(inputs, args.reference)
        return
    sys.exit(1 if compare(inputs, args.reference) else 0)


if __name__ == "__main__":
    main()
