import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest

from cleaners.contract import Rejection
from cleaners.options import CleanOptions
from cleaners.readers import (
    RawDocument,
    derived_id,
    discover,
    file_format,
    may_hold_html,
    parse_timestamp,
    plan_slices,
    read_slice,
)


def read_all(
    paths: list[str], shard_size: int = 100, **options: Any
) -> list[RawDocument | Rejection]:
    files, rejected = discover(paths)
    out: list[RawDocument | Rejection] = list(rejected)
    for shard in plan_slices(files, shard_size):
        for item in shard:
            out.extend(read_slice(item, CleanOptions(**options)))
    return out


def test_discovers_folders_recursively_in_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.html").write_text("<p>x</p>")
    (tmp_path / "one.txt").write_text("x")
    (tmp_path / "notes.md").write_text("ignored: not an input format")
    files, rejected = discover([str(tmp_path)])
    assert [f.source for f in files] == ["one.txt", "b/two.html"]
    assert rejected == []


def test_missing_and_unsupported_arguments_are_rejected_not_lost(tmp_path: Path) -> None:
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4")
    files, rejected = discover([str(tmp_path / "nope"), str(tmp_path / "doc.pdf")])
    assert files == []
    assert [r.reason for r in rejected] == ["missing-input", "unsupported-format"]


def test_symlink_loop_does_not_trap_discovery(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("text")
    os.symlink(tmp_path, tmp_path / "loop")
    files, _ = discover([str(tmp_path)])
    assert [f.source for f in files] == ["a.txt"]


def test_text_html_and_gzip_files_become_raw_documents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\nBody text here.")
    with gzip.open(tmp_path / "b.html.gz", "wb") as handle:
        handle.write(b"<html><body><p>Hello</p></body></html>")
    docs = read_all([str(tmp_path)])
    assert all(isinstance(d, RawDocument) for d in docs)
    kinds = {d.source: d.kind for d in docs if isinstance(d, RawDocument)}
    assert kinds == {"a.txt": "text", "b.html.gz": "html"}


def test_json_lines_records_keep_their_ids_and_fields(tmp_path: Path) -> None:
    lines = [
        {
            "id": "r1",
            "text": "Some text",
            "url": "https://ex.com/a",
            "fetched_at": "2024-07-08T10:00:00Z",
        },
        {"html": "<p>Hi</p>", "title": "T"},
        {"id": 7, "text": "int ids are fine"},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    docs = read_all([str(path)])
    assert [d.doc_id for d in docs] == ["r1", derived_id("feed.jsonl#L2"), "7"]
    first = docs[0]
    assert isinstance(first, RawDocument)
    assert first.url == "https://ex.com/a" and first.fetched_at is not None
    assert [d.source for d in docs] == ["feed.jsonl#L1", "feed.jsonl#L2", "feed.jsonl#L3"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"{not json", "bad-json"),
        (b"[1, 2]", "bad-record"),
        (b'{"id": "x"}', "bad-record"),
        (b'{"text": 5}', "bad-record"),
        (b'{"text": "ok", "url": 3}', "bad-record"),
        (b'{"text": "ok", "fetched_at": "yesterday"}', "bad-record"),
        (b'{"text": "ok", "id": true}', "bad-record"),
        (b'{"text": "   "}', "empty"),
        (b"\xff\xfe broken utf-8", "bad-json"),
    ],
)
def test_broken_json_lines_become_rejections_with_reasons(
    tmp_path: Path, line: bytes, reason: str
) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"text": "good one"}\n' + line + b"\n")
    docs = read_all([str(path)])
    assert isinstance(docs[0], RawDocument)
    assert isinstance(docs[1], Rejection) and docs[1].reason == reason
    assert docs[1].source == "feed.jsonl#L2" and docs[1].detail


@pytest.mark.parametrize(
    "line",
    [
        b'{"id": "crawl-7", "text": "   "}',
        b'{"id": "crawl-7", "html": 5}',
        b'{"id": " crawl-7 ", "text": "ok", "fetched_at": "yesterday"}',
    ],
)
def test_a_rejected_record_keeps_its_own_id(tmp_path: Path, line: bytes) -> None:
    # As its article row would: the record is found in rejected/ under the id its crawler gave.
    path = tmp_path / "feed.jsonl"
    path.write_bytes(line + b"\n" + b'{"id": 8, "text": ""}\n')
    docs = read_all([str(path)])
    assert all(isinstance(d, Rejection) for d in docs)
    assert [d.doc_id for d in docs] == ["crawl-7", "8"]


def test_empty_and_truncated_files_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    full = gzip.compress(b"x" * 10_000)
    (tmp_path / "cut.txt.gz").write_bytes(full[: len(full) // 2])
    reasons = {d.source: d.reason for d in read_all([str(tmp_path)]) if isinstance(d, Rejection)}
    assert reasons == {"empty.txt": "empty", "cut.txt.gz": "unreadable"}


def test_decompression_bomb_stops_at_the_size_cap(tmp_path: Path) -> None:
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 5_000_000))
    docs = read_all([str(tmp_path)], max_input_bytes=1_000_000)
    assert isinstance(docs[0], Rejection) and docs[0].reason == "too-large"


def test_long_json_line_is_rejected_and_the_next_line_still_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"text": "' + b"a" * 5000 + b'"}\n{"text": "next"}\n')
    docs = read_all([str(path)], max_input_bytes=1000)
    assert isinstance(docs[0], Rejection) and docs[0].reason == "too-large"
    assert isinstance(docs[1], RawDocument) and docs[1].content == "next"


def test_json_lines_are_split_into_shards(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps({"text": f"doc {i}"}) + "\n" for i in range(25)))
    files, _ = discover([str(path)])
    shards = plan_slices(files, 10)
    assert len(shards) == 3
    sources = [d.source for shard in shards for item in shard for d in read_slice(item)]
    assert sources == [f"feed.jsonl#L{i}" for i in range(1, 26)]


def test_unreadable_file_is_rejected(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    docs = read_all([str(path)])
    assert isinstance(docs[0], Rejection) and docs[0].reason == "unreadable"


def test_file_format_and_timestamps() -> None:
    assert file_format("A.NDJSON") == "jsonl"
    assert file_format("x.txt.gz") == "text"
    stamp = parse_timestamp("2024-07-08 04:55:57")
    assert stamp is not None and stamp.utcoffset() is not None


def test_pipes_devices_and_link_loops_are_rejected_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("/dev/zero", tmp_path / "zeros.jsonl")
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    files, rejected = discover([str(tmp_path)])
    assert files == []
    reasons = {r.source: r.reason for r in rejected}
    assert reasons == {
        "pipe.txt": "not-a-file",
        "zeros.jsonl": "not-a-file",
        "a.txt": "unreadable",
        "b.txt": "unreadable",
    }
    assert [r.reason for r in discover([str(tmp_path / "pipe.txt")])[1]] == ["not-a-file"]


def test_a_file_replaced_by_a_pipe_after_discovery_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("The council met.")
    files, _ = discover([str(path)])
    path.unlink()
    os.mkfifo(path)
    (item,) = plan_slices(files, 10)[0]
    (result,) = read_slice(item)
    assert isinstance(result, Rejection) and result.reason == "not-a-file"


def test_odd_file_names_become_printable_utf8_sources(tmp_path: Path) -> None:
    (tmp_path / "new\nline.txt").write_text("The council met.")
    with open(os.fsencode(tmp_path) + b"/caf\xe9.txt", "wb") as handle:
        handle.write(b"The council met.")
    files, rejected = discover([str(tmp_path)])
    assert [f.source for f in files] == ["new\\nline.txt"]
    assert [(r.source, r.reason) for r in rejected] == [("caf\\xe9.txt", "bad-file-name")]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "bad-json"),
        (b'{"id": ' + b"9" * 5000 + b', "text": "x"}', "bad-json"),
        (b'{"text": "x y", "fetched_at": "0001-01-01T00:00:00+14:00"}', "bad-record"),
    ],
)
def test_json_lines_that_break_the_parser_are_rejected(
    tmp_path: Path, line: bytes, reason: str
) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(line + b"\n")
    (result,) = read_all([str(path)])
    assert isinstance(result, Rejection) and result.reason == reason


def test_lone_surrogates_in_records_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"id": "a\\ud800", "title": "t\\udfff", "text": "x \\udc80 y"}\n')
    (doc,) = read_all([str(path)])
    assert isinstance(doc, RawDocument)
    assert (doc.doc_id, doc.title, doc.content) == ("a\ufffd", "t\ufffd", "x \ufffd y")


def test_a_gzip_bomb_of_json_lines_is_one_rejection(tmp_path: Path) -> None:
    member = gzip.compress(b"\n" * (8 << 20), 9)
    (tmp_path / "bomb.jsonl.gz").write_bytes(member * 16)
    docs = read_all([str(tmp_path)], shard_size=3)
    assert len(docs) == 1
    assert isinstance(docs[0], Rejection) and docs[0].reason == "too-large"
    assert "decompression bomb" in docs[0].detail


def test_multi_member_gzip_files_are_read_whole(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() + b"\n" for i in range(6)]
    data = b"".join(gzip.compress(b"".join(lines[i : i + 2])) for i in range(0, 6, 2))
    (tmp_path / "feed.jsonl.gz").write_bytes(data)
    docs = read_all([str(tmp_path)], shard_size=4)
    assert [d.content for d in docs if isinstance(d, RawDocument)] == [f"doc {i}" for i in range(6)]


def test_lines_added_after_planning_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps({"text": f"doc {i}"}) + "\n" for i in range(5)))
    files, _ = discover([str(path)])
    shards = plan_slices(files, 2)
    with open(path, "a") as handle:
        handle.write(json.dumps({"text": "late"}) + "\n")
    sources = [d.source for shard in shards for item in shard for d in read_slice(item)]
    assert sources == [f"feed.jsonl#L{i}" for i in range(1, 7)]


def test_may_hold_html_from_file_types_and_first_records(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("A story.\n")
    page = tmp_path / "b.html"
    page.write_text("<p>A story.</p>")
    texts = tmp_path / "c.jsonl.gz"
    with gzip.open(texts, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "1", "text": 'a "html" word'}) + "\n")
    pages = tmp_path / "d.jsonl"
    pages.write_text(json.dumps({"text": "x"}) + "\n" + json.dumps({"html": "<p>y</p>"}) + "\n")
    broken = tmp_path / "e.jsonl.gz"
    broken.write_bytes(b"not gzip at all")

    def holds(*paths: Path) -> bool:
        return may_hold_html(discover([str(path) for path in paths])[0])

    assert not holds(text, texts)
    assert holds(text, page) and holds(pages) and holds(broken)
    assert not may_hold_html(discover([str(pages)])[0], probe_lines=1)


def test_the_folder_to_skip_is_not_walked(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("alpha")
    (tmp_path / "news" / "out" / "reports").mkdir(parents=True)
    (tmp_path / "news" / "out" / "reports" / "index.html").write_text("<p>report</p>")
    everything, _ = discover([str(tmp_path / "news")])
    assert len(everything) == 2
    files, rejected = discover([str(tmp_path / "news")], skip=tmp_path / "news" / "out")
    assert [f.source for f in files] == ["a.txt"] and rejected == []
