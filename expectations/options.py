"""QualityOptions: the thresholds the quality suites check, one typed object."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from cleaners.options import NEWS_LANGUAGES

UNDETERMINED_LANGUAGE = "und"
# A news body shorter than this is a teaser, a paywall stub or an extraction failure.
DEFAULT_MIN_BODY_CHARS = 200
# Scripts written without spaces say as much in far fewer characters.
UNSPACED_MIN_BODY_CHARS = 80
UNSPACED_LANGUAGES: tuple[str, ...] = ("ja", "zh")
KOREAN_MIN_BODY_CHARS = 120
MIN_BODY_CHARS_BY_LANGUAGE: Mapping[str, int] = MappingProxyType(
    {**dict.fromkeys(UNSPACED_LANGUAGES, UNSPACED_MIN_BODY_CHARS), "ko": KOREAN_MIN_BODY_CHARS}
)
MIN_TITLE_CHARS = 2  # "G7", "Öl": two letters can make a headline, one cannot
MAX_TITLE_CHARS = 300
MIN_DATE_SHARE = 0.5
MIN_TITLE_SHARE = 0.8
MIN_AUTHOR_SHARE = 0.2
# ftfy's badness counts sequences that only appear in mis-decoded text; clean text scores 0.
MAX_MOJIBAKE_BADNESS = 0
# One line (a widget label, a duplicated paragraph) filling half a body: not an article.
MAX_REPEATED_LINE_SHARE = 0.5
# Dates read without a time zone can sit up to UTC+14 hours ahead of the clock that fetched them.
CLOCK_TOLERANCE_HOURS = 14.0


@dataclass(frozen=True, slots=True)
class QualityOptions:
    """What a clean `articles` table must satisfy; defaults suit a general news crawl.

    >>> QualityOptions().min_body_chars_for("ja"), QualityOptions().min_body_chars_for("de")
    (80, 200)
    """

    languages: tuple[str, ...] = NEWS_LANGUAGES
    min_body_chars: Mapping[str, int] = field(default_factory=lambda: MIN_BODY_CHARS_BY_LANGUAGE)
    default_min_body_chars: int = DEFAULT_MIN_BODY_CHARS
    min_title_chars: int = MIN_TITLE_CHARS
    max_title_chars: int = MAX_TITLE_CHARS
    min_date_share: float = MIN_DATE_SHARE
    min_title_share: float = MIN_TITLE_SHARE
    min_author_share: float = MIN_AUTHOR_SHARE
    max_mojibake_badness: int = MAX_MOJIBAKE_BADNESS
    max_repeated_line_share: float = MAX_REPEATED_LINE_SHARE
    clock_tolerance_hours: float = CLOCK_TOLERANCE_HOURS
    # None: the cleaners' own whole-line residue rules (cleaners/rules); a tuple: exactly these.
    residue_patterns: tuple[re.Pattern[str], ...] | None = None

    def min_body_chars_for(self, language: str) -> int:
        return self.min_body_chars.get(language, self.default_min_body_chars)

    @property
    def allowed_languages(self) -> list[str]:
        return [*self.languages, UNDETERMINED_LANGUAGE]


DEFAULT_QUALITY = QualityOptions()
