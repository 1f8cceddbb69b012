import base64
import gzip
import json
import os
import pickle
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaners import readers
from cleaners.contract import Rejection
from cleaners.options import CleanOptions
from cleaners.readers import (
    InputFile,
    InputSlice,
    RawDocument,
    count_lines,
    discover,
    plan_slices,
    read_slice,
    remove_spills,
)

OPTIONS = CleanOptions(max_input_bytes=120)
WHOLE = 10**9  # a shard size no test file reaches: one slice, read from the start

LINES = st.one_of(
    st.builds(lambda t: json.dumps({"text": t}).encode(), st.text(min_size=1, max_size=30)),
    st.builds(lambda i, t: json.dumps({"id": i, "html": t}).encode(), st.integers(), st.text()),
    st.sampled_from(
        [
            b"",
            b"   ",
            b"{not json",
            b"[1, 2]",
            b'{"text": "x \\ud800 y"}',
            b"\xff\xfe broken utf-8",
            b'{"text": "' + b"a" * 300 + b'"}',  # longer than OPTIONS.max_input_bytes
        ]
    ),
)


def write_input(
    folder: Path, lines: list[bytes], gzipped: bool, final_newline: bool, kept: float = 1.0
) -> Path:
    data = b"\n".join(lines) + (b"\n" if final_newline else b"")
    if gzipped:
        data = gzip.compress(data)
    path = folder / ("feed.jsonl.gz" if gzipped else "feed.jsonl")
    path.write_bytes(data[: max(1, int(len(data) * kept))] if kept < 1 else data)
    return path


def read_shards(shards: list[list[InputSlice]]) -> list[RawDocument | Rejection]:
    return [row for shard in shards for item in shard for row in read_slice(item, OPTIONS)]


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(LINES, max_size=40),
    shard_size=st.integers(min_value=1, max_value=12),
    gzipped=st.booleans(),
    final_newline=st.booleans(),
    with_work=st.booleans(),
    kept=st.one_of(st.just(1.0), st.floats(min_value=0.2, max_value=0.99)),
)
# A gzip stream that breaks inside an overlong last line: one row for that line, read whole or
# from a slice copy, however gzip's read-ahead falls around the break.
@example(
    lines=[b'{"text": "0"}', b'{"text": "0"}', b'{"text": "' + b"a" * 360 + b'"}'],
    shard_size=1,
    gzipped=True,
    final_newline=False,
    with_work=True,
    kept=0.75,
)
def test_every_slicing_reads_the_same_rows_as_one_pass(
    lines: list[bytes],
    shard_size: int,
    gzipped: bool,
    final_newline: bool,
    with_work: bool,
    kept: float,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        # `kept` < 1 cuts the file short: a gzip stream that breaks off mid-way.
        path = write_input(Path(folder), lines, gzipped, final_newline, kept)
        work = Path(folder) / "work"
        files, _ = discover([str(path)])
        whole = read_shards(plan_slices(files, WHOLE))
        shards = plan_slices(files, shard_size, work if with_work else None)
        assert read_shards(shards) == whole
        assert read_shards(shards) == whole  # a slice can be read again (a retried shard)
        remove_spills(shards)
        assert not work.exists() or files_in(work) == []


def test_slices_start_at_offsets_or_copies_not_at_line_one(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(10)]
    plain = write_input(tmp_path, lines, gzipped=False, final_newline=True)
    zipped = write_input(tmp_path, lines, gzipped=True, final_newline=True)
    files, _ = discover([str(plain), str(zipped)])
    (shard,) = plan_slices(files, 100, tmp_path / "work")
    assert [item.source for item in shard] == ["feed.jsonl", "feed.jsonl.gz"]
    assert all(item.line_count == 0 and item.offset == -1 for item in shard)  # one slice each
    shards = plan_slices(files, 4, tmp_path / "work")
    items = [item for shard in shards for item in shard]
    plain_items, zipped_items = items[:3], items[3:]
    assert [i.offset for i in plain_items] == [0, 4 * len(lines[0]) + 4, 8 * len(lines[0]) + 8]
    assert [bool(i.spill) for i in zipped_items] == [False, True, True]
    assert [i.first_line for i in zipped_items] == [1, 5, 9]
    remove_spills(shards)
    assert files_in(tmp_path / "work") == []


def test_a_gzip_file_without_a_work_folder_is_read_by_counting(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(7)]
    files, _ = discover([str(write_input(tmp_path, lines, gzipped=True, final_newline=True))])
    shards = plan_slices(files, 3)
    assert all(item.offset == -1 and not item.spill for shard in shards for item in shard)
    docs = read_shards(shards)
    assert [d.content for d in docs if isinstance(d, RawDocument)] == [f"doc {i}" for i in range(7)]


def covered_lines(rows: list[RawDocument | Rejection]) -> list[int]:
    """Line numbers accounted for: one per row, a 'changed' rejection covers its whole range."""
    numbers: list[int] = []
    for row in rows:
        first = int(row.source.rsplit("#L", 1)[1])
        if isinstance(row, Rejection) and row.reason == "changed":
            last = row.detail.split("lines ", 1)[1].split(" ", 1)[0].split("-")
            end = int(last[1]) if len(last) == 2 else first + 10_000
            numbers.extend(range(first, end + 1))
        else:
            numbers.append(first)
    return numbers


def test_a_line_rewritten_after_planning_rejects_its_slice_only(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(10)]
    path = write_input(tmp_path, lines, gzipped=False, final_newline=True)
    files, _ = discover([str(path)])
    shards = plan_slices(files, 4, tmp_path / "work")
    lines[5] = json.dumps({"text": "DOC 5"}).encode()  # same length, other bytes
    path.write_bytes(b"\n".join(lines) + b"\n")
    rows = read_shards(shards)
    changed = [r for r in rows if isinstance(r, Rejection)]
    assert [(r.source, r.reason) for r in changed] == [("feed.jsonl#L5", "changed")]
    assert "lines 5-8" in changed[0].detail
    docs = [d for d in rows if isinstance(d, RawDocument)]
    assert [d.content for d in docs] == [f"doc {i}" for i in (0, 1, 2, 3, 8, 9)]
    assert sorted(covered_lines(rows)) == list(range(1, 11))


def test_lines_inserted_at_the_start_never_duplicate_or_lose_documents(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(10)]
    path = write_input(tmp_path, lines, gzipped=False, final_newline=True)
    files, _ = discover([str(path)])
    shards = plan_slices(files, 3, tmp_path / "work")
    path.write_bytes(b'{"text": "new"}\n' + b"\n".join(lines) + b"\n")
    rows = read_shards(shards)
    assert {r.reason for r in rows if isinstance(r, Rejection)} == {"changed"}
    contents = [d.content for d in rows if isinstance(d, RawDocument)]
    assert len(contents) == len(set(contents)) and "new" not in contents
    assert sorted(covered_lines(rows))[:10] == list(range(1, 11))


def test_a_gzip_file_replaced_after_planning_is_read_from_its_copies(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(10)]
    path = write_input(tmp_path, lines, gzipped=True, final_newline=True)
    files, _ = discover([str(path)])
    shards = plan_slices(files, 4, tmp_path / "work")
    replaced = tmp_path / "other.gz"
    replaced.write_bytes(gzip.compress(b'{"text": "other"}\n' * 10))
    os.replace(replaced, path)
    rows = read_shards(shards)
    assert [(r.source, r.reason) for r in rows if isinstance(r, Rejection)] == [
        ("feed.jsonl.gz#L1", "changed")
    ]
    assert [d.content for d in rows if isinstance(d, RawDocument)] == [
        f"doc {i}" for i in range(4, 10)
    ]
    assert sorted(covered_lines(rows)) == list(range(1, 11))


def test_a_gzip_file_touched_but_unchanged_is_read_whole(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(10)]
    path = write_input(tmp_path, lines, gzipped=True, final_newline=True)
    files, _ = discover([str(path)])
    shards = plan_slices(files, 4, tmp_path / "work")
    os.utime(path, ns=(1, 1))
    rows = read_shards(shards)
    assert [d.content for d in rows if isinstance(d, RawDocument)] == [
        f"doc {i}" for i in range(10)
    ]


def test_a_gzip_file_that_changes_while_counted_is_one_rejection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(10)]
    files, _ = discover([str(write_input(tmp_path, lines, gzipped=True, final_newline=True))])
    stamps = iter([(1, 1, 1), (2, 2, 1)])
    monkeypatch.setattr(readers, "_stamp", lambda info: next(stamps))
    shards = plan_slices(files, 4, tmp_path / "work")
    (row,) = read_shards(shards)
    assert isinstance(row, Rejection) and row.reason == "changed"
    assert [p for p in (tmp_path / "work").rglob("*") if p.is_file()] == []


def test_a_plain_file_that_changes_while_counted_is_checked_when_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(10)]
    files, _ = discover([str(write_input(tmp_path, lines, gzipped=False, final_newline=True))])
    stamps = iter([(1, 1, 1), (2, 2, 1)])
    with monkeypatch.context() as patch:
        patch.setattr(readers, "_stamp", lambda info: next(stamps))
        shards = plan_slices(files, 4)
    assert {item.stamp for shard in shards for item in shard} == {readers.UNKNOWN_STAMP}
    rows = read_shards(shards)  # the bytes still match: every line is read
    assert [d.content for d in rows if isinstance(d, RawDocument)] == [
        f"doc {i}" for i in range(10)
    ]


def test_a_copy_that_cannot_be_written_falls_back_to_counting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(10)]
    files, _ = discover([str(write_input(tmp_path, lines, gzipped=True, final_newline=True))])

    def full_disk(self: object, chunk: bytes) -> None:
        raise readers._SpillFailed("no space left on device")

    monkeypatch.setattr(readers._SpillWriter, "write", full_disk)
    shards = plan_slices(files, 4, tmp_path / "work")
    assert all(not item.spill for shard in shards for item in shard)
    assert [p for p in (tmp_path / "work").rglob("*") if p.is_file()] == []
    rows = read_shards(shards)
    assert [d.content for d in rows if isinstance(d, RawDocument)] == [
        f"doc {i}" for i in range(10)
    ]


def test_planning_that_fails_leaves_no_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(10)]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_input(tmp_path / "a", lines, gzipped=True, final_newline=True)
    second = write_input(tmp_path / "b", lines, gzipped=True, final_newline=True)
    files, _ = discover([str(first), str(second)])
    real = readers._plan_gzip
    calls = []

    def interrupted(*args: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(readers, "_plan_gzip", interrupted)
    with pytest.raises(KeyboardInterrupt):
        plan_slices(files, 4, tmp_path / "work")
    assert files_in(tmp_path / "work") == []


def test_a_truncated_gzip_file_reports_its_break_once_in_the_last_slice(tmp_path: Path) -> None:
    rng = random.Random(7)
    lines = [
        json.dumps({"text": base64.b64encode(rng.randbytes(300)).decode()}).encode()
        for _ in range(200)
    ]
    data = gzip.compress(b"\n".join(lines) + b"\n")
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    files, _ = discover([str(path)])
    options = CleanOptions()
    whole = [r for item in plan_slices(files, WHOLE)[0] for r in read_slice(item, options)]
    shards = plan_slices(files, 16, tmp_path / "work")
    sliced = [r for shard in shards for item in shard for r in read_slice(item, options)]
    assert sliced == whole
    breaks = [r for r in sliced if isinstance(r, Rejection)]
    assert len(breaks) == 1 and breaks[0].reason == "unreadable"
    assert "breaks off after line" in breaks[0].detail
    assert shards[-1][-1].broken is not None


def test_a_bomb_after_real_lines_is_refused_at_the_same_line(tmp_path: Path) -> None:
    rng = random.Random(3)
    lines = [
        json.dumps({"text": base64.b64encode(rng.randbytes(300)).decode()}).encode()
        for _ in range(400)  # more than the probe's 64 KiB of compressed input
    ]
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n".join(lines) + b"\n" + b"a" * (40 << 20) + b"\n"))
    files, _ = discover([str(path)])
    options = CleanOptions(max_input_bytes=1000)
    whole = [r for item in plan_slices(files, WHOLE)[0] for r in read_slice(item, options)]
    shards = plan_slices(files, 100, tmp_path / "work")
    sliced = [r for shard in shards for item in shard for r in read_slice(item, options)]
    assert sliced == whole
    # 400 documents, then the overlong line the refusal stops inside: one row, the refusal
    assert len(sliced) == 401
    refused = sliced[-1]
    assert isinstance(refused, Rejection) and refused.reason == "too-large"
    assert refused.source.endswith("#L401")
    assert "decompression bomb" in refused.detail
    remove_spills(shards)
    assert [p for p in (tmp_path / "work").rglob("*") if p.is_file()] == []


def counted_plan(files: list[InputFile], shard_size: int) -> list[list[tuple[str, int, int]]]:
    """Shards as planned by counting lines alone: what every plan must group the same way."""
    shards: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    filled = 0
    for item in files:
        lines = count_lines(item.path) if item.path.endswith((".jsonl", ".jsonl.gz")) else 1
        for first in range(1, max(lines, 1) + 1, shard_size):
            count = min(shard_size, lines - first + 1) if lines else 0
            current.append((item.source, first, 0 if first + shard_size > lines else count))
            filled += max(count, 1)
            if filled >= shard_size:
                shards.append(current)
                current, filled = [], 0
    if current:
        shards.append(current)
    return shards


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=15), min_size=1, max_size=5),
    shard_size=st.integers(min_value=1, max_value=8),
)
def test_shards_are_grouped_as_by_counting_lines(sizes: list[int], shard_size: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, size in enumerate(sizes):
            path = Path(folder) / f"{number:02d}.jsonl"
            data = "".join(json.dumps({"text": f"doc {i}"}) + "\n" for i in range(size)).encode()
            if number % 3 == 1:
                path = path.with_suffix(".jsonl.gz")
                data = gzip.compress(data)
            elif number % 3 == 2:
                path = path.with_suffix(".txt")
                data = b"one story"
            path.write_bytes(data)
            paths.append(str(path))
        files, _ = discover(paths)
        planned = plan_slices(files, shard_size, Path(folder) / "work")
        shape = [[(i.source, i.first_line, i.line_count) for i in shard] for shard in planned]
        assert shape == counted_plan(files, shard_size)
        remove_spills(planned)


def test_slices_pickle_small(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(10)]
    files, _ = discover([str(write_input(tmp_path, lines, gzipped=True, final_newline=True))])
    shards = plan_slices(files, 4, tmp_path / "work")
    for item in (i for shard in shards for i in shard):
        data = pickle.dumps(item)
        assert pickle.loads(data) == item and len(data) < 400
    remove_spills(shards)


def test_a_file_deleted_after_planning_is_reported_by_every_slice(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"doc {i}"}).encode() for i in range(10)]
    path = write_input(tmp_path, lines, gzipped=False, final_newline=True)
    files, _ = discover([str(path)])
    shards = plan_slices(files, 4)
    path.unlink()
    rows = read_shards(shards)
    assert [(r.source, r.reason) for r in rows if isinstance(r, Rejection)] == [
        ("feed.jsonl#L1", "unreadable"),
        ("feed.jsonl#L5", "unreadable"),
        ("feed.jsonl#L9", "unreadable"),
    ]


def test_a_file_broken_before_its_first_line_is_said_to_be_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"not a deflate stream" * 10)
    files, _ = discover([str(path)])
    read = [r for item in plan_slices(files, WHOLE)[0] for r in read_slice(item, CleanOptions())]
    assert [r.reason for r in read if isinstance(r, Rejection)] == ["unreadable"]
    assert read[0].detail.startswith("the file cannot be read: ")  # not "after line 0"
