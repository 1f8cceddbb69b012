"""Publication-date candidates from markup, URLs and body text, and the choice among them."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum
from functools import cache
from html import unescape
from typing import Any

from cleaners.document import Cleaning, DateCandidate, Document
from cleaners.metadata.page import lines_near_headline, shown_lines, visible_html
from cleaners.options import DEFAULT_OPTIONS, CleanOptions

# Sources in the order choose_published_at trusts them when nothing corroborates a candidate:
# a crawler's own record, then the page's HTML (structured markup, or a date the page prints
# next to its headline or after a "Published" label, ranked together by html_date_candidates),
# then a date line above the body (moved there by the residue stage), then a date in the URL
# path, then any date in the body text.
SOURCE_PRIORITY: tuple[tuple[str, ...], ...] = (
    ("record",),
    ("html-meta", "html-text"),
    ("text-header",),
    ("url",),
    ("text-body",),
)
SOURCE_RANK: dict[str, int] = {
    source: rank for rank, sources in enumerate(SOURCE_PRIORITY) for source in sources
}
# `published_at_source` holds the contract's values only (html-meta, url, text-header,
# text-body, record). A date the page prints beside its headline or after a "Published" label
# ranks with the markup, but it is read from the page's text as a header date line is.
WRITTEN_SOURCE: dict[str, str] = {"html-text": "text-header"}
# Local times without a zone are read as UTC, so a real date can look up to 14 hours
# (the largest UTC offset) later than the fetch or the clock.
CLOCK_SKEW = timedelta(hours=14)
MAX_HTML_CHARS = 3_000_000
# The source of htmldate's day as the extraction stage found it (trafilatura runs htmldate for
# its own metadata); html_date_candidates weighs it instead of running htmldate again.
HTMLDATE_SOURCE = "htmldate"


class Htmldate(Enum):
    """html_date_candidates' default: no htmldate day was found earlier, run htmldate."""

    RUN = "run"


# -- URLs -------------------------------------------------------------------------------------

# /2024/07/08/, /2024-07-08-, /20240708/ in a path; the year must look like a publication year.
URL_YMD = re.compile(
    r"(?<![0-9])((?:19|20)\d{2})[/_.-]([01]?\d)[/_.-]([0-3]?\d)(?![0-9])"
    r"|(?<![0-9])((?:19|20)\d{2})([01]\d)([0-3]\d)(?![0-9])"
)
# /07/08/2024/ (day or month first; only taken when the order is unambiguous)
URL_DMY = re.compile(r"/([0-3]?\d)[/_.-]([01]?\d)[/_.-]((?:19|20)\d{2})(?=[/_.-]|$)")
# Runs of three or more numbers joined by "/", "_" or "-": where htmldate reads a URL's date.
# Two URLs with the same runs give htmldate the same date, or none.
URL_NUMBER_RUN = re.compile(r"\d+(?:[/_-]\d+){2,}")

# -- Structured markup ------------------------------------------------------------------------

JSON_LD_SCRIPT = re.compile(
    r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)
META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
META_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
TIME_TAG_PUBDATE = re.compile(
    r"<time\b[^>]*\b(?:pubdate|itemprop=[\"']?datePublished)[^>]*>", re.IGNORECASE
)
# Meta names and properties that mean "first published", in the order they are trusted.
PUBLISHED_META_KEYS: tuple[str, ...] = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "published_time",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "date",
    "dc.date",
)
# The keys above that name the article's own first publication (the rest are generic: Dublin
# Core, citations, a bare "date", which sites also fill with the day of the last change).
ARTICLE_PUBLISHED_META_KEYS: frozenset[str] = frozenset(
    PUBLISHED_META_KEYS[: PUBLISHED_META_KEYS.index("pubdate") + 1]
)
# Meta names and properties that mean "last changed".
MODIFIED_META_KEYS: frozenset[str] = frozenset(
    {
        "article:modified_time",
        "og:article:modified_time",
        "og:updated_time",
        "datemodified",
        "dateupdated",
        "modified_time",
        "updated_time",
        "article.updated",
        "last-modified",
        "lastmod",
        "dc.date.modified",
        "dcterms.modified",
    }
)
# The headline as the page's metadata gives it, to find the headline element in the body.
HEADLINE_META_KEYS: tuple[str, ...] = ("og:title", "twitter:title")
TIME_TAG = re.compile(r"<time\b[^<>]*>", re.IGNORECASE)
TIME_DATETIME = re.compile(r"""\bdatetime\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
TIME_TAG_MODIFIED = re.compile(
    r"itemprop=[\"']?dateModified|class=[\"'][^\"']*\bupdated\b", re.IGNORECASE
)
JSON_LD_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|Blog|NewsArticle|WebPage", re.I)
# JSON-LD types of an article itself (a WebPage's datePublished is often the page's, not the
# story's).
JSON_LD_STORY_TYPES = re.compile(r"Article|Posting|Report|Blog", re.I)

# -- Text -------------------------------------------------------------------------------------

# Month names (and usual abbreviations) of the news languages, in their nominative and
# genitive forms, lower-cased. Written dates in the body use them.
MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv", "januar", "jänner", "gennaio", "gen", "enero", "ene",
        "janeiro", "januari", "stycznia", "styczeń", "styczen", "января", "январь", "ocak",
        "січня", "січень", "ledna", "leden", "ianuarie", "ian", "január", "tammikuuta",
        "ιανουαρίου", "ιανουάριος", "януари"),
    2: ("february", "feb", "février", "fevrier", "févr", "fevr", "februar", "febbraio", "febrero",
        "fevereiro", "fev", "februari", "lutego", "luty", "февраля", "февраль", "şubat", "subat",
        "лютого", "лютий", "února", "unora", "únor", "februarie", "febr", "február",
        "helmikuuta", "φεβρουαρίου", "φεβρουάριος", "февруари", "feber"),
    3: ("march", "mar", "mars", "märz", "maerz", "mär", "marzo", "março", "marco", "maart",
        "marca", "marzec", "марта", "март", "mart", "березня", "березень", "března", "brezna",
        "březen", "martie", "március", "marts", "maret", "maaliskuuta", "μαρτίου", "μάρτιος"),
    4: ("april", "apr", "avril", "avr", "aprile", "abril", "abr", "kwietnia", "kwiecień",
        "апреля", "апрель", "nisan", "квітня", "квітень", "dubna", "duben", "aprilie",
        "április", "huhtikuuta", "απριλίου", "απρίλιος", "април"),
    5: ("may", "mai", "maggio", "mag", "mayo", "maio", "mei", "maja", "maj", "мая", "май",
        "mayıs", "mayis", "травня", "травень", "května", "kvetna", "květen", "május",
        "toukokuuta", "μαΐου", "μαίου", "μάιος"),
    6: ("june", "jun", "juin", "juni", "giugno", "giu", "junio", "junho", "czerwca", "czerwiec",
        "июня", "июнь", "haziran", "червня", "червень", "června", "cervna", "červen", "iunie",
        "június", "kesäkuuta", "ιουνίου", "ιούνιος", "юни"),
    7: ("july", "jul", "juillet", "juil", "juli", "luglio", "lug", "julio", "julho", "lipca",
        "lipiec", "июля", "июль", "temmuz", "липня", "липень", "července", "cervence",
        "červenec", "iulie", "július", "heinäkuuta", "ιουλίου", "ιούλιος", "юли"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus", "sierpnia", "sierpień",
        "августа", "август", "ağustos", "agustos", "серпня", "серпень", "srpna", "srpen",
        "augusti", "augusztus", "agustus", "elokuuta", "αυγούστου", "αύγουστος"),
    9: ("september", "sep", "sept", "septembre", "settembre", "set", "septiembre", "setembro",
        "września", "wrzesnia", "wrzesień", "сентября", "сентябрь", "eylül", "eylul", "вересня",
        "вересень", "září", "zari", "septembrie", "szeptember", "syyskuuta", "σεπτεμβρίου",
        "σεπτέμβριος", "септември", "setiembre"),
    10: ("october", "oct", "octobre", "oktober", "okt", "ottobre", "ott", "octubre", "outubro",
         "out", "października", "pazdziernika", "październik", "октября", "октябрь", "ekim",
         "жовтня", "жовтень", "října", "rijna", "říjen", "octombrie", "október", "lokakuuta",
         "οκτωβρίου", "οκτώβριος", "октомври"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "listopada", "listopad",
         "ноября", "ноябрь", "kasım", "kasim", "листопада", "листопад", "listopadu",
         "noiembrie", "marraskuuta", "νοεμβρίου", "νοέμβριος", "ноември"),
    12: ("december", "dec", "décembre", "decembre", "déc", "dezember", "dez", "dicembre", "dic",
         "diciembre", "dezembro", "grudnia", "grudzień", "декабря", "декабрь", "aralık", "aralik",
         "грудня", "грудень", "prosince", "prosinec", "decembrie", "desember", "joulukuuta",
         "δεκεμβρίου", "δεκέμβριος", "декември"),
}  # fmt: skip
MONTH_BY_NAME: dict[str, int] = {
    name: month for month, names in MONTH_NAMES.items() for name in names
}
# Any word of month-name length; the word is then looked up in MONTH_BY_NAME. (One alternation
# of all the names would be tried at every position of the text, which is many times slower.)
_MONTH = r"[^\W\d_]{3,13}"
# An optional clock time after a written date: "um 14:05", "à 9h30", ", 04:55:57".
_CLOCK = (
    r"(?:[\s,|–—-]*(?:um|à|a las|at|alle|às|в|o)?\s*"
    r"(?P<hour>[0-2]?\d)[:.h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?"
    r"(?:\s*(?P<zone>Z|UTC|GMT|[+-][01]\d:?[0-5]\d|[ECMP][SD]T|CES?T|BST|MSK)\b)?)?"
)
# Zone abbreviations of feeds and markup ("Tue, Sep 15 2020 10:01:41 EDT"), as UTC offsets.
ZONE_ABBREVIATIONS: dict[str, int] = {
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "CET": 1, "CEST": 2, "BST": 1, "MSK": 3,
}  # fmt: skip

ISO_TIMESTAMP = re.compile(
    r"(?<![\d-])(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
    r"(?:[T ](?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:\.\d+)?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-][01]\d:?[0-5]\d)?)?(?![\d-])"
)
# "3. Juli 2024", "8 juillet 2024", "18 de abril de 2024", "18 апреля 2024 г.", "18 Nisan 2024"
DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w.])(?P<day>[0-3]?\d)(?:\.|º|er|st|nd|rd|th)?\s*(?:de\s+|of\s+)?(?P<month>{_MONTH})\.?"
    rf",?\s*(?:de\s+|del\s+|of\s+)?(?P<year>(?:19|20)\d{{2}})(?!\d)(?:\s*(?:г\.|р\.|yılı))?{_CLOCK}",
    re.IGNORECASE,
)
# "Aprile 18, 2024", "April 18th 2024"
MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)(?P<month>{_MONTH})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+"
    rf"(?P<year>(?:19|20)\d{{2}})(?!\d){_CLOCK}",
    re.IGNORECASE,
)
# Hungarian "2024. április 18."
YEAR_MONTH_DAY = re.compile(
    rf"(?<!\d)(?P<year>(?:19|20)\d{{2}})\.\s*(?P<month>{_MONTH})\s+(?P<day>[0-3]?\d)\.?(?!\d){_CLOCK}",
    re.IGNORECASE,
)
# "2024年4月18日", "2024년 4월 18일", Vietnamese "ngày 18 tháng 4 năm 2024"
CJK_DATE = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*[年년]\s*(?P<month>[01]?\d)\s*[月월]\s*(?P<day>[0-3]?\d)\s*[日일]"
)
VIETNAMESE_DATE = re.compile(
    r"ngày\s+(?P<day>[0-3]?\d)\s+tháng\s+(?P<month>[01]?\d)\s+năm\s+(?P<year>(?:19|20)\d{2})",
    re.IGNORECASE,
)
# "18.04.2024" (day first wherever dots are used), "18/04/2024" only when unambiguous.
DOTTED_DATE = re.compile(
    rf"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d{{2}})(?![\d.]\d){_CLOCK}"
)
SLASHED_DATE = re.compile(
    rf"(?<![\d/])(?P<first>[0-3]?\d)/(?P<other>[0-3]?\d)/(?P<year>(?:19|20)\d{{2}})(?![\d/]){_CLOCK}"
)
# The year every written-date pattern above requires; text without one holds no written date,
# and one search for it is much cheaper than the patterns' scans (most bodies carry no year
# once their date lines have been moved out).
WRITTEN_YEAR = re.compile(r"(?:19|20)\d{2}")
WRITTEN_DATES: tuple[re.Pattern[str], ...] = (
    ISO_TIMESTAMP,
    DAY_MONTH_YEAR,
    MONTH_DAY_YEAR,
    YEAR_MONTH_DAY,
    CJK_DATE,
    VIETNAMESE_DATE,
    DOTTED_DATE,
)

# -- Date lines -------------------------------------------------------------------------------

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
# A zone written as an offset from UTC or GMT: "GMT+10", "UTC-3", "UTC+05:30".
NAMED_OFFSET = re.compile(r"(?<![^\W\d_])(?:gmt|utc)\s?([+-])(\d{1,2})(?::?(\d{2}))?(?!\d)")
# "18th", "1er", "1º": the day's ordinal ending, dropped before the words are checked.
ORDINAL_SUFFIX = re.compile(r"(?<=\d)(?:st|nd|rd|th|er|º|ª)(?![^\W\d_])")
DATE_WORD = re.compile(r"[^\W\d_]+(?:[-.][^\W\d_]+)*\.?")
WORD_JOINER = re.compile(r"[-.]")
NUMBER = re.compile(r"\d+")
# Every date a line can give has a year of four digits (or more, with leading zeros).
FOUR_DIGITS = re.compile(r"\d{4}")

_WEEKDAYS_TEXT = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur "
    "thurs fri sat sun lundi mardi mercredi jeudi vendredi samedi dimanche montag dienstag "
    "mittwoch donnerstag freitag samstag sonnabend sonntag lunedì martedì mercoledì "
    "giovedì venerdì lunedi martedi mercoledi giovedi venerdi sabato domenica lunes martes "
    "miércoles miercoles jueves viernes sábado sabado domingo segunda-feira terça-feira "
    "quarta-feira quinta-feira sexta-feira segunda terça quarta quinta sexta feira maandag "
    "dinsdag woensdag donderdag vrijdag zaterdag zondag poniedziałek wtorek środa czwartek "
    "piątek sobota niedziela понедельник вторник среда четверг пятница суббота воскресенье "
    "pazartesi salı çarşamba perşembe cuma cumartesi pazar понеділок вівторок середа "
    "четвер пʼятниця субота неділя pondělí úterý středa čtvrtek pátek neděle måndag "
    "tisdag onsdag torsdag fredag lördag söndag luni marți marţi miercuri joi vineri "
    "sâmbătă duminică hétfő kedd szerda csütörtök péntek szombat vasárnap δευτέρα τρίτη "
    "τετάρτη πέμπτη παρασκευή σάββατο κυριακή maanantai tiistai keskiviikko torstai "
    "perjantai lauantai sunnuntai senin selasa rabu kamis jumat sabtu minggu 星期一 星期二 "
    "星期三 星期四 星期五 星期六 星期日 星期天 周一 周二 周三 周四 周五 周六 周日 월요일 화요일 "
    "수요일 목요일 금요일 토요일 일요일"
)
WEEKDAYS: frozenset[str] = frozenset(_WEEKDAYS_TEXT.split())

# Words a date widget puts around the date itself ("Published on", "Mis à jour le", "Uhr").
_DATE_LINE_WORDS_TEXT = (
    "published updated posted last modified on at date the of publié publiée mis "
    "à jour le du à veröffentlicht erschienen aktualisiert am um uhr vom datum stand "
    "zuletzt pubblicato pubblicata aggiornato aggiornata il alle ore del "
    "publicado publicada actualizado actualizada el de a las fecha atualizado "
    "atualizada em às data gepubliceerd geplaatst bijgewerkt op om opublikowano "
    "aktualizacja aktualizowano dnia godz r roku опубликовано обновлено дата г "
    "года в yayınlanma yayınlandı güncelleme güncellendi tarihi tarih saat yılı "
    "опубліковано оновлено р року о publikováno aktualizováno dne publicerad "
    "publicerat uppdaterad uppdaterat kl publicat actualizat la ora közzétéve "
    "frissítve δημοσίευση δημοσιεύθηκε ενημέρωση julkaistu päivitetty klo "
    "diterbitkan diperbarui pukul 发布 发布时间 更新 更新时间 时间 日期 "
    "입력 수정 기사입력 등록 am pm a.m "
    "p.m h utc gmt z cet cest eet eest wet west bst est edt cst cdt mst mdt pst "
    "pdt msk ist"
)
DATE_LINE_WORDS: frozenset[str] = frozenset(_DATE_LINE_WORDS_TEXT.split())
DATE_LINE_VOCABULARY: frozenset[str] = WEEKDAYS | DATE_LINE_WORDS

ZONE_OFFSETS_HOURS: dict[str, float] = {
    "utc": 0, "gmt": 0, "z": 0, "wet": 0, "west": 1, "bst": 1, "cet": 1, "cest": 2, "eet": 2,
    "eest": 3, "msk": 3, "ist": 5.5, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7,
    "mdt": -6, "pst": -8, "pdt": -7,
}  # fmt: skip

# A date in the body on a line that is little more than a date (besides the date, at most a
# few short words) is ranked before dates inside sentences by text_date_candidates.
DATE_LINE_SLACK = 30
DATE_LINE_MAX_WORDS = 3
LETTER_WORD = re.compile(r"[^\W\d_]+")
# Dates deep inside a long body are the story's events; a publication date is printed above
# or below it.
TEXT_HEAD_CHARS = 3000
TEXT_TAIL_CHARS = 1500
ZONE_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


# -- Dates the page prints ---------------------------------------------------------------------

# A date line is short; so is a label line above a date ("Published:", "Last modified").
MAX_PRINTED_DATE_LINE_CHARS = 120
MAX_LABELED_LINE_CHARS = 150
MAX_LABEL_LINE_CHARS = 40
LABEL_CHARS = 40
# A date line often shares its line with the byline or the section: "Par X | 30 septembre
# 2018", "1. Februar 2022, Jane Doe", "02.02.2022 10:16 Uhr - Bundesliga".
DATE_LINE_PART_SEPARATOR = re.compile(r"\s[|•·∙–—-]\s|,\s|\s\|")
# ... or follows the byline or the section with nothing between: "Bettina Kugler 19.10.2019".
BYLINE_BEFORE_DATE = re.compile(r"((?:[^\W\d_][\w'’.-]*\s+){1,3})(?=\d)")
# A path that files the story under a year and a month, without a day: ".../2011/12/slug".
URL_YEAR_MONTH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/")
# Labels in front of a date, in the news languages: when the story was published...
PUBLISHED_LABEL = re.compile(
    r"\b(?:published|posted|publié|publiée|publie|veröffentlicht|erschienen|erstellt|pubblicat[oa]"
    r"|publicad[oa]|gepubliceerd|opublikowano|опубликовано|publicat|publicerad|julkaistu"
    r"|yayınlanma|date de publication)",
    re.IGNORECASE,
)
# ... when it was changed ...
UPDATED_LABEL = re.compile(
    r"\b(?:updated|modified|mis à jour|modifié|modifie|aktualisiert|geändert|letzte änderung"
    r"|zuletzt|aggiornat[oa]|actualizad[oa]|atualizad[oa]|bijgewerkt|aktualizacja|обновлено"
    r"|güncelleme|güncellendi|uppdaterad|päivitetty|actualizat)",
    re.IGNORECASE,
)
# ... and dates of other things printed next to a title: members' registrations and
# birthdays in forums and profiles, the end of a video's or an offer's availability.
OTHER_EVENT_LABEL = re.compile(
    r"\b(?:joined|member since|registered|registriert|mitglied seit|inscrit|born|geboren|née?"
    r"|until|available|expires|valid|bis|verfügbar|gültig|jusqu)\b",
    re.IGNORECASE,
)


def _zone(value: str | None) -> timezone:
    if not value or value.upper() in ("Z", "UTC", "GMT"):
        return UTC
    if value.upper() in ZONE_ABBREVIATIONS:
        return timezone(timedelta(hours=ZONE_ABBREVIATIONS[value.upper()]))
    match = ZONE_OFFSET.match(value)
    if not match:
        return UTC
    sign = -1 if match[1] == "-" else 1
    offset = timedelta(hours=int(match[2]), minutes=int(match[3]))
    if offset > timedelta(hours=14):
        return UTC
    return timezone(sign * offset)


def _make(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
    zone: timezone = UTC,
) -> datetime | None:  # fmt: skip
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except (ValueError, OverflowError):
        return None


def _match_datetime(match: re.Match[str]) -> datetime | None:
    groups = match.groupdict()
    if "first" in groups:
        first, second = int(groups["first"]), int(groups["other"])
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            day, month = second, first
        else:
            return None
    else:
        day = int(groups["day"])
        raw_month = groups["month"]
        if raw_month.isdigit():
            month = int(raw_month)
        elif raw_month.lower() in MONTH_BY_NAME:
            month = MONTH_BY_NAME[raw_month.lower()]
        else:
            return None
    hour = int(groups.get("hour") or 0)
    minute = int(groups.get("minute") or 0)
    second_of_minute = int(groups.get("second") or 0)
    return _make(
        int(groups["year"]), month, day, hour, minute, second_of_minute, _zone(groups.get("zone"))
    )


def parse_datetime(value: str) -> datetime | None:
    """An aware datetime from a date string as found in markup (UTC unless it names a zone).

    >>> parse_datetime("2024-07-08T04:55:57+02:00").isoformat()
    '2024-07-08T04:55:57+02:00'
    >>> parse_datetime("2024-07-08")
    datetime.datetime(2024, 7, 8, 0, 0, tzinfo=datetime.timezone.utc)
    >>> parse_datetime("yesterday") is None
    True
    """
    value = value.strip()
    match = ISO_TIMESTAMP.match(value)
    if match:
        return _match_datetime(match)
    # Written dates in markup often lead with a weekday: "Tue, Sep 15 2020 10:01:41 EDT".
    for pattern in WRITTEN_DATES[1:]:
        match = pattern.search(value[:80])
        if match:
            return _match_datetime(match)
    return None


def url_date(url: str | None) -> datetime | None:
    """The publication day written into a URL path (00:00 UTC), or None.

    >>> url_date("https://example.com/world/2024/07/08/summit-astana.html")
    datetime.datetime(2024, 7, 8, 0, 0, tzinfo=datetime.timezone.utc)
    >>> url_date("https://example.com/item/123456") is None
    True
    """
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("//", 1)[-1].partition("/")[2]
    # An archived copy's own timestamp (web.archive.org/web/2016.../) is the crawl, not the story.
    path = re.sub(r"^web/\d{8,14}\w*/(?:https?:/+)?", "", path)
    for match in URL_YMD.finditer("/" + path):
        parts = [g for g in match.groups() if g is not None]
        found = _make(int(parts[0]), int(parts[1]), int(parts[2]))
        if found is not None:
            return found
    for match in URL_DMY.finditer("/" + path):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if first > 12 >= second:
            return _make(year, second, first)
        if second > 12 >= first:
            return _make(year, first, second)
    return None


@dataclass(frozen=True, slots=True)
class Markup:
    """The publication times a page's markup declares (raw strings), and its headline."""

    # Published times: meta tags, most trusted key first, then JSON-LD (articles first).
    published: tuple[str, ...] = ()
    # Those of them that name the article's own first publication: article:published_time and
    # its kin, itemprop="datePublished", <time pubdate>, an article's JSON-LD datePublished.
    article_published: tuple[str, ...] = ()
    # Last-changed times: article:modified_time and its kin, dateModified, <time class=updated>.
    modified: tuple[str, ...] = ()
    headline: str = ""


def _json_ld_dates(html: str) -> tuple[list[str], list[str], list[str]]:
    """datePublished (else dateCreated) values of the page's JSON-LD objects, articles first;
    the datePublished values of articles; the dateModified values."""
    found: list[tuple[int, str]] = []
    stories: list[str] = []
    modified: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kind = node.get("@type")
            kind_text = " ".join(map(str, kind)) if isinstance(kind, list) else str(kind or "")
            rank = 0 if JSON_LD_ARTICLE_TYPES.search(kind_text) else 1
            for key in ("datePublished", "dateCreated", "uploadDate"):
                value = node.get(key)
                if isinstance(value, str) and value.strip():
                    found.append((rank, value))
                    if key == "datePublished" and JSON_LD_STORY_TYPES.search(kind_text):
                        stories.append(value)
                    break
            changed = node.get("dateModified")
            if isinstance(changed, str) and changed.strip():
                modified.append(changed)
            for key, value in node.items():
                if key != "@context" and isinstance(value, dict | list):
                    walk(value)

    for block in JSON_LD_SCRIPT.findall(html):
        try:
            walk(json.loads(block.strip()))
        except (ValueError, RecursionError):
            continue
    return [value for _, value in sorted(found, key=lambda item: item[0])], stories, modified


def _markup(html: str) -> Markup:
    """Published and modified times of <meta>, <time> and JSON-LD markup, and the headline.

    >>> found = _markup('''<meta name="date" content="2024-07-09">
    ... <meta property="article:published_time" content="2024-07-08T10:00:00Z">
    ... <meta property="og:title" content="Summit in Astana">
    ... <time itemprop="dateModified" datetime="2024-07-10"></time>''')
    >>> found.published, found.article_published
    (('2024-07-08T10:00:00Z', '2024-07-09'), ('2024-07-08T10:00:00Z',))
    >>> found.modified, found.headline
    (('2024-07-10',), 'Summit in Astana')
    """
    by_key: dict[str, str] = {}
    modified: list[str] = []
    headline = ""
    for tag in META_TAG.findall(html):
        attributes: dict[str, str] = {}
        for name, double, single, bare in META_ATTRIBUTE.findall(tag):
            attributes[name.lower()] = double or single or bare
        key = (
            attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or ""
        ).lower()
        content = attributes.get("content") or attributes.get("datetime") or ""
        if not content.strip():
            continue
        if key in PUBLISHED_META_KEYS:
            by_key.setdefault(key, content)
        elif key in MODIFIED_META_KEYS:
            modified.append(content)
        elif key in HEADLINE_META_KEYS and not headline:
            headline = unescape(content).strip()
    for tag in TIME_TAG.findall(html):
        match = TIME_DATETIME.search(tag)
        value = (match[1] or match[2] or match[3] or "").strip() if match else ""
        if not value:
            continue
        if TIME_TAG_PUBDATE.match(tag):
            by_key.setdefault("datepublished", value)
        elif TIME_TAG_MODIFIED.search(tag):
            modified.append(value)
    meta = [by_key[key] for key in PUBLISHED_META_KEYS if key in by_key]
    article = [by_key[key] for key in PUBLISHED_META_KEYS if key in by_key
               and key in ARTICLE_PUBLISHED_META_KEYS]  # fmt: skip
    json_ld, stories, json_ld_modified = _json_ld_dates(html)
    return Markup(
        published=(*meta, *json_ld),
        article_published=(*article, *stories),
        modified=(*modified, *json_ld_modified),
        headline=headline,
    )


def _label(line: str, start: int, previous: str) -> str:
    """The words in front of the date at `start`: earlier in its line, else a short line above
    it (a label in an element of its own)."""
    before = line[:start]
    if not before.strip():
        before = previous if len(previous) <= MAX_LABEL_LINE_CHARS else ""
    return before[-LABEL_CHARS:]


def _date_line_value(line: str) -> tuple[datetime, int] | None:
    """The date of a date line, alone or beside a byline or a section name, and where it is.

    >>> _date_line_value("Par Loïc Le Clerc | 30 septembre 2018")
    (datetime.datetime(2018, 9, 30, 0, 0, tzinfo=datetime.timezone.utc), 20)
    >>> _date_line_value("Bettina Kugler 19.10.2019, 05:00 Uhr")
    (datetime.datetime(2019, 10, 19, 5, 0, tzinfo=datetime.timezone.utc), 15)
    >>> _date_line_value("Der nächste Stammtisch ist am 5. Februar 2020 im Café.") is None
    True
    """
    if len(line) > MAX_PRINTED_DATE_LINE_CHARS:
        return None
    value = parse_date_line(line)
    if value is not None:
        return value, 0
    position = 0
    for part in DATE_LINE_PART_SEPARATOR.split(line):
        position = line.find(part, position)
        value = parse_date_line(part)
        if value is not None:
            return value, position
        position += len(part)
    name = BYLINE_BEFORE_DATE.match(line)
    if name is not None and _capitalized_words(name[1]):
        value = parse_date_line(line[name.end() :])
        if value is not None:
            return value, name.end()
    return None


def _capitalized_words(words: str) -> bool:
    """Two or three capitalized words, as a name or a section is written ("Original Research")."""
    names = words.split()
    return len(names) >= 2 and all(name[0].isupper() for name in names)


def _line_date(line: str, previous: str) -> datetime | None:
    """The date of a date line, unless its label marks a change or another event ("Joined")."""
    found = _date_line_value(line)
    if found is None:
        return None
    value, start = found
    dates = [begin for begin, _, _ in _written_dates(line) if begin >= start]
    label = _label(line, min(dates, default=start), previous)
    if UPDATED_LABEL.search(label) or OTHER_EVENT_LABEL.search(label):
        return None
    return value


@dataclass(frozen=True, slots=True)
class PrintedDates:
    """Dates a page prints for its readers."""

    # The date line next to the headline (above or below it), unless labeled as an update.
    headline: datetime | None = None
    # Dates labeled as the publication ("Published:", "Erschienen am") or as a change
    # ("Updated:", "Letzte Änderung"), in page order.
    published: tuple[datetime, ...] = ()
    updated: tuple[datetime, ...] = ()


def printed_dates(html: str, headline: str = "") -> PrintedDates:
    """The dates a page shows: next to its headline, and after a published or updated label.

    `headline` is the page's headline as its metadata gives it (og:title); the <title> is used
    when it is empty.

    >>> page = (
    ...     "<title>Summit in Astana | Example News</title><nav>Home</nav>"
    ...     "<h1>Summit in Astana</h1><p>By Jane Doe | 4 July 2024</p><p>Leaders met.</p>"
    ...     "<footer>Erschienen am: 4.7.2024<br>Letzte Änderung: 8.7.2024</footer>")
    >>> found = printed_dates(page)
    >>> [found.headline.date().isoformat(), [v.date().isoformat() for v in found.published],
    ...  [v.date().isoformat() for v in found.updated]]
    ['2024-07-04', ['2024-07-04'], ['2024-07-08']]
    """
    page = visible_html(html)
    value: datetime | None = None
    for line, previous in lines_near_headline(page, headline):
        value = _line_date(line, previous)
        if value is not None:
            break
    published: list[datetime] = []
    updated: list[datetime] = []
    lines = shown_lines(page)
    for index, line in enumerate(lines):
        if len(line) > MAX_LABELED_LINE_CHARS or not WRITTEN_YEAR.search(line):
            continue
        previous = lines[index - 1] if index else ""
        if not (PUBLISHED_LABEL.search(line) or UPDATED_LABEL.search(line)
                or PUBLISHED_LABEL.search(previous) or UPDATED_LABEL.search(previous)):  # fmt: skip
            continue
        for start, _, found in sorted(_written_dates(line), key=lambda item: item[0]):
            label = _label(line, start, previous)
            if UPDATED_LABEL.search(label):
                updated.append(found)
            elif PUBLISHED_LABEL.search(label):
                published.append(found)
    return PrintedDates(value, tuple(published), tuple(updated))


def written_dates(html: str) -> tuple[datetime, ...]:
    """Every date written on the lines a page shows, in page order.

    >>> [value.date().isoformat() for value in written_dates(
    ...     "<p>Dieser Beitrag wurde am Samstag, 3. Dezember 2011 veröffentlicht.</p>"
    ...     "<script>var built = '1 May 2020';</script>")]
    ['2011-12-03']
    """
    lines = shown_lines(visible_html(html))
    return tuple(value for line in lines for _, _, value in _written_dates(line))


def _htmldate(html: str, url: str | None) -> datetime | None:
    from htmldate import find_date

    try:
        # Bytes, never str: htmldate downloads a str that looks like a URL, and cleaning
        # must never reach the network.
        page = html.encode("utf-8", errors="replace")
        found = find_date(page, original_date=True, url=url, outputformat="%Y-%m-%d")
    except Exception:  # htmldate and lxml raise many unrelated types on broken markup
        return None
    if not found:
        return None
    return parse_datetime(found)


def prepare_htmldate() -> None:
    """Build htmldate's fallback date parser now, with the patterns of every dateparser locale.

    The parser compiles a locale's patterns the first time a date string is tried against it,
    and a string no locale knows is tried against all of them: about 1.6 s of CPU and 40 MB,
    which a process that later forks workers pays once instead of once per worker.
    """
    from htmldate.extractors import get_external_parser

    # Digits around a word of no language: every locale is tried, none applies.
    get_external_parser().get_date_data("3 qzxv 2024")


def htmldate_candidates(found: str | None) -> list[DateCandidate]:
    """htmldate's day as the extraction stage found it (a "%Y-%m-%d" string), for later stages.

    >>> [(c.value.isoformat(), c.source) for c in htmldate_candidates("2024-07-08")]
    [('2024-07-08T00:00:00+00:00', 'htmldate')]
    >>> htmldate_candidates(None), htmldate_candidates("")
    ([], [])
    """
    value = parse_datetime(found) if found else None
    return [DateCandidate(value, HTMLDATE_SOURCE)] if value is not None else []


def recorded_htmldate_day(
    candidates: list[DateCandidate], searched: bool, extracted_url: str | None, url: str | None
) -> tuple[datetime | None | Htmldate, list[DateCandidate]]:
    """htmldate's day recorded among `candidates` (for `html_date_candidates`), and the others.

    `searched` says that the extraction ran htmldate, so that no record means no date found.
    htmldate reads a date written in the URL first, and the extraction gives it the URL the
    page states as its own (canonical link, og:url; htmldate itself reads the canonical link
    when `url` is None): when that URL could give htmldate another date than `url`, the
    recorded day does not hold for `url`, and htmldate has to run (`Htmldate.RUN`).

    >>> found = htmldate_candidates("2024-07-08")
    >>> recorded_htmldate_day(found, True, "https://x.com/a", "https://x.com/a?id=42&ref=rss")[0]
    datetime.datetime(2024, 7, 8, 0, 0, tzinfo=datetime.timezone.utc)
    >>> recorded_htmldate_day(found, True, "https://x.com/a", "https://x.com/2024/07/09/a")[0]
    <Htmldate.RUN: 'run'>
    >>> recorded_htmldate_day([], True, "https://x.com/a", "https://x.com/a")
    (None, [])
    """
    recorded = [c.value for c in candidates if c.source == HTMLDATE_SOURCE]
    others = [c for c in candidates if c.source != HTMLDATE_SOURCE]
    same_url_date = url is None or URL_NUMBER_RUN.findall(
        extracted_url or ""
    ) == URL_NUMBER_RUN.findall(url)
    if not searched or not same_url_date:
        return Htmldate.RUN, others
    return (recorded[0] if recorded else None), others


def url_year_month(url: str | None) -> tuple[int, int] | None:
    """The year and month a URL's path files the story under, when it gives no day.

    >>> url_year_month("http://blog.example/news/2011/12/no-cyberterrorism/")
    (2011, 12)
    >>> url_year_month("https://x.com/2024/07/08/story") is None  # url_date reads that one
    True
    """
    match = URL_YEAR_MONTH.search(url or "")
    if match is None or url_date(url) is not None:
        return None
    return int(match[1]), int(match[2])


def page_day(
    found: date | None,
    published: Iterable[datetime],
    article_published: Iterable[datetime],
    modified: Iterable[datetime],
    printed: PrintedDates,
    written: Callable[[], Sequence[datetime]] = tuple,
    url_month: tuple[int, int] | None = None,
) -> date | None:
    """The publication day of a page, from htmldate's day (`found`) and what the page says.

    `written` gives every date the page shows (called only when a rule needs it), `url_month`
    the year and month the URL files the story under. htmldate's day (else the first
    published-time markup) stands, except:

    - the page prints another date next to its headline, and either the page says that day
      elsewhere too (published or modified markup, a "Published:" label) or no markup names
      the article's publication time: the date shown with the headline is the one the page
      gives its readers;
    - htmldate's day is one the page declares as a change (modified markup, an "Updated:"
      label), no article markup or label says it was published then, and a label says when
      it was: that day;
    - the page shows its readers one date only, labeled as an update, and htmldate's day
      nowhere: the page presents the story as of that update;
    - neither the markup nor the page's text gives htmldate's day, and article markup names
      the article's publication: that day;
    - the day is outside the URL's month, and the page shows or declares one day inside it.

    >>> shown = PrintedDates(headline=datetime(2021, 3, 20, 15, tzinfo=UTC))
    >>> old, new = datetime(2021, 3, 16, 16, tzinfo=UTC), datetime(2021, 3, 20, 14, tzinfo=UTC)
    >>> page_day(old.date(), [old], [old], [new], shown)
    datetime.date(2021, 3, 20)
    >>> page_day(old.date(), [old], [old], [], shown)
    datetime.date(2021, 3, 16)
    >>> labeled = PrintedDates(published=(old,), updated=(new,))
    >>> page_day(new.date(), [], [], [], labeled)
    datetime.date(2021, 3, 16)
    >>> page_day(old.date(), [old], [old], [], PrintedDates(updated=(new,)), lambda: (new,))
    datetime.date(2021, 3, 20)
    >>> page_day(old.date(), [], [], [], PrintedDates(), lambda: (new,), url_month=(2021, 3))
    datetime.date(2021, 3, 16)
    >>> page_day(date(2010, 6, 1), [], [], [], PrintedDates(), lambda: (old,), (2021, 3))
    datetime.date(2021, 3, 16)
    """
    published = list(published)
    day = _shown_day(found, published, article_published, modified, printed, written)
    if url_month is None or (day is not None and (day.year, day.month) == url_month):
        return day
    inside = {value.date() for value in (*published, *written())
              if (value.year, value.month) == url_month}  # fmt: skip
    return inside.pop() if len(inside) == 1 else day


def _shown_day(
    found: date | None,
    published: list[datetime],
    article_published: Iterable[datetime],
    modified: Iterable[datetime],
    printed: PrintedDates,
    written: Callable[[], Sequence[datetime]],
) -> date | None:
    """page_day without the URL's month."""
    article_published = list(article_published)
    article = {value.date() for value in article_published}
    modified_days = {value.date() for value in modified}
    day = found if found is not None else (published[0].date() if published else None)
    if printed.headline is not None and printed.headline.date() != day:
        said = {value.date() for value in (*published, *printed.published)} | modified_days
        if printed.headline.date() in said or not article:
            return printed.headline.date()
    updated = {value.date() for value in printed.updated}
    labeled = [value.date() for value in printed.published]
    if day in modified_days | updated and day not in article and day not in labeled and labeled:
        return labeled[0]
    if (len(updated) == 1 and printed.headline is None and not labeled and day not in updated
            and day not in {value.date() for value in written()}):  # fmt: skip
        return updated.pop()
    declared = {value.date() for value in published} | modified_days
    if (article and day is not None and day not in declared
            and day not in {value.date() for value in written()}):  # fmt: skip
        # htmldate read a day that neither the markup nor the page's text gives (an image
        # path, a script): the article's own publication markup is the evidence.
        return article_published[0].date()
    return day


def html_date_candidates(
    html: str, url: str | None, htmldate_day: datetime | None | Htmldate = Htmldate.RUN
) -> list[DateCandidate]:
    """Publication-date candidates of a page, strongest first.

    First the page's publication day (`page_day`: htmldate's original publication day, which
    weighs the URL, markup and the page's text, unless the dates the page prints say
    otherwise), carrying the time of a markup timestamp on that day when there is one, source
    "html-meta", else the printed date itself, source "html-text"; then the other
    published-time markup (meta tags, then JSON-LD) and htmldate's day, "html-meta"; then the
    URL's date, source "url", unless the date next to the headline and the article markup
    agree on another day. `htmldate_day` is htmldate's day when it was found already for
    the same page and URL (None: htmldate found none); by default htmldate reads the page here.

    >>> page = '<meta property="article:published_time" content="2024-07-04T09:30:00+06:00">'
    >>> [(c.value.isoformat(), c.source) for c in html_date_candidates(page, None)]
    [('2024-07-04T09:30:00+06:00', 'html-meta')]
    >>> [(c.value.date().isoformat(), c.source)
    ...  for c in html_date_candidates("<p>Hi</p>", "https://example.com/2024/07/04/x")]
    [('2024-07-04', 'url')]
    """
    html = html[:MAX_HTML_CHARS] if html else ""
    candidates: list[DateCandidate] = []

    def add(value: datetime | None, source: str) -> None:
        if value is not None and all(c.value != value or c.source != source for c in candidates):
            candidates.append(DateCandidate(value, source))

    markup = _markup(html)
    published = _parsed(markup.published)
    modified = _parsed(markup.modified)
    if isinstance(htmldate_day, Htmldate):
        day = _htmldate(html, url) if html.strip() else None
    else:
        day = htmldate_day
    printed = printed_dates(html, markup.headline) if html.strip() else PrintedDates()
    written = cache(lambda: written_dates(html))
    found = day.date() if day is not None else None
    article = _parsed(markup.article_published)
    lead = page_day(found, published, article, modified, printed, written, url_year_month(url))
    if lead is not None and lead == found:
        on_that_day = [value for value in published if value.date() == lead]
        add(on_that_day[0] if on_that_day else day, "html-meta")
    elif lead is not None:
        stated = [value for value in (*published, *modified) if value.date() == lead]
        if stated:
            add(stated[0], "html-meta")
        else:
            printed_values = (printed.headline, *printed.published, *printed.updated)
            shown = [v for v in printed_values if v and v.date() == lead] or [
                value for value in written() if value.date() == lead
            ]
            if shown:
                add(shown[0], "html-text")
    for value in published:
        add(value, "html-meta")
    if lead != found:
        add(day, "html-meta")
    # A URL date is the day the story was filed. When the page prints another day next to the
    # headline and its article markup says the same, the story came out that other day.
    shown_and_declared = (printed.headline is not None and printed.headline.date() == lead
                          and any(value.date() == lead for value in article))  # fmt: skip
    from_url = url_date(url)
    if from_url is not None and not (shown_and_declared and from_url.date() != lead):
        add(from_url, "url")
    return candidates


def _parsed(values: Iterable[str]) -> list[datetime]:
    return [value for value in map(parse_datetime, values) if value is not None]


def _written_dates(text: str) -> Iterator[tuple[int, int, datetime]]:
    """(start, end, value) of every written date in the text."""
    # Every written-date pattern holds a year: a text without one is not searched further.
    if WRITTEN_YEAR.search(text) is not None:
        yield from _every_written_date(text)


def _every_written_date(text: str) -> Iterator[tuple[int, int, datetime]]:
    """Dates of each pattern in turn, skipping text an earlier pattern's date took.

    >>> [(start, value.date().isoformat()) for start, _, value in _every_written_date(
    ...     "Am 3. Mai 2020 und am 04.05.2020")]
    [(3, '2020-05-03'), (22, '2020-05-04')]
    """
    # Spans taken so far, sorted and apart: each match is checked against its one neighbour,
    # so a page with many dates is read in n log n, not n².
    starts: list[int] = []
    ends: list[int] = []
    for pattern in (*WRITTEN_DATES, SLASHED_DATE):
        found: list[tuple[int, int]] = []
        for match in pattern.finditer(text):
            start, end = match.span()
            before = bisect_left(starts, end)
            if before and ends[before - 1] > start:
                continue
            value = _match_datetime(match)
            if value is not None:
                found.append((start, end))
                yield start, end, value
        if found:
            spans = sorted([*zip(starts, ends, strict=True), *found])
            starts, ends = [span[0] for span in spans], [span[1] for span in spans]


def _windows(text: str) -> list[tuple[int, str]]:
    """The parts of a body where its publication date is printed: the top and the bottom."""
    if len(text) <= TEXT_HEAD_CHARS + TEXT_TAIL_CHARS:
        return [(0, text)]
    tail_start = len(text) - TEXT_TAIL_CHARS
    return [(0, text[:TEXT_HEAD_CHARS]), (tail_start, text[tail_start:])]


def _is_date_line(line: str, start: int, end: int) -> bool:
    rest = (line[:start] + " " + line[end:]).strip()
    return len(rest) <= DATE_LINE_SLACK and len(LETTER_WORD.findall(rest)) <= DATE_LINE_MAX_WORDS


def parse_date_line(line: str, min_year: int = 1990) -> datetime | None:
    """The moment a line gives when it is nothing but a date (and words around one), else None.

    Besides the date and its time, the line may hold only weekdays and the words of a date
    widget ("Published on", "Mis à jour le", "Uhr", a zone). The value keeps the zone the
    line states (UTC when none); a bare day-first or month-first numeric date is read day first
    unless only the other order is possible.

    >>> parse_date_line("giovedì, Aprile 18, 2024")
    datetime.datetime(2024, 4, 18, 0, 0, tzinfo=datetime.timezone.utc)
    >>> parse_date_line("Mittwoch, 3. Juli 2024, 14:05 Uhr")
    datetime.datetime(2024, 7, 3, 14, 5, tzinfo=datetime.timezone.utc)
    >>> parse_date_line("Published: 4 July 2024, 10:30 CEST").isoformat()
    '2024-07-04T10:30:00+02:00'
    >>> parse_date_line("2024年4月18日 14:05").isoformat()
    '2024-04-18T14:05:00+00:00'
    >>> parse_date_line("The summit opened on 4 July 2024 in Astana.") is None
    True
    >>> parse_date_line("12 killed on 4 July 2024") is None
    True
    """
    text = line.strip()
    if not text or len(text) > MAX_DATE_LINE_CHARS or not FOUR_DIGITS.search(text):
        return None
    lowered = ORDINAL_SUFFIX.sub("", text.lower())
    named = NAMED_OFFSET.search(lowered)
    if named:
        lowered = lowered[: named.start()] + " " + lowered[named.end() :]
    fields: tuple[int, int, int, int, int, int] | None = None
    offset: timedelta | None = None
    time_found = False
    rest = lowered
    iso = ISO_DATE.search(lowered)
    if iso:
        hour, minute, second = (int(iso[i]) if iso[i] else 0 for i in (4, 5, 6))
        fields = (int(iso[1]), int(iso[2]), int(iso[3]), hour, minute, second)
        offset = _line_offset(iso[7])
        rest = lowered[: iso.start()] + " " + lowered[iso.end() :]
        time_found = iso[4] is not None
    else:
        numeric = NUMERIC_DATE.search(lowered)
        spelled = None if numeric else CJK_DATE.search(lowered) or VIETNAMESE_DATE.search(lowered)
        found = numeric or spelled
        if found:
            rest = lowered[: found.start()] + " " + lowered[found.end() :]
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
            offset = _line_offset(clock[5])
            rest = rest[: clock.start()] + " " + rest[clock.end() :]
            time_found = True
        if numeric:
            first, second_part, year = int(numeric[1]), int(numeric[3]), int(numeric[4])
            # Day first unless that is impossible: most news languages write it so.
            day, month = (second_part, first) if second_part > 12 else (first, second_part)
            fields = (year, month, day, hour, minute, second)
        elif spelled:
            year, month, day = int(spelled["year"]), int(spelled["month"]), int(spelled["day"])
            fields = (year, month, day, hour, minute, second)
        else:
            month_number = None
            for word in DATE_WORD.findall(rest):
                key = word.rstrip(".")
                if key in MONTH_BY_NAME:
                    month_number = MONTH_BY_NAME[key]
                    rest = rest.replace(word, " ", 1)
                    break
            numbers = [int(n) for n in NUMBER.findall(rest)]
            years = [n for n in numbers if 1000 <= n <= 2999]
            days = [n for n in numbers if 1 <= n <= 31]
            if month_number is None or len(years) != 1 or len(days) != 1 or len(numbers) != 2:
                return None
            fields = (years[0], month_number, days[0], hour, minute, second)
            rest = NUMBER.sub(" ", rest)
    if not min_year <= fields[0] <= 2100:
        return None
    if named and offset is None and time_found:
        offset = _line_offset(f"{named[1]}{int(named[2]):02d}{int(named[3] or 0):02d}")
    for word in DATE_WORD.findall(rest):
        key = word.rstrip(".")
        if key not in DATE_LINE_VOCABULARY:
            # "quinta-feira", "a.m.": a word of several known parts
            if not all(part in DATE_LINE_VOCABULARY for part in WORD_JOINER.split(key)):
                return None
        elif key in ZONE_OFFSETS_HOURS and offset is None and time_found:
            offset = timedelta(hours=ZONE_OFFSETS_HOURS[key])
    if NUMBER.search(rest):
        return None
    return _make(*fields, zone=timezone(offset) if offset else UTC)


def _line_offset(text: str | None) -> timedelta | None:
    """The UTC offset of "Z", "+02:00" or "-0500"; None for no zone or an impossible one."""
    if not text:
        return None
    if text.upper() == "Z":
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
    return sign * offset if offset <= timedelta(hours=14) else None


def text_date_candidates(text: str) -> list[DateCandidate]:
    """Dates written at the top or bottom of a body, source "text-body"; date lines first.

    Local times without a zone are read as UTC.

    >>> [c.value.isoformat() for c in text_date_candidates("giovedì, Aprile 18, 2024\\n\\nSi è")]
    ['2024-04-18T00:00:00+00:00']
    >>> [c.value.isoformat() for c in text_date_candidates("Putin spoke.\\n2024-07-08 04:55:57")]
    ['2024-07-08T04:55:57+00:00']
    """
    if not text:
        return []
    standalone: list[DateCandidate] = []
    inline: list[DateCandidate] = []
    found = [
        (offset + start, offset + end, value)
        for offset, window in _windows(text)
        for start, end, value in _written_dates(window)
    ]
    for start, end, value in sorted(found, key=lambda item: item[0]):
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        candidate = DateCandidate(value, "text-body")
        line = text[line_start:line_end]
        date_line = _is_date_line(line, start - line_start, end - line_start)
        target = standalone if date_line else inline
        if candidate not in standalone and candidate not in inline:
            target.append(candidate)
    return [*standalone, *inline]


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC; a time without a zone is read as UTC, as the contract's are."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _impossible(
    value: datetime, fetched_at: datetime | None, now: datetime, options: CleanOptions
) -> str | None:
    """Why `value` cannot be a publication time, or None when it can."""
    try:
        value = as_utc(value)
        if value.year < options.min_year:
            return f"before {options.min_year}"
        if fetched_at is not None and value - CLOCK_SKEW > as_utc(fetched_at):
            return "after the page was fetched"
        if value - CLOCK_SKEW > now:
            return "in the future"
    except OverflowError:  # a zone offset pushes year 1 or 9999 out of range
        return "out of range"
    return None


def _rejection(value: datetime, source: str | None, reason: str) -> Cleaning:
    return Cleaning.of(
        "date-rejected",
        "flagged",
        f"{source or 'unknown'} {value.isoformat()}: {reason}",
        field="published_at",
    )


def _same_day(a: datetime, b: datetime) -> bool:
    return abs(a - b) < timedelta(days=1) or a.date() == b.date()


def _rank(candidate: DateCandidate) -> int:
    return SOURCE_RANK.get(candidate.source, len(SOURCE_PRIORITY))


def _best(candidates: list[DateCandidate]) -> DateCandidate | None:
    """The candidate to publish: corroborated markup first, then by source priority.

    A URL date is written once when the article is filed; markup that agrees with it is
    taken (for its time of day), and a URL date that no markup agrees with still beats a
    lone htmldate guess, which is often the date of a comment or a sidebar teaser.
    """
    if not candidates:
        return None
    ordered = sorted(candidates, key=_rank)  # stable: each source keeps its own order
    records = [c for c in ordered if c.source == "record"]
    if records:
        return records[0]
    from_url = [c for c in ordered if c.source == "url"]
    if from_url:
        agreeing = [
            c for c in ordered if c.source != "url" and _same_day(c.value, from_url[0].value)
        ]
        return agreeing[0] if agreeing else from_url[0]
    return ordered[0]


def choose_published_at(
    doc: Document, options: CleanOptions = DEFAULT_OPTIONS, now: datetime | None = None
) -> Document:
    """Set published_at (UTC) and its source from the document's date candidates.

    Candidates that cannot be publication dates (before `options.min_year`, more than
    `CLOCK_SKEW` after the fetch or the clock) are dropped and flagged "date-rejected". Among
    the rest: a crawler's record wins; else, when the URL has a date, the first candidate on
    the URL's day is taken (for its time), or the URL date itself; else the first candidate
    by source, record > html-meta and html-text (together) > text-header > url > text-body,
    each in the order its stage listed them. Candidates keep their zone; published_at is the
    instant in UTC.

    >>> fetched = datetime(2024, 7, 9, tzinfo=UTC)
    >>> doc = Document(text="Leaders met.", fetched_at=fetched, date_candidates=[
    ...     DateCandidate(datetime(2031, 1, 1, tzinfo=UTC), "html-meta"),
    ...     DateCandidate(datetime(2024, 7, 8, 4, 55, tzinfo=UTC), "text-body")])
    >>> doc = choose_published_at(doc)
    >>> doc.published_at.isoformat(), doc.published_at_source, [c.rule for c in doc.cleaning]
    ('2024-07-08T04:55:00+00:00', 'text-body', ['date-rejected'])
    """
    now = as_utc(now) if now is not None else datetime.now(UTC)  # a test may fix the clock
    valid: list[DateCandidate] = []
    flags: list[Cleaning] = []
    for candidate in doc.date_candidates:
        reason = _impossible(candidate.value, doc.fetched_at, now, options)
        if reason:
            flags.append(_rejection(candidate.value, candidate.source, reason))
        else:
            # Candidates keep their own zone: the publisher's local day is evidence too.
            local = candidate.value
            valid.append(DateCandidate(as_utc(local) if local.tzinfo is None else local,
                                       candidate.source))  # fmt: skip
    best = _best(valid)
    changes: dict[str, object] = {"date_candidates": valid}
    if best is not None:
        source = WRITTEN_SOURCE.get(best.source, best.source)
        changes.update(published_at=as_utc(best.value), published_at_source=source)
    elif doc.published_at is not None:
        reason = _impossible(doc.published_at, doc.fetched_at, now, options)
        if reason:
            flags.append(_rejection(doc.published_at, doc.published_at_source, reason))
            changes.update(published_at=None, published_at_source=None)
        else:
            changes.update(published_at=as_utc(doc.published_at))
    # A candidate found again on a second pass was flagged the first time: flag it once.
    new_flags = [flag for flag in dict.fromkeys(flags) if flag not in doc.cleaning]
    return doc.evolve(*new_flags, **changes)


def local_published_at(doc: Document) -> datetime | None:
    """published_at in the zone its source stated, e.g. for the publisher's calendar day.

    >>> doc = choose_published_at(Document(text="x", date_candidates=[DateCandidate(
    ...     parse_datetime("2020-09-29T22:40:00-07:00"), "html-meta")]))
    >>> doc.published_at.date().isoformat(), local_published_at(doc).date().isoformat()
    ('2020-09-30', '2020-09-29')
    """
    if doc.published_at is None:
        return None
    for candidate in doc.date_candidates:
        if candidate.value == doc.published_at and candidate.value.tzinfo is not None:
            return candidate.value
    return as_utc(doc.published_at)
