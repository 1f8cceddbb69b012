"""Residue removal: data-driven rules, moved fields and in-document repeats."""

from cleaners.residue.clean import clean_residue, prepare_rules
from cleaners.residue.engine import strip_rules
from cleaners.residue.fields import (
    move_bylines,
    move_dateline,
    move_hashtags,
    move_header_dates,
    move_tag_lists,
    move_wire_credits,
    parse_byline,
    parse_wire_credit,
)
from cleaners.residue.repeats import drop_repeated_paragraphs, drop_restatement
from cleaners.residue.rules import Rule, RuleError, RuleSet, load_rules

__all__ = [
    "Rule",
    "RuleError",
    "RuleSet",
    "clean_residue",
    "drop_repeated_paragraphs",
    "drop_restatement",
    "load_rules",
    "move_bylines",
    "move_dateline",
    "move_hashtags",
    "move_tag_lists",
    "move_header_dates",
    "move_wire_credits",
    "parse_byline",
    "parse_wire_credit",
    "prepare_rules",
    "strip_rules",
]
