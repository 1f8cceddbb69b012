"""RunSummary: what one run read, wrote, rejected and removed; kept as run history under state/."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cleaners.store import write_atomically

HISTORY_DIR = Path("state") / "runs"


@dataclass(slots=True)
class RunSummary:
    """The figures of one run; `read == written + rejected` always holds for a finished run."""

    run_id: str
    started_at: str  # ISO 8601, UTC
    finished_at: str = ""
    sources: list[str] = field(default_factory=list)
    inputs: int = 0  # input files considered
    skipped_inputs: int = 0  # unchanged since an earlier run
    read: int = 0
    written: int = 0
    rejected: int = 0
    duplicates: int = 0
    by_language: dict[str, int] = field(default_factory=dict)
    by_site: dict[str, int] = field(default_factory=dict)
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    removals_by_rule: dict[str, int] = field(default_factory=dict)
    with_date: int = 0
    with_title: int = 0
    with_authors: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    quality_success: bool | None = None
    quality_failures: list[str] = field(default_factory=list)
    report_page: str = ""

    @property
    def balanced(self) -> bool:
        return self.read == self.written + self.rejected

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunSummary:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def save_summary(out_dir: Path, summary: RunSummary) -> Path:
    path = out_dir / HISTORY_DIR / f"{summary.run_id}.json"
    data = summary.to_json().encode("utf-8")
    write_atomically(path, lambda handle: handle.write(data))
    return path


def load_history(out_dir: Path) -> list[RunSummary]:
    """Every finished run under `out_dir`, oldest first."""
    folder = out_dir / HISTORY_DIR
    if not folder.is_dir():
        return []
    runs = [
        RunSummary.from_dict(json.loads(p.read_text(encoding="utf-8")))
        for p in folder.glob("*.json")
    ]
    return sorted(runs, key=lambda r: (r.started_at, r.run_id))


def progress_message(stage: str, done: int, total: int, documents: int, elapsed: float) -> str:
    """One line on a run's shards: how far a stage is, how fast it goes, about how long is left.

    >>> progress_message("cleaned", 12, 200, 6000, 190.0)
    'cleaned 12 of 200 shards (6,000 documents, 32 a second) in 3 min 10 s; about 49 min 36 s left'
    >>> progress_message("finalised", 3, 3, 1500, 0.4)
    'finalised 3 of 3 shards (1,500 documents, 3750 a second) in 0 s'
    """
    rate = documents / elapsed if elapsed > 0 else 0.0
    line = (
        f"{stage} {done} of {total} shards ({documents:,} documents, {rate:.0f} a second) "
        f"in {_duration(elapsed)}"
    )
    if 0 < done < total:
        line += f"; about {_duration(elapsed / done * (total - done))} left"
    return line


def worth_reporting(done: int, total: int) -> bool:
    """Whether the `done`-th of `total` shards ends a tenth of the stage (or the stage).

    >>> [done for done in range(1, 31) if worth_reporting(done, 30)]
    [3, 6, 9, 12, 15, 18, 21, 24, 27, 30]
    >>> [done for done in range(1, 4) if worth_reporting(done, 3)]
    [1, 2, 3]
    """
    return done == total or done * 10 // total > (done - 1) * 10 // total


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"
