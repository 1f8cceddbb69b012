"""htmldate reads an HTML page once: the extraction's day is reused by html_date_candidates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import htmldate
import pytest
import trafilatura.metadata

from cleaners.document import DateCandidate
from cleaners.extract import extract_html
from cleaners.metadata.dates import (
    HTMLDATE_SOURCE,
    Htmldate,
    html_date_candidates,
    htmldate_candidates,
    recorded_htmldate_day,
)
from cleaners.pipeline import clean_html

PARAGRAPHS = (
    "Chinese President Xi Jinping urged members of a regional security club on Thursday to "
    "resist external meddling at the annual meeting in the Kazakh capital.",
    "President Vladimir Putin was due to speak about creating a new Eurasian security system, "
    "open to all countries on the continent, officials said.",
    "Western sanctions have left Moscow cut off from traditional payment systems such as SWIFT, "
    "while hundreds of billions of dollars in reserves remain frozen.",
)


def page(head: str = "", byline: str = "") -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    return (
        f"<html><head><title>Xi and Putin meet | Example News</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Xi and Putin meet</h1>{byline}{paragraphs}</article>"
        "<footer>About us. Contact. Imprint.</footer></body></html>"
    )


# The date only in the page's text: htmldate's day is the only html-meta evidence.
TEXT_DATED = page(byline="<p class='date'>Published on 12 March 2021</p>")
MARKUP_DATED = page(
    head='<meta property="article:published_time" content="2023-05-04T10:00:00+02:00">'
)


@pytest.fixture
def htmldate_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every call of htmldate's find_date, by trafilatura or by newsclean, with its arguments."""
    calls: list[dict[str, Any]] = []
    real: Callable[..., str | None] = htmldate.find_date

    def counting(htmlobject: Any, *args: Any, **kwargs: Any) -> str | None:
        calls.append(kwargs)
        return real(htmlobject, *args, **kwargs)

    monkeypatch.setattr(trafilatura.metadata, "find_date", counting)
    monkeypatch.setattr(htmldate, "find_date", counting)
    return calls


@pytest.mark.parametrize("html", [TEXT_DATED, MARKUP_DATED])
def test_clean_html_runs_htmldate_once(html: str, htmldate_calls: list[dict[str, Any]]) -> None:
    row = clean_html(html, "https://example.com/world/xi-putin")
    assert len(htmldate_calls) == 1
    assert htmldate_calls[0]["original_date"] is True
    assert row["published_at"] is not None


def test_the_day_is_htmldate_own_day(htmldate_calls: list[dict[str, Any]]) -> None:
    url = "https://example.com/world/xi-putin"
    row = clean_html(TEXT_DATED, url)
    assert row["published_at"].date() == date(2021, 3, 12)
    assert len(htmldate_calls) == 1
    alone = htmldate.find_date(TEXT_DATED.encode(), original_date=True, url=url)
    assert alone == "2021-03-12"


def test_extracted_day_gives_the_same_candidates(htmldate_calls: list[dict[str, Any]]) -> None:
    url = "https://example.com/world/xi-putin"
    for html in (TEXT_DATED, MARKUP_DATED):
        doc = extract_html(html, url)
        day, others = recorded_htmldate_day(doc.date_candidates, True, doc.url, url)
        assert not isinstance(day, Htmldate) and others == []
        calls = len(htmldate_calls)
        reused = html_date_candidates(html, url, day)
        assert len(htmldate_calls) == calls  # no second search
        assert reused == html_date_candidates(html, url)  # the page searched on its own
        assert len(htmldate_calls) == calls + 1


def test_html_only_callers_still_get_htmldate(htmldate_calls: list[dict[str, Any]]) -> None:
    found = html_date_candidates(TEXT_DATED, None)
    assert len(htmldate_calls) == 1
    assert [(c.value.date(), c.source) for c in found] == [(date(2021, 3, 12), "html-meta")]


def test_a_known_day_without_date_is_not_searched_again(
    htmldate_calls: list[dict[str, Any]],
) -> None:
    # Only the date the page prints under its headline is left.
    found = html_date_candidates(TEXT_DATED, None, None)
    assert [(c.value.date(), c.source) for c in found] == [(date(2021, 3, 12), "html-text")]
    assert htmldate_calls == []
    assert html_date_candidates(page(), None, None) == []


def test_canonical_url_with_another_date_makes_htmldate_run_again(
    htmldate_calls: list[dict[str, Any]],
) -> None:
    # The page calls itself by a URL dated 2019-10-19; it was fetched under a URL dated
    # 2020-01-02. trafilatura gives htmldate the page's own URL, the pipeline the fetched one.
    html = page(head='<link rel="canonical" href="https://example.com/2019/10/19/xi-putin">')
    url = "https://example.com/2020/01/02/xi-putin"
    row = clean_html(html, url)
    assert [c["url"] for c in htmldate_calls] == ["https://example.com/2019/10/19/xi-putin", url]
    assert row["published_at"].date() == date(2020, 1, 2)


def test_same_url_date_despite_tracking_parameters() -> None:
    found = htmldate_candidates("2019-10-19")
    canonical = "https://example.com/2019/10/19/story/"
    for url in (canonical + "?utm_id=42&ref=rss", canonical + "#more-244202", None):
        day, _ = recorded_htmldate_day(found, True, canonical, url)
        assert day == datetime(2019, 10, 19, tzinfo=UTC)


def test_no_record_when_the_extraction_did_not_search() -> None:
    other = DateCandidate(datetime(2020, 1, 1, tzinfo=UTC), "record")
    assert recorded_htmldate_day([other], False, None, "https://x.com/a") == (Htmldate.RUN, [other])
    found = [*htmldate_candidates("2019-10-19"), other]
    day, others = recorded_htmldate_day(found, True, None, None)
    assert day == datetime(2019, 10, 19, tzinfo=UTC) and others == [other]
    assert all(c.source != HTMLDATE_SOURCE for c in others)
