"""Text measures shared by the stages: paragraphs, word count, the normalised content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from itertools import chain

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
WHITESPACE_RUN = re.compile(r"\s+")
WORD = re.compile(r"\w+")
# Scripts written without spaces between words: count characters, not space-separated runs.
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
# A body is measured line by line (words never run across a line break), and the stages
# measure the same lines again and again: the residue passes, then enrich's count and hash.
# Recent lines of ordinary length are remembered; the bound keeps the memory small.
LINE_CACHE_SIZE = 1024
LINE_CACHE_MAX_CHARS = 2000


def paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs of a body whose paragraphs are separated by blank lines.

    >>> paragraphs("One.\\n\\n\\n  Two.\\n")
    ['One.', 'Two.']
    """
    return [p.strip() for p in PARAGRAPH_BREAK.split(text) if p.strip()]


def join_paragraphs(parts: list[str]) -> str:
    """The contract's body layout: paragraphs separated by exactly one blank line.

    >>> join_paragraphs(["One.", " ", "Two."])
    'One.\\n\\nTwo.'
    """
    return "\n\n".join(p.strip() for p in parts if p.strip())


def word_count(text: str) -> int:
    """Words in a body; each CJK character counts as one word.

    >>> word_count("Der Gipfel fand in Astana statt.")
    6
    >>> word_count("上海合作组织峰会")
    8
    """
    if "\n" not in text:
        return _line_word_count(text)
    return sum(map(_line_word_count, text.split("\n")))


def _count_words(line: str) -> int:
    if UNSPACED_SCRIPT.search(line) is None:  # most text: one pass instead of three
        return len(WORD.findall(line))
    unspaced = len(UNSPACED_SCRIPT.findall(line))
    spaced = len(WORD.findall(UNSPACED_SCRIPT.sub(" ", line)))
    return spaced + unspaced


_cached_word_count = lru_cache(maxsize=LINE_CACHE_SIZE)(_count_words)


def _line_word_count(line: str) -> int:
    if len(line) > LINE_CACHE_MAX_CHARS:
        return _count_words(line)
    return _cached_word_count(line)


def casefold_words(line: str) -> tuple[str, ...]:
    """The words of a line, case-folded (remembered for recent lines).

    >>> casefold_words("Xi und Putin, STRASSE")
    ('xi', 'und', 'putin', 'strasse')
    """
    if len(line) > LINE_CACHE_MAX_CHARS:
        return _casefold_words(line)
    return _cached_casefold_words(line)


def _casefold_words(line: str) -> tuple[str, ...]:
    return tuple(WORD.findall(line.casefold()))


_cached_casefold_words = lru_cache(maxsize=LINE_CACHE_SIZE)(_casefold_words)


def normalise_for_hash(text: str) -> str:
    """Case, accents-composition, punctuation and spacing folded away, so trivial variants match.

    >>> normalise_for_hash("Putin  and Xi,\\n\\nmet!") == normalise_for_hash("putin and xi met")
    True
    """
    if unicodedata.is_normalized("NFKC", text):
        # Case folding works character by character, so the words of the text are those of its
        # lines, one after the other.
        return " ".join(chain.from_iterable(map(casefold_words, text.split("\n"))))
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(WORD.findall(folded))


def content_hash(text: str) -> str:
    """Hash of the normalised text (hex SHA-256, 32 characters).

    >>> content_hash("Hello, world") == content_hash("hello world")
    True
    """
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()[:32]
