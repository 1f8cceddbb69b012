"""Bytes to text (BOM, declared charset, detection) and ftfy repair that does not restyle."""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import ftfy

from cleaners.document import Cleaning, Document, RejectedDocument

# Repair broken encodings only: no quote uncurling, no full-width folding (breaks CJK
# punctuation), no Unicode normalisation of text that is already right.
FIX_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    normalization=None,
    explain=False,
)

BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Signatures of formats that are never text, checked before any decoding attempt.
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"%PDF", "PDF document"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media"),
)
META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{1,40})""", re.I
)
# C0 controls other than tab/newline/carriage return, and DEL: never part of an article.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
# WHATWG: labels that browsers decode as windows-1252.
LATIN1_LABELS = frozenset({"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "l1"})
# Python codecs a page may name but no browser decodes it with: a UTF-16/32 page cannot carry
# a readable ASCII <meta>, and the escape codecs turn bytes of the page into other characters.
REFUSED_CODECS = frozenset(
    {
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
        "utf-32-le",
        "utf-32-be",
        "utf-7",
        "unicode-escape",
        "raw-unicode-escape",
        "punycode",
        "idna",
        "undefined",
    }
)


def sniff_binary(data: bytes) -> str | None:
    """The kind of a binary input, or None when it may be text.

    >>> sniff_binary(b"\\x89PNG\\r\\n\\x1a\\n....")
    'PNG image'
    >>> sniff_binary("Zürich".encode()) is None
    True
    """
    for magic, kind in BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _looks_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte is NUL for Latin-script text."""
    if len(head) < 4:
        return None
    even_nuls = head[0::2].count(0) / max(1, len(head[0::2]))
    odd_nuls = head[1::2].count(0) / max(1, len(head[1::2]))
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes, if any.

    >>> declared_charset(b'<meta charset="ISO-8859-1">')
    'windows-1252'
    >>> declared_charset(b'<meta charset="utf-16">') is None  # cannot be true of ASCII markup
    True
    """
    found = META_CHARSET.search(data[:4096])
    if not found:
        return None
    label = found.group(1).decode("ascii", "ignore").lower()
    if label in LATIN1_LABELS:
        return "windows-1252"
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return None if codec in REFUSED_CODECS else label


def decode_bytes(data: bytes, is_html: bool = False) -> tuple[str, str]:
    """Text and the encoding it was read with; rejects binary and undecodable input.

    >>> decode_bytes("Kommentar für".encode("cp1252"))
    ('Kommentar für', 'cp1252')
    >>> decode_bytes(b"\\xff\\xfeH\\x00i\\x00")
    ('Hi', 'utf-16-le')
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode_or_reject(data[len(bom) :], encoding), encoding
    kind = sniff_binary(data)
    if kind:
        raise RejectedDocument("binary", f"the input is a {kind}, not text", stage="read")
    utf16 = _looks_utf16(data[:4096])
    if utf16:
        return _decode_or_reject(data, utf16), utf16
    if b"\x00" in data[:8192] and data[:8192].count(b"\x00") > 8:
        raise RejectedDocument("binary", "the input holds NUL bytes: binary data", stage="read")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), "utf-8"
    declared = declared_charset(data) if is_html else None
    if declared:
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass
    if _mostly_ascii(data):
        # A few high bytes among ASCII text are far more often a Western single-byte page
        # than a multi-byte Asian encoding, which detectors tend to guess on short input.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        raise RejectedDocument("undecodable", "no text encoding fits the bytes", stage="read")
    encoding = best.encoding
    return data.decode(encoding, errors="replace"), encoding


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken bytes (a cut or spliced page): valid characters far outnumber them.

    >>> _mostly_utf8("Łódź, Kraków, Gdańsk".encode() + b"\\xff"), _mostly_utf8(b"f\\xfcr")
    (True, False)
    """
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = sum(1 for ch in text if ch > "\x7f" and ch != "\ufffd")
    return valid >= 4 * broken


def _mostly_ascii(data: bytes, share: float = 0.6) -> bool:
    sample = data[:65536]
    return sum(1 for b in sample if b < 0x80) >= share * len(sample)


def _decode_or_reject(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise RejectedDocument(
            "undecodable", f"the bytes are not valid {encoding}: {error.reason}", stage="read"
        ) from None


def normalise_layout(text: str) -> str:
    """Unix line breaks, no control characters.

    >>> normalise_layout("a\\r\\nb\\x00c")
    'a\\nbc'
    """
    return CONTROL_CHARS.sub("", LINE_BREAKS.sub("\n", text))


def repair_text(doc: Document) -> Document:
    """Fix mojibake in body and title with ftfy, recording each repair.

    >>> doc = repair_text(Document(text="Le prÃ©sident a parlÃ©."))
    >>> doc.text, [(c.rule, c.action) for c in doc.cleaning]
    ('Le président a parlé.', [('mojibake', 'fixed')])
    >>> repair_text(Document(text="“Quoted” text")).text
    '“Quoted” text'
    """
    entries: list[Cleaning] = []
    text = normalise_layout(doc.text)
    fixed = ftfy.fix_text(text, config=FIX_CONFIG)
    if fixed != text:
        entries.append(Cleaning.of("mojibake", "fixed", _first_difference(text, fixed), "text"))
    title = doc.title
    if title:
        fixed_title = ftfy.fix_text(normalise_layout(title), config=FIX_CONFIG)
        if fixed_title != title:
            entries.append(Cleaning.of("mojibake", "fixed", title, "title"))
        title = fixed_title
    return doc.evolve(*entries, text=fixed, title=title)


def _first_difference(before: str, after: str, context: int = 40) -> str:
    start = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), 0)
    begin = max(0, start - context // 2)
    return before[begin : begin + context]
