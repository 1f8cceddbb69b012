"""Every residue rule, and clean_residue as a whole, run in bounded time on adversarial text."""

from __future__ import annotations

import re
import re._parser as regex_parser
import time
from typing import Any

import pytest

from cleaners.document import Document
from cleaners.residue import clean_residue, load_rules
from cleaners.residue.rules import Rule, RuleError, check_pattern

LINE_CHARS = 100_000
# Seconds one compiled pattern may take on one 100k-character line. A linear scan takes
# milliseconds; quadratic backtracking on 100k characters takes minutes.
PATTERN_BUDGET_S = 3.0
DOCUMENT_BUDGET_S = 20.0


def _literals(parsed: Any) -> str:
    """The literal characters a pattern spells out, in order: the raw material of near misses."""
    found = []
    for op, arg in parsed:
        if op == regex_parser.LITERAL:
            found.append(chr(arg))
        elif op == regex_parser.SUBPATTERN:
            found.append(_literals(arg[-1]))
        elif op == regex_parser.BRANCH:
            found.append(_literals(arg[1][0]))
        elif op in (regex_parser.MAX_REPEAT, regex_parser.MIN_REPEAT):
            found.append(_literals(arg[2]) * max(1, min(arg[0], 3)))
        elif op == regex_parser.IN:
            for item_op, item_arg in arg:
                if item_op == regex_parser.LITERAL:
                    found.append(chr(item_arg))
                    break
                if item_op == regex_parser.RANGE:
                    found.append(chr(item_arg[0]))
                    break
                if item_op == regex_parser.CATEGORY:
                    found.append(" " if "SPACE" in str(item_arg) else "a")
                    break
    return "".join(found)


def adversarial_lines(rule: Rule) -> dict[str, str]:
    """Long lines built to make a backtracking matcher work hard against this rule."""
    literal = _literals(regex_parser.parse(rule.regex.pattern)) or "a"
    near_miss = literal[:-1] if len(literal) > 1 else literal
    lines = {
        "letters": "a" * LINE_CHARS,
        "spaces": " " * LINE_CHARS,
        "mixed-space": "\t \u00a0" * (LINE_CHARS // 3),
        "digits": "1" * LINE_CHARS,
        "punctuation": "-|.,:/#©" * (LINE_CHARS // 8),
        "words": "word " * (LINE_CHARS // 5),
        "literal-run": (literal * (LINE_CHARS // len(literal) + 1))[:LINE_CHARS],
        "near-miss-run": (near_miss + " ") * (LINE_CHARS // (len(near_miss) + 1)),
        "near-miss-tail": literal + "a" * LINE_CHARS + "!",
        "literal-then-junk": literal[: len(literal) // 2] + "\u200b" * LINE_CHARS,
    }
    return lines


ALL_RULES = load_rules(None).rules


@pytest.mark.timeout(300)
@pytest.mark.parametrize("rule", ALL_RULES, ids=[f"{r.language}:{r.name}" for r in ALL_RULES])
def test_every_rule_pattern_has_a_bounded_worst_case(rule: Rule) -> None:
    slow = []
    for name, line in adversarial_lines(rule).items():
        for operation in (rule.regex.search, rule.regex.match, rule.regex.findall):
            started = time.perf_counter()
            operation(line)
            spent = time.perf_counter() - started
            if spent > PATTERN_BUDGET_S:
                slow.append(f"{operation.__name__} on {name}: {spent:.2f} s")
    assert not slow, f"{rule.name} ({rule.regex.pattern!r}) backtracks: {slow}"


# Alternatives that can match the same text, under an unbounded repeat, backtrack
# exponentially just as nested repeats do: 24 characters already take seconds.
@pytest.mark.parametrize("pattern", [r"^(?:x|x?)+y", r"(?:\s|\s)+x", r"^(?:a|a)+$"])
def test_the_rule_loader_refuses_overlapping_alternatives_under_a_repeat(pattern: str) -> None:
    with pytest.raises(RuleError):
        check_pattern(pattern, "line")


def _residue_lines() -> list[str]:
    return ["Share", "Related Articles", "LEAVE A REPLY", "#tag", "Facebook Twitter", "©"]


PATHOLOGICAL_TEXTS = {
    "one long line": "The council met. " * 60_000,
    "one long word": "x" * 1_000_000,
    "thousands of residue lines": "\n".join(_residue_lines() * 2_000),
    "thousands of paragraphs": "\n\n".join(
        f"Paragraph {i} tells of the tram line and the council vote on the budget for it."
        for i in range(5_000)
    ),
    "hashtags": " ".join(f"#tag{i}" for i in range(50_000)),
    "bylines and credits": "\n".join(
        f"By Jane Doe{i} and John Roe{i}\n(Reporting by Ann Lee; Editing by Bo Chan)"
        for i in range(2_000)
    ),
    "dates everywhere": "\n".join(
        f"Published {i % 28 + 1} March 2024, 10:{i % 60:02d} Updated 2024-03-{i % 28 + 1:02d}"
        for i in range(3_000)
    ),
    "near duplicates": "\n".join(
        "The council voted on the tram budget on Monday evening after a long debate " + str(i)
        for i in range(399)
    ),
    "unicode soup": "".join(chr(c) for c in range(0x20, 0x3000) if chr(c).isprintable()) * 20,
    "blank-line storm": "\n" * 500_000 + "The council met on Monday to vote on the tram budget.",
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", list(PATHOLOGICAL_TEXTS))
def test_clean_residue_has_a_per_document_time_budget(name: str) -> None:
    text = PATHOLOGICAL_TEXTS[name]
    started = time.perf_counter()
    doc = clean_residue(Document(text=text))
    spent = time.perf_counter() - started
    assert spent < DOCUMENT_BUDGET_S, f"{name}: {spent:.1f} s"
    assert isinstance(doc.text, str)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", list(PATHOLOGICAL_TEXTS))
def test_clean_residue_is_idempotent_on_pathological_text(name: str) -> None:
    doc = clean_residue(Document(text=PATHOLOGICAL_TEXTS[name]))
    assert clean_residue(doc).text == doc.text


def test_the_residue_engine_ignores_nothing_it_should_bound() -> None:
    # Whole-line rules skip overlong lines: their cost stays linear however long a line is.
    from cleaners.residue.engine import MAX_RULE_LINE_CHARS

    assert MAX_RULE_LINE_CHARS <= 10_000
    assert all(isinstance(rule.regex, re.Pattern) for rule in ALL_RULES)
