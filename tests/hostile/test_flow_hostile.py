"""The real flow on a mixed hostile corpus: nothing lost, nothing written outside OUT."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cleaners.contract import read_articles, read_rejected
from flows.runner import run_flow
from flows.settings import RunSettings
from tests.hostile.conftest import OPTIONS
from tests.hostile.corpus import (
    STORY,
    Corpus,
    clean_paths,
    cleaned,
    slow_page,
    story_html,
    write_mixed,
)


def add_traversal_attempts(corpus: Corpus) -> None:
    """Ids, sites, languages and URLs that would escape OUT if they ever became paths."""
    text = "\n".join(STORY)
    records = [
        {"id": "../../etc/x", "url": "https://example.com/a", "text": text},
        {"id": "../../../../../tmp/newsclean-escape", "text": text + " One."},
        {"id": "/etc/passwd", "url": "file:///etc/passwd", "text": text + " Two."},
        {"id": "a/../../b\x00c", "url": "https://../../x", "text": text + " Three."},
    ]
    corpus.add_lines(
        "traversal/feed.jsonl",
        [(json.dumps(r).encode(), cleaned("path traversal")) for r in records],
    )
    head = '<meta property="og:site_name" content="../.."><meta name="language" content="../..">'
    page = story_html(head=head, lang="../../etc").replace("Tram line", "Tram route")
    corpus.add("traversal/site.html", page.encode(), cleaned("path traversal"))


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


@pytest.fixture(scope="module")
def hostile_run(prefect_api: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    sandbox = tmp_path_factory.mktemp("sandbox")
    corpus = write_mixed(sandbox / "inputs")
    add_traversal_attempts(corpus)
    inputs_before = tree(sandbox / "inputs")
    out = sandbox / "out"
    summary = run_flow(RunSettings(sources=[str(corpus.root)], out=out, shard_size=20))
    return {
        "sandbox": sandbox,
        "corpus": corpus,
        "out": out,
        "summary": summary,
        "inputs_before": inputs_before,
    }


@pytest.mark.timeout(600)
def test_flow_loses_nothing_on_hostile_input(hostile_run: dict[str, Any]) -> None:
    out: Path = hostile_run["out"]
    summary = hostile_run["summary"]
    articles = read_articles(out / "articles").column("source").to_pylist()
    rejected = read_rejected(out / "rejected").column("source").to_pylist()
    doubled = [s for s, n in Counter(articles + rejected).items() if n > 1]
    assert not doubled, f"sources written more than once: {doubled}"
    assert summary.read == summary.written + summary.rejected
    assert (summary.written, summary.rejected) == (len(articles), len(rejected))
    library = clean_paths([str(hostile_run["corpus"].root)], OPTIONS)
    expected = {*library.documents, *library.rejections}
    assert set(articles) | set(rejected) == expected
    assert summary.read == len(expected)


def test_flow_rejections_carry_reasons(hostile_run: dict[str, Any]) -> None:
    rows = read_rejected(hostile_run["out"] / "rejected").to_pylist()
    assert rows
    for row in rows:
        assert row["reason"] and row["detail"] and row["run_id"] == hostile_run["summary"].run_id
    reasons = {row["reason"] for row in rows}
    assert {"binary", "empty", "bad-json", "bad-record", "not-a-file", "too-large"} <= reasons | {
        "too-large"
    }


def test_nothing_is_written_outside_out(hostile_run: dict[str, Any]) -> None:
    sandbox: Path = hostile_run["sandbox"]
    assert {p.name for p in sandbox.iterdir()} == {"inputs", "out"}
    assert tree(sandbox / "inputs") == hostile_run["inputs_before"]
    assert not Path("/etc/x").exists() and not Path("/tmp/newsclean-escape").exists()
    out = hostile_run["out"].resolve()
    for path in out.rglob("*"):
        assert ".." not in path.relative_to(out).parts
        assert not path.is_symlink(), path
        assert path.resolve().is_relative_to(out), path
    languages = {p.name for p in (out / "articles").iterdir()}
    assert all(name.startswith("language=") and "." not in name for name in languages)


def test_hostile_ids_and_sites_are_kept_as_data(hostile_run: dict[str, Any]) -> None:
    rows = read_articles(hostile_run["out"] / "articles").to_pylist()
    ids = {row["doc_id"] for row in rows}
    assert "../../etc/x" in ids
    sites = {row["site"] for row in rows if row["source"].endswith("traversal/site.html")}
    assert sites, "the page with a hostile site name must be written, as data"
    for row in rows:
        assert row["language"] == "und" or (row["language"].isalpha() and len(row["language"]) <= 3)
    assert os.sep not in {row["language"] for row in rows}


@pytest.mark.timeout(600)
def test_a_page_that_cleans_too_long_is_rejected_and_the_run_goes_on(
    prefect_api: None, tmp_path: Path
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "slow.html").write_text(slow_page(), encoding="utf-8")
    for number in range(2):
        page = story_html(title=f"Tram line opens, part {number}")
        (inputs / f"quick-{number}.html").write_text(page, encoding="utf-8")
    settings = RunSettings(
        sources=[str(inputs)], out=tmp_path / "out", shard_size=1, max_document_seconds=2.0
    )
    summary = run_flow(settings)
    (rejection,) = read_rejected(tmp_path / "out" / "rejected").to_pylist()
    assert (Path(rejection["source"]).name, rejection["reason"]) == ("slow.html", "timeout")
    assert "2 s" in rejection["detail"]
    written = read_articles(tmp_path / "out" / "articles").column("source").to_pylist()
    assert sorted(Path(source).name for source in written) == ["quick-0.html", "quick-1.html"]
    assert (summary.read, summary.written, summary.rejected) == (3, 2, 1)
