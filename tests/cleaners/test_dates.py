from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.document import DateCandidate, Document
from cleaners.metadata.dates import (
    choose_published_at,
    html_date_candidates,
    parse_date_line,
    parse_datetime,
    text_date_candidates,
    url_date,
)
from cleaners.options import CleanOptions

WRITTEN = [
    ("en", "Published April 18, 2024", datetime(2024, 4, 18, tzinfo=UTC)),
    ("en", "18th April 2024", datetime(2024, 4, 18, tzinfo=UTC)),
    ("it", "giovedì, Aprile 18, 2024", datetime(2024, 4, 18, tzinfo=UTC)),
    ("it", "18 aprile 2024 alle 14:05", datetime(2024, 4, 18, 14, 5, tzinfo=UTC)),
    ("de", "3. Juli 2024", datetime(2024, 7, 3, tzinfo=UTC)),
    ("de", "Mittwoch, 3. März 2024, 09:30 Uhr", datetime(2024, 3, 3, 9, 30, tzinfo=UTC)),
    ("fr", "8 juillet 2024", datetime(2024, 7, 8, tzinfo=UTC)),
    ("fr", "le 1er février 2023 à 9h30", datetime(2023, 2, 1, 9, 30, tzinfo=UTC)),
    ("es", "18 de abril de 2024", datetime(2024, 4, 18, tzinfo=UTC)),
    ("pt", "18 de setembro de 2024 às 14h30", datetime(2024, 9, 18, 14, 30, tzinfo=UTC)),
    ("pl", "18 października 2024", datetime(2024, 10, 18, tzinfo=UTC)),
    ("nl", "18 maart 2024", datetime(2024, 3, 18, tzinfo=UTC)),
    ("ru", "18 апреля 2024 г.", datetime(2024, 4, 18, tzinfo=UTC)),
    ("uk", "18 квітня 2024", datetime(2024, 4, 18, tzinfo=UTC)),
    ("tr", "18 Ağustos 2024", datetime(2024, 8, 18, tzinfo=UTC)),
    ("cs", "18. května 2024", datetime(2024, 5, 18, tzinfo=UTC)),
    ("sv", "18 augusti 2024", datetime(2024, 8, 18, tzinfo=UTC)),
    ("ro", "18 decembrie 2024", datetime(2024, 12, 18, tzinfo=UTC)),
    ("hu", "2024. április 18.", datetime(2024, 4, 18, tzinfo=UTC)),
    ("el", "18 Ιουλίου 2024", datetime(2024, 7, 18, tzinfo=UTC)),
    ("fi", "18. kesäkuuta 2024", datetime(2024, 6, 18, tzinfo=UTC)),
    ("id", "18 Agustus 2024", datetime(2024, 8, 18, tzinfo=UTC)),
    ("zh", "2024年4月18日", datetime(2024, 4, 18, tzinfo=UTC)),
    ("ko", "2024년 4월 18일", datetime(2024, 4, 18, tzinfo=UTC)),
    ("vi", "ngày 18 tháng 4 năm 2024", datetime(2024, 4, 18, tzinfo=UTC)),
    ("iso", "2024-07-08 04:55:57", datetime(2024, 7, 8, 4, 55, 57, tzinfo=UTC)),
    ("iso", "2024-07-08T04:55:57+02:00", datetime(2024, 7, 8, 2, 55, 57, tzinfo=UTC)),
    ("dotted", "18.04.2024 14:05", datetime(2024, 4, 18, 14, 5, tzinfo=UTC)),
    ("slashed", "04/18/2024", datetime(2024, 4, 18, tzinfo=UTC)),
]


@pytest.mark.parametrize(("language", "written", "expected"), WRITTEN)
def test_written_dates_in_many_languages(language, written, expected):
    found = text_date_candidates(f"Leaders met.\n{written}\nThe talks went on.")
    assert [c.value for c in found] == [expected], language
    assert found[0].source == "text-body"


def test_ambiguous_slashed_dates_are_not_guessed():
    assert text_date_candidates("Posted 04/05/2024") == []


def test_impossible_calendar_dates_are_skipped():
    assert text_date_candidates("31 février 2024 and 2024-02-30") == []


def test_date_lines_come_before_dates_inside_sentences():
    text = "The deal signed on 3 March 2021 expires.\n\n18 April 2024"
    assert [c.value.day for c in text_date_candidates(text)] == [18, 3]


def test_date_line_only_for_date_lines():
    assert parse_date_line("giovedì, Aprile 18, 2024") == datetime(2024, 4, 18, tzinfo=UTC)
    assert parse_date_line("The summit on 18 April 2024 brought leaders of ten countries.") is None
    assert parse_date_line("") is None


def test_url_dates():
    assert url_date("https://x.com/2024/07/08/story") == datetime(2024, 7, 8, tzinfo=UTC)
    assert url_date("https://x.com/news/2024-07-08-story.html") == datetime(2024, 7, 8, tzinfo=UTC)
    assert url_date("https://x.com/a/20240708/story") == datetime(2024, 7, 8, tzinfo=UTC)
    assert url_date("https://x.com/a/18-04-2024/story") == datetime(2024, 4, 18, tzinfo=UTC)
    assert url_date("https://x.com/article/791661") is None
    assert url_date("https://x.com/2024/13/45/story") is None
    assert url_date(None) is None


def test_archive_timestamp_is_not_the_publication_date():
    url = "https://web.archive.org/web/20160218174457/http://blog.example/2010/05/post/"
    assert url_date(url) is None


def test_parse_datetime_keeps_the_zone():
    assert parse_datetime("2020-02-19T00:30:00+01:00") == datetime(2020, 2, 18, 23, 30, tzinfo=UTC)
    assert parse_datetime("2020-02-19T00:30:00Z") == datetime(2020, 2, 19, 0, 30, tzinfo=UTC)
    assert parse_datetime("2020-02-19") == datetime(2020, 2, 19, tzinfo=UTC)
    assert parse_datetime("not a date") is None


PAGE = """<html><head>
<meta property="article:published_time" content="2023-05-04T10:00:00+02:00">
<meta property="article:modified_time" content="2024-01-01T10:00:00+02:00">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "datePublished": "2023-05-04T08:00:00Z", "dateModified": "2024-01-01T08:00:00Z"}</script>
</head><body><article><h1>Summit</h1><p>Leaders met.</p></article></body></html>"""


def test_html_candidates_from_markup_and_url():
    found = html_date_candidates(PAGE, "https://example.com/2023/05/04/summit")
    assert found[0] == DateCandidate(datetime(2023, 5, 4, 8, tzinfo=UTC), "html-meta")
    assert DateCandidate(datetime(2023, 5, 4, tzinfo=UTC), "url") in found
    assert all(c.value.year != 2024 for c in found)  # modified dates are not candidates
    assert all(c.value.tzinfo is not None for c in found)


def test_html_candidates_from_htmldate_when_no_markup():
    page = "<html><body><p class='date'>Published on 12 March 2021</p><p>Text.</p></body></html>"
    found = html_date_candidates(page, None)
    assert [(c.value.date().isoformat(), c.source) for c in found] == [("2021-03-12", "html-meta")]


def test_html_candidates_on_broken_input():
    assert html_date_candidates("", None) == []
    assert html_date_candidates("<script type='application/ld+json'>{broken", "nope") == []
    assert html_date_candidates("\x00<<>>", "http://[::1") == []


def _doc(*candidates, fetched_at=None):
    return Document(text="x", fetched_at=fetched_at, date_candidates=list(candidates))


def test_choice_follows_source_priority():
    day = datetime(2024, 7, 4, tzinfo=UTC)
    doc = choose_published_at(
        _doc(
            DateCandidate(day + timedelta(days=2), "text-body"),
            DateCandidate(day + timedelta(days=1), "html-meta"),
            DateCandidate(day, "record"),
        )
    )
    assert (doc.published_at, doc.published_at_source) == (day, "record")
    doc = choose_published_at(
        _doc(
            DateCandidate(day + timedelta(days=2), "text-body"),
            DateCandidate(day + timedelta(days=1), "text-header"),
        )
    )
    assert doc.published_at_source == "text-header"


def test_url_date_picks_the_agreeing_markup_candidate():
    doc = choose_published_at(
        _doc(
            DateCandidate(datetime(2019, 1, 1, tzinfo=UTC), "html-meta"),
            DateCandidate(datetime(2024, 7, 4, 9, 30, tzinfo=UTC), "html-meta"),
            DateCandidate(datetime(2024, 7, 4, tzinfo=UTC), "url"),
        )
    )
    assert doc.published_at == datetime(2024, 7, 4, 9, 30, tzinfo=UTC)
    assert doc.published_at_source == "html-meta"


def test_impossible_candidates_are_rejected_and_flagged():
    fetched = datetime(2024, 7, 10, tzinfo=UTC)
    doc = choose_published_at(
        _doc(
            DateCandidate(datetime(1985, 1, 1, tzinfo=UTC), "html-meta"),
            DateCandidate(datetime(2024, 8, 1, tzinfo=UTC), "html-meta"),
            DateCandidate(datetime(2024, 7, 8, tzinfo=UTC), "url"),
            fetched_at=fetched,
        )
    )
    assert doc.published_at == datetime(2024, 7, 8, tzinfo=UTC)
    assert doc.published_at_source == "url"
    flags = [c for c in doc.cleaning if c.rule == "date-rejected"]
    assert len(flags) == 2
    assert all(c.action == "flagged" and c.field == "published_at" for c in flags)
    assert "1985" in flags[0].text and "2024-08-01" in flags[1].text


def test_future_dates_and_min_year_option():
    now = datetime(2024, 7, 10, tzinfo=UTC)
    future = DateCandidate(datetime(2025, 1, 1, tzinfo=UTC), "html-meta")
    doc = choose_published_at(_doc(future), now=now)
    assert doc.published_at is None and doc.cleaning[0].rule == "date-rejected"
    old = DateCandidate(datetime(2001, 1, 1, tzinfo=UTC), "html-meta")
    assert choose_published_at(_doc(old), CleanOptions(min_year=2005)).published_at is None
    assert choose_published_at(_doc(old)).published_at == old.value


def test_naive_and_zoned_candidates_end_up_utc():
    zoned = datetime(2024, 7, 8, 1, 0, tzinfo=timezone(timedelta(hours=5)))
    doc = choose_published_at(_doc(DateCandidate(zoned, "html-meta")))
    assert doc.published_at == datetime(2024, 7, 7, 20, 0, tzinfo=UTC)
    naive = datetime(2024, 7, 8, 1, 0)
    assert choose_published_at(_doc(DateCandidate(naive, "record"))).published_at.tzinfo == UTC


def test_choice_is_stable_when_repeated():
    fetched = datetime(2024, 7, 10, tzinfo=UTC)
    doc = _doc(
        DateCandidate(datetime(2024, 8, 1, tzinfo=UTC), "html-meta"),
        DateCandidate(datetime(2024, 7, 8, tzinfo=UTC), "text-body"),
        fetched_at=fetched,
    )
    once = choose_published_at(doc)
    assert choose_published_at(once) == once


def test_no_candidates_leaves_no_date():
    doc = choose_published_at(Document(text="x"))
    assert doc.published_at is None and doc.published_at_source is None and doc.cleaning == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_text_candidates_never_raise_and_are_utc(text):
    for candidate in text_date_candidates(text):
        assert candidate.value.utcoffset() is not None
        assert candidate.source == "text-body"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.datetimes(
                min_value=datetime(1, 1, 1),
                max_value=datetime(9999, 12, 31, 23, 59),
                timezones=st.one_of(st.none(), st.timezones()),
            ),
            st.sampled_from(["html-meta", "url", "text-header", "record", "text-body", "odd"]),
        ),
        max_size=6,
    ),
    st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))),
)
def test_choice_never_raises_and_is_utc(candidates, fetched_at):
    doc = Document(
        text="x",
        fetched_at=fetched_at,
        date_candidates=[DateCandidate(value, source) for value, source in candidates],
    )
    chosen = choose_published_at(doc)
    if chosen.published_at is not None:
        assert chosen.published_at.utcoffset() == timedelta(0)
        assert chosen.published_at.year >= 1990
        assert chosen.published_at_source in {c.source for c in chosen.date_candidates}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=60)))
def test_html_candidates_never_raise(html, url):
    for candidate in html_date_candidates(html, url):
        assert candidate.value.utcoffset() is not None


def test_parse_datetime_reads_feed_style_dates():
    assert parse_datetime("Tue, Sep 15 2020 10:01:41 EDT") == datetime(
        2020, 9, 15, 14, 1, 41, tzinfo=UTC
    )
    assert parse_datetime("Sat, 19 Oct 2019 00:04:00 +0200") == datetime(
        2019, 10, 18, 22, 4, tzinfo=UTC
    )
    # The publisher's own day survives in the candidate's zone.
    assert parse_datetime("Sat, 19 Oct 2019 00:04:00 +0200").date().isoformat() == "2019-10-19"


def test_htmldate_day_decides_between_markup_timestamps():
    # htmldate settles on the URL's day; of the two markup timestamps, the one on that day
    # leads (with its time), the other stays a weaker candidate.
    page = """<html><head>
    <meta property="article:published_time" content="2023-06-01T08:00:00+02:00">
    <script type="application/ld+json">{"@type": "NewsArticle",
     "datePublished": "2021-03-04T10:15:00+01:00"}</script></head>
    <body><article><p>Text.</p></article></body></html>"""
    found = html_date_candidates(page, "https://example.com/2021/03/04/story")
    assert found[0].value == datetime(2021, 3, 4, 10, 15, tzinfo=timezone(timedelta(hours=1)))
    assert [c.source for c in found] == ["html-meta", "html-meta", "url"]
    assert found[1].value.year == 2023


def test_choice_from_html_candidates_is_utc():
    found = html_date_candidates(PAGE, "https://example.com/2023/05/04/summit")
    doc = choose_published_at(_doc(*found))
    assert doc.published_at == datetime(2023, 5, 4, 8, tzinfo=UTC)
    assert doc.published_at.tzinfo == UTC
    assert doc.published_at_source == "html-meta"


def test_long_bodies_are_read_at_the_top_and_bottom_only():
    filler = "The talks went on for many hours without a result. " * 200
    text = f"{filler}On 3 March 2021 the treaty was signed.\n{filler}\n18 April 2024"
    assert [c.value.day for c in text_date_candidates(text)] == [18]


def test_pathological_text_is_fast():
    import time

    start = time.perf_counter()
    for text in ("1" * 200_000, "12. " * 50_000, "a " * 100_000, "18 April " * 20_000):
        text_date_candidates(text)
    assert time.perf_counter() - start < 2.0


def test_local_published_at_keeps_the_publishers_zone():
    from cleaners.metadata.dates import local_published_at

    evening = parse_datetime("2023-11-08T23:10:44-08:00")
    doc = choose_published_at(_doc(DateCandidate(evening, "html-meta")))
    assert doc.published_at == datetime(2023, 11, 9, 7, 10, 44, tzinfo=UTC)
    assert local_published_at(doc).isoformat() == "2023-11-08T23:10:44-08:00"
    assert local_published_at(Document(text="x")) is None
    naive = choose_published_at(_doc(DateCandidate(datetime(2024, 1, 2, 3), "record")))
    assert local_published_at(naive) == datetime(2024, 1, 2, 3, tzinfo=UTC)


DATE_PIECES = st.sampled_from(
    ["18", "4", "2024", "1999", "20", "24", ".", "/", "-", ":", " ", "\n", "April", "avril",
     "Juli", "апреля", "de", "of", "年", "月", "日", "ngày", "tháng", "năm", "14:05", "Uhr", "x",
     "٢٠٢٤", "2０24"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(DATE_PIECES, max_size=14).map("".join))
def test_year_check_skips_only_text_without_dates(text: str) -> None:
    from cleaners.metadata.dates import _every_written_date, _written_dates

    assert list(_written_dates(text)) == list(_every_written_date(text))


# -- Date lines (parse_date_line) ------------------------------------------------------------

CEST = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("quinta-feira, 18 de abril de 2024", datetime(2024, 4, 18, tzinfo=UTC)),
        ("Segunda feira, 18 de março de 2024", datetime(2024, 3, 18, tzinfo=UTC)),
        ("18th April 2024", datetime(2024, 4, 18, tzinfo=UTC)),
        ("le 1er février 2023 à 9h30", datetime(2023, 2, 1, 9, 30, tzinfo=UTC)),
        ("Τετάρτη, 18 Ιουλίου 2024", datetime(2024, 7, 18, tzinfo=UTC)),
        ("18 septembrie 2024", datetime(2024, 9, 18, tzinfo=UTC)),
        ("2024. április 18.", datetime(2024, 4, 18, tzinfo=UTC)),
        ("2024年4月18日 14:05", datetime(2024, 4, 18, 14, 5, tzinfo=UTC)),
        ("2024년 4월 18일", datetime(2024, 4, 18, tzinfo=UTC)),
        ("ngày 18 tháng 4 năm 2024", datetime(2024, 4, 18, tzinfo=UTC)),
        ("Published 18 April 2024, 9:30 am BST", datetime(2024, 4, 18, 8, 30, tzinfo=UTC)),
        ("18 Apr 2024, 22:11 GMT+10", datetime(2024, 4, 18, 12, 11, tzinfo=UTC)),
        ("Actualizado: 29/4/2022 - 12:00 am", datetime(2022, 4, 29, tzinfo=UTC)),
    ],
)
def test_date_lines_in_more_forms(line: str, expected: datetime) -> None:
    assert parse_date_line(line) == expected


def test_date_line_keeps_the_stated_zone():
    # Same instant as in UTC, and the publisher's own calendar day.
    value = parse_date_line("Veröffentlicht am 4. Juli 2024, 00:30 Uhr CEST")
    assert value == datetime(2024, 7, 3, 22, 30, tzinfo=UTC)
    assert value.utcoffset() == timedelta(hours=2) and value.date().isoformat() == "2024-07-04"
    assert parse_date_line("2024-07-08T04:55:57+02:00") == datetime(
        2024, 7, 8, 4, 55, 57, tzinfo=CEST
    )
    assert parse_date_line("2024-07-08 04:55:57").tzinfo == UTC
    # An impossible offset is ignored, as in markup.
    assert parse_date_line("2024-07-08 04:55 UTC+99") == datetime(2024, 7, 8, 4, 55, tzinfo=UTC)


@pytest.mark.parametrize(
    "line",
    [
        "12 killed on 4 July 2024",
        "Putin arrived on 3 July 2024.",
        "By Jane Doe, 18 April 2024",
        "| 2021-03-04 | 12 | Results |",
        "04.07.2024 - Concert - City Hall",
        "Updated 2 hours ago",
        "31 февраля 2024",
        "18 April 1850",
    ],
)
def test_prose_and_listings_are_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


def test_date_line_min_year():
    assert parse_date_line("18 April 1995") == datetime(1995, 4, 18, tzinfo=UTC)
    assert parse_date_line("18 April 1995", min_year=2000) is None


FORMATS = (
    "{d} {month} {y}",
    "{weekday}, {d} {month} {y}",
    "{month} {d}, {y}",
    "{d:02d}.{m:02d}.{y}",
    "{y}-{m:02d}-{d:02d}",
    "Published: {d} {month} {y}, {hh:02d}:{mm:02d}",
)
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=datetime(1990, 1, 1).date(), max_value=datetime(2100, 12, 31).date()),
    st.sampled_from(FORMATS),
    st.integers(0, 23),
    st.integers(0, 59),
)
def test_written_date_lines_give_their_day(day, form, hh, mm) -> None:
    line = form.format(
        d=day.day, m=day.month, y=day.year, month=MONTHS_EN[day.month - 1],
        weekday=day.strftime("%A"), hh=hh, mm=mm,
    )  # fmt: skip
    value = parse_date_line(line)
    assert value is not None and value.date() == day, line
    assert parse_date_line(f"Officials said {line} was agreed") is None
