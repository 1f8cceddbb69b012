"""The rule engine: apply a RuleSet's line, prefix, pattern and block rules to a document."""

from __future__ import annotations

import re
from functools import lru_cache

from cleaners.document import Cleaning, Document
from cleaners.residue.lines import SPACE_RUN, is_linkish, text_lines, words, zones
from cleaners.residue.rules import Rule, RuleSet
from cleaners.text import join_paragraphs

# Whole-line rules only look at lines up to this length: residue lines are short, and the
# bound keeps every regex's running time bounded whatever the input.
MAX_RULE_LINE_CHARS = 1000
# What an inline removal may leave behind that is not worth keeping as a line.
LEFTOVER_PUNCTUATION = frozenset("-–—|·•:;,./()[]*_ ")
INLINE_IGNORECASE = "(?i)"


@lru_cache(maxsize=32)
def _screen(rules: tuple[Rule, ...]) -> re.Pattern[str] | None:
    """One alternation of the anchored whole-line rules, to rule out most lines in one call.

    A line the screen does not match cannot match any of those rules; a line it matches is
    then tried rule by rule, in file order, to name the rule.
    """
    branches = []
    for rule in rules:
        if rule.match == "pattern":
            continue
        pattern = rule.regex.pattern
        ignore_case = pattern.startswith(INLINE_IGNORECASE)
        body = pattern.removeprefix(INLINE_IGNORECASE)
        if not body.startswith("^"):
            return None
        branches.append(f"(?i:{body})" if ignore_case else f"(?:{body})")
    if not branches:
        return None
    return re.compile("|".join(branches))


def _line_match(rule: Rule, line: str) -> bool:
    if len(line) > MAX_RULE_LINE_CHARS:
        return False
    if rule.match == "line":
        return rule.regex.search(line) is not None
    if rule.match == "prefix":
        return rule.regex.match(line) is not None and words(line) <= rule.max_words
    return False


def _own_rule(rules: tuple[Rule, ...], line: str) -> bool:
    """A line another rule names (a comment form after a related block) is left to that rule."""
    if len(line) > MAX_RULE_LINE_CHARS:
        return False
    return any(
        (rule.match == "block" and rule.regex.search(line)) or _line_match(rule, line)
        for rule in rules
    )


def _remove_inline(rule: Rule, line: str) -> tuple[str, list[str]]:
    """The line without the rule's matches, and the removed pieces."""
    removed: list[str] = []

    def cut(match: re.Match[str]) -> str:
        removed.append(match.group(0))
        return " "

    kept = rule.regex.sub(cut, line)
    if not removed:
        return line, []
    kept = SPACE_RUN.sub(" ", kept).strip()
    if kept and all(char in LEFTOVER_PUNCTUATION for char in kept):
        removed.append(kept)
        kept = ""
    return kept, [piece for piece in removed if piece.strip()]


def _apply(
    lines: list[str], rules: tuple[Rule, ...], in_zone: list[bool]
) -> tuple[list[str], list[Cleaning]]:
    """One pass of `rules` over the lines flagged in `in_zone`."""
    cleanings: list[Cleaning] = []
    kept: list[str] = []
    screen = _screen(rules)
    inline_only = tuple(rule for rule in rules if rule.match == "pattern")
    index = 0
    while index < len(lines):
        line = lines[index]
        if not in_zone[index]:
            kept.append(line)
            index += 1
            continue
        dropped = False
        worth_trying = rules
        if screen is not None and len(line) <= MAX_RULE_LINE_CHARS and not screen.match(line):
            worth_trying = inline_only
        for rule in worth_trying:
            if rule.match == "pattern":
                line, pieces = _remove_inline(rule, line)
                cleanings.extend(Cleaning.of(rule.name, "removed", piece) for piece in pieces)
                if not line:
                    dropped = True
                    break
            elif rule.match == "block":
                if len(line) <= MAX_RULE_LINE_CHARS and rule.regex.search(line):
                    cleanings.append(Cleaning.of(rule.name, "removed", line))
                    follow = index + 1
                    while (
                        follow < len(lines)
                        and follow - index <= rule.max_lines
                        and is_linkish(lines[follow])
                        and not _own_rule(rules, lines[follow])
                    ):
                        cleanings.append(Cleaning.of(rule.name, "removed", lines[follow]))
                        follow += 1
                    index = follow - 1
                    dropped = True
                    break
            elif _line_match(rule, line):
                cleanings.append(Cleaning.of(rule.name, "removed", line))
                dropped = True
                break
        if not dropped:
            kept.append(line)
        index += 1
    return kept, cleanings


def strip_rules(doc: Document, rules: RuleSet) -> Document:
    """Remove the residue lines, blocks and inline markers that `rules` describe; record each.

    Rules for anywhere run first; head and tail are then measured on what is left, so a
    cookie banner in running-text form does not hide the header lines above the article.

    >>> from cleaners.residue.rules import load_rules
    >>> doc = Document(text="Astana talks went on for two days and ended with a joint statement.\\n"
    ...                     "Related Articles\\nSCO summit opens\\nLEAVE A REPLY")
    >>> cleaned = strip_rules(doc, load_rules(("en",)))
    >>> cleaned.text, [c.rule for c in cleaned.cleaning]
    ('Astana talks went on for two days and ended with a joint statement.', \
['related-block', 'related-block', 'comment-form'])
    """
    lines = text_lines(doc.text)
    cleanings: list[Cleaning] = []
    anywhere = tuple(rule for rule in rules.rules if rule.where == "anywhere")
    lines, found = _apply(lines, anywhere, [True] * len(lines))
    cleanings.extend(found)
    head_rules = tuple(rule for rule in rules.rules if rule.where == "head")
    tail_rules = tuple(rule for rule in rules.rules if rule.where == "tail")
    head_end, _ = zones(lines)
    lines, found = _apply(lines, head_rules, [i < head_end for i in range(len(lines))])
    cleanings.extend(found)
    _, tail_start = zones(lines)
    lines, found = _apply(lines, tail_rules, [i >= tail_start for i in range(len(lines))])
    cleanings.extend(found)
    if not cleanings:
        return doc
    return doc.evolve(*cleanings, text=join_paragraphs(lines))
