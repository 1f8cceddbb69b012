"""Exact and near-duplicate detection: MinHash signatures, LSH banding, a persistent index."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cleaners.document import Document
from cleaners.store import write_atomically
from cleaners.text import content_hash, word_count

# Signature layout. Changing any of these makes stored indexes incomparable: bump the version.
NUM_PERM = 128
BANDS = 32
# 4 rows per band: a pair at Jaccard 0.65 shares some band with probability 0.997, one at 0.3
# with 0.23; every candidate is then verified on its whole signature.
ROWS = NUM_PERM // BANDS
# Tokens per shingle (a token is a word, or one character of an unspaced script). Pairs keep
# copies with 5% of words changed near Jaccard 0.8 (triples: 0.75) while different articles,
# even sharing a site template, stay below 0.25 (BENCHMARKS.md).
SHINGLE = 2
# Estimated Jaccard similarity at or above which two texts are copies: true similarity 0.7
# less about one standard error of a 128-value estimate, so copies at 0.7 are rarely missed.
THRESHOLD = 0.65
SIGNATURE_SEED = 20260101
INDEX_VERSION = "newsclean-dedup-1"
# A band shared by more copies than this pairs each copy with the first ones only (in canonical
# order), so a template text repeated thousands of times cannot make pairing quadratic.
MAX_BAND_FANOUT = 64
# Only the beginning of a longer text is signed: enough to tell any two articles apart, and
# it bounds the memory a single huge input can take.
MAX_SIGNED_CHARS = 1 << 20

# Scripts written without spaces between words: each character is a token (as in cleaners.text),
# plus the CJK extension planes.
UNSPACED_RANGES = (
    (0x0E00, 0x0E7F), (0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF),
    (0x20000, 0x3FFFF),
)  # fmt: skip
# Marks that copies of one text may or may not carry: Latin-script accents written decomposed,
# Hebrew points, Arabic vowel signs. They are dropped inside words (accent-insensitive match).
OPTIONAL_MARK_RANGES = (
    (0x0300, 0x036F), (0x0591, 0x05C7), (0x064B, 0x065F), (0x0670, 0x0670), (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F),
)  # fmt: skip
_SEPARATOR, _WORD_CHAR, _UNSPACED_CHAR, _OPTIONAL_MARK = 0, 1, 2, 3

_MASK32 = np.uint64(0xFFFFFFFF)
# The top bits of a shingle hash choose its bin (7 bits for 128 bins), the low 32 its value.
_BIN_SHIFT = np.uint64(64 - (NUM_PERM.bit_length() - 1))
_EMPTY_SLOT = np.uint32(0xFFFFFFFF)
_NO_DATE = np.iinfo(np.int64).max  # sorts after every real date: undated copies are never first
_SCREEN_SIZE = 1 << 22  # bits of the table screening index keys against a run's (4 MB)
_SCREEN_MASK = np.uint64(_SCREEN_SIZE - 1)
_PROBE_CHUNK = 2_048  # empty bins densified per step: probe matrices of ~10 MB at most
_VERIFY_CHUNK = 4_096  # candidate pairs compared per step
_COMPACT_CHUNK = 8_192  # signatures compacted per step

Signature = npt.NDArray[np.uint32]


def _fold_char(char: str) -> str:
    # Case, compatibility forms (full-width, superscripts) and accents folded, when the result
    # is still one character; Hangul syllables and the like are kept whole.
    bare = "".join(
        c
        for c in unicodedata.normalize("NFKD", char)
        if not any(low <= ord(c) <= high for low, high in OPTIONAL_MARK_RANGES)
    ).casefold()
    if len(bare) == 1:
        return bare
    composed = unicodedata.normalize("NFKC", char).casefold()
    return composed if len(composed) == 1 else char


@lru_cache(maxsize=1)
def _char_tables() -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint32]]:
    """Class (separator, word, unspaced, optional mark) and folded code point of every code point.

    Built once per process (~0.2 s), so that normalising a text is two array look-ups.
    """
    classes = np.zeros(0x110000, dtype=np.uint8)
    folded = np.arange(0x110000, dtype=np.uint32)
    for cp in range(0x10000):
        char = chr(cp)
        # Letters, marks and digits make words (marks too, unlike `\w`, so Devanagari vowel
        # signs do not split a word); everything else separates.
        if unicodedata.category(char)[0] in "LMN":
            classes[cp] = _WORD_CHAR
            folded[cp] = ord(_fold_char(char))
    for low, high in UNSPACED_RANGES:
        classes[low : high + 1] = _UNSPACED_CHAR
    for low, high in OPTIONAL_MARK_RANGES:
        classes[low : high + 1] = _OPTIONAL_MARK
    return classes, folded


def prepare_signatures() -> None:
    """Build the character tables that signatures need now.

    Worth calling once in a process that later forks workers: each would otherwise build its
    own copy (0.1–0.2 s of CPU and 5 MB per worker).
    """
    _char_tables()


def _seeded(count: int, stream: int) -> npt.NDArray[np.uint64]:
    rng = np.random.Generator(np.random.PCG64([SIGNATURE_SEED, stream]))
    return rng.integers(0, 2**64 - 1, size=count, dtype=np.uint64, endpoint=True)


_SHINGLE_SEED = _seeded(1, 1)[0]
# A shingle is a weighted sum of its tokens' hashes, so "a b c" and "c b a" differ.
_SHINGLE_WEIGHTS = _seeded(8, 2) | np.uint64(1)  # room for SHINGLE up to 8
# Tokens are hashed as polynomials in this odd base, from prefix sums over the whole batch.
_BASE = int(_seeded(1, 3)[0]) | 1
# Optimal densification (Shrivastava 2017): an empty bin copies the first non-empty bin along
# its own fixed random probe sequence, which keeps P(equal values) = Jaccard similarity.
_PROBES = np.random.Generator(np.random.PCG64([SIGNATURE_SEED, 4])).integers(
    0, NUM_PERM, size=(NUM_PERM, 4 * NUM_PERM)
)
_BATCH_CHARS = 1 << 18  # characters tokenised per step; bounds the power tables to 4 MB


def _power_tables(size: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    # _BASE**i and _BASE**-i modulo 2**64 (numpy's uint64 products wrap), for i < size.
    base = np.full(size, _BASE, dtype=np.uint64)
    base[0] = 1
    inverse = np.full(size, pow(_BASE, -1, 2**64), dtype=np.uint64)
    inverse[0] = 1
    return np.cumprod(base), np.cumprod(inverse)


@lru_cache(maxsize=1)
def _batch_powers() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    return _power_tables(_BATCH_CHARS)


def _powers(size: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    # Batches fit the cached tables; a single longer text gets its own, then lets them go.
    return _batch_powers() if size <= _BATCH_CHARS else _power_tables(size)


def _mix64(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    # splitmix64 finaliser: spreads every input bit over the word.
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@dataclass(frozen=True, slots=True)
class _Tokens:
    """Tokens of a batch of texts, as arrays over the folded code points of the joined texts."""

    codepoints: npt.NDArray[np.uint32]  # folded; separators left in place
    starts: npt.NDArray[np.intp]  # where each token starts in `codepoints`
    ends: npt.NDArray[np.intp]  # where each token ends (exclusive)
    owner: npt.NDArray[np.intp]  # the text each token comes from


def _tokenise(texts: Sequence[str]) -> _Tokens:
    # One joined string per batch: numpy's per-call cost is paid once, not per text. The
    # separator between texts keeps tokens from running across them.
    lengths = np.fromiter((len(t) for t in texts), dtype=np.intp, count=len(texts))
    text_starts = np.zeros(len(texts), dtype=np.intp)
    np.cumsum(lengths[:-1] + 1, out=text_starts[1:])
    # surrogatepass: a stray surrogate is one more separator, not an error.
    joined = "\n".join(texts).encode("utf-32-le", "surrogatepass")
    raw = np.frombuffer(joined, dtype=np.uint32)
    char_classes, folded = _char_tables()
    classes = np.take(char_classes, raw)
    optional = classes == _OPTIONAL_MARK
    if optional.any():
        kept = np.flatnonzero(~optional)
        raw, classes = raw[kept], classes[kept]
        text_starts = np.searchsorted(kept, text_starts)
    in_token = classes != _SEPARATOR
    unspaced = classes == _UNSPACED_CHAR
    # A token starts after a separator or at any unspaced character, and ends likewise.
    edge = np.empty(len(raw) + 1, dtype=bool)
    edge[0] = edge[-1] = True
    edge[1:-1] = (in_token[1:] != in_token[:-1]) | unspaced[1:] | unspaced[:-1]
    starts = np.flatnonzero(edge[:-1] & in_token)
    ends = np.flatnonzero(edge[1:] & in_token) + 1
    owner = np.searchsorted(text_starts, starts, side="right") - 1
    return _Tokens(np.take(folded, raw), starts, ends, owner)


def tokens_of(text: str) -> list[str]:
    """Normalised tokens: words, and single characters of scripts written without spaces.

    >>> tokens_of("Putin  and Xi, MET in ＡＳＴＡＮＡ!")
    ['putin', 'and', 'xi', 'met', 'in', 'astana']
    >>> tokens_of("Café, cafe\u0301; 上海峰会")
    ['cafe', 'cafe', '上', '海', '峰', '会']
    """
    tokens = _tokenise([text])
    return [
        tokens.codepoints[start:end].tobytes().decode("utf-32-le")
        for start, end in zip(tokens.starts, tokens.ends, strict=True)
    ]


def _token_hashes(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]:
    """A 64-bit hash per token, and the text it comes from; stable across processes and runs."""
    tokens = _tokenise(texts)
    count = len(tokens.codepoints)
    powers, inverses = _powers(count)
    # Prefix sums of (code point + 1) * BASE**i: a token's hash is a difference of two sums,
    # shifted back to position 0, so equal tokens hash alike wherever they stand.
    prefix = np.zeros(count + 1, dtype=np.uint64)
    np.cumsum((tokens.codepoints + np.uint64(1)) * powers[:count], out=prefix[1:])
    spans = (prefix[tokens.ends] - prefix[tokens.starts]) * inverses[tokens.starts]
    return _mix64(spans), tokens.owner


def _shingles(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]:
    """64-bit hashes of every run of SHINGLE consecutive tokens, and the text each belongs to."""
    words, owner = _token_hashes(texts)
    span = max(len(words) - SHINGLE + 1, 0)
    combined = words[:span] * _SHINGLE_WEIGHTS[0]
    for offset in range(1, SHINGLE):
        combined += words[offset : offset + span] * _SHINGLE_WEIGHTS[offset]
    inside = owner[:span] == owner[SHINGLE - 1 : SHINGLE - 1 + span]
    hashes, owners = [_mix64(combined[inside] ^ _SHINGLE_SEED)], [owner[:span][inside]]

    # A text shorter than one shingle is one shingle of all its tokens.
    counts = np.bincount(owner, minlength=len(texts))
    short = (counts > 0) & (counts < SHINGLE)
    if short.any():
        in_short = short[owner]
        short_owner = owner[in_short]
        firsts = np.flatnonzero(np.r_[True, short_owner[1:] != short_owner[:-1]])
        whole = np.bitwise_xor.reduceat(words[in_short], firsts)
        hashes.append(_mix64(whole ^ _SHINGLE_SEED))
        owners.append(short_owner[firsts])
    return np.concatenate(hashes), np.concatenate(owners)


def _batches(texts: Sequence[str]) -> list[tuple[int, int]]:
    # Consecutive ranges of texts of about _BATCH_CHARS characters each.
    ranges, first, size = [], 0, 0
    for i, text in enumerate(texts):
        size += len(text) + 1
        if size >= _BATCH_CHARS:
            ranges.append((first, i + 1))
            first, size = i + 1, 0
    if first < len(texts):
        ranges.append((first, len(texts)))
    return ranges


def signatures_of(texts: Sequence[str]) -> npt.NDArray[np.uint32]:
    """MinHash signatures of many texts at once: one row of NUM_PERM uint32 values per text.

    One-permutation MinHash: each shingle is hashed once and kept if it is the smallest in
    its bin of NUM_PERM bins; empty bins are densified. Two rows agree in a position with
    probability equal to the Jaccard similarity of the two shingle sets, as with NUM_PERM
    separate permutations, at a fraction of the cost. Empty texts give all-max rows.

    >>> rows = signatures_of(["Rain in Prague.", "RAIN in   Prague!", ""])
    >>> rows.shape, bool((rows[0] == rows[1]).all()), int(rows[2].min()) == 2**32 - 1
    ((3, 128), True, True)
    """
    signatures = np.full((len(texts), NUM_PERM), _EMPTY_SLOT, dtype=np.uint32)
    texts = [t if len(t) <= MAX_SIGNED_CHARS else t[:MAX_SIGNED_CHARS] for t in texts]
    for first, last in _batches(texts):
        _fill_signatures(texts[first:last], signatures[first:last])
    return signatures


def _fill_signatures(texts: Sequence[str], signatures: npt.NDArray[np.uint32]) -> None:
    hashes, owner = _shingles(texts)
    slots = owner * NUM_PERM + (hashes >> _BIN_SHIFT).astype(np.intp)
    flat = signatures.reshape(-1)
    np.minimum.at(flat, slots, (hashes & _MASK32).astype(np.uint32))
    filled = np.zeros(flat.size, dtype=bool)
    filled[slots] = True
    has_shingles = np.zeros(len(texts), dtype=bool)
    has_shingles[owner] = True
    empty = np.flatnonzero(~filled & np.repeat(has_shingles, NUM_PERM))
    for chunk in range(0, empty.size, _PROBE_CHUNK):
        slot = empty[chunk : chunk + _PROBE_CHUNK]
        row, column = slot // NUM_PERM, slot % NUM_PERM
        candidates = row[:, None] * NUM_PERM + _PROBES[column]
        hits = filled[candidates]
        first = hits.argmax(axis=1)
        donor = candidates[np.arange(len(slot)), first]
        # The probe sequence is finite: a text filling very few bins may miss them all, and
        # then takes its first filled bin (still the same choice for every text).
        missed = ~hits[np.arange(len(slot)), first]
        if missed.any():
            filled_rows = filled.reshape(len(texts), NUM_PERM)
            donor[missed] = row[missed] * NUM_PERM + filled_rows[row[missed]].argmax(axis=1)
        flat[slot] = flat[donor]


def signature_of(text: str) -> Signature:
    """MinHash signature (NUM_PERM uint32 values) of the text's set of word shingles.

    Copies that differ in residue, spacing or case keep most values in common; other
    articles share almost none.

    >>> a = signature_of("The summit in Astana ended with a call for closer trade ties.")
    >>> b = signature_of("THE SUMMIT in Astana ended -- with a call for closer trade ties!")
    >>> c = signature_of("Heavy rain flooded the old town of Prague on Sunday night.")
    >>> similarity(a, b), similarity(a, c)
    (1.0, 0.0)
    """
    return signatures_of([text])[0]


def similarity(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal MinHash values.

    >>> similarity(np.array([1, 2, 3, 4]), np.array([1, 2, 9, 9]))
    0.5
    """
    left, right = np.asarray(a), np.asarray(b)
    return float(np.count_nonzero(left == right)) / left.size


@dataclass(slots=True)
class DedupEntry:
    """What dedup needs of one document; small, so shard tasks hand these over, not texts."""

    doc_id: str
    content_hash: str
    signature: Signature
    published_at: datetime | None
    length: int  # word count
    order: int  # first-seen order within the run


def entries_of(documents: Sequence[Document], first_order: int = 0) -> list[DedupEntry]:
    """Dedup entries of a shard's documents, signatures computed in one batch.

    `first_order` is the run-wide position of the shard's first document, so that "first
    seen" means the same across shards. A missing content hash or word count is computed.

    >>> docs = [Document(text="Rain in Prague.", doc_id="a"), Document(text="", doc_id="b")]
    >>> [(e.doc_id, e.length, e.order) for e in entries_of(docs, first_order=10)]
    [('a', 3, 10), ('b', 0, 11)]
    """
    signatures = signatures_of([d.text for d in documents])
    return [
        DedupEntry(
            doc_id=doc.doc_id,
            content_hash=doc.content_hash or content_hash(doc.text),
            signature=signatures[i],
            published_at=doc.published_at,
            length=doc.word_count or word_count(doc.text),
            order=first_order + i,
        )
        for i, doc in enumerate(documents)
    ]


def _timestamp_us(value: datetime | None) -> int:
    if value is None:
        return int(_NO_DATE)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # the contract's times are UTC
    return int(value.timestamp() * 1_000_000)


def _datetime_of(us: int) -> datetime | None:
    if us == _NO_DATE:
        return None
    return datetime.fromtimestamp(us / 1_000_000, tz=UTC)


def _hash64(values: Iterable[str]) -> npt.NDArray[np.uint64]:
    # Compact, fixed-width stand-ins for doc ids and content hashes in the stored index.
    return np.array(
        [
            int.from_bytes(hashlib.blake2b(v.encode("utf-8"), digest_size=8).digest(), "little")
            for v in values
        ],
        dtype=np.uint64,
    )


def _pack_strings(values: Sequence[str]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), offsets


def _unpack_string(blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64], i: int) -> str:
    return blob[offsets[i] : offsets[i + 1]].tobytes().decode("utf-8")


def _write_npz_atomic(path: Path, arrays: dict[str, npt.NDArray[np.generic]]) -> None:
    write_atomically(path, lambda handle: np.savez(handle, **arrays))  # type: ignore[arg-type]


def _meta() -> npt.NDArray[np.str_]:
    layout = {
        "version": INDEX_VERSION,
        "num_perm": NUM_PERM,
        "shingle": SHINGLE,
        "seed": SIGNATURE_SEED,
    }
    return np.array(json.dumps(layout, sort_keys=True))


def _check_meta(stored: npt.NDArray[np.str_], path: Path) -> None:
    if str(stored) != str(_meta()):
        raise ValueError(f"{path}: signatures made with another layout ({stored}); rebuild it")


def write_entries(path: Path, entries: Sequence[DedupEntry]) -> None:
    """Store entries in one small .npz file (atomically), for a shard task to hand over by path.

    >>> import tempfile; from pathlib import Path
    >>> entry = DedupEntry("a1", "h", signature_of("one two three"), None, 3, 0)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_entries(Path(d) / "e.npz", [entry])
    ...     [e.doc_id for e in read_entries(Path(d) / "e.npz")]
    ['a1']
    """
    ids_blob, ids_offsets = _pack_strings([e.doc_id for e in entries])
    hashes_blob, hashes_offsets = _pack_strings([e.content_hash for e in entries])
    signatures = np.zeros((len(entries), NUM_PERM), dtype=np.uint32)
    for row, entry in enumerate(entries):
        signatures[row] = entry.signature
    arrays: dict[str, npt.NDArray[np.generic]] = {
        "meta": _meta(),
        "ids_blob": ids_blob,
        "ids_offsets": ids_offsets,
        "hashes_blob": hashes_blob,
        "hashes_offsets": hashes_offsets,
        "signatures": signatures,
        "published_us": np.array([_timestamp_us(e.published_at) for e in entries], np.int64),
        "lengths": np.array([e.length for e in entries], dtype=np.int64),
        "orders": np.array([e.order for e in entries], dtype=np.int64),
    }
    _write_npz_atomic(Path(path), arrays)


def read_entries(path: Path) -> list[DedupEntry]:
    """Entries stored by `write_entries`, in the order they were written."""
    with np.load(Path(path), allow_pickle=False) as stored:
        _check_meta(stored["meta"], Path(path))
        ids_blob, ids_offsets = stored["ids_blob"], stored["ids_offsets"]
        hashes_blob, hashes_offsets = stored["hashes_blob"], stored["hashes_offsets"]
        signatures = stored["signatures"]
        published, lengths, orders = stored["published_us"], stored["lengths"], stored["orders"]
    return [
        DedupEntry(
            doc_id=_unpack_string(ids_blob, ids_offsets, i),
            content_hash=_unpack_string(hashes_blob, hashes_offsets, i),
            signature=signatures[i].copy(),
            published_at=_datetime_of(int(published[i])),
            length=int(lengths[i]),
            order=int(orders[i]),
        )
        for i in range(len(orders))
    ]


def _band_keys(compact: npt.NDArray[np.uint16]) -> npt.NDArray[np.uint64]:
    # ROWS (=4) 16-bit values side by side make one exact 64-bit band key, no hashing needed.
    rows = np.ascontiguousarray(compact).reshape(len(compact), BANDS, ROWS)
    return rows.view(np.uint64).reshape(len(compact), BANDS)


def _compact(signatures: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint16]:
    # b-bit MinHash (Li & König): the low 16 bits of each value estimate Jaccard with a bias
    # of 2**-16, at half the memory of the full values.
    return (signatures & np.uint32(0xFFFF)).astype(np.uint16)


class _Clusters:
    """Nodes linked into clusters: a forest in one array, each root the smallest node of its tree.

    Nodes are in canonical order, so a cluster's root is its best copy. Links are made a batch
    at a time and every path is compressed after each batch: `parent` is then each node's root.
    """

    def __init__(self, size: int) -> None:
        self.parent = np.arange(size, dtype=np.intp)

    def link(self, a: npt.NDArray[np.intp], b: npt.NDArray[np.intp]) -> None:
        """Merge the clusters of a[i] and b[i] for every i."""
        while len(a):
            root_a, root_b = self.parent[a], self.parent[b]
            apart = root_a != root_b
            if not apart.any():
                return
            a, b, root_a, root_b = a[apart], b[apart], root_a[apart], root_b[apart]
            # A root joins the smallest root it is linked to; links to other roots are made on
            # the next pass, once its new root is known. Parents only ever point to smaller
            # nodes, so no cycle can form.
            np.minimum.at(self.parent, np.maximum(root_a, root_b), np.minimum(root_a, root_b))
            self._compress()

    def _compress(self) -> None:
        while True:
            grandparent = self.parent[self.parent]
            if np.array_equal(grandparent, self.parent):
                return
            self.parent = grandparent


class DedupIndex:
    """Canonical documents of earlier runs: compact signatures, content hashes, ids and ranks.

    Only canonical copies are kept (a duplicate is found through its canonical), at about
    300 bytes per document on disk and 600 in memory while assigning.
    """

    def __init__(self) -> None:
        self.ids_blob = np.zeros(0, dtype=np.uint8)
        self.ids_offsets = np.zeros(1, dtype=np.int64)
        self.id_keys = np.zeros(0, dtype=np.uint64)
        self.hash_keys = np.zeros(0, dtype=np.uint64)
        self.compact = np.zeros((0, NUM_PERM), dtype=np.uint16)
        self.published_us = np.zeros(0, dtype=np.int64)
        self.lengths = np.zeros(0, dtype=np.int32)

    def __len__(self) -> int:
        return len(self.id_keys)

    @classmethod
    def load(cls, path: Path) -> DedupIndex:
        """The index stored at `path`; an empty index when there is none yet."""
        index = cls()
        if not Path(path).exists():
            return index
        with np.load(Path(path), allow_pickle=False) as stored:
            _check_meta(stored["meta"], Path(path))
            index.ids_blob = stored["ids_blob"]
            index.ids_offsets = stored["ids_offsets"]
            index.id_keys = stored["id_keys"]
            index.hash_keys = stored["hash_keys"]
            index.compact = stored["compact"]
            index.published_us = stored["published_us"]
            index.lengths = stored["lengths"]
        return index

    def save(self, path: Path) -> None:
        """Write the index to `path` atomically: a reader sees the old file or the new one."""
        _write_npz_atomic(
            Path(path),
            {
                "meta": _meta(),
                "ids_blob": self.ids_blob,
                "ids_offsets": self.ids_offsets,
                "id_keys": self.id_keys,
                "hash_keys": self.hash_keys,
                "compact": self.compact,
                "published_us": self.published_us,
                "lengths": self.lengths,
            },
        )

    def forget(self, doc_ids: Iterable[str]) -> None:
        """Drop the stored canonicals with these ids.

        A changed input's documents keep their ids: forgotten, their new text is matched
        afresh, instead of being taken for a retried run's copy of what the index holds.
        """
        keys = _hash64(doc_ids)
        if not len(self) or not len(keys):
            return
        kept = ~np.isin(self.id_keys, keys)
        if kept.all():
            return
        lengths = np.diff(self.ids_offsets)
        self.ids_blob = self.ids_blob[np.repeat(kept, lengths)]
        self.ids_offsets = np.concatenate([[0], np.cumsum(lengths[kept])]).astype(np.int64)
        self.id_keys = self.id_keys[kept]
        self.hash_keys = self.hash_keys[kept]
        self.compact = self.compact[kept]
        self.published_us = self.published_us[kept]
        self.lengths = self.lengths[kept]

    def doc_id(self, position: int) -> str:
        """The doc_id of the canonical document stored at `position`."""
        return _unpack_string(self.ids_blob, self.ids_offsets, position)

    def assign(self, entries: list[DedupEntry]) -> dict[str, str]:
        """Map each duplicate's doc_id to its canonical doc_id; add new canonicals to the index.

        A cluster's canonical copy is one already in the index if there is one (rows written
        by earlier runs are never rewritten), else the earliest published, then the longest,
        then the first seen.

        >>> index = DedupIndex()
        >>> story = "Leaders met in Astana on Thursday and agreed to trade in yuan and roubles."
        >>> entries = [
        ...     DedupEntry("blog", "h2", signature_of(story + " Share this article!"), None, 17, 0),
        ...     DedupEntry("wire", "h1", signature_of(story), datetime(2024, 7, 4), 14, 1),
        ...     DedupEntry("rain", "h3", signature_of("Rain flooded Prague."), None, 3, 2),
        ... ]
        >>> index.assign(entries)
        {'blog': 'wire'}
        """
        fresh = self._fresh(entries)
        if not fresh:
            return {}
        # Canonical order within the run: earliest published, then longest, then first seen.
        published = np.array([_timestamp_us(e.published_at) for e in fresh], dtype=np.int64)
        lengths = np.array([e.length for e in fresh], dtype=np.int64)
        orders = np.array([e.order for e in fresh], dtype=np.int64)
        rank = np.lexsort((orders, -lengths, published))
        fresh = [fresh[i] for i in rank]
        published, lengths = published[rank], lengths[rank]
        count = len(fresh)
        hash_keys = _hash64(e.content_hash for e in fresh)

        # Compacted a slice at a time: the full signatures of a run are never held at once.
        compact = np.empty((count, NUM_PERM), dtype=np.uint16)
        for chunk in range(0, count, _COMPACT_CHUNK):
            part = fresh[chunk : chunk + _COMPACT_CHUNK]
            compact[chunk : chunk + len(part)] = _compact(
                np.stack([np.asarray(e.signature, dtype=np.uint32) for e in part])
            )
        # Nodes are this run's documents in canonical order, linked into clusters; matches
        # with stored canonicals are kept aside, since those win over any node.
        clusters = _Clusters(count)
        # Best-ranked stored canonical each node matches, or -1.
        old_match = np.full(count, -1, dtype=np.intp)

        # Exact copies: the same content hash as a stored canonical or as a better-ranked copy.
        # The first copy of each text still takes part in near matching, so that its cluster
        # in this run and the stored canonical it matches are resolved together.
        for node, old in self._lookup_hashes(hash_keys):
            old_match[node] = old
        _, first_of_hash, which = np.unique(hash_keys, return_index=True, return_inverse=True)
        first = first_of_hash[which]  # nodes are in canonical order: the first is the best
        representative = first == np.arange(count)
        clusters.parent[:] = first

        # Near copies among the representatives only: candidates from LSH bands, verified on
        # the estimated Jaccard of the whole signature. Candidates are made, verified and
        # linked a band (and a fan-out step) at a time, so memory is bounded by one band's
        # candidates however many all bands yield (templated text gives hundreds per
        # document); a pair already in one cluster needs no verifying.
        reps = np.flatnonzero(representative)
        rep_keys = _band_keys(compact[reps])
        for better, worse in _pairs_within(rep_keys, reps):
            apart = clusters.parent[better] != clusters.parent[worse]
            clusters.link(*_verified(better[apart], worse[apart], compact, compact))
        if len(self):
            old_keys = _band_keys(self.compact)
            for nodes, olds in _pairs_across(rep_keys, reps, old_keys):
                # Only a stored canonical better than the node's best match so far can matter.
                known = old_match[nodes]
                wanted = (known < 0) | self._better_all(olds, known)
                nodes, olds = _verified(nodes[wanted], olds[wanted], compact, self.compact)
                self._keep_best(old_match, nodes, olds)

        # Resolve each cluster: a stored canonical wins over anything from this run.
        roots = clusters.parent.tolist()
        best_old: dict[int, int] = {}
        for node in np.flatnonzero(old_match >= 0).tolist():
            root, old = roots[node], int(old_match[node])
            if root not in best_old or self._better(old, best_old[root]):
                best_old[root] = old
        mapping: dict[str, str] = {}
        new_canonicals: list[int] = []
        for node, root in enumerate(roots):
            if root in best_old:
                mapping[fresh[node].doc_id] = self.doc_id(best_old[root])
            elif root != node:
                mapping[fresh[node].doc_id] = fresh[root].doc_id
            else:
                new_canonicals.append(node)
        keep = np.array(new_canonicals, dtype=np.intp)
        # The run's band keys and signatures go before the index grows (a copy of its own).
        del rep_keys
        compact = compact[keep]
        self._extend(
            [fresh[n].doc_id for n in new_canonicals],
            compact,
            hash_keys[keep],
            published[keep],
            lengths[keep],
        )
        return mapping

    def _fresh(self, entries: list[DedupEntry]) -> list[DedupEntry]:
        # A document already canonical in the index (a run retried) stays canonical, and an id
        # listed twice is one document.
        seen: set[str] = set()
        unique = []
        for entry in entries:
            if entry.doc_id not in seen:
                seen.add(entry.doc_id)
                unique.append(entry)
        if not len(self) or not unique:
            return unique
        known = {i for i, _ in self._lookup(self.id_keys, _hash64(e.doc_id for e in unique))}
        return [e for i, e in enumerate(unique) if i not in known]

    def _lookup_hashes(self, hash_keys: npt.NDArray[np.uint64]) -> list[tuple[int, int]]:
        return self._lookup(self.hash_keys, hash_keys) if len(self) else []

    @staticmethod
    def _lookup(
        stored: npt.NDArray[np.uint64], wanted: npt.NDArray[np.uint64]
    ) -> list[tuple[int, int]]:
        # (position in wanted, first position in stored) for every wanted key that is stored.
        found, positions = _equal_keys(wanted, stored, 1)
        return list(zip(found.tolist(), positions.tolist(), strict=True))

    def _better(self, a: int, b: int) -> bool:
        # Between two stored canonicals: earlier published, then longer, then stored first.
        key_a = (self.published_us[a], -self.lengths[a], a)
        key_b = (self.published_us[b], -self.lengths[b], b)
        return key_a < key_b

    def _better_all(
        self, a: npt.NDArray[np.intp], b: npt.NDArray[np.intp]
    ) -> npt.NDArray[np.bool_]:
        # `_better` for many pairs of stored canonicals at once.
        published_a, published_b = self.published_us[a], self.published_us[b]
        length_a, length_b = self.lengths[a], self.lengths[b]
        return (published_a < published_b) | (
            (published_a == published_b)
            & ((length_a > length_b) | ((length_a == length_b) & (a < b)))
        )

    def _keep_best(
        self,
        best: npt.NDArray[np.intp],
        nodes: npt.NDArray[np.intp],
        olds: npt.NDArray[np.intp],
    ) -> None:
        # best[node] becomes the better of itself and every old paired with the node.
        if not len(nodes):
            return
        by_rank = np.lexsort((olds, -self.lengths[olds].astype(np.int64), self.published_us[olds]))
        nodes, olds = nodes[by_rank], olds[by_rank]
        # Sorted by rank, the first old of each node is its best: a stable sort by node keeps it.
        by_node = np.argsort(nodes, kind="stable")
        nodes, olds = nodes[by_node], olds[by_node]
        firsts = np.r_[True, nodes[1:] != nodes[:-1]]
        nodes, olds = nodes[firsts], olds[firsts]
        known = best[nodes]
        replace = (known < 0) | self._better_all(olds, known)
        best[nodes[replace]] = olds[replace]

    def _extend(
        self,
        doc_ids: list[str],
        compact: npt.NDArray[np.uint16],
        hash_keys: npt.NDArray[np.uint64],
        published_us: npt.NDArray[np.int64],
        lengths: npt.NDArray[np.int64],
    ) -> None:
        if not doc_ids:
            return
        blob, offsets = _pack_strings(doc_ids)
        self.ids_offsets = np.concatenate([self.ids_offsets, offsets[1:] + self.ids_offsets[-1]])
        self.ids_blob = np.concatenate([self.ids_blob, blob])
        self.id_keys = np.concatenate([self.id_keys, _hash64(doc_ids)])
        self.hash_keys = np.concatenate([self.hash_keys, hash_keys])
        self.compact = np.concatenate([self.compact, compact])
        self.published_us = np.concatenate([self.published_us, published_us])
        self.lengths = np.concatenate([self.lengths, lengths.astype(np.int32)])


def _pairs_within(
    keys: npt.NDArray[np.uint64], nodes: npt.NDArray[np.intp]
) -> Iterator[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """(better nodes, worse nodes) of rows sharing a band key, a band and a fan-out step at a
    time (never more pairs at once than rows); nodes are in canonical order.

    A pair sharing several bands comes once per band: verifying it again costs less than
    remembering every pair.
    """
    positions = np.arange(len(keys))
    for band in range(keys.shape[1]):
        order = np.argsort(keys[:, band], kind="stable")  # stable: canonical order in a group
        ordered = keys[order, band]
        is_start = np.r_[True, ordered[1:] != ordered[:-1]] if len(ordered) else ordered > 0
        start_of = np.flatnonzero(is_start)[np.cumsum(is_start) - 1]
        rank_in_group = positions - start_of
        # Each copy is paired with every better-ranked copy of its group, up to the fan-out.
        later = np.flatnonzero(rank_in_group > 0)
        for step in range(MAX_BAND_FANOUT):
            later = later[rank_in_group[later] > step]
            if not later.size:
                break
            yield nodes[order[start_of[later] + step]], nodes[order[later]]


def _pairs_across(
    keys: npt.NDArray[np.uint64], nodes: npt.NDArray[np.intp], stored: npt.NDArray[np.uint64]
) -> Iterator[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """(nodes, stored positions) of rows sharing a band key with a stored canonical, a band at
    a time."""
    for band in range(keys.shape[1]):
        rows, positions = _equal_keys(keys[:, band], stored[:, band], MAX_BAND_FANOUT)
        yield nodes[rows], positions


def _equal_keys(
    wanted: npt.NDArray[np.uint64], stored: npt.NDArray[np.uint64], limit: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """(position in wanted, position in stored) of equal keys; per wanted key, the first
    `limit` stored positions. Sorted by wanted position, then stored position.

    The much larger side, if any, is first screened through a bit table of the other one's
    keys: a run of a thousand documents against an index of millions costs a table look-up
    per stored key, not a sort. Stored keys shared by thousands of documents (a template
    text) are cut to `limit` before pairing, so there are never more than `limit` pairs
    per wanted key.
    """
    wanted_rows, stored_rows = np.arange(len(wanted)), np.arange(len(stored))
    if len(stored) > 4 * len(wanted):
        stored_rows = _screened(stored, wanted)
    elif len(wanted) > 4 * len(stored):
        wanted_rows = _screened(wanted, stored)
    # Stored rows by key, in position order within a key (stable), the first `limit` of each.
    by_key = np.argsort(stored[stored_rows], kind="stable")
    stored_rows = stored_rows[by_key]
    keys = stored[stored_rows]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else stored_rows
    rank = np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    keys, stored_rows = keys[rank < limit], stored_rows[rank < limit]
    wanted_keys = wanted[wanted_rows]
    low = np.searchsorted(keys, wanted_keys, side="left")
    counts = np.searchsorted(keys, wanted_keys, side="right") - low
    hits = np.flatnonzero(counts)
    counts = counts[hits]
    found = np.repeat(wanted_rows[hits], counts)
    within = np.arange(len(found)) - np.repeat(np.cumsum(counts) - counts, counts)
    return found, stored_rows[np.repeat(low[hits], counts) + within]


def _screened(large: npt.NDArray[np.uint64], small: npt.NDArray[np.uint64]) -> npt.NDArray[np.intp]:
    # Positions in `large` whose key may be in `small` (a few false positives).
    table = np.zeros(_SCREEN_SIZE, dtype=bool)
    table[(small & _SCREEN_MASK).astype(np.intp)] = True
    return np.flatnonzero(table[(large & _SCREEN_MASK).astype(np.intp)])


def _verified(
    a: npt.NDArray[np.intp],
    b: npt.NDArray[np.intp],
    left: npt.NDArray[np.uint16],
    right: npt.NDArray[np.uint16],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The candidate pairs (a[i], b[i]) whose estimated Jaccard similarity reaches THRESHOLD."""
    kept = np.zeros(len(a), dtype=bool)
    # Chunks of 1 MB of signatures a side stay in cache while compared; np.take gathers rows
    # faster than fancy indexing does.
    for chunk in range(0, len(a), _VERIFY_CHUNK):
        part = slice(chunk, chunk + _VERIFY_CHUNK)
        same = np.take(left, a[part], axis=0) == np.take(right, b[part], axis=0)
        kept[part] = same.sum(axis=1, dtype=np.int32) >= THRESHOLD * NUM_PERM
    return a[kept], b[kept]
