"""Imported in the workers' forkserver after `flows.worker_preload` when a run has HTML pages.

It builds htmldate's date parser with the patterns of every locale (about 1.3 s and 100 MB),
which each worker that meets an HTML page would otherwise build for itself; plain text never
uses it.
"""

import gc

from cleaners.metadata.dates import prepare_htmldate
from flows.collector import collection_paused

with collection_paused():
    prepare_htmldate()
gc.freeze()  # as in flows.worker_preload: the workers' collector must not unshare these pages
