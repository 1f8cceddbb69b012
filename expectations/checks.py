"""Row checks behind the custom expectations: residue lines, mojibake, one line filling the body."""

from __future__ import annotations

import re
import re._parser as regex_parser  # the stdlib's parser, to read patterns' structure
from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import Any

import ftfy.badness

from cleaners.residue.engine import MAX_RULE_LINE_CHARS

ANYWHERE = "anywhere"
AT_START = (regex_parser.AT, regex_parser.AT_BEGINNING)
AT_END = (regex_parser.AT, regex_parser.AT_END)
LENGTH_BANDS = (512, 256, 128, 64, 32, 0)
BADNESS = ftfy.badness.BADNESS_RE
BRANCH = regex_parser.BRANCH
ASCII_END = 0x80
# Letters of the Latin, Greek and Cyrillic alphabets: frequent in clean text.
USUAL_LETTERS = frozenset(range(0xC0, 0x250)) | frozenset(range(0x370, 0x530))
LINE_BREAK = re.compile(r"\r?\n")
# Global inline flags such as "(?i)" at the start of a rule; they become scoped flags when
# rules are joined into one alternation, where global flags are not allowed.
LEADING_GLOBAL_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")
INLINE_FLAG_LETTERS = (
    (re.ASCII, "a"),
    (re.IGNORECASE, "i"),
    (re.MULTILINE, "m"),
    (re.DOTALL, "s"),
    (re.VERBOSE, "x"),
)


def body_lines(text: str) -> list[str]:
    """The non-empty lines of a body, stripped.

    >>> body_lines("One.\\n\\n  Two. \\n")
    ['One.', 'Two.']
    """
    return [line.strip() for line in LINE_BREAK.split(text) if line.strip()]


def pattern_source(pattern: re.Pattern[str]) -> str:
    """A pattern as one string that compiles back to the same pattern, flags written inline.

    >>> pattern_source(re.compile("^leave a reply$", re.IGNORECASE))
    '(?i)^leave a reply$'
    >>> re.compile(pattern_source(re.compile("(?i)^share$"))) == re.compile("(?i)^share$")
    True
    """
    letters = _flag_letters(pattern)
    return f"(?{letters}){_body(pattern)}" if letters else _body(pattern)


@lru_cache(maxsize=64)
def compile_line_patterns(sources: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Line patterns from their sources (as written by `pattern_source`).

    >>> [p.flags & re.IGNORECASE > 0 for p in compile_line_patterns(("(?i)^share$", "^x$"))]
    [True, False]
    """
    return tuple(re.compile(source) for source in sources)


def line_screen(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One alternation of start-anchored patterns: a line it does not match matches none of them.

    None when some pattern is not anchored at the line start or cannot share an alternation.

    >>> line_screen((re.compile("(?i)^share$"), re.compile("^menu$"))).pattern
    '(?i:^share$)|(?:^menu$)'
    >>> [line_screen((re.compile(p),)) for p in ("menu$", "^menu|home")]
    [None, None]
    """
    parsed = [regex_parser.parse(p.pattern, p.flags) for p in patterns]
    if not parsed or not all(tree and tree[0] == AT_START for tree in parsed):
        return None
    if any(_refers_to_groups(tree) for tree in parsed):
        return None
    # Global flags may only open a whole expression; inside an alternation they are scoped.
    branches = [f"(?{_flag_letters(p)}:{_body(p)})" for p in patterns]
    try:
        return re.compile("|".join(branches))
    except re.error:  # e.g. two rules naming the same group
        return None


def _body(pattern: re.Pattern[str]) -> str:
    body = pattern.pattern
    while match := LEADING_GLOBAL_FLAGS.match(body):
        body = body[match.end() :]
    return body


def _flag_letters(pattern: re.Pattern[str]) -> str:
    return "".join(letter for flag, letter in INLINE_FLAG_LETTERS if pattern.flags & flag)


class LineRules:
    """Whole-line patterns arranged to test many lines quickly.

    Patterns are ordered by the longest line each can match: a line is only tried against
    those that can match its length, first through one start-anchored alternation.
    """

    def __init__(self, patterns: tuple[re.Pattern[str], ...]) -> None:
        ranked = sorted(((_longest_match(p), p) for p in patterns), key=lambda item: -item[0])
        self.widths = tuple(width for width, _ in ranked)
        self.patterns = tuple(pattern for _, pattern in ranked)
        self._screens: dict[int, re.Pattern[str] | None] = {}

    def prepare(self) -> None:
        """Compile every length band's screen now rather than at the first line of its length."""
        for band in LENGTH_BANDS:
            if band not in self._screens:
                self._screens[band] = line_screen(self._candidates(band))

    def _candidates(self, length: int) -> tuple[re.Pattern[str], ...]:
        return self.patterns[: _count_at_least(self.widths, length)]

    def matching_lines(self, text: str) -> list[str]:
        found = []
        for line in body_lines(text):
            if len(line) > MAX_RULE_LINE_CHARS:
                continue
            # A few length bands share one screen each: compiling one per length costs more.
            band = next(floor for floor in LENGTH_BANDS if len(line) >= floor)
            if band not in self._screens:
                self._screens[band] = line_screen(self._candidates(band))
            screen = self._screens[band]
            if screen is not None and not screen.match(line):
                continue
            if any(p.search(line) for p in self._candidates(len(line))):
                found.append(line)
        return found


@lru_cache(maxsize=16)
def line_rules(patterns: tuple[re.Pattern[str], ...]) -> LineRules:
    return LineRules(patterns)


def residue_lines(text: str, patterns: Sequence[re.Pattern[str]]) -> list[str]:
    """Lines of a body that a residue rule still matches.

    Like the residue engine, lines longer than it ever tests are not residue lines.

    >>> rules = [re.compile(r"(?i)^(leave a reply|share this)$")]
    >>> residue_lines("Talks ended in Astana.\\n\\nShare this", rules)
    ['Share this']
    >>> residue_lines("Talks ended in Astana.", rules)
    []
    """
    if not patterns or not text:
        return []
    return line_rules(tuple(patterns)).matching_lines(text)


def mojibake_badness(text: str) -> int:
    """How many mis-decoding sequences ftfy sees in a text (0 for clean text).

    The same count as `ftfy.badness.badness`, computed only around the characters every
    such sequence must contain (`badness_trigger`), which most clean text has few of.

    >>> mojibake_badness("Le président a également parlé.")
    0
    >>> mojibake_badness("Le prÃ©sident a Ã©galement parlÃ©.")
    3
    """
    trigger = badness_trigger()
    if trigger is None:
        return int(ftfy.badness.badness(text))
    pattern, reach = trigger
    count, start, end = 0, -1, -1
    for found in pattern.finditer(text):
        low, high = max(found.start() - reach + 1, 0), found.start() + reach
        if low > end:
            if end > start:
                count += len(BADNESS.findall(text, start, end))
            start = low
        end = high
    if end > start:
        count += len(BADNESS.findall(text, start, end))
    return count


@lru_cache(maxsize=1)
def badness_trigger() -> tuple[re.Pattern[str], int] | None:
    """Characters every badness sequence must contain one of, and the longest sequence.

    From each branch of ftfy's badness expression, the position whose characters are least
    usual in clean text; None if the expression is not made of fixed-length branches.

    >>> pattern, reach = badness_trigger()
    >>> bool(pattern.search("Ã")), bool(pattern.search("plain ascii text")), reach < 20
    (True, False, True)
    """
    parsed = regex_parser.parse(BADNESS.pattern, BADNESS.flags)
    branches = parsed[0][1][1] if len(parsed) == 1 and parsed[0][0] == BRANCH else [parsed]
    trigger: set[int] = set()
    for branch in branches:
        positions = [chars for chars in (_char_set(op, arg) for op, arg in branch) if chars]
        if not positions:
            return None
        trigger |= min(positions, key=_usualness)
    low, high = parsed.getwidth()
    if high >= regex_parser.MAXREPEAT:
        return None
    members = "".join(re.escape(chr(code)) for code in sorted(trigger))
    return re.compile(f"[{members}]"), int(high)


def _char_set(op: Any, arg: Any) -> set[int] | None:
    """The characters one position of a pattern accepts, when it is a plain set."""
    if op == regex_parser.LITERAL:
        return {arg}
    if op != regex_parser.IN:
        return None
    chars: set[int] = set()
    for kind, value in arg:
        if kind == regex_parser.LITERAL:
            chars.add(value)
        elif kind == regex_parser.RANGE:
            chars.update(range(value[0], value[1] + 1))
        else:  # categories and negations: not a plain set
            return None
    return chars


def _usualness(chars: AbstractSet[int]) -> tuple[int, int, int]:
    return (
        sum(code < ASCII_END for code in chars),
        sum(code in USUAL_LETTERS for code in chars),
        len(chars),
    )


def most_repeated_line(text: str) -> tuple[str, float]:
    """The line repeated most often and the share of the body's characters its copies fill.

    A line that occurs once repeats nothing: its share is 0.

    >>> most_repeated_line("Subscribe!\\n\\nSubscribe!\\n\\nSubscribe!\\n\\nTalks end.")
    ('Subscribe!', 0.75)
    >>> most_repeated_line("One.\\n\\nTwo.")
    ('', 0.0)
    """
    lines = body_lines(text)
    if not lines:
        return "", 0.0
    line, copies = Counter(lines).most_common(1)[0]
    if copies < 2:
        return "", 0.0
    total = sum(len(x) for x in lines)
    return line, copies * len(line) / total


def load_residue_patterns(languages: tuple[str, ...] | None = None) -> tuple[re.Pattern[str], ...]:
    """The cleaners' whole-line residue rules that hold anywhere in a body (common + `languages`).

    Head and tail rules are left out: they describe residue only in the zones the residue
    engine measures, and the same words inside an article can be its text.

    >>> patterns = load_residue_patterns(("en",))
    >>> any(p.search("Facebook Twitter WhatsApp") for p in patterns)
    True
    """
    from cleaners.residue import load_rules

    rules = load_rules(languages).of("line")
    return tuple(rule.regex for rule in rules if rule.where == ANYWHERE)


REPEATS = (regex_parser.MAX_REPEAT, regex_parser.MIN_REPEAT, regex_parser.POSSESSIVE_REPEAT)


def _refers_to_groups(parsed: Any) -> bool:
    """True when a pattern refers to its own groups by number, which an alternation shifts."""
    for op, arg in parsed:
        if op in (regex_parser.GROUPREF, regex_parser.GROUPREF_EXISTS):
            return True
        if op == regex_parser.SUBPATTERN:
            children = [arg[-1]]
        elif op == regex_parser.BRANCH:
            children = list(arg[1])
        elif op in REPEATS:
            children = [arg[2]]
        elif op in (regex_parser.ASSERT, regex_parser.ASSERT_NOT):
            children = [arg[1]]
        elif op == regex_parser.ATOMIC_GROUP:
            children = [arg]
        else:
            continue
        if any(_refers_to_groups(child) for child in children):
            return True
    return False


def _longest_match(pattern: re.Pattern[str]) -> int:
    parsed = regex_parser.parse(pattern.pattern, pattern.flags)
    if not parsed or (parsed[0], parsed[-1]) != (AT_START, AT_END):
        return int(regex_parser.MAXREPEAT)
    return int(parsed.getwidth()[1])


def _count_at_least(descending: tuple[int, ...], value: int) -> int:
    low, high = 0, len(descending)
    while low < high:
        middle = (low + high) // 2
        if descending[middle] >= value:
            low = middle + 1
        else:
            high = middle
    return low
