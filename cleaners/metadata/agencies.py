"""News agencies: the ways credits and datelines spell each one, and the one name newsclean
stores in `agency` for it."""

from __future__ import annotations

import re

# Each agency's stored name, then how credits print it. Datelines match these spellings as they
# are written ("(Reuters)", "(dpa)", "(ТАСС)"); bylines and author fields match them in any case.
AGENCY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Reuters": ("Reuters", "Thomson Reuters"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "dpa-AFX": ("dpa-AFX",),
    "ANSA": ("ANSA",),
    "AGI": ("AGI",),
    "Adnkronos": ("Adnkronos",),
    "EFE": ("EFE", "Agencia EFE"),
    "Europa Press": ("Europa Press",),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "TASS": ("TASS", "ТАСС", "ИТАР-ТАСС"),
    "RIA Novosti": ("RIA Novosti", "РИА Новости"),
    "Interfax": ("Interfax", "Интерфакс"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "UPI": ("UPI",),
    "PTI": ("PTI",),
    "IANS": ("IANS",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Jiji": ("Jiji Press",),
    "Yonhap": ("Yonhap",),
    "Anadolu": ("Anadolu", "Anadolu Agency", "Anadolu Ajansı", "AA"),
    "DHA": ("DHA",),
    "IHA": ("IHA",),
    "KNA": ("KNA",),
    "epd": ("epd",),
    "APA": ("APA",),
    "APA-OTS": ("APA-OTS",),
    "SDA": ("SDA", "Keystone-SDA"),
    "Belga": ("Belga",),
    "ANP": ("ANP",),
    "PAP": ("PAP",),
    "ČTK": ("ČTK", "CTK"),
    "MTI": ("MTI",),
    "HINA": ("HINA",),
    "Tanjug": ("Tanjug",),
    "BTA": ("BTA",),
    "Agerpres": ("Agerpres",),
    "Lusa": ("Lusa", "Agência Lusa"),
    "Agência Brasil": ("Agência Brasil",),
    "Prensa Latina": ("Prensa Latina",),
    "Notimex": ("Notimex",),
    "Télam": ("Télam",),
    "Ritzau": ("Ritzau",),
    "TT": ("TT",),
    "NTB": ("NTB",),
    "STT": ("STT",),
    "Ukrinform": ("Ukrinform",),
    "UNIAN": ("UNIAN",),
    "BelTA": ("BelTA",),
    "Kazinform": ("Kazinform",),
    "Trend": ("Trend",),
    "CNA": ("CNA",),
    "Bernama": ("Bernama",),
    "Antara": ("Antara",),
    "IRNA": ("IRNA",),
    "WAFA": ("WAFA",),
    "MENA": ("MENA",),
    "KUNA": ("KUNA",),
    "QNA": ("QNA",),
    "SPA": ("SPA",),
    "WAM": ("WAM",),
    "AAP": ("AAP",),
    "PA Media": ("PA Media", "Press Association"),
    "The Canadian Press": ("The Canadian Press", "Canadian Press"),
    "SID": ("SID",),
}
_BY_FOLDED_SPELLING: dict[str, str] = {
    spelling.casefold(): name
    for name, spellings in AGENCY_SPELLINGS.items()
    for spelling in spellings
}
# Longest first, so that "Keystone-SDA" is tried before "SDA".
AGENCY_PATTERN = "|".join(
    re.escape(spelling)
    for spelling in sorted(
        (spelling for spellings in AGENCY_SPELLINGS.values() for spelling in spellings),
        key=len,
        reverse=True,
    )
)
AGENCY_NAME = re.compile(rf"(?:{AGENCY_PATTERN})")


def agency_named(text: str) -> str | None:
    """The stored name of the agency `text` spells (any case, spacing or brackets), else None.

    >>> agency_named("(Deutsche Presse-Agentur)"), agency_named(" dpa "), agency_named("Jane Doe")
    ('dpa', 'dpa', None)
    """
    key = " ".join(text.casefold().replace("(", " ").replace(")", " ").split()).strip(" .:-–—")
    return _BY_FOLDED_SPELLING.get(key)


def agencies_credited(text: str) -> str:
    """The stored names of agencies a dateline credits as written ("Reuters/AFP", "DPA").

    >>> agencies_credited("DPA / Reuters")
    'dpa/Reuters'
    """
    return "/".join(agency_named(part) or part.strip() for part in text.split("/"))
