"""RunSettings: the typed parameters of a newsclean run, and the failure one of them asks for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator

from cleaners.options import NEWS_LANGUAGES, CleanOptions


class RunSettings(BaseModel):
    """Everything a run needs to know; the flow's only parameter."""

    sources: list[str] = Field(min_length=1, description="files or folders to read")
    out: Path = Field(description="output folder (articles/, rejected/, reports/, state/)")
    workers: int = Field(default=0, ge=0, description="local Dask workers; 0 runs in-process")
    dask_address: str | None = Field(default=None, description="an existing Dask scheduler")
    drop_duplicates: bool = False
    fail_on_quality: bool = False
    shard_size: int = Field(default=500, ge=1, le=100_000)
    languages: tuple[str, ...] = NEWS_LANGUAGES
    min_year: int = Field(default=1990, ge=1800)
    min_words: int = Field(default=5, ge=0)
    max_input_bytes: int = Field(default=20_000_000, ge=1)
    max_document_seconds: float | None = Field(
        default=30.0, gt=0, description="a document still cleaning after this is rejected"
    )

    @field_validator("languages")
    @classmethod
    def _known_codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [code for code in value if not (code.isascii() and code.isalpha() and len(code) == 2)]
        if bad:
            raise ValueError(f"not ISO 639-1 codes: {', '.join(bad)}")
        return tuple(code.lower() for code in value)

    def clean_options(self) -> CleanOptions:
        return CleanOptions(
            languages=self.languages,
            min_year=self.min_year,
            max_input_bytes=self.max_input_bytes,
            min_words=self.min_words,
            max_document_seconds=self.max_document_seconds,
        )


class QualityFailed(Exception):
    """The run's dataset-level expectations failed and the run was asked to fail on that.

    It carries the run's summary: the run completed and published, and says what it did.
    """

    def __init__(self, message: str, summary: Any = None) -> None:
        super().__init__(message, summary)  # both in args, so that a pickled copy keeps them

    def __str__(self) -> str:
        return str(self.args[0])

    @property
    def summary(self) -> Any:
        return self.args[1]
