"""The enrich stage: dates, language, authors, URL and site, word count and content hash."""

from __future__ import annotations

from cleaners.document import Document
from cleaners.metadata.authors import normalize_authors
from cleaners.metadata.dates import choose_published_at, text_date_candidates
from cleaners.metadata.language import detect_language
from cleaners.metadata.urls import canonical_url, site_from_url
from cleaners.options import DEFAULT_OPTIONS, CleanOptions
from cleaners.text import content_hash, word_count

# Below this many words the body alone is too little to tell the language; add the title.
SHORT_BODY_WORDS = 30


def enrich(doc: Document, options: CleanOptions = DEFAULT_OPTIONS) -> Document:
    """Fill the metadata columns of a cleaned document; pure, idempotent, never raises.

    >>> doc = enrich(Document(
    ...     text="Der Gipfel fand in Astana statt.\\n\\n2024-07-08 04:55:57",
    ...     url="https://WWW.Example.com/a?utm_source=feed", authors=["VON ANNA SCHMIDT, dpa"]))
    >>> (doc.language, doc.published_at.isoformat(), doc.published_at_source)
    ('de', '2024-07-08T04:55:57+00:00', 'text-body')
    >>> (doc.authors, doc.agency, doc.url, doc.site, doc.word_count)
    (['Anna Schmidt'], 'dpa', 'https://www.example.com/a', 'example.com', 12)
    """
    text = doc.text or ""
    known = set(doc.date_candidates)
    found = [c for c in text_date_candidates(text) if c not in known]
    if found:
        doc = doc.evolve(date_candidates=[*doc.date_candidates, *found])
    doc = choose_published_at(doc, options)

    words = word_count(text)
    sample = text
    if words < SHORT_BODY_WORDS and doc.title:
        sample = f"{doc.title}\n\n{text}"
    language, score = detect_language(sample, options.languages)

    url = canonical_url(doc.url)
    host = site_from_url(url or doc.url)
    site = doc.site or host
    authors, agency = normalize_authors(doc.authors, site, host)
    return doc.evolve(
        language=language,
        language_score=score,
        authors=authors,
        agency=doc.agency or agency,
        url=url,
        site=site,
        word_count=words,
        content_hash=content_hash(text),
    )
