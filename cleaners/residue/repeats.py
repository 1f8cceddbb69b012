"""Repeats inside one document: duplicated paragraphs and a closing paragraph that restates it."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

from cleaners.document import Cleaning, Document
from cleaners.residue.lines import is_prose, text_lines, words
from cleaners.text import casefold_words, join_paragraphs, normalise_for_hash

MIN_REPEAT_WORDS = 4  # shorter repeated lines ("Yes.", "* * *") can be legitimate
# Table rows and list items repeat legitimately (a line-up, a price table, a calendar).
STRUCTURED_LINE = re.compile(r"^(?:\||[-*•·–] |\d{1,3}[.)] )")
NEAR_DUPLICATE_MIN_WORDS = 10
NEAR_DUPLICATE_JACCARD = 0.8
MAX_COMPARED_PARAGRAPHS = 300  # beyond this only exact repeats are looked for: O(n²)
RESTATEMENT_MIN_WORDS = 30
RESTATEMENT_MIN_PARAGRAPHS = 3
# Share of the closing paragraph's word pairs already used earlier in the article. Ordinary
# closing paragraphs reuse names and phrases (well under half of their pairs); a generated or
# pasted summary reuses most of them.
RESTATEMENT_SHARED_PAIRS = 0.55
# The passes of clean_residue look at the same paragraphs again: their shingles are
# remembered for a few documents' worth of paragraphs of ordinary length.
SHINGLE_CACHE_SIZE = 512
SHINGLE_CACHE_MAX_CHARS = 2000


def _make_shingles(text: str, size: int) -> frozenset[tuple[str, ...]]:
    tokens = casefold_words(text)
    if len(tokens) < size:
        return frozenset({tokens})
    return frozenset(zip(*(tokens[offset:] for offset in range(size)), strict=False))


_cached_shingles = lru_cache(maxsize=SHINGLE_CACHE_SIZE)(_make_shingles)


def _shingles(text: str, size: int = 3) -> frozenset[tuple[str, ...]]:
    if len(text) > SHINGLE_CACHE_MAX_CHARS:
        return _make_shingles(text, size)
    return _cached_shingles(text, size)


def _jaccard(left: frozenset[tuple[str, ...]], right: frozenset[tuple[str, ...]]) -> float:
    if not left or not right:
        return 0.0
    # Jaccard can not exceed the ratio of the sizes: skip the set operations when that is low.
    if min(len(left), len(right)) < NEAR_DUPLICATE_JACCARD * max(len(left), len(right)):
        return 0.0
    shared = len(left & right)
    return shared / (len(left) + len(right) - shared)


def drop_repeated_paragraphs(doc: Document) -> Document:
    """Remove later copies of a paragraph, exact or nearly so (a scraper's double capture).

    >>> text = ("Xi met Putin in Astana on Thursday for talks.\\n"
    ...         "They spoke about trade.\\nXi met Putin in Astana on Thursday for talks.")
    >>> doc = drop_repeated_paragraphs(Document(text=text))
    >>> doc.text.splitlines(), doc.cleaning[0].rule
    (['Xi met Putin in Astana on Thursday for talks.', '', 'They spoke about trade.'], \
'repeated-paragraph')
    """
    lines = text_lines(doc.text)
    seen: set[str] = set()
    compared: list[tuple[frozenset[tuple[str, ...]], int]] = []
    kept: list[str] = []
    entries: list[Cleaning] = []
    for line in lines:
        count = words(line)
        key = normalise_for_hash(line)
        if STRUCTURED_LINE.match(line):
            kept.append(line)
            continue
        if count >= MIN_REPEAT_WORDS and key in seen:
            entries.append(Cleaning.of("repeated-paragraph", "removed", line))
            continue
        if count >= NEAR_DUPLICATE_MIN_WORDS and len(lines) <= MAX_COMPARED_PARAGRAPHS:
            shingles = _shingles(line)
            size = len(shingles)
            # The size test of _jaccard, before calling it: most pairs fail it.
            if any(
                NEAR_DUPLICATE_JACCARD * max(size, other) <= min(size, other)
                and _jaccard(shingles, earlier) >= NEAR_DUPLICATE_JACCARD
                for earlier, other in compared
            ):
                entries.append(Cleaning.of("near-duplicate-paragraph", "removed", line))
                continue
            compared.append((shingles, size))
        seen.add(key)
        kept.append(line)
    if not entries:
        return doc
    return doc.evolve(*entries, text=join_paragraphs(kept))


def restated_share(closing: str, earlier: str) -> float:
    """Share of the closing paragraph's word pairs that already occur in the earlier text.

    >>> restated_share("Xi and Putin met in Astana.", "In Astana, Xi and Putin met on Thursday.")
    0.8
    """
    closing_pairs = _shingles(closing, 2)
    earlier_pairs = _shingles(earlier, 2)
    if not closing_pairs:
        return 0.0
    return len(closing_pairs & earlier_pairs) / len(closing_pairs)


def _restated_share_of_lines(closing: str, earlier: list[str]) -> float:
    """restated_share(closing, "\\n".join(earlier)), from the words of each line, which the
    passes have already split (words never run across a line break)."""
    tokens = list(chain.from_iterable(map(casefold_words, earlier)))
    if len(tokens) < 2:
        return restated_share(closing, "\n".join(earlier))
    closing_pairs = _shingles(closing, 2)
    earlier_pairs = set(zip(tokens, tokens[1:], strict=False))
    return len(closing_pairs & earlier_pairs) / len(closing_pairs)


def drop_restatement(doc: Document) -> Document:
    """Remove a closing paragraph that only restates the article above it.

    >>> body = ["Xi urged members to resist external meddling at the summit in Astana.",
    ...         "Putin proposed new collective security treaties for Eurasia at the meeting.",
    ...         "Putin also hailed the use of national currencies instead of the dollar in trade.",
    ...         "At the summit in Astana Xi urged members to resist external meddling, "
    ...         "Putin proposed new collective security treaties for Eurasia and Putin also "
    ...         "hailed the use of national currencies instead of the dollar."]
    >>> doc = drop_restatement(Document(text="\\n\\n".join(body)))
    >>> len(doc.text.split("\\n\\n")), doc.cleaning[0].rule
    (3, 'restated-closing-paragraph')
    """
    # Once per document: the paragraph above a removed summary is article text again.
    if any(entry.rule == "restated-closing-paragraph" for entry in doc.cleaning):
        return doc
    lines = text_lines(doc.text)
    if len(lines) < RESTATEMENT_MIN_PARAGRAPHS + 1:
        return doc
    closing = lines[-1]
    if words(closing) < RESTATEMENT_MIN_WORDS or STRUCTURED_LINE.match(closing):
        return doc
    if not is_prose(closing):
        return doc
    if _restated_share_of_lines(closing, lines[:-1]) < RESTATEMENT_SHARED_PAIRS:
        return doc
    entry = Cleaning.of("restated-closing-paragraph", "removed", closing)
    return doc.evolve(entry, text=join_paragraphs(lines[:-1]))
