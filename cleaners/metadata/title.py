"""The headline of a plain-text scrape: its first line, when that line reads like one."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from cleaners.document import Cleaning, DateCandidate, Document
from cleaners.metadata.bylines import parse_byline
from cleaners.metadata.dates import parse_date_line
from cleaners.metadata.urls import identity, site_names

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
        # A byline above the body is short and has no full stop, but it is not a headline.
        or parse_byline(first) is not None
    ):
        return doc
    rest = skip_furniture(rest)
    if len(WORD.findall(rest)) < MIN_BODY_WORDS:
        return doc
    entries.append(Cleaning.of("headline", "moved", first, field="title"))
    return doc.evolve(*entries, title=first, text=rest, date_candidates=candidates)


# Between a page title's headline and the site's name: " | ", " - ", " – ", " — ", " › ", " » ",
# " · ", " • ", " :: " (spaced, so that "Jean-Luc" or "14:05" are never split).
TITLE_SEGMENT_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|›|»|·|•|::)\s+")
WORD_OR_HOST_LABEL = re.compile(r"[\s.]+")
# A heading of the page is its headline only when it is words, not a label ("Menu"), and
# makes up at least this share of the title it is found in.
MIN_HEADING_WORDS = 2
MIN_HEADING_SHARE = 0.5
# An extraction title this short may be a label of the page ("Pressemitteilungen", "Navigation
# und Service") rather than its headline.
MAX_LABEL_WORDS = 3
# Meta titles are often typed in ASCII while the heading keeps its typography: quotes, dashes
# and the ellipsis are compared in one spelling.
TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "‚": "'", "“": '"', "”": '"', "„": '"',
                            "«": '"', "»": '"', "–": "-", "—": "-", "…": "..."})  # fmt: skip


def _names_site(segment: str, names: set[str]) -> bool:
    """Whether a segment is the site's name, alone or as a run of its words ("Die Welt": welt).

    >>> _names_site("www.AussenGedanken.de", {"aussengedanken"})
    True
    >>> _names_site("Bilder des Tages", {"bild"})
    False
    """
    if not names:
        return False
    longest = max(map(len, names))
    words = [word for word in map(identity, WORD_OR_HOST_LABEL.split(segment)) if word]
    for start in range(len(words)):
        run = ""
        # A run longer than every name names none: a long title is read in linear time.
        for word in words[start:]:
            run += word
            if len(run) > longest:
                break
            if run in names:
                return True
    return False


def headline_of_title(
    title: str, site: str | None = None, host: str | None = None, headings: Iterable[str] = ()
) -> str:
    """A page title without the site's name, a date, a kicker or a section around its headline.

    A segment that names the site (its name, or its host's name in any spelling) goes, with
    whatever lies beyond it (the site's tagline), and so do outer segments that are a date; a
    title that is nothing but such segments stays whole. Then, when one of
    the page's `headings` (its <h1> texts) is part of what is left and at least half of it, that
    heading is the headline, in the page's own typography: the page shows it as such, and the
    rest of the title ("Wahl:", "| Rezept") is not.

    >>> headline_of_title("Streit ums Feuerholz - www.AussenGedanken.de", host="aussengedanken.de")
    'Streit ums Feuerholz'
    >>> headline_of_title("INDUSTRIEMAGAZIN | Luftfahrt hebt ab - und FACC profitiert",
    ...                   host="industriemagazin.at")
    'Luftfahrt hebt ab - und FACC profitiert'
    >>> headline_of_title("Enterprise 2.0 | HR Innovation", site="HR Innovation")
    'Enterprise 2.0'
    >>> headline_of_title("Hechte | petri-heil.ch | Dein Fischereimagazin", host="petri-heil.ch")
    'Hechte'
    >>> headline_of_title("So viel Regen gab es lange nicht : 31.10.2023, 10.19 Uhr - N-LAND",
    ...                   host="n-land.de")
    'So viel Regen gab es lange nicht : 31.10.2023, 10.19 Uhr'
    >>> headline_of_title("Reuters", site="Reuters"), headline_of_title("Jean-Luc - Paris - Lyon")
    ('Reuters', 'Jean-Luc - Paris - Lyon')
    >>> headline_of_title("Wahl: Eva Muster zur Präsidentin gewählt",
    ...                   headings=["Menu", "Eva Muster zur Präsidentin gewählt"])
    'Eva Muster zur Präsidentin gewählt'
    >>> headline_of_title("Summit ends - Latest news and weather", headings=["Latest news"])
    'Summit ends - Latest news and weather'
    >>> headline_of_title("Editor's Letter: bye OC Baby", headings=["Editor’s Letter: bye OC Baby"])
    'Editor’s Letter: bye OC Baby'
    """
    trimmed = _without_site_or_date(title.strip(), site_names(site, host))
    folded = trimmed.translate(TYPOGRAPHY)
    for heading in headings:
        heading = " ".join(heading.split())
        if (
            len(heading.split()) >= MIN_HEADING_WORDS
            and heading != trimmed
            and heading.translate(TYPOGRAPHY) in folded
            and len(heading) >= MIN_HEADING_SHARE * len(trimmed)
        ):
            return heading
    return trimmed


def headline_of_page(
    title: str,
    page_title: str,
    site: str | None = None,
    host: str | None = None,
    headings: Sequence[str] = (),
    subheadings: Sequence[str] = (),
) -> str:
    """The story's headline from the extraction's `title`, the page's <title> and its headings.

    First `headline_of_title(title, site, host, headings)`. But the extraction's title is
    sometimes a label of the page, not its headline: a section ("Pressemitteilungen") or a menu
    ("Hauptmenü"), read from a heading when the page has no title metadata. Such a title is
    short (at most `MAX_LABEL_WORDS` words) and no part of the page's <title>, which is more
    than the site's name. Then the longest heading of the page (`headings`: <h1> texts,
    `subheadings`: <h2> texts) that the <title> repeats is the headline, unless it names the
    site; without one, the <title> itself without the site's name is, when it has more words.

    >>> headline_of_page("Pressemitteilungen", "BDZV: Olafur Eliasson gestaltet Titelseite",
    ...                  headings=["Pressemitteilungen", "Olafur Eliasson gestaltet Titelseite"])
    'Olafur Eliasson gestaltet Titelseite'
    >>> headline_of_page("Ansprechpartner", "Auf den Spuren von Rafael Nadal - Tennisclub",
    ...                  host="tennisclub.de")
    'Auf den Spuren von Rafael Nadal'
    >>> headline_of_page("Wurmkiste", "Wurmkiste | Gartenblog", headings=["Wurmkiste"])
    'Wurmkiste'
    """
    headline = headline_of_title(title, site, host, headings)
    shown = " ".join(page_title.split())
    words = len(headline.split())
    if words > MAX_LABEL_WORDS or not shown:
        return headline
    folded_page = shown.translate(TYPOGRAPHY)
    names = site_names(site, host)
    if headline.translate(TYPOGRAPHY) in folded_page or identity(shown) in names:
        return headline
    repeated = [
        heading
        for heading in (" ".join(text.split()) for text in (*headings, *subheadings))
        if len(heading.split()) > max(words, 1)
        and heading.translate(TYPOGRAPHY) in folded_page
        and not _names_site(heading, names)
    ]
    if repeated:
        return max(repeated, key=len)
    of_page = headline_of_title(shown, site, host, headings)
    return of_page if len(of_page.split()) > words else headline


def _without_site_or_date(title: str, names: set[str]) -> str:
    segments = TITLE_SEGMENT_SEPARATOR.split(title)
    separators = TITLE_SEGMENT_SEPARATOR.findall(title)
    if len(segments) < 2:
        return title

    first, last = 0, len(segments)
    # A segment naming the site ends the headline, or starts it: what lies beyond the site's
    # name ("| petri-heil.ch | Dein Schweizer Fischereimagazin") is the site's tagline.
    site = [index for index, segment in enumerate(segments) if _names_site(segment, names)]
    after_first = [index for index in site if index > 0]
    if after_first:
        last = after_first[0]
    before_last = [index for index in site if index < last - 1]
    if before_last:
        first = before_last[-1] + 1
    while last - first > 1 and parse_date_line(segments[last - 1]) is not None:
        last -= 1
    while last - first > 1 and parse_date_line(segments[first]) is not None:
        first += 1
    if (first, last) == (0, len(segments)):
        return title
    kept = [segments[first]]
    for index in range(first + 1, last):
        kept += [separators[index - 1], segments[index]]
    return "".join(kept).strip()
