import os
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cleaners.manifest import (
    any_new_inputs,
    load_manifest,
    save_manifest,
    select_inputs,
    superseded_parts,
)
from cleaners.readers import discover


def test_new_changed_and_unchanged_inputs(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("alpha")
    (src / "b.txt").write_text("beta")
    files, _ = discover([str(src)])
    first = select_inputs(files, {}, "r1")
    assert len(first.todo) == 2 and first.unchanged == 0
    save_manifest(tmp_path / "m.parquet", first.entries)
    manifest = load_manifest(tmp_path / "m.parquet")
    assert manifest == first.entries

    (src / "b.txt").write_text("beta, revised")
    (src / "c.txt").write_text("gamma")
    os.utime(src / "a.txt")  # touched, same bytes: still unchanged
    files, _ = discover([str(src)])
    second = select_inputs(files, manifest, "r2")
    assert sorted(Path(f.path).name for f in second.todo) == ["b.txt", "c.txt"]
    assert second.unchanged == 1
    assert second.replaced_sources == ["b.txt"]


def test_any_new_inputs_reads_only_sizes_and_times(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("alpha")
    files, _ = discover([str(src)])
    assert any_new_inputs(files, {})
    manifest = select_inputs(files, {}, "r1").entries
    assert not any_new_inputs(files, manifest)
    os.utime(src / "a.txt", ns=(1, 1))  # touched: may be new (select_inputs reads its bytes)
    assert any_new_inputs(discover([str(src)])[0], manifest)
    (src / "b.txt").write_text("beta")
    assert any_new_inputs(discover([str(src)])[0], select_inputs(files, {}, "r1").entries)


def test_superseded_parts_keep_other_rows(tmp_path: Path) -> None:
    part = tmp_path / "articles" / "language=en" / "part-r1-0.parquet"
    part.parent.mkdir(parents=True)
    pq.write_table(
        pa.table({"source": ["src/a.txt", "src/feed.jsonl#L1", "src/feed.jsonl#L2"]}), part
    )
    only = tmp_path / "rejected" / "part-r1-0.parquet"
    only.parent.mkdir(parents=True)
    pq.write_table(pa.table({"source": ["src/feed.jsonl#L3"]}), only)
    changes = dict(superseded_parts(tmp_path, ["src/feed.jsonl"]))
    kept = changes["articles/language=en/part-r1-0.parquet"]
    assert kept is not None and kept.column("source").to_pylist() == ["src/a.txt"]
    assert changes["rejected/part-r1-0.parquet"] is None


def test_folders_of_the_same_name_give_their_files_distinct_sources(tmp_path: Path) -> None:
    for folder, text in (("x", "alpha"), ("y", "beta")):
        (tmp_path / folder / "news").mkdir(parents=True)
        (tmp_path / folder / "news" / "a.txt").write_text(text)
    arguments = [str(tmp_path / "x" / "news"), str(tmp_path / "y" / "news")]
    files, _ = discover(arguments)
    assert [f.source for f in files] == ["a.txt", "a.txt"]  # as each folder names it
    first = select_inputs(files, {}, "r1")
    assert [f.source for f in first.todo] == ["a.txt", "news/a.txt"]

    # Changed later, and given alone: the file keeps its source, and replaces only its rows.
    (tmp_path / "y" / "news" / "a.txt").write_text("beta, revised")
    files, _ = discover(arguments[1:])
    second = select_inputs(files, first.entries, "r2")
    assert [f.source for f in second.todo] == ["news/a.txt"]
    assert second.replaced_sources == ["news/a.txt"]

    # A third folder of that name, new: its source is the first that no other input has.
    (tmp_path / "z" / "news").mkdir(parents=True)
    (tmp_path / "z" / "news" / "a.txt").write_text("gamma")
    files, _ = discover([str(tmp_path / "z" / "news")])
    assert [f.source for f in select_inputs(files, second.entries, "r3").todo] == ["z/news/a.txt"]


def test_an_input_that_could_not_be_read_is_read_again(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("alpha")
    files, _ = discover([str(src)])
    first = select_inputs(files, {}, "r1")
    # As recorded when the file could not be opened (file_sha256 gives no digest); then its
    # permissions are fixed, which changes neither its size nor its time.
    unreadable = {key: replace(entry, sha256="") for key, entry in first.entries.items()}
    assert any_new_inputs(files, unreadable)
    again = select_inputs(files, unreadable, "r2")
    assert [f.source for f in again.todo] == ["a.txt"]
    assert again.replaced_sources == ["a.txt"]
