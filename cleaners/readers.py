"""Inputs to raw documents: discover files and folders, plan shards, read each format."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

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
            for path in _walk(root):
                relative = path.relative_to(root).as_posix()
                _add(
                    found,
                    rejected,
                    seen,
                    path,
                    f"{root.name}/{relative}" if root.name else relative,
                )
        elif root.is_file():
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


def _walk(root: Path) -> Iterator[Path]:
    # Symbolic links to folders are not followed: a link loop cannot trap the walk.
    for folder, subfolders, files in os.walk(root, followlinks=False, onerror=None):
        subfolders.sort()
        for name in sorted(files):
            if file_format(name) is not None and not name.startswith("."):
                yield Path(folder) / name


def _add(
    found: list[InputFile], rejected: list[Rejection], seen: set[str], path: Path, source: str
) -> None:
    try:
        real = str(path.resolve())
        stat = path.stat()
    except OSError as error:
        rejected.append(
            _reject_path(source, "unreadable", f"cannot open the file: {error.strerror}")
        )
        return
    if real in seen:
        return
    seen.add(real)
    found.append(InputFile(str(path), source, stat.st_size, stat.st_mtime_ns))


def _reject_path(source: str, reason: str, detail: str) -> Rejection:
    return Rejection(derived_id(source), source, "discover", reason, detail, "")


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
                current.append(InputSlice(item.path, item.source, first, count))
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


def _open(path: str) -> IO[bytes]:
    if path.lower().endswith(".gz"):
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")  # noqa: SIM115 - returned to a with-block


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
        source = f"{item.source}#L{number + 1}"
        yield Rejection(
            derived_id(source),
            source,
            "read",
            "unreadable",
            f"the file breaks off after line {number}: {_describe(error)}",
        )


def _record(line: bytes, source: str, item: InputSlice) -> RawDocument | Rejection:
    def reject(reason: str, detail: str) -> Rejection:
        return Rejection(derived_id(source), source, "read", reason, detail, escape_excerpt(line))

    try:
        record: Any = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return reject("bad-json", f"the line is not valid JSON: {error}")
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
        doc_id=doc_id or derived_id(source),
        source=source,
        kind="html" if html is not None else "text",
        content=body,
        url=record.get("url") or None,
        fetched_at=fetched_at,
        title=record.get("title") or None,
        source_group=_folder_of(item.source),
    )


def parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 timestamp as UTC; a naive one is taken as UTC.

    >>> parse_timestamp("2024-07-08T06:55:57+02:00")
    datetime.datetime(2024, 7, 8, 4, 55, 57, tzinfo=datetime.timezone.utc)
    >>> parse_timestamp("yesterday") is None
    True
    """
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
