"""Residue rules as data: the Rule record, the TOML loader and its safety checks."""

from __future__ import annotations

import re
import re._parser as regex_parser  # the stdlib's own parser, to inspect patterns before use
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

MatchKind = Literal["line", "prefix", "pattern", "block"]
Where = Literal["head", "tail", "anywhere"]
MATCH_KINDS: tuple[MatchKind, ...] = ("line", "prefix", "pattern", "block")
WHERE_VALUES: tuple[Where, ...] = ("head", "tail", "anywhere")
RULE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RULES_PACKAGE = "cleaners.rules"
COMMON_RULES = "common"

DEFAULT_PREFIX_MAX_WORDS = 40
DEFAULT_BLOCK_MAX_LINES = 10


class RuleError(ValueError):
    """A rule file that cannot be used: bad TOML, a missing key, an unsafe regex."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One residue rule: what it matches, where in the document, and why it is residue."""

    name: str
    kind: str
    match: MatchKind
    regex: re.Pattern[str]
    where: Where
    why: str
    language: str
    max_words: int = DEFAULT_PREFIX_MAX_WORDS
    max_lines: int = DEFAULT_BLOCK_MAX_LINES


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules that apply to a document, grouped by how they match."""

    rules: tuple[Rule, ...]

    def of(self, match: MatchKind) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.match == match)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(rule.language for rule in self.rules))


def _has_unbounded_repeat(parsed: Any) -> bool:
    for op, arg in parsed:
        if op in (regex_parser.MAX_REPEAT, regex_parser.MIN_REPEAT):
            _low, high, body = arg
            if high == regex_parser.MAXREPEAT or _has_unbounded_repeat(body):
                return True
        elif _has_unbounded_repeat_in(op, arg):
            return True
    return False


def _has_unbounded_repeat_in(op: Any, arg: Any) -> bool:
    if op == regex_parser.SUBPATTERN:
        return _has_unbounded_repeat(arg[-1])
    if op == regex_parser.BRANCH:
        return any(_has_unbounded_repeat(branch) for branch in arg[1])
    if op in (regex_parser.ASSERT, regex_parser.ASSERT_NOT):
        return _has_unbounded_repeat(arg[1])
    return False


def _has_branch(parsed: Any) -> bool:
    for op, arg in parsed:
        if op == regex_parser.BRANCH:
            return True
        if op in (regex_parser.MAX_REPEAT, regex_parser.MIN_REPEAT) and _has_branch(arg[2]):
            return True
        if op == regex_parser.SUBPATTERN and _has_branch(arg[-1]):
            return True
        if op in (regex_parser.ASSERT, regex_parser.ASSERT_NOT) and _has_branch(arg[1]):
            return True
    return False


def _nested_repeat(parsed: Any) -> bool:
    """True when an unbounded repeat contains another unbounded repeat, as in `(a+)+`, or
    alternatives, as in `(?:x|x?)+` (single characters are merged into one class, so an
    alternation left under a repeat may match the same text two ways).

    Both shapes backtrack exponentially; a bounded outer repeat (`(\\w+ ){0,3}`) does not.

    >>> _nested_repeat(regex_parser.parse(r"^(\\w+\\s?)+$"))
    True
    >>> _nested_repeat(regex_parser.parse(r"^(\\w+ ){0,3}\\w+$"))
    False
    """
    for op, arg in parsed:
        if op in (regex_parser.MAX_REPEAT, regex_parser.MIN_REPEAT):
            _low, high, body = arg
            if high == regex_parser.MAXREPEAT and (
                _has_unbounded_repeat(body) or _has_branch(body)
            ):
                return True
            if _nested_repeat(body):
                return True
        elif op == regex_parser.SUBPATTERN:
            if _nested_repeat(arg[-1]):
                return True
        elif op == regex_parser.BRANCH:
            if any(_nested_repeat(branch) for branch in arg[1]):
                return True
        elif op in (regex_parser.ASSERT, regex_parser.ASSERT_NOT) and _nested_repeat(arg[1]):
            return True
    return False


def check_pattern(pattern: str, match: MatchKind, where: str = "rule") -> re.Pattern[str]:
    """Compile a rule's regex, refusing shapes whose matching time can explode.

    Nested quantifiers are refused everywhere. `pattern` rules search inside lines of any
    length, so they may not use unbounded repeats at all (write `{0,80}`, not `*`).

    >>> check_pattern(r"(?i)^leave a reply$", "line").pattern
    '(?i)^leave a reply$'
    >>> check_pattern(r"^(a+)+$", "line")
    Traceback (most recent call last):
    ...
    cleaners.residue.rules.RuleError: rule: nested quantifiers in '^(a+)+$'
    """
    try:
        compiled = re.compile(pattern)
        parsed = regex_parser.parse(pattern)
    except re.error as error:
        raise RuleError(f"{where}: bad regex {pattern!r}: {error}") from error
    if _nested_repeat(parsed):
        raise RuleError(f"{where}: nested quantifiers in {pattern!r}")
    if match == "pattern" and _has_unbounded_repeat(parsed):
        raise RuleError(f"{where}: a pattern rule needs bounded repeats: {pattern!r}")
    return compiled


def parse_rules(data: dict[str, Any], language: str) -> tuple[Rule, ...]:
    """Rules from the parsed TOML of one file; raises RuleError naming the faulty rule.

    >>> rules = parse_rules({"rule": [{"name": "comment-form", "kind": "comment-widget",
    ...     "match": {"line": "(?i)^leave a reply$"}, "where": "tail", "why": "CMS form"}]}, "en")
    >>> rules[0].name, rules[0].match, rules[0].regex.match("Leave a Reply") is not None
    ('comment-form', 'line', True)
    """
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise RuleError(f"{language}: 'rule' must be an array of tables")
    rules = []
    names: set[str] = set()
    for index, entry in enumerate(entries):
        where_label = f"{language} rule #{index + 1} ({entry.get('name', '?')})"
        for key in ("name", "kind", "match", "where", "why"):
            if key not in entry:
                raise RuleError(f"{where_label}: missing '{key}'")
        name = entry["name"]
        if not isinstance(name, str) or not RULE_NAME.fullmatch(name):
            raise RuleError(f"{where_label}: name must be kebab-case")
        if name in names:
            raise RuleError(f"{where_label}: duplicate name in one file")
        names.add(name)
        if entry["where"] not in WHERE_VALUES:
            raise RuleError(f"{where_label}: where must be one of {WHERE_VALUES}")
        match_table = entry["match"]
        if not isinstance(match_table, dict):
            raise RuleError(f"{where_label}: match must be a table")
        kinds = [kind for kind in MATCH_KINDS if kind in match_table]
        if len(kinds) != 1:
            raise RuleError(f"{where_label}: match needs exactly one of {MATCH_KINDS}")
        match_kind = kinds[0]
        unknown = set(match_table) - {match_kind, "max_words", "max_lines"}
        if unknown:
            raise RuleError(f"{where_label}: unknown match keys {sorted(unknown)}")
        regex = check_pattern(match_table[match_kind], match_kind, where_label)
        rules.append(
            Rule(
                name=name,
                kind=str(entry["kind"]),
                match=match_kind,
                regex=regex,
                where=entry["where"],
                why=str(entry["why"]),
                language=language,
                max_words=int(match_table.get("max_words", DEFAULT_PREFIX_MAX_WORDS)),
                max_lines=int(match_table.get("max_lines", DEFAULT_BLOCK_MAX_LINES)),
            )
        )
    return tuple(rules)


def available_languages() -> tuple[str, ...]:
    """Languages that have a rule file, besides the common one.

    >>> {"en", "fr", "de"} <= set(available_languages())
    True
    """
    files = resources.files(RULES_PACKAGE).iterdir()
    names = sorted(f.name[: -len(".toml")] for f in files if f.name.endswith(".toml"))
    return tuple(name for name in names if name != COMMON_RULES)


@lru_cache(maxsize=64)
def _load_file(language: str) -> tuple[Rule, ...]:
    source = resources.files(RULES_PACKAGE).joinpath(f"{language}.toml").read_text("utf-8")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"{language}.toml: {error}") from error
    return parse_rules(data, language)


@lru_cache(maxsize=16)
def load_rules(languages: tuple[str, ...] | None = None) -> RuleSet:
    """The common rules plus those of `languages` that have a file (all files when None).

    >>> rules = load_rules(("en", "xx"))
    >>> rules.languages
    ('common', 'en')
    """
    available = available_languages()
    wanted = available if languages is None else [lang for lang in languages if lang in available]
    loaded: list[Rule] = []
    for language in (COMMON_RULES, *wanted):
        loaded.extend(_load_file(language))
    return RuleSet(tuple(loaded))
