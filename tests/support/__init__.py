"""Helpers shared by the build and browser tests."""

import os as _os
import tempfile as _tempfile

# Check results are cached per machine (~/.cache/stlite-docs). The tests, and every build they
# start, use a cache of their own instead: a test run never reads or fills the user's cache.
_os.environ.setdefault("STLITE_DOCS_CACHE_DIR", _tempfile.mkdtemp(prefix="stlite-docs-test-cache-"))


def yaml_reason(text: str) -> str:
    """What PyYAML says of ``text``, through the loader the core uses (libyaml's C parser where
    PyYAML has it: its wording differs from the pure-Python parser's)."""
    import yaml

    try:
        yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        return exc.problem
    raise AssertionError("valid YAML")
