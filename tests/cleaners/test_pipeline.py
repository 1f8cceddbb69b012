"""The public API: clean_html, clean_text and detect_language, one document at a time."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from cleaners import RejectedDocument, clean_html, clean_text, detect_language
from cleaners.contract import ARTICLE_COLUMNS, articles_table

BODY = (
    "The city council approved a new budget for public libraries on Tuesday after a long debate. "
    "Councillors from all parties said the reading rooms had become essential for students. "
    "The plan adds evening opening hours in four districts and funds two mobile libraries."
)
PAGE = f"""<html><head><title>Council backs libraries</title>
<meta property="article:published_time" content="2020-09-29T22:40:00-07:00">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council backs libraries</h1><p>{BODY}</p>
<p>Share this article</p><p>LEAVE A REPLY</p></article>
<footer>© 2020 Example Media. All rights reserved.</footer></body></html>"""


def test_clean_html_returns_one_contract_row() -> None:
    row = clean_html(
        PAGE.encode("utf-8"), url="https://www.example.com/news/libraries?utm_source=x"
    )
    assert tuple(row) == ARTICLE_COLUMNS
    assert articles_table([row]).num_rows == 1  # fits the Parquet schema as it is
    assert row["title"] == "Council backs libraries"
    assert row["language"] == "en" and row["language_score"] > 0.5
    assert "LEAVE A REPLY" not in row["text"] and "Share this article" not in row["text"]
    assert "public libraries" in row["text"]
    assert row["url"] == "https://www.example.com/news/libraries"
    assert row["site"] == "example.com"
    assert row["duplicate_of"] is None and row["run_id"] == ""


def test_published_at_keeps_the_pages_zone_and_is_the_same_instant_in_utc() -> None:
    row = clean_html(PAGE, url="https://example.com/news/libraries")
    published = row["published_at"]
    assert published.date().isoformat() == "2020-09-29"  # the publisher's calendar day
    assert published == datetime(2020, 9, 30, 5, 40, tzinfo=UTC)
    stored = articles_table([row]).column("published_at")[0].as_py()
    assert stored == published and stored.utcoffset().total_seconds() == 0


def test_clean_text_moves_fields_and_records_removals() -> None:
    text = (
        "Council backs libraries\n"
        "LONDON (Reuters) - " + BODY + "\n"
        "#libraries #budget\n"
        "(Reporting by Jane Doe; Editing by John Roe)\n"
        "LEAVE A REPLY"
    )
    row = clean_text(text)
    assert row["title"] == "Council backs libraries"
    assert row["text"].startswith("The city council")
    assert (row["dateline"], row["agency"]) == ("LONDON", "Reuters")
    assert row["tags"] == ["libraries", "budget"]
    assert "Jane Doe" in row["authors"] and "John Roe" in row["editors"]
    actions = {c["action"] for c in row["cleaning"]}
    assert {"removed", "moved"} <= actions


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(300), "binary"),
        ("Menu", "no-text"),
        ("<html></html>", "no-text"),
    ],
)
def test_bad_input_raises_rejected_document_with_a_reason(
    payload: bytes | str, reason: str
) -> None:
    clean = clean_html if isinstance(payload, str) and payload.startswith("<") else clean_text
    with pytest.raises(RejectedDocument) as caught:
        clean(payload)
    assert caught.value.reason == reason and caught.value.detail


def test_detect_language() -> None:
    code, score = detect_language("Der Gipfel fand in Astana statt.")
    assert code == "de" and 0.5 < score <= 1.0
    assert detect_language("") == ("und", 0.0)


@pytest.mark.parametrize("clean", [clean_html, clean_text])
@pytest.mark.parametrize("payload", [None, 42, ["<p>text</p>"], {"text": BODY}])
def test_input_of_another_type_raises_rejected_document(
    clean: Callable[..., dict[str, Any]], payload: object
) -> None:
    with pytest.raises(RejectedDocument) as caught:
        clean(payload)
    assert caught.value.reason == "bad-record"
    assert type(payload).__name__ in caught.value.detail


@pytest.mark.parametrize("clean", [clean_html, clean_text])
@pytest.mark.parametrize(
    "arguments",
    [{"url": 123}, {"fetched_at": "yesterday"}, {"fetched_at": 1_700_000_000}],
)
def test_metadata_of_the_wrong_type_raises_rejected_document(
    clean: Callable[..., dict[str, Any]], arguments: dict[str, object]
) -> None:
    with pytest.raises(RejectedDocument) as caught:
        clean(PAGE, **arguments)
    assert caught.value.reason == "bad-record" and caught.value.detail


def test_bytes_like_input_is_read_as_bytes() -> None:
    expected = clean_html(PAGE.encode("utf-8"), url="https://example.com/news/libraries")
    for payload in (bytearray(PAGE.encode("utf-8")), memoryview(PAGE.encode("utf-8"))):
        row = clean_html(payload, url="https://example.com/news/libraries")  # type: ignore[arg-type]
        assert row == expected


def test_fetched_at_is_returned_in_utc() -> None:
    naive = datetime(2020, 10, 1, 8, 30)
    for given in (naive, "2020-10-01T10:30:00+02:00"):
        row = clean_text(BODY, fetched_at=given)  # type: ignore[arg-type]
        assert row["fetched_at"] == datetime(2020, 10, 1, 8, 30, tzinfo=UTC)
        assert row["fetched_at"].utcoffset().total_seconds() == 0
        assert articles_table([row]).column("fetched_at")[0].as_py() == row["fetched_at"]
