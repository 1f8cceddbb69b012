"""clean_residue: rules, moved fields and repeats, run to a fixed point (hence idempotent)."""

from __future__ import annotations

from cleaners.document import Cleaning, Document
from cleaners.options import DEFAULT_OPTIONS, CleanOptions
from cleaners.residue.engine import prepare_plan, strip_rules
from cleaners.residue.fields import (
    move_bylines,
    move_dateline,
    move_hashtags,
    move_header_dates,
    move_tag_lists,
    move_wire_credits,
)
from cleaners.residue.lines import text_lines
from cleaners.residue.repeats import drop_repeated_paragraphs, drop_restatement
from cleaners.residue.rules import load_rules
from cleaners.text import join_paragraphs, normalise_for_hash

# Removing one line can expose another (a date widget above a removed breadcrumb becomes the
# first line); passes repeat until nothing changes. Each pass only removes, so few are needed.
MAX_PASSES = 6


def _drop_repeated_title(doc: Document) -> Document:
    """The headline repeated as the first body line belongs in `title` only."""
    if not doc.title:
        return doc
    lines = text_lines(doc.text)
    if len(lines) > 1 and normalise_for_hash(lines[0]) == normalise_for_hash(doc.title):
        entry = Cleaning.of("repeated-title", "removed", lines[0])
        return doc.evolve(entry, text=join_paragraphs(lines[1:]))
    return doc


def prepare_rules(options: CleanOptions = DEFAULT_OPTIONS) -> None:
    """Load the rule files of `options` and build their screens now, not at the first line.

    Worth calling once in a process that later forks workers: parsing the files and compiling
    their screens costs most of a second, which every fresh worker would otherwise pay again.
    """
    prepare_plan(load_rules(tuple(options.languages)))


def _one_pass(doc: Document, options: CleanOptions) -> Document:
    # Rule files of every configured language apply, whatever the article's language: the
    # patterns are anchored whole-line phrases that do not occur as article text, and CMS
    # templates are often in another language than the article (English widget labels on an
    # Italian site). Language detection also runs later, on the cleaned text.
    rules = load_rules(tuple(options.languages))
    doc = strip_rules(doc, rules)
    doc = move_hashtags(doc)
    doc = move_tag_lists(doc)
    doc = move_wire_credits(doc)
    doc = move_header_dates(doc, options)
    doc = move_bylines(doc)
    doc = move_dateline(doc)
    doc = _drop_repeated_title(doc)
    doc = drop_repeated_paragraphs(doc)
    return drop_restatement(doc)


def clean_residue(doc: Document, options: CleanOptions = DEFAULT_OPTIONS) -> Document:
    """Remove residue, move fields out of the body and drop repeats; every change is recorded.

    Pure and idempotent: cleaning a cleaned document changes nothing. Never raises on text.

    >>> raw = ("ASTANA (Reuters) -Xi urged members of a regional security club to resist "
    ...        "external meddling.\\nPutin was due to speak about a new Eurasian security system."
    ...        "\\n#Putin #SCO\\n(Reporting by Pavel MikheyevWriting by Olzhas Auyezov)"
    ...        "\\nRelated Articles\\nLEAVE A REPLY")
    >>> doc = clean_residue(Document(text=raw))
    >>> print(doc.text)
    Xi urged members of a regional security club to resist external meddling.
    <BLANKLINE>
    Putin was due to speak about a new Eurasian security system.
    >>> doc.dateline, doc.agency, doc.tags, doc.authors
    ('ASTANA', 'Reuters', ['Putin', 'SCO'], ['Pavel Mikheyev', 'Olzhas Auyezov'])
    """
    previous = None
    text = join_paragraphs(text_lines(doc.text))
    current = doc if text == doc.text else doc.evolve(text=text)
    for _ in range(MAX_PASSES):
        previous = current
        current = _one_pass(current, options)
        if current.text == previous.text:
            break
    return current
