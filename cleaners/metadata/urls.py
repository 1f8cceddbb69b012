"""Canonical article URLs (courlan) and the site a URL belongs to."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url

HTTP_SCHEMES = ("http", "https")
# A host name or IPv4 address as it may appear in an article URL (IDN hosts included).
HOST_NAME = re.compile(r"^(?:[\w-]+\.)+[\w-]{2,}$|^\d{1,3}(?:\.\d{1,3}){3}$")
URL_WHITESPACE = re.compile(r"\s")
WWW_PREFIX = re.compile(r"^www\d*\.")
IDENTITY_CHARS = re.compile(r"[\W_]+")
# Host labels that say nothing of the site: "www", "blog", "news" prefixes and the suffixes.
HOST_NOISE = re.compile(r"^(?:www\d*|m|amp|blog|blogs|news)$")


def _host(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in HTTP_SCHEMES or not host or not HOST_NAME.match(host):
        return None
    return host.lower().rstrip(".")


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters, fragment or credentials; None unless valid http(s).

    >>> canonical_url("HTTPS://WWW.Example.COM/news/story.html?utm_source=x&id=5#comments")
    'https://www.example.com/news/story.html?id=5'
    >>> canonical_url("javascript:alert(1)") is None
    True
    """
    if not url:
        return None
    url = url.strip()
    if not url or URL_WHITESPACE.search(url) or _host(url) is None:
        return None
    try:
        normalised = normalize_url(url)
        parts = urlsplit(normalised)
        host = parts.hostname
        port = parts.port
    except (ValueError, TypeError):
        return None
    if parts.scheme not in HTTP_SCHEMES or not host:
        return None
    # Credentials in a scraped URL are someone's secret, never part of the article's identity.
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def site_from_url(url: str | None) -> str | None:
    """The host of an http(s) URL without a leading "www."; None for anything else.

    >>> site_from_url("https://www.Reuters.com/world/asia-pacific/")
    'reuters.com'
    >>> site_from_url("mailto:desk@example.com") is None
    True
    """
    if not url:
        return None
    host = _host(url.strip())
    if host is None:
        return None
    return WWW_PREFIX.sub("", host)


def identity(text: str) -> str:
    """Letters and digits only, case-folded: "N-LAND", "n-land.de" -> "nland", "nlandde".

    >>> identity("N-LAND"), identity("n-land.de")
    ('nland', 'nlandde')
    """
    return IDENTITY_CHARS.sub("", text.casefold())


def site_names(site: str | None, host: str | None) -> set[str]:
    """The identities (see `identity`) under which a page may name its own site.

    >>> sorted(site_names("Der Tagesspiegel", "www.tagesspiegel.de"))
    ['dertagesspiegel', 'tagesspiegel', 'tagesspiegelde']
    """
    names = {identity(site)} if site else set()
    if host:
        labels = [label for label in host.casefold().split(".") if not HOST_NOISE.match(label)]
        # The registrable name and the whole host: "aerobuzz" and "aerobuzzde" both name it.
        names.update(identity(label) for label in labels[:-1])
        names.add(identity(".".join(labels)))
    return {name for name in names if len(name) >= 2}
