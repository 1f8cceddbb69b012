"""extract_html: main text and metadata of a page, rejections for pages without text."""

from __future__ import annotations

import pytest

from cleaners.document import RejectedDocument
from cleaners.extract import extract_html

PARAGRAPHS = [
    "Chinese President Xi Jinping urged members of a regional security club on Thursday to "
    "resist external meddling at the annual meeting in the Kazakh capital.",
    "President Vladimir Putin was due to speak about creating a new Eurasian security system, "
    "open to all countries on the continent, officials said.",
    "Western sanctions have left Moscow cut off from traditional payment systems such as SWIFT, "
    "while hundreds of billions of dollars in reserves remain frozen.",
]


def page(body: str = "", head: str = "") -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    return (
        f"<html><head><title>Xi and Putin meet | Example News</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Xi and Putin meet</h1>{paragraphs}</article>{body}"
        "<footer>About us. Contact. Imprint.</footer></body></html>"
    )


META = (
    '<meta name="author" content="Jane Doe; John Roe">'
    '<meta property="og:site_name" content="Example News">'
    '<meta name="description" content="Leaders met in Astana.">'
    '<meta name="keywords" content="politics, Asia">'
)


def test_main_text_in_paragraphs() -> None:
    doc = extract_html(page(), "https://example.com/world/xi-putin")
    parts = doc.text.split("\n\n")
    assert parts[-3:] == PARAGRAPHS
    assert "Home" not in doc.text and "Imprint" not in doc.text
    assert "\n\n\n" not in doc.text


def test_metadata() -> None:
    doc = extract_html(page(head=META), "https://example.com/world/xi-putin")
    assert doc.title == "Xi and Putin meet"
    assert doc.authors == ["Jane Doe", "John Roe"]
    assert doc.site == "Example News"
    assert doc.url == "https://example.com/world/xi-putin"
    assert doc.description == "Leaders met in Astana."
    assert doc.tags == ["politics", "Asia"]


def test_the_title_is_the_headline_without_kicker_or_site_name() -> None:
    og_title = "Gipfel: Xi and Putin meet - example-news.com"
    html = page(head=f'<meta property="og:title" content="{og_title}">')
    doc = extract_html(html, "https://www.example-news.com/world/xi-putin")
    assert doc.title == "Xi and Putin meet"
    assert [(c.rule, c.field, c.text) for c in doc.cleaning if c.field == "title"] == [
        ("title-site-name", "title", og_title)
    ]


def test_no_url_is_fine() -> None:
    doc = extract_html(page(), None)
    assert doc.url is None
    assert PARAGRAPHS[0] in doc.text


def test_reader_comments_are_not_article_text() -> None:
    comments = (
        "<div class='comments' id='comments'><h3>3 Comments</h3><ol class='comment-list'>"
        "<li class='comment'><p>This is a long reader comment that disagrees with every single "
        "point made by the author of the piece above.</p></li></ol></div>"
    )
    doc = extract_html(page(body=comments), "https://example.com/a")
    assert "reader comment" not in doc.text
    assert PARAGRAPHS[1] in doc.text


def test_extraction_does_not_depend_on_earlier_pages() -> None:
    first = extract_html(page(), "https://example.com/a").text
    second = extract_html(page(), "https://example.com/a").text
    assert first == second and PARAGRAPHS[2] in second


@pytest.mark.parametrize(
    "html", ["", "   ", "<html><head><script>var a = 1;</script></head><body> </body></html>"]
)
def test_pages_without_text_are_rejected(html: str) -> None:
    with pytest.raises(RejectedDocument) as raised:
        extract_html(html, None)
    assert raised.value.reason == "no-text"
    assert raised.value.stage == "extract"


@pytest.mark.parametrize("html", ["\x00\x01\x02 not html at all \ufffd", "<" * 1000, "<p>" * 5000])
def test_garbage_never_escapes_as_another_exception(html: str) -> None:
    try:
        extract_html(html, None)
    except RejectedDocument as rejected:
        assert rejected.reason in {"no-text", "extract-failed"}
        assert rejected.stage == "extract"
