"""Lines that hold nothing but a date (header date widgets, trailing timestamps) and their value."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

# Month names and abbreviations of the languages with rule files, casefolded. Genitive forms
# (Polish, Russian) are listed because that is how dates are written in running text.
MONTHS: dict[str, int] = {}
_MONTH_TABLES: tuple[tuple[str, ...], ...] = (
    # en
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"),
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    # fr
    ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"),
    ("janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"),
    # de
    ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
     "oktober", "november", "dezember"),
    ("jänner", "feber", "mär", "apr", "mai", "jun", "jul", "aug", "sept", "okt", "nov", "dez"),
    # it
    ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
     "settembre", "ottobre", "novembre", "dicembre"),
    ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"),
    # es
    ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
     "octubre", "noviembre", "diciembre"),
    ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "setiembre", "oct", "nov", "dic"),
    # pt
    ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
     "outubro", "novembro", "dezembro"),
    ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"),
    # nl
    ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
     "oktober", "november", "december"),
    # pl, nominative and genitive
    ("styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień",
     "wrzesień", "październik", "listopad", "grudzień"),
    ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
     "września", "października", "listopada", "grudnia"),
    # ru, nominative and genitive
    ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
     "октябрь", "ноябрь", "декабрь"),
    ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
     "октября", "ноября", "декабря"),
    # tr
    ("ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül",
     "ekim", "kasım", "aralık"),
)  # fmt: skip
for _table in _MONTH_TABLES:
    for _number, _name in enumerate(_table, start=1):
        MONTHS.setdefault(_name, _number)

_WEEKDAYS_TEXT = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur "
    "thurs fri sat sun lundi mardi mercredi jeudi vendredi samedi dimanche montag dienstag "
    "mittwoch donnerstag freitag samstag sonnabend sonntag lunedì martedì mercoledì "
    "giovedì venerdì lunedi martedi mercoledi giovedi venerdi sabato domenica lunes martes "
    "miércoles miercoles jueves viernes sábado sabado domingo segunda-feira terça-feira "
    "quarta-feira quinta-feira sexta-feira segunda terça quarta quinta sexta maandag "
    "dinsdag woensdag donderdag vrijdag zaterdag zondag poniedziałek wtorek środa czwartek "
    "piątek sobota niedziela понедельник вторник среда четверг пятница суббота воскресенье "
    "pazartesi salı çarşamba perşembe cuma cumartesi pazar"
)
WEEKDAYS: frozenset[str] = frozenset(_WEEKDAYS_TEXT.split())

# Words a date widget puts around the date itself ("Published on", "Mis à jour le", "Uhr").
_DATE_LINE_WORDS_TEXT = (
    "published updated posted last modified on at date the of publié publiée mis à jour le "
    "du à veröffentlicht aktualisiert am um uhr vom datum zuletzt pubblicato pubblicata "
    "aggiornato aggiornata il alle ore del publicado publicada actualizado actualizada el "
    "de a las fecha atualizado atualizada em às data gepubliceerd bijgewerkt op om "
    "opublikowano aktualizacja aktualizowano dnia godz r roku опубликовано обновлено дата "
    "г года в yayınlanma yayınlandı güncelleme güncellendi tarihi tarih saat am pm a.m p.m "
    "h utc gmt z cet cest eet eest wet west bst est edt cst cdt mst mdt pst pdt msk ist"
)
DATE_LINE_WORDS: frozenset[str] = frozenset(_DATE_LINE_WORDS_TEXT.split())

ZONE_OFFSETS_HOURS: dict[str, float] = {
    "utc": 0, "gmt": 0, "z": 0, "wet": 0, "west": 1, "bst": 1, "cet": 1, "cest": 2, "eet": 2,
    "eest": 3, "msk": 3, "ist": 5.5, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7,
    "mdt": -6, "pst": -8, "pdt": -7,
}  # fmt: skip

MAX_DATE_LINE_CHARS = 80
ISO_DATE = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,6})?)?"
    r"\s?(Z|[+-]\d{2}:?\d{2})?(?!\d)",
    re.IGNORECASE,
)
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?!\d)")
CLOCK_TIME = re.compile(
    r"(?<![\d.:])(\d{1,2})[:h.](\d{2})(?::(\d{2}))?\s?(a\.?m\.?|p\.?m\.?)?(?![\d])"
    r"(?:\s?([+-]\d{2}:?\d{2}))?",
    re.IGNORECASE,
)
DATE_WORD = re.compile(r"[^\W\d_]+(?:[-.][^\W\d_]+)*\.?")
NUMBER = re.compile(r"\d+")
# Every date a line can give has a year of four digits (or more, with leading zeros).
FOUR_DIGITS = re.compile(r"\d{4}")
# Everything a date line may hold besides words and numbers.
DATE_PUNCTUATION = re.compile(r"[\s,.;:/|·•()\[\]\-–—+'’]+")


def _offset(text: str | None) -> timedelta | None:
    if not text:
        return None
    if text.upper() == "Z":
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))


def _build(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def parse_date_line(line: str, min_year: int = 1990) -> datetime | None:
    """The moment a line gives when the line is nothing but a date (and words around one), in UTC.

    >>> parse_date_line("giovedì, Aprile 18, 2024")
    datetime.datetime(2024, 4, 18, 0, 0, tzinfo=datetime.timezone.utc)
    >>> parse_date_line("2024-07-08 04:55:57")
    datetime.datetime(2024, 7, 8, 4, 55, 57, tzinfo=datetime.timezone.utc)
    >>> parse_date_line("Published: 4 July 2024, 10:30 CEST")
    datetime.datetime(2024, 7, 4, 8, 30, tzinfo=datetime.timezone.utc)
    >>> parse_date_line("The summit opened on 4 July 2024 in Astana.") is None
    True
    """
    text = line.strip()
    if not text or len(text) > MAX_DATE_LINE_CHARS or not FOUR_DIGITS.search(text):
        return None
    lowered = text.casefold()
    value: datetime | None = None
    offset: timedelta | None = None
    rest = lowered
    iso = ISO_DATE.search(lowered)
    if iso:
        year, month, day = int(iso[1]), int(iso[2]), int(iso[3])
        hour, minute, second = (int(iso[i]) if iso[i] else 0 for i in (4, 5, 6))
        value = _build(year, month, day, hour, minute, second)
        offset = _offset(iso[7].upper() if iso[7] else None)
        rest = lowered[: iso.start()] + " " + lowered[iso.end() :]
        time_found = iso[4] is not None
    else:
        time_found = False
    if value is None:
        numeric = NUMERIC_DATE.search(lowered)
        if numeric:
            rest = lowered[: numeric.start()] + " " + lowered[numeric.end() :]
        clock = CLOCK_TIME.search(rest)
        hour = minute = second = 0
        if clock:
            hour, minute = int(clock[1]), int(clock[2])
            second = int(clock[3]) if clock[3] else 0
            meridiem = (clock[4] or "").replace(".", "")
            if meridiem == "pm" and hour < 12:
                hour += 12
            elif meridiem == "am" and hour == 12:
                hour = 0
            if hour > 23 or minute > 59 or second > 59:
                return None
            offset = _offset(clock[5])
            rest = rest[: clock.start()] + " " + rest[clock.end() :]
            time_found = True
        if numeric:
            first, second_part, year = int(numeric[1]), int(numeric[3]), int(numeric[4])
            # Day first unless that is impossible: most of the configured languages write it so.
            day, month = (second_part, first) if second_part > 12 else (first, second_part)
            value = _build(year, month, day, hour, minute, second)
        else:
            month_number = None
            for word in DATE_WORD.findall(rest):
                key = word.rstrip(".")
                if key in MONTHS:
                    month_number = MONTHS[key]
                    rest = rest.replace(word, " ", 1)
                    break
            numbers = [int(n) for n in NUMBER.findall(rest)]
            years = [n for n in numbers if 1000 <= n <= 2999]
            days = [n for n in numbers if 1 <= n <= 31]
            if month_number is None or len(years) != 1 or len(days) != 1 or len(numbers) != 2:
                return None
            value = _build(years[0], month_number, days[0], hour, minute, second)
            rest = NUMBER.sub(" ", rest)
    if value is None or not min_year <= value.year <= 2100:
        return None
    for word in DATE_WORD.findall(DATE_PUNCTUATION.sub(" ", rest)):
        key = word.rstrip(".")
        if key in WEEKDAYS or key in DATE_LINE_WORDS:
            if key in ZONE_OFFSETS_HOURS and offset is None and time_found:
                offset = timedelta(hours=ZONE_OFFSETS_HOURS[key])
            continue
        return None
    if NUMBER.search(rest):
        return None
    if offset is not None:
        value = value - offset
    return value
