"""Check results cached by content hash, shared by every build on the machine.

An unchanged app is neither compiled by the Python 3.13 server nor run again: its result is
read back from ``<cache>/<kind>/``. ``<cache>`` is ``$STLITE_DOCS_CACHE_DIR``, else
``$XDG_CACHE_HOME/stlite-docs``, else ``~/.cache/stlite-docs``. Every key holds all that the
result depends on (the content, the check, the versions), so entries never need invalidating.

Two layouts, for two sizes of result:

- ``ResultCache``: one file per entry, ``<kind>/<hash[:2]>/<hash>.json``, for results that are
  few and costly (an app run).
- ``PackedResults``: many entries per file, ``<kind>/pack-*.json``, for results that are many
  and cheap (a file's syntax: a build has hundreds, and creating a file each cost more than
  compiling them). A process reads every pack once; the entries it computes go into one new
  pack when it is done.

Files are written atomically (temp file + rename): parallel builds and interrupted ones never
leave a torn file, and an unreadable one is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import tempfile
import time
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


class PackedResults:
    """JSON values by key, for one kind of small result, kept in a few pack files.

    Read once per process (all packs, into memory); new entries are kept (``add``) and written
    as one new pack by ``flush``. When a process finds more than ``MERGE_AT`` packs, it
    merges them into one. Packs are named uniquely, so parallel builds never write the same
    file; two that merge at once only leave a duplicate, which the next merge folds.
    """

    MERGE_AT = 16

    def __init__(self, kind: str, root: Path | None = None):
        self.kind = kind
        self._root = root
        #: the folder read, and its entries; None until first read
        self._loaded: tuple[str, dict[str, Any]] | None = None
        self._new: dict[str, Any] = {}

    @property
    def folder(self) -> str:
        # Read at use, not at import: tests and CLI runs may point the cache elsewhere.
        return os.path.join(self._root or os.environ.get(CACHE_VARIABLE) or cache_root(), self.kind)

    def get(self, key: str) -> Any | None:
        return self._entries().get(key)

    def add(self, key: str, value: Any) -> None:
        """Keep ``value`` for this process, and for the next pack ``flush`` writes."""
        self._entries()[key] = value
        self._new[key] = value

    def keep(self, key: str, value: Any) -> None:
        """Keep ``value`` for this process only: another process writes it (the compile server)."""
        self._entries()[key] = value

    def empty(self) -> bool:
        """Whether no entry is known at all (no pack, nothing added)."""
        return not self._entries()

    def flush(self) -> None:
        new, self._new = self._new, {}
        if new:
            write_pack(self.folder, new)

    def _entries(self) -> dict[str, Any]:
        folder = self.folder
        if self._loaded is None or self._loaded[0] != folder:
            self._loaded = (folder, read_packs(folder, self.MERGE_AT))
        return self._loaded[1]


def read_packs(folder: str, merge_at: int) -> dict[str, Any]:
    """Every entry of the packs in ``folder``; past ``merge_at`` packs, they become one."""
    try:
        listing = os.listdir(folder)
    except OSError:
        return {}
    names = sorted(name for name in listing if name.startswith("pack-") and name.endswith(".json"))
    for name in listing:
        if len(name) == 2 and all(c in "0123456789abcdef" for c in name):
            # A ``<hash[:2]>/`` folder of the one-file-per-entry layout that releases before
            # packs wrote here: never read again, so it goes (once; a name check, no stat).
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)
    entries: dict[str, Any] = {}
    read = []
    for name in names:
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as pack:
                data = json.loads(pack.read())
        except (OSError, ValueError):
            continue  # merged away meanwhile, or unreadable: its entries are misses
        if isinstance(data, dict):
            entries.update(data)
            read.append(name)
    if len(read) > merge_at and write_pack(folder, entries):
        for name in read:
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass
    return entries


def write_pack(folder: str, entries: dict[str, Any]) -> bool:
    """A new pack of ``entries`` in ``folder``, atomically; whether it was written."""
    data = json.dumps(entries, sort_keys=True).encode("utf-8")
    name = f"pack-{time.time_ns():020d}-{os.getpid()}-{secrets.token_hex(4)}.json"
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:
        return False  # a read-only or full cache only costs time
    return _write_and_rename(fd, tmp, data, os.path.join(folder, name))


def _write_and_rename(fd: int, tmp: str, data: bytes, target: str) -> bool:
    """Write ``data`` into the new temporary file ``tmp`` (open as ``fd``), then rename it to
    ``target``: readers see the whole file or none. On failure the temporary file goes."""
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
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
