import re

import ftfy.badness
from hypothesis import given, settings
from hypothesis import strategies as st

from expectations.checks import (
    body_lines,
    compile_line_patterns,
    line_screen,
    load_residue_patterns,
    mojibake_badness,
    most_repeated_line,
    pattern_source,
    residue_lines,
)

RULES = (re.compile(r"(?i)^leave a reply$"), re.compile(r"^Share on \w+$"))


def test_residue_lines_finds_only_rule_lines():
    text = "Talks ended in Astana.\n\nShare on Facebook\n\nLeave a Reply"
    assert residue_lines(text, RULES) == ["Share on Facebook", "Leave a Reply"]
    assert residue_lines("Talks ended. Leave a reply to the summit.", RULES) == []


def test_screen_matches_like_separate_patterns():
    screen = line_screen(RULES)
    for line in ("LEAVE A REPLY", "Share on X", "share on x", "Leave a reply now", "Menu"):
        assert bool(screen.match(line)) == any(p.search(line) for p in RULES)


def test_no_screen_for_unanchored_or_backreferencing_patterns():
    assert line_screen((re.compile(r"^(\w+) \1$"), re.compile("^menu$"))) is None
    assert line_screen((re.compile("share$"),)) is None
    assert residue_lines("Share on X\n\nx share", [re.compile("share$", re.I)]) == ["x share"]


def test_sources_round_trip_through_compilation():
    compiled = compile_line_patterns(tuple(pattern_source(p) for p in RULES))
    assert [bool(p.search("Leave a Reply")) for p in compiled] == [True, False]


def test_overlong_lines_are_not_residue_lines():
    assert residue_lines("Share on " + "X" * 2000, RULES) == []


def test_mojibake_badness_separates_broken_from_clean_text():
    assert mojibake_badness("Саммит ШОС в Астане; l’OCS; 上海合作组织") == 0
    assert mojibake_badness("lâ€™OCS et le prÃ©sident") > 0


def test_most_repeated_line_measures_share_of_characters():
    line, share = most_repeated_line("Read more\n\nRead more\n\n" + "x" * 82)
    assert line == "Read more"
    assert share == 18 / 100


def test_residue_patterns_come_from_the_cleaners_rules():
    from cleaners.residue import load_rules

    patterns = load_residue_patterns(("de", "en"))
    anywhere = [r for r in load_rules(("de", "en")).of("line") if r.where == "anywhere"]
    assert patterns == tuple(rule.regex for rule in anywhere)
    assert len(patterns) > 10
    # Tail-only rules stay out: inside an article such words can be its text.
    tail_only = [r.regex for r in load_rules(("en",)).of("line") if r.where == "tail"]
    assert tail_only and not set(tail_only) & set(patterns)


def test_rules_flag_share_rows_but_not_article_text():
    patterns = load_residue_patterns()
    article = "La Chine et la Russie ont appelé les membres de l'OCS à coopérer davantage."
    assert residue_lines(article, patterns) == []
    assert residue_lines(article + "\n\nFacebook Twitter WhatsApp", patterns)


MOJIBAKE_ALPHABET = st.sampled_from(
    list("aeiouzAEZ .,!?\n-'\"")
    + list("éèàüöäßçñÉÜÄÀ")
    + list("ÃÂâ€™œ¢£©®°±²³µ¶·»¿×÷‘’“”„•…–—")
    + list("ЂЃЉЊЋЏђѓљњћџвгдВГД")
    + list("αβγΑΒΓ")
    + ["\x80", "\x9d", "\xa0", "\ufffd", "│", "░"]
)


@settings(max_examples=400)
@given(st.text(alphabet=MOJIBAKE_ALPHABET, max_size=60))
def test_mojibake_badness_counts_exactly_like_ftfy(text: str):
    assert mojibake_badness(text) == ftfy.badness.badness(text)


def test_mojibake_badness_counts_sequences_far_apart():
    broken = "lâ€™OCS " + "texte propre " * 50 + "le prÃ©sident " + "é" * 30 + " Ã©"
    assert mojibake_badness(broken) == ftfy.badness.badness(broken) >= 3


@given(st.text())
def test_checks_accept_any_text(text: str):
    lines = body_lines(text)
    assert all(line == line.strip() and line for line in lines)
    assert 0.0 <= most_repeated_line(text)[1] <= 1.0
    assert set(residue_lines(text, RULES)) <= set(lines)
    assert mojibake_badness(text) >= 0


MIXED_RULES = (
    re.compile(r"(?i)^leave a reply$"),
    re.compile(r"^share(?: on \w{1,8})?$"),
    re.compile(r"(?i)share$"),
    re.compile(r"^menu"),
    re.compile(r"^(\w) \1$"),
    re.compile(r"^leave|reply on"),
)
LINE_WORDS = st.sampled_from(["share", "Share", "on", "menu", "leave", "a", "reply", "x", "ab"])


@given(st.lists(st.lists(LINE_WORDS, max_size=6).map(" ".join), max_size=8))
def test_residue_lines_agree_with_trying_every_rule(lines: list[str]):
    text = "\n\n".join(lines)
    expected = [line for line in body_lines(text) if any(p.search(line) for p in MIXED_RULES)]
    assert residue_lines(text, MIXED_RULES) == expected
