"""layout: which blocks of a page are site furniture; which extracted lines come only from them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

from cleaners.layout import (
    _is_teaser_card,
    element_kind,
    furniture,
    furniture_kind,
    strip_furniture_lines,
)

ARTICLE = (
    "<p>Leaders met in Astana on Thursday to talk about trade and security in the region.</p>"
    "<p>They agreed to meet again next year in a city that is yet to be chosen by the hosts.</p>"
    "<p>Trade between the members rose by a tenth last year, officials told reporters.</p>"
)


def tree(body: str) -> html.HtmlElement:
    return html.fromstring(f"<html><body>{body}</body></html>")


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        ("related-articles", "other-articles"),
        ("relatedPosts", "other-articles"),
        ("c-teaser__list", "other-articles"),
        ("box author-bio", "author-box"),
        ("newsletter-signup", "call-to-action"),
        ("share-buttons", "sharing"),
        ("tag-links", "tags"),
        ("image-caption", "caption"),
        ("cookie-banner", "overlay"),
        ("kommentare", "comments"),
        ("dida", "caption"),  # Italian captions (didascalia), German, Spanish and Polish ones
        ("foto-didascalia", "caption"),
        ("bildunterschrift", "caption"),
        ("pie-de-foto", "caption"),
        ("podpis-zdjecia", "caption"),
    ],
)
def test_furniture_names(names: str, kind: str) -> None:
    assert furniture_kind(names) == kind


@pytest.mark.parametrize(
    "names",
    [
        "entry-content",
        "correlated promotional",  # words that merely contain a furniture word
        "post tag-share category-promo has-sidebar",  # WordPress state classes
        "article-body",
        "didactic legendary",  # words that merely begin like a caption word
        "",
    ],
)
def test_names_that_are_not_furniture(names: str) -> None:
    assert furniture_kind(names) is None


def test_tags_roles_and_links() -> None:
    assert element_kind(html.fromstring("<nav><a href='/'>Home</a></nav>")) == "nav"
    assert (
        element_kind(html.fromstring("<div role='complementary'>x</div>")) == "role-complementary"
    )
    teaser = html.fromstring("<li><a href='/other'>Floods leave thousands without power</a></li>")
    assert element_kind(teaser) == "link-block"
    card = html.fromstring("<a href='/other'><h3>Floods leave thousands without power</h3></a>")
    assert element_kind(card[0]) == "link-block"


def test_links_count_only_when_they_stay_on_the_site() -> None:
    teaser = (
        "<p><a href='https://news.example.com/floods'>Floods leave thousands in the dark</a></p>"
    )
    source = (
        "<p><a href='https://stats.example.org/report.pdf'>Report of the statistics office</a></p>"
    )
    assert element_kind(html.fromstring(teaser), "example.com") == "link-block"
    assert element_kind(html.fromstring(source), "example.com") is None
    assert element_kind(html.fromstring(source), None) is None  # no URL: only relative links


def test_link_list_takes_its_heading() -> None:
    links = "<li><a href='/a'>Floods</a></li><li><a href='/b'>Rates</a></li>"
    assert element_kind(html.fromstring(f"<ul>{links}</ul>")) == "link-list"
    assert element_kind(html.fromstring(f"<div><h3>More</h3>{links}</div>")) == "link-list"
    page = tree(f"<article>{ARTICLE}<h3>More from the region</h3><ul>{links}</ul></article>")
    found = [(element.tag, kind) for element, kind in furniture(page)]
    assert found == [("h3", "link-list"), ("ul", "link-list")]
    prose = html.fromstring(
        "<div>See <a href='/a'>the floods</a> and <a href='/b'>the rates</a> for details.</div>"
    )
    assert element_kind(prose) is None


def test_heading_right_above_a_teaser_block_goes_with_it() -> None:
    page = tree(
        f"<article>{ARTICLE}<p><strong>Read also:</strong></p>"
        "<div class='related'><p>Floods leave thousands without power</p></div></article>"
    )
    found = [(element.text_content(), kind) for element, kind in furniture(page)]
    assert found == [
        ("Read also:", "other-articles"),
        ("Floods leave thousands without power", "other-articles"),
    ]


def test_subheading_above_a_caption_stays() -> None:
    page = tree(
        f"<article>{ARTICLE}<h2>The talks</h2>"
        "<figure><img src='a.jpg'><figcaption>Leaders in Astana</figcaption></figure></article>"
    )
    assert [element.tag for element, _ in furniture(page)] == ["figcaption"]


@pytest.mark.parametrize(
    "block",
    [
        "<p>Write to us: <a href='mailto:desk@example.com'>desk@example.com</a></p>",
        "<h2><a href='#results'>Results of the first round of voting</a></h2>",
        "<p>Leaders met in <a href='/astana'>Astana</a> on Thursday to talk about trade.</p>",
    ],
)
def test_contact_anchor_and_inline_links_are_not_link_blocks(block: str) -> None:
    assert element_kind(html.fromstring(block)) is None


def test_article_container_is_never_furniture_whatever_its_name() -> None:
    page = tree(f"<div class='sidebar-layout'><div class='promo-wrap'>{ARTICLE}</div></div>")
    assert list(furniture(page)) == []


def test_outermost_furniture_only() -> None:
    page = tree(
        f"<article>{ARTICLE}</article>"
        "<aside><div class='related'><p>Floods leave thousands without power</p></div></aside>"
    )
    assert [(element.tag, kind) for element, kind in furniture(page)] == [("aside", "aside")]


def test_teaser_line_removed_article_line_with_same_words_kept() -> None:
    page = tree(
        f"<article>{ARTICLE}"
        "<div class='recirculation'><p>Trade between the members rose by a tenth last year</p>"
        "<p>Floods leave thousands without power for a third day</p></div></article>"
    )
    lines = [
        "Leaders met in Astana on Thursday to talk about trade and security in the region.",
        "Trade between the members rose by a tenth last year",  # also the article's own words
        "Floods leave thousands without power for a third day",
    ]
    kept, removed = strip_furniture_lines(lines, page)
    assert kept == lines[:2]
    assert removed == [("Floods leave thousands without power for a third day", "other-articles")]


def test_lines_are_matched_across_different_line_breaks() -> None:
    page = tree(
        f"<article>{ARTICLE}</article><aside><p>Most read:\n  floods\n in the north</p></aside>"
    )
    first = "Leaders met in Astana on Thursday to talk about trade and security in the region."
    kept, removed = strip_furniture_lines([first, "Most read: floods in the north"], page)
    assert kept == [first] and removed == [("Most read: floods in the north", "aside")]


def test_furniture_that_would_take_most_of_the_text_is_kept() -> None:
    page = tree(
        "<article><p>Short intro.</p></article>"
        "<div class='promo'><p>A long block that the extractor took for the article itself, "
        "with several sentences of text in it, much longer than the intro.</p></div>"
    )
    lines = [
        "Short intro.",
        "A long block that the extractor took for the article itself, with several sentences of "
        "text in it, much longer than the intro.",
    ]
    assert strip_furniture_lines(lines, page) == (lines, [])


def test_caption_and_credit_joined_into_one_line_are_removed() -> None:
    page = tree(
        f"<article>{ARTICLE}<p><img src='a.jpg'><span class='caption'>Leaders in Astana.</span>"
        "<span class='credit'>Photo: Agency</span></p></article>"
    )
    first = "Leaders met in Astana on Thursday to talk about trade and security in the region."
    kept, removed = strip_furniture_lines([first, "Leaders in Astana.Photo: Agency"], page)
    assert kept == [first]
    assert removed == [("Leaders in Astana.Photo: Agency", "caption")]


def test_text_between_furniture_siblings_keeps_the_joined_line() -> None:
    page = tree(
        f"<article>{ARTICLE}<p><span class='caption'>Leaders in Astana.</span> The talks went on "
        "for hours. <span class='credit'>Photo: Agency</span></p></article>"
    )
    line = "Leaders in Astana. The talks went on for hours. Photo: Agency"
    assert strip_furniture_lines([line], page) == ([line], [])
    # a furniture block next to an article paragraph is not joined with it
    page = tree(f"<article>{ARTICLE}<div class='credit'>Photo: Agency</div></article>")
    line = "Trade between the members rose by a tenth last year, officials told reporters.Photo"
    assert strip_furniture_lines([line], page) == ([line], [])


def test_caption_text_beside_a_credited_photo_is_removed() -> None:
    page = tree(
        f"<article>{ARTICLE}<div class='media'><a href='/photo/1'><img src='a.jpg'></a>"
        "<div class='credit'>Agency</div><p>Leaders pose for a photo in Astana.</p></div>"
        "</article>"
    )
    found = [(element.get("class"), kind) for element, kind in furniture(page)]
    assert found == [("media", "caption")]
    first = "Leaders met in Astana on Thursday to talk about trade and security in the region."
    kept, removed = strip_furniture_lines([first, "Leaders pose for a photo in Astana."], page)
    assert kept == [first] and removed == [("Leaders pose for a photo in Astana.", "caption")]


def test_article_text_beside_a_credited_photo_stays() -> None:
    # the article's own container, with its photo and credit
    page = tree(
        f"<div class='media'><img src='a.jpg'><span class='credit'>Agency</span>{ARTICLE}</div>"
    )
    assert [element.tag for element, _ in furniture(page)] == ["span"]
    # a long paragraph that shares a wrapper with a credited photo is more than a caption
    long = " ".join(["Trade between the members rose by a tenth last year."] * 7)
    page = tree(
        f"<article>{ARTICLE}<div class='media'><img src='a.jpg'>"
        f"<span class='credit'>Agency</span><p>{long}</p></div></article>"
    )
    assert [element.tag for element, _ in furniture(page)] == ["span"]
    assert strip_furniture_lines([long], page) == ([long], [])
    # two photos in one wrapper are a gallery or a layout block, not one figure
    page = tree(
        f"<article>{ARTICLE}<div class='media'><img src='a.jpg'><img src='b.jpg'>"
        "<span class='credit'>Agency</span><p>Leaders pose for a photo.</p></div></article>"
    )
    assert [element.tag for element, _ in furniture(page)] == ["span"]



def test_a_figure_holding_much_of_a_short_page_is_not_widened_to() -> None:
    # The figure's caption is more than the share of a short page's paragraphs that furniture
    # may hold: only the credit goes, and the walk over the page ends.
    caption = " ".join(["Leaders pose for a photo in Astana."] * 8)
    leaders = "Leaders met in Astana on Thursday to talk about trade."
    page = tree(
        f"<div class='body'>{ARTICLE}<p>{leaders} {leaders}</p></div><div><img src='a.jpg'>"
        f"<span class='credit'>Agency</span><p>{caption}</p></div>"
    )
    assert [(element.tag, kind) for element, kind in furniture(page)] == [("span", "caption")]


CARD = (
    "<div class='item'><h3><a href='/floods'>Floods in the north</a></h3>"
    "<p>Thousands of families are without power for a third day.</p>"
    "<a href='/floods'>Read more</a></div>"
)


def test_teaser_card_is_furniture() -> None:
    assert element_kind(html.fromstring(CARD)) == "teaser-card"
    with_image = (
        "<li><a href='/floods'><img src='a.jpg'></a><a href='/floods'>Floods in the north</a>"
        "<span>Thousands of families are without power.</span></li>"
    )
    assert element_kind(html.fromstring(with_image)) == "teaser-card"
    page = tree(f"<article>{ARTICLE}{CARD}</article>")
    first = "Leaders met in Astana on Thursday to talk about trade and security in the region."
    blurb = "Thousands of families are without power for a third day."
    kept, removed = strip_furniture_lines([first, blurb], page)
    assert kept == [first] and removed == [(blurb, "teaser-card")]


@pytest.mark.parametrize(
    "block",
    [
        # an article paragraph that links to one page twice, in a wrapper named like a teaser
        "<div class='teaser-wrap'><p>Leaders met in <a href='/astana'>Astana</a> on Thursday; "
        "<a href='/astana'>the city</a> hosted them.</p><p>Trade rose by a tenth.</p></div>",
        # a linked subheading over a long section of text
        "<div><h3><a href='/floods'>Floods</a></h3><p>"
        + " ".join(["Rivers rose across the north after a week of rain."] * 12)
        + "</p><a href='/floods'>Read more</a></div>",
        # links to two different pages: a list of sources, not one story's card
        "<div><h3><a href='/floods'>Floods</a></h3><p>Rivers rose.</p>"
        "<a href='/rain'>Rain</a></div>",
        # a single link and text
        "<div><h3><a href='/floods'>Floods in the north</a></h3><p>Rivers rose.</p></div>",
    ],
)
def test_blocks_that_are_not_teaser_cards(block: str) -> None:
    assert _is_teaser_card(html.fromstring(block)) is False


def test_article_paragraph_in_a_card_shaped_container_stays() -> None:
    body = (
        "<div class='card'><h2><a href='/summit'>Summit</a></h2>"
        f"{ARTICLE}<a href='/summit'>Permalink</a></div>"
    )
    assert list(furniture(tree(body))) == []


def test_script_copies_of_a_teaser_do_not_keep_it() -> None:
    state = '{"teasers": [{"text": "Thousands of families are without power for a third day."}]}'
    page = tree(
        f"<article>{ARTICLE}{CARD}</article><script type='application/json'>{state}</script>"
        "<style>p::after { content: 'Leaders met in Astana'; }</style>"
    )
    first = "Leaders met in Astana on Thursday to talk about trade and security in the region."
    blurb = "Thousands of families are without power for a third day."
    kept, removed = strip_furniture_lines([first, blurb], page)
    assert kept == [first] and removed == [(blurb, "teaser-card")]


LINE = st.text(alphabet="abcdef .", min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(LINE, max_size=8), st.lists(LINE, max_size=4), st.lists(LINE, max_size=4))
def test_only_lines_found_solely_in_furniture_are_removed(
    lines: list[str], article: list[str], teasers: list[str]
) -> None:
    body = "".join(f"<p>{text}</p>" for text in article)
    aside = "".join(f"<p>{text}</p>" for text in teasers)
    page = tree(f"<article>{body}</article><aside>{aside}</aside>")
    kept, removed = strip_furniture_lines(lines, page)
    assert len(kept) + len(removed) == len(lines)
    assert [line for line in lines if line in kept] == kept  # order kept, nothing invented
    article_text = "".join("".join(body.split()))
    for line, kind in removed:
        assert kind == "aside"
        assert "".join(line.split()) not in article_text
