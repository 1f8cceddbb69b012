import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.document import DateCandidate, Document
from cleaners.metadata.title import (
    TYPOGRAPHY,
    headline_of_page,
    headline_of_title,
    take_headline,
)
from cleaners.options import DEFAULT_OPTIONS
from cleaners.readers import discover, plan_slices
from cleaners.shard import clean_documents

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


@pytest.mark.parametrize(
    "headline",
    ["Von der Leyen in Kiew", "Por qué sube la luz", "Di notte a Roma", "By the numbers"],
)
def test_a_headline_that_begins_like_a_byline_is_the_headline(headline: str):
    doc = take_headline(Document(text=f"{headline}\n{BODY}"))
    assert doc.title == headline and doc.text == BODY


def test_a_byline_on_the_first_line_is_not_the_headline():
    text = f"Von Anna Schmidt\n{BODY}"
    assert take_headline(Document(text=text)).title is None


@pytest.mark.parametrize(
    "byline",
    [
        "Posted by Jane Doe",
        "Veröffentlicht von Anna Schmidt",
        "Publié par Jean Dupont",
        "Pubblicato da Mario Rossi",
        "- Publicado por: Alberto González",
        "Geplaatst door Jan Jansen",
        "Opublikowane przez Jan Kowalski",
        "Yazan: Ahmet Yılmaz",
    ],
)
def test_a_blog_byline_naming_the_act_is_not_the_headline(byline: str):
    assert take_headline(Document(text=f"{byline}\n{BODY}")).title is None


@pytest.mark.parametrize(
    "headline", ["Published by Penguin Books in 1998", "Veröffentlicht von der Stadt Berlin"]
)
def test_a_headline_naming_a_publisher_is_still_the_headline(headline: str):
    assert take_headline(Document(text=f"{headline}\n{BODY}")).title == headline


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


@pytest.mark.parametrize(
    ("title", "site", "host", "headings", "headline"),
    [
        (
            "Bielersee-Winterhechte | petri-heil.ch | Dein Schweizer Fischereimagazin",
            None,
            "petri-heil.ch",
            [],
            "Bielersee-Winterhechte",
        ),
        (
            "Streit ums Feuerholz - www.AussenGedanken.de",
            None,
            "aussengedanken.de",
            [],
            "Streit ums Feuerholz",
        ),
        ("Enterprise 2.0 | HR Innovation", "HR Innovation", None, [], "Enterprise 2.0"),
        (
            "Die Welt | Merkel trifft Macron in Paris",
            None,
            "welt.de",
            [],
            "Merkel trifft Macron in Paris",
        ),
        (
            "Merkel in Paris - Bilder des Tages",
            None,
            "bild.de",
            [],
            "Merkel in Paris - Bilder des Tages",
        ),
        (
            "INDUSTRIEMAGAZIN | Luftfahrt hebt ab - und FACC profitiert",
            None,
            "industriemagazin.at",
            [],
            "Luftfahrt hebt ab - und FACC profitiert",
        ),
        (
            "Missy Magazine - Interabled Sex Education",
            None,
            "missy-magazine.de",
            [],
            "Interabled Sex Education",
        ),
        (
            "So viel Regen gab es lange nicht : 31.10.2023, 10.19 Uhr",
            None,
            None,
            ["So viel Regen gab es lange nicht"],
            "So viel Regen gab es lange nicht",
        ),
        (
            "Klimaschutz: Bohren, bis es heiß wird",
            None,
            "zeit.de",
            ["Bohren, bis es heiß wird"],
            "Bohren, bis es heiß wird",
        ),
        (
            "Tomaten richtig schneiden - Tipp mit Bild",
            None,
            None,
            ["Tomaten richtig schneiden"],
            "Tomaten richtig schneiden",
        ),
        # The site's name as the page's heading is not the story's headline.
        (
            "Eine lange Geschichte über den Hafen von Hamburg - Hafenblog",
            None,
            None,
            ["Hafenblog"],
            "Eine lange Geschichte über den Hafen von Hamburg - Hafenblog",
        ),
        ("Reuters", "Reuters", "reuters.com", ["Reuters"], "Reuters"),
        ("Jean-Luc Mélenchon à Lyon", None, "lyon.fr", [], "Jean-Luc Mélenchon à Lyon"),
        # A meta title typed in ASCII: the heading keeps the page's quotes, dashes, ellipsis.
        (
            'Bushido erklärt ihn für "finished" - Raptastisch',
            "Raptastisch",
            None,
            ["Bushido erklärt ihn für „finished“"],
            "Bushido erklärt ihn für „finished“",
        ),
        ("Alles hat seine Zeit...", None, None, ["Alles hat seine Zeit…"], "Alles hat seine Zeit…"),
        ("Korsetts - Shops", None, None, ["Korsetts – Deutschland"], "Korsetts - Shops"),
    ],
)
def test_page_title_to_headline(title, site, host, headings, headline):
    assert headline_of_title(title, site, host, headings) == headline


@pytest.mark.parametrize(
    ("title", "page_title", "host", "headings", "subheadings", "headline"),
    [
        # A section or menu label taken for the title: the heading the <title> repeats.
        ("Hauptmenü", "Vegetarier zu sein. Bedarf, Trend oder eigene Entscheidung?", "ethify.org",
         ["Ethify", "Vegetarier zu sein. Bedarf, Trend oder eigene Entscheidung?"], ["Hauptmenü"],
         "Vegetarier zu sein. Bedarf, Trend oder eigene Entscheidung?"),
        ("Allgemein", "Malaga, die quirlige Metropole in Andalusien", "reiseblog.de", [],
         ["Allgemein", "Malaga, die quirlige Metropole in Andalusien"],
         "Malaga, die quirlige Metropole in Andalusien"),
        # The longest of the headings the <title> repeats, not the site's own.
        ("Themen", "Werkzeuge des Neandertalers | Steinzeit & Co", "steinzeit.de",
         ["Steinzeit & Co", "Werkzeuge des Neandertalers"], [], "Werkzeuge des Neandertalers"),
        # No such heading: the <title> without the site's name.
        ("Ansprechpartner", "Auf den Spuren von Rafael Nadal - Tennisclub", "tennisclub.de", [],
         ["Ansprechpartner"], "Auf den Spuren von Rafael Nadal"),
        # A short headline the <title> repeats stays, and so does one beside a <title> that is
        # only the site's name, or a site heading.
        ("Wurmkiste", "Wurmkiste | Gartenblog", "gartenblog.de", ["Gartenblog", "Wurmkiste"], [],
         "Wurmkiste"),
        ("Willkommen!", "Anwalt Niemeyer", "anwalt-niemeyer.de", ["Anwalt Niemeyer"], [],
         "Willkommen!"),
        ("Liebe Menschen Europas", "Echte Demokratie Jetzt", "echte-demokratie-jetzt.de",
         ["Echte Demokratie Jetzt"], ["Liebe Menschen Europas"], "Liebe Menschen Europas"),
        # A long title is the headline as before.
        ("Summit ends with a joint statement", "Menu", None, ["Menu"], [],
         "Summit ends with a joint statement"),
    ],
)  # fmt: skip
def test_a_label_taken_for_the_title_gives_way_to_the_headline(
    title, page_title, host, headings, subheadings, headline
):
    assert headline_of_page(title, page_title, None, host, headings, subheadings) == headline


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=120),
    st.one_of(st.none(), st.text(max_size=30)),
    st.one_of(st.none(), st.from_regex(r"[a-z]{1,10}(\.[a-z]{2,3}){1,2}", fullmatch=True)),
    st.lists(st.text(max_size=60), max_size=3),
)
def test_the_headline_is_always_a_part_of_the_title(title, site, host, headings):
    headline = headline_of_title(title, site, host, headings)
    # Up to typography: a heading may spell the title's quotes, dashes or ellipsis its own way.
    folded = headline.translate(TYPOGRAPHY)
    assert folded in " ".join(title.split()).translate(TYPOGRAPHY) or folded in title.translate(
        TYPOGRAPHY
    )
    assert bool(headline.strip()) == bool(title.strip())


def test_every_sample_article_gets_its_headline_as_title():
    # data/samples/MANIFEST.json names each article's headline; banners above it are residue.
    samples = Path(__file__).resolve().parents[2] / "data" / "samples"
    manifest = json.loads((samples / "MANIFEST.json").read_text(encoding="utf-8"))
    titles = {
        f"{entry['path']}#L{record['line']}" if "line" in record else entry["path"]: record["title"]
        for entry in manifest["files"]
        for record in entry["records"]
        if record.get("title")
    }
    files, _ = discover([str(samples)])
    docs, _, _ = clean_documents(
        [item for shard in plan_slices(files, 100) for item in shard], DEFAULT_OPTIONS
    )
    assert len(docs) >= 18
    assert {d.source: d.title for d in docs if d.source in titles} == {
        d.source: titles[d.source] for d in docs if d.source in titles
    }


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=80),
    st.text(max_size=120),
    st.one_of(st.none(), st.from_regex(r"[a-z]{1,10}(\.[a-z]{2,3}){1,2}", fullmatch=True)),
    st.lists(st.text(max_size=60), max_size=3),
    st.lists(st.text(max_size=60), max_size=3),
)
def test_the_page_headline_comes_from_the_page(title, page_title, host, headings, subheadings):
    # Never invented: the title's headline, a heading, or a part of the <title>.
    headline = headline_of_page(title, page_title, None, host, headings, subheadings)
    shown = [" ".join(text.split()) for text in (*headings, *subheadings)]
    assert (
        headline == headline_of_title(title, None, host, headings)
        or headline in shown
        or headline in " ".join(page_title.split())
    )


@pytest.mark.timeout(60)
def test_a_title_of_thousands_of_words_is_read_without_hanging():
    # The site's name is looked for as a run of a segment's words: runs longer than any name
    # are never built, or a hostile <title> would take hours.
    words = " ".join(f"w{number}" for number in range(20_000))
    assert headline_of_title(f"{words} - Example", host="example.com") == words
    assert headline_of_page("Menu", f"{words} - Example", None, "example.com", [], [words]) == words
