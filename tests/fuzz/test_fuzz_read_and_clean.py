"""A short fuzz run of discover -> read -> clean on mutated and random inputs."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.options import CleanOptions
from tests.hostile.corpus import (
    SCRIPT_STORIES,
    STORY,
    UNWRITABLE,
    clean_paths,
    png_bytes,
    rows_fit_the_contract,
    story_html,
    story_text,
)

SEEDS: list[bytes] = [
    story_text().encode(),
    story_html().encode(),
    story_html().encode("utf-16"),
    story_text(SCRIPT_STORIES["zh"]).encode("gb18030"),
    story_text(SCRIPT_STORIES["ar"]).encode(),
    story_html(SCRIPT_STORIES["he"], direction="rtl").encode("windows-1255"),
    b"\n".join(json.dumps({"id": f"r{i}", "text": "\n".join(STORY)}).encode() for i in range(3)),
    json.dumps({"html": story_html(), "url": "https://example.com/a", "title": "T"}).encode(),
    png_bytes(),
    b"",
]
SUFFIXES = [".txt", ".html", ".htm", ".jsonl", ".ndjson", ".txt.gz", ".html.gz", ".jsonl.gz"]
NASTY = [
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\n",
    b"\r",
    b"<",
    b">",
    b"&",
    b'"',
    b"{",
    b"}",
    b"\\u",
    b"\xef\xbb\xbf",
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A seed with a few insertions, deletions, flips and truncation; or plain random bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=2000))
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "flip", "repeat"]))
        if action == "insert":
            data[position:position] = draw(st.sampled_from(NASTY))
        elif action == "delete":
            del data[position : position + draw(st.integers(1, 40))]
        elif action == "flip" and position < len(data):
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif action == "repeat":
            data[position:position] = bytes(data[position : position + 30]) * draw(
                st.integers(1, 50)
            )
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@st.composite
def input_file(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from(SUFFIXES))
    stem = draw(
        st.text(alphabet=st.characters(blacklist_characters="/\x00"), min_size=1, max_size=12)
    )
    data = draw(mutated())
    if suffix.endswith(".gz"):
        data = gzip.compress(data)
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]
    return "f-" + stem.replace(".", "_") + suffix, data


FUZZ_OPTIONS = CleanOptions(max_input_bytes=200_000)


@pytest.mark.timeout(240)
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(input_file(), min_size=1, max_size=4), st.integers(1, 4))
def test_fuzzed_inputs_never_crash_and_every_document_is_accounted_for(
    files: list[tuple[str, bytes]], shard_size: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "in"
        root.mkdir()
        written = set()
        for name, data in files:
            try:
                (root / name).write_bytes(data)
            except (OSError, UnicodeEncodeError):
                continue  # a name the file system refuses, or one no file name can encode
            written.add(name)
        outcome = clean_paths([str(root)], FUZZ_OPTIONS, shard_size=shard_size)
    assert not outcome.duplicates
    assert outcome.read == len(outcome.documents) + len(outcome.rejections)
    for doc in outcome.documents.values():
        assert doc.text.strip() and not UNWRITABLE.search(doc.text)
        assert doc.word_count > 0 and doc.content_hash
    for rejection in outcome.rejections.values():
        assert rejection.reason and rejection.detail
    rows_fit_the_contract(outcome)
