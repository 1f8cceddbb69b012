"""Moved fields: hashtags, tag lists, wire credits, datelines, bylines and dates leave the body."""

from __future__ import annotations

import re

from cleaners.document import Cleaning, DateCandidate, Document
from cleaners.metadata.agencies import AGENCY_PATTERN, agencies_credited
from cleaners.metadata.bylines import byline_date, names_in, parse_byline
from cleaners.metadata.dates import parse_date_line
from cleaners.options import DEFAULT_OPTIONS, CleanOptions
from cleaners.residue.lines import text_lines, words, zones
from cleaners.text import join_paragraphs

# "Tags: a, b, c" below an article, in the languages with rule files.
TAG_LIST_LINE = re.compile(
    r"^(?:tags|tagged|topics|filed under|keywords|mots-clés|mots clés|étiquettes|thèmes|"
    r"schlagwörter|schlagworte|stichwörter|themen|argomenti|parole chiave|etiquetas|temas|"
    r"palabras clave|palavras-chave|assuntos|trefwoorden|onderwerpen|tagi|tematy|"
    r"słowa kluczowe|теги|метки|ключевые слова|etiketler|anahtar kelimeler|konular)"
    r"\s{0,3}:\s{0,3}(?P<tags>\S.{0,500})$",
    re.IGNORECASE,
)
TAG_SEPARATOR = re.compile(r"\s{0,3}[,;|·•/]\s{0,3}")
MAX_TAG_WORDS = 5
HASHTAG = re.compile(r"#([^\W\d_][\w-]{0,60})")
HASHTAG_LINE = re.compile(r"^(?:#[^\W\d_][\w-]{0,60}[\s,;·|]{0,5}){1,40}$")

# Roles in wire-service credit lines; editors go to `editors`, every other role to `authors`.
CREDIT_ROLE = re.compile(
    r"(?i)\b(additional reporting by|reporting by|reported by|writing by|written by|"
    r"editing by|edited by|compiled by|research by|graphics by|"
    r"bericht von|mitarbeit|redigiert von|bearbeitet von|"
    r"reportage|rédigé par|édité par|édition|version française|"
    r"reporte de|reportaje de|redacción de|editado por|editado en español por|escrito por|"
    r"reportagem adicional de|reportagem de|edição de|edição|"
    r"reportage door|bewerkt door)\b\s{0,3}:?\s{0,3}"
)
EDITOR_ROLE = re.compile(r"(?i)^(edit|redig|bearbeit|édit|version|edição|bewerkt)")
# Reuters credit lines lose their separators when scraped ("Pavel MikheyevWriting by Olzhas").
_GLUED_ROLE_WORDS = (
    r"(?:Additional reporting|Reporting|Writing|Editing|Edited|Compiled|"
    r"Research|Graphics|Bericht|Redigiert|Reportage|Reporte|Editado|Reportagem|Edição)\b"
)
GLUED_ROLE = re.compile(rf"(?<=[a-zà-ÿ.])(?={_GLUED_ROLE_WORDS})")
# The role words alone: a line without any needs no separating, and one search for them is
# cheaper than trying the look-behind at every position.
GLUED_ROLE_WORD = re.compile(_GLUED_ROLE_WORDS)
CREDIT_LINE = re.compile(r"^[(\[]?\s{0,3}" + CREDIT_ROLE.pattern.removeprefix("(?i)"), re.I)
# Capital and small letters of place names: Latin-1 and Latin Extended-A ("GDAŃSK", "Łódź",
# "İZMİR"), Cyrillic.
_EXTENDED = [chr(code) for code in range(0x100, 0x180)]
UPPER = "A-ZÀ-ÖØ-Þ" + "".join(c for c in _EXTENDED if c.isupper()) + "А-ЯЁ"
LOWER = "a-zß-öø-ÿ" + "".join(c for c in _EXTENDED if c.islower()) + "а-яё"
# "ASTANA (Reuters) -", "MOSCOW, July 4 (Reuters) -", "Berlin (dpa) -", "Madrid (EFE).-".
DATELINE_WITH_AGENCY = re.compile(
    rf"^(?:(?P<place>[{UPPER}][{UPPER}'’.\-]{{1,30}}"
    rf"(?: [{UPPER}][{UPPER}'’.\-]{{1,30}}){{0,3}}"
    rf"|[{UPPER}][{LOWER}'’\-]{{1,30}}(?: [{UPPER}][{LOWER}'’\-]{{1,30}}){{0,2}})"
    r"(?:,\s{0,2}[^()\n]{1,40}?)?\s{0,3})?"
    rf"\((?P<agency>(?:{AGENCY_PATTERN})(?:\s{{0,2}}/\s{{0,2}}(?:{AGENCY_PATTERN})){{0,3}})\)"
    r"\s{0,3}(?:\.\s{0,2})?[-–—:]{1,2}\s{0,3}"
)
# "WASHINGTON — " with no agency: only an all-capitals place of four letters or more.
DATELINE_CAPITALS = re.compile(
    rf"^(?P<place>[{UPPER}][{UPPER}'’.\-]{{3,30}}(?: [{UPPER}][{UPPER}'’.\-]{{1,30}}){{0,3}})"
    r"(?:,\s{0,2}[A-Z][\w.]{1,20}(?: [A-Z][\w.]{1,20}){0,2})?"
    rf"\s{{1,3}}[-–—]{{1,2}}\s{{1,3}}(?=[{UPPER}\"“«])"
)
# Date lines that give the last modification ("Updated …", "Aktualisiert am …").
UPDATE_DATE_LINE = re.compile(
    r"^[-–—•·|\s]{0,3}(?:last )?(?:updated|modified|mis à jour|modifié|aktualisiert|geändert|"
    r"aggiornato|aggiornata|actualizado|actualizada|atualizado|atualizada|bijgewerkt|"
    r"gewijzigd|aktualizacja|aktualizowano|обновлено|изменено|güncelleme|güncellendi)\b",
    re.IGNORECASE,
)
HEAD_FIELD_LINES = 6  # bylines and dates live in the first lines, even before a short intro
TAIL_FIELD_LINES = 6


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def move_hashtags(doc: Document) -> Document:
    """Lines made only of hashtags become `tags` (without the '#').

    >>> doc = move_hashtags(Document(text="Xi met Putin.\\n#Putin #summit #Kazakhstan"))
    >>> doc.text, doc.tags, doc.cleaning[0].field
    ('Xi met Putin.', ['Putin', 'summit', 'Kazakhstan'], 'tags')
    """
    lines = text_lines(doc.text)
    kept: list[str] = []
    tags = list(doc.tags)
    entries: list[Cleaning] = []
    for line in lines:
        if line.startswith("#") and len(line) <= 2000 and HASHTAG_LINE.match(line):
            tags.extend(HASHTAG.findall(line))
            entries.append(Cleaning.of("hashtag-line", "moved", line, field="tags"))
        else:
            kept.append(line)
    if not entries:
        return doc
    return doc.evolve(*entries, text=join_paragraphs(kept), tags=_unique(tags))


def move_tag_lists(doc: Document) -> Document:
    """A "Tags: a, b" line below the article becomes `tags`.

    >>> doc = move_tag_lists(Document(text="Xi met Putin in Astana.\\nTags: SCO, Kazakhstan"))
    >>> doc.text, doc.tags
    ('Xi met Putin in Astana.', ['SCO', 'Kazakhstan'])
    """
    lines = text_lines(doc.text)
    _, tail_start = zones(lines)
    first = min(tail_start, max(0, len(lines) - TAIL_FIELD_LINES))
    tags = list(doc.tags)
    entries: list[Cleaning] = []
    kept = lines[:first]
    for line in lines[first:]:
        match = TAG_LIST_LINE.match(line) if len(line) <= 600 else None
        found = [t.strip(" .#") for t in TAG_SEPARATOR.split(match["tags"])] if match else []
        found = [tag for tag in found if tag]
        if not found or any(words(tag) > MAX_TAG_WORDS for tag in found):
            kept.append(line)
            continue
        tags.extend(found)
        entries.append(Cleaning.of("tag-list", "moved", line, field="tags"))
    if not entries:
        return doc
    return doc.evolve(*entries, text=join_paragraphs(kept), tags=_unique(tags))


def parse_wire_credit(line: str) -> tuple[list[str], list[str]] | None:
    """(authors, editors) of a wire-service credit line, or None when the line is not one.

    >>> parse_wire_credit("(Reporting by Pavel MikheyevWriting by Olzhas Auyezov; "
    ...                   "editing by Guy Faulconbridge and Gareth Jones)")
    (['Pavel Mikheyev', 'Olzhas Auyezov'], ['Guy Faulconbridge', 'Gareth Jones'])
    >>> parse_wire_credit("Reporting by the BBC showed the gap.") is None
    True
    """
    if len(line) > 600:
        return None
    separated = GLUED_ROLE.sub("; ", line) if GLUED_ROLE_WORD.search(line) else line
    if not CREDIT_LINE.match(separated):
        return None
    body = separated.strip().strip("()[]")
    authors: list[str] = []
    editors: list[str] = []
    roles = list(CREDIT_ROLE.finditer(body))
    if not roles or body[: roles[0].start()].strip(" ;,"):
        return None
    for number, role in enumerate(roles):
        end = roles[number + 1].start() if number + 1 < len(roles) else len(body)
        names = names_in(body[role.end() : end])
        if not names:
            return None
        (editors if EDITOR_ROLE.match(role.group(1)) else authors).extend(names)
    return authors, editors


def move_wire_credits(doc: Document) -> Document:
    """A wire credit line at the end of the body becomes `authors` and `editors`.

    >>> doc = move_wire_credits(Document(text="Xi spoke first.\\n\\n"
    ...     "(Reporting by Pavel MikheyevWriting by Olzhas Auyezov; editing by Guy Faulconbridge)"))
    >>> doc.text, doc.authors, doc.editors
    ('Xi spoke first.', ['Pavel Mikheyev', 'Olzhas Auyezov'], ['Guy Faulconbridge'])
    """
    lines = text_lines(doc.text)
    _, tail_start = zones(lines)
    first = max(0, min(tail_start - 1, len(lines) - TAIL_FIELD_LINES))
    authors, editors = list(doc.authors), list(doc.editors)
    entries: list[Cleaning] = []
    kept = lines[:first]
    for line in lines[first:]:
        parsed = parse_wire_credit(line)
        if parsed is None:
            kept.append(line)
            continue
        authors.extend(parsed[0])
        editors.extend(parsed[1])
        if parsed[0]:
            entries.append(Cleaning.of("wire-credit", "moved", line, field="authors"))
        if parsed[1]:
            entries.append(Cleaning.of("wire-credit", "moved", line, field="editors"))
    if not entries:
        return doc
    return doc.evolve(
        *entries, text=join_paragraphs(kept), authors=_unique(authors), editors=_unique(editors)
    )


def move_dateline(doc: Document) -> Document:
    """A dateline opening the first paragraphs becomes `dateline` and `agency`; the body then
    starts at its real first word.

    >>> doc = move_dateline(Document(text="ASTANA (Reuters) -Chinese President Xi Jinping spoke."))
    >>> doc.text, doc.dateline, doc.agency
    ('Chinese President Xi Jinping spoke.', 'ASTANA', 'Reuters')
    """
    lines = text_lines(doc.text)
    head_end, _ = zones(lines)
    for index in range(min(len(lines), max(head_end + 1, 1), HEAD_FIELD_LINES)):
        line = lines[index]
        match = DATELINE_WITH_AGENCY.match(line)
        agency = agencies_credited(match["agency"]) if match else None
        if match is None and index == head_end:
            match = DATELINE_CAPITALS.match(line)
        if match is None:
            continue
        rest = line[match.end() :].lstrip()
        if not rest or not (rest[0].isalnum() or rest[0] in "\"“«„'‘") or rest[0].islower():
            continue  # a sentence follows a dateline; "(AP) - founded in 1846 - …" is an aside
        if agency is None and _closes_an_aside(match.group(0), rest):
            continue
        place = match["place"].strip() if match["place"] else None
        entries = []
        changes: dict[str, object] = {}
        if place and doc.dateline is None:
            changes["dateline"] = place
            entries.append(Cleaning.of("dateline", "moved", match.group(0).strip(), "dateline"))
        if agency and doc.agency is None:
            changes["agency"] = agency
            entries.append(Cleaning.of("dateline", "moved", match.group(0).strip(), "agency"))
        if not entries:
            entries.append(Cleaning.of("dateline", "removed", match.group(0).strip()))
        lines[index] = rest
        return doc.evolve(*entries, text=join_paragraphs(lines), **changes)
    return doc


def _closes_an_aside(opening: str, rest: str) -> bool:
    """Whether the dash after a word in capitals is closed again in the same sentence, as in
    "UEFA — European football's governing body — said …": an aside, not a dateline.

    >>> _closes_an_aside("UEFA — ", "European football's governing body — said on Friday.")
    True
    >>> _closes_an_aside("WASHINGTON — ", "The talks ended. Officials — tired — left.")
    False
    """
    dash = next(char for char in reversed(opening) if char in "-–—")
    sentence = rest.split(". ", 1)[0]
    return f" {dash} " in f"{sentence} "


def move_bylines(doc: Document) -> Document:
    """A byline among the first lines becomes `authors` (and `agency` when it names one, and a
    date candidate when a date follows the names).

    >>> doc = move_bylines(Document(text="Summit ends\\nPar Marie Dupont\\n"
    ...                    "Les dirigeants se sont quittés jeudi soir après deux jours de débats."))
    >>> doc.text.splitlines()[0], doc.authors
    ('Summit ends', ['Marie Dupont'])
    """
    lines = text_lines(doc.text)
    head_end, _ = zones(lines)
    limit = min(len(lines), max(head_end, 1) + 1, HEAD_FIELD_LINES)
    authors = list(doc.authors)
    agency = doc.agency
    candidates = list(doc.date_candidates)
    entries: list[Cleaning] = []
    kept: list[str] = []
    for index, line in enumerate(lines):
        parsed = parse_byline(line) if index < limit else None
        if parsed is None:
            kept.append(line)
            continue
        # The window counts the lines that stay: the line below a moved byline is now one of
        # the first lines, as the next pass would see it.
        limit = min(len(lines), limit + 1)
        if parsed[0]:
            authors.extend(parsed[0])
            entries.append(Cleaning.of("byline", "moved", line, field="authors"))
        written = byline_date(line)
        if written is not None:
            candidates.append(DateCandidate(written, "text-header"))
            entries.append(Cleaning.of("byline", "moved", line, field="published_at"))
        if parsed[1] and agency is None:
            agency = parsed[1]
            entries.append(Cleaning.of("byline", "moved", line, field="agency"))
        elif not parsed[0]:
            entries.append(Cleaning.of("byline", "removed", line))
    if not entries:
        return doc
    return doc.evolve(
        *entries,
        text=join_paragraphs(kept),
        authors=_unique(authors),
        agency=agency,
        date_candidates=candidates,
    )


def move_header_dates(doc: Document, options: CleanOptions = DEFAULT_OPTIONS) -> Document:
    """A line holding only a date, above the article or below it, becomes a date candidate.

    >>> doc = move_header_dates(Document(text="giovedì, Aprile 18, 2024\\nPutin-Xi: vertice\\n"
    ...     "Si è concluso il vertice virtuale tra i due presidenti, che hanno discusso a lungo."))
    >>> doc.text.splitlines()[0], doc.date_candidates[0].value.isoformat()
    ('Putin-Xi: vertice', '2024-04-18T00:00:00+00:00')
    """
    lines = text_lines(doc.text)
    head_end, tail_start = zones(lines)
    head_end = max(head_end, min(len(lines), 1))
    candidates = list(doc.date_candidates)
    entries: list[Cleaning] = []
    kept: list[str] = []
    for index, line in enumerate(lines):
        in_zone = index < min(head_end, HEAD_FIELD_LINES) or index >= max(
            tail_start, len(lines) - TAIL_FIELD_LINES
        )
        value = parse_date_line(line, options.min_year) if in_zone else None
        if value is None:
            kept.append(line)
            continue
        if UPDATE_DATE_LINE.match(line):
            # A modification time is not the publication time: drop it, do not offer it.
            entries.append(Cleaning.of("update-date", "removed", line))
            continue
        candidates.append(DateCandidate(value, "text-header"))
        entries.append(Cleaning.of("header-date", "moved", line, field="published_at"))
    if not entries:
        return doc
    return doc.evolve(*entries, text=join_paragraphs(kept), date_candidates=candidates)
