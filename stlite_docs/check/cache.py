"""Check results cached by content hash, shared by every build on the machine.

An unchanged app is neither compiled by the Python 3.13 server nor run again: its result is
read back from ``<cache>/<kind>/<hash[:2]>/<hash>.json``. ``<cache>`` is
``$STLITE_DOCS_CACHE_DIR``, else ``$XDG_CACHE_HOME/stlite-docs``, else ``~/.cache/stlite-docs``.
Every key holds all that the result depends on (the content, the check, the versions), so
entries never need invalidating. Entries are written atomically (temp file + rename): parallel
builds and interrupted ones never leave a torn entry, and an unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

CACHE_VARIABLE = "STLITE_DOCS_CACHE_DIR"


def cache_root() -> Path:
    explicit = os.environ.get(CACHE_VARIABLE)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "stlite-docs"


def key_of(*parts: str | bytes) -> str:
    """A hash of ``parts``, each length-prefixed so no two part lists collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


class ResultCache:
    """JSON values by key, for one kind of result (``syntax``, ``run``)."""

    def __init__(self, kind: str, root: Path | None = None):
        self.kind = kind
        self._root = root

    @property
    def folder(self) -> Path:
        # Read at use, not at import: tests and CLI runs may point the cache elsewhere.
        return (self._root or cache_root()) / self.kind

    def path(self, key: str) -> str:
        """Where the entry for ``key`` is or goes. Plain strings, not Paths: a build reads an
        entry for every app file."""
        root = self._root or os.environ.get(CACHE_VARIABLE) or cache_root()
        return os.path.join(root, self.kind, key[:2], f"{key}.json")

    def get(self, key: str) -> Any | None:
        try:
            with open(self.path(key), encoding="utf-8") as entry:
                return json.loads(entry.read())["value"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, value: Any) -> None:
        folder = self.folder / key[:2]
        data = json.dumps({"value": value}).encode("utf-8")
        try:
            try:
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            except FileNotFoundError:  # the folder's first entry: no mkdir for every put
                folder.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            os.replace(tmp, folder / f"{key}.json")
        except OSError:
            pass  # a read-only or full cache only costs time
