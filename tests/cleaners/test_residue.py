"""Residue cleaning, case by case: every language's rule file on residue and on real text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cleaners.document import Document
from cleaners.residue import clean_residue

CASES_DIR = Path(__file__).parent / "cases" / "residue"


def _cases() -> list[Any]:
    found = []
    for path in sorted(CASES_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            found.append(pytest.param(case, id=f"{path.stem}:{case['name']}"))
    return found


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any]) -> None:
    doc = clean_residue(Document(text=case["input"], title=case.get("title")))
    assert doc.text == case["expected_text"]
    assert sorted(entry.rule for entry in doc.cleaning) == sorted(case["expected_rules"])
    for name, expected in case.get("expected_fields", {}).items():
        if name == "date_candidates":
            assert [c.value.isoformat() for c in doc.date_candidates] == expected
            assert {c.source for c in doc.date_candidates} == {"text-header"}
        else:
            assert getattr(doc, name) == expected


def test_every_language_has_cases() -> None:
    names = {path.stem for path in CASES_DIR.glob("*.json")}
    assert {"common", "en", "fr", "de", "it", "es", "pt", "nl", "pl", "ru", "tr"} <= names


@pytest.mark.parametrize("case", _cases())
def test_case_is_idempotent(case: dict[str, Any]) -> None:
    once = clean_residue(Document(text=case["input"], title=case.get("title")))
    twice = clean_residue(once)
    assert twice.text == once.text
    assert twice.cleaning == once.cleaning
    assert (twice.authors, twice.editors, twice.tags) == (once.authors, once.editors, once.tags)
    assert twice.date_candidates == once.date_candidates


def test_removals_are_recorded_as_removed() -> None:
    doc = clean_residue(
        Document(text="Leaders met on Thursday in the capital to talk trade.\nShare")
    )
    assert [(c.rule, c.action, c.field, c.text) for c in doc.cleaning] == [
        ("share-line", "removed", None, "Share")
    ]


def test_moved_fields_record_their_field() -> None:
    doc = clean_residue(
        Document(text="Leaders met on Thursday in the capital to talk trade.\n#summit #trade")
    )
    assert [(c.rule, c.action, c.field) for c in doc.cleaning] == [
        ("hashtag-line", "moved", "tags")
    ]


def test_existing_fields_are_kept_and_not_duplicated() -> None:
    doc = Document(text="By Jane Doe\nLeaders met on Thursday in the capital to talk trade.")
    doc.authors = ["Jane Doe"]
    doc.tags = ["trade"]
    cleaned = clean_residue(doc.evolve(text=doc.text + "\n#trade #summit"))
    assert cleaned.authors == ["Jane Doe"]
    assert cleaned.tags == ["trade", "summit"]


def test_output_layout_is_one_blank_line_between_paragraphs() -> None:
    doc = clean_residue(Document(text="First line.\n\n\n\nSecond line.\r\nThird line.  "))
    assert doc.text == "First line.\n\nSecond line.\n\nThird line."


def test_input_is_not_mutated() -> None:
    doc = Document(text="Leaders met on Thursday in the capital to talk trade.\n#summit")
    clean_residue(doc)
    assert doc.text.endswith("#summit") and doc.tags == [] and doc.cleaning == []


def test_only_configured_languages_apply() -> None:
    from cleaners.options import CleanOptions

    text = "Leaders met on Thursday in the capital to talk trade.\nArtikel teilen"
    assert clean_residue(Document(text=text)).text.endswith("trade.")
    english_only = CleanOptions(languages=("en",))
    assert clean_residue(Document(text=text), english_only).text.endswith("Artikel teilen")


def test_one_cell_table_rows_and_odd_spaces_are_judged_in_plain_form() -> None:
    body = "Leaders met on Thursday in the capital to talk trade and security with their allies."
    rows = "|\u00a0 Share\u00a0this\u00a0article |\nFollow\u00a0us"
    doc = clean_residue(Document(text=f"{body}\n{rows}"))
    assert doc.text == body
    assert [c.rule for c in doc.cleaning] == ["share-line", "share-line"]


def test_rows_of_real_tables_and_table_prose_stay() -> None:
    text = (
        "Leaders met on Thursday in the capital to talk trade and security with their allies.\n"
        "| Share | 12.4 % |\n"
        "|\u00a0Comments from readers were read out at the start of the meeting |"
    )
    doc = clean_residue(Document(text=text))
    assert doc.text.splitlines()[::2] == text.splitlines()
    assert doc.cleaning == []
