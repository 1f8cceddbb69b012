"""Inputs to raw documents: discover files and folders, plan shards, read each format."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal, Protocol

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


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file found under a SOURCE argument; `source` is its path relative to that argument."""

    path: str
    source: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class InputSlice:
    """The unit a shard is made of: a whole file, or a range of lines of a JSON-lines file."""

    path: str
    source: str
    first_line: int = 1  # 1-based, JSON lines only
    line_count: int = 0  # 0: the whole file


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


def discover(sources: list[str]) -> tuple[list[InputFile], list[Rejection]]:
    """Files under the SOURCE arguments, recursively, in a stable order.

    Files of unknown type met while walking a folder are ignored; a SOURCE argument that is
    missing, unreadable or of unknown type becomes a rejection, so it is never lost silently.
    """
    found: list[InputFile] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for argument in sources:
        root = Path(argument)
        if root.is_dir():
            for path, error in _walk(root):
                relative = path.relative_to(root).as_posix()
                source = f"{root.name}/{relative}" if root.name else relative
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
                        "not a .txt, .html, .htm, .jsonl or .ndjson file",
                    )
                )
            else:
                _add(found, rejected, seen, root, root.name)
        else:
            rejected.append(_reject_path(argument, "missing-input", "no such file or folder"))
    return found, rejected


def _walk(root: Path) -> Iterator[tuple[Path, OSError | None]]:
    # Symbolic links to folders are not followed: a link loop cannot trap the walk. A folder
    # that cannot be listed is reported, not skipped in silence.
    errors: list[OSError] = []
    for folder, subfolders, files in os.walk(root, followlinks=False, onerror=errors.append):
        while errors:
            error = errors.pop()
            yield Path(error.filename or folder), error
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


def plan_slices(files: list[InputFile], shard_size: int) -> list[list[InputSlice]]:
    """Group inputs into shards of about `shard_size` documents; long JSON-lines files are split.

    >>> files = [InputFile("a.txt", "a.txt", 1, 0), InputFile("b.txt", "b.txt", 1, 0)]
    >>> [[s.source for s in shard] for shard in plan_slices(files, 1)]
    [['a.txt'], ['b.txt']]
    """
    shards: list[list[InputSlice]] = []
    current: list[InputSlice] = []
    filled = 0
    for item in files:
        if file_format(item.path) == "jsonl":
            lines = count_lines(item.path)
            for first in range(1, max(lines, 1) + 1, shard_size):
                count = min(shard_size, lines - first + 1) if lines else 0
                # The last slice reads to the end: lines the count missed (a file that grew, a
                # stream that breaks) are still read or reported, never dropped.
                is_last = first + shard_size > lines
                current.append(InputSlice(item.path, item.source, first, 0 if is_last else count))
                filled += max(count, 1)
                if filled >= shard_size:
                    shards.append(current)
                    current, filled = [], 0
        else:
            current.append(InputSlice(item.path, item.source))
            filled += 1
            if filled >= shard_size:
                shards.append(current)
                current, filled = [], 0
    if current:
        shards.append(current)
    return shards


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
        source_group=_folder_of(item.source),
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


def _folder_of(source: str) -> str:
    folder = source.rsplit("/", 1)[0] if "/" in source else ""
    return folder or source


def _read_json_lines(item: InputSlice, options: CleanOptions) -> Iterator[RawDocument | Rejection]:
    last = item.first_line + item.line_count - 1 if item.line_count else None
    number = 0
    try:
        with _open(item.path) as stream:
            while True:
                line = stream.readline(options.max_input_bytes + 1)
                if not line:
                    break
                number += 1
                if number < item.first_line:
                    continue
                if last is not None and number > last:
                    break
                overlong = len(line) > options.max_input_bytes and not line.endswith(b"\n")
                if overlong:
                    # Skip the rest of the overlong line so the next one starts clean.
                    while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                        pass
                source = f"{item.source}#L{number}"
                if overlong:
                    yield Rejection(
                        derived_id(source),
                        source,
                        "read",
                        "too-large",
                        f"the line is longer than {options.max_input_bytes:,} bytes",
                        escape_excerpt(line),
                    )
                    continue
                if not line.strip():
                    yield Rejection(
                        derived_id(source), source, "read", "empty", "the line is empty"
                    )
                    continue
                yield _record(line, source, item)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        if number + 1 < item.first_line:
            return  # the break lies before this slice: the slice holding it reports it
        source = f"{item.source}#L{number + 1}"
        if isinstance(error, DecompressionBomb):
            reason = "too-large"
            detail = f"{'the rest of ' if number else ''}the file is refused: {_BOMB_DETAIL}"
        elif isinstance(error, NotRegularFile):
            reason, detail = "not-a-file", _describe(error)
        else:
            reason = "unreadable"
            detail = f"the file breaks off after line {number}: {_describe(error)}"
        yield Rejection(derived_id(source), source, "read", reason, detail)


def _record(line: bytes, source: str, item: InputSlice) -> RawDocument | Rejection:
    def reject(reason: str, detail: str) -> Rejection:
        return Rejection(derived_id(source), source, "read", reason, detail, escape_excerpt(line))

    try:
        record: Any = json.loads(line)
    except RecursionError:
        return reject("bad-json", "the line nests arrays or objects too deeply to parse")
    except ValueError as error:  # also UnicodeDecodeError, and integers of over 4300 digits
        return reject("bad-json", f"the line is not valid JSON: {str(error)[:200]}")
    if not isinstance(record, dict):
        return reject("bad-record", f"a record must be a JSON object, not {type(record).__name__}")
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
    record_id = record.get("id")
    if record_id is not None and (
        isinstance(record_id, bool) or not isinstance(record_id, (str, int))
    ):
        return reject("bad-record", "'id' must be a string or an integer")
    fetched_at = None
    if record.get("fetched_at"):
        fetched_at = parse_timestamp(record["fetched_at"])
        if fetched_at is None:
            return reject("bad-record", "'fetched_at' is not an ISO 8601 timestamp")
    doc_id = str(record_id).strip() if record_id is not None and str(record_id).strip() else None
    return RawDocument(
        doc_id=valid_text(doc_id) if doc_id else derived_id(source),
        source=source,
        kind="html" if html is not None else "text",
        content=valid_text(body),
        url=valid_text(record.get("url") or "") or None,
        fetched_at=fetched_at,
        title=valid_text(record.get("title") or "") or None,
        source_group=_folder_of(item.source),
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
