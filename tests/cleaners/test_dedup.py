"""Exact and near-duplicate detection, canonical choice, and the persistent index."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.dedup import (
    MAX_BAND_FANOUT,
    MAX_SIGNED_CHARS,
    NUM_PERM,
    DedupEntry,
    DedupIndex,
    entries_of,
    read_entries,
    signature_of,
    signatures_of,
    similarity,
    tokens_of,
    write_entries,
)
from cleaners.document import Document
from cleaners.text import content_hash, join_paragraphs, paragraphs, word_count

SUMMIT = join_paragraphs(
    [
        "China and Russia urged the members of the Shanghai Cooperation Organisation to widen "
        "their cooperation considerably at the bloc's summit in Astana on Thursday.",
        "In his speech the Chinese president called on members to keep outside interference "
        "away from the region and to protect the right to development, in what appeared to be "
        "a reference to growing protectionism against China in western countries.",
        "The Russian president proposed talks on a series of new collective security treaties "
        "for Eurasia and welcomed the growing use of national currencies instead of the dollar "
        "in trade between members, calling for a new payment system within the group.",
        "Beijing has long tried to shape groupings such as the emerging BRICS economies or the "
        "organisation into a closed front against the United States. The ten-member bloc is "
        "due to adopt a declaration on energy, transport and digital links before it closes.",
        "Officials said the next summit would be held in China, and that several partner "
        "states had asked to join the organisation as observers over the coming year.",
    ]
)

# Another article of the same site on a related subject: shared words, different story.
PIPELINE = join_paragraphs(
    [
        "Kazakhstan and China signed an agreement on Friday to build a second gas pipeline "
        "across the steppe, the energy ministry in Astana said after talks between officials.",
        "The pipeline is expected to carry ten billion cubic metres a year once it opens, and "
        "construction should start next spring after a survey of the route is completed.",
        "Russia, which supplies most of the gas that crosses the region, did not comment. "
        "Analysts said the deal reflected Beijing's wish to diversify its energy imports.",
        "The ministry added that contracts for the compressor stations would be awarded in an "
        "open tender, with local firms expected to win a large share of the work.",
    ]
)

FLOODS = join_paragraphs(
    [
        "Heavy rain flooded the old town of Prague overnight, forcing the city to close three "
        "bridges and several metro stations on Sunday morning.",
        "The river rose by almost two metres in twelve hours. Fire crews pumped water out of "
        "cellars along the embankment while volunteers filled sandbags near the theatre.",
        "Forecasters expect the rain to ease by Tuesday, but warned that smaller rivers in the "
        "south of the country could still burst their banks during the week.",
    ]
)

SITE_RESIDUE = "Subscribe to our newsletter\n\nShare on Facebook · Share on X · Print"


def entry(
    doc_id: str,
    text: str,
    order: int = 0,
    published_at: datetime | None = None,
    length: int | None = None,
) -> DedupEntry:
    return DedupEntry(
        doc_id=doc_id,
        content_hash=content_hash(text),
        signature=signature_of(text),
        published_at=published_at,
        length=word_count(text) if length is None else length,
        order=order,
    )


def change_words(text: str, share: float, seed: int = 7) -> str:
    words = text.split(" ")
    rng = random.Random(seed)
    for i in rng.sample(range(len(words)), int(len(words) * share)):
        words[i] = f"zq{rng.randrange(10**6)}"
    return " ".join(words)


def variants(text: str) -> dict[str, str]:
    parts = paragraphs(text)
    return {
        "residue": join_paragraphs(["BREAKING NEWS", *parts, SITE_RESIDUE, "Leave a reply"]),
        "truncated": join_paragraphs(parts[:-1]),
        "reordered": join_paragraphs([parts[1], parts[0], *parts[2:]]),
        "changed": change_words(text, 0.05),
        "retitled": join_paragraphs(["Summit ends with call for closer ties", *parts]),
        "spacing": text.upper().replace("\n\n", "\n\n\n  "),
    }


def test_tokens_fold_case_punctuation_and_split_unspaced_scripts() -> None:
    assert tokens_of("Astana, ASTANA—astana!") == ["astana", "astana", "astana"]
    assert tokens_of("ＳＣＯ峰会") == ["sco", "峰", "会"]


def test_signature_is_small_and_deterministic() -> None:
    sig = signature_of(SUMMIT)
    assert sig.dtype == np.uint32 and sig.shape == (NUM_PERM,)
    assert (sig == signature_of(SUMMIT)).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), max_size=6))
def test_batch_signatures_equal_single_ones(texts: list[str]) -> None:
    batch = signatures_of(texts)
    assert batch.shape == (len(texts), NUM_PERM)
    for row, text in zip(batch, texts, strict=True):
        assert (row == signature_of(text)).all()


def test_accents_width_and_case_do_not_matter() -> None:
    assert (
        similarity(signature_of("Café crème à Genève"), signature_of("CAFE\u0301 CRÈME A GENEVE"))
        == 1.0
    )
    assert similarity(signature_of("ＳＣＯ summit 2024"), signature_of("sco summit 2024")) == 1.0


def test_stray_surrogates_separate_words() -> None:
    assert tokens_of("Astana\ud800summit") == ["astana", "summit"]
    assert similarity(signature_of("Astana\ud800summit"), signature_of("Astana summit")) == 1.0


def test_only_the_beginning_of_a_huge_text_is_signed() -> None:
    huge = (SUMMIT + "\n\n") * (MAX_SIGNED_CHARS // len(SUMMIT) + 5)
    assert (signature_of(huge) == signature_of(huge[:MAX_SIGNED_CHARS])).all()


def test_empty_text_has_a_signature() -> None:
    assert signature_of("").shape == (NUM_PERM,)
    assert similarity(signature_of(""), signature_of(SUMMIT)) == 0.0


def test_exact_duplicates_are_mapped_to_the_first_seen() -> None:
    index = DedupIndex()
    text = SUMMIT + "\n\n"  # same normalised text, same content hash
    mapping = index.assign([entry("a", SUMMIT, 0), entry("b", text, 1), entry("c", SUMMIT, 2)])
    assert mapping == {"b": "a", "c": "a"}


@pytest.mark.parametrize("kind", list(variants(SUMMIT)))
def test_near_duplicates_are_found(kind: str) -> None:
    copy = variants(SUMMIT)[kind]
    assert content_hash(copy) != content_hash(SUMMIT) or kind == "spacing"
    index = DedupIndex()
    # Same length for both, so the first seen is canonical whatever the variant's length.
    entries = [entry("orig", SUMMIT, 0, length=100), entry("copy", copy, 1, length=100)]
    assert index.assign(entries) == {"copy": "orig"}


def test_all_variants_form_one_cluster() -> None:
    texts = [SUMMIT, *variants(SUMMIT).values()]
    entries = [entry(f"d{i}", t, i) for i, t in enumerate(texts)]
    mapping = DedupIndex().assign(entries)
    assert len(mapping) == len(texts) - 1
    assert len(set(mapping.values())) == 1


def test_different_articles_of_the_same_site_are_not_duplicates() -> None:
    texts = [
        join_paragraphs([SUMMIT, SITE_RESIDUE]),
        join_paragraphs([PIPELINE, SITE_RESIDUE]),
        join_paragraphs([FLOODS, SITE_RESIDUE]),
    ]
    assert DedupIndex().assign([entry(f"d{i}", t, i) for i, t in enumerate(texts)]) == {}
    assert similarity(signature_of(texts[0]), signature_of(texts[1])) < 0.3


def test_translations_are_not_duplicates() -> None:
    german = (
        "China und Russland haben die Mitglieder der Schanghaier Organisation für "
        "Zusammenarbeit aufgerufen, ihre Zusammenarbeit beim Gipfel in Astana deutlich "
        "auszuweiten."
    )
    assert DedupIndex().assign([entry("en", SUMMIT, 0), entry("de", german, 1)]) == {}


def test_unspaced_scripts_use_character_shingles() -> None:
    chinese = (
        "中国和俄罗斯呼吁上海合作组织成员国大幅扩大合作。中国国家主席在阿斯塔纳峰会上发表讲话，"
        "呼吁远离外部干涉，保护发展权利。俄罗斯总统提议讨论欧亚集体安全条约，"
        "并欢迎成员国之间更多使用本国货币进行贸易结算。"
    )
    other = (
        "布拉格老城区昨夜遭遇暴雨，市政府被迫关闭三座桥梁和几个地铁站。"
        "河水在十二小时内上涨近两米，消防队员在河堤沿线的地下室抽水。"
    )
    copy = "【独家】" + chinese + "责任编辑：王明"
    mapping = DedupIndex().assign(
        [entry("a", chinese, 0, length=99), entry("b", copy, 1, length=99), entry("c", other, 2)]
    )
    assert mapping == {"b": "a"}


def test_many_copies_of_one_text_form_one_cluster() -> None:
    copies = [
        entry(f"c{i}", f"{SUMMIT} Updated {i}.", i, length=100) for i in range(MAX_BAND_FANOUT * 3)
    ]
    mapping = DedupIndex().assign(copies)
    assert set(mapping.values()) == {"c0"} and len(mapping) == len(copies) - 1


def test_entries_of_documents_carry_their_order_and_fields() -> None:
    when = datetime(2024, 7, 4, tzinfo=UTC)
    docs = [
        Document(text=SUMMIT, doc_id="a", published_at=when, word_count=7, content_hash="h"),
        Document(text=FLOODS, doc_id="b"),
    ]
    a, b = entries_of(docs, first_order=100)
    assert (a.doc_id, a.content_hash, a.published_at, a.length, a.order) == ("a", "h", when, 7, 100)
    assert (b.content_hash, b.length, b.order) == (content_hash(FLOODS), word_count(FLOODS), 101)
    assert (a.signature == signature_of(SUMMIT)).all()


def test_canonical_is_the_earliest_published() -> None:
    day = datetime(2024, 7, 4, tzinfo=UTC)
    entries = [
        entry("late", SUMMIT, 0, published_at=day + timedelta(hours=5)),
        entry("early", variants(SUMMIT)["residue"], 1, published_at=day),
        entry("undated", variants(SUMMIT)["truncated"], 2),
    ]
    assert DedupIndex().assign(entries) == {"late": "early", "undated": "early"}


def test_naive_and_aware_times_compare_as_utc() -> None:
    entries = [
        entry("aware", SUMMIT, 0, published_at=datetime(2024, 7, 4, 12, tzinfo=UTC)),
        entry("naive", variants(SUMMIT)["residue"], 1, published_at=datetime(2024, 7, 4, 11)),
    ]
    assert DedupIndex().assign(entries) == {"aware": "naive"}


def test_canonical_is_the_longest_when_dates_tie() -> None:
    entries = [
        entry("short", variants(SUMMIT)["truncated"], 0),
        entry("long", SUMMIT, 1),
    ]
    assert DedupIndex().assign(entries) == {"short": "long"}


def test_canonical_is_the_first_seen_when_dates_and_lengths_tie() -> None:
    entries = [entry("second", SUMMIT, 1, length=50), entry("first", SUMMIT + "!", 0, length=50)]
    assert DedupIndex().assign(entries) == {"second": "first"}


def test_a_document_listed_twice_is_not_its_own_duplicate() -> None:
    assert DedupIndex().assign([entry("a", SUMMIT, 0), entry("a", SUMMIT, 1)]) == {}


def test_earlier_run_canonical_stays_canonical_across_save_and_load(tmp_path: Path) -> None:
    path = tmp_path / "state" / "dedup" / "index.npz"
    first = DedupIndex.load(path)
    assert len(first) == 0
    undated = variants(SUMMIT)["truncated"]
    assert first.assign([entry("run1-a", undated, 0), entry("run1-b", FLOODS, 1)]) == {}
    first.save(path)

    # An earlier-published, longer copy arrives later: rows already written are not rewritten,
    # so it points at the stored canonical.
    second = DedupIndex.load(path)
    assert len(second) == 2
    early = datetime(2020, 1, 1, tzinfo=UTC)
    mapping = second.assign(
        [
            entry("run2-a", SUMMIT, 0, published_at=early),
            entry("run2-b", variants(SUMMIT)["residue"], 1),
            entry("run2-c", PIPELINE, 2),
        ]
    )
    assert mapping == {"run2-a": "run1-a", "run2-b": "run1-a"}
    second.save(path)

    third = DedupIndex.load(path)
    assert len(third) == 3  # only canonicals are stored
    mapping = third.assign(
        [entry("run3-a", FLOODS, 0), entry("run3-b", variants(PIPELINE)["changed"], 1)]
    )
    assert mapping == {"run3-a": "run1-b", "run3-b": "run2-c"}


def test_a_retried_run_keeps_its_canonicals(tmp_path: Path) -> None:
    entries = [entry("a", SUMMIT, 0, length=99), entry("b", variants(SUMMIT)["residue"], 1)]
    index = DedupIndex()
    first = index.assign(entries)
    index.save(tmp_path / "index.npz")
    again = DedupIndex.load(tmp_path / "index.npz").assign(entries)
    assert first == again == {"a": "b"}  # the longer copy is canonical


def test_a_forgotten_canonical_is_matched_afresh(tmp_path: Path) -> None:
    """A changed input keeps its id: forgotten, its new text is matched like a new one."""
    index = DedupIndex()
    assert (
        index.assign([entry("a", SUMMIT, 0), entry("b", FLOODS, 1), entry("c", PIPELINE, 2)]) == {}
    )
    index.forget(["b", "unknown"])
    index.save(tmp_path / "index.npz")
    again = DedupIndex.load(tmp_path / "index.npz")
    assert sorted(again.doc_id(i) for i in range(len(again))) == ["a", "c"]
    assert again.assign([entry("b", variants(SUMMIT)["residue"], 0)]) == {"b": "a"}
    assert again.assign([entry("d", variants(PIPELINE)["changed"], 0)]) == {"d": "c"}


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    index = DedupIndex()
    index.assign([entry("a", SUMMIT)])
    index.save(tmp_path / "index.npz")
    index.save(tmp_path / "index.npz")
    assert [p.name for p in tmp_path.iterdir()] == ["index.npz"]


def test_index_with_another_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    DedupIndex().save(path)
    with np.load(path) as stored:
        arrays = dict(stored)
    arrays["meta"] = np.array('{"num_perm": 64}')
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="layout"):
        DedupIndex.load(path)


def test_entries_round_trip_through_a_file(tmp_path: Path) -> None:
    entries = [
        entry("a/1", SUMMIT, 0, published_at=datetime(2024, 7, 4, 9, 30, tzinfo=UTC)),
        entry("ü-2", "", 1),
    ]
    write_entries(tmp_path / "shard.npz", entries)
    back = read_entries(tmp_path / "shard.npz")
    assert [(e.doc_id, e.content_hash, e.published_at, e.length, e.order) for e in back] == [
        (e.doc_id, e.content_hash, e.published_at, e.length, e.order) for e in entries
    ]
    assert all((b.signature == e.signature).all() for b, e in zip(back, entries, strict=True))
    assert read_entries(_empty(tmp_path)) == []


def _empty(tmp_path: Path) -> Path:
    write_entries(tmp_path / "empty.npz", [])
    return tmp_path / "empty.npz"


STORIES = [SUMMIT, PIPELINE, FLOODS]
documents = st.lists(
    st.tuples(
        st.sampled_from(range(len(STORIES))),
        st.sampled_from(["orig", "residue", "truncated", "changed", "retitled"]),
        st.one_of(st.none(), st.integers(0, 3)),
    ),
    min_size=1,
    max_size=12,
)


def _entries(spec: list[tuple[int, str, int | None]]) -> list[DedupEntry]:
    made = []
    for order, (story, kind, day) in enumerate(spec):
        text = STORIES[story] if kind == "orig" else variants(STORIES[story])[kind]
        when = None if day is None else datetime(2024, 1, 1 + day, tzinfo=UTC)
        made.append(entry(f"doc{order}", text, order, published_at=when))
    return made


@settings(max_examples=40, deadline=None)
@given(documents, documents)
def test_assignment_properties(first_run: list, second_run: list) -> None:
    index = DedupIndex()
    story_of: dict[str, int] = {}  # canonical doc_id -> story of its cluster
    for run, spec in enumerate([first_run, second_run]):
        entries = _entries(spec)
        for e in entries:
            e.doc_id = f"r{run}-{e.doc_id}"
        mapping = index.assign(entries)
        # Never its own duplicate; a canonical is never itself mapped.
        assert all(doc != canonical for doc, canonical in mapping.items())
        assert not set(mapping.values()) & set(mapping)
        # Copies of different stories never share a cluster, within a run or across runs.
        for e in entries:
            story = spec[e.order][0]
            assert story_of.setdefault(mapping.get(e.doc_id, e.doc_id), story) == story
        # An original and its copy with residue, seen together, always share a cluster.
        kinds = {(spec[e.order][0], spec[e.order][1]): e.doc_id for e in entries}
        for (story, kind), doc in kinds.items():
            if kind == "residue" and (story, "orig") in kinds:
                original = kinds[(story, "orig")]
                assert mapping.get(doc, doc) == mapping.get(original, original)


@settings(max_examples=25, deadline=None)
@given(documents)
def test_assignment_is_deterministic(spec: list) -> None:
    assert DedupIndex().assign(_entries(spec)) == DedupIndex().assign(_entries(spec))
