import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.metadata.urls import canonical_url, site_from_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://WWW.Example.COM/News/Story.html?utm_source=x&id=5&fbclid=abc#comments",
            "https://www.example.com/News/Story.html?id=5",
        ),
        ("https://example.com", "https://example.com/"),
        ("http://example.com:80/a/?b=2&a=1", "http://example.com/a/?a=1&b=2"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("  https://example.com/a?utm_medium=rss  ", "https://example.com/a"),
        ("https://münchen.de/straße", "https://münchen.de/stra%C3%9Fe"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [None, "", "ftp://example.com/a", "javascript:alert(1)", "mailto:a@b.c", "not a url",
     "www.example.com/a", "https://", "http://exa mple.com/", "https://localhost/a",
     "http://[::1/x"],
)  # fmt: skip
def test_invalid_urls_give_none(url):
    assert canonical_url(url) is None


def test_site_from_url():
    assert site_from_url("https://www.Reuters.com/world/") == "reuters.com"
    assert site_from_url("http://www2.example.org/a") == "example.org"
    assert site_from_url("https://news.example.co.uk/a") == "news.example.co.uk"
    assert site_from_url("ftp://example.com/") is None
    assert site_from_url(None) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_and_is_idempotent(url):
    canonical = canonical_url(url)
    if canonical is not None:
        assert canonical.startswith(("http://", "https://"))
        assert "#" not in canonical
        assert canonical_url(canonical) == canonical
    site_from_url(url)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["http", "https", "HTTP"]),
    st.from_regex(r"[a-z]{1,10}(\.[a-z]{2,8}){1,2}", fullmatch=True),
    st.from_regex(r"(/[a-zA-Z0-9_-]{0,8}){0,3}", fullmatch=True),
    st.from_regex(r"(\?[a-z]{1,5}=[a-z0-9]{0,5}(&utm_source=[a-z]{1,4})?)?", fullmatch=True),
)
def test_plausible_urls_stay_valid(scheme, host, path, query):
    canonical = canonical_url(f"{scheme}://{host}{path}{query}#frag")
    assert canonical is not None
    assert "utm_" not in canonical and "#" not in canonical
    assert canonical_url(canonical) == canonical
