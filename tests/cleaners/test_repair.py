import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaners.document import Document, RejectedDocument
from cleaners.repair import decode_bytes, repair_text


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Grüße aus Zürich".encode(), "Grüße aus Zürich"),
        ("\ufeffBOM then text".encode("utf-8"), "BOM then text"),
        ("Привет".encode("utf-16"), "Привет"),
        ("plain ascii words".encode("utf-16-le"), "plain ascii words"),
        ("Très élevé".encode("cp1252"), "Très élevé"),
    ],
)
def test_decodes_common_encodings(data: bytes, text: str) -> None:
    assert decode_bytes(data)[0] == text


def test_html_declared_charset_is_used_when_bytes_are_not_utf8() -> None:
    page = '<meta charset="koi8-r"><p>Новости дня</p>'.encode("koi8-r")
    assert "Новости дня" in decode_bytes(page, is_html=True)[0]


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n\x00\x00", b"%PDF-1.7\n", b"\x00\x01\x02" * 100]
)
def test_binary_input_is_rejected(data: bytes) -> None:
    with pytest.raises(RejectedDocument) as caught:
        decode_bytes(data)
    assert caught.value.reason == "binary"


def test_repair_fixes_mojibake_but_keeps_typography() -> None:
    doc = repair_text(Document(text="Putin said “peace” — cafÃ© talk. 「東京」", title="CafÃ©"))
    assert doc.text == "Putin said “peace” — café talk. 「東京」"
    assert doc.title == "Café"
    assert {c.field for c in doc.cleaning} == {"text", "title"}


@given(st.binary(max_size=300))
def test_decode_either_returns_text_or_rejects(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except RejectedDocument as error:
        assert error.reason in {"binary", "undecodable"}
    else:
        assert isinstance(text, str) and encoding


@given(st.text(max_size=300))
def test_repair_is_idempotent(text: str) -> None:
    once = repair_text(Document(text=text))
    assert repair_text(once).text == once.text


@pytest.mark.parametrize("label", ["utf-16", "UTF-32", "utf-7", "unicode_escape", "idna", "rot13"])
def test_declared_charsets_no_browser_would_use_are_ignored(label: str) -> None:
    page = f'<meta charset="{label}"><p>Caf\xe9 au lait \\ud800 +AGEAYgBj-</p>'.encode("latin-1")
    text, encoding = decode_bytes(page, is_html=True)
    assert "Café au lait \\ud800 +AGEAYgBj-" in text
    assert encoding == "cp1252"
