"""Names in bylines and credits: who wrote a piece, and what is a headline, town or outlet."""

from __future__ import annotations

import re
from datetime import datetime

from cleaners.metadata.agencies import AGENCY_NAME, agency_named
from cleaners.metadata.authors import PARENTHESIS, ROLE_WORDS, credited_agency
from cleaners.metadata.dates import parse_date_line
from cleaners.metadata.page import lines_near_headline, visible_html

NAME_SEPARATOR = re.compile(r"\s{0,3}(?:[,;&/]|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b)\s{0,3}")
PLACE_SUFFIX = re.compile(r"\s(?:in|from|à|en|in der|aus|em|a|w)\s[A-Z][\w'’. -]{0,40}$")
_NAME_PARTICLES_TEXT = (
    "de da di du del della der den van von vom zu ter ten le la al el bin ibn dos das do y e"
)
NAME_PARTICLES: frozenset[str] = frozenset(_NAME_PARTICLES_TEXT.split())
# Words a person's name never starts with: articles and possessives of outlet and desk names
# ("The Washington Post", "Our Correspondent", "Onze redactie", "Le Monde", "El País").
_NOT_NAME_STARTS_TEXT = (
    "the der die das les het our unsere unser onze notre nos nuestra nuestro nuestros nostro "
    "nostra nosso nossa le la el il lo"
)
NOT_NAME_STARTS: frozenset[str] = frozenset(_NOT_NAME_STARTS_TEXT.split())
NAME_TOKEN = re.compile(r"[A-ZÀ-ÞĀ-ſА-ЯЁ][\w'’.-]{0,30}")

# A byline may sit in a list item ("- Escrito por …") and name the act: blog templates print
# "Posted by", "Veröffentlicht von", "Publié par", "Publicado por" above the post.
BYLINE = re.compile(
    r"^(?:[-–—•]\s{1,2})?"
    r"(?:(?:by|par|von|di|por|door|av|af|przez|écrit par|escrito por|scritto da|geschrieben von|"
    r"redactado por|(?:posted|published|written) by|(?:veröffentlicht|erstellt|verfasst|gepostet) "
    r"von|(?:publié|posté|rédigé) par|(?:pubblicato|postato) da|(?:publicado|postado|posteado) por|"
    r"(?:geplaatst|geschreven|gepubliceerd) door|(?:opublikowane|opublikowano|napisane) przez)"
    r"(?:\s{0,3}:)?\s{1,3}|(?:autor|autorka|autorzy|author|authors|yazar|yazan|автор|text|texto|"
    r"redacción|redaktion)\s{0,3}:\s{0,3})"
    r"(?P<names>[^\W\d_].{0,150})$",
    re.IGNORECASE,
)
BYLINE_TAIL_SEPARATOR = re.compile(r"\s{0,3}[|•·—–]\s{0,3}|\s-\s")
BYLINE_MAX_WORDS = 14


def _name_like(part: str) -> bool:
    tokens = part.split()
    if not 1 <= len(tokens) <= 5:
        return False
    capitalised = [t for t in tokens if NAME_TOKEN.fullmatch(t)]
    others = [t for t in tokens if not NAME_TOKEN.fullmatch(t)]
    return bool(capitalised) and all(t.casefold() in NAME_PARTICLES for t in others)


def names_in(text: str) -> list[str] | None:
    """Person names in a credit or byline fragment; None when a part is not a name."""
    names = []
    for part in NAME_SEPARATOR.split(text.strip(" .;,()[]")):
        part = PLACE_SUFFIX.sub("", part.strip(" .;,()[]"))
        if not part:
            continue
        if not _name_like(part):
            return None
        names.append(part)
    return names


def parse_byline(line: str) -> tuple[list[str], str | None] | None:
    """(names, agency) of a byline such as "By Jane Doe and John Roe, Reuters", else None.

    A byline names people by first and last name: a single capitalised word or an outlet after
    such a name is the writer's town or paper ("Von Anna Schmidt, Berlin"); a line whose first
    name is a single word or an outlet, or where a name begins with a lower-case word, is a
    headline that begins like a byline ("Von der Leyen in Kiew", "Von Mäusen und Menschen").

    >>> parse_byline("By Jane Doe and John Roe, Reuters")
    (['Jane Doe', 'John Roe'], 'Reuters')
    >>> parse_byline("Von Anna Schmidt, Berlin")
    (['Anna Schmidt'], None)
    >>> parse_byline("By Jane Doe, The Washington Post")
    (['Jane Doe'], None)
    >>> parse_byline("Por Agencia EFE")
    ([], 'EFE')
    >>> [parse_byline(line) for line in ("Von der Leyen in Kiew", "Von Mäusen und Menschen")]
    [None, None]
    >>> parse_byline("Von Berlin aus fuhr der Zug weiter.") is None
    True
    >>> parse_byline("- Publicado por Alberto González")
    (['Alberto González'], None)
    >>> parse_byline("By Evan Symon, August 14, 2020 2:30 pm")
    (['Evan Symon'], None)
    >>> parse_byline("Par Marie Dupont avec AFP"), parse_byline("Por Ana García (EFE)")
    ((['Marie Dupont'], 'AFP'), (['Ana García'], 'EFE'))
    >>> parse_byline("Par Marie Dupont, envoyée spéciale à Astana")
    (['Marie Dupont'], None)
    """
    if len(line.split()) > BYLINE_MAX_WORDS:
        return None
    match = BYLINE.match(line)
    if match is None:
        return None
    names_text, agency = _credits(split_trailing_date(match["names"])[0])
    parts = BYLINE_TAIL_SEPARATOR.split(names_text)
    names: list[str] = []
    for number, part in enumerate(parts):
        if number > 0 and parse_date_line(part) is not None:
            continue
        pieces = NAME_SEPARATOR.split(part.strip(" .;,"))
        for position, piece in enumerate(pieces):
            piece = piece.strip()
            if position and piece.split(" ", 1)[0].casefold() in ROLE_WORDS:
                continue  # the job of the name before it: "Marie Dupont, envoyée spéciale"
            if AGENCY_NAME.fullmatch(piece):
                agency = agency or agency_named(piece)
                continue
            parsed = names_in(piece)
            if parsed is None:
                return None
            names.extend(parsed)
    if not names:
        return ([], agency) if agency else None  # "Por Agencia EFE": the agency wrote it
    if not _person_like(names[0]) or any(name[0].islower() for name in names):
        return None
    return [name for name in names if _person_like(name)], agency


def split_trailing_date(names: str) -> tuple[str, datetime | None]:
    """The names of a byline, and the date a comma joins to them ("Jane Doe, 14 July 2024").

    >>> split_trailing_date("Evan Symon, August 14, 2020 2:30 pm")
    ('Evan Symon', datetime.datetime(2020, 8, 14, 14, 30, tzinfo=datetime.timezone.utc))
    >>> split_trailing_date("Anna Schmidt, Berlin")
    ('Anna Schmidt, Berlin', None)
    """
    start = names.find(", ")
    while start != -1:
        value = parse_date_line(names[start + 2 :])
        if value is not None:
            return names[:start], value
        start = names.find(", ", start + 2)
    return names, None


def _credits(names: str) -> tuple[str, str | None]:
    """The names of a byline without the agency it credits, and that agency.

    >>> _credits("Marie Dupont avec AFP"), _credits("Ana García (EFE)")
    (('Marie Dupont', 'AFP'), ('Ana García', 'EFE'))
    >>> _credits("Jane Doe (Berlin)")
    ('Jane Doe (Berlin)', None)
    """
    agency = None
    for bracket in PARENTHESIS.finditer(names):
        found = agency_named(bracket[1] or bracket[2] or "")
        if found is not None:
            agency = agency or found
            names = names.replace(bracket[0], " ")
    credited, before = credited_agency(" ".join(names.split()))
    if credited is not None and before:
        return before, agency or credited
    return " ".join(names.split()), agency


def _person_like(name: str) -> bool:
    """A first and last name, not one word and not an outlet ("The …") or a desk ("Our …")."""
    first, *rest = name.split()
    return bool(rest) and first.casefold() not in NOT_NAME_STARTS


def byline_date(line: str) -> datetime | None:
    """The date written after the names of a byline, if any.

    >>> byline_date("Von Anna Schmidt, 3. Juli 2024").date().isoformat()
    '2024-07-03'
    >>> byline_date("Par Marie Dupont | 30 septembre 2018").date().isoformat()
    '2018-09-30'
    >>> byline_date("Von Anna Schmidt, Berlin") is None
    True
    """
    match = BYLINE.match(line)
    if match is None:
        return None
    names, written = split_trailing_date(match["names"])
    for part in BYLINE_TAIL_SEPARATOR.split(names)[1:]:
        written = written or parse_date_line(part)
    return written


def byline_near_headline(html: str, headline: str = "") -> tuple[list[str], str | None] | None:
    """(names, agency) of the first byline naming people next to a page's headline, else None.

    For pages whose main text and metadata name no author: the byline is printed in an element
    of its own above or below the headline, and extraction leaves it out.

    >>> byline_near_headline("<h1>Summit in Astana</h1><p>By Jane Doe</p><p>Leaders met.</p>")
    (['Jane Doe'], None)
    >>> byline_near_headline("<h1>Summit in Astana</h1><p>Von der Leyen in Kiew</p>") is None
    True
    """
    for line, _ in lines_near_headline(visible_html(html), headline):
        parsed = parse_byline(line)
        if parsed is not None and parsed[0]:
            return parsed
    return None
