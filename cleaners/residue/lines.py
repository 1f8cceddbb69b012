"""Line measures the residue cleaners share: splitting, prose detection, head and tail zones."""

from __future__ import annotations

import re
from functools import lru_cache

from cleaners.text import word_count

# A line that ends like a sentence (optionally inside closing quotes or brackets).
SENTENCE_END = re.compile(r"[.!?…:;]['\"’”»)\]]{0,3}$")
SPACE_RUN = re.compile(r"\s+")
PROSE_MIN_WORDS = 12
LONG_LINE_WORDS = 30
# Every cleaner of a pass measures the zones of nearly the same lines, and passes repeat until
# nothing changes: one document asks about each of its lines a dozen times or more. The cache
# holds a few documents' worth of paragraphs; longer lines are measured each time, so that its
# memory stays small whatever the input.
PROSE_CACHE_LINES = 1024
PROSE_CACHE_MAX_CHARS = 2000
# Each cleaner of a pass splits the body it is given, most often the one the previous cleaner
# returned unchanged: the lines of the last few bodies are remembered.
LINES_CACHE_SIZE = 16
LINES_CACHE_MAX_CHARS = 50_000


def text_lines(text: str) -> list[str]:
    """Non-empty, stripped lines: each is a paragraph, whether the input was a plain-text
    scrape (one line per paragraph) or extracted text (blank lines between paragraphs).

    >>> text_lines("Title\\nFirst.\\n\\n  Second.  \\n")
    ['Title', 'First.', 'Second.']
    """
    if len(text) > LINES_CACHE_MAX_CHARS:
        return _split_lines(text)
    return list(_cached_lines(text))


def _split_lines(text: str) -> list[str]:
    return [stripped for line in text.splitlines() if (stripped := line.strip())]


def _split_lines_once(text: str) -> tuple[str, ...]:
    return tuple(_split_lines(text))


_cached_lines = lru_cache(maxsize=LINES_CACHE_SIZE)(_split_lines_once)


def words(line: str) -> int:
    """Whitespace-separated words.

    >>> words("Leave a reply")
    3
    """
    return len(line.split())


def is_prose(line: str) -> bool:
    """A line that reads as article text: a long sentence, or a very long line.

    >>> is_prose("Putin and Xi met in Astana on Thursday to talk about a new security club.")
    True
    >>> is_prose("Related Articles")
    False
    >>> is_prose("上海合作组织峰会周四在阿斯塔纳举行，成员国领导人讨论了地区安全与贸易合作。")
    True
    """
    if len(line) > PROSE_CACHE_MAX_CHARS:
        return _measure_prose(line)
    return _cached_prose(line)


def _measure_prose(line: str) -> bool:
    # Counted like the contract's word_count, so a line of Chinese or Japanese is prose too.
    count = word_count(line)
    return count >= LONG_LINE_WORDS or (
        count >= PROSE_MIN_WORDS and bool(SENTENCE_END.search(line))
    )


_cached_prose = lru_cache(maxsize=PROSE_CACHE_LINES)(_measure_prose)


def zones(lines: list[str]) -> tuple[int, int]:
    """(end of head, start of tail): the head is every line before the first prose line, the
    tail every line after the last. A document without prose is all head and all tail.

    >>> zones(["Home", "By Jane Doe",
    ...        "A long first sentence of the story, with twelve words in it.", "Share"])
    (2, 3)
    >>> zones(["Home", "Share"])
    (2, 0)
    """
    first = next((index for index, line in enumerate(lines) if is_prose(line)), None)
    if first is None:
        return len(lines), 0
    last = next(index for index in range(len(lines) - 1, first - 1, -1) if is_prose(lines[index]))
    return first, last + 1


def is_linkish(line: str, max_words: int = 16) -> bool:
    """A short line that does not end like a sentence: a headline, a link, a menu entry.

    >>> is_linkish("Biden-Putin: summit online today")
    True
    >>> is_linkish("They met on Thursday.")
    False
    """
    stripped = line.rstrip()
    return words(stripped) <= max_words and not stripped.endswith((".", ";", ":"))
