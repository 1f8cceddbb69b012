"""Real sentences the residue cleaner keeps: ../shared/eval/lid-sentences read as articles.

The set's 4,200 sentences (28 languages, 150 each) are ordinary text, none of them residue.
They are joined, ten at a time and one language at a time, into plain-text documents, which go
through `repair_text` and `clean_residue` as a scrape would. Every sentence that does not come
out as a line of the cleaned body is listed with the rule that took it; the count is the
cleaner's false removals on real text. Without cleaning every sentence stays, so that is the
baseline.

    .venv/bin/python bench/content_kept.py [--data ../shared/eval/lid-sentences]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cleaners.document import Document  # noqa: E402
from cleaners.repair import repair_text  # noqa: E402
from cleaners.residue import clean_residue  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "lid-sentences"
SENTENCES_PER_DOCUMENT = 10


def sentences_by_language(data: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    with open(data / "sentences.jsonl", encoding="utf-8") as lines:
        for line in lines:
            case = json.loads(line)
            if case["kind"] == "sentence":
                found[case["lang"]].append(case["text"])
    return dict(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    by_language = sentences_by_language(args.data)
    total, lost = 0, Counter[str]()
    for code, sentences in sorted(by_language.items()):
        for start in range(0, len(sentences), SENTENCES_PER_DOCUMENT):
            group = sentences[start : start + SENTENCES_PER_DOCUMENT]
            repaired = repair_text(Document(text="\n\n".join(group)))
            cleaned = clean_residue(repaired)
            kept = set(cleaned.text.splitlines())
            repaired_lines = repaired.text.split("\n\n")
            for sentence in repaired_lines:
                total += 1
                if sentence in kept:
                    continue
                rules = [e.rule for e in cleaned.cleaning if e.text[:40] == sentence[:40]]
                lost[code] += 1
                print(f"[{code}] {', '.join(rules) or '?'}: {sentence[:120]}")
    print()
    print(
        f"{total} sentences in {len(by_language)} languages, documents of {SENTENCES_PER_DOCUMENT}"
    )
    print(f"baseline (no cleaning): {total} kept, 0 removed")
    print(
        f"newsclean repair_text + clean_residue: {total - sum(lost.values())} kept, "
        f"{sum(lost.values())} removed or moved ({sum(lost.values()) / total:.2%})"
    )
    if lost:
        print(
            "by language: " + ", ".join(f"{code} {count}" for code, count in sorted(lost.items()))
        )


if __name__ == "__main__":
    main()
