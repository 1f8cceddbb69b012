"""Hostile corpora, generated once per session: the large ones cost seconds to write."""

from __future__ import annotations

import pytest

from cleaners.options import CleanOptions
from tests.hostile.corpus import Corpus, Outcome, clean_paths, write_large, write_mixed

OPTIONS = CleanOptions()


@pytest.fixture(scope="session")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Outcome]:
    corpus = write_mixed(tmp_path_factory.mktemp("hostile") / "inputs")
    return corpus, clean_paths([str(corpus.root)], OPTIONS)


@pytest.fixture(scope="session")
def large(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return write_large(tmp_path_factory.mktemp("large") / "big")
