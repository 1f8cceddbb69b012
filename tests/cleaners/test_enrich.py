from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.document import DateCandidate, Document
from cleaners.enrich import enrich
from cleaners.options import CleanOptions
from cleaners.text import content_hash, word_count

BODY = (
    "Der chinesische Präsident Xi Jinping und der russische Präsident Wladimir Putin trafen "
    "sich am Rande des Gipfeltreffens in Astana.\n\nSie sprachen über Handel und Sicherheit."
)


def test_fills_every_metadata_column():
    doc = enrich(
        Document(
            text=BODY + "\n\n03.07.2024 14:05",
            url="HTTPS://www.Example.com/welt/gipfel?utm_campaign=x#top",
            authors=["VON ANNA SCHMIDT UND KARL WEBER, dpa"],
        )
    )
    assert doc.language == "de" and doc.language_score > 0.7
    assert doc.published_at == datetime(2024, 7, 3, 14, 5, tzinfo=UTC)
    assert doc.published_at_source == "text-body"
    assert doc.authors == ["Anna Schmidt", "Karl Weber"] and doc.agency == "dpa"
    assert doc.url == "https://www.example.com/welt/gipfel"
    assert doc.site == "example.com"
    assert doc.word_count == word_count(doc.text)
    assert doc.content_hash == content_hash(doc.text)


def test_keeps_site_name_and_agency_already_present():
    doc = enrich(Document(text=BODY, url="https://www.dw.com/x", site="DW", agency="Reuters",
                          authors=["AFP"]))  # fmt: skip
    assert doc.site == "DW" and doc.agency == "Reuters" and doc.authors == []


def test_markup_date_beats_body_date():
    markup = DateCandidate(datetime(2024, 7, 3, 9, tzinfo=UTC), "html-meta")
    doc = enrich(Document(text=BODY + "\n\n5 July 2024", date_candidates=[markup]))
    assert doc.published_at == markup.value and doc.published_at_source == "html-meta"


def test_short_body_uses_the_title_for_language():
    doc = enrich(Document(text="Foto: Reuters", title="Xi und Putin treffen sich in Astana"))
    assert doc.language == "de"


def test_impossible_dates_are_flagged_once():
    fetched = datetime(2024, 7, 10, tzinfo=UTC)
    doc = Document(text=BODY + "\n\n1 January 2030", fetched_at=fetched)
    once = enrich(doc)
    assert once.published_at is None
    assert [c.rule for c in once.cleaning] == ["date-rejected"]
    assert enrich(once) == once


def test_invalid_url_is_dropped():
    doc = enrich(Document(text=BODY, url="javascript:alert(1)"))
    assert doc.url is None and doc.site is None


def test_options_restrict_languages():
    doc = enrich(Document(text=BODY), CleanOptions(languages=("en", "fr")))
    assert doc.language in ("en", "fr")


def test_empty_document():
    doc = enrich(Document(text=""))
    assert (doc.language, doc.language_score, doc.word_count) == ("und", 0.0, 0)
    assert doc.published_at is None


documents = st.builds(
    Document,
    text=st.text(max_size=300),
    title=st.one_of(st.none(), st.text(max_size=40)),
    url=st.one_of(st.none(), st.text(max_size=40), st.just("https://Example.com/2024/07/03/a")),
    authors=st.lists(st.text(max_size=30), max_size=3),
    fetched_at=st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))),
    date_candidates=st.lists(
        st.builds(
            DateCandidate,
            value=st.datetimes(
                min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59),
                timezones=st.one_of(st.none(), st.timezones()),
            ),
            source=st.sampled_from(["html-meta", "url", "text-header", "record"]),
        ),
        max_size=3,
    ),
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_never_raises_and_is_idempotent(doc):
    once = enrich(doc)
    assert enrich(once) == once
    assert once.published_at is None or once.published_at.utcoffset() == timedelta(0)
    assert 0.0 <= once.language_score <= 1.0
