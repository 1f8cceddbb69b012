import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.metadata.authors import normalize_authors


@pytest.mark.parametrize(
    ("names", "people", "agency"),
    [
        (["By Jane Doe"], ["Jane Doe"], None),
        (["By JANE DOE and John Roe, Staff Writer"], ["Jane Doe", "John Roe"], None),
        (["Jane Doe; John Roe & Max Mustermann"], ["Jane Doe", "John Roe", "Max Mustermann"], None),
        (["Von Anna Schmidt und Karl Weber"], ["Anna Schmidt", "Karl Weber"], None),
        (["Par Jean Dupont et Marie Curie"], ["Jean Dupont", "Marie Curie"], None),
        (["Di Maria Rossi e Luca Bianchi"], ["Maria Rossi", "Luca Bianchi"], None),
        (["Por Juan Pérez y Ana García"], ["Juan Pérez", "Ana García"], None),
        (["Jan Kowalski i Anna Nowak"], ["Jan Kowalski", "Anna Nowak"], None),
        (["Jane Doe, Senior Political Correspondent"], ["Jane Doe"], None),
        (["Jane Doe Correspondent"], ["Jane Doe"], None),
        (["O'NEIL, MCDONALD"], ["O'Neil", "McDonald"], None),
        (["JEAN-PIERRE VAN DER BERG"], ["Jean-Pierre van der Berg"], None),
        (["danah boyd"], ["danah boyd"], None),
        (["Pavel Mikheyev (Reuters)"], ["Pavel Mikheyev"], "Reuters"),
        (["Reuters"], [], "Reuters"),
        (["Anna Schmidt, dpa"], ["Anna Schmidt"], "dpa"),
        (["The Associated Press"], [], "AP"),
        (["Agence France-Presse"], [], "AFP"),
        (["AFP", "Jane Doe"], ["Jane Doe"], "AFP"),
        (["Xinhua"], [], "Xinhua"),
        (["ТАСС"], [], "TASS"),
        (["Bloomberg News"], [], "Bloomberg"),
        (["ANSA", "EFE"], [], "ANSA"),
        (["Por María Santos y Carlos Ruiz - EFE"], ["María Santos", "Carlos Ruiz"], "EFE"),
        (["Jane Doe – Reuters"], ["Jane Doe"], "Reuters"),
        (["Jean-Luc Martin-Dupont"], ["Jean-Luc Martin-Dupont"], None),
        (["Anna Schmidt", "Mit Material von AFP"], ["Anna Schmidt"], "AFP"),
        (["Jane Doe, with reporting by Reuters"], ["Jane Doe"], "Reuters"),
        (["Pierre Martin avec AFP"], ["Pierre Martin"], "AFP"),
        (["Redazione ANSA"], [], "ANSA"),
        (["con información de EFE"], [], "EFE"),
        (["Jan de Vries met ANP"], ["Jan de Vries"], "ANP"),
        (["View all posts by Daniel Lemire"], ["Daniel Lemire"], None),
        (["Alle Beiträge von Anna Schmidt"], ["Anna Schmidt"], None),
        (["Tous les articles de Jean Dupont"], ["Jean Dupont"], None),
        (["Vom Krimiblogger"], ["Krimiblogger"], None),
        (["Olympia-Verlag GmbH, Nürnberg, Germany"], [], None),
        (["Michael Humpa, CHIP Software-Redaktion"], ["Michael Humpa"], None),
        (["Naturstrom AG", "Bundesverband WindEnergie e.V."], [], None),
        (["Www Proplanta De", "Kath Net"], [], None),
        (["Robert De Niro", "Jan de Vries"], ["Robert De Niro", "Jan de Vries"], None),
        (["Mar&iacute;a L&oacute;pez; Jos&eacute; Ruiz"], ["María López", "José Ruiz"], None),
        (["Beitrag von Anna Schmidt"], ["Anna Schmidt"], None),
        (["Ein Artikel von Karl Weber"], ["Karl Weber"], None),
        (["An article by Jane Doe"], ["Jane Doe"], None),
        (["Date Masamune", "Data Rossi"], ["Date Masamune", "Data Rossi"], None),
    ],
)
def test_bylines(names, people, agency):
    assert normalize_authors(names) == (people, agency)


@pytest.mark.parametrize(
    "junk",
    [
        "Email the author",
        "3 hours ago",
        "https://twitter.com/janedoe",
        "jane@example.com",
        "2024-07-08",
        "Updated 12:30",
        "Redaktion",
        "admin",
        "View all posts",
        "Super User",
        "Name",
        "Anónimo",
        "Unbenannt",
        "No Author",
        "Datum",
        "Art Edwards says",
        "Jean Dupont dit",
        "Beitrag von r",
        "Redacci&oacute;n",
        "",
        "   ",
    ],
)
def test_junk_is_dropped(junk):
    assert normalize_authors([junk]) == ([], None)


def test_links_next_to_a_name_are_dropped():
    assert normalize_authors(["Jane Doe https://x.com/jdoe"]) == (["Jane Doe"], None)


def test_duplicates_are_merged_case_insensitively():
    assert normalize_authors(["Jane Doe", "JANE DOE", "By Jane Doe"]) == (["Jane Doe"], None)


def test_order_is_kept():
    assert normalize_authors(["B Bee", "A Ay"])[0] == ["B Bee", "A Ay"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=5))
def test_never_raises_and_is_idempotent(names):
    people, agency = normalize_authors(names)
    assert all(p and p == p.strip() for p in people)
    again, again_agency = normalize_authors(people)
    assert again == people
    assert again_agency is None


def test_unprintable_characters_are_removed():
    assert normalize_authors(["\ud800Jane\x00 Doe\u200b"]) == (["Jane Doe"], None)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(
            st.one_of(
                st.characters(),
                st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()),
            ),
            max_size=40,
        )
    )
)
def test_names_are_always_encodable(names):
    for name in normalize_authors(names)[0]:
        name.encode("utf-8")


@pytest.mark.parametrize(
    ("names", "people", "agency"),
    [
        (["By Reuters Staff"], [], "Reuters"),
        (["By Jane Doe, CNN"], ["Jane Doe"], None),
        (["Jane Doe in Kyiv"], ["Jane Doe"], None),
        (["Anna Schmidt aus Berlin"], ["Anna Schmidt"], None),
        (["Maria da Silva"], ["Maria da Silva"], None),
        (["AFP/Getty Images"], [], "AFP"),
        (["BBC News"], [], None),
        (["Jane Doe | AFP"], ["Jane Doe"], "AFP"),
    ],
)
def test_outlets_places_and_photo_credits(names, people, agency):
    assert normalize_authors(names) == (people, agency)


@pytest.mark.parametrize(
    ("names", "site", "host", "people"),
    [
        (["Ernst Lohoff, Jungle World"], "Jungle World", None, ["Ernst Lohoff"]),
        (["El Espectador", "Felipe Morales Sierra"], None, "www.elespectador.com",
         ["Felipe Morales Sierra"]),
        # Alone, the site's name may be the person a personal site is named after.
        (["Wolfgang Michal"], None, "www.wolfgang-michal.de", ["Wolfgang Michal"]),
        (["The Economist"], "The Economist", None, ["The Economist"]),
        # A name that merely shares a word with the site is a person's.
        (["Anna Welt", "Jane Doe"], "Welt", "www.welt.de", ["Anna Welt", "Jane Doe"]),
    ],
)  # fmt: skip
def test_the_site_itself_is_not_an_author_beside_people(names, site, host, people):
    assert normalize_authors(names, site, host) == (people, None)


# -- a byline the page prints next to its headline ---------------------------------------------

STORY = "".join(
    f"<p>The club signed the Dutch international on a three-year contract, the board said on "
    f"Wednesday ({part} of 8), and expects him to start training with the team next week.</p>"
    for part in range(8)
)


def _page(byline: str, head: str = "") -> str:
    return (
        f"<html><head><title>Club signs Dutch international | Example Sport</title>{head}</head>"
        "<body><header><nav>Home | Teams</nav></header><h1>Club signs Dutch international</h1>"
        f"{byline}<article>{STORY}</article><footer>© 2022 Example Sport</footer></body></html>"
    )


@pytest.mark.parametrize(
    ("byline", "people", "agency"),
    [
        ("<p>By Jane Doe</p>", ["Jane Doe"], None),
        ("<div><p>Par Marie Dupont avec AFP</p></div>", ["Marie Dupont"], "AFP"),
        ("<ul><li>Text: Anna Schmidt</li></ul>", ["Anna Schmidt"], None),
    ],
)
def test_a_byline_next_to_the_headline_names_the_author(byline, people, agency):
    from cleaners import clean_html

    row = clean_html(_page(byline), url="https://sport.example/club-signs")
    assert (row["authors"], row["agency"]) == (people, agency)
    assert "Club signs" not in row["text"] and byline[3:10] not in row["text"]


def test_the_markups_author_is_kept_over_a_line_near_the_headline():
    from cleaners import clean_html

    head = '<meta name="author" content="John Roe">'
    row = clean_html(_page("<p>By Jane Doe</p>", head), url="https://sport.example/club-signs")
    assert row["authors"] == ["John Roe"]


def test_a_headline_that_begins_like_a_byline_names_no_one():
    from cleaners import clean_html

    row = clean_html(_page("<p>Von der Leyen in Kiew</p>"), url="https://sport.example/a")
    assert row["authors"] == []
