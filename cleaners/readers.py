"""Inputs to raw documents: discover files and folders, plan shards, read each format."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import stat
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal, Protocol

import pyarrow as pa

from cleaners.contract import Rejection, escape_excerpt
from cleaners.options import DEFAULT_OPTIONS, CleanOptions

Kind = Literal["html", "text"]
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
# The suffixes, as messages name them: ".txt, .html, .htm, .jsonl or .ndjson".
FORMAT_NAMES = ", ".join(list(FORMATS)[:-1]) + " or " + list(FORMATS)[-1]
RECORD_FIELDS = frozenset({"id", "url", "fetched_at", "title", "html", "text"})
# Real text compresses well under 20:1; gzip's own ceiling is about 1030:1. A stream that
# expands more than this, past the floor, is a decompression bomb, not a document.
MAX_GZIP_RATIO = 100
GZIP_RATIO_FLOOR = 1 << 20
GZIP_PROBE_BYTES = 64 << 10
# Characters that would break a line of a log or report when a file name holds them.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Lone surrogates (JSON "\ud800" escapes, undecodable file names) cannot be written as UTF-8.
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Slices of a gzipped JSON-lines file are copied apart once, at planning: a deflate stream
# cannot be entered in the middle. zstd keeps the copies smaller than the gzip input and
# costs a fraction of the decompression they save.
SPILL_CODEC = "zstd"
SPILL_SUFFIX = ".jsonl.zst"
SCAN_BLOCK = 1 << 20
# `may_hold_html` reads this many records of a JSON-lines file, each up to this many bytes.
HTML_PROBE_LINES = 20
HTML_PROBE_BYTES = 1 << 20
Stamp = tuple[int, int, int]  # size, mtime_ns, inode: a file that differs in any has changed


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file found under a SOURCE argument; `source` is its path relative to that argument."""

    path: str
    source: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class InputSlice:
    """The unit a shard is made of: a whole file, or a range of lines of a JSON-lines file.

    It travels to worker processes, so it holds where to start reading, never the lines.
    """

    path: str
    source: str
    first_line: int = 1  # 1-based, JSON lines only
    line_count: int = 0  # 0: to the end of the file
    # Where the slice starts, so a reader seeks to it instead of reading every line before it.
    offset: int = -1  # byte offset of first_line in the (uncompressed) file; -1: count lines
    length: int = 0  # bytes the slice held when planned (for the last slice: to the end)
    checksum: int = 0  # CRC-32 of those bytes, to tell whether a changed file still holds them
    stamp: Stamp = (0, 0, 0)  # the file when planned; (-1, -1, -1): check the bytes anyway
    spill: str = ""  # a copy of just this slice's lines (gzip inputs), read instead of `path`
    broken: tuple[str, str] | None = None  # (reason, detail) of a stream that ends after it


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A document as read, before extraction: bytes or text plus what the record said."""

    doc_id: str
    source: str
    kind: Kind
    content: bytes | str
    url: str | None = None
    fetched_at: datetime | None = None
    title: str | None = None
    source_group: str = ""


def file_format(path: str) -> str | None:
    """The input format of a file name, looking through a .gz suffix.

    >>> file_format("news/a.JSONL.gz"), file_format("b.htm"), file_format("c.pdf")
    ('jsonl', 'html', None)
    """
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return FORMATS.get(os.path.splitext(name)[1])


def derived_id(source: str) -> str:
    """A stable id from an input's identity (its source path, and line for JSON lines).

    >>> derived_id("site/a.txt") == derived_id("site/a.txt"), len(derived_id("x"))
    (True, 16)
    """
    return hashlib.sha256(source.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def discover(
    sources: list[str], skip: Path | None = None
) -> tuple[list[InputFile], list[Rejection]]:
    """Files under the SOURCE arguments, recursively, in a stable order.

    Files of unknown type met while walking a folder are ignored; a SOURCE argument that is
    missing, unreadable or of unknown type becomes a rejection, so it is never lost silently.
    The folder `skip` is not walked into: a run's output folder may sit among its inputs, and
    its report pages are not news.
    """
    skipped = skip.resolve() if skip is not None else None
    found: list[InputFile] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for argument in sources:
        root = Path(argument)
        if root.is_dir():
            for path, error in _walk(root, skipped):
                source = path.relative_to(root).as_posix()
                if error is not None:
                    detail = f"cannot list the folder: {_describe(error)}"
                    rejected.append(_reject_path(source, "unreadable", detail))
                else:
                    _add(found, rejected, seen, path, source)
        elif os.path.lexists(root):  # a file, or a pipe, device or broken link named as one
            if file_format(root.name) is None:
                rejected.append(
                    _reject_path(
                        root.name,
                        "unsupported-format",
                        f"not a {FORMAT_NAMES} file",
                    )
                )
            else:
                _add(found, rejected, seen, root, root.name)
        else:
            rejected.append(_reject_path(argument, "missing-input", "no such file or folder"))
    return found, rejected


def may_hold_html(files: Iterable[InputFile], probe_lines: int = HTML_PROBE_LINES) -> bool:
    """Whether any of `files` is, or is likely to hold, an HTML page.

    An HTML file is; a JSON-lines file is when one of its first `probe_lines` records has an
    'html' field, or when they cannot be read (the answer only decides what is prepared
    ahead, never how a document is read).
    """
    for item in files:
        kind = file_format(item.path)
        if kind == "html":
            return True
        if kind == "jsonl" and _first_records_hold_html(item.path, probe_lines):
            return True
    return False


def _first_records_hold_html(path: str, probe_lines: int) -> bool:
    try:
        with _open(path) as stream:
            for _ in range(probe_lines):
                line = stream.readline(HTML_PROBE_BYTES)
                if not line:
                    return False
                if b'"html"' in line:
                    return True
                if not line.endswith(b"\n"):  # a record longer than the probe reads
                    return True
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
        return True
    return False


def _walk(root: Path, skip: Path | None = None) -> Iterator[tuple[Path, OSError | None]]:
    # Symbolic links to folders are not followed: a link loop cannot trap the walk. A folder
    # that cannot be listed is reported, not skipped in silence.
    errors: list[OSError] = []
    for folder, subfolders, files in os.walk(root, followlinks=False, onerror=errors.append):
        while errors:
            error = errors.pop()
            yield Path(error.filename or folder), error
        if skip is not None:
            subfolders[:] = [name for name in subfolders if (Path(folder) / name).resolve() != skip]
        subfolders.sort()
        for name in sorted(files):
            if file_format(name) is not None and not name.startswith("."):
                yield Path(folder) / name, None
    for error in errors:
        yield Path(error.filename or root), error


def display_source(source: str) -> str:
    """A source name that is valid UTF-8 and prints on one line, whatever the file was called.

    >>> display_source("feeds/a\\nb.txt"), display_source("caf\\udce9.txt")
    ('feeds/a\\\\nb.txt', 'caf\\\\xe9.txt')
    """
    if LONE_SURROGATE.search(source):
        raw = source.encode("utf-8", "surrogateescape")
        source = raw.decode("utf-8", "backslashreplace")
        source = LONE_SURROGATE.sub("\ufffd", source)
    return UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), source)


def _add(
    found: list[InputFile], rejected: list[Rejection], seen: set[str], path: Path, source: str
) -> None:
    if LONE_SURROGATE.search(str(path)):
        # Such a name cannot be stored in the manifest or the dataset, which hold UTF-8 only.
        detail = "the file name is not valid UTF-8; rename the file to read it"
        rejected.append(_reject_path(source, "bad-file-name", detail))
        return
    try:
        real = str(path.resolve())
        info = path.stat()
    except RuntimeError:  # Path.resolve on a symbolic link loop (Python 3.11)
        rejected.append(_reject_path(source, "unreadable", "a symbolic link loop"))
        return
    except OSError as error:
        rejected.append(
            _reject_path(source, "unreadable", f"cannot open the file: {_describe(error)}")
        )
        return
    if not stat.S_ISREG(info.st_mode):
        # A FIFO would block the read forever and a device (a link to /dev/zero) never ends.
        rejected.append(_reject_path(source, "not-a-file", f"not a regular file: {_kind(info)}"))
        return
    if real in seen:
        return
    seen.add(real)
    found.append(InputFile(str(path), display_source(source), info.st_size, info.st_mtime_ns))


def _kind(info: os.stat_result) -> str:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _reject_path(source: str, reason: str, detail: str) -> Rejection:
    shown = display_source(source)
    return Rejection(derived_id(shown), shown, "discover", reason, detail, "")


def plan_slices(
    files: list[InputFile], shard_size: int, work: str | Path | None = None
) -> list[list[InputSlice]]:
    """Group inputs into shards of about `shard_size` documents; long JSON-lines files are split.

    Each slice of a JSON-lines file records where it starts, so reading every slice costs
    one pass over the file, not one pass per slice. A gzipped file cannot be entered in the
    middle: with a `work` folder its slices after the first are copied apart during the pass
    that counts its lines (remove them with `remove_spills`); without one, each slice
    decompresses the file from its start.

    >>> files = [InputFile("a.txt", "a.txt", 1, 0), InputFile("b.txt", "b.txt", 1, 0)]
    >>> [[s.source for s in shard] for shard in plan_slices(files, 1)]
    [['a.txt'], ['b.txt']]
    """
    shard_size = max(1, shard_size)
    spills = _SpillFolder(Path(work).absolute()) if work is not None else None
    shards: list[list[InputSlice]] = []
    current: list[InputSlice] = []
    filled = 0
    try:
        for index, item in enumerate(files):
            if file_format(item.path) == "jsonl":
                slices = _plan_json_lines(item, shard_size, spills, index)
            else:
                slices = [(InputSlice(item.path, item.source), 1)]
            for piece, lines in slices:
                current.append(piece)
                filled += max(lines, 1)
                if filled >= shard_size:
                    shards.append(current)
                    current, filled = [], 0
    except BaseException:
        if spills is not None:
            spills.remove()
        raise
    if current:
        shards.append(current)
    return shards


def remove_spills(shards: Iterable[Iterable[InputSlice]]) -> None:
    """Delete the slice copies `plan_slices` wrote into its work folder; safe to call twice.

    >>> copy = "work/slices-1/000000-000001.jsonl.zst"  # gone already: nothing to do
    >>> remove_spills([[InputSlice("feed.jsonl.gz", "feed.jsonl.gz", 501, spill=copy)]])
    """
    folders: set[Path] = set()
    for shard in shards:
        for item in shard:
            if item.spill:
                spill = Path(item.spill)
                spill.unlink(missing_ok=True)
                folders.add(spill.parent)
    for folder in folders:
        with contextlib.suppress(OSError):  # gone already, or holding another plan's copies
            folder.rmdir()


class _SpillFolder:
    """A folder of slice copies under the caller's work folder, made on first use."""

    def __init__(self, work: Path) -> None:
        self._work = work
        self._folder: Path | None = None

    def path(self, index: int, part: int) -> Path:
        if self._folder is None:
            self._work.mkdir(parents=True, exist_ok=True)
            self._folder = Path(tempfile.mkdtemp(prefix="slices-", dir=self._work))
        return self._folder / f"{index:06d}-{part:06d}{SPILL_SUFFIX}"

    def remove(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


# A planned slice and the lines it held when planned, which is what fills a shard.
Planned = list[tuple[InputSlice, int]]


def _plan_json_lines(
    item: InputFile, shard_size: int, spills: _SpillFolder | None, index: int
) -> Planned:
    if item.path.lower().endswith(".gz"):
        if spills is not None:
            planned = _plan_gzip(item, shard_size, spills, index)
            if planned is not None:
                return planned
        return _counted_slices(item, shard_size, count_lines(item.path))
    return _plan_plain(item, shard_size)


def _counted_slices(item: InputFile, shard_size: int, lines: int) -> Planned:
    # Slices found by counting lines from the file's start when read (no offsets known).
    slices = []
    for first in range(1, max(lines, 1) + 1, shard_size):
        count = min(shard_size, lines - first + 1) if lines else 0
        # The last slice reads to the end: lines the count missed (a file that grew, a
        # stream that breaks) are still read or reported, never dropped.
        is_last = first + shard_size > lines
        piece = InputSlice(item.path, item.source, first, 0 if is_last else shard_size)
        slices.append((piece, count))
    return slices


def _stamp(info: os.stat_result) -> Stamp:
    return (info.st_size, info.st_mtime_ns, info.st_ino)


UNKNOWN_STAMP: Stamp = (-1, -1, -1)


def _plan_plain(item: InputFile, shard_size: int) -> Planned:
    """Slices of an uncompressed JSON-lines file with the byte offset and CRC of each."""
    starts = [0]  # byte offset of each slice's first line
    checksums: list[int] = []
    position = newlines = checksum = 0
    last = b"\n"
    try:
        with _open(item.path) as stream:
            before = _stamp(os.fstat(stream.fileno()))
            for block in iter(lambda: stream.read(SCAN_BLOCK), b""):
                cut = 0  # bytes of the block that belong to slices already finished
                remaining = block.count(b"\n")
                while newlines + remaining >= len(starts) * shard_size:
                    needed = len(starts) * shard_size - newlines
                    end = cut
                    for _ in range(needed):
                        end = block.index(b"\n", end) + 1
                    checksums.append(zlib.crc32(block[cut:end], checksum))
                    checksum, cut = 0, end
                    newlines += needed
                    remaining -= needed
                    starts.append(position + end)
                checksum = zlib.crc32(block[cut:], checksum)
                newlines += remaining
                position += len(block)
                last = block[-1:]
            after = _stamp(os.fstat(stream.fileno()))
    except (OSError, EOFError, zlib.error):
        return _counted_slices(item, shard_size, 0)
    lines = newlines + (0 if last == b"\n" else 1)
    count = max(1, -(-lines // shard_size))
    if count == 1:
        return [(InputSlice(item.path, item.source), lines)]
    checksums.append(checksum)
    # A file written to while it was counted is checked byte for byte when read.
    stamp = after if before == after and after[0] == position else UNKNOWN_STAMP
    ends = [*starts[1:count], position]
    return [
        (
            InputSlice(
                item.path,
                item.source,
                first_line=1 + part * shard_size,
                line_count=0 if part == count - 1 else shard_size,
                offset=starts[part],
                length=ends[part] - starts[part],
                checksum=checksums[part],
                stamp=stamp,
            ),
            min(shard_size, lines - part * shard_size),
        )
        for part in range(count)
    ]


def _plan_gzip(
    item: InputFile, shard_size: int, spills: _SpillFolder, index: int
) -> Planned | None:
    """Slices of a gzipped JSON-lines file: the first read from the file, the others from copies.

    None when the file cannot be opened or a copy cannot be written: it is then read by
    counting lines, as without a work folder.
    """
    number = 0  # lines begun
    first_length = first_checksum = 0
    at_line_start = True
    broken: tuple[str, str] | None = None
    writer: _SpillWriter | None = None
    paths: list[str] = []
    try:
        stream = _open(item.path)
    except (OSError, EOFError, zlib.error):
        return None
    try:
        with stream:
            before = _stamp(os.fstat(stream.fileno()))
            try:
                while chunk := stream.readline(SCAN_BLOCK):
                    if at_line_start:
                        number += 1
                        if number > 1 and (number - 1) % shard_size == 0:
                            if writer is not None:
                                writer.close()
                            paths.append(str(spills.path(index, len(paths) + 1)))
                            writer = _SpillWriter(paths[-1])
                    at_line_start = chunk.endswith(b"\n")
                    if writer is None:
                        first_checksum = zlib.crc32(chunk, first_checksum)
                        first_length += len(chunk)
                    else:
                        writer.write(chunk)
            except (OSError, EOFError, zlib.error) as error:
                broken = _break_of(error)
            if writer is not None:
                writer.close()
            after = _stamp(os.fstat(stream.fileno()))
    except _SpillFailed:
        if writer is not None:
            writer.discard()
        _unlink_all(paths)
        return None
    if not paths:
        return [(InputSlice(item.path, item.source), number)]
    if before != after:
        # The copies may hold a mix of two versions of the file: none of it is read.
        _unlink_all(paths)
        detail = "the file changed while its lines were counted; it is read again next run"
        return [(InputSlice(item.path, item.source, broken=("changed", detail)), 1)]
    first = InputSlice(
        item.path,
        item.source,
        line_count=shard_size,
        offset=0,
        length=first_length,
        checksum=first_checksum,
        stamp=after,
    )
    return [(first, shard_size)] + [
        (
            InputSlice(
                item.path,
                item.source,
                first_line=1 + part * shard_size,
                line_count=shard_size if part < len(paths) else 0,
                spill=path,
                broken=broken if part == len(paths) else None,
            ),
            min(shard_size, number - part * shard_size),
        )
        for part, path in enumerate(paths, start=1)
    ]


class _SpillFailed(Exception):
    """A slice copy could not be written (a full disk, say)."""


class _SpillWriter:
    """A zstd-compressed copy of one slice's lines, written in blocks."""

    def __init__(self, path: str) -> None:
        self._pending: list[bytes] = []
        self._size = 0
        try:
            self._stream = pa.output_stream(path, compression=SPILL_CODEC)
        except (OSError, pa.ArrowException) as error:
            raise _SpillFailed(str(error)) from error

    def write(self, chunk: bytes) -> None:
        self._pending.append(chunk)
        self._size += len(chunk)
        if self._size >= SCAN_BLOCK:
            self._flush()

    def _flush(self) -> None:
        try:
            self._stream.write(b"".join(self._pending))
        except (OSError, pa.ArrowException) as error:
            raise _SpillFailed(str(error)) from error
        self._pending.clear()
        self._size = 0

    def close(self) -> None:
        self._flush()
        try:
            self._stream.close()
        except (OSError, pa.ArrowException) as error:
            raise _SpillFailed(str(error)) from error

    def discard(self) -> None:
        with contextlib.suppress(OSError, pa.ArrowException):
            self._stream.close()


def _unlink_all(paths: list[str]) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)


def _open_spill(path: str) -> IO[bytes]:
    return io.BufferedReader(pa.input_stream(path, compression=SPILL_CODEC), SCAN_BLOCK)


def count_lines(path: str) -> int:
    """Lines in a (possibly gzipped) file; a broken file counts what could be read."""
    lines = 0
    last = b"\n"
    try:
        with _open(path) as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                lines += block.count(b"\n")
                last = block[-1:]
    except (OSError, EOFError, zlib.error):
        pass
    return lines + (0 if last == b"\n" else 1)


class NotRegularFile(OSError):
    """The path is a pipe, a device or a folder: reading it could block or never end."""


class DecompressionBomb(OSError):
    """A gzip stream that expands far beyond what any text compresses to."""


class _ByteStream(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...
    def readline(self, size: int = -1, /) -> bytes: ...
    def fileno(self) -> int: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...
    def __enter__(self) -> _ByteStream: ...
    def __exit__(self, *exc: Any) -> None: ...


class _GzipStream:
    """A gzip stream that stops with DecompressionBomb once it outgrows MAX_GZIP_RATIO."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._expanded = 0
        _refuse_bomb(raw)
        self._gzip = gzip.GzipFile(fileobj=raw, mode="rb")

    def read(self, size: int = -1, /) -> bytes:
        return self._count(self._gzip.read(size))

    def readline(self, size: int = -1, /) -> bytes:
        return self._count(self._gzip.readline(size))

    def fileno(self) -> int:
        return self._raw.fileno()

    def seek(self, offset: int, whence: int = 0, /) -> int:
        raise io.UnsupportedOperation("a gzip stream is read from its start")

    def _count(self, data: bytes) -> bytes:
        self._expanded += len(data)
        if self._expanded > GZIP_RATIO_FLOOR and self._expanded > MAX_GZIP_RATIO * max(
            1, self._raw.tell()
        ):
            raise DecompressionBomb(0, _BOMB_DETAIL)
        return data

    def __enter__(self) -> _GzipStream:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._gzip.close()
        finally:
            self._raw.close()


_BOMB_DETAIL = f"it expands more than {MAX_GZIP_RATIO}-fold: a decompression bomb"


def _refuse_bomb(raw: IO[bytes]) -> None:
    # Catch a bomb before its first line is read, so it ends as one rejection, not millions.
    head = raw.read(GZIP_PROBE_BYTES)
    raw.seek(0)
    limit = max(GZIP_RATIO_FLOOR, MAX_GZIP_RATIO * len(head))
    expanded = 0
    while head and expanded <= limit:  # a gzip file may hold many members, one after another
        member = zlib.decompressobj(wbits=31)
        try:
            expanded += len(member.decompress(head, limit + 1 - expanded))
        except zlib.error:
            return  # not gzip after all: the reader reports the broken stream
        if not member.eof:
            break
        head = member.unused_data
    if expanded > limit:
        raise DecompressionBomb(0, _BOMB_DETAIL)


def _open(path: str) -> _ByteStream:
    # O_NONBLOCK: opening a FIFO must not wait for a writer; only regular files are read.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(0, f"not a regular file: {_kind(info)}", path)
        os.set_blocking(descriptor, True)
        raw = open(descriptor, "rb")  # noqa: SIM115 - returned to a with-block
    except BaseException:
        os.close(descriptor)
        raise
    if path.lower().endswith(".gz"):
        try:
            return _GzipStream(raw)
        except BaseException:
            raw.close()
            raise
    return raw


def read_slice(
    item: InputSlice, options: CleanOptions = DEFAULT_OPTIONS
) -> Iterator[RawDocument | Rejection]:
    """Raw documents of one slice, or a rejection for each one that cannot be read."""
    kind = file_format(item.path)
    if kind == "jsonl":
        yield from _read_json_lines(item, options)
        return
    try:
        data = _read_capped(item.path, options.max_input_bytes)
    except _TooLarge:
        yield Rejection(
            derived_id(item.source),
            item.source,
            "read",
            "too-large",
            f"the input is larger than {options.max_input_bytes:,} bytes",
        )
        return
    except DecompressionBomb:
        detail = f"the input is compressed: {_BOMB_DETAIL}"
        yield Rejection(derived_id(item.source), item.source, "read", "too-large", detail)
        return
    except NotRegularFile as error:
        yield Rejection(
            derived_id(item.source), item.source, "read", "not-a-file", _describe(error)
        )
        return
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        yield Rejection(
            derived_id(item.source),
            item.source,
            "read",
            "unreadable",
            f"cannot read the file: {_describe(error)}",
        )
        return
    if not data.strip():
        yield Rejection(derived_id(item.source), item.source, "read", "empty", "the file is empty")
        return
    yield RawDocument(
        doc_id=derived_id(item.source),
        source=item.source,
        kind="html" if kind == "html" else "text",
        content=data,
        fetched_at=_file_time(item.path),
        source_group=_folder_of(item.source, item.path),
    )


class _TooLarge(Exception):
    pass


def _read_capped(path: str, limit: int) -> bytes:
    # Reading one byte past the cap tells an oversized (or decompression-bomb) input apart.
    with _open(path) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise _TooLarge
    return data


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


def _file_time(path: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime, tz=UTC)
    except OSError:
        return None


def _folder_of(source: str, path: str) -> str:
    """The scope of a file's learned boilerplate: its folder within the folder given, or the
    name of the folder it sits in.

    >>> _folder_of("site-a/2026/a.txt", "/in/site-a/2026/a.txt"), _folder_of("a.txt", "/in/a.txt")
    ('site-a/2026', 'in')
    """
    folder = source.rsplit("/", 1)[0] if "/" in source else ""
    return folder or Path(path).parent.name or source


def _read_json_lines(item: InputSlice, options: CleanOptions) -> Iterator[RawDocument | Rejection]:
    if item.spill:
        yield from _read_spilled(item, options)
        return
    if item.broken is not None:  # refused when planned
        yield _broken_line(item.source, item.first_line - 1, *item.broken)
        return
    last = item.first_line + item.line_count - 1 if item.line_count else None
    # With an offset the slice starts where it was planned, so it reports its own break.
    number = item.first_line - 1 if item.offset >= 0 else 0
    try:
        with _open(item.path) as stream:
            if item.offset >= 0:
                if _stamp(os.fstat(stream.fileno())) != item.stamp and not _still_holds(item):
                    yield _changed(item)
                    return
                if item.offset:
                    stream.seek(item.offset)
            while number < item.first_line - 1:  # no offset known: count the lines before
                chunk = stream.readline(SCAN_BLOCK)
                if not chunk:
                    return
                number += chunk.endswith(b"\n")
            while last is None or number < last:
                line = stream.readline(options.max_input_bytes + 1)
                if not line:
                    break
                if _overlong(line, options):
                    _skip_rest(stream)  # raises when the stream breaks inside the line
                number += 1
                yield _line_document(line, number, item, options)
    except (OSError, EOFError, zlib.error) as error:
        if number + 1 < item.first_line:
            return  # the break lies before this slice: the slice holding it reports it
        yield _broken_line(item.source, number, *_break_of(error))


def _read_spilled(item: InputSlice, options: CleanOptions) -> Iterator[RawDocument | Rejection]:
    number = item.first_line - 1
    try:
        with _open_spill(item.spill) as stream:
            while line := stream.readline(options.max_input_bytes + 1):
                ended = _skip_rest(stream) if _overlong(line, options) else line.endswith(b"\n")
                if item.broken and not ended:
                    break  # the line the stream broke in: it never ended
                number += 1
                yield _line_document(line, number, item, options)
    except (OSError, pa.ArrowException) as error:
        source = f"{item.source}#L{number + 1}"
        detail = f"the copy of lines {number + 1} on cannot be read: {_describe(error)}"
        yield Rejection(derived_id(source), source, "read", "unreadable", detail)
        return
    if item.broken is not None:
        yield _broken_line(item.source, number, *item.broken)


def _line_document(
    line: bytes, number: int, item: InputSlice, options: CleanOptions
) -> RawDocument | Rejection:
    source = f"{item.source}#L{number}"
    if _overlong(line, options):
        return Rejection(
            derived_id(source),
            source,
            "read",
            "too-large",
            f"the line is longer than {options.max_input_bytes:,} bytes",
            escape_excerpt(line),
        )
    if not line.strip():
        return Rejection(derived_id(source), source, "read", "empty", "the line is empty")
    return _record(line, source, item)


def _overlong(line: bytes, options: CleanOptions) -> bool:
    return len(line) > options.max_input_bytes and not line.endswith(b"\n")


def _skip_rest(stream: _ByteStream | IO[bytes]) -> bool:
    """Read past the rest of an overlong line; whether it ended before the stream did.

    The line is counted only once it has ended, so a stream that breaks inside it yields one
    row for it, the break, however the reads fall around the break.
    """
    while rest := stream.readline(SCAN_BLOCK):
        if rest.endswith(b"\n"):
            return True
    return False


def _break_of(error: BaseException) -> tuple[str, str]:
    if isinstance(error, DecompressionBomb):
        return "too-large", _BOMB_DETAIL
    if isinstance(error, NotRegularFile):
        return "not-a-file", _describe(error)
    return "unreadable", _describe(error)


def _broken_line(source: str, number: int, reason: str, description: str) -> Rejection:
    """The rejection of a stream that ends, broken, after line `number`."""
    if reason == "too-large":
        detail = f"{'the rest of ' if number else ''}the file is refused: {description}"
    elif reason == "unreadable" and number:
        detail = f"the file breaks off after line {number}: {description}"
    elif reason == "unreadable":
        detail = f"the file cannot be read: {description}"
    else:
        detail = description
    line_source = f"{source}#L{number + 1}"
    return Rejection(derived_id(line_source), line_source, "read", reason, detail)


def _still_holds(item: InputSlice) -> bool:
    """Whether a file changed since planning still holds the slice's bytes where they were."""
    checksum, left = 0, item.length
    with _open(item.path) as stream:
        if item.offset:
            stream.seek(item.offset)
        while left > 0:
            block = stream.read(min(left, SCAN_BLOCK))
            if not block:
                return False
            checksum = zlib.crc32(block, checksum)
            left -= len(block)
    return checksum == item.checksum


def _changed(item: InputSlice) -> Rejection:
    lines = f"lines {item.first_line}-{item.first_line + item.line_count - 1}"
    if not item.line_count:
        lines = f"lines {item.first_line} to the end"
    source = f"{item.source}#L{item.first_line}"
    detail = (
        f"the file changed after the run planned it: {lines} were not read; a later run reads it"
    )
    return Rejection(derived_id(source), source, "read", "changed", detail)


def _record(line: bytes, source: str, item: InputSlice) -> RawDocument | Rejection:
    # A record's rejection carries the record's own id once the id is known to be usable, as
    # its article row would: the crawler that wrote it finds it under that id.
    doc_id = derived_id(source)

    def reject(reason: str, detail: str) -> Rejection:
        return Rejection(doc_id, source, "read", reason, detail, escape_excerpt(line))

    try:
        record: Any = json.loads(line)
    except RecursionError:
        return reject("bad-json", "the line nests arrays or objects too deeply to parse")
    except ValueError as error:  # also UnicodeDecodeError, and integers of over 4300 digits
        return reject("bad-json", f"the line is not valid JSON: {str(error)[:200]}")
    if not isinstance(record, dict):
        return reject("bad-record", f"a record must be a JSON object, not {type(record).__name__}")
    record_id = record.get("id")
    if record_id is not None and (
        isinstance(record_id, bool) or not isinstance(record_id, (str, int))
    ):
        return reject("bad-record", "'id' must be a string or an integer")
    if record_id is not None and str(record_id).strip():
        doc_id = valid_text(str(record_id).strip())
    html, text = record.get("html"), record.get("text")
    body = html if html is not None else text
    if not isinstance(body, str):
        if body is None:
            return reject("bad-record", "the record has neither an 'html' nor a 'text' string")
        return reject("bad-record", f"'{'html' if html is not None else 'text'}' must be a string")
    if not body.strip():
        return reject("empty", "the record's body is empty")
    for name in ("url", "title", "fetched_at"):
        if record.get(name) is not None and not isinstance(record[name], str):
            return reject("bad-record", f"'{name}' must be a string")
    fetched_at = None
    if record.get("fetched_at"):
        fetched_at = parse_timestamp(record["fetched_at"])
        if fetched_at is None:
            return reject("bad-record", "'fetched_at' is not an ISO 8601 timestamp")
    return RawDocument(
        doc_id=doc_id,
        source=source,
        kind="html" if html is not None else "text",
        content=valid_text(body),
        url=valid_text(record.get("url") or "") or None,
        fetched_at=fetched_at,
        title=valid_text(record.get("title") or "") or None,
        source_group=_folder_of(item.source, item.path),
    )


def valid_text(value: str) -> str:
    """The string with lone surrogates (JSON "\\udc80" escapes) replaced: UTF-8 can hold it.

    >>> valid_text("caf\\udce9 au lait")
    'caf\ufffd au lait'
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return LONE_SURROGATE.sub("\ufffd", value)
    return value


def parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 timestamp as UTC; a naive one is taken as UTC.

    >>> parse_timestamp("2024-07-08T06:55:57+02:00")
    datetime.datetime(2024, 7, 8, 4, 55, 57, tzinfo=datetime.timezone.utc)
    >>> parse_timestamp("yesterday") is None, parse_timestamp("0001-01-01T00:00:00+14:00") is None
    (True, True)
    """
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 shifted out of range
        return None
