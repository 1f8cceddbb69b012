"""The headline of a plain-text scrape: its first line, when that line reads like one."""

from __future__ import annotations

import re

from cleaners.document import Cleaning, DateCandidate, Document
from cleaners.metadata.dates import parse_date_line

# Language switchers kept above or under the headline ("Français", "English | Deutsch").
LANGUAGE_LABELS: frozenset[str] = frozenset(
    """
    english français francais deutsch italiano español espanol português portugues nederlands
    polski русский türkçe turkce українська čeština cestina svenska română romana magyar
    ελληνικά български dansk suomi العربية עברית فارسی हिन्दी हिंदी 中文 简体中文 繁體中文
    日本語 한국어 norsk català eesti latviešu lietuvių slovenčina slovenščina hrvatski srpski
    српски қазақша o'zbekcha
    """.split()  # noqa: SIM905
) | {"tiếng việt", "bahasa indonesia", "bahasa melayu"}
LABEL_SEPARATOR = re.compile(r"\s*[|/•·,]\s*")
# A headline ends without a full stop; "?" and "!" are fine, "..." is a teaser, not a headline.
CLOSING_PERIOD = re.compile(r"(?:[.。]|\.\.\.|…)[\"'”»)]?$")
# A byline above the body ("By Jane Doe", "Von Anna Schmidt") is short and has no full stop,
# but it is not a headline.
BYLINE_LINE = re.compile(
    r"^(?:by|von|par|por|di|door|av|af|przez|автор)\s+\w+(?:[\s.'-]+\w+){0,3}$", re.IGNORECASE
)
MAX_HEADLINE_CHARS = 160
MAX_HEADLINE_WORDS = 30
MIN_BODY_WORDS = 8  # what follows must be text, not another short line or nothing
WORD = re.compile(r"\w+")


def _is_language_label(line: str) -> bool:
    """A line made only of language names, e.g. a language switcher.

    >>> [_is_language_label(line) for line in ("Français", "English | Deutsch", "Paris")]
    [True, True, False]
    """
    parts = [p for p in LABEL_SEPARATOR.split(line.strip().casefold()) if p]
    return bool(parts) and all(part in LANGUAGE_LABELS for part in parts)


def _normalised(line: str) -> str:
    return " ".join(WORD.findall(line.casefold()))


def _split_first_line(text: str) -> tuple[str, str]:
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    return first.strip(), rest


def take_headline(doc: Document) -> Document:
    """Move a plain-text scrape's first line to `title` when it reads like a headline.

    Language switchers and date lines around it are neither headline nor body: the switcher
    is dropped, a date line becomes a "text-header" date candidate.

    >>> doc = take_headline(Document(text="Xi and Putin meet in Astana\\nFrançais\\n"
    ...     "Chinese President Xi Jinping urged members of a club to resist meddling."))
    >>> doc.title
    'Xi and Putin meet in Astana'
    >>> doc.text
    'Chinese President Xi Jinping urged members of a club to resist meddling.'
    >>> [c.rule for c in doc.cleaning]
    ['language-label', 'headline']
    """
    text = doc.text or ""
    entries: list[Cleaning] = []
    candidates = list(doc.date_candidates)
    if doc.title:
        first, rest = _split_first_line(text)
        if first and _normalised(first) == _normalised(doc.title) and WORD.search(rest):
            return doc.evolve(
                Cleaning.of("headline", "removed", first, field="text"), text=rest.lstrip()
            )
        return doc

    def skip_furniture(body: str) -> str:
        """Drop language switchers and date widgets at the top of `body`."""
        while True:
            line, rest = _split_first_line(body)
            if not line:
                return body.lstrip()
            if _is_language_label(line):
                entries.append(Cleaning.of("language-label", "removed", line, field="text"))
            else:
                value = parse_date_line(line)
                if value is None:
                    return body.lstrip()
                entries.append(Cleaning.of("date-line", "moved", line, field="published_at"))
                candidate = DateCandidate(value, "text-header")
                if candidate not in candidates:
                    candidates.append(candidate)
            body = rest

    body = skip_furniture(text)
    first, rest = _split_first_line(body)
    if (
        not first
        or len(first) > MAX_HEADLINE_CHARS
        or len(WORD.findall(first)) > MAX_HEADLINE_WORDS
        or CLOSING_PERIOD.search(first)
        or BYLINE_LINE.match(first)
    ):
        return doc
    rest = skip_furniture(rest)
    if len(WORD.findall(rest)) < MIN_BODY_WORDS:
        return doc
    entries.append(Cleaning.of("headline", "moved", first, field="title"))
    return doc.evolve(*entries, title=first, text=rest, date_candidates=candidates)
