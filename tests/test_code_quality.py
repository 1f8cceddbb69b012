"""The code stays lint-clean and type-clean: ruff and mypy over the packages."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["cleaners", "flows", "expectations"]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", *PACKAGES, "tests", "bench"],
        ["ruff", "format", "--check", *PACKAGES],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_is_clean(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_metadata_does_not_import_the_residue_cleaners() -> None:
    # The residue cleaners use the metadata parsers (dates, bylines); an import back would be a
    # cycle, which fails when two threads import the halves at the same time.
    probe = (
        "import sys, cleaners.metadata as m, cleaners.document as d; "
        "m.take_headline(d.Document(text='Summit ends\\nBy Jane Doe\\n' + 'Talks ended. ' * 9)); "
        "print(sorted(m for m in sys.modules if m.startswith('cleaners.residue')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
