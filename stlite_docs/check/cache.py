"""Check results cached by content hash, shared by every build on the machine.

An unchanged app is not run again (``check: run`` takes seconds an app): its outcome is read
back from ``<cache>/<kind>/<hash[:2]>/<hash>.json``. ``<cache>`` is ``$STLITE_DOCS_CACHE_DIR``,
else ``$XDG_CACHE_HOME/stlite-docs``, else ``~/.cache/stlite-docs``. Every key holds all that the
result depends on (the content, the check, the versions), so entries never need invalidating.
Files are written atomically (temp file + rename): parallel builds and interrupted ones never
leave a torn file, and an unreadable one is a miss.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..runtime.downloads import CACHE_VARIABLE, cache_root, key_of  # noqa: F401 - the cache's own names


class ResultCache:
    """JSON values by key, one file each, for one kind of result (``run``)."""

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
        except OSError:
            return  # a read-only or full cache only costs time
        _write_and_rename(fd, tmp, data, str(folder / f"{key}.json"))


def _write_and_rename(fd: int, tmp: str, data: bytes, target: str) -> bool:
    """Write ``data`` into the new temporary file ``tmp`` (open as ``fd``), then rename it to
    ``target``: readers see the whole file or none. On failure the temporary file goes."""
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, target)
        return True
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
