"""Boilerplate learned from the corpus: lines that recur across many documents of one site."""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cleaners.document import Cleaning, Document
from cleaners.residue.lines import text_lines
from cleaners.store import write_atomically
from cleaners.text import join_paragraphs

DIGIT_RUN = re.compile(r"\d+")
WORD = re.compile(r"\w+")
FINGERPRINT_BYTES = 6  # 48 bits: collisions between two lines of one site are negligible
SHORT_LINE_WORDS = 12  # longer lines read like sentences and need far more evidence
INDEX_FORMAT = 1

MIN_GROUP_DOCUMENTS = 10  # below this, a site has not shown what its template is
MIN_SHORT_SHARE = 0.2  # a menu entry or widget label on a fifth of the site's pages
MIN_LONG_SHARE = 0.6  # a sentence on most of the site's pages: a disclaimer, not a quote
MIN_COUNT = 3  # never learn a line from fewer pages than this, whatever the share
MAX_FINGERPRINTS_PER_GROUP = 20_000
MAX_LONG_LINE_SHARE = 0.5  # never strip long lines that would take half the article with them

RULE = "learned-boilerplate"


def normalise_line(line: str) -> str:
    """A line with case, punctuation, spacing and numbers folded away.

    >>> normalise_line("  Kommentar (12) ")
    'kommentar 0'
    """
    folded = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(WORD.findall(DIGIT_RUN.sub("0", folded)))


def _fingerprint(line: str) -> str | None:
    normalised = normalise_line(line)
    if not normalised:
        return None
    size = "s" if len(normalised.split()) <= SHORT_LINE_WORDS else "l"
    digest = hashlib.blake2b(normalised.encode("utf-8"), digest_size=FINGERPRINT_BYTES)
    return size + digest.hexdigest()


def line_fingerprints(doc: Document) -> frozenset[str]:
    """Short hashes of the document's normalised lines; "s…" for short lines, "l…" for long.

    >>> sorted(line_fingerprints(Document(text="Share this\\n\\nShare THIS!\\n\\nShare it")))
    ['s082deea3d083', 'sa89cc389e718']
    """
    found = (_fingerprint(line) for line in text_lines(doc.text))
    return frozenset(print_ for print_ in found if print_)


@dataclass(slots=True)
class _GroupCounts:
    documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class BoilerplateIndex:
    """Per-site line counts across documents, bounded in memory, merged across shards and runs.

    >>> index = BoilerplateIndex(min_documents=3)
    >>> for topic in ("a summit", "a strike", "an election", "a storm"):
    ...     page = Document(text=f"This story is about {topic}.\\nSubscribe now")
    ...     index.observe("example.com", line_fingerprints(page))
    >>> index.learned("example.com") == line_fingerprints(Document(text="Subscribe now"))
    True
    """

    min_documents: int = MIN_GROUP_DOCUMENTS
    min_short_share: float = MIN_SHORT_SHARE
    min_long_share: float = MIN_LONG_SHARE
    min_count: int = MIN_COUNT
    max_fingerprints: int = MAX_FINGERPRINTS_PER_GROUP
    groups: dict[str, _GroupCounts] = field(default_factory=dict)

    def observe(self, group: str, fingerprints: frozenset[str]) -> None:
        """Count one document of `group`; documents without a group teach nothing."""
        if not group:
            return
        counts = self.groups.setdefault(group, _GroupCounts())
        counts.documents += 1
        for print_ in fingerprints:
            counts.counts[print_] = counts.counts.get(print_, 0) + 1
        self._bound(counts)

    def merge(self, other: BoilerplateIndex) -> None:
        """Add another index's counts (another shard, or the index of earlier runs)."""
        for group, theirs in other.groups.items():
            ours = self.groups.setdefault(group, _GroupCounts())
            ours.documents += theirs.documents
            for print_, count in theirs.counts.items():
                ours.counts[print_] = ours.counts.get(print_, 0) + count
            self._bound(ours)

    def _bound(self, counts: _GroupCounts) -> None:
        # Boilerplate recurs, so it sits at the top of the counts: when a site's table
        # overflows, the rarest half (almost all one-off article lines) is dropped.
        if len(counts.counts) <= self.max_fingerprints:
            return
        keep = self.max_fingerprints // 2
        ranked = sorted(counts.counts.items(), key=lambda item: (-item[1], item[0]))
        counts.counts = dict(ranked[:keep])

    def documents(self, group: str) -> int:
        """Documents of `group` observed so far."""
        counts = self.groups.get(group)
        return counts.documents if counts else 0

    def learned(self, group: str) -> frozenset[str]:
        """Fingerprints of the lines that are boilerplate on `group`'s pages."""
        counts = self.groups.get(group)
        if counts is None or counts.documents < self.min_documents:
            return frozenset()
        short_needed = max(self.min_count, math.ceil(self.min_short_share * counts.documents))
        long_needed = max(self.min_count, math.ceil(self.min_long_share * counts.documents))
        return frozenset(
            print_
            for print_, count in counts.counts.items()
            if count >= (short_needed if print_.startswith("s") else long_needed)
        )

    def save(self, path: Path) -> None:
        """Write the index as JSON, atomically: a reader sees the old file or the new one."""
        payload = {
            "format": INDEX_FORMAT,
            "groups": {
                group: {"documents": counts.documents, "counts": counts.counts}
                for group, counts in sorted(self.groups.items())
            },
        }
        data = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
        write_atomically(path, lambda stream: stream.write(data))

    @classmethod
    def load(cls, path: Path) -> BoilerplateIndex:
        """The index saved at `path`; an empty index when there is no file yet."""
        index = cls()
        if not path.exists():
            return index
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") != INDEX_FORMAT:
            raise ValueError(f"{path}: unknown boilerplate index format {payload.get('format')!r}")
        for group, stored in payload["groups"].items():
            counts = _GroupCounts(int(stored["documents"]), {})
            counts.counts = {str(k): int(v) for k, v in stored["counts"].items()}
            index.groups[str(group)] = counts
            index._bound(counts)
        return index


def strip_learned(doc: Document, learned: frozenset[str]) -> Document:
    """Remove the lines whose fingerprints were learned as the site's boilerplate.

    Long learned lines are kept when, together, they would take half of the document: such a
    document is a copy of another one on the site, not a page with a long template.

    >>> doc = Document(text="Astana talks went on for two days.\\n\\nSubscribe now")
    >>> cleaned = strip_learned(doc, line_fingerprints(Document(text="Subscribe now")))
    >>> cleaned.text, [(c.rule, c.text) for c in cleaned.cleaning]
    ('Astana talks went on for two days.', [('learned-boilerplate', 'Subscribe now')])
    """
    if not learned:
        return doc
    lines = text_lines(doc.text)
    prints = [_fingerprint(line) for line in lines]
    hits = [print_ is not None and print_ in learned for print_ in prints]
    total_words = sum(len(line.split()) for line in lines) or 1
    long_words = sum(
        len(line.split())
        for line, print_, hit in zip(lines, prints, hits, strict=True)
        if hit and print_ is not None and print_.startswith("l")
    )
    keep_long = long_words > MAX_LONG_LINE_SHARE * total_words
    kept: list[str] = []
    entries: list[Cleaning] = []
    for line, print_, hit in zip(lines, prints, hits, strict=True):
        if hit and not (keep_long and print_ is not None and print_.startswith("l")):
            entries.append(Cleaning.of(RULE, "removed", line))
        else:
            kept.append(line)
    if not entries:
        return doc
    return doc.evolve(*entries, text=join_paragraphs(kept))
