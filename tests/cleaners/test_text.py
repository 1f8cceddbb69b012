"""Text measures: word count, paragraphs, the normalised content hash."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from cleaners.text import (
    UNSPACED_SCRIPT,
    WORD,
    casefold_words,
    content_hash,
    join_paragraphs,
    normalise_for_hash,
    word_count,
)


def _word_count_in_three_passes(text: str) -> int:
    unspaced = len(UNSPACED_SCRIPT.findall(text))
    return len(WORD.findall(UNSPACED_SCRIPT.sub(" ", text))) + unspaced


@given(st.text(alphabet=st.sampled_from(list("ab é1 _-\n上海合作组织カナ한국ไทย")), max_size=40))
def test_word_count_counts_unspaced_characters_one_by_one(text: str) -> None:
    assert word_count(text) == _word_count_in_three_passes(text)


def test_word_count_examples() -> None:
    assert word_count("Der Gipfel fand in Astana statt.") == 6
    assert word_count("上海合作组织峰会 in Astana") == 10
    assert word_count("") == 0


def test_hash_ignores_layout_and_case() -> None:
    assert content_hash("Putin  and Xi,\n\nmet!") == content_hash("putin and xi met")
    assert re.fullmatch(r"[0-9a-f]{32}", content_hash("x"))
    assert join_paragraphs(["a", " ", "b"]) == "a\n\nb"


def _normalised_in_one_piece(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(WORD.findall(folded))


@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                "B",
                " ",
                "\n",
                "\n\n",
                ",",
                "ﬁ",
                "Ｘ",
                "e\u0301",
                "é",
                "İ",
                "ß",
                "Σ",
                "ς",
                "上海",
                "١٢",
                "_",
            ]
        ),  # fmt: skip
        max_size=30,
    ).map("".join)
)
def test_hash_normalisation_line_by_line_is_the_whole_text_one(text: str) -> None:
    assert normalise_for_hash(text) == _normalised_in_one_piece(text)
    assert word_count(text) == sum(word_count(line) for line in text.split("\n"))


def test_long_lines_are_measured_without_the_cache() -> None:
    line = "word " * 1000
    assert word_count(line) == 1000
    assert casefold_words(line.upper())[:2] == ("word", "word")
    assert normalise_for_hash(line + "\n" + line) == " ".join(["word"] * 2000)
