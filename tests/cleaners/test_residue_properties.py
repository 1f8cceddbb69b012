"""Properties of clean_residue on any text: idempotent, never raises, removes only whole lines
or recorded pieces."""

from __future__ import annotations

import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.document import Document
from cleaners.residue import clean_residue, load_rules
from cleaners.text import join_paragraphs

WHITESPACE = re.compile(r"\s+")

# Lines drawn from residue and from article text, so that the rules actually fire.
SAMPLE_LINES = [
    "Leaders met in the capital on Thursday to discuss trade and security issues.",
    "The next meeting is planned for next year, officials said after the talks.",
    "ASTANA (Reuters) -Chinese President Xi Jinping urged members to resist meddling.",
    "(Reporting by Pavel MikheyevWriting by Olzhas Auyezov; editing by Guy Faulconbridge)",
    "#Putin #talk #peace",
    "2024-07-08 04:55:57",
    "giovedì, Aprile 18, 2024",
    "By Jane Doe",
    "Related Articles",
    "LEAVE A REPLY",
    "Please enter your comment!",
    "- Advertisement -spot_img",
    "Leggi anche: Biden-Putin: atteso oggi il summit online",
    "Kommentar (0)",
    "Quelle",
    "Français",
    "Share",
    "© 2024 Example",
    "What comes next",
    "- a list item",
    "",
]

lines = st.one_of(st.sampled_from(SAMPLE_LINES), st.text(max_size=80))
texts = st.lists(lines, max_size=14).map("\n".join)
any_text = st.one_of(texts, st.text(max_size=400))


def _squash(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_cleaning_twice_is_cleaning_once(text: str) -> None:
    once = clean_residue(Document(text=text))
    twice = clean_residue(once)
    assert twice.text == once.text
    assert twice.cleaning == once.cleaning
    assert (twice.authors, twice.editors, twice.tags, twice.agency, twice.dateline) == (
        once.authors,
        once.editors,
        once.tags,
        once.agency,
        once.dateline,
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_only_whole_lines_or_recorded_text_disappear(text: str) -> None:
    doc = clean_residue(Document(text=text))
    output_lines = [_squash(line) for line in doc.text.split("\n\n") if line.strip()]
    recorded = [_squash(entry.text.rstrip("…")) for entry in doc.cleaning]
    for line in (_squash(line) for line in text.splitlines()):
        if not line:
            continue
        survived = any(line == out for out in output_lines)
        cut = any(piece and piece in line for piece in recorded) or any(
            line.startswith(piece) or piece.startswith(line[:150]) for piece in recorded if piece
        )
        # A moved prefix (dateline) leaves the rest of its line in the output.
        shortened = any(out and line.endswith(out) for out in output_lines)
        assert survived or cut or shortened, line


@settings(max_examples=100, deadline=None)
@given(any_text)
def test_output_layout(text: str) -> None:
    doc = clean_residue(Document(text=text))
    assert doc.text == join_paragraphs(doc.text.split("\n\n"))
    assert "\n\n\n" not in doc.text


def test_pathological_lines_stay_fast() -> None:
    rules = load_rules()
    nasty = [
        "a" * 50_000,
        ("word " * 10_000).strip(),
        "(" * 5_000 + "Reuters" + ")" * 5_000,
        "#a" * 10_000,
        "By " + "Aa " * 5_000,
        "Home > " * 2_000,
        "1" * 20_000,
        ("- " * 10_000) + "Advertisement",
        "\n".join(["Related Articles"] + ["Short link line"] * 3_000),
        "ASTANA, " + "x" * 10_000 + " (Reuters) -",
    ]
    assert rules.rules
    for text in nasty:
        start = time.perf_counter()
        clean_residue(Document(text=text))
        assert time.perf_counter() - start < 5.0, text[:40]


@settings(max_examples=200, deadline=None)
@given(st.lists(lines, min_size=1, max_size=10), lines)
def test_restated_share_from_lines_is_the_share_of_the_joined_text(
    earlier: list[str], closing: str
) -> None:
    from cleaners.residue.repeats import _restated_share_of_lines, restated_share

    earlier = [line.strip() for line in earlier if line.strip()]
    assert _restated_share_of_lines(closing, earlier) == restated_share(closing, "\n".join(earlier))
