"""CleanOptions: the one settings object the cleaners take."""

from __future__ import annotations

from dataclasses import dataclass

# The languages newsclean has residue rules for and detects by default (ISO 639-1).
NEWS_LANGUAGES: tuple[str, ...] = (
    "ar", "bg", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he", "hi", "hu",
    "id", "it", "ja", "ko", "nl", "pl", "pt", "ro", "ru", "sv", "tr", "uk", "vi", "zh",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """What the per-document cleaners may do; defaults suit a general news crawl."""

    languages: tuple[str, ...] = NEWS_LANGUAGES
    min_year: int = 1990  # dates before this are rejected as publication dates
    max_input_bytes: int = 20_000_000  # larger documents are rejected, not parsed
    # HTML parsing time grows faster than the page: the largest real news pages are ~2 MB.
    max_html_bytes: int = 4_000_000
    min_words: int = 5  # bodies shorter than this are rejected as empty
    # A page cleans in well under a second; one still running after this is stopped and
    # rejected, so that it cannot hold up its shard (None: no limit).
    max_document_seconds: float | None = 30.0


DEFAULT_OPTIONS = CleanOptions()
