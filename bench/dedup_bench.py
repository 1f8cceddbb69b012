"""Duplicate detection: precision/recall on labelled copies, throughput and memory at scale.

Usage (from the repository root):

    .venv/bin/python bench/dedup_bench.py                # quality + 100k throughput + memory
    .venv/bin/python bench/dedup_bench.py --sweep        # Jaccard by kind of copy, shingle 1-4
    .venv/bin/python bench/dedup_bench.py --parts index --index-docs 100000
    .venv/bin/python bench/dedup_bench.py --parts assign --texts FILE.jsonl.gz [--compare OLD.py]

Texts come from the trafilatura-dev and htmldate-dev pages (extracted once with trafilatura,
cached under bench/out/). Copies are made by kind (residue added, truncated, paragraphs
reordered, 5% of words changed, title changed) and must be found; different articles of one
(pseudo-)site, sharing its template residue, and pages of one real host must not.
The baseline is datasketch's MinHash (128 permutations) + MinHashLSH used straightforwardly
over the same word 3-shingles, measured in the same run.

The `assign` part measures one `DedupIndex.assign` over the texts of a JSON-lines file (raw
texts, signed without the other cleaners) in a fresh process: CPU seconds and peak RSS.
`--compare` measures another version of cleaners/dedup.py (e.g. one from `git show`) on the
same entries in the same run, and checks that both give the same duplicate map.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaners import dedup  # noqa: E402
from cleaners.dedup import DedupEntry, DedupIndex, signatures_of  # noqa: E402
from cleaners.text import content_hash, word_count  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
CACHE = ROOT / "bench" / "out" / "dedup_texts.jsonl"
MIN_WORDS = 50  # shorter extractions (error pages, stubs) are not articles
SITE_SIZE = 5  # articles per pseudo-site sharing one template
KINDS = ("residue", "truncated", "reordered", "changed", "retitled")

# Kinds of template residue a site wraps around every article (written for this benchmark).
HEADERS = [
    "Home › News › {section}",
    "{site} — independent news since {year}",
    "Subscribe to the {site} newsletter and never miss a story",
    "Menu Search Login {section} Sport Culture Opinion",
]
FOOTERS = [
    "Share this article: Facebook Twitter WhatsApp Email Print",
    "Related articles: More from {section} on {site}",
    "© {year} {site} Media Group. All rights reserved. Reproduction without permission is "
    "prohibited.",
    "Comments (0) — Leave a reply. Your email address will not be published.",
    "Read more: the latest {section} headlines, updated every hour",
    "We use cookies to improve your experience. Accept all / Settings",
]
SECTIONS = ["Politics", "World", "Economy", "Local", "Science", "Tech", "Health"]
WORD = re.compile(r"\w+")
# Words as cleaners.text counts them: each character of an unspaced script is one word.
UNSPACED_CHARS = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f"
UNSPACED = re.compile(rf"[{UNSPACED_CHARS}]")
PIECE = re.compile(rf"[{UNSPACED_CHARS}]|[^\W{UNSPACED_CHARS}]+|\W+")


def load_texts() -> list[dict[str, str | None]]:
    """Extracted texts of every page, cached in bench/out (trafilatura takes ~40 s on 2 cores)."""
    if not CACHE.exists():
        jobs = []
        for name in ("trafilatura-dev", "htmldate-dev"):
            for line in (EVAL / name / "cases.jsonl").read_text().splitlines():
                case = json.loads(line)
                jobs.append((name, str(EVAL / name / case["file"]), case.get("url")))
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        with ProcessPoolExecutor(2) as pool:
            records = list(pool.map(_extract, jobs, chunksize=8))
        CACHE.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return [json.loads(line) for line in CACHE.read_text().splitlines()]


def _extract(job: tuple[str, str, str | None]) -> dict[str, str | None]:
    import trafilatura

    name, path, url = job
    with gzip.open(path, "rb") as page:
        html = page.read()
    return {"set": name, "path": path, "url": url, "text": trafilatura.extract(html, url=url)}


@dataclass
class Article:
    story: int  # label: copies of one story share it
    site: str
    text: str


def base_articles(records: list[dict[str, str | None]]) -> list[Article]:
    """One article per distinct page: the same URL in both sets, or the same text, is one story."""
    articles: list[Article] = []
    story_of_url: dict[str, int] = {}
    story_of_hash: dict[str, int] = {}
    for record in records:
        text = record["text"] or ""
        if word_count(text) < MIN_WORDS:
            continue
        url, digest = record["url"], content_hash(text)
        story = story_of_url.get(url or "", story_of_hash.get(digest, -1))
        if story >= 0:
            continue  # the same page seen twice: keep one copy as the base
        story = len(articles)
        story_of_hash[digest] = story
        if url:
            story_of_url[url] = story
        host = urlsplit(url).hostname if url else None
        articles.append(Article(story, host or f"nohost-{story}", text))
    return articles


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n+", text) if p.strip()]


def template(site_number: int) -> tuple[list[str], list[str]]:
    rng = random.Random(site_number)
    fill = {
        "site": f"Site{site_number:04d} News",
        "section": rng.choice(SECTIONS),
        "year": str(rng.randrange(1995, 2024)),
    }
    head = [h.format(**fill) for h in rng.sample(HEADERS, 2)]
    foot = [f.format(**fill) for f in rng.sample(FOOTERS, 3)]
    return head, foot


def make_copy(text: str, kind: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    """A copy of the article as another site or scrape would have it."""
    parts = _paragraphs(text)
    if kind == "residue":
        head, foot = template(rng.randrange(10**6))
        return "\n".join([*head, *parts, *foot])
    if kind == "truncated":  # the tail cut off (paywall, "read more"), about 15% of the words
        pieces = PIECE.findall(text)
        words = [i for i, piece in enumerate(pieces) if WORD.match(piece)]
        return "".join(pieces[: words[int(len(words) * 0.85)]]).rstrip() + " …"
    if kind == "reordered":
        if len(parts) < 2:
            sentences = re.split(r"(?<=[.!?。！？]) ?", text)
            cut = len(sentences) // 2
            return " ".join(sentences[cut:] + sentences[:cut])
        moved = parts.pop(rng.randrange(len(parts)))
        parts.insert(rng.randrange(len(parts) + 1), moved)
        if len(parts) > 2:
            i = rng.randrange(len(parts) - 1)
            parts[i], parts[i + 1] = parts[i + 1], parts[i]
        return "\n".join(parts)
    if kind == "changed":  # 5% of the words replaced by other words (edits, synonyms, typos)
        pieces = PIECE.findall(text)
        words = [i for i, piece in enumerate(pieces) if WORD.match(piece)]
        for i in rng.sample(words, max(1, len(words) // 20)):
            unspaced = UNSPACED.match(pieces[i])
            pieces[i] = rng.choice(pieces[rng.choice(words)] if unspaced else vocabulary)
        return "".join(pieces)
    if kind == "retitled":
        title = " ".join(rng.choice(vocabulary) for _ in range(rng.randrange(6, 12))).capitalize()
        first_is_title = len(parts) > 1 and len(parts[0].split()) <= 15
        return "\n".join([title, *(parts[1:] if first_is_title else parts)])
    raise ValueError(kind)


@dataclass
class Doc:
    doc_id: str
    story: int
    kind: str
    text: str
    published_at: datetime | None


def labelled_set(articles: list[Article], seed: int = 1) -> list[Doc]:
    """Every article, its copies of each kind, and a templated version per pseudo-site."""
    rng = random.Random(seed)
    vocabulary = sorted({w for a in articles[:200] for w in WORD.findall(a.text)})
    docs: list[Doc] = []
    day = datetime(2024, 1, 1, tzinfo=UTC)
    for number, article in enumerate(articles):
        published = day + timedelta(hours=rng.randrange(24 * 365))
        docs.append(Doc(f"{article.story}-orig", article.story, "orig", article.text, published))
        # Different articles of one pseudo-site share its template: must not match each other.
        head, foot = template(number // SITE_SIZE)
        templated = "\n".join([*head, *_paragraphs(article.text), *foot])
        docs.append(Doc(f"{article.story}-site", article.story, "site", templated, None))
        for kind in KINDS:
            when = rng.choice([None, published + timedelta(hours=rng.randrange(1, 72))])
            text = make_copy(article.text, kind, rng, vocabulary)
            docs.append(Doc(f"{article.story}-{kind}", article.story, kind, text, when))
    rng.shuffle(docs)
    return docs


def pair_scores(labels: Sequence[int], clusters: Sequence[str]) -> tuple[float, float, int, int]:
    """Pairwise precision and recall of a clustering against the story labels."""

    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    true_pairs = pairs(Counter(labels))
    found = pairs(Counter(clusters))
    correct = pairs(Counter(zip(clusters, labels, strict=True)))
    precision = correct / found if found else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    return precision, recall, found - correct, true_pairs - correct


def clusters_of(docs: Sequence[Doc], mapping: dict[str, str]) -> list[str]:
    return [mapping.get(d.doc_id, d.doc_id) for d in docs]


def per_kind_recall(
    docs: Sequence[Doc], clusters: Sequence[str], group: Callable[[Doc], str]
) -> dict[str, float]:
    """Share of copies clustered with their original, per group (kind of copy, length...)."""
    cluster_of = {d.doc_id: c for d, c in zip(docs, clusters, strict=True)}
    by_id = {d.doc_id: d for d in docs}
    found: dict[str, list[bool]] = defaultdict(list)
    for d in docs:
        if d.kind != "orig":
            original = by_id[f"{d.story}-orig"]
            found[group(d)].append(cluster_of[d.doc_id] == cluster_of[original.doc_id])
    return {key: sum(v) / len(v) for key, v in sorted(found.items())}


def mixed_clusters(docs: Sequence[Doc], clusters: Sequence[str]) -> list[list[int]]:
    """The stories of every cluster that holds copies of more than one labelled story."""
    stories: dict[str, set[int]] = defaultdict(set)
    for d, c in zip(docs, clusters, strict=True):
        stories[c].add(d.story)
    return [sorted(s) for s in stories.values() if len(s) > 1]


def length_band(words: int) -> str:
    return "50-99 words" if words < 100 else "100-299 words" if words < 300 else ">=300 words"


def same_host_false_matches(articles: list[Article], mapping: dict[str, str]) -> tuple[int, int]:
    """Real pages of one host (different URLs): pairs checked, pairs wrongly clustered."""
    by_host: dict[str, list[int]] = defaultdict(list)
    for a in articles:
        if not a.site.startswith("nohost-") and a.site != "web.archive.org":
            by_host[a.site].append(a.story)
    checked = wrong = 0
    for stories in by_host.values():
        for i, s in enumerate(stories):
            for t in stories[i + 1 :]:
                checked += 1
                first, second = f"{s}-orig", f"{t}-orig"
                wrong += mapping.get(first, first) == mapping.get(second, second)
    return checked, wrong


# ---- baseline: datasketch, used as its documentation shows ----------------------------------


def baseline_shingles(text: str) -> list[bytes]:
    words, size = WORD.findall(text.casefold()), dedup.SHINGLE
    if len(words) < size:
        return [" ".join(words).encode()]
    return [" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)]


def baseline_signatures(texts: Sequence[str]) -> list[np.ndarray]:
    from datasketch import MinHash

    out = []
    for text in texts:
        m = MinHash(num_perm=128, seed=1, scheme="affine32")
        m.update_batch(baseline_shingles(text))
        out.append(m.hashvalues)
    return out


def baseline_assign(docs: Sequence[Doc], hashvalues: Sequence[np.ndarray]) -> dict[str, str]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=dedup.THRESHOLD, num_perm=128)
    mapping: dict[str, str] = {}
    for d, values in zip(docs, hashvalues, strict=True):
        m = MinHash(num_perm=128, seed=1, hashvalues=values, scheme="affine32")
        found = lsh.query(m)
        if found:
            mapping[d.doc_id] = min(found)
        else:
            lsh.insert(d.doc_id, m)
    return mapping


# ---- throughput ------------------------------------------------------------------------------

_CORPUS: list[str] = []  # filled before the worker pool forks, so texts are not pickled


def _shard_prepare(bounds: tuple[int, int]) -> tuple[list[str], list[int]]:
    texts = _CORPUS[bounds[0] : bounds[1]]
    return [content_hash(t) for t in texts], [word_count(t) for t in texts]


def _shard_signatures(bounds: tuple[int, int]) -> tuple[np.ndarray, float]:
    started = time.process_time()
    signatures = signatures_of(_CORPUS[bounds[0] : bounds[1]])
    return signatures, time.process_time() - started


def _shard_baseline(bounds: tuple[int, int]) -> tuple[list[np.ndarray], float]:
    started = time.process_time()
    values = baseline_signatures(_CORPUS[bounds[0] : bounds[1]])
    return values, time.process_time() - started


def synthetic_corpus(articles: list[Article], count: int, seed: int = 2) -> list[Doc]:
    """`count` documents: 80% distinct articles, 20% copies of them (one kind each).

    A distinct article takes the length of a random real article and is filled with real
    paragraphs whose words are shuffled, so no two share shingles by accident.
    """
    rng = random.Random(seed)
    pool = [p for a in articles for p in _paragraphs(a.text) if len(p.split()) >= 8]
    targets = [len(a.text.split()) for a in articles]
    vocabulary = sorted({w for a in articles[:200] for w in WORD.findall(a.text)})
    distinct = int(count * 0.8)
    docs: list[Doc] = []
    for i in range(distinct):
        paragraphs: list[str] = []
        target, size = rng.choice(targets), 0
        while size < target:
            words = rng.choice(pool).split()
            rng.shuffle(words)
            paragraphs.append(" ".join(words))
            size += len(words)
        docs.append(Doc(f"s{i}", i, "orig", "\n".join(paragraphs), None))
    for j in range(count - distinct):
        source = docs[rng.randrange(distinct)]
        kind = rng.choice(KINDS)
        text = make_copy(source.text, kind, rng, vocabulary)
        docs.append(Doc(f"c{j}", source.story, kind, text, None))
    rng.shuffle(docs)
    return docs


def run_parallel(
    work: Callable[[tuple[int, int]], object], count: int, shard: int, workers: int
) -> list:
    bounds = [(i, min(i + shard, count)) for i in range(0, count, shard)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(work, bounds))


def throughput(articles: list[Article], count: int, baseline_count: int, workers: int) -> None:
    """Signatures in `workers` processes (as shard tasks would), then one assign in this one.

    Figures are wall-clock on this machine as it was, and also projected from CPU time
    (worker CPU / workers + assign CPU), which other load on the machine does not inflate.
    """
    print(f"\n== throughput: {count:,} documents, {workers} worker processes ==")
    docs = synthetic_corpus(articles, count)
    _CORPUS[:] = [d.text for d in docs]
    words = sum(len(t.split()) for t in _CORPUS) / len(_CORPUS)
    print(f"corpus: {len(docs):,} docs, {words:.0f} words on average, {os.cpu_count()} CPUs")
    prepared = run_parallel(_shard_prepare, count, 1000, workers)  # other stages' work: untimed
    hashes = [h for part in prepared for h in part[0]]
    lengths = [n for part in prepared for n in part[1]]
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    started = time.perf_counter()
    parts = run_parallel(_shard_signatures, count, 1000, workers)
    signed = time.perf_counter()
    signatures = np.concatenate([part[0] for part in parts])
    worker_cpu = sum(part[1] for part in parts)
    entries = [
        DedupEntry(d.doc_id, hashes[i], signatures[i], None, lengths[i], i)
        for i, d in enumerate(docs)
    ]
    tracemalloc.start()
    built, built_cpu = time.perf_counter(), time.process_time()
    index = DedupIndex()
    mapping = index.assign(entries)
    assigned, assign_cpu = time.perf_counter(), time.process_time() - built_cpu
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    wall = (signed - started) + (assigned - built)
    projected = worker_cpu / workers + assign_cpu
    precision, recall, _, _ = pair_scores([d.story for d in docs], clusters_of(docs, mapping))
    print(
        f"newsclean: signatures {signed - started:.2f} s wall ({worker_cpu:.2f} s CPU), assign "
        f"{assigned - built:.2f} s wall ({assign_cpu:.2f} s CPU)\n"
        f"  -> {count / wall:,.0f} docs/s wall, {count / projected:,.0f} docs/s from CPU time; "
        f"{len(mapping):,} duplicates (precision {precision:.4f}, recall {recall:.4f})"
    )
    print(f"  assign peak traced memory {peak / 2**20:.0f} MiB; index {len(index):,} canonicals")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.npz"
        index.save(path)
        size = path.stat().st_size
        loaded = time.perf_counter()
        DedupIndex.load(path)
        print(
            f"  index file {size / 2**20:.1f} MiB = {size / len(index):.0f} B per canonical "
            f"(load {time.perf_counter() - loaded:.2f} s)"
        )

    n = min(baseline_count, count)
    started = time.perf_counter()
    base_parts = run_parallel(_shard_baseline, n, 1000, workers)
    signed = time.perf_counter()
    worker_cpu = sum(part[1] for part in base_parts)
    values = [v for part in base_parts for v in part[0]]
    assign_cpu = time.process_time()
    mapping = baseline_assign(docs[:n], values)
    assigned, assign_cpu = time.perf_counter(), time.process_time() - assign_cpu
    projected = worker_cpu / workers + assign_cpu
    precision, recall, _, _ = pair_scores(
        [d.story for d in docs[:n]], clusters_of(docs[:n], mapping)
    )
    print(
        f"baseline datasketch (first {n:,} docs): signatures {signed - started:.2f} s wall "
        f"({worker_cpu:.2f} s CPU), LSH {assigned - signed:.2f} s wall ({assign_cpu:.2f} s CPU)\n"
        f"  -> {n / (assigned - started):,.0f} docs/s wall, {n / projected:,.0f} docs/s from CPU "
        f"time (precision {precision:.4f}, recall {recall:.4f})"
    )
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak RSS: main process {rss:.0f} MiB (holds the corpus), "
        f"largest worker {children:.0f} MiB"
    )


def shard_memory(articles: list[Article], shard: int = 1000) -> None:
    """Peak memory of computing one shard's signatures (what a shard task adds)."""
    rng = random.Random(4)
    texts = [rng.choice(articles).text for _ in range(shard)]
    words = sum(len(t.split()) for t in texts) / shard
    signatures_of(texts[:1])  # character tables, built once per process
    tracemalloc.start()
    started = time.process_time()
    signatures_of(texts)
    elapsed = time.process_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\n== one shard of {shard:,} real texts ({words:.0f} words on average) ==\n"
        f"signatures: {elapsed:.2f} s CPU, peak traced {peak / 2**20:.0f} MiB "
        f"(texts themselves not counted)"
    )


def index_scale(count: int) -> None:
    """Memory and time of an index of `count` canonical documents (random signatures)."""
    print(f"\n== index at {count:,} canonical documents ==")
    rng = np.random.default_rng(3)
    signatures = rng.integers(0, 2**32, size=(count, dedup.NUM_PERM), dtype=np.uint32)
    entries = [
        DedupEntry(f"doc-{i:08d}", f"{i:032x}", signatures[i], None, 500, i) for i in range(count)
    ]
    tracemalloc.start()
    started, started_cpu = time.perf_counter(), time.process_time()
    index = DedupIndex()
    index.assign(entries)
    elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    held = sum(
        a.nbytes
        for a in (
            index.ids_blob,
            index.ids_offsets,
            index.id_keys,
            index.hash_keys,
            index.compact,
            index.published_us,
            index.lengths,
        )
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.npz"
        index.save(path)
        size = path.stat().st_size
        started = time.perf_counter()
        loaded = DedupIndex.load(path)
        load_s = time.perf_counter() - started
        more = entries[:1000]  # a later run: 1,000 documents against the full index
        tracemalloc.start()
        started, started_cpu = time.perf_counter(), time.process_time()
        again = loaded.assign(
            [
                DedupEntry(f"new-{e.doc_id}", e.content_hash + "x", e.signature, None, 1, 0)
                for e in more
            ]
        )
        later_s, later_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        _, later_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(
        f"assign {count:,} new: {elapsed:.1f} s wall ({elapsed_cpu:.1f} s CPU), "
        f"peak traced {peak / 2**20:.0f} MiB;\n  "
        f"index held in memory {held / 2**20:.0f} MiB ({held / count:.0f} B/doc); "
        f"file {size / 2**20:.0f} MiB ({size / count:.0f} B/doc); load {load_s:.2f} s"
    )
    print(
        f"later run of 1,000 docs against it: {later_s:.2f} s wall ({later_cpu:.2f} s CPU), "
        f"peak traced {later_peak / 2**20:.0f} MiB, {len(again):,} found"
    )


def generated_entries(texts_path: Path, workers: int) -> Path:
    """Entries of every text in a JSON-lines file (`id`, `text`), stored once under bench/out."""
    stored = ROOT / "bench" / "out" / f"dedup_entries-{texts_path.name.split('.')[0]}.npz"
    if stored.exists() and stored.stat().st_mtime >= texts_path.stat().st_mtime:
        return stored
    with gzip.open(texts_path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    _CORPUS[:] = [r["text"] for r in records]
    prepared = run_parallel(_shard_prepare, len(records), 1000, workers)
    parts = run_parallel(_shard_signatures, len(records), 1000, workers)
    hashes = [h for part in prepared for h in part[0]]
    lengths = [n for part in prepared for n in part[1]]
    signatures = np.concatenate([part[0] for part in parts])
    entries = [
        DedupEntry(r["id"], hashes[i], signatures[i], None, lengths[i], i)
        for i, r in enumerate(records)
    ]
    dedup.write_entries(stored, entries)
    _CORPUS.clear()
    return stored


def _memory_mib(field: str) -> float:
    # A line of /proc/self/status, e.g. "VmHWM:  123456 kB" (the peak resident set).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def _assign_child(entries_path: str, module_path: str) -> None:
    """In a fresh process: one assign over stored entries; prints one JSON line of figures."""
    module = dedup
    if module_path:
        import importlib.util

        spec = importlib.util.spec_from_file_location("dedup_compared", module_path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    entries = dedup.read_entries(Path(entries_path))
    # The peak so far (reading the entries) is forgotten, so the peak is the assign's own.
    Path("/proc/self/clear_refs").write_text("5")
    before = _memory_mib("VmHWM")
    started = time.process_time()
    mapping = module.DedupIndex().assign(entries)
    cpu = time.process_time() - started
    peak = _memory_mib("VmHWM")
    figures = {"cpu": cpu, "before": before, "peak": peak, "mapping": mapping}
    print(json.dumps(figures, sort_keys=True))


def assign_memory(texts_path: Path, workers: int, compare: Path | None) -> None:
    """CPU and peak memory of one assign over the entries of generated texts."""
    entries = generated_entries(texts_path, workers)
    print(f"\n== assign over the raw texts of {texts_path.name} ==")
    results = {}
    for name, module in (("newsclean", ""), (f"compared ({compare})", str(compare or ""))):
        if name != "newsclean" and compare is None:
            continue
        command = [sys.executable, __file__, "--assign-child", str(entries), module]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        figures = json.loads(output.splitlines()[-1])
        results[name] = figures["mapping"]
        print(
            f"{name}: assign {figures['cpu']:.1f} s CPU, peak RSS {figures['peak']:.0f} MiB "
            f"({figures['peak'] - figures['before']:.0f} MiB above the loaded entries' "
            f"{figures['before']:.0f} MiB), "
            f"{len(figures['mapping']):,} duplicates"
        )
    if len(results) == 2:
        same = len({json.dumps(m, sort_keys=True) for m in results.values()}) == 1
        print(f"same duplicate map: {same}")


# ---- quality ---------------------------------------------------------------------------------


def quality(articles: list[Article]) -> None:
    docs = labelled_set(articles)
    labels = [d.story for d in docs]
    print(
        f"== quality: {len(articles)} articles (>= {MIN_WORDS} words) -> {len(docs):,} documents; "
        f"{len(KINDS)} copies each + one templated version (pseudo-sites of {SITE_SIZE}) =="
    )
    hashes = [content_hash(d.text) for d in docs]  # other stages' work: untimed
    word_counts = [word_count(d.text) for d in docs]
    started = time.process_time()
    signatures = signatures_of([d.text for d in docs])
    entries = [
        DedupEntry(d.doc_id, hashes[i], signatures[i], d.published_at, word_counts[i], i)
        for i, d in enumerate(docs)
    ]
    mapping = DedupIndex().assign(entries)
    ours_s = time.process_time() - started
    ours = clusters_of(docs, mapping)

    started = time.process_time()
    base = baseline_assign(docs, baseline_signatures([d.text for d in docs]))
    base_s = time.process_time() - started
    theirs = clusters_of(docs, base)

    print(
        f"{'':22}{'precision':>10}{'recall':>8}{'false pairs':>12}{'missed pairs':>13}{'CPU s':>7}"
    )
    for name, clusters, seconds in (
        ("newsclean", ours, ours_s),
        ("baseline datasketch", theirs, base_s),
    ):
        p, r, fp, fn = pair_scores(labels, clusters)
        print(f"{name:22}{p:10.4f}{r:8.4f}{fp:12,}{fn:13,}{seconds:7.1f}")
    length = {d.story: word_count(d.text) for d in docs if d.kind == "orig"}
    for name, clusters in (("newsclean", ours), ("baseline datasketch", theirs)):
        kinds = per_kind_recall(docs, clusters, lambda d: d.kind)
        lengths = per_kind_recall(docs, clusters, lambda d: length_band(length[d.story]))
        print(f"  {name}: share of copies clustered with their original")
        print("    by kind:   " + ", ".join(f"{k} {v:.3f}" for k, v in kinds.items()))
        print("    by length: " + ", ".join(f"{k} {v:.3f}" for k, v in lengths.items()))
    bands = Counter(length_band(n) for n in length.values())
    print("  articles by length: " + ", ".join(f"{k} {v}" for k, v in sorted(bands.items())))
    sites = {a.story: a.site for a in articles}
    for stories in mixed_clusters(docs, ours):
        print(f"  newsclean cluster mixing labelled stories: {[sites[s] for s in stories]}")
    checked, wrong = same_host_false_matches(articles, mapping)
    print(f"  real pages of one host, different URLs: {checked} pairs, {wrong} clustered")

    # Two runs: the second half of the documents against the index saved by the first half.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.npz"
        half = len(docs) // 2
        first = DedupIndex.load(path)
        mapping = first.assign(entries[:half])
        first.save(path)
        mapping |= DedupIndex.load(path).assign(entries[half:])
        p, r, fp, fn = pair_scores(labels, clusters_of(docs, mapping))
        print(f"  newsclean over two runs (save/load between): precision {p:.4f}, recall {r:.4f}")


def sweep(articles: list[Article]) -> None:
    """Exact Jaccard of each kind of copy with its original, for shingles of 1-4 tokens."""
    docs = labelled_set(articles[:400])
    by_id = {d.doc_id: d for d in docs}
    original = dedup.SHINGLE
    print("exact Jaccard of copy vs original (5th percentile / median), and of the most similar")
    print("different article (99th percentile / max) among templated pseudo-site neighbours")
    for size in (1, 2, 3, 4):
        dedup.SHINGLE = size
        sets = {d.doc_id: set(dedup._shingles([d.text])[0].tolist()) for d in docs}

        def jaccard(a: str, b: str, sets: dict[str, set[int]] = sets) -> float:
            x, y = sets[a], sets[b]
            return len(x & y) / len(x | y) if x | y else 1.0

        row = []
        for kind in KINDS:
            values = [jaccard(d.doc_id, f"{d.story}-orig") for d in docs if d.kind == kind]
            row.append(f"{kind} {np.percentile(values, 5):.2f}/{np.median(values):.2f}")
        sites = sorted((d for d in docs if d.kind == "site"), key=lambda d: d.story)
        negatives = [
            jaccard(a.doc_id, b.doc_id)
            for i, a in enumerate(sites)
            for b in sites[i + 1 : i + SITE_SIZE]
            if by_id[a.doc_id].story != by_id[b.doc_id].story
        ]
        print(
            f"shingle {size}: " + ", ".join(row) + f"; neighbours "
            f"{np.percentile(negatives, 99):.2f}/{max(negatives):.2f}"
        )
    dedup.SHINGLE = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="throughput corpus size")
    parser.add_argument("--baseline-docs", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--index-docs", type=int, default=1_000_000)
    parser.add_argument("--sweep", action="store_true", help="only the shingle-size study")
    parser.add_argument(
        "--parts",
        default="quality,throughput,memory,index",
        help="comma-separated parts to run",
    )
    parser.add_argument("--shingle", type=int, help="tuning: override the shingle size")
    parser.add_argument("--threshold", type=float, help="tuning: override the threshold")
    parser.add_argument("--texts", type=Path, help="assign: JSON lines with `id` and `text`")
    parser.add_argument("--compare", type=Path, help="assign: another cleaners/dedup.py")
    parser.add_argument("--assign-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.assign_child:
        _assign_child(*args.assign_child)
        return
    if args.shingle:
        dedup.SHINGLE = args.shingle
    if args.threshold:
        dedup.THRESHOLD = args.threshold
    articles = base_articles(load_texts())
    if args.sweep:
        sweep(articles)
        return
    print(
        f"layout: {dedup.NUM_PERM} values, {dedup.BANDS} bands x {dedup.ROWS} rows, "
        f"{dedup.SHINGLE}-token shingles, threshold {dedup.THRESHOLD}"
    )
    parts = args.parts.split(",")
    if "quality" in parts:
        quality(articles)
    if "throughput" in parts:
        throughput(articles, args.docs, args.baseline_docs, args.workers)
    if "memory" in parts:
        shard_memory(articles)
    if "index" in parts:
        index_scale(args.index_docs)
    if "assign" in parts:
        if args.texts is None:
            parser.error("--parts assign needs --texts")
        assign_memory(args.texts, args.workers, args.compare)


if __name__ == "__main__":
    main()
