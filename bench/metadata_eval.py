"""Titles and authors on ../shared/eval/trafilatura-dev, beside trafilatura's own metadata.

Most of the set's cases carry the title and the author a person annotated (its score.py does
not score them). For every page, in one process:

- baseline: `trafilatura.bare_extraction(page, url=url, with_metadata=True)`, its `title` and
  `author` (trafilatura joins several authors with "; ");
- newsclean: `cleaners.clean_html(page, url=url)`, its `title` and `authors` (agencies apart).

Scoring, the same for both systems:

- title: right when equal to the annotation once both are NFC-normalised, case-folded, their
  whitespace collapsed and their outer quotes and punctuation stripped;
- authors, on the cases annotated with a name: right when every annotated name matches a
  predicted one and the other way round, partly right when at least one matches. Two names
  match when the words of one are all among the words of the other ("Jane Doe" and "Jane Doe,
  PhD"). An annotation is split into names at ";" (or given as a list);
- authors, on the cases annotated with an empty author (the page names none): how often a
  system names someone all the same.

    .venv/bin/python bench/metadata_eval.py [--eval ../shared/eval/trafilatura-dev] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "trafilatura-dev"
WORD = re.compile(r"\w+")
OUTER = " \t\n\"'“”„«»‚‘’.,:;!?-–—|"


def title_key(title: str | None) -> str:
    """A title as compared.

    >>> title_key(" «Wir waren fast 40 Tage in Quarantäne» ")
    'wir waren fast 40 tage in quarantäne'
    """
    text = " ".join(unicodedata.normalize("NFC", title or "").casefold().split())
    return text.strip(OUTER)


def name_words(name: str) -> frozenset[str]:
    return frozenset(WORD.findall(unicodedata.normalize("NFC", name).casefold()))


def gold_names(author: str | list[str]) -> list[frozenset[str]]:
    """The annotated names as word sets.

    >>> sorted(sorted(n) for n in gold_names("Jane Doe; John Roe "))
    [['doe', 'jane'], ['john', 'roe']]
    """
    parts = author if isinstance(author, list) else author.split(";")
    return [words for words in map(name_words, parts) if words]


def _match(a: frozenset[str], b: frozenset[str]) -> bool:
    return a <= b or b <= a


def authors_outcome(gold: list[frozenset[str]], predicted: Iterable[str]) -> str:
    """ "right", "partly" or "wrong" for a case annotated with names.

    >>> authors_outcome(gold_names("Jane Doe, PhD"), ["Jane Doe"])
    'right'
    >>> authors_outcome(gold_names("Jane Doe; John Roe"), ["Jane Doe"])
    'partly'
    >>> authors_outcome(gold_names("Jane Doe"), ["Email the author"])
    'wrong'
    """
    names = [words for words in map(name_words, predicted) if words]
    if not names:
        return "wrong"
    found = [any(_match(g, p) for p in names) for g in gold]
    extra = [not any(_match(p, g) for g in gold) for p in names]
    if all(found) and not any(extra):
        return "right"
    return "partly" if any(found) else "wrong"


def baseline(page: bytes, url: str | None) -> tuple[str | None, list[str]]:
    from trafilatura import bare_extraction

    found = bare_extraction(page, url=url, with_metadata=True)
    if found is None:
        return None, []
    data = found.as_dict() if hasattr(found, "as_dict") else dict(found)
    author = data.get("author") or ""
    return data.get("title"), [name for name in author.split(";") if name.strip()]


def newsclean(page: bytes, url: str | None) -> tuple[str | None, list[str]]:
    from cleaners import clean_html
    from cleaners.document import RejectedDocument

    try:
        row = clean_html(page, url=url)
    except RejectedDocument:
        return None, []
    return row["title"], list(row["authors"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    lines = (args.eval / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines][: args.limit]
    systems = {
        "trafilatura bare_extraction (baseline)": baseline,
        "newsclean clean_html": newsclean,
    }
    print(
        f"{len(cases)} pages; annotated: title {sum(1 for c in cases if c.get('title'))}, "
        f"author named {sum(1 for c in cases if c.get('author'))}, "
        f"author empty {sum(1 for c in cases if c.get('author') == '')}"
    )
    print()
    print(
        "| system | title right | authors right | authors partly | no author found "
        "| someone named where the page names none |"
    )
    print("|---|---|---|---|---|---|")
    for name, system in systems.items():
        counts: dict[str, int] = dict.fromkeys(
            ("titled", "title", "named", "right", "partly", "none", "empty", "invented"), 0
        )
        for case in cases:
            with gzip.open(args.eval / case["file"]) as stream:
                page = stream.read()
            try:
                title, authors = system(page, case.get("url"))
            except Exception as error:  # scored as nothing found, and said
                print(f"[{name} {case['id']}] {type(error).__name__}: {error}", file=sys.stderr)
                title, authors = None, []
            if case.get("title"):
                counts["titled"] += 1
                counts["title"] += title_key(title) == title_key(case["title"])
            author: Any = case.get("author")
            if author:
                counts["named"] += 1
                outcome = authors_outcome(gold_names(author), authors)
                counts["right"] += outcome == "right"
                counts["partly"] += outcome == "partly"
                counts["none"] += not authors
            elif author == "":
                counts["empty"] += 1
                counts["invented"] += bool(authors)

        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} = {part / max(whole, 1):.3f}"

        print(
            f"| {name} | {share(counts['title'], counts['titled'])} "
            f"| {share(counts['right'], counts['named'])} "
            f"| {share(counts['partly'], counts['named'])} "
            f"| {share(counts['none'], counts['named'])} "
            f"| {share(counts['invented'], counts['empty'])} |"
        )


if __name__ == "__main__":
    main()
