"""Moved fields, repeats and header dates: each cleaner on its own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cleaners.document import Document
from cleaners.metadata.dates import parse_date_line
from cleaners.residue import (
    drop_repeated_paragraphs,
    drop_restatement,
    move_bylines,
    move_dateline,
    move_hashtags,
    move_header_dates,
    move_tag_lists,
    move_wire_credits,
    parse_byline,
    parse_wire_credit,
)

BODY = "Leaders met in the capital on Thursday to discuss trade and security issues."


@pytest.mark.parametrize(
    ("line", "authors", "editors"),
    [
        (
            "(Reporting by Pavel MikheyevWriting by Olzhas Auyezov; editing by Guy Faulconbridge "
            "and Gareth Jones)",
            ["Pavel Mikheyev", "Olzhas Auyezov"],
            ["Guy Faulconbridge", "Gareth Jones"],
        ),
        ("Reporting by Jane Doe in Moscow; Editing by John Roe", ["Jane Doe"], ["John Roe"]),
        (
            "(Additional reporting by Ann Lee; Writing by Bo Chan; Editing by Cy Dee)",
            ["Ann Lee", "Bo Chan"],
            ["Cy Dee"],
        ),
        (
            "(Bericht von Andreas Rinke; redigiert von Ralf Banser)",
            ["Andreas Rinke"],
            ["Ralf Banser"],
        ),
    ],
)
def test_wire_credits(line: str, authors: list[str], editors: list[str]) -> None:
    assert parse_wire_credit(line) == (authors, editors)


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by the BBC showed the gap between the two countries.",
        "Editing by hand is slow, the editor said.",
        "(Reporting)",
        "Writing by candlelight was common then.",
    ],
)
def test_sentences_about_reporting_are_not_credits(line: str) -> None:
    assert parse_wire_credit(line) is None


def test_credit_in_the_middle_of_the_article_stays() -> None:
    middle = "Reporting by Jane Doe; Editing by John Roe"
    lines = [BODY] * 3 + [middle] + [BODY.replace("trade", f"topic {i}") for i in range(8)]
    doc = move_wire_credits(Document(text="\n".join(lines)))
    assert middle in doc.text and doc.authors == []


@pytest.mark.parametrize(
    ("line", "dateline", "agency", "rest"),
    [
        ("ASTANA (Reuters) -Chinese President Xi spoke.", "ASTANA", "Reuters", "Chinese President"),
        ("MOSCOW, July 4 (Reuters) - Russia said.", "MOSCOW", "Reuters", "Russia said."),
        ("Berlin (dpa) - Die Regierung hat entschieden.", "Berlin", "dpa", "Die Regierung"),
        ("Madrid (EFE).- El Gobierno aprobó el plan.", "Madrid", "EFE", "El Gobierno"),
        ("(AFP) - Le président a parlé.", None, "AFP", "Le président"),
        # the agency is stored under one name however the dateline spells it
        ("HAMBURG (DPA) - Der Hafen wächst.", "HAMBURG", "dpa", "Der Hafen"),
        ("LONDON (Press Association) - MPs voted.", "LONDON", "PA Media", "MPs voted."),
        ("KYIV (Reuters/AFP) - Talks resumed.", "KYIV", "Reuters/AFP", "Talks resumed."),
        ("Montpellier (SID) – Zverev gewann das Match.", "Montpellier", "SID", "Zverev"),
        # capitals beyond Latin-1: Polish, Turkish
        ("GDAŃSK (PAP) - Stocznia zatrudni 300 osób.", "GDAŃSK", "PAP", "Stocznia"),
        ("Łódź (PAP) - Władze miasta ogłosiły plan.", "Łódź", "PAP", "Władze"),
        ("İZMİR (AA) - Belediye yeni planı açıkladı.", "İZMİR", "Anadolu", "Belediye"),
        (
            "WASHINGTON — The Senate voted on Tuesday to pass the long-delayed bill.",
            "WASHINGTON",
            None,
            "The Senate",
        ),
    ],
)
def test_datelines(line: str, dateline: str | None, agency: str | None, rest: str) -> None:
    doc = move_dateline(Document(text=line))
    assert (doc.dateline, doc.agency) == (dateline, agency)
    assert doc.text.startswith(rest)
    assert all(entry.action in ("moved", "removed") for entry in doc.cleaning)


@pytest.mark.parametrize(
    "line",
    [
        "NATO said the alliance would meet again in the summer, officials told reporters.",
        "The UN (United Nations) - a body of 193 states - met on Monday to vote on the text.",
        "Xi (pictured) - who arrived late - spoke first at the long summit in the capital.",
        "UEFA — European football's governing body — said on Friday it would add teams.",
        "The Associated Press (AP) - founded in 1846 - remains one of the largest agencies.",
    ],
)
def test_ordinary_openings_are_not_datelines(line: str) -> None:
    doc = move_dateline(Document(text=line))
    assert doc.text == line and doc.dateline is None and doc.agency is None


@pytest.mark.parametrize(
    ("line", "names", "agency"),
    [
        ("By Jane Doe", ["Jane Doe"], None),
        ("By Jane Doe and John Roe, Reuters", ["Jane Doe", "John Roe"], "Reuters"),
        ("Par Marie Dupont et Jean Martin", ["Marie Dupont", "Jean Martin"], None),
        ("Von Anna Schmidt und Max Weber", ["Anna Schmidt", "Max Weber"], None),
        ("di Mario Rossi", ["Mario Rossi"], None),
        ("Por Juan Pérez", ["Juan Pérez"], None),
        ("Door Jan de Vries", ["Jan de Vries"], None),
        ("Autor: Jan Kowalski", ["Jan Kowalski"], None),
        ("Автор: Иван Петров", ["Иван Петров"], None),
        ("Yazar: Ahmet Yılmaz", ["Ahmet Yılmaz"], None),
        ("By Jane Doe | July 4, 2024", ["Jane Doe"], None),
        ("Av Anna Svensson", ["Anna Svensson"], None),
        # a single word beside a name is the writer's town or outlet, not a second writer
        ("Von Anna Schmidt, Berlin", ["Anna Schmidt"], None),
        ("By Jane Doe, The Washington Post", ["Jane Doe"], None),
        # an agency alone wrote the piece
        ("Por Agencia EFE", [], "EFE"),
        ("By The Associated Press", [], "AP"),
        ("Von Jana Kern, DPA", ["Jana Kern"], "dpa"),
    ],
)
def test_bylines(line: str, names: list[str], agency: str | None) -> None:
    assert parse_byline(line) == (names, agency)


def test_a_byline_naming_only_an_agency_moves_the_agency() -> None:
    body = "Der Hafen wächst.\n\nDie Stadt plant einen neuen Terminal für Container."
    doc = move_bylines(Document(text=f"Von dpa\n{body}"))
    assert (doc.text, doc.authors, doc.agency) == (body, [], "dpa")
    assert [(entry.action, entry.field) for entry in doc.cleaning] == [("moved", "agency")]


@pytest.mark.parametrize(
    "line",
    [
        "By the way, the summit ended early.",
        "Von Berlin aus fuhr der Zug weiter.",
        "Par ailleurs, le sommet a pris fin.",
        "Author, Article and Disclosure Information",
        "By 2030 the plan should be complete.",
        # headlines that begin like a byline
        "Von der Leyen in Kiew",
        "Von Mäusen und Menschen",
        "Di Maio a Tripoli",
        "By Design, Not Accident",
        "By Our Correspondent",
        "Door Onze Redactie",
    ],
)
def test_sentences_are_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_byline_far_below_the_head_stays() -> None:
    lines = [BODY] * 3 + ["By Jane Doe"] + [BODY] * 3
    doc = move_bylines(Document(text="\n".join(lines)))
    assert "By Jane Doe" in doc.text and doc.authors == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("giovedì, Aprile 18, 2024", datetime(2024, 4, 18, tzinfo=UTC)),
        ("2024-07-08 04:55:57", datetime(2024, 7, 8, 4, 55, 57, tzinfo=UTC)),
        ("2024-07-08T04:55:57+02:00", datetime(2024, 7, 8, 2, 55, 57, tzinfo=UTC)),
        ("Thursday, July 4, 2024", datetime(2024, 7, 4, tzinfo=UTC)),
        ("July 4, 2024 at 3:05 p.m. EDT", datetime(2024, 7, 4, 19, 5, tzinfo=UTC)),
        ("Donnerstag, 4. Juli 2024, 10:15 Uhr", datetime(2024, 7, 4, 10, 15, tzinfo=UTC)),
        ("Mis à jour le 04/07/2024 à 18h30", datetime(2024, 7, 4, 18, 30, tzinfo=UTC)),
        ("3 июля 2024 г.", datetime(2024, 7, 3, tzinfo=UTC)),
        ("18 Nisan 2024 Perşembe", datetime(2024, 4, 18, tzinfo=UTC)),
        ("4 lipca 2024", datetime(2024, 7, 4, tzinfo=UTC)),
        ("04.07.2024", datetime(2024, 7, 4, tzinfo=UTC)),
    ],
)
def test_date_lines(line: str, expected: datetime) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "2024",
        "Thursday",
        "4 July",
        "May 2024",
        "12 killed on 4 July 2024",
        "The summit opened on 4 July 2024 in Astana.",
        "31.02.2024",
        "4 July 1850",
        "Updated 2 hours ago",
    ],
)
def test_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


def test_date_inside_the_article_is_not_moved() -> None:
    lines = [BODY] * 3 + ["4 July 2024"] + [BODY] * 8
    doc = move_header_dates(Document(text="\n".join(lines)))
    assert "4 July 2024" in doc.text and doc.date_candidates == []


def test_hashtags_in_a_sentence_stay() -> None:
    line = "Fans used #summit and #trade to follow the talks on Thursday."
    doc = move_hashtags(Document(text=line))
    assert doc.text == line and doc.tags == []


def test_hashtag_tags_are_deduplicated() -> None:
    doc = move_hashtags(Document(text=f"{BODY}\n#trade #Trade #trade", tags=["trade"]))
    assert doc.tags == ["trade", "Trade"]


def test_near_duplicate_paragraph_is_dropped() -> None:
    first = "Xi urged members of the regional club to resist external meddling on Thursday."
    second = "Xi urged members of the regional club to resist external meddling on Thursday!"
    other = "Putin spoke about a new Eurasian security system at the annual meeting."
    doc = drop_repeated_paragraphs(Document(text="\n".join([first, other, second])))
    assert doc.text.split("\n\n") == [first, other]


def test_repeated_table_rows_and_list_items_stay() -> None:
    text = "| Price: | 70 Euro |\n| Price: | 70 Euro |\n- Jane Doe 2 points\n- Jane Doe 2 points"
    doc = drop_repeated_paragraphs(Document(text=text))
    assert doc.cleaning == []


def test_ordinary_closing_paragraph_stays() -> None:
    body = [
        "Xi urged members of a regional security club to resist external meddling on Thursday.",
        "Putin was due to speak about creating a new Eurasian security system at the meeting.",
        "Western sanctions have left Moscow cut off from traditional payment systems.",
        "The U.S. casts China as its biggest competitor and Russia as its biggest nation-state "
        "threat, and President Joe Biden says this century will be defined by an existential "
        "contest between democracies and autocracies.",
    ]
    doc = drop_restatement(Document(text="\n\n".join(body)))
    assert doc.cleaning == []


@pytest.mark.parametrize(
    ("line", "tags"),
    [
        ("Tags: SCO, Kazakhstan, security", ["SCO", "Kazakhstan", "security"]),
        ("Schlagwörter: Gipfel | Astana", ["Gipfel", "Astana"]),
        ("Mots-clés : Chine ; Russie", ["Chine", "Russie"]),
    ],
)
def test_tag_lists_move_to_tags(line: str, tags: list[str]) -> None:
    doc = move_tag_lists(Document(text=f"{BODY}\n{line}"))
    assert doc.text == BODY and doc.tags == tags
    assert [(c.rule, c.action, c.field) for c in doc.cleaning] == [("tag-list", "moved", "tags")]


def test_a_sentence_with_a_colon_is_not_a_tag_list() -> None:
    line = "Topics: the leaders discussed trade, security and the future of the regional club."
    doc = move_tag_lists(Document(text=f"{BODY}\n{line}"))
    assert doc.text.endswith(line) and doc.tags == []


def test_update_dates_are_not_offered_as_publication_dates() -> None:
    text = f"Published: 3 July 2024\nUpdated: 5 July 2024, 10:00\n{BODY}\n{BODY.upper()}"
    doc = move_header_dates(Document(text=text))
    assert [c.value.day for c in doc.date_candidates] == [3]
    assert [(c.rule, c.action) for c in doc.cleaning] == [
        ("header-date", "moved"),
        ("update-date", "removed"),
    ]
    assert doc.text.startswith(BODY)
