"""What a page shows its readers: its visible lines, its headline and the lines next to it."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from html import unescape

# Comments and elements whose content is never shown as text.
INVISIBLE_START = re.compile(r"<!--|<(script|style|noscript|template|svg)\b", re.IGNORECASE)
INVISIBLE_END: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"</{name}\s*>", re.IGNORECASE)
    for name in ("script", "style", "noscript", "template", "svg")
}
# Elements that start a new line of text; every other tag is dropped from the line.
BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|br|hr|tr|td|th|table|section|article|header|footer|aside|nav"
    r"|main|figure|figcaption|dd|dt|dl|blockquote|form|button|select|option|label)\b[^<>]*>",
    re.IGNORECASE,
)
ANY_TAG = re.compile(r"<[^<>]*>")
SPACES = re.compile(r"\s+")
# Headings and the title are found by their tags, opening and closing ones apart: a pattern
# for the whole element would scan ahead from every unclosed tag.
HEADING_START = re.compile(r"<(h[12])\b[^<>]*>", re.IGNORECASE)
HEADING_END = re.compile(r"</(h[12])\s*>", re.IGNORECASE)
TITLE_START = re.compile(r"<title\b[^<>]*>", re.IGNORECASE)
TITLE_END = re.compile(r"</title\s*>", re.IGNORECASE)
MAX_HEADING_CHARS = 3_000
NOT_WORD = re.compile(r"[\W_]+")
# A headline is at least this long (site names and section headings are often shorter), and
# makes up at least this share of a title that repeats it.
MIN_HEADLINE_CHARS = 10
MIN_HEADLINE_SHARE = 0.6
# The lines next to the headline where a story prints its date and byline: a few before it
# (kicker, date line) and the first ones after it (standfirst, byline, date line).
LINES_BEFORE_HEADLINE = 3
LINES_AFTER_HEADLINE = 10
HEADLINE_WINDOW_CHARS = (3_000, 8_000)


def visible_html(html: str) -> str:
    """The page without comments and without the content of scripts, styles and the like.

    >>> visible_html("<p>A<!-- 2019-01-01 --></p><script>var d = '2019';</script><p>B</p>")
    '<p>A</p> <p>B</p>'
    """
    parts: list[str] = []
    position = 0
    while (match := INVISIBLE_START.search(html, position)) is not None:
        parts.append(html[position : match.start()])
        if match[1] is None:  # a comment
            end = html.find("-->", match.end())
            position = len(html) if end < 0 else end + 3
        else:
            closing = INVISIBLE_END[match[1].lower()].search(html, match.end())
            position = len(html) if closing is None else closing.end()
            parts.append(" ")
    parts.append(html[position:])
    return "".join(parts)


def shown_lines(fragment: str) -> list[str]:
    """The lines of text an HTML fragment shows: each block element starts a new line.

    >>> shown_lines("<h1>Summit</h1><p>By <a href='/jane'>Jane Doe</a> |<br>4 July&nbsp;2024</p>")
    ['Summit', 'By Jane Doe |', '4 July 2024']
    """
    text = unescape(ANY_TAG.sub(" ", BLOCK_TAG.sub("\n", fragment)))
    lines = (line.strip() for line in text.split("\n"))
    return [SPACES.sub(" ", line) for line in lines if line]


def _plain_words(text: str) -> str:
    return NOT_WORD.sub(" ", text.lower()).strip()


def _headings(page: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, tag name, inner HTML) of the page's <h1> and <h2> elements, in order."""
    ends: dict[str, list[int]] = {"h1": [], "h2": []}
    for match in HEADING_END.finditer(page):
        ends[match[1].lower()].append(match.start())
    for match in HEADING_START.finditer(page):
        name = match[1].lower()
        following = bisect_left(ends[name], match.end())
        if following == len(ends[name]):
            continue
        close = ends[name][following]
        if close - match.end() <= MAX_HEADING_CHARS:
            end = page.find(">", close) + 1
            yield match.start(), end, name, page[match.end() : close]


def page_title(page: str) -> str:
    """The text of the page's <title> element."""
    start = TITLE_START.search(page)
    if start is None:
        return ""
    end = TITLE_END.search(page, start.end(), start.end() + MAX_HEADING_CHARS)
    return " ".join(shown_lines(page[start.end() : end.start()])) if end else ""


def headline_element(page: str, headline: str) -> tuple[int, int] | None:
    """Where the <h1> or <h2> that holds the story's headline is: the first one whose text the
    page's headline (og:title, else <title>) repeats, else the first <h1>."""
    wanted = _plain_words(headline)
    first_h1: tuple[int, int] | None = None
    for start, end, name, inner in _headings(page):
        text = _plain_words(" ".join(shown_lines(inner)))
        if len(text) >= MIN_HEADLINE_CHARS and (
            text in wanted
            or (len(wanted) >= MIN_HEADLINE_CHARS and wanted in text
                and len(wanted) >= MIN_HEADLINE_SHARE * len(text))
        ):  # fmt: skip
            return start, end
        if first_h1 is None and name == "h1":
            first_h1 = start, end
    return first_h1


def lines_near_headline(page: str, headline: str = "") -> list[tuple[str, str]]:
    """The lines next to the story's headline, each with the line above it: below the headline
    first, then above it, nearest first. `page` is `visible_html`'s; `headline` the page's
    headline as its metadata gives it (og:title), else its <title> is used.

    >>> page = "<nav>Home</nav><p>World</p><h1>Summit in Astana</h1><p>By Jane Doe</p>"
    >>> lines_near_headline(page, "Summit in Astana")
    [('By Jane Doe', ''), ('World', 'Home'), ('Home', '')]
    """
    element = headline_element(page, headline or page_title(page))
    if element is None:
        return []
    start, end = element
    before_chars, after_chars = HEADLINE_WINDOW_CHARS
    after = shown_lines(page[end : end + after_chars])
    before = shown_lines(page[max(0, start - before_chars) : start])
    nearby = [(after[index], after[index - 1] if index else "")
              for index in range(min(len(after), LINES_AFTER_HEADLINE))]  # fmt: skip
    nearby += [(before[index], before[index - 1] if index else "")
               for index in range(len(before) - 1, -1, -1)
               if index >= len(before) - LINES_BEFORE_HEADLINE]  # fmt: skip
    return nearby
