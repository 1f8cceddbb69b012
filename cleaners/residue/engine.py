"""The rule engine: apply a RuleSet's line, prefix, pattern and block rules to a document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleaners.document import Cleaning, Document
from cleaners.residue.lines import SPACE_RUN, is_linkish, text_lines, words, zones
from cleaners.residue.rules import Rule, RuleSet, Where
from cleaners.residue.screen import LineScreen
from cleaners.text import join_paragraphs

# Whole-line rules only look at lines up to this length: residue lines are short, and the
# bound keeps every regex's running time bounded whatever the input.
MAX_RULE_LINE_CHARS = 1000
# What an inline removal may leave behind that is not worth keeping as a line.
LEFTOVER_PUNCTUATION = frozenset("-–—|·•:;,./()[]*_ ")
INLINE_IGNORECASE = "(?i)"
# Layout tables come out of extraction as "|  cell  |" rows; a row with one filled cell is
# judged by that cell, so a template's "| Related articles |" goes like its bare form.
TABLE_CELL_EDGE = "| \t"


# Plans are kept per RuleSet object (rule sets come from load_rules' cache, so there are few);
# hashing a RuleSet means hashing every field of every rule, far dearer than the lookup.
MAX_PLANS = 16
# Lines recur across the passes of clean_residue and among the copies of a site's template;
# beyond this many remembered lines a zone's memory starts afresh.
MAX_REMEMBERED_LINES = 1024
ZONE_ORDER: tuple[Where, ...] = ("anywhere", "head", "tail")


def _screen(rules: tuple[Rule, ...]) -> LineScreen | None:
    """One screen of the anchored whole-line rules, to rule out most lines at once.

    A line the screen does not match cannot match any of those rules; for a line it matches,
    it names the branches (rules, in file order) that do.
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
    return LineScreen(branches)


def _branches_of(rules: tuple[Rule, ...]) -> tuple[int | None, ...]:
    """Each rule's branch in its zone's screen (None for inline rules, which have none)."""
    numbers = iter(range(len(rules)))
    return tuple(None if rule.match == "pattern" else next(numbers) for rule in rules)


# What the rules of a zone do to one line, whatever its neighbours: the entries recorded, the
# line that is left ("" when it is dropped), and the block rule that opens a block there.
_Outcome = tuple[tuple[Cleaning, ...], str, "Rule | None"]


@dataclass(slots=True)
class _ZonePlan:
    """The rules of one zone, their screen, and what they did to lines seen before."""

    rules: tuple[Rule, ...]
    screen: LineScreen | None
    # (rule, its branch of the screen) in file order; inline rules have no branch
    steps: tuple[tuple[Rule, int | None], ...]
    inline_steps: tuple[tuple[Rule, int | None], ...]
    outcomes: dict[str, _Outcome] = field(default_factory=dict)

    def outcome(self, line: str) -> _Outcome:
        """What the zone's rules do to `line`, from memory when the line was seen before."""
        if len(line) > MAX_RULE_LINE_CHARS:
            return self._work_out(line)
        known = self.outcomes.get(line)
        if known is None:
            known = self._work_out(line)
            if known[1] and known[2] is None and not known[0]:
                known = _plain_outcome(self, line)
            if len(self.outcomes) >= MAX_REMEMBERED_LINES:
                self.outcomes.clear()
            self.outcomes[line] = known
        return known

    def _work_out(self, line: str) -> _Outcome:
        steps = self.steps
        matched: tuple[int, ...] | None = None
        screen = self.screen
        if screen is not None and len(line) <= MAX_RULE_LINE_CHARS:
            matched = screen.matching(line)
            if matched == ():
                steps = self.inline_steps
        entries: list[Cleaning] = []
        # While no inline rule has changed the line, a rule whose branch of the screen did not
        # match it cannot match it either: its regex is that branch.
        untouched = True
        for rule, branch in steps:
            if rule.match == "pattern":
                changed, pieces = _remove_inline(rule, line)
                entries.extend(Cleaning.of(rule.name, "removed", piece) for piece in pieces)
                untouched = untouched and changed == line
                line = changed
                if not line:
                    return tuple(entries), "", None
            elif untouched and matched is not None and branch not in matched:
                continue
            elif rule.match == "block":
                if len(line) <= MAX_RULE_LINE_CHARS and rule.regex.search(line):
                    return tuple(entries), line, rule
            elif _line_match(rule, line):
                entries.append(Cleaning.of(rule.name, "removed", line))
                return tuple(entries), "", None
        return tuple(entries), line, None


_PLANS: dict[int, tuple[RuleSet, dict[Where, _ZonePlan]]] = {}


def prepare_plan(rules: RuleSet) -> None:
    """Build the zone plans (screens included) of a rule set ahead of its first use."""
    _plan(rules)


def _plan(rules: RuleSet) -> dict[Where, _ZonePlan]:
    """The zone plans of a rule set, built once per RuleSet object."""
    entry = _PLANS.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    plans: dict[Where, _ZonePlan] = {}
    for where in ZONE_ORDER:
        zone_rules = tuple(rule for rule in rules.rules if rule.where == where)
        steps = tuple(zip(zone_rules, _branches_of(zone_rules), strict=True))
        inline_steps = tuple(step for step in steps if step[0].match == "pattern")
        plans[where] = _ZonePlan(zone_rules, _screen(zone_rules), steps, inline_steps)
    if len(_PLANS) >= MAX_PLANS:
        _PLANS.clear()
    # The entry holds the RuleSet itself, so its id cannot be reused while the entry exists.
    _PLANS[id(rules)] = (rules, plans)
    return plans


def _line_match(rule: Rule, line: str) -> bool:
    if len(line) > MAX_RULE_LINE_CHARS:
        return False
    if rule.match == "line":
        return rule.regex.search(line) is not None
    if rule.match == "prefix":
        return rule.regex.match(line) is not None and words(line) <= rule.max_words
    return False


def _own_rule(rules: tuple[Rule, ...], line: str, block: Rule) -> bool:
    """A line a rule of another kind names (a comment form after a related block) is left to
    that rule; a line of the block's own kind (a phone number under a press contact) is the
    block's."""
    if len(line) > MAX_RULE_LINE_CHARS:
        return False
    return any(
        rule.kind != block.kind
        and ((rule.match == "block" and rule.regex.search(line)) or _line_match(rule, line))
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


def _single_cell(line: str) -> str | None:
    """The text of a table row with one filled cell, or None for any other line.

    >>> _single_cell("|   Related articles |"), _single_cell("| 2021 | 3.4 % |")
    ('Related articles', None)
    """
    if not line.startswith("|"):
        return None
    cell = line.strip(TABLE_CELL_EDGE)
    return cell if cell and "|" not in cell else None


def _plain_outcome(plan: _ZonePlan, line: str) -> _Outcome:
    """What the rules do to a line in plain form: one-cell table rows are judged by their cell,
    and no-break or doubled spaces count as one space. The line goes whole or stays whole.
    """
    # isprintable() is False for every space but the ASCII one: a fast test for the common case
    plain = line if line.isprintable() and "  " not in line else SPACE_RUN.sub(" ", line)
    cell = _single_cell(plain)
    if cell is not None:
        plain = cell
    if plain == line:
        return (), line, None
    entries, rest, block = plan.outcome(plain)
    if rest and block is None:
        return (), line, None  # an inline removal alone would rewrite the line: keep it whole
    return entries, rest, block


def _apply(
    lines: list[str], plan: _ZonePlan, start: int, stop: int
) -> tuple[list[str], list[Cleaning]]:
    """One pass of a zone's rules over lines[start:stop]."""
    cleanings: list[Cleaning] = []
    if not plan.rules or start >= stop:
        return lines, cleanings
    kept: list[str] = lines[:start]
    index = start
    while index < stop:
        entries, line, block = plan.outcome(lines[index])
        cleanings.extend(entries)
        if block is not None:
            cleanings.append(Cleaning.of(block.name, "removed", line))
            follow = index + 1
            while (
                follow < len(lines)
                and follow - index <= block.max_lines
                and is_linkish(lines[follow])
                and not _own_rule(plan.rules, lines[follow], block)
            ):
                cleanings.append(Cleaning.of(block.name, "removed", lines[follow]))
                follow += 1
            index = follow
            continue
        if line:
            kept.append(line)
        index += 1
    kept.extend(lines[index:])
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
    plans = _plan(rules)
    lines = text_lines(doc.text)
    cleanings: list[Cleaning] = []
    lines, found = _apply(lines, plans["anywhere"], 0, len(lines))
    cleanings.extend(found)
    head_end, _ = zones(lines)
    lines, found = _apply(lines, plans["head"], 0, head_end)
    cleanings.extend(found)
    _, tail_start = zones(lines)
    lines, found = _apply(lines, plans["tail"], tail_start, len(lines))
    cleanings.extend(found)
    if not cleanings:
        return doc
    return doc.evolve(*cleanings, text=join_paragraphs(lines))
