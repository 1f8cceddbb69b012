"""Dates a page prints (next to its headline, after "Published"/"Updated" labels) and how they
weigh against htmldate's day and the page's markup."""

import time
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.document import DateCandidate, Document
from cleaners.metadata.dates import (
    PrintedDates,
    choose_published_at,
    html_date_candidates,
    local_published_at,
    page_day,
    printed_dates,
)
from cleaners.metadata.page import shown_lines
from cleaners.pipeline import clean_html

SIDEBAR = (
    "<aside><h3>Most read</h3><ul>"
    "<li><small>30.01.2022</small><a href='/a'>Handball: the new signings</a></li>"
    "<li><small>21.01.2022</small><a href='/b'>Golf: the season ahead</a></li></ul></aside>"
)
STORY = "".join(
    f"<p>The club signed the Dutch international on a three-year contract, the board said on "
    f"Wednesday ({part} of 12), and expects him to start training with the team next week.</p>"
    for part in range(12)
)


def page(head: str = "", above: str = "", below: str = "", foot: str = "") -> str:
    return (
        f"<html><head><title>Club signs Dutch international | Example Sport</title>{head}"
        "</head><body><header><h1 class='logo'>Example Sport</h1><nav>Home | Teams</nav>"
        f"</header><article>{above}<h1>Club signs Dutch international</h1>{below}{STORY}"
        f"</article>{SIDEBAR}<footer>{foot}© 2022 Example Sport</footer></body></html>"
    )


def day_of(html: str, htmldate_day: datetime | None, url: str | None = None) -> date | None:
    """The publisher's day newsclean publishes, htmldate's day being given."""
    doc = Document(text="", url=url, date_candidates=html_date_candidates(html, url, htmldate_day))
    local = local_published_at(choose_published_at(doc, now=datetime(2030, 1, 1, tzinfo=UTC)))
    return local.date() if local is not None else None


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


# -- the lines a page shows -------------------------------------------------------------------


def test_text_lines_follow_block_elements() -> None:
    html = "<div><span>Von</span> <a href='/x'>Anna Schmidt</a></div><time>29.04.2020</time>"
    assert shown_lines(html) == ["Von Anna Schmidt", "29.04.2020"]
    assert shown_lines("<p>Caf&eacute;&nbsp;au lait</p><br/><p> </p>") == ["Café au lait"]


def test_scripts_styles_and_comments_print_no_dates() -> None:
    below = (
        "<!-- built 2019-01-01 --><script>var published = '12 March 2020';</script>"
        "<style>.d::after{content:'12 March 2020'}</style><p>Story text without a date.</p>"
    )
    assert printed_dates(page(below=below)) == PrintedDates()


# -- the date next to the headline ------------------------------------------------------------


@pytest.mark.parametrize(
    ("above", "below", "expected"),
    [
        ("", "<p>By Jane Doe</p><p><time>29.04.2020, 12:01 Uhr</time></p>", date(2020, 4, 29)),
        ("", "<p>1. Februar 2022 , Daniel Dillenburg</p>", date(2022, 2, 1)),
        ("", "<p>Par <a href='/auteur'>Loïc Martin</a> | 30 septembre 2018</p>", date(2018, 9, 30)),
        ("<p>02.02.2022 10:16 Uhr - Bundesliga - Vereine, red</p>", "", date(2022, 2, 2)),
        ("", "<p class='date'>Published on 12 March 2021</p>", date(2021, 3, 12)),
        ("", "<p>Veröffentlicht am</p><p>3. Juli 2024</p>", date(2024, 7, 3)),
        ("", "<p>Stand: 28.04.2020 18:00 Uhr</p>", date(2020, 4, 28)),
        ("", "<p>Bettina Kugler 19.10.2019, 05:00 Uhr</p>", date(2019, 10, 19)),
    ],
)
def test_the_date_line_next_to_the_headline(above: str, below: str, expected: date) -> None:
    found = printed_dates(page(above=above, below=below)).headline
    assert found is not None and found.date() == expected


def test_the_headline_is_the_heading_the_title_repeats() -> None:
    # The first <h1> is the site's logo; the story's headline is the second one. A heading
    # that only contains the title (a comment section's "One thought on ...") is not it.
    html = (
        "<title>About us</title><h1>Example Blog</h1><p>12 March 2020</p>"
        "<h2>One thought on “About us”</h2><p>January 15, 2014 at 23:36</p>"
    )
    assert printed_dates(html).headline is not None
    assert printed_dates(html).headline == utc(2020, 3, 12)
    with_og = (
        '<meta property="og:title" content="Club signs Dutch international">'
        "<h1>Example Sport</h1><p>3 May 2021</p><h2>Club signs Dutch international</h2>"
        "<p>4 May 2021</p>"
    )
    assert printed_dates(with_og, "Club signs Dutch international").headline == utc(2021, 5, 4)
    # html_date_candidates reads the og:title itself.
    assert html_date_candidates(with_og, None, None)[0].value == utc(2021, 5, 4)


@pytest.mark.parametrize(
    "below",
    [
        "<p>Article updated on 7 January 2020.</p>",
        "<p>Aktualisiert: 7. Januar 2020</p>",
        "<p>Joined</p><p>January 7, 2020</p>",
        "<p>Registriert: 07.01.2020, 05:56</p>",
        "<p>Video verfügbar bis:</p><p>07.01.2020 ∙ 14:00 Uhr</p>",
        "<p>Available until 7 January 2020</p>",
        "<p>The next meeting is on 7 January 2020 at the town hall.</p>",
        "<p>laut Polizei 7.1.2020</p>",
        "<blockquote>Pope Benedict XVI, Deus caritas est, 25 December 2005: “Love is possible, "
        "and we are able to practise it because we are created in the image of God.”</blockquote>",
    ],
)
def test_updates_events_and_sentences_are_not_the_headline_date(below: str) -> None:
    assert printed_dates(page(below=below)).headline is None


def test_an_update_line_gives_way_to_the_date_above_the_headline() -> None:
    html = page(
        above="<p>Par Loïc Martin |</p><p>30 septembre 2018</p>",
        below="<p>Article mis à jour le 7 janvier 2020.</p>",
    )
    assert printed_dates(html).headline == utc(2018, 9, 30)


def test_a_date_printed_under_the_headline_beats_htmldates_guess() -> None:
    # No markup names the article's publication; htmldate settled on a sidebar teaser's day.
    html = page(below="<p>1. Februar 2022 , Daniel Dillenburg</p>")
    found = html_date_candidates(html, None, utc(2022, 1, 21))
    assert found[0] == DateCandidate(utc(2022, 2, 1), "html-text")
    assert DateCandidate(utc(2022, 1, 21), "html-meta") in found  # htmldate's day stays
    assert day_of(html, utc(2022, 1, 21)) == date(2022, 2, 1)


def test_generic_date_meta_does_not_outweigh_the_headline_date() -> None:
    html = page(
        head='<meta name="date" content="2020-04-30">',
        below="<p>Von Anna Schmidt</p><p><time>29.04.2020, 12:01 Uhr</time></p>",
    )
    assert day_of(html, utc(2020, 4, 30)) == date(2020, 4, 29)


def test_the_headline_date_confirmed_by_modified_markup_takes_its_time() -> None:
    # The page shows the day it was revised under its headline, and its markup confirms it.
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
        '"2021-01-01T11:00:00Z", "dateModified": "2023-04-01T10:00:00Z"}</script>'
    )
    html = page(head=head, below="<p>01.04.2023, 12:00 Uhr</p>")
    found = html_date_candidates(html, None, utc(2021, 1, 1))
    assert found[0] == DateCandidate(utc(2023, 4, 1, 10), "html-meta")
    assert day_of(html, utc(2021, 1, 1)) == date(2023, 4, 1)


def test_a_unconfirmed_headline_date_leaves_article_markup_alone() -> None:
    # A date under the headline that no markup confirms, when the markup names the article's
    # publication: a teaser's or a quotation's date, the markup stands.
    head = '<meta property="article:published_time" content="2019-10-01T08:00:00+02:00">'
    html = page(head=head, below="<p>Faszination Loopstation</p><p>18. Januar 2019</p>")
    assert printed_dates(html).headline == utc(2019, 1, 18)
    assert day_of(html, utc(2019, 10, 1)) == date(2019, 10, 1)


def test_a_utc_midnight_in_markup_yields_to_the_local_day_shown() -> None:
    # 23:00 UTC is midnight in Central Europe: the page shows the next day, its modified
    # time agrees.
    head = (
        '<meta property="article:published_time" content="2021-11-04T23:00Z">'
        '<meta property="article:modified_time" content="2021-11-05T12:42Z">'
    )
    html = page(head=head, below="<p>von Daniel Braun</p><p>5. November 2021</p>")
    assert day_of(html, utc(2021, 11, 4)) == date(2021, 11, 5)


def test_the_url_date_still_decides() -> None:
    html = page(below="<p>1. Februar 2022</p>")
    url = "https://example.com/2022/01/21/club-signs"
    assert day_of(html, utc(2022, 1, 21), url) == date(2022, 1, 21)


def test_the_headline_date_and_article_markup_together_beat_the_url_date() -> None:
    # Filed under the 8th, published on the 9th: the page shows the 9th and its markup says so.
    head = '<meta property="article:published_time" content="2020-07-09T10:04:04Z">'
    html = page(head=head, below="<p>July 9, 2020 at 6:40 PM EDT</p>")
    url = "https://example.com/politics/2020/07/08/club-signs"
    assert day_of(html, utc(2020, 7, 8), url) == date(2020, 7, 9)
    # The markup alone does not outweigh the URL.
    assert day_of(page(head=head), utc(2020, 7, 8), url) == date(2020, 7, 8)


# -- labeled dates ----------------------------------------------------------------------------


def test_a_published_label_next_to_the_headline_counts_as_confirmed() -> None:
    head = '<meta property="article:published_time" content="2023-10-31T09:00:00+01:00">'
    html = page(head=head, below="<p>Erschienen am: 01.11.2023</p>")
    assert day_of(html, utc(2023, 10, 31)) == date(2023, 11, 1)


def test_labeled_dates_anywhere_on_the_page() -> None:
    foot = "<p>Letzte Änderung: 31.10.2023 - 14:49:39<br>Erschienen am: 01.11.2023</p>"
    found = printed_dates(page(foot=foot))
    assert found.published == (utc(2023, 11, 1),)
    assert found.updated == (datetime(2023, 10, 31, 14, 49, 39, tzinfo=UTC),)
    label_above = "<h4>Zuletzt geändert am:</h4><ul><li>15.10.2021</li></ul>"
    assert printed_dates(page(foot=label_above)).updated == (utc(2021, 10, 15),)


def test_htmldates_day_labeled_as_a_change_gives_way_to_the_published_label() -> None:
    foot = "<p>Letzte Änderung: 31.10.2023 - 14:49:39<br>Erschienen am: 01.11.2023</p>"
    assert day_of(page(foot=foot), utc(2023, 10, 31)) == date(2023, 11, 1)
    # Without a published label, or when article markup says htmldate's day, it stays.
    only_change = "<p>Letzte Änderung: 31.10.2023 - 14:49:39</p>"
    assert day_of(page(foot=only_change), utc(2023, 10, 31)) == date(2023, 10, 31)
    head = '<meta property="article:published_time" content="2023-10-31T09:00:00+01:00">'
    assert day_of(page(head=head, foot=foot), utc(2023, 10, 31)) == date(2023, 10, 31)


def test_a_page_that_shows_only_its_update_is_dated_by_it() -> None:
    # The markup keeps the first publication; the reader sees the update and nothing else.
    head = '<meta property="article:published_time" content="2016-08-29T21:54:39Z">'
    below = "<p>By Jane Doe</p><p>Updated May 06, 2019</p>"
    assert day_of(page(head=head, below=below), utc(2016, 8, 29)) == date(2019, 5, 6)
    # The first publication printed anywhere on the page, or a date next to the headline,
    # keeps htmldate's day.
    shown = "<p>First shown at the fair on 29 August 2016.</p>"
    assert day_of(page(head=head, below=below, foot=shown), utc(2016, 8, 29)) == date(2016, 8, 29)
    dated = "<p>2 May 2019</p><p>Updated May 06, 2019</p>"
    assert day_of(page(head=head, below=dated), utc(2016, 8, 29)) == date(2016, 8, 29)


def test_a_day_outside_the_urls_month_gives_way_to_the_one_shown_inside_it() -> None:
    url = "http://blog.example/news/2011/12/club-signs/"
    foot = "<p>Dieser Beitrag wurde am Samstag, 3. Dezember 2011 veröffentlicht.</p>"
    assert day_of(page(foot=foot), utc(2010, 6, 1), url) == date(2011, 12, 3)
    # Two days in that month: no telling which, htmldate's day stays.
    two = foot + "<p>Kommentar vom 5. Dezember 2011</p>"
    assert day_of(page(foot=two), utc(2010, 6, 1), url) == date(2010, 6, 1)
    assert day_of(page(foot=foot), utc(2011, 12, 9), url) == date(2011, 12, 9)


def test_htmldates_day_that_nothing_gives_yields_to_article_markup() -> None:
    head = '<meta property="article:published_time" content="2020-09-15T10:01:41Z">'
    assert day_of(page(head=head), utc(2020, 5, 20)) == date(2020, 9, 15)
    # A day the page's text gives is htmldate's evidence: it stays.
    foot = "<p>The shop opened on 20 May 2020.</p>"
    assert day_of(page(head=head, foot=foot), utc(2020, 5, 20)) == date(2020, 5, 20)
    # So does a day other markup gives.
    dated = head + '<meta name="date" content="2020-05-20">'
    assert day_of(page(head=dated), utc(2020, 5, 20)) == date(2020, 5, 20)


def test_page_day_without_evidence() -> None:
    assert page_day(None, [], [], [], PrintedDates()) is None
    assert page_day(date(2024, 1, 2), [], [], [], PrintedDates()) == date(2024, 1, 2)
    markup = [utc(2024, 1, 3)]
    assert page_day(None, markup, markup, [], PrintedDates()) == date(2024, 1, 3)


def test_choice_keeps_the_order_of_html_sources() -> None:
    doc = Document(text="x", date_candidates=[
        DateCandidate(utc(2022, 2, 1), "html-text"),
        DateCandidate(utc(2022, 1, 21), "html-meta"),
        DateCandidate(utc(2022, 1, 20), "text-header"),
    ])  # fmt: skip
    chosen = choose_published_at(doc, now=utc(2030, 1, 1))
    # The printed date wins, and is written under the contract's name for a header date.
    assert (chosen.published_at, chosen.published_at_source) == (utc(2022, 2, 1), "text-header")


CONTRACT_DATE_SOURCES = {"html-meta", "url", "text-header", "text-body", "record"}


@pytest.mark.parametrize(
    "html",
    [
        page(below="<p>1. Februar 2022 , Daniel Dillenburg</p>"),
        page(above="<p>Par Loïc Martin |</p><p>30 septembre 2018</p>"),
    ],
)
def test_a_printed_date_is_published_with_a_contract_source(html: str) -> None:
    row = clean_html(html, url="https://sport.example/club-signs")
    assert row["published_at"] is not None
    assert row["published_at_source"] == "text-header"
    assert row["published_at_source"] in CONTRACT_DATE_SOURCES


# -- robustness -------------------------------------------------------------------------------


def test_hostile_markup_is_read_in_linear_time() -> None:
    start = time.perf_counter()
    for html in (
        "<script>" * 50_000,
        "<!--" * 50_000,
        "<h1>" * 50_000,
        "<" * 200_000,
        "<h1>A headline here</h1>" + "<p>Published: 1 May 2020</p>" * 20_000,
        # Every date the page shows is read when only an update is labeled: one long line of
        # dates must not be quadratic.
        "<p>Updated: 5 May 2021</p><p>" + "Am 3. Mai 2020 und 4. Mai 2020 " * 20_000 + "</p>",
    ):
        printed_dates(html)
        html_date_candidates(html, None, None)
    assert time.perf_counter() - start < 10.0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["<h1>", "</h1>", "<p>", "</p>", "<script>", "</script>", "<!--", "-->", "<title>",
             "Club signs", " ", "Published:", "Updated", "Joined", "1 May 2020", "02.02.2022",
             "|", ",", "&amp;", "<br>", "x"]
        ),
        max_size=30,
    ).map("".join)
)  # fmt: skip
def test_printed_dates_never_raise(html: str) -> None:
    found = printed_dates(html)
    for value in (found.headline, *found.published, *found.updated):
        assert value is None or value.utcoffset() is not None


moments = st.datetimes(min_value=datetime(2019, 11, 1), max_value=datetime(2020, 2, 28),
                       timezones=st.just(UTC))  # fmt: skip
some_moments = st.lists(moments, max_size=3)


@settings(max_examples=200, deadline=None)
@given(
    found=st.none() | moments.map(lambda value: value.date()),
    published=some_moments, article=some_moments, modified=some_moments,
    headline=st.none() | moments, labeled=some_moments, updated=some_moments, written=some_moments,
    url_month=st.none() | st.sampled_from([(2019, 12), (2020, 1)]),
)  # fmt: skip
def test_page_day_only_picks_a_day_the_page_gives(
    found: date | None,
    published: list[datetime],
    article: list[datetime],
    modified: list[datetime],
    headline: datetime | None,
    labeled: list[datetime],
    updated: list[datetime],
    written: list[datetime],
    url_month: tuple[int, int] | None,
) -> None:
    printed = PrintedDates(headline, tuple(labeled), tuple(updated))
    day = page_day(found, published, article, modified, printed, lambda: written, url_month)
    given_days = {value.date() for value in (*published, *article, *modified, *labeled,
                                              *updated, *written)} | {found, None}  # fmt: skip
    if headline is not None:
        given_days.add(headline.date())
    assert day in given_days
    if found is None and not published and headline is None and not updated and not written:
        assert day is None
