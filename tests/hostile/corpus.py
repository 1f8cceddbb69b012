"""Hostile and broken inputs, generated at test time, each with the outcome it must have."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cleaners.contract import Rejection, article_row, articles_table, rejected_table
from cleaners.document import Document
from cleaners.options import CleanOptions
from cleaners.readers import discover, plan_slices
from cleaners.shard import clean_documents

# A short wire story of our own: enough prose to survive extraction and the word minimum.
STORY = [
    "The city council opened the new northern tram line on Saturday after four years of work.",
    "About twelve thousand passengers are expected to use the line each day, the operator said.",
    "Residents of the outer districts had waited decades for a direct link to the centre.",
]

# The same kind of story in scripts that no residue rule is written for; every paragraph must
# come out of the pipeline exactly as it went in.
SCRIPT_STORIES: dict[str, list[str]] = {
    "zh": [
        "市议会周六开通了北部新电车线路，这项工程历时四年才完成。",
        "运营方表示，预计每天将有大约一万二千名乘客使用这条线路。",
        "外围城区的居民等待一条直达市中心的线路已经等了几十年。",
    ],
    "ja": [
        "市議会は土曜日、四年間の工事を経て北部の新しい路面電車の路線を開業した。",
        "運営会社によると、この路線は一日におよそ一万二千人の乗客が利用する見込みだという。",
        "郊外の住民は、市の中心部へ直接つながる路線を何十年も待ち続けてきた。",
    ],
    "ar": [
        "افتتح مجلس المدينة يوم السبت خط الترام الشمالي الجديد بعد أربع سنوات من العمل.",
        "وقالت الشركة المشغلة إنه من المتوقع أن يستخدم نحو اثني عشر ألف راكب الخط كل يوم.",
        "وانتظر سكان الأحياء الخارجية عقودا طويلة للحصول على رابط مباشر مع وسط المدينة.",
    ],
    "he": [
        "מועצת העיר פתחה ביום שבת את קו הרכבת הקלה הצפוני החדש לאחר ארבע שנות עבודה.",
        "לדברי החברה המפעילה, כשנים עשר אלף נוסעים צפויים להשתמש בקו מדי יום.",
        "תושבי השכונות המרוחקות חיכו עשרות שנים לקו ישיר אל מרכז העיר.",
    ],
    "hi": [
        "नगर परिषद ने चार साल के काम के बाद शनिवार को उत्तरी ट्राम की नई लाइन शुरू की।",
        "संचालक ने कहा कि हर दिन लगभग बारह हज़ार यात्रियों के इस लाइन का उपयोग करने की उम्मीद है।",
        "बाहरी इलाकों के निवासी दशकों से शहर के केंद्र तक सीधी लाइन का इंतज़ार कर रहे थे।",
    ],
}
# Legacy single- and double-byte encodings each script was commonly published in.
LEGACY_ENCODINGS = {"zh": "gb18030", "ja": "shift_jis", "ar": "windows-1256", "he": "windows-1255"}


@dataclass(frozen=True)
class Expect:
    """What must become of one input: cleaned (with checks on the text) or rejected (reasons)."""

    outcome: str  # "cleaned", "rejected" or "either"
    reasons: frozenset[str] = frozenset()
    language: str | None = None
    keep: tuple[str, ...] = ()  # paragraphs that must appear verbatim in the clean text
    absent: tuple[str, ...] = ()  # strings that must not appear in the clean text
    kind: str = ""  # the family of bad input, for the reliability table


def cleaned(kind: str, **checks: object) -> Expect:
    return Expect("cleaned", kind=kind, **checks)  # type: ignore[arg-type]


def rejected(kind: str, *reasons: str) -> Expect:
    return Expect("rejected", frozenset(reasons), kind=kind)


def either(kind: str, *reasons: str, **checks: object) -> Expect:
    return Expect("either", frozenset(reasons), kind=kind, **checks)  # type: ignore[arg-type]


@dataclass
class Corpus:
    """Inputs written under `root`, and what must become of each, keyed by `source`."""

    root: Path
    expected: dict[str, Expect] = field(default_factory=dict)
    # Files whose number of documents is not known in advance (a gzip stream that breaks off):
    # every source under the prefix must meet the expectation, and at least one must exist.
    families: dict[str, Expect] = field(default_factory=dict)

    def add(self, relative: str, data: bytes, expect: Expect) -> Path:
        path = self.write(relative, data)
        self.expected[self.source(relative)] = expect
        return path

    def add_lines(self, relative: str, lines: list[tuple[bytes, Expect]]) -> Path:
        """A JSON-lines file: each line is one document with its own expectation."""
        path = self.write(relative, b"\n".join(line for line, _ in lines) + b"\n")
        for number, (_, expect) in enumerate(lines, start=1):
            self.expected[f"{self.source(relative)}#L{number}"] = expect
        return path

    def write(self, relative: str, data: bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def source(self, relative: str) -> str:
        return relative


def story_text(paragraphs: list[str] = STORY, title: str = "Tram line opens") -> str:
    return title + "\n" + "\n".join(paragraphs) + "\n"


def story_html(
    paragraphs: list[str] = STORY,
    title: str = "Tram line opens",
    head: str = "",
    lang: str = "en",
    direction: str = "ltr",
) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}" dir="{direction}"><head><title>{title}</title>'
        f"{head}</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def slow_page(paragraphs: int = 30_000) -> str:
    """A page under the size caps that takes seconds to clean: many short paragraphs.

    Extraction grows faster than the page: 30,000 paragraphs (2.5 MB) take about 8 s, twice
    as many about 18 s.
    """
    body = "".join(f"<p>{STORY[i % len(STORY)]} {i}</p>" for i in range(paragraphs))
    return story_html().replace("</article>", body + "</article>")


def png_bytes() -> bytes:
    """A real, minimal PNG: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return len(data).to_bytes(4, "big") + kind + data + crc.to_bytes(4, "big")

    header = (16).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"".join(b"\x00" + bytes(range(48)) for _ in range(16)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    stream = b"BT /F1 12 Tf 72 720 Td (The city council opened the tram line.) Tj ET"
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"4 0 obj << /Length "
        + str(len(stream)).encode()
        + b" >> stream\n"
        + stream
        + b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def write_empty_and_binary(corpus: Corpus) -> None:
    rng = random.Random(20261123)
    corpus.add("empty/zero-bytes.txt", b"", rejected("empty file", "empty"))
    corpus.add("empty/zero-bytes.html", b"", rejected("empty file", "empty"))
    corpus.add("empty/whitespace.txt", b" \n\t\r\n  \n", rejected("empty file", "empty"))
    corpus.add("empty/bom-only.txt", b"\xef\xbb\xbf", rejected("empty file", "empty", "no-text"))
    corpus.add(
        "empty/markup-only.html", b"<html><body></body></html>", rejected("empty file", "no-text")
    )
    corpus.add("empty/zero-bytes.txt.gz", gzip.compress(b""), rejected("empty file", "empty"))
    binary = rejected("binary", "binary", "undecodable")
    corpus.add("binary/image.html", png_bytes(), binary)
    corpus.add("binary/image.txt", png_bytes(), binary)
    corpus.add("binary/document.txt", pdf_bytes(), binary)
    corpus.add("binary/document.html", pdf_bytes(), binary)
    corpus.add(
        "binary/photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rng.randbytes(4000), binary
    )
    corpus.add("binary/archive.txt", b"PK\x03\x04" + rng.randbytes(2000), binary)
    corpus.add("binary/program.html", b"\x7fELF\x02\x01\x01" + bytes(4000), binary)
    corpus.add("binary/double.txt.gz", gzip.compress(gzip.compress(b"x" * 5000)), binary)
    corpus.add("binary/random.txt", rng.randbytes(20000), binary)
    corpus.add("binary/random.html", rng.randbytes(20000), binary)
    no_nul = bytes(rng.randrange(1, 256) for _ in range(20000))
    corpus.add("binary/random-without-nul.txt", no_nul, binary)
    corpus.add("binary/nul-heavy.txt", b"\x00" * 5000 + story_text().encode(), binary)


def write_encodings(corpus: Corpus) -> None:
    text = story_text()
    keep = tuple(STORY)
    ok = cleaned("encoding", keep=keep, language="en")
    corpus.add("enc/utf8.txt", text.encode(), ok)
    corpus.add("enc/utf8-bom.txt", b"\xef\xbb\xbf" + text.encode(), ok)
    corpus.add("enc/utf16-le-bom.txt", text.encode("utf-16"), ok)
    corpus.add("enc/utf16-be-bom.txt", b"\xfe\xff" + text.encode("utf-16-be"), ok)
    corpus.add("enc/utf16-le-no-bom.txt", text.encode("utf-16-le"), ok)
    corpus.add("enc/utf16-be-no-bom.txt", text.encode("utf-16-be"), ok)
    corpus.add("enc/utf32-bom.txt", text.encode("utf-32"), ok)
    corpus.add("enc/utf16-le-bom.html", story_html().encode("utf-16"), ok)
    corpus.add("enc/crlf.txt", text.replace("\n", "\r\n").encode(), ok)
    corpus.add("enc/cr-only.txt", text.replace("\n", "\r").encode(), ok)
    accented = [p.replace("opened", "opened (inauguré)") for p in STORY]
    corpus.add(
        "enc/cp1252.txt",
        story_text(accented).encode("cp1252"),
        cleaned("encoding", keep=tuple(accented), language="en"),
    )
    corpus.add(
        "enc/latin1-declared.html",
        story_html(accented, head='<meta charset="iso-8859-1">').encode("latin-1"),
        cleaned("encoding", keep=tuple(accented), language="en"),
    )
    corpus.add(
        "enc/utf16-declared-but-latin1.html",
        story_html(accented, head='<meta charset="utf-16">').encode("latin-1"),
        cleaned("encoding", keep=tuple(accented), language="en"),
    )
    # Invalid UTF-8 among good text: the good words must survive, nothing undecodable remains.
    broken = [
        b"\xe4\xb8",  # a truncated three-byte sequence
        b"\xc0\xaf",  # an overlong slash
        b"\xed\xa0\x80",  # an encoded surrogate
        b"\xf5\xff\xfe",  # bytes that never occur in UTF-8
        b"\x80\x80",  # lone continuation bytes
    ]
    for index, junk in enumerate(broken):
        data = (STORY[0] + " ").encode() + junk + (" " + STORY[1] + "\n" + STORY[2]).encode()
        corpus.add(
            f"enc/invalid-utf8-{index}.txt",
            data,
            either("invalid UTF-8", "undecodable", keep=(STORY[2],), language="en"),
        )
    mixed = (
        ("Grüße aus Zürich: " + STORY[0] + "\n").encode()
        + ("Très bientôt: " + STORY[1] + "\n").encode("cp1252")
        + STORY[2].encode()
    )
    corpus.add("enc/mixed-utf8-cp1252.txt", mixed, cleaned("mixed encodings", keep=(STORY[2],)))
    mojibake = story_text(accented).encode("utf-8").decode("cp1252").encode("utf-8")
    corpus.add("enc/double-encoded.txt", mojibake, cleaned("mixed encodings", keep=(accented[1],)))
    few_nuls = (STORY[0].replace(" ", " \x00", 2) + "\n" + "\n".join(STORY[1:])).encode()
    corpus.add(
        "enc/stray-nuls.txt",
        few_nuls,
        cleaned("NUL bytes", keep=tuple(STORY[1:]), absent=("\x00",)),
    )
    controls = (STORY[0] + "\x1b[31m\x07\x08" + "\n" + "\n".join(STORY[1:])).encode()
    corpus.add(
        "enc/control-chars.txt",
        controls,
        cleaned("NUL bytes", keep=tuple(STORY[1:]), absent=("\x07",)),
    )


def write_scripts(corpus: Corpus) -> None:
    for language, paragraphs in SCRIPT_STORIES.items():
        expect = cleaned("script without rules", language=language, keep=tuple(paragraphs))
        title = paragraphs[0][:12]
        direction = "rtl" if language in {"ar", "he"} else "ltr"
        corpus.add(f"scripts/{language}.txt", story_text(paragraphs, title).encode(), expect)
        html = story_html(paragraphs, title, lang=language, direction=direction)
        corpus.add(f"scripts/{language}.html", html.encode(), expect)
        corpus.add(
            f"scripts/{language}-utf16.txt", story_text(paragraphs, title).encode("utf-16"), expect
        )
        if language in LEGACY_ENCODINGS:
            encoding = LEGACY_ENCODINGS[language]
            declared = story_html(
                paragraphs,
                title,
                head=f'<meta charset="{encoding}">',
                lang=language,
                direction=direction,
            )
            corpus.add(f"scripts/{language}-{encoding}.html", declared.encode(encoding), expect)
        record = {"id": f"script-{language}", "title": title, "text": "\n".join(paragraphs)}
        line = json.dumps(record, ensure_ascii=False).encode()
        corpus.add_lines(f"scripts/{language}.jsonl", [(line, expect)])


def write_json_lines(corpus: Corpus) -> None:
    """One feed holding every kind of broken, mistyped, incomplete or overfull record."""
    good = "\n".join(STORY)
    lines: list[tuple[bytes, Expect]] = [
        (
            json.dumps({"id": "ok-1", "text": good}).encode(),
            cleaned("JSON lines", keep=tuple(STORY)),
        ),
        (
            json.dumps(
                {"id": "extra", "text": good, "lang": "xx", "site": "../..", "n": [1, 2]}
            ).encode(),
            cleaned("JSON lines", keep=tuple(STORY)),
        ),
        (b'{"id": "cut", "text": "The council', rejected("JSON lines", "bad-json")),
        (b"{'id': 'single-quotes'}", rejected("JSON lines", "bad-json")),
        (b'{"id": "trailing", "text": "x",}', rejected("JSON lines", "bad-json")),
        (b"[1, 2, 3]", rejected("JSON lines", "bad-record")),
        (b'"just a string"', rejected("JSON lines", "bad-record")),
        (b"null", rejected("JSON lines", "bad-record")),
        (b"42", rejected("JSON lines", "bad-record")),
        (b"NaN", rejected("JSON lines", "bad-record")),
        (b"[" * 100_000 + b"]" * 100_000, rejected("JSON lines", "bad-json")),
        (
            b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
            rejected("JSON lines", "bad-record", "bad-json"),
        ),
        (b'{"id": ' + b"9" * 5000 + b', "text": "x"}', rejected("JSON lines", "bad-json")),
        (json.dumps({"id": "no-body"}).encode(), rejected("JSON lines", "bad-record")),
        (
            json.dumps({"id": "null-body", "text": None}).encode(),
            rejected("JSON lines", "bad-record"),
        ),
        (json.dumps({"id": "int-body", "text": 42}).encode(), rejected("JSON lines", "bad-record")),
        (
            json.dumps({"id": "list-html", "html": ["<p>"]}).encode(),
            rejected("JSON lines", "bad-record"),
        ),
        (json.dumps({"id": "empty-body", "text": "  "}).encode(), rejected("JSON lines", "empty")),
        (json.dumps({"id": [1], "text": good}).encode(), rejected("JSON lines", "bad-record")),
        (json.dumps({"id": {"a": 1}, "text": good}).encode(), rejected("JSON lines", "bad-record")),
        (json.dumps({"id": 1.5, "text": good}).encode(), rejected("JSON lines", "bad-record")),
        (json.dumps({"id": True, "text": good}).encode(), rejected("JSON lines", "bad-record")),
        (json.dumps({"id": 7, "text": good}).encode(), cleaned("JSON lines", keep=tuple(STORY))),
        (json.dumps({"text": good, "url": 5}).encode(), rejected("JSON lines", "bad-record")),
        (
            json.dumps({"text": good, "title": {"t": 1}}).encode(),
            rejected("JSON lines", "bad-record"),
        ),
        (
            json.dumps({"text": good, "fetched_at": 1720000000}).encode(),
            rejected("JSON lines", "bad-record"),
        ),
        (
            json.dumps({"text": good, "fetched_at": "last week"}).encode(),
            rejected("JSON lines", "bad-record"),
        ),
        (
            json.dumps({"text": good, "fetched_at": "0001-01-01T00:00:00+14:00"}).encode(),
            rejected("JSON lines", "bad-record"),
        ),
        (
            json.dumps({"text": good, "fetched_at": "9999-12-31T23:59:59-12:00"}).encode(),
            rejected("JSON lines", "bad-record"),
        ),
        (b'{"id": "bad-bytes", "text": "caf\xe9 \xff\xfe"}', rejected("JSON lines", "bad-json")),
        (
            b'{"id": "lone-\\ud800", "title": "t\\udfff", "url": "https://example.com/\\udc80",'
            b' "text": "' + good.encode().replace(b"\n", b"\\n") + b' \\ud800"}',
            cleaned("JSON lines", keep=(STORY[0],)),
        ),
        (b"", rejected("JSON lines", "empty")),
        (b"   \t ", rejected("JSON lines", "empty")),
        (
            json.dumps({"id": "nul", "text": good + "\u0000\u0000"}).encode(),
            cleaned("JSON lines", keep=(STORY[0],), absent=("\x00",)),
        ),
        (
            json.dumps({"id": "../../etc/x", "url": "file:///etc/passwd", "text": good}).encode(),
            cleaned("JSON lines", keep=tuple(STORY)),
        ),
        (
            json.dumps({"id": "crlf", "text": good}).encode() + b"\r",
            cleaned("JSON lines", keep=tuple(STORY)),
        ),
    ]
    corpus.add_lines("jsonl/feed.jsonl", lines)
    # A feed written as UTF-16: its line breaks are not b"\n" bytes a reader can trust.
    utf16 = (json.dumps({"id": "u16", "text": good}) + "\n").encode("utf-16")
    corpus.write("jsonl/utf16.jsonl", utf16)
    corpus.families[corpus.source("jsonl/utf16.jsonl#")] = rejected(
        "JSON lines", "bad-json", "empty"
    )
    # Truncated gzip: the lines before the break are read, the break becomes one rejection.
    records = b"".join(
        json.dumps({"id": f"gz-{i}", "text": good}).encode() + b"\n" for i in range(400)
    )
    full = gzip.compress(records)
    corpus.write("jsonl/cut.jsonl.gz", full[: len(full) // 2])
    corpus.families[corpus.source("jsonl/cut.jsonl.gz#")] = either(
        "truncated gzip", "unreadable", keep=tuple(STORY)
    )
    corpus.write("jsonl/cut.txt.gz", gzip.compress(story_text().encode() * 50)[:200])
    corpus.expected[corpus.source("jsonl/cut.txt.gz")] = rejected("truncated gzip", "unreadable")


def write_pages(corpus: Corpus) -> None:
    """Pages that attack the parser: deep nesting, entity expansion, hostile markup."""
    story = "".join(f"<p>{p}</p>" for p in STORY)
    deep = "<html><body>" + "<div>" * 100_000 + story + "</div>" * 100_000 + "</body></html>"
    corpus.add(
        "pages/nested-100k.html", deep.encode(), either("deep nesting", "no-text", "extract-failed")
    )
    unclosed = "<html><body>" + "<span><b><i>" * 40_000 + story
    corpus.add(
        "pages/unclosed-120k.html",
        unclosed.encode(),
        either("deep nesting", "no-text", "extract-failed"),
    )
    entities = "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "lol") * 10}">' for i in range(1, 10)
    )
    laughs = (
        f'<?xml version="1.0"?><!DOCTYPE html [{entities}]>'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><article>'
        + story
        + "<p>&lol9;</p></article></body></html>"
    )
    laughs_expect = either("entity expansion", "no-text", "extract-failed", absent=("lollollol",))
    corpus.add("pages/billion-laughs.html", laughs.encode(), laughs_expect)
    corpus.add("pages/billion-laughs.htm.gz", gzip.compress(laughs.encode()), laughs_expect)
    external = (
        '<!DOCTYPE html [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        "<html><body><article>" + story + "<p>&ext;</p></article></body></html>"
    )
    corpus.add(
        "pages/external-entity.html",
        external.encode(),
        either("entity expansion", "no-text", absent=("root:",)),
    )
    script = (
        "<html><head><script>document.write('INJECTED-BY-SCRIPT');"
        "fetch('http://127.0.0.1:9/')</script></head><body onload=\"alert('ONLOAD')\">"
        "<article>" + story + "<script>var x = 'SCRIPT-BODY';</script>"
        "<noscript>NOSCRIPT-TEXT</noscript><style>p{color:red}</style></article></body></html>"
    )
    corpus.add(
        "pages/scripts.html",
        script.encode(),
        cleaned(
            "hostile markup",
            keep=tuple(STORY),
            absent=("INJECTED-BY-SCRIPT", "SCRIPT-BODY", "alert("),
        ),
    )
    corpus.add("pages/not-html.html", story_text().encode(), either("hostile markup", "no-text"))
    corpus.add(
        "pages/comment-only.html",
        b"<!--" + b"x" * 100_000,
        rejected("hostile markup", "hostile-markup", "no-text", "extract-failed"),
    )
    corpus.add(
        "pages/unterminated-tag.html",
        ("<p " + "a=" * 50_000).encode(),
        rejected("hostile markup", "hostile-markup", "no-text", "extract-failed"),
    )


def write_filesystem(corpus: Corpus) -> None:
    """Links, pipes, devices, folders named like files, and odd file names."""
    root = corpus.root / "fs"
    root.mkdir(parents=True, exist_ok=True)
    text = story_text().encode()
    ok = cleaned("file names", keep=tuple(STORY))
    os.symlink(root, root / "loop-to-self")
    os.symlink("loop-b.txt", root / "loop-a.txt")
    os.symlink("loop-a.txt", root / "loop-b.txt")
    corpus.expected[corpus.source("fs/loop-a.txt")] = rejected("symlink loop", "unreadable")
    corpus.expected[corpus.source("fs/loop-b.txt")] = rejected("symlink loop", "unreadable")
    os.symlink("nowhere.txt", root / "dangling.txt")
    corpus.expected[corpus.source("fs/dangling.txt")] = rejected("unreadable file", "unreadable")
    os.mkfifo(root / "pipe.txt")
    corpus.expected[corpus.source("fs/pipe.txt")] = rejected("unreadable file", "not-a-file")
    os.symlink("/dev/zero", root / "zeros.jsonl")
    corpus.expected[corpus.source("fs/zeros.jsonl")] = rejected("unreadable file", "not-a-file")
    os.symlink("/dev/urandom", root / "noise.txt")
    corpus.expected[corpus.source("fs/noise.txt")] = rejected("unreadable file", "not-a-file")
    (root / "folder.txt").mkdir()
    corpus.add("fs/folder.txt/inside.txt", text, ok)
    for name in [
        "new\nline.txt",
        "tab\there.txt",
        "escape\x1b[31m.txt",
        " leading space.txt",
        "-dash.txt",
        "a..b.txt",
        "quote'\"`$(x).txt",
        "ünïcödé ファイル.txt",
        "emoji \U0001f4f0.txt",
        "back\\slash.txt",
        "x" * 240 + ".txt",
    ]:
        path = root / name
        path.write_bytes(text)
        relative = "fs/" + name
        shown = "".join(
            ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
            for ch in relative
        )
        corpus.expected[shown] = ok
    raw_name = os.fsencode(root) + b"/caf\xe9-latin1.txt"
    with open(raw_name, "wb") as handle:
        handle.write(text)
    corpus.expected["fs/caf\\xe9-latin1.txt"] = rejected("file names", "bad-file-name")


def write_mixed(root: Path) -> Corpus:
    """Every small family of bad input, under one folder."""
    corpus = Corpus(root)
    root.mkdir(parents=True, exist_ok=True)
    write_empty_and_binary(corpus)
    write_encodings(corpus)
    write_scripts(corpus)
    write_json_lines(corpus)
    write_pages(corpus)
    write_filesystem(corpus)
    return corpus


def write_large(root: Path) -> Corpus:
    """The inputs that cost time to make: sizes at and over the cap, and compression bombs."""
    corpus = Corpus(root)
    root.mkdir(parents=True, exist_ok=True)
    paragraph = "<p>" + " ".join(STORY) + "</p>\n"
    page = (
        "<html><body><article>"
        + paragraph * (50_000_000 // len(paragraph))
        + "</article></body></html>"
    )
    corpus.add("page-50mb.html", page.encode(), rejected("size", "too-large"))
    corpus.add("line-20mb.txt", b"tram " * (21 * 1024 * 1024 // 5), rejected("size", "too-large"))
    big_record = b'{"id": "long", "text": "' + b"tram " * (21 * 1024 * 1024 // 5) + b'"}'
    after = json.dumps({"id": "after", "text": "\n".join(STORY)}).encode()
    corpus.add_lines(
        "line-20mb.jsonl",
        [(big_record, rejected("size", "too-large")), (after, cleaned("size", keep=tuple(STORY)))],
    )
    bomb = rejected("gzip bomb", "too-large")
    corpus.add("bomb.txt.gz", gzip_bomb(b"\x00"), bomb)
    corpus.add("bomb.html.gz", gzip_bomb(b"<div>"), bomb)
    corpus.write("bomb.jsonl.gz", gzip_bomb(b"\n"))
    corpus.expected[corpus.source("bomb.jsonl.gz#L1")] = bomb
    # A bomb behind an honest start: the first records are read, the rest is refused at once.
    honest = b"".join(
        json.dumps({"id": f"before-{i}", "text": "\n".join(STORY)}).encode() + b"\n"
        for i in range(3)
    )
    corpus.write("late-bomb.jsonl.gz", gzip.compress(honest) + gzip_bomb(b"\n"))
    corpus.families[corpus.source("late-bomb.jsonl.gz#")] = either(
        "gzip bomb", "too-large", keep=tuple(STORY)
    )
    return corpus


def gzip_bomb(unit: bytes, expanded: int = 1 << 30) -> bytes:
    """A gzip file of `expanded` bytes of `unit` repeated: one member, copied, as gzip allows."""
    member = gzip.compress(unit * ((8 << 20) // len(unit)), 9)
    return member * (expanded // (8 << 20))


@dataclass
class Outcome:
    """What the library made of some inputs: documents and rejections, keyed by source."""

    read: int
    documents: dict[str, Document]
    rejections: dict[str, Rejection]
    duplicates: list[str]


def clean_paths(paths: list[str], options: CleanOptions, shard_size: int = 50) -> Outcome:
    """discover -> plan_slices -> clean_documents, as a flow's tasks would run them."""
    files, discovered = discover(paths)
    docs: list[Document] = []
    rejections: list[Rejection] = list(discovered)
    read = len(discovered)
    for shard in plan_slices(files, shard_size):
        shard_docs, shard_rejections, shard_read = clean_documents(shard, options)
        docs += shard_docs
        rejections += shard_rejections
        read += shard_read
    sources = [d.source for d in docs] + [r.source for r in rejections]
    duplicates = sorted({s for s in sources if sources.count(s) > 1})
    return Outcome(
        read,
        {d.source: d for d in docs},
        {r.source: r for r in rejections},
        duplicates,
    )


def check_outcome(outcome: Outcome, corpus: Corpus) -> list[str]:
    """Every way the outcome breaks the corpus's expectations, as readable lines."""
    problems: list[str] = []
    if outcome.duplicates:
        problems.append(f"sources that ended as more than one row: {outcome.duplicates}")
    total = len(outcome.documents) + len(outcome.rejections)
    if outcome.read != total:
        problems.append(f"read {outcome.read} != written {len(outcome.documents)} + rejected ...")
    seen_families: set[str] = set()
    for source in sorted({*outcome.documents, *outcome.rejections}):
        expect = corpus.expected.get(source)
        if expect is None:
            family = next((p for p in corpus.families if source.startswith(p)), None)
            if family is None:
                problems.append(f"{source!r}: not expected at all")
                continue
            seen_families.add(family)
            expect = corpus.families[family]
        problems += _check_one(source, expect, outcome)
    for source in corpus.expected:
        if source not in outcome.documents and source not in outcome.rejections:
            problems.append(f"{source!r}: lost (neither written nor rejected)")
    for family in corpus.families:
        if family not in seen_families:
            problems.append(f"{family!r}: no document of this file came out")
    return problems


def _check_one(source: str, expect: Expect, outcome: Outcome) -> list[str]:
    doc, rejection = outcome.documents.get(source), outcome.rejections.get(source)
    if rejection is not None:
        if expect.outcome == "cleaned":
            return [f"{source!r}: rejected ({rejection.reason}: {rejection.detail}), not cleaned"]
        if expect.reasons and rejection.reason not in expect.reasons:
            return [f"{source!r}: rejected as {rejection.reason!r}, expected {set(expect.reasons)}"]
        if not rejection.detail.strip():
            return [f"{source!r}: rejected without a detail"]
        return []
    assert doc is not None
    if expect.outcome == "rejected":
        return [f"{source!r}: cleaned into {doc.text[:80]!r}, expected {set(expect.reasons)}"]
    problems = []
    for paragraph in expect.keep:
        if paragraph not in doc.text:
            problems.append(f"{source!r}: lost or mangled {paragraph[:40]!r}: {doc.text[:200]!r}")
    for text in expect.absent:
        if text in doc.text:
            problems.append(f"{source!r}: still holds {text!r}")
    if expect.language and doc.language != expect.language:
        problems.append(f"{source!r}: language {doc.language!r}, expected {expect.language!r}")
    if not doc.text.strip() or UNWRITABLE.search(doc.text):
        problems.append(f"{source!r}: empty text or characters UTF-8 cannot hold")
    return problems


# What a clean text may never contain: lone surrogates, NUL and other C0 controls.
UNWRITABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f]")


def rows_fit_the_contract(outcome: Outcome, run_id: str = "test-run") -> None:
    """Raises unless every document and rejection converts to the Parquet contract's tables."""
    rows = []
    for doc in outcome.documents.values():
        row = article_row(doc)
        row["run_id"] = run_id
        rows.append(row)
    articles = articles_table(rows)
    rejected = rejected_table(r.row(run_id) for r in outcome.rejections.values())
    sink = pa.BufferOutputStream()
    pq.write_table(articles, sink)
    pq.write_table(rejected, pa.BufferOutputStream())


def reliability_table(corpora: list[tuple[Corpus, Outcome]]) -> str:
    """A markdown table: per kind of bad input, how many were tried and what became of them."""
    from collections import Counter, defaultdict

    tried: Counter[str] = Counter()
    cleaned_count: Counter[str] = Counter()
    reasons: defaultdict[str, Counter[str]] = defaultdict(Counter)
    failed: Counter[str] = Counter()
    for corpus, outcome in corpora:
        problems = check_outcome(outcome, corpus)
        for source in sorted({*outcome.documents, *outcome.rejections}):
            expect = corpus.expected.get(source) or next(
                (e for p, e in corpus.families.items() if source.startswith(p)), None
            )
            kind = expect.kind if expect else "(unexpected)"
            tried[kind] += 1
            if source in outcome.documents:
                cleaned_count[kind] += 1
            else:
                reasons[kind][outcome.rejections[source].reason] += 1
            if any(p.startswith(repr(source)) for p in problems):
                failed[kind] += 1
    lines = [
        "| kind of input | documents | cleaned | rejected (reason: count) | as expected |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for kind in tried:
        rejected_text = ", ".join(f"{r}: {n}" for r, n in reasons[kind].most_common()) or "-"
        verdict = "yes" if not failed[kind] else f"NO ({failed[kind]})"
        lines.append(
            f"| {kind} | {tried[kind]} | {cleaned_count[kind]} | {rejected_text} | {verdict} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    import sys
    import tempfile
    import time

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        options = CleanOptions()
        mixed = write_mixed(Path(folder) / "inputs")
        large = write_large(Path(folder) / "big")
        results = [(c, clean_paths([str(c.root)], options)) for c in (mixed, large)]
    print(reliability_table(results))
    print(f"\n{sum(o.read for _, o in results)} documents in {time.perf_counter() - started:.1f} s")
    sys.exit(0)
