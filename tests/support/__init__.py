"""Helpers shared by the build and browser tests."""

import os as _os
import tempfile as _tempfile

# Check results are cached per machine (~/.cache/stlite-docs). The tests, and every build they
# start, use a cache of their own instead: a test run never reads or fills the user's cache.
_os.environ.setdefault("STLITE_DOCS_CACHE_DIR", _tempfile.mkdtemp(prefix="stlite-docs-test-cache-"))
