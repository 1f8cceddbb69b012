"""Every kind of broken input through the library: each ends as one row, cleaned or rejected."""

from __future__ import annotations

import pytest

from tests.hostile.corpus import (
    Corpus,
    Outcome,
    check_outcome,
    rows_fit_the_contract,
)

KINDS = [
    "empty file",
    "binary",
    "encoding",
    "invalid UTF-8",
    "mixed encodings",
    "NUL bytes",
    "script without rules",
    "JSON lines",
    "truncated gzip",
    "deep nesting",
    "entity expansion",
    "hostile markup",
    "symlink loop",
    "unreadable file",
    "file names",
]


def _kind_of(corpus: Corpus, problem: str) -> str:
    for source, expect in [*corpus.expected.items(), *corpus.families.items()]:
        if problem.startswith(repr(source)) or problem.startswith(repr(source)[:-1]):
            return expect.kind
    return ""


def test_nothing_is_lost_and_nothing_doubled(mixed: tuple[Corpus, Outcome]) -> None:
    corpus, outcome = mixed
    assert not outcome.duplicates
    assert outcome.read == len(outcome.documents) + len(outcome.rejections)
    lost = [
        p for p in check_outcome(outcome, corpus) if "lost (neither" in p or "not expected" in p
    ]
    assert not lost, "\n".join(lost)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_bad_input_is_cleaned_or_rejected_as_expected(
    mixed: tuple[Corpus, Outcome], kind: str
) -> None:
    corpus, outcome = mixed
    assert any(e.kind == kind for e in [*corpus.expected.values(), *corpus.families.values()])
    problems = [p for p in check_outcome(outcome, corpus) if _kind_of(corpus, p) == kind]
    assert not problems, "\n".join(problems)


def test_every_row_fits_the_parquet_contract(mixed: tuple[Corpus, Outcome]) -> None:
    rows_fit_the_contract(mixed[1])


def test_rejections_say_where_and_why(mixed: tuple[Corpus, Outcome]) -> None:
    for rejection in mixed[1].rejections.values():
        assert rejection.reason and rejection.reason == rejection.reason.strip().lower()
        assert " " not in rejection.reason and rejection.detail.strip()
        assert rejection.stage in {"discover", "read", "extract", "clean"}
        assert rejection.source.isprintable(), rejection.source
        assert all(ch.isprintable() or ch == " " for ch in rejection.excerpt)
