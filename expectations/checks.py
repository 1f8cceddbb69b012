"""Row checks behind the custom expectations: residue lines, mojibake, one line filling the body."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import ftfy.badness

from cleaners.residue.engine import MAX_RULE_LINE_CHARS

ANYWHERE = "anywhere"
LINE_BREAK = re.compile(r"\r?\n")
# Global inline flags such as "(?i)" at the start of a rule; they become scoped flags when
# rules are joined into one alternation, where global flags are not allowed.
LEADING_GLOBAL_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")
# Group references tie a pattern to its own numbering, which an alternation would shift.
GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
INLINE_FLAG_LETTERS = (
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
    """A pattern as one self-contained string, its flags written inline and scoped.

    >>> pattern_source(re.compile("^leave a reply$", re.IGNORECASE))
    '(?i:^leave a reply$)'
    >>> pattern_source(re.compile("(?i)^share$"))
    '(?i:^share$)'
    """
    body = pattern.pattern
    while match := LEADING_GLOBAL_FLAGS.match(body):
        body = body[match.end() :]
    letters = "".join(letter for flag, letter in INLINE_FLAG_LETTERS if pattern.flags & flag)
    return f"(?{letters}:{body})" if letters else f"(?:{body})"


@lru_cache(maxsize=64)
def compile_line_patterns(sources: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Line patterns from their sources (as written by `pattern_source`).

    >>> [p.pattern for p in compile_line_patterns(("(?i:^share$)",))]
    ['(?i:^share$)']
    """
    return tuple(re.compile(source) for source in sources)


@lru_cache(maxsize=64)
def line_screen(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One alternation of start-anchored patterns: a line it does not match matches none of them.

    None when some pattern is not anchored at the line start or cannot share an alternation.

    >>> line_screen((re.compile("(?i)^share$"), re.compile("^menu$"))).pattern
    '(?i:^share$)|(?:^menu$)'
    >>> line_screen((re.compile("menu$"),)) is None
    True
    """
    sources = [pattern_source(p) for p in patterns]
    bodies = [source[source.index(":") + 1 :] for source in sources]
    if not patterns or not all(body.startswith("^") for body in bodies):
        return None
    if any(GROUP_REFERENCE.search(source) for source in sources):
        return None
    try:
        return re.compile("|".join(sources))
    except re.error:  # e.g. two rules naming the same group
        return None


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
    screen = line_screen(tuple(patterns))
    found = []
    for line in body_lines(text):
        if len(line) > MAX_RULE_LINE_CHARS or (screen is not None and not screen.match(line)):
            continue
        if any(p.search(line) for p in patterns):
            found.append(line)
    return found


def mojibake_badness(text: str) -> int:
    """How many mis-decoding sequences ftfy sees in a text (0 for clean text).

    >>> mojibake_badness("Le président a également parlé.")
    0
    >>> mojibake_badness("Le prÃ©sident a Ã©galement parlÃ©.") > 0
    True
    """
    return int(ftfy.badness.badness(text)) if text else 0


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
