"""newsclean's cleaning library: clean one page or scrape, detect its language; no Prefect."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cleaners.document import Cleaning, Document, RejectedDocument

if TYPE_CHECKING:
    from cleaners.metadata.language import detect_language
    from cleaners.pipeline import clean_html, clean_text

__all__ = [
    "Cleaning",
    "Document",
    "RejectedDocument",
    "clean_html",
    "clean_text",
    "detect_language",
]

# Imported on first use: extraction and language models are heavy, and most callers of a
# single module (readers, contract) never need them.
_LAZY = {
    "clean_html": "cleaners.pipeline",
    "clean_text": "cleaners.pipeline",
    "detect_language": "cleaners.metadata.language",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cleaners' has no attribute {name!r}")
