"""One document through extract -> repair -> clean -> enrich; the public clean_html/clean_text."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from cleaners.contract import article_row
from cleaners.deadline import TimeLimitExceeded, call_with_time_limit
from cleaners.document import Document, RejectedDocument
from cleaners.enrich import enrich
from cleaners.extract import EXTRACTION_SETTINGS, extract_html
from cleaners.metadata.authors import normalize_authors
from cleaners.metadata.bylines import byline_near_headline
from cleaners.metadata.dates import (
    as_utc,
    html_date_candidates,
    local_published_at,
    recorded_htmldate_day,
)
from cleaners.metadata.title import take_headline
from cleaners.options import DEFAULT_OPTIONS, CleanOptions
from cleaners.readers import RawDocument, derived_id, parse_timestamp
from cleaners.repair import decode_bytes, repair_text
from cleaners.residue import clean_residue

MAX_ATTRIBUTES = 2_000
# lxml slows down quadratically with the attributes of one element, so an element with
# thousands of them is an attribute bomb. Only long tags can hold that many; each "<" scans at
# most to the next "<" or ">", so finding them stays linear in the page. Long tags as such are
# normal (data URIs, JSON in attributes, CDATA, comments).
LONG_TAG = re.compile(r"<[^<>]{10000,}")
ATTRIBUTE = re.compile(r"\s[\w:.-]{1,200}\s{0,10}=")


def clean_raw(
    raw: RawDocument,
    options: CleanOptions = DEFAULT_OPTIONS,
) -> Document:
    """Extract, repair, clean and enrich one raw document; raises RejectedDocument.

    A document still being cleaned after `options.max_document_seconds` is stopped and rejected.
    """
    if not options.max_document_seconds:
        return _clean_raw(raw, options)
    try:
        return call_with_time_limit(options.max_document_seconds, _clean_raw, raw, options)
    except TimeLimitExceeded:
        raise RejectedDocument(
            "timeout",
            f"cleaning took longer than {options.max_document_seconds:g} s and was stopped",
            "extract" if raw.kind == "html" else "clean",
        ) from None


def _clean_raw(raw: RawDocument, options: CleanOptions) -> Document:
    if len(raw.content) > options.max_input_bytes:
        raise RejectedDocument(
            "too-large", f"the document is larger than {options.max_input_bytes:,} bytes", "read"
        )
    html: str | None = None
    if raw.kind == "html":
        html = (
            decode_bytes(raw.content, is_html=True)[0]
            if isinstance(raw.content, bytes)
            else raw.content
        )
        refuse_hostile_markup(html, options)
        doc = extract_html(html, raw.url, options)
        # trafilatura's metadata (with_metadata) already ran htmldate on the page.
        day, others = recorded_htmldate_day(
            doc.date_candidates, bool(EXTRACTION_SETTINGS.get("with_metadata")), doc.url, raw.url
        )
        doc.date_candidates = [*others, *html_date_candidates(html, raw.url, day)]
    else:
        text = raw.content
        if isinstance(text, bytes):
            text = decode_bytes(text)[0]
        doc = Document(text=text, url=raw.url)
    doc = doc.evolve(
        doc_id=raw.doc_id,
        source=raw.source,
        title=raw.title or doc.title,
        url=doc.url or raw.url,
        fetched_at=raw.fetched_at,
        source_group=source_group(raw.url or doc.url, raw.source_group),
    )
    doc = repair_text(doc)
    doc = clean_residue(doc, options)
    if html is None:
        doc = take_headline(doc)
    elif not normalize_authors(doc.authors)[0]:
        # Neither the markup nor the main text names a person: the page may still print a
        # byline next to its headline, in an element the extraction leaves out.
        byline = byline_near_headline(html, doc.title or "")
        if byline is not None:
            doc = doc.evolve(authors=byline[0], agency=doc.agency or byline[1])
    doc = enrich(doc, options)
    if doc.word_count < options.min_words:
        raise RejectedDocument(
            "no-text",
            f"the cleaned body has {doc.word_count} words, fewer than {options.min_words}",
            "clean",
            doc.text[:160],
        )
    return doc


def refuse_hostile_markup(html: str, options: CleanOptions) -> None:
    """Reject pages whose parsing time would explode, before any parser sees them.

    >>> try:
    ...     refuse_hostile_markup("<p " + "a=1 " * 4_000 + ">", DEFAULT_OPTIONS)
    ... except RejectedDocument as error:
    ...     print(error.reason)
    hostile-markup
    """
    if len(html) > options.max_html_bytes:
        raise RejectedDocument(
            "too-large", f"the page is larger than {options.max_html_bytes:,} characters", "extract"
        )
    for tag in LONG_TAG.finditer(html):
        if len(ATTRIBUTE.findall(tag.group())) > MAX_ATTRIBUTES:
            raise RejectedDocument(
                "hostile-markup",
                f"an element has more than {MAX_ATTRIBUTES:,} attributes",
                "extract",
            )


def source_group(url: str | None, fallback: str) -> str:
    """The scope of learned boilerplate: the site's host, else the input's folder.

    >>> source_group("https://www.Example.com/a", "feeds"), source_group(None, "feeds")
    ('example.com', 'feeds')
    """
    if url:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        if host:
            return host
    return fallback


def clean_html(
    html: bytes | str,
    url: str | None = None,
    fetched_at: datetime | None = None,
    options: CleanOptions = DEFAULT_OPTIONS,
) -> dict[str, Any]:
    """One HTML page to one row of the contract (`duplicate_of` and `run_id` left empty).

    `published_at` is timezone-aware in the zone the page stated: the same instant that the
    Parquet column stores in UTC, and the publisher's own calendar day.
    """
    html, url, fetched_at = _api_input(html, url, fetched_at)
    source = url or "html:" + _content_id(html)
    raw = RawDocument(derived_id(source), source, "html", html, url=url, fetched_at=fetched_at)
    return _api_row(clean_raw(raw, options))


def clean_text(
    text: bytes | str,
    url: str | None = None,
    fetched_at: datetime | None = None,
    title: str | None = None,
    options: CleanOptions = DEFAULT_OPTIONS,
) -> dict[str, Any]:
    """One plain-text scrape to one row of the contract (`duplicate_of` and `run_id` empty).

    `published_at` is timezone-aware, as for `clean_html`.
    """
    text, url, fetched_at = _api_input(text, url, fetched_at)
    if title is not None and not isinstance(title, str):
        raise RejectedDocument("bad-record", "'title' must be a string", "read")
    source = url or "text:" + _content_id(text)
    raw = RawDocument(
        derived_id(source), source, "text", text, url=url, fetched_at=fetched_at, title=title
    )
    return _api_row(clean_raw(raw, options))


def _api_input(
    content: object, url: object, fetched_at: object
) -> tuple[bytes | str, str | None, datetime | None]:
    """A caller's document, URL and fetch time as the readers would hand them on.

    Values of the wrong type are bad input like any other: they are refused with the reason a
    JSON line holding them gets (`bad-record`), not left to fail deep inside a cleaner. A naive
    fetch time is taken as UTC, as a record's is.

    >>> _api_input(bytearray(b"<p>Hi</p>"), None, datetime(2024, 7, 8))[::2]
    (b'<p>Hi</p>', datetime.datetime(2024, 7, 8, 0, 0, tzinfo=datetime.timezone.utc))
    >>> try:
    ...     _api_input(None, None, None)
    ... except RejectedDocument as error:
    ...     print(error.reason, "-", error.detail)
    bad-record - the document must be str or bytes, not NoneType
    """
    if isinstance(content, bytearray | memoryview):
        content = bytes(content)
    if not isinstance(content, bytes | str):
        detail = f"the document must be str or bytes, not {type(content).__name__}"
        raise RejectedDocument("bad-record", detail, "read")
    if url is not None and not isinstance(url, str):
        raise RejectedDocument("bad-record", "'url' must be a string", "read")
    return content, url, _api_fetched_at(fetched_at)


def _api_fetched_at(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        parsed = parse_timestamp(value)
        if parsed is None:
            raise RejectedDocument(
                "bad-record", "'fetched_at' is not an ISO 8601 timestamp", "read"
            )
        return parsed
    if not isinstance(value, datetime):
        detail = f"'fetched_at' must be a datetime, not {type(value).__name__}"
        raise RejectedDocument("bad-record", detail, "read")
    return as_utc(value)


def _api_row(doc: Document) -> dict[str, Any]:
    row = article_row(doc)
    row["published_at"] = local_published_at(doc)
    return row


def _content_id(content: bytes | str) -> str:
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()[:16]
