"""The rule files and their loader: every file loads, every regex is safe, bad rules are refused."""

from __future__ import annotations

import time
import tomllib
from importlib import resources

import pytest

from cleaners.residue.rules import (
    MATCH_KINDS,
    WHERE_VALUES,
    RuleError,
    available_languages,
    check_pattern,
    load_rules,
    parse_rules,
)

REQUIRED_LANGUAGES = {"en", "fr", "de", "it", "es", "pt", "nl", "pl", "ru", "tr"}
REQUIRED_KINDS = {
    "consent",
    "comment-widget",
    "related",
    "share",
    "newsletter",
    "ad-marker",
    "credit",
    "copyright",
    "date-widget",
    "navigation",
    "paywall",
}


def test_every_required_language_has_a_file() -> None:
    assert set(available_languages()) >= REQUIRED_LANGUAGES
    assert "common" not in available_languages()


@pytest.mark.parametrize("language", sorted(REQUIRED_LANGUAGES))
def test_each_language_covers_the_kinds(language: str) -> None:
    kinds = {rule.kind for rule in load_rules((language,)).rules if rule.language == language}
    assert kinds >= REQUIRED_KINDS


def test_rules_are_well_formed() -> None:
    rules = load_rules()
    assert rules.languages[0] == "common"
    for rule in rules.rules:
        assert rule.match in MATCH_KINDS
        assert rule.where in WHERE_VALUES
        assert rule.why.strip()
        if rule.match in ("line", "block"):
            assert rule.regex.pattern.lstrip("(?i)").startswith("^"), rule.name
            assert rule.regex.pattern.endswith("$"), rule.name


def test_files_are_valid_toml_with_unique_names() -> None:
    for language in ("common", *available_languages()):
        text = resources.files("cleaners.rules").joinpath(f"{language}.toml").read_text("utf-8")
        entries = tomllib.loads(text)["rule"]
        names = [entry["name"] for entry in entries]
        assert len(names) == len(set(names)), language


@pytest.mark.parametrize(
    "pattern",
    [r"^(a+)+$", r"^(\w+\s?)*$", r"^(?:x|(y+))+$", r"(?i)^((ab)*c)*$"],
)
def test_nested_quantifiers_are_refused(pattern: str) -> None:
    with pytest.raises(RuleError):
        check_pattern(pattern, "line")


def test_pattern_rules_need_bounded_repeats() -> None:
    with pytest.raises(RuleError):
        check_pattern(r"ad.*end", "pattern")
    assert check_pattern(r"ad.{0,20}end", "pattern").pattern == r"ad.{0,20}end"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"kind": "k", "match": {"line": "^x$"}, "where": "tail", "why": "w"}, "missing 'name'"),
        (
            {
                "name": "Bad Name",
                "kind": "k",
                "match": {"line": "^x$"},
                "where": "tail",
                "why": "w",
            },
            "kebab-case",
        ),
        (
            {"name": "x", "kind": "k", "match": {"line": "^x$"}, "where": "middle", "why": "w"},
            "where must be",
        ),
        (
            {
                "name": "x",
                "kind": "k",
                "match": {"line": "^x$", "prefix": "^x"},
                "where": "tail",
                "why": "w",
            },
            "exactly one",
        ),
        (
            {"name": "x", "kind": "k", "match": {"line": "^(x$"}, "where": "tail", "why": "w"},
            "bad regex",
        ),
        (
            {
                "name": "x",
                "kind": "k",
                "match": {"line": "^x$", "colour": 1},
                "where": "tail",
                "why": "w",
            },
            "unknown match keys",
        ),
    ],
)
def test_bad_rules_are_refused_with_a_reason(entry: dict[str, object], message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_rules({"rule": [entry]}, "xx")


def test_duplicate_names_in_one_file_are_refused() -> None:
    entry = {"name": "x", "kind": "k", "match": {"line": "^x$"}, "where": "tail", "why": "w"}
    with pytest.raises(RuleError, match="duplicate"):
        parse_rules({"rule": [entry, entry]}, "xx")


def test_unknown_languages_fall_back_to_common() -> None:
    assert load_rules(("xx",)).languages == ("common",)


def test_every_rule_is_fast_on_long_adversarial_lines() -> None:
    adversarial = [
        "a" * 1000,
        "Home " + "> x " * 240,
        "(" * 500 + ")" * 500,
        "©" + " word" * 199,
        "#" * 1000,
        "- " * 500,
    ]
    for rule in load_rules().rules:
        start = time.perf_counter()
        for line in adversarial:
            rule.regex.search(line)
        assert time.perf_counter() - start < 1.0, rule.name
