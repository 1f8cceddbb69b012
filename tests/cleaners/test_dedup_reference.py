"""Near-duplicate assignment gives exactly what a straightforward all-pairs version gives."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.dedup import (
    BANDS,
    MAX_BAND_FANOUT,
    NUM_PERM,
    ROWS,
    THRESHOLD,
    DedupEntry,
    DedupIndex,
    _equal_keys,
    _hash64,
    _timestamp_us,
)


def reference_assign(index: DedupIndex, entries: list[DedupEntry]) -> dict[str, str]:
    """Every candidate pair of every band collected first, then verified, then clustered."""
    fresh = index._fresh(entries)
    if not fresh:
        return {}
    fresh = sorted(fresh, key=lambda e: (_timestamp_us(e.published_at), -e.length, e.order))
    count = len(fresh)
    compact = np.stack([np.asarray(e.signature, dtype=np.uint32) & 0xFFFF for e in fresh])
    stored = index.compact.astype(np.uint32)
    hash_keys = _hash64(e.content_hash for e in fresh)

    parent = list(range(count))

    def find(node: int) -> int:
        while parent[node] != node:
            node = parent[node]
        return node

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)

    def band(row: npt.NDArray[np.uint32], b: int) -> tuple[int, ...]:
        return tuple(row[b * ROWS : (b + 1) * ROWS].tolist())

    def verified(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> bool:
        return int(np.count_nonzero(a == b)) >= THRESHOLD * NUM_PERM

    old_match: dict[int, int] = {}
    for node in range(count):
        found = np.flatnonzero(index.hash_keys == hash_keys[node])
        if len(found):
            old_match[node] = int(found[0])
    first_of: dict[int, int] = {}
    reps = []
    for node in range(count):
        first = first_of.setdefault(int(hash_keys[node]), node)
        if first == node:
            reps.append(node)
        else:
            union(first, node)

    within: set[tuple[int, int]] = set()
    across: set[tuple[int, int]] = set()
    for b in range(BANDS):
        groups: dict[tuple[int, ...], list[int]] = {}
        for node in reps:
            groups.setdefault(band(compact[node], b), []).append(node)
        for group in groups.values():
            for rank, worse in enumerate(group):
                within.update((better, worse) for better in group[: min(rank, MAX_BAND_FANOUT)])
        for node in reps:
            key = band(compact[node], b)
            olds = [p for p in range(len(stored)) if band(stored[p], b) == key]
            across.update((node, old) for old in olds[:MAX_BAND_FANOUT])
    for better, worse in sorted(within):
        if verified(compact[better], compact[worse]):
            union(better, worse)
    for node, old in sorted(across):
        if verified(compact[node], stored[old]) and (
            node not in old_match or index._better(old, old_match[node])
        ):
            old_match[node] = old

    best_old: dict[int, int] = {}
    for node, old in old_match.items():
        root = find(node)
        if root not in best_old or index._better(old, best_old[root]):
            best_old[root] = old
    mapping: dict[str, str] = {}
    new: list[int] = []
    for node in range(count):
        root = find(node)
        if root in best_old:
            mapping[fresh[node].doc_id] = index.doc_id(best_old[root])
        elif root != node:
            mapping[fresh[node].doc_id] = fresh[root].doc_id
        else:
            new.append(node)
    index._extend(
        [fresh[n].doc_id for n in new],
        compact[new].astype(np.uint16),
        hash_keys[new],
        np.array([_timestamp_us(fresh[n].published_at) for n in new], dtype=np.int64),
        np.array([fresh[n].length for n in new], dtype=np.int64),
    )
    return mapping


def planted(
    seed: int,
    count: int,
    families: int,
    alphabet: int,
    change: float,
    exact: float,
    run: str,
    bases_seed: int = 0,
) -> list[DedupEntry]:
    """`count` entries from a few base signatures (the same for every run of one `bases_seed`),
    each value changed with probability about `change` to one of `alphabet` values: small
    alphabets make big band groups, changes near 0.35 put pairs on both sides of the
    threshold; `exact` of them are one of a few texts that every run may repeat."""
    bases_rng = np.random.default_rng(bases_seed)
    bases = bases_rng.integers(0, 2**32, size=(families, NUM_PERM), dtype=np.uint32)
    twins = bases_rng.integers(0, alphabet, size=(families, 3, NUM_PERM), dtype=np.uint32)
    rng = np.random.default_rng(seed)
    entries: list[DedupEntry] = []
    for i in range(count):
        family = int(rng.integers(families))
        if rng.random() < exact:
            twin = int(rng.integers(3))
            content = f"twin-{family}-{twin}"
            signature = np.where(np.arange(NUM_PERM) % 3 == 0, twins[family, twin], bases[family])
        else:
            content = f"{run}{i}"
            signature = bases[family].copy()
            changed = rng.random(NUM_PERM) < change * rng.random() * 2
            signature[changed] = rng.integers(0, alphabet, size=int(changed.sum()))
        day = int(rng.integers(4))
        published = None if day == 3 else datetime(2024, 5, 1, tzinfo=UTC) + timedelta(days=day)
        entries.append(
            DedupEntry(f"{run}-{i}", content, signature, published, int(rng.integers(3)), i)
        )
    # The same document listed twice is one document.
    if count > 2:
        entries.append(copy.deepcopy(entries[1]))
    return entries


def assert_same_as_reference(runs: list[list[DedupEntry]]) -> None:
    index, expected_index = DedupIndex(), DedupIndex()
    for entries in runs:
        expected = reference_assign(expected_index, copy.deepcopy(entries))
        assert index.assign(copy.deepcopy(entries)) == expected
        assert index.doc_id(len(index) - 1) == expected_index.doc_id(len(expected_index) - 1)
        assert (index.compact == expected_index.compact).all()
        assert (index.hash_keys == expected_index.hash_keys).all()


runs = st.tuples(
    st.integers(0, 2**32 - 1),
    st.integers(1, 120),
    st.integers(1, 5),
    st.sampled_from([2, 4, 16, 2**16]),
    st.sampled_from([0.0, 0.1, 0.3, 0.35, 0.5]),
    st.sampled_from([0.0, 0.2]),
)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.lists(runs, min_size=1, max_size=3))
def test_assignment_equals_the_all_pairs_reference(
    bases_seed: int, specs: list[tuple[int, int, int, int, float, float]]
) -> None:
    assert_same_as_reference(
        [
            planted(*spec, run=f"r{number}", bases_seed=bases_seed)
            for number, spec in enumerate(specs)
        ]
    )


def test_large_band_groups_equal_the_reference() -> None:
    # Groups far above the fan-out, within a run and against the stored index.
    first = planted(11, 400, 2, 2, 0.3, 0.1, run="a", bases_seed=1)
    second = planted(12, 300, 2, 2, 0.3, 0.1, run="b", bases_seed=1)
    assert_same_as_reference([first, second])


def test_fan_out_limits_pairing_as_before() -> None:
    # 70 copies share band 0; the last two also agree on 3 of 4 values of every other band,
    # enough to verify (97 of 128) but never sharing another band, so they are compared only
    # in band 0, where the last copy is paired with the first MAX_BAND_FANOUT copies only.
    rng = np.random.default_rng(5)
    rows = rng.integers(0, 2**16, size=(70, NUM_PERM), dtype=np.uint32)
    rows[:, :ROWS] = 7
    rows[69, ROWS:] = rows[68, ROWS:]
    rows[69, ROWS + ROWS - 1 :: ROWS] += 1
    entries = [DedupEntry(f"d{i}", f"h{i}", rows[i], None, 10, i) for i in range(70)]
    assert_same_as_reference([entries])
    assert DedupIndex().assign(entries) == {}


def test_a_copy_of_several_stored_canonicals_takes_the_best_ranked() -> None:
    # A, B and C agree with X on all of the last band and 3 of 4 values of every other band
    # (97 of 128), with one another on 66 only, so each run stores its own canonical. X, in a
    # later run, meets all three first in the same band and belongs to the earliest published
    # (C, stored last).
    rng = np.random.default_rng(9)
    x = rng.integers(0, 2**16, size=NUM_PERM, dtype=np.uint32)
    copies = {}
    for offset, name in enumerate("ABC"):
        row = x.copy()
        row[offset : NUM_PERM - ROWS : ROWS] += 1
        copies[name] = row
    day = {"A": 9, "B": 5, "C": 1}
    runs = [
        [DedupEntry(name, name, copies[name], datetime(2024, 1, day[name], tzinfo=UTC), 5, 0)]
        for name in "ABC"
    ]
    runs.append([DedupEntry("X", "X", x, None, 5, 0)])
    assert_same_as_reference(runs)
    index = DedupIndex()
    assert [index.assign(run) for run in runs] == [{}, {}, {}, {"X": "C"}]


keys = st.lists(st.integers(0, 3), max_size=60)


@settings(max_examples=200, deadline=None)
@given(keys, st.one_of(keys, st.lists(st.integers(0, 3), min_size=250, max_size=400)), st.data())
def test_equal_keys_pairs_each_wanted_key_with_its_first_stored_positions(
    wanted: list[int], stored: list[int], data: st.DataObject
) -> None:
    if data.draw(st.booleans()):
        wanted, stored = stored, wanted  # either side may be the much larger one
    limit = data.draw(st.sampled_from([1, 2, 64]))
    found, positions = _equal_keys(
        np.array(wanted, dtype=np.uint64), np.array(stored, dtype=np.uint64), limit
    )
    expected = [
        (i, j)
        for i, key in enumerate(wanted)
        for j in [j for j, other in enumerate(stored) if other == key][:limit]
    ]
    assert list(zip(found.tolist(), positions.tolist(), strict=True)) == expected
