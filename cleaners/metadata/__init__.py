"""Article metadata: language, publication date, authors, canonical URL and headline."""

from cleaners.metadata.authors import normalize_authors
from cleaners.metadata.dates import (
    choose_published_at,
    html_date_candidates,
    local_published_at,
    text_date_candidates,
)
from cleaners.metadata.language import detect_language
from cleaners.metadata.title import take_headline
from cleaners.metadata.urls import canonical_url, site_from_url

__all__ = [
    "canonical_url",
    "choose_published_at",
    "detect_language",
    "html_date_candidates",
    "local_published_at",
    "normalize_authors",
    "site_from_url",
    "take_headline",
    "text_date_candidates",
]
