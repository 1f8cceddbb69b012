"""Properties of the read-and-decode path over generated input: totality, round trips, counts."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.contract import Rejection, escape_excerpt
from cleaners.document import Document, RejectedDocument
from cleaners.readers import RawDocument, discover, plan_slices, read_slice
from cleaners.repair import decode_bytes, repair_text
from tests.hostile.corpus import UNWRITABLE

# Text as articles hold it: letters, marks, digits, punctuation and spaces of every script.
ARTICLE_TEXT = st.text(
    alphabet=st.characters(whitelist_categories=("L", "M", "N", "P", "Zs")), min_size=1
)
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(st.binary(max_size=4096), st.booleans())
def test_decoding_any_bytes_gives_writable_text_or_a_rejection(data: bytes, is_html: bool) -> None:
    try:
        text, encoding = decode_bytes(data, is_html=is_html)
    except RejectedDocument as error:
        assert error.reason in {"binary", "undecodable"} and error.detail
        return
    assert encoding
    text.encode("utf-8")  # no lone surrogates


@QUICK
@given(ARTICLE_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_text_round_trips_through_every_unicode_encoding(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    if encoding == "utf-8" and data.startswith((b"%PDF", b"GIF8", b"RIFF", b"PK\x03\x04")):
        return  # the magic numbers of binary formats: rejected by design
    assert decode_bytes(data)[0] == text


@QUICK
@given(st.text(max_size=2000))
def test_repair_leaves_nothing_unwritable(text: str) -> None:
    doc = repair_text(Document(text=text, title=text[:50] or None))
    assert not UNWRITABLE.search(doc.text.replace("\t", " "))
    assert doc.title is None or not UNWRITABLE.search(doc.title.replace("\t", " "))


@QUICK
@given(st.binary(max_size=300))
def test_excerpts_are_printable(data: bytes) -> None:
    excerpt = escape_excerpt(data)
    assert all(ch.isprintable() or ch == " " for ch in excerpt)
    excerpt.encode("utf-8")


LINE = st.binary(max_size=80).map(lambda b: b.replace(b"\n", b" "))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=40), st.integers(1, 9), st.booleans(), st.booleans())
def test_every_json_line_becomes_exactly_one_item(
    lines: list[bytes], shard_size: int, compressed: bool, final_newline: bool
) -> None:
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("feed.jsonl.gz" if compressed else "feed.jsonl")
        path.write_bytes(gzip.compress(data) if compressed else data)
        files, rejected = discover([str(path)])
        assert not rejected
        items = [
            item
            for shard in plan_slices(files, shard_size)
            for piece in shard
            for item in read_slice(piece)
        ]
    expected = len(data.split(b"\n")) - (1 if data.endswith(b"\n") or not data else 0)
    assert [i.source for i in items] == [f"{path.name}#L{n}" for n in range(1, expected + 1)]
    for item in items:
        assert isinstance(item, RawDocument | Rejection)
        if isinstance(item, Rejection):
            assert item.reason and item.detail
        else:
            assert isinstance(item.content, str) and item.content.strip()
            item.content.encode("utf-8")
            item.doc_id.encode("utf-8")
