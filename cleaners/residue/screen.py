"""A line screen: one alternation of anchored rules, narrowed by the line's first character."""

from __future__ import annotations

import re
import re._constants as sre  # the stdlib's own opcodes, to read parsed patterns
import re._parser as regex_parser
from bisect import bisect_left
from typing import Any

# Flags under which a one-character pattern rebuilt from a parsed one matches the same
# characters; a pattern under any other flag (ASCII, LOCALE) is always tried.
KNOWN_FLAGS = re.IGNORECASE | re.UNICODE | re.MULTILINE | re.DOTALL | re.VERBOSE
CATEGORY_CLASSES: dict[Any, str] = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
# Distinct (first character, length class) pairs remembered; beyond this the memory starts
# afresh (CJK text has thousands of first characters).
MAX_REMEMBERED_KEYS = 8192


class _Unanalysed(Exception):
    """A construct whose first characters are not worked out: the branch is always tried."""


def _char(code: int) -> str:
    return re.escape(chr(code))


def _class_text(items: list[tuple[Any, Any]]) -> str:
    parts = []
    negate = ""
    for op, arg in items:
        if op is sre.NEGATE:
            negate = "^"
        elif op is sre.LITERAL:
            parts.append(_char(arg))
        elif op is sre.RANGE:
            parts.append(f"{_char(arg[0])}-{_char(arg[1])}")
        elif op is sre.CATEGORY and arg in CATEGORY_CLASSES:
            parts.append(CATEGORY_CLASSES[arg])
        else:
            raise _Unanalysed(op)
    return f"[{negate}{''.join(parts)}]"


def _one_char(text: str, flags: int) -> str:
    return f"(?i:{text})" if flags & re.IGNORECASE else f"(?-i:{text})"


def _firsts(items: Any, flags: int) -> tuple[list[str], bool]:
    """One-character patterns for what `items` can start with, and whether it can match ''."""
    if flags & ~KNOWN_FLAGS:
        raise _Unanalysed(flags)
    found: list[str] = []
    for op, arg in items:
        if op in ZERO_WIDTH:
            continue  # skipping a zero-width check only lets more characters through
        if op is sre.LITERAL:
            return [*found, _one_char(_char(arg), flags)], False
        if op is sre.NOT_LITERAL:
            return [*found, _one_char(f"[^{_char(arg)}]", flags)], False
        if op is sre.ANY:
            return [*found, "(?s:.)"], False
        if op is sre.IN:
            return [*found, _one_char(_class_text(arg), flags)], False
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, body = arg
            inner, nullable = _firsts(body, (flags | add_flags) & ~del_flags)
        elif op is sre.ATOMIC_GROUP:
            inner, nullable = _firsts(arg, flags)
        elif op is sre.BRANCH:
            inner, nullable = [], False
            for branch in arg[1]:
                branch_firsts, branch_nullable = _firsts(branch, flags)
                inner += branch_firsts
                nullable = nullable or branch_nullable
        elif op in REPEATS:
            low, _high, body = arg
            inner, nullable = _firsts(body, flags)
            nullable = nullable or low == 0
        else:
            raise _Unanalysed(op)
        found += inner
        if not nullable:
            return found, False
    return found, True


def first_chars(pattern: str) -> re.Pattern[str] | None:
    """A pattern matching every character a match of `pattern` can begin with; None when that
    is not worked out or the pattern can match an empty string (it must then always be tried).

    >>> starts = first_chars(r"(?i:^(?:leave a reply|\\d+ comments?)$)")
    >>> [bool(starts.match(c)) for c in "Ll7x"]
    [True, True, True, False]
    >>> first_chars(r"^(?:menu)?$") is None
    True
    """
    try:
        parsed = regex_parser.parse(pattern)
        if parsed.state.flags & ~KNOWN_FLAGS:
            return None
        found, nullable = _firsts(parsed, parsed.state.flags)
    except (_Unanalysed, re.error):
        return None
    if nullable or not found:
        return None
    return re.compile("|".join(found))


def _has_reference(items: Any) -> bool:
    """Whether a parsed pattern refers back to a group (its number changes once joined)."""
    for op, arg in items:
        if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            return True
        if op is sre.SUBPATTERN and _has_reference(arg[-1]):
            return True
        if op is sre.BRANCH and any(_has_reference(branch) for branch in arg[1]):
            return True
        if op in REPEATS and _has_reference(arg[2]):
            return True
        if op in (sre.ASSERT, sre.ASSERT_NOT) and _has_reference(arg[1]):
            return True
        if op is sre.ATOMIC_GROUP and _has_reference(arg):
            return True
    return False


def _ends_at_end(items: Any) -> bool:
    """Whether every match ends with `$` (or `\\Z`): the match then spans the whole line."""
    if not items:
        return False
    op, arg = items[-1]
    if op is sre.AT:
        return arg in (sre.AT_END, sre.AT_END_STRING)
    if op is sre.SUBPATTERN:
        return _ends_at_end(arg[-1])
    if op is sre.BRANCH:
        return all(_ends_at_end(branch) for branch in arg[1])
    return False


def max_line_chars(pattern: str) -> int | None:
    """The longest line a whole-line pattern can match; None when it has no such bound.

    >>> max_line_chars(r"(?i:^[^\\n]{0,150}\\ball rights reserved\\.?$)")
    171
    >>> max_line_chars(r"^read more") is None
    True
    """
    try:
        parsed = regex_parser.parse(pattern)
    except re.error:
        return None
    _low, high = parsed.getwidth()
    if high >= sre.MAXREPEAT - 1 or not _ends_at_end(list(parsed)):
        return None
    return high + 1  # `$` also matches before a final newline


class LineScreen:
    """`match(line)` is true exactly when `re.compile("|".join(branches)).match(line)` is, but
    tries only the branches that can begin with the line's first character and can span a line
    of its length (`^menu$` cannot match a paragraph), one by one; `matching(line)` also says
    which of them match."""

    __slots__ = ("branches", "_full", "parts", "starts", "limits", "bounds", "by_key")

    def __init__(self, branches: list[str]) -> None:
        self.branches = branches
        self._full: re.Pattern[str] | None = None
        self.parts: list[re.Pattern[str]] | None = None
        self.starts: list[re.Pattern[str] | None] = []
        self.limits: list[int | None] = []
        try:
            references = any(_has_reference(regex_parser.parse(b)) for b in branches)
        except re.error:
            references = True
        if not references:
            # Joined, a branch's groups are renumbered; without back-references that changes
            # nothing, and each branch can be tried alone.
            self.parts = [re.compile(branch) for branch in branches]
            self.starts = [first_chars(branch) for branch in branches]
            self.limits = [max_line_chars(branch) for branch in branches]
        self.bounds = sorted({limit for limit in self.limits if limit is not None})
        self.by_key: dict[tuple[str, int], tuple[tuple[int, re.Pattern[str]], ...]] = {}

    @property
    def full(self) -> re.Pattern[str]:
        if self._full is None:
            self._full = re.compile("|".join(self.branches))
        return self._full

    def match(self, line: str) -> bool:
        """Whether some branch matches at the start of `line`.

        >>> screen = LineScreen([r"(?i:^leave a reply$)", r"(?:^\\d+ comments$)"])
        >>> screen.match("Leave a Reply"), screen.match("12 comments"), screen.match("Hello")
        (True, True, False)
        """
        return self.matching(line) != ()

    def matching(self, line: str) -> tuple[int, ...] | None:
        """The indices of the branches that match at the start of `line`: () when none does,
        None when some does but the screen cannot tell which (branches with back-references).

        >>> LineScreen([r"(?i:^share$)", r"(?:^\\w+$)", r"(?:^\\d+$)"]).matching("Share")
        (0, 1)
        """
        if not line or self.parts is None:
            return None if self.full.match(line) else ()
        # Lines whose length passes the same limits are tried against the same branches.
        key = (line[0], bisect_left(self.bounds, len(line)))
        try:
            parts = self.by_key[key]
        except KeyError:
            parts = self._narrowed(line[0], len(line), key)
        return tuple(index for index, part in parts if part.match(line))

    def _narrowed(
        self, first: str, length: int, key: tuple[str, int]
    ) -> tuple[tuple[int, re.Pattern[str]], ...]:
        parts = tuple(
            (index, part)
            for index, (part, starts, limit) in enumerate(
                zip(self.parts or (), self.starts, self.limits, strict=True)
            )
            if (starts is None or starts.match(first)) and (limit is None or length <= limit)
        )
        if len(self.by_key) >= MAX_REMEMBERED_KEYS:
            self.by_key.clear()
        self.by_key[key] = parts
        return parts
