"""HTML -> main text and page metadata, with trafilatura settings chosen for news articles."""

from __future__ import annotations

import re
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document as TrafilaturaResult
from trafilatura.utils import load_html

from cleaners.document import Cleaning, Document, RejectedDocument
from cleaners.layout import strip_furniture_lines
from cleaners.metadata.dates import htmldate_candidates
from cleaners.metadata.title import headline_of_page
from cleaners.metadata.urls import site_from_url
from cleaners.options import DEFAULT_OPTIONS, CleanOptions
from cleaners.text import join_paragraphs

# trafilatura joins several meta authors with "; " and keeps keyword lists as one string.
AUTHOR_SEPARATOR = re.compile(r"\s*;\s*")
TAG_SEPARATOR = re.compile(r"\s*[,;]\s*")
EXCERPT_CHARS = 200

# Reader comments are not article text; tables often are (results, figures), so keep them.
# Links, images and formatting markup would only have to be stripped again downstream.
# trafilatura's own `deduplicate` is off: its cache is shared across calls, so the output of
# one page would depend on the pages extracted before it.
EXTRACTION_SETTINGS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    "deduplicate": False,
    "with_metadata": True,
    "favor_precision": False,
    "favor_recall": False,
}


def _split_field(value: str | None, separator: re.Pattern[str]) -> list[str]:
    """Non-empty, de-duplicated parts of a metadata string, in page order.

    >>> _split_field("Jane Doe; John Roe; Jane Doe", AUTHOR_SEPARATOR)
    ['Jane Doe', 'John Roe']
    """
    if not value:
        return []
    seen: dict[str, None] = {}
    for part in separator.split(value):
        part = part.strip()
        if part and part not in seen:
            seen[part] = None
    return list(seen)


def _tags(tags: list[str] | None, categories: list[str] | None) -> list[str]:
    found: dict[str, None] = {}
    for value in [*(categories or []), *(tags or [])]:
        for part in _split_field(value, TAG_SEPARATOR):
            found.setdefault(part, None)
    return list(found)


def _texts(tree: HtmlElement | None, tag: str) -> list[str]:
    """The text of each of the page's `tag` elements, its whitespace collapsed."""
    if tree is None:
        return []
    return [" ".join(element.text_content().split()) for element in tree.iter(tag)]


def extract_html(
    html: str, url: str | None = None, options: CleanOptions = DEFAULT_OPTIONS
) -> Document:
    """Main text of a page (paragraphs separated by one blank line) and its metadata.

    Lines that the page shows only inside site furniture (teasers of other articles, author
    boxes, sign-up calls, captions; see `cleaners.layout`) are dropped and logged in `cleaning`.

    >>> page = ('<html><head><title>Summit</title><meta name="author" content="Jane Doe">'
    ...         '</head><body><nav>Home | World | Sport</nav><article><h1>Summit in Astana</h1>'
    ...         '<p>Leaders met in Astana on Thursday to talk about trade and security.</p>'
    ...         '<p>They agreed to meet again next year in a city yet to be chosen.</p>'
    ...         '</article></body></html>')
    >>> doc = extract_html(page, "https://example.com/summit")
    >>> print(doc.text)
    Summit in Astana
    <BLANKLINE>
    Leaders met in Astana on Thursday to talk about trade and security.
    <BLANKLINE>
    They agreed to meet again next year in a city yet to be chosen.
    >>> doc.authors, doc.url
    (['Jane Doe'], 'https://example.com/summit')
    """
    excerpt = html[:EXCERPT_CHARS]
    if not html or not html.strip():
        raise RejectedDocument("no-text", "the page is empty", stage="extract", excerpt=excerpt)
    try:
        # One parse serves both: trafilatura copies the tree, the layout check reads the page.
        tree = load_html(html)
        result = trafilatura.bare_extraction(
            tree if tree is not None else html, url=url, **EXTRACTION_SETTINGS
        )
    except (RecursionError, MemoryError) as error:
        raise RejectedDocument(
            "extract-failed", f"the HTML parser gave up: {type(error).__name__}", "extract", excerpt
        ) from error
    except Exception as error:  # trafilatura and lxml raise many unrelated types on bad markup
        raise RejectedDocument(
            "extract-failed", f"the HTML could not be parsed: {error}", "extract", excerpt
        ) from error
    if not isinstance(result, TrafilaturaResult) or not (result.text or "").strip():
        raise RejectedDocument(
            "no-text", "no main text could be extracted from the page", "extract", excerpt
        )
    lines = (result.text or "").splitlines()
    removed: list[tuple[str, str]] = []
    if tree is not None:
        # trafilatura (and its fallbacks) keep teasers, author boxes and sign-up calls that the
        # page's own markup labels as such: drop the lines found only there.
        lines, removed = strip_furniture_lines(lines, tree, result.url or url)
    text = join_paragraphs(lines)
    if not text:
        raise RejectedDocument(
            "no-text", "the page holds only site furniture, no article text", "extract", excerpt
        )
    cleaning = [Cleaning.of(f"layout-{kind}", "removed", line) for line, kind in removed]
    page_title = (result.title or "").strip()
    title_element = _texts(tree, "title")[:1] or [""]
    host = site_from_url(result.url or url)
    title = headline_of_page(
        page_title, title_element[0], result.sitename, host, _texts(tree, "h1"), _texts(tree, "h2")
    )
    if title != page_title:
        cleaning.append(Cleaning.of("title-site-name", "removed", page_title, field="title"))
    return Document(
        text=text,
        cleaning=cleaning,
        url=result.url or url,
        site=result.sitename or result.hostname or None,
        title=title or None,
        authors=_split_field(result.author, AUTHOR_SEPARATOR),
        tags=_tags(result.tags, result.categories),
        description=(result.description or "").strip() or None,
        # trafilatura's metadata holds htmldate's original day (same settings as
        # cleaners.metadata.dates): kept so that the page is not searched twice.
        date_candidates=htmldate_candidates(result.date),
    )
