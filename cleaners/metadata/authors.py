"""Author bylines to person names, with news agencies split out."""

from __future__ import annotations

import html
import re
import unicodedata

from cleaners.metadata.agencies import agency_named
from cleaners.metadata.urls import identity, site_names

# Words that start a job title after a name: "Jane Doe, Senior Political Correspondent".
ROLE_WORDS: frozenset[str] = frozenset(
    """
    staff writer writers reporter reporters correspondent correspondents editor editors
    editorial columnist contributor contributing freelance freelancer photographer
    senior chief deputy associate assistant managing executive special foreign political
    business sports science health technology tech national international political
    analyst producer anchor intern desk bureau
    redakteur redakteurin korrespondent korrespondentin redaktion autor autorin
    journaliste correspondant correspondante rédacteur rédactrice envoyé envoyée spécial
    spéciale giornalista corrispondente redattore inviato inviata periodista corresponsal
    redactor redactora enviado enviada jornalista correspondente repórter redacteur
    verslaggever dziennikarz dziennikarka korespondent redaktor корреспондент
    журналист редактор muhabir editörü
    """.split()  # noqa: SIM905
)
# Byline openers ("By", "Von", "Par", "Por", "Di", "Door", "Av", "Af", "Przez", "Автор"...).
BYLINE_PREFIX = re.compile(
    # Link labels of author pages too: "View all posts by", "Alle Beiträge von".
    r"^(?:(?:(?:view|see|read)\s+)?(?:all\s+|more\s+|alle\s+|weitere\s+|tous\s+les\s+"
    r"|todos\s+(?:los|os)\s+|tutti\s+gli\s+|an?\s+|ein\s+|une?\s+|una?\s+)?"
    r"(?:posts?|articles?|stories|story|entries|entry|beitr(?:ag|äge)|artikel|artículos?"
    r"|articoli|articolo|artigos?|artikelen)\s+(?:by|from|von|de|di|van|od)"
    r"|(?:written|posted|reported|words|text|photos?)\s+by|by|von|vom|par|por|di|da|door|av|af"
    r"|przez|autor(?:in)?|author|auteur|autore|текст|автор|yazan|tekst|text|story|reporting)"
    r"\s*[:\-–—]?\s+",
    re.IGNORECASE,
)
# Words that, before an agency's name, make a credit of it rather than a person's name: "with",
# "material", "information", "reporting", "sources", "newsroom" and their prepositions, in the
# news languages ("Mit Material von AFP", "con información de EFE", "Redazione ANSA").
CREDIT_WORDS: frozenset[str] = frozenset(
    """
    with and from by of material materials information reporting report reports agency
    agencies wires wire sources source staff newsroom
    mit und von aus material informationen agenturen quelle quellen redaktion
    avec et de d' des du selon informations agences source sources rédaction
    con y de del información informaciones agencias fuente fuentes redacción
    com e de da do das dos informações agências fonte fontes redação
    con e di da dell' della delle informazioni agenzie fonte fonti redazione
    met en van door informatie persbureaus bron redactie
    z i ze od według informacji agencji źródło redakcja
    с по данным и агентств источник редакция
    ile ve kaynak ajanslar
    """.split()  # noqa: SIM905
)
# Between names: commas, semicolons, "&", slashes, pipes, a dash between spaces ("Ana García
# - EFE") and "and" in the news languages.
NAME_SEPARATOR = re.compile(
    r"\s*(?:[,;&|/+·•]|(?<=\s)[-–—](?=\s)|\band\b|\bund\b|\bet\b|\ben\b|\bog\b|\boch\b|\bve\b|\bés\b|\bja\b"
    # One-letter conjunctions only in lower case: upper-case single letters are initials.
    r"|(?-i:\b[eyia]\b)|\bși\b|\bsi\b|\bи\b|\bі\b|\bта\b|\bdan\b|\bkai\b|\bκαι\b)\s*",
    re.IGNORECASE,
)
# Links and e-mail addresses in a byline ("Jane Doe https://x.com/jdoe", "jdoe@example.com").
LINK_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+", re.IGNORECASE)
# Control characters and lone surrogates (broken decoding) cannot be written out as a name.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\ufeff]")
PARENTHESIS = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")
# Things found in author fields that are not names.
JUNK_NAME = re.compile(
    r"https?://|www\.|@|\.(?:com|org|net|de|fr)\b|\d|"
    r"^(?:e-?mail|follow|view|see|more|read|contact|share|tweet|subscribe|click|posted|"
    r"updated|published|by|admin|administrator|staff|guest|anonymous|unknown|none|null|"
    r"redaktion|rédaction|redazione|redacción|redação|redactie|redakcja|редакция|the editors?|"
    r"editorial board|news desk|newsroom|web desk|online desk|team|user|super user|author|"
    # Placeholders of publishing systems, and photo-credit abbreviations.
    r"name|anonym|anonyme|anónimo|anonimo|anônimo|unbenannt|untitled|sin nombre|zvg|theme|"
    r"no author|kein autor|sans auteur|sin autor|sem autor|nessun autore|geen auteur)\b|"
    # Labels of the fields beside a byline ("Datum", "Date"), caught in it.
    r"^(?:date|datum|fecha|data|дата|tarih)$|"
    # A commenter's label ("Art Edwards says:"), not the article's author.
    r"\s(?:says|said|sagt|schreibt|dit|dice|escribe|disse|scrive|zegt|schrijft|pisze|napisał)$|"
    r"\b(?:ago|hours?|minutes?|seconds?|days?|yesterday|today|min read|read more|"
    r"the author|all posts|all articles|articles by|posts by|profile)\b",
    re.IGNORECASE,
)
# Words that make a credit an organisation or a photo credit rather than a person.
ORGANISATION_WORDS: frozenset[str] = frozenset(
    """
    images image photo photos foto fotos getty shutterstock istock imago picture-alliance
    news media online newsroom agency agentur agence agencia magazine magazin zeitung
    gazette tv radio channel network press presse prensa imprensa
    gmbh ag kg ug e.v. ev inc ltd llc corp plc s.a. srl s.r.l. spa s.p.a. bv nv
    verlag stiftung foundation verein verband bundesverband institut institute
    ministerium ministry department departement partei party fraktion bundestagsfraktion
    university universität universidad université università
    """.split()  # noqa: SIM905
)
# A host name split into words ("Www Proplanta De", "Kath Net"): not a person.
DOMAIN_WORDS = frozenset("com org net de ch at fr it es nl pl eu info io co uk".split())  # noqa: SIM905
# "Jane Doe in Kyiv", "Anna Schmidt aus Berlin": the place a reporter files from.
PLACE_SUFFIX = re.compile(r"\s+(?:in|from|reporting from|aus|à|depuis|desde|из)\s+\S.*$")
# A lone short all-capitals word is an outlet's acronym (CNN, BBC, ORF), not a person.
ACRONYM = re.compile(r"^[A-Z]{2,5}$")
CAPS_PARTICLE = frozenset(
    "van von de der den da di du del della des la le bin al el ibn ter ten zu dos das".split()  # noqa: SIM905
)
MC_PREFIX = re.compile(r"\bMc([a-z])")
# Longer author fields are page text caught by a loose selector, not bylines.
MAX_BYLINES = 50
MAX_BYLINE_CHARS = 1000
MAX_NAME_WORDS = 6
MAX_NAME_CHARS = 60


def credited_agency(part: str) -> tuple[str | None, str]:
    """The agency a credit phrase at the end of `part` names, and what comes before the phrase.

    >>> credited_agency("con información de EFE"), credited_agency("Pierre Martin avec AFP")
    (('EFE', ''), ('AFP', 'Pierre Martin'))
    >>> credited_agency("Jane Reuters"), credited_agency("with Jane Doe")
    ((None, 'Jane Reuters'), (None, 'with Jane Doe'))
    """
    words = part.split()
    for size in (1, 2, 3):
        found = agency_named(" ".join(words[-size:])) if len(words) > size else None
        if found is None:
            continue
        start = len(words) - size
        while start and words[start - 1].casefold().strip(".,:") in CREDIT_WORDS:
            start -= 1
        if start < len(words) - size:  # at least one credit word: "with AFP", not "Jane AFP"
            return found, " ".join(words[:start])
    return None, part


def _fix_caps(name: str) -> str:
    """Title-case a name written in capitals; other names keep their own casing.

    >>> _fix_caps("JEAN-PIERRE VAN DER BERG"), _fix_caps("Danah boyd"), _fix_caps("MCDONALD")
    ('Jean-Pierre van der Berg', 'Danah boyd', 'McDonald')
    """
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return name
    words = name.lower().split()
    fixed = [
        word
        if i and word in CAPS_PARTICLE
        else MC_PREFIX.sub(lambda m: "Mc" + m[1].upper(), word.title())
        for i, word in enumerate(words)
    ]
    return " ".join(fixed)


def _strip_role(part: str) -> str:
    """The name before a job title or a place: "Jane Doe Staff Writer" -> "Jane Doe"."""
    words = PLACE_SUFFIX.sub("", part).split()
    for i, word in enumerate(words):
        if word.lower().strip(".,:") in ROLE_WORDS:
            return " ".join(words[:i])
    return " ".join(words)


def _is_organisation(part: str) -> bool:
    return any(word.strip(",:;()").casefold() in ORGANISATION_WORDS for word in part.split())


def _is_name(part: str) -> bool:
    words = part.split()
    if not part or len(part) > MAX_NAME_CHARS or len(words) > MAX_NAME_WORDS:
        return False
    if any(word.casefold().endswith(("redaktion", "rédaction", "redazione")) for word in words):
        return False  # "CHIP Software-Redaktion", "Online-Redaktion"
    if len(words) > 1 and (words[-1].casefold() in DOMAIN_WORDS or words[0].casefold() == "www"):
        return False
    if JUNK_NAME.search(part):
        return False
    letters = sum(c.isalpha() for c in part)
    return letters >= 2 and letters >= 0.6 * len(part.replace(" ", ""))


def normalize_authors(
    names: list[str], site: str | None = None, host: str | None = None
) -> tuple[list[str], str | None]:
    """Person names from byline strings, and the news agency they credit (or None).

    Beside other names, a name that is the site's own (`site`, or the name in its `host`) is
    the publisher; alone, it may be the person a personal site is named after, and stays.

    >>> normalize_authors(["By JANE DOE and John Roe, Staff Writer", "Email the author"])
    (['Jane Doe', 'John Roe'], None)
    >>> normalize_authors(["Pavel Mikheyev (Reuters)", "Von Anna Schmidt und Karl Weber, dpa"])
    (['Pavel Mikheyev', 'Anna Schmidt', 'Karl Weber'], 'Reuters')
    >>> normalize_authors(["Anna Schmidt, Ostbelgien Direkt"], host="ostbelgiendirekt.be")
    (['Anna Schmidt'], None)
    >>> normalize_authors(["Wolfgang Michal"], host="wolfgang-michal.de")
    (['Wolfgang Michal'], None)
    """
    publisher = site_names(site, host)
    people: dict[str, str] = {}
    agency: str | None = None
    for raw in names[:MAX_BYLINES]:
        if not isinstance(raw, str):
            continue
        raw = raw[:MAX_BYLINE_CHARS]
        # Meta tags may carry escaped entities ("Redacci&oacute;n"): ";" must not split them.
        text = html.unescape(raw)
        text = " ".join(unicodedata.normalize("NFC", UNPRINTABLE.sub(" ", text)).split())
        text = LINK_OR_EMAIL.sub(",", text)
        parts: list[str] = []
        for match in PARENTHESIS.finditer(text):
            # Bracketed credits are split like the rest, so a second pass finds the same names.
            parts.extend(NAME_SEPARATOR.split(match[1] or match[2] or ""))
        text = PARENTHESIS.sub(",", text)
        text = BYLINE_PREFIX.sub("", text)
        parts[:0] = NAME_SEPARATOR.split(text)
        found_here: list[str] = []
        organisation = False
        for part in parts:
            part = BYLINE_PREFIX.sub("", part.strip(" .:-–—'\"“”«»")).strip(" .:-–—")
            credited, part = credited_agency(part)
            agency = agency or credited
            without_role = _strip_role(part)
            found = agency_named(part) or agency_named(without_role)
            if found:
                agency = agency or found
                continue
            if ACRONYM.match(without_role):
                continue
            name = _fix_caps(without_role).strip(" .,")
            if _is_organisation(name):
                organisation = True
            elif _is_name(name):
                found_here.append(name)
        for name in found_here:
            # Beside an organisation, one-word parts are its address ("Verlag GmbH, Nürnberg").
            if not organisation or len(name.split()) > 1:
                people.setdefault(name.casefold(), name)
    named = [name for name in people.values() if identity(name) not in publisher]
    return named or list(people.values()), agency
