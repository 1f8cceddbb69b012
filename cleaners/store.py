"""The output folder: one writer at a time, staged runs, publish, roll-back of interrupted runs."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

STAGING = ".staging"
LOCK_FILE = ".lock"
JOURNAL = "PUBLISHING.json"
DONE = "PUBLISHED"
STATE = Path("state")
MANIFEST = STATE / "manifest.parquet"
DEDUP_INDEX = STATE / "dedup-index.npz"
BOILERPLATE = STATE / "boilerplate.json"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class OutputBusy(Exception):
    """Another run holds the output folder."""


class OutputUnusable(Exception):
    """The output folder cannot be created or written."""


def partition_value(language: str) -> str:
    """A language code safe to use as a folder name; anything else becomes 'und'.

    >>> partition_value("fr"), partition_value("../../etc"), partition_value("EN")
    ('fr', 'und', 'und')
    """
    return language if LANGUAGE_CODE.match(language) else "und"


@dataclass
class RunStage:
    """A run's private staging folder, laid out like the output folder it will publish into."""

    out: Path
    run_id: str

    @property
    def root(self) -> Path:
        return self.out / STAGING / self.run_id

    def path(self, relative: str | Path) -> Path:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    @property
    def work(self) -> Path:
        """Scratch files that are never published (per-shard intermediates)."""
        folder = self.root / "work"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def discard(self) -> None:
        """Remove the staging folder of a run that publishes nothing, so that the next run does
        not take it for an interrupted one."""
        shutil.rmtree(self.root, ignore_errors=True)


class OutputLock:
    """An exclusive lock on the output folder, held for a whole run (released on exit or death)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._handle: IO[str] | None = None

    def __enter__(self) -> OutputLock:
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            handle = open(self.out / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise OutputUnusable(f"cannot write to {self.out}: {error.strerror}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another run"
            handle.close()
            raise OutputBusy(
                f"{self.out} is in use by {holder}; wait for it to finish or choose another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def check_writable(out: Path) -> None:
    """Fail early, with a clear message, when the output folder cannot take files."""
    probe = out / STAGING / f".probe-{os.getpid()}"
    try:
        probe.parent.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as error:
        raise OutputUnusable(f"cannot write to {out}: {error.strerror or error}") from None


def recover(out: Path) -> list[str]:
    """Undo what interrupted runs left behind; returns their run ids.

    A run publishes by moving staged files into place after writing a journal; until its
    PUBLISHED marker exists, the journal lets this put every file back as it was.
    """
    staging = out / STAGING
    undone: list[str] = []
    if not staging.is_dir():
        return undone
    for stage in sorted(p for p in staging.iterdir() if p.is_dir()):
        journal = stage / JOURNAL
        if journal.exists() and not (stage / DONE).exists():
            _roll_back(out, stage, json.loads(journal.read_text(encoding="utf-8")))
            undone.append(stage.name)
        elif not journal.exists():
            undone.append(stage.name)
        shutil.rmtree(stage, ignore_errors=True)
    return undone


def _roll_back(out: Path, stage: Path, journal: dict[str, list[str]]) -> None:
    for relative in journal.get("added", []):
        target = out / relative
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        elif target.exists():
            target.unlink()
    for relative in journal.get("replaced", []) + journal.get("removed", []):
        backup = stage / "backup" / relative
        if backup.exists():
            (out / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(backup, out / relative)
    _fsync_dir(out)


def publish(stage: RunStage, remove: list[str] | None = None) -> list[str]:
    """Move everything staged (but `work/`) into the output folder; all or nothing.

    `remove` lists published files (relative paths) this run supersedes. Returns the
    relative paths published.
    """
    out, root = stage.out, stage.root
    staged = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and p.relative_to(root).parts[0] not in {"work", "backup"}
        and p.name not in {JOURNAL, DONE}
    )
    remove = [r for r in (remove or []) if (out / r).exists()]
    journal = {
        "added": [r for r in staged if not (out / r).exists()],
        "replaced": [r for r in staged if (out / r).exists()],
        "removed": remove,
    }
    journal_path = root / JOURNAL
    journal_path.write_text(json.dumps(journal), encoding="utf-8")
    _fsync_file(journal_path)
    for relative in journal["replaced"] + remove:
        backup = root / "backup" / relative
        backup.parent.mkdir(parents=True, exist_ok=True)
        os.link(out / relative, backup)
    for relative in staged:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(root / relative, target)
    for relative in remove:
        (out / relative).unlink()
    _fsync_dir(out)
    (root / DONE).write_text("ok", encoding="utf-8")
    shutil.rmtree(root, ignore_errors=True)
    return staged


def write_atomically(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write a file so that readers see the old content or the new, never a torn one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
