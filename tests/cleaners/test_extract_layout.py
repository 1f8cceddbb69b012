"""extract_html drops lines that the page's markup marks as site furniture, and says so."""

from __future__ import annotations

import pytest

from cleaners.extract import extract_html
from tests.cleaners.test_extract import PARAGRAPHS

TEASER = "Floods in the north leave thousands of families without power for a third day running."


def page(extra: str, paragraphs: list[str] = PARAGRAPHS) -> str:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return f"<html><body><article><h1>Xi and Putin meet</h1>{body}{extra}</article></body></html>"


@pytest.mark.parametrize(
    ("block", "rule"),
    [
        (f"<div class='promo'><p>{TEASER}</p></div>", "layout-other-articles"),
        (f"<div class='recirculation'><p>{TEASER}</p></div>", "layout-other-articles"),
        (f"<div class='cta-box'><p>{TEASER}</p></div>", "layout-call-to-action"),
        (f"<div class='modal'><p>{TEASER}</p></div>", "layout-overlay"),
        (f"<p><a href='/floods'>{TEASER}</a></p>", "layout-link-block"),
    ],
)
def test_teaser_inside_the_article_is_removed_and_logged(block: str, rule: str) -> None:
    doc = extract_html(page(block), "https://example.com/world/xi-putin")
    assert TEASER not in doc.text
    assert doc.text.split("\n\n")[-3:] == PARAGRAPHS
    assert [(entry.rule, entry.action, entry.text) for entry in doc.cleaning] == [
        (rule, "removed", TEASER)
    ]


def test_article_paragraph_with_the_teasers_words_is_kept() -> None:
    paragraphs = [*PARAGRAPHS, TEASER]
    doc = extract_html(page(f"<div class='promo'><p>{TEASER}</p></div>", paragraphs))
    assert doc.text.split("\n\n")[-4:] == paragraphs
    assert doc.cleaning == []


def test_article_in_a_block_named_like_furniture_is_kept() -> None:
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    html = (
        "<html><body><div class='layout-sidebar'><div class='promo-wrapper'>"
        f"<h1>Xi and Putin meet</h1>{body}</div></div></body></html>"
    )
    doc = extract_html(html)
    assert doc.text.split("\n\n")[-3:] == PARAGRAPHS


def test_contact_line_is_not_a_teaser() -> None:
    contact = "<p>Tips for the desk: <a href='mailto:desk@example.com'>desk@example.com</a></p>"
    doc = extract_html(page(contact))
    assert "desk@example.com" in doc.text
    assert doc.cleaning == []
