"""Learned boilerplate: per-site counts, thresholds, safeguards, bounded memory, persistence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.boilerplate import (
    BoilerplateIndex,
    line_fingerprints,
    normalise_line,
    strip_learned,
)
from cleaners.document import Document

TEMPLATE = ["Home > World", "Subscribe to our newsletter", "3 comments"]
QUOTE = (
    "\u201cWe must safeguard the right to development for every member of the club,\u201d "
    "the president said at the meeting."
)
TOPICS = [f"topic {chr(97 + n)}{chr(97 + m)}" for n in range(26) for m in range(26)]


def story(n: int, *extra: str) -> Document:
    body = f"This story number {TOPICS[n]} is about something else entirely, said the desk."
    return Document(text="\n\n".join([TEMPLATE[0], body, *extra, TEMPLATE[1], TEMPLATE[2]]))


def trained(documents: int, group: str = "example.com") -> BoilerplateIndex:
    index = BoilerplateIndex()
    for n in range(documents):
        index.observe(group, line_fingerprints(story(n)))
    return index


def test_template_lines_are_learned_and_stripped() -> None:
    index = trained(20)
    doc = story(99)
    cleaned = strip_learned(doc, index.learned("example.com"))
    assert cleaned.text == doc.text.split("\n\n")[1]
    assert [c.rule for c in cleaned.cleaning] == ["learned-boilerplate"] * 3
    assert all(c.action == "removed" for c in cleaned.cleaning)


def test_numbers_do_not_hide_a_template_line() -> None:
    assert normalise_line("12 Comments") == normalise_line("3 comments")


def test_nothing_is_learned_from_too_few_documents() -> None:
    assert trained(9).learned("example.com") == frozenset()
    assert trained(10).learned("example.com")


def test_learning_is_per_site() -> None:
    index = trained(20, "example.com")
    assert index.learned("other.org") == frozenset()
    assert index.learned("") == frozenset()


def test_documents_without_a_group_teach_nothing() -> None:
    index = BoilerplateIndex()
    index.observe("", line_fingerprints(story(1)))
    assert index.groups == {}


def test_a_quote_in_a_few_copies_of_a_wire_story_is_not_learned() -> None:
    index = BoilerplateIndex()
    for n in range(40):
        extra = (QUOTE,) if n < 8 else ()
        index.observe("example.com", line_fingerprints(story(n, extra[0] if extra else "")))
    learned = index.learned("example.com")
    assert not line_fingerprints(Document(text=QUOTE)) & learned
    cleaned = strip_learned(story(1, QUOTE), learned)
    assert QUOTE in cleaned.text


def test_short_line_on_few_pages_is_not_learned() -> None:
    index = BoilerplateIndex()
    for n in range(100):
        extra = ("Photo gallery",) if n < 10 else ()
        index.observe("example.com", line_fingerprints(story(n, *extra)))
    assert not line_fingerprints(Document(text="Photo gallery")) & index.learned("example.com")


def test_long_lines_are_kept_when_they_would_take_most_of_the_document() -> None:
    long_line = (
        "This long sentence appears on every page of the site because the site republishes "
        "one and the same story over and over again."
    )
    learned = line_fingerprints(Document(text=long_line + "\n\nSubscribe"))
    doc = Document(text=f"{long_line}\n\nSubscribe\n\nShort tail.")
    cleaned = strip_learned(doc, learned)
    assert long_line in cleaned.text
    assert [c.text for c in cleaned.cleaning] == ["Subscribe"]


def test_merge_adds_counts_of_shards() -> None:
    left, right = BoilerplateIndex(), BoilerplateIndex()
    for n in range(6):
        left.observe("example.com", line_fingerprints(story(n)))
        right.observe("example.com", line_fingerprints(story(n + 6)))
    assert left.learned("example.com") == frozenset()
    left.merge(right)
    assert left.documents("example.com") == 12
    assert line_fingerprints(Document(text=TEMPLATE[1])) <= left.learned("example.com")


def test_memory_is_bounded_per_group() -> None:
    index = BoilerplateIndex(max_fingerprints=100)
    for n in range(300):
        index.observe("example.com", line_fingerprints(story(n)))
    counts = index.groups["example.com"].counts
    assert len(counts) <= 100
    assert line_fingerprints(Document(text=TEMPLATE[1])) <= index.learned("example.com")


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    index = trained(15)
    path = tmp_path / "state" / "boilerplate.json"
    index.save(path)
    loaded = BoilerplateIndex.load(path)
    assert loaded.learned("example.com") == index.learned("example.com")
    assert loaded.documents("example.com") == 15
    assert [p.name for p in path.parent.iterdir()] == ["boilerplate.json"]


def test_save_replaces_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "boilerplate.json"
    trained(3).save(path)
    trained(12).save(path)
    assert json.loads(path.read_text())["groups"]["example.com"]["documents"] == 12


def test_missing_file_loads_empty(tmp_path: Path) -> None:
    index = BoilerplateIndex.load(tmp_path / "nothing.json")
    assert index.groups == {}


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "boilerplate.json"
    path.write_text('{"format": 99, "groups": {}}')
    with pytest.raises(ValueError, match="format"):
        BoilerplateIndex.load(path)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.lists(st.text(max_size=40), max_size=5))
def test_strip_only_removes_whole_recorded_lines(text: str, template: list[str]) -> None:
    learned = line_fingerprints(Document(text="\n".join(template)))
    doc = Document(text=text)
    cleaned = strip_learned(doc, learned)
    if not cleaned.cleaning:
        assert cleaned.text == text
        return
    removed = [entry.text for entry in cleaned.cleaning]
    kept = [part for part in cleaned.text.split("\n\n") if part]
    assert sorted(kept + removed) == sorted(
        line.strip() for line in text.splitlines() if line.strip()
    )
    assert strip_learned(cleaned, learned).text == cleaned.text
