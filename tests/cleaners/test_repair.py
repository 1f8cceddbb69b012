import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.document import Document, RejectedDocument
from cleaners.repair import FIX_CONFIG, decode_bytes, fix_text, repair_text


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


# Mojibake-prone characters, controls and line separators, so that every step of ftfy gets
# something to act on now and then.
FTFY_ALPHABET = st.sampled_from(
    list("aeiouxyz AEZ.,;:!?'\"-\n\t")
    + list("ÃÂâ€™œžŠšÐÎØÙ©®°·»«×²³¢£¥µ“”‘’–—…éèàüöäßçñ")
    + list("\r\x85\x80\x9f\u2028\u2029\x1b\x00\x07\x0b\x0c\ufeff\u206a\ufffc")
    + ["Ã©", "Ã¨", "â€™", "â€œ", "Ã ", "Â ", "\x1b[36m", "\ud83d\udca9", "\udca9"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(FTFY_ALPHABET, max_size=60).map("".join))
def test_fix_text_is_ftfy_with_the_repair_config(text: str) -> None:
    assert fix_text(text) == ftfy.fix_text(text, config=FIX_CONFIG)


def test_fix_text_keeps_clean_text_and_fixes_a_broken_line() -> None:
    clean = "Zürich “quoted” — text\nÃ second line starts with a capital A tilde"
    assert fix_text(clean) == ftfy.fix_text(clean, config=FIX_CONFIG)
    broken = "Clean first line.\nLe prÃ©sident a parlÃ©.\n"
    assert fix_text(broken) == "Clean first line.\nLe président a parlé.\n"


def test_ftfy_heuristic_is_read_for_the_quick_check() -> None:
    from cleaners.repair import _mojibake_requirements

    # Without it every text pays for ftfy's heuristic on each line; with it most pay nothing.
    assert _mojibake_requirements() is not None


@settings(max_examples=400, deadline=None)
@given(st.lists(FTFY_ALPHABET, max_size=40).map("".join))
def test_part_of_the_heuristic_finds_what_the_whole_finds(text: str) -> None:
    from ftfy.badness import is_bad

    from cleaners.repair import _mojibake_check

    check = _mojibake_check(text)
    for line in text.splitlines(keepends=True):
        assert (check is not None and check.search(line) is not None) == is_bad(line)


def test_windows_1252_punctuation_read_as_latin1_is_repaired_within_its_line() -> None:
    # U+0085 and U+0092 are "…" and "’" of Windows-1252 decoded as Latin-1; U+0085 is also
    # Unicode's "next line", which would split the sentence.
    doc = repair_text(Document(text="viikottaiset maksatestit\x85hö, ei ole kumma.\nd\x92un"))
    assert doc.text == "viikottaiset maksatestit…hö, ei ole kumma.\nd’un"
    assert [entry.rule for entry in doc.cleaning] == ["mojibake"]
