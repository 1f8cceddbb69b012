from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.document import DateCandidate, Document
from cleaners.metadata.title import take_headline

BODY = "Chinese President Xi Jinping urged members of a regional club to resist meddling."


def test_first_line_becomes_the_headline():
    doc = take_headline(Document(text=f"Xi and Putin meet in Astana\n\n{BODY}\n\nMore text here."))
    assert doc.title == "Xi and Putin meet in Astana"
    assert doc.text == f"{BODY}\n\nMore text here."
    entry = doc.cleaning[-1]
    assert (entry.rule, entry.action, entry.field, entry.text) == (
        "headline",
        "moved",
        "title",
        "Xi and Putin meet in Astana",
    )


def test_language_label_under_the_headline_is_dropped():
    doc = take_headline(Document(text=f"La Chine et la Russie coopèrent\nFrançais\n{BODY}"))
    assert doc.title == "La Chine et la Russie coopèrent"
    assert doc.text == BODY
    assert [c.rule for c in doc.cleaning] == ["language-label", "headline"]


def test_headline_after_the_label_was_already_removed():
    doc = take_headline(Document(text=f"La Chine et la Russie coopèrent\n{BODY}"))
    assert doc.title == "La Chine et la Russie coopèrent" and doc.text == BODY


def test_date_widget_above_or_below_becomes_a_header_date():
    for text in (
        f"giovedì, Aprile 18, 2024\n\nPutin-Xi: vertice virtuale\n\n{BODY}",
        f"Putin-Xi: vertice virtuale\n18 aprile 2024\n{BODY}",
    ):
        doc = take_headline(Document(text=text))
        assert doc.title == "Putin-Xi: vertice virtuale"
        assert doc.text == BODY
        assert [c.source for c in doc.date_candidates] == ["text-header"]
        assert doc.date_candidates[0].value.date().isoformat() == "2024-04-18"


def test_sentence_or_long_first_line_is_not_a_headline():
    for text in (
        f"{BODY}\n{BODY}",
        "A very long first line " * 12 + f"\n{BODY}",
        f"The talks ended...\n{BODY}",
    ):
        doc = take_headline(Document(text=text))
        assert doc.title is None and doc.text == text and doc.cleaning == []


def test_headline_needs_body_text_after_it():
    for text in ("Only a headline", "Headline\nFrançais", "Headline\n\nShort line"):
        doc = take_headline(Document(text=text))
        assert doc.title is None and doc.text == text


def test_existing_title_is_kept_and_its_repeat_removed():
    doc = take_headline(Document(text=f"Summit in Astana\n\n{BODY}", title="Summit in  Astana"))
    assert doc.title == "Summit in  Astana" and doc.text == BODY
    assert doc.cleaning[0].rule == "headline" and doc.cleaning[0].action == "removed"
    untouched = Document(text=f"Another line\n\n{BODY}", title="Summit in Astana")
    assert take_headline(untouched) == untouched


def test_existing_candidates_are_kept():
    old = DateCandidate(__import__("datetime").datetime(2024, 1, 1), "record")
    doc = take_headline(Document(text=f"Headline\n2 March 2024\n{BODY}", date_candidates=[old]))
    assert doc.date_candidates[0] == old and len(doc.date_candidates) == 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_and_loses_no_body_words(text):
    doc = take_headline(Document(text=text))
    if doc.title is None:
        assert doc.text == text
    else:
        assert doc.title.strip() == doc.title and "\n" not in doc.title
        assert doc.text.strip()


def test_a_byline_is_not_a_headline():
    text = f"By Jane Doe\n\n{BODY}"
    assert take_headline(Document(text=text)).title is None
