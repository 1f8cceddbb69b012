"""The Document record that flows through the cleaners, and the Cleaning log entry."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Action = Literal["removed", "moved", "fixed", "flagged"]
EXCERPT_CHARS = 200


@dataclass(frozen=True, slots=True)
class Cleaning:
    """One thing a cleaner did to a document: which rule, what it did, to what text."""

    rule: str
    action: Action
    field: str | None
    text: str

    @classmethod
    def of(cls, rule: str, action: Action, text: str, field: str | None = None) -> Cleaning:
        """An entry whose text is truncated to a readable excerpt.

        >>> Cleaning.of("comment-form", "removed", "LEAVE A REPLY").text
        'LEAVE A REPLY'
        """
        if len(text) > EXCERPT_CHARS:
            text = text[: EXCERPT_CHARS - 1] + "…"
        return cls(rule=rule, action=action, field=field, text=text)


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """A possible publication time and where it was found (html-meta, url, text-header…)."""

    value: datetime
    source: str


@dataclass(slots=True)
class Document:
    """One article on its way through the pipeline; its fields are the contract's columns.

    Cleaners return an updated copy (`evolve`) and append what they did to `cleaning`.
    """

    text: str
    doc_id: str = ""
    source: str = ""
    url: str | None = None
    site: str | None = None
    title: str | None = None
    language: str = "und"
    language_score: float = 0.0
    published_at: datetime | None = None
    published_at_source: str | None = None
    fetched_at: datetime | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    agency: str | None = None
    dateline: str | None = None
    tags: list[str] = field(default_factory=list)
    word_count: int = 0
    content_hash: str = ""
    duplicate_of: str | None = None
    cleaning: list[Cleaning] = field(default_factory=list)
    run_id: str = ""
    # Working fields, not written: evidence gathered by early stages for later ones.
    date_candidates: list[DateCandidate] = field(default_factory=list)
    description: str | None = None
    source_group: str = ""  # site or source folder, the scope of learned boilerplate
    input_excerpt: str = ""  # the input's first bytes, escaped: shown if a later step rejects it

    def evolve(self, *entries: Cleaning, **changes: object) -> Document:
        """A copy with `changes` applied and `entries` appended to the cleaning log.

        >>> doc = Document(text="a\\n\\nb")
        >>> new = doc.evolve(Cleaning.of("x", "removed", "b"), text="a")
        >>> (doc.text, new.text, [c.rule for c in new.cleaning])
        ('a\\n\\nb', 'a', ['x'])
        """
        updated = dataclasses.replace(self, **changes)  # type: ignore[arg-type]
        if entries:
            updated.cleaning = [*self.cleaning, *entries]
        return updated


class RejectedDocument(Exception):
    """A document that cannot be cleaned; carries what its `rejected` row will say."""

    def __init__(self, reason: str, detail: str, stage: str = "clean", excerpt: str = "") -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.stage = stage
        self.excerpt = excerpt
