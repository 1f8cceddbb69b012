"""The narrowed line screen answers exactly like the one alternation of all the rules."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.document import Document
from cleaners.options import NEWS_LANGUAGES
from cleaners.residue import load_rules, strip_rules
from cleaners.residue.engine import _plan, _screen
from cleaners.residue.rules import Rule, RuleSet, check_pattern
from cleaners.residue.screen import LineScreen, first_chars, max_line_chars

RULES = load_rules(tuple(NEWS_LANGUAGES))
SCREENS = [plan.screen for plan in _plan(RULES).values() if plan.screen is not None]

# Pieces of residue lines (in several scripts and cases) and of article text, so that
# generated lines reach deep into the branches, not only their first character.
PIECES = [
    "All rights reserved",
    "Tous droits réservés",
    "Все права защищены",
    "Leave a Reply",
    "LEAVE A REPLY",
    "Read more",
    "Czytaj też:",
    "Leggi anche:",
    "Lire aussi :",
    "Kommentar (0)",
    "Share on Facebook",
    "© 2024 Example",
    "Advertisement",
    "ſhare",  # long s: equal to "s" under IGNORECASE
    "\u212aommentar",  # Kelvin sign: equal to "k" under IGNORECASE
    "İ",
    "ß",
    "Photo: Reuters",
    "Leaders met in the capital on Thursday to discuss trade.",
    " ",
    ".",
    ":",
    "-",
    "|",
    "12",
]
lines = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), min_size=1, max_size=8)


def _joined(screen: LineScreen) -> re.Pattern[str]:
    return re.compile("|".join(screen.branches))


@settings(max_examples=400, deadline=None)
@given(lines, st.sampled_from(SCREENS))
def test_narrowed_screen_matches_like_the_joined_alternation(
    parts: list[str], screen: LineScreen
) -> None:
    line = "".join(parts)
    assert screen.match(line) == (_joined(screen).match(line) is not None)
    # Both the line alone and a longer one that starts the same way.
    longer = line + " and more words after it" * 8
    assert screen.match(longer) == (_joined(screen).match(longer) is not None)


@pytest.mark.parametrize(
    ("branch", "line", "expected"),
    [
        (r"(?i:^share$)", "ſhare", True),
        (r"(?i:^kommentar$)", "\u212aommentar", True),
        (r"(?:^menu$)", "menu\n", True),  # `$` also matches before a final newline
        (r"(?:^(?:menu)?$)", "", True),
        (r"(?i:^(?=read)\w+ more$)", "Read more", True),
        (r"(?:^\s*tags:)", "  tags: a", True),
        (r"(?:^[^\n]{0,10}\bend$)", "x" * 10 + " end", False),
        (r"(?:^[^\n]{0,10}\bend$)", "x" * 9 + " end", True),
    ],
)
def test_screen_edge_cases(branch: str, line: str, expected: bool) -> None:
    screen = LineScreen([r"(?:^never$)", branch])
    assert screen.match(line) is expected
    assert (_joined(screen).match(line) is not None) is expected


def test_back_references_keep_the_joined_screen() -> None:
    screen = LineScreen([r"(?:^(a)$)", r"(?:^(\w+) \1$)"])
    assert screen.parts is None
    for line in ("a", "b b", "b c", "a a"):
        assert screen.match(line) == (_joined(screen).match(line) is not None)


def test_first_chars_and_line_limits() -> None:
    starts = first_chars(r"(?i:^(?:\d+ comments|leave a reply)$)")
    assert starts is not None
    assert [bool(starts.match(c)) for c in "7lLx "] == [True, True, True, False, False]
    assert first_chars(r"(?:^(?:a)?$)") is None  # can match an empty line
    assert first_chars(r"(?a:^\w+$)") is None  # ASCII classes are not rebuilt
    assert max_line_chars(r"(?:^ab{1,3}$)") == 5
    assert max_line_chars(r"(?:^ab+$)") is None
    assert max_line_chars(r"(?:^ab)") is None


def _rule(name: str, pattern: str, where: str = "anywhere") -> Rule:
    return Rule(name, "test", "line", check_pattern(pattern, "line"), where, "test", "en")  # type: ignore[arg-type]


def test_each_rule_set_gets_its_own_plan() -> None:
    first = RuleSet((_rule("menu", r"(?i)^menu$"),))
    second = RuleSet((_rule("share", r"(?i)^share$"),))
    doc = Document(text="A long first sentence of the story, with twelve words in it.\nMenu\nShare")
    for _ in range(2):  # the second time from the plans' memory
        assert [c.rule for c in strip_rules(doc, first).cleaning] == ["menu"]
        assert [c.rule for c in strip_rules(doc, second).cleaning] == ["share"]
    assert _screen(first.rules) is not None


def test_remembered_lines_give_the_same_cleaning() -> None:
    text = (
        "Astana talks went on for two days and ended with a joint statement.\n"
        "Related Articles\nSCO summit opens\nLEAVE A REPLY"
    )
    once = strip_rules(Document(text=text), RULES)
    again = strip_rules(Document(text=text), RULES)
    assert again.text == once.text
    assert again.cleaning == once.cleaning
    assert [c.rule for c in once.cleaning] == ["related-block", "related-block", "comment-form"]
