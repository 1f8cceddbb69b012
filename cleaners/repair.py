"""Bytes to text (BOM, declared charset, detection) and ftfy repair that does not restyle."""

from __future__ import annotations

import codecs
import re
import re._compiler as regex_compiler  # to compile a part of ftfy's parsed heuristic
import re._constants as sre  # the stdlib's own opcodes, to read ftfy's parsed heuristic
import re._parser as regex_parser
import unicodedata
from functools import lru_cache
from typing import Any

import charset_normalizer
import ftfy
from ftfy.badness import BADNESS_RE

from cleaners.document import Cleaning, Document, RejectedDocument

# Repair broken encodings only: no quote uncurling, no full-width folding (breaks CJK
# punctuation), no Unicode normalisation here: `compose` does it only for text that needs it.
FIX_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    normalization=None,
    explain=False,
)

# Characters that one of FIX_CONFIG's steps changes wherever they stand (C0 and C1 controls,
# carriage returns and other line separators, surrogates, the BOM, deprecated format controls),
# plus those that split lines differently for str.splitlines than for ftfy.
FTFY_TOUCHES = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\r\u2028\u2029\u206a-\u206f\ufeff\ufff9-\ufffc"
    "\ud800-\udfff]"
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
# U+0085 is left to ftfy: in scraped text it is nearly always Windows-1252's "…" read as
# Latin-1 (as U+0092 is its "’"), and ftfy turns it back into one; a line break would cut the
# sentence in two.
LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")
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
    """Fix mojibake in body and title with ftfy, and compose decomposed letters; record each.

    >>> doc = repair_text(Document(text="Le prÃ©sident a parlÃ©."))
    >>> doc.text, [(c.rule, c.action) for c in doc.cleaning]
    ('Le président a parlé.', [('mojibake', 'fixed')])
    >>> repair_text(Document(text="“Quoted” text")).text
    '“Quoted” text'
    >>> doc = repair_text(Document(text="gepru\u0308ft"))  # u + combining diaeresis
    >>> doc.text == "geprüft", [(c.rule, c.action) for c in doc.cleaning]
    (True, [('decomposed-letters', 'fixed')])
    """
    entries: list[Cleaning] = []
    text = normalise_layout(doc.text)
    fixed = fix_text(text)
    if fixed != text:
        entries.append(Cleaning.of("mojibake", "fixed", _first_difference(text, fixed), "text"))
    composed = compose(fixed)
    if composed != fixed:
        entries.append(
            Cleaning.of("decomposed-letters", "fixed", _first_difference(fixed, composed), "text")
        )
    title = doc.title
    if title:
        fixed_title = fix_text(normalise_layout(title))
        if fixed_title != title:
            entries.append(Cleaning.of("mojibake", "fixed", title, "title"))
        composed_title = compose(fixed_title)
        if composed_title != fixed_title:
            entries.append(Cleaning.of("decomposed-letters", "fixed", title, "title"))
        title = composed_title
    if not entries and composed == doc.text and title == doc.title:
        return doc
    return doc.evolve(*entries, text=composed, title=title)


def compose(text: str) -> str:
    """The text in Unicode's composed form (NFC): one code point for a letter with its accent.

    Pages written on some systems spell "ü" as "u" plus a combining diaeresis; the two look the
    same but do not compare equal, so a search, a hash or a duplicate check would tell them
    apart. Composition changes no character's look or meaning (unlike NFKC, which folds
    ligatures and full-width forms); trafilatura's own `extract` returns this form too.

    >>> [len(word) for word in (compose("Zu\u0308rich"), "Zu\u0308rich")]
    [6, 7]
    """
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def fix_text(text: str) -> str:
    """`ftfy.fix_text(text, config=FIX_CONFIG)`, answered at once for text it would not change.

    ftfy fixes each line on its own, and leaves a line alone when its mojibake heuristic finds
    nothing and none of its other steps has a character to act on; most text is like that.
    Checking that per line is cheaper than ftfy's steps, and most texts do not even hold the
    characters the heuristic needs (see _mojibake_requirements), which is cheaper still.

    >>> fix_text("Le prÃ©sident a parlÃ©.\\nZürich “quoted”")
    'Le président a parlé.\\nZürich “quoted”'
    """
    if (
        len(text) <= FIX_CONFIG.max_decode_length
        and not FTFY_TOUCHES.search(text)
        and (
            (check := _mojibake_check(text)) is None
            or not any(map(check.search, text.splitlines(keepends=True)))
        )
    ):
        return text
    return ftfy.fix_text(text, config=FIX_CONFIG)


@lru_cache(maxsize=1)
def _heuristic_alternatives() -> tuple[Any, list[Any]] | None:
    """ftfy's mojibake heuristic, parsed: (parser state, its alternatives); None when it is not
    one alternation of plain character sequences."""
    if BADNESS_RE.flags & (re.IGNORECASE | re.ASCII | re.LOCALE):
        return None
    try:
        parsed = regex_parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    except re.error:
        return None
    items = list(parsed)
    if len(items) != 1 or items[0][0] is not sre.BRANCH:
        return None
    return parsed.state, list(items[0][1][1])


@lru_cache(maxsize=1)
def _mojibake_requirements() -> tuple[tuple[frozenset[str], ...], ...] | None:
    """For each alternative of ftfy's mojibake heuristic, the character classes it needs one
    character of (its single-character positions); None when the heuristic cannot be read so.

    Text holding no character of some class an alternative needs cannot match that
    alternative anywhere; most text can match none of them.
    """
    heuristic = _heuristic_alternatives()
    if heuristic is None:
        return None
    requirements = []
    for branch in heuristic[1]:
        classes = tuple(found for op, arg in branch if (found := _members(op, arg)) is not None)
        if not classes:
            return None
        requirements.append(classes)
    return tuple(requirements)


def _members(op: object, arg: object) -> frozenset[str] | None:
    """The characters a single-character position matches, when it lists them."""
    if op is sre.LITERAL and isinstance(arg, int):
        return frozenset(chr(arg))
    if op is not sre.IN or not isinstance(arg, list):
        return None
    members: set[str] = set()
    for item_op, item in arg:
        if item_op is sre.LITERAL:
            members.add(chr(item))
        elif item_op is sre.RANGE:
            members.update(map(chr, range(item[0], item[1] + 1)))
        else:  # negated classes and categories are not lists of characters
            return None
    return frozenset(members)


def _mojibake_check(text: str) -> re.Pattern[str] | None:
    """What of ftfy's heuristic can match somewhere in the text: None when nothing can, else a
    pattern that finds a match in a line of the text exactly when the heuristic does."""
    requirements = _mojibake_requirements()
    if requirements is None:
        return BADNESS_RE
    present = frozenset(text)
    possible = tuple(
        number
        for number, classes in enumerate(requirements)
        if all(not present.isdisjoint(members) for members in classes)
    )
    if not possible:
        return None
    return _heuristic_part(possible)


@lru_cache(maxsize=64)
def _heuristic_part(alternatives: tuple[int, ...]) -> re.Pattern[str]:
    """ftfy's heuristic with only some of its alternatives: one or two instead of all of them
    to try at each position of a line."""
    heuristic = _heuristic_alternatives()
    if heuristic is None:
        return BADNESS_RE
    state, branches = heuristic
    part = regex_parser.SubPattern(
        state, [(sre.BRANCH, (None, [branches[n] for n in alternatives]))]
    )
    try:
        return regex_compiler.compile(part, BADNESS_RE.flags)
    except (re.error, RecursionError, TypeError, ValueError):
        return BADNESS_RE


def _first_difference(before: str, after: str, context: int = 40) -> str:
    start = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), 0)
    begin = max(0, start - context // 2)
    return before[begin : begin + context]
