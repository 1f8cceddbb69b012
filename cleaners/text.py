"""Text measures shared by the stages: paragraphs, word count, the normalised content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
WHITESPACE_RUN = re.compile(r"\s+")
WORD = re.compile(r"\w+")
# Scripts written without spaces between words: count characters, not space-separated runs.
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


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
    unspaced = len(UNSPACED_SCRIPT.findall(text))
    spaced = len(WORD.findall(UNSPACED_SCRIPT.sub(" ", text)))
    return spaced + unspaced


def normalise_for_hash(text: str) -> str:
    """Case, accents-composition, punctuation and spacing folded away, so trivial variants match.

    >>> normalise_for_hash("Putin  and Xi,\\n\\nmet!") == normalise_for_hash("putin and xi met")
    True
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(WORD.findall(folded))


def content_hash(text: str) -> str:
    """Hash of the normalised text (hex SHA-256, 32 characters).

    >>> content_hash("Hello, world") == content_hash("hello world")
    True
    """
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()[:32]
