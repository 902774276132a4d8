"""Downloads into the user cache: verified, atomic, shared by every build on the machine.

A file lands at its cache path only after its sha256 matched (every file the runtime needs has
one: ours in ``runtime-pins.json``, or the lock's), through a temporary file in the same folder
and an atomic rename. Two builds filling the cache at once each write their own temporary file
and rename the same bytes; an interrupted download leaves only a temporary file, and a cached
file that no longer matches (truncated, edited) is fetched again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

USER_AGENT = "stlite-docs"
TIMEOUT = 60
WORKERS = 8
CHUNK = 1 << 16


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


class DownloadError(RuntimeError):
    """A download failed or gave other bytes than expected; the message names the URL."""


def runtime_cache() -> Path:
    """``<cache>/runtime``: downloaded runtime files, by version (see ``check.cache``)."""
    return cache_root() / "runtime"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verified(path: Path, sha256: str | None, size: int | None = None) -> bool:
    """``path`` exists and holds the expected bytes."""
    try:
        if size is not None and path.stat().st_size != size:
            return False
        return sha256 is None and path.is_file() or sha256 is not None and file_sha256(path) == sha256
    except OSError:
        return False


@dataclass(frozen=True)
class Download:
    url: str
    dest: Path
    sha256: str | None
    size: int | None = None


class Progress:
    """One status line on stderr: a redrawn bar on a terminal, a few plain lines elsewhere."""

    def __init__(self, label: str, total_files: int, total_bytes: int, stream=None):
        self.label, self.total_files, self.total_bytes = label, total_files, total_bytes
        self.stream = stream or sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        self.files = self.bytes = 0
        self._lock = threading.Lock()
        self._last = 0.0
        self._print(force=True)

    def advance(self, nbytes: int = 0, files: int = 0) -> None:
        with self._lock:
            self.bytes += nbytes
            self.files += files
            self._print(force=self.files == self.total_files and files > 0)

    def _print(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and (not self.tty or now - self._last < 0.1):
            return
        self._last = now
        width = 24
        done = (
            min(1.0, self.bytes / self.total_bytes)
            if self.total_bytes
            else (self.files / self.total_files if self.total_files else 1)
        )
        bar = "#" * int(done * width)
        text = (
            f"stlite-docs: {self.label} [{bar:<{width}}] {self.files}/{self.total_files} files, "
            f"{self.bytes / 1e6:.1f}/{self.total_bytes / 1e6:.1f} MB"
        )
        end = "\n" if not self.tty or (self.files == self.total_files and self.files) else ""
        self.stream.write(("\r" if self.tty else "") + text + end)
        self.stream.flush()


def download_all(downloads: list[Download], label: str, progress: bool = True) -> None:
    """Fetch every download that is not already verified in place; raise ``DownloadError``
    naming the first URL that failed (the others still finish, so a retry resumes)."""
    todo = [d for d in downloads if not verified(d.dest, d.sha256, d.size)]
    if not todo:
        return
    bar = Progress(label, len(todo), sum(d.size or 0 for d in todo)) if progress else None
    errors: list[DownloadError] = []

    def one(item: Download) -> None:
        try:
            fetch(item, (lambda n: bar.advance(n)) if bar else None)
        except DownloadError as exc:
            errors.append(exc)
        finally:
            if bar:
                bar.advance(files=1)

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(one, todo))
    if errors:
        errors.sort(key=lambda e: str(e))
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise DownloadError(f"{errors[0]}{more}")


def fetch(item: Download, on_bytes: Callable[[int], None] | None = None) -> None:
    """Download ``item.url`` to ``item.dest``, checking its sha256, atomically."""
    item.dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=item.dest.parent, prefix=".tmp-")
    digest, received = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            request = urllib.request.Request(item.url, headers={"User-Agent": USER_AGENT})
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                    for chunk in iter(lambda: response.read(CHUNK), b""):
                        out.write(chunk)
                        digest.update(chunk)
                        received += len(chunk)
                        if on_bytes:
                            on_bytes(len(chunk))
            except urllib.error.HTTPError as exc:
                raise DownloadError(f"could not download {item.url}: HTTP {exc.code} {exc.reason}") from None
            except (urllib.error.URLError, OSError, ValueError) as exc:
                reason = getattr(exc, "reason", None) or exc
                raise DownloadError(f"could not download {item.url}: {reason}") from None
        if item.size is not None and received != item.size:
            raise DownloadError(
                f"could not download {item.url}: got {received} bytes, expected {item.size} (truncated or changed)"
            )
        if item.sha256 is not None and digest.hexdigest() != item.sha256:
            raise DownloadError(
                f"could not download {item.url}: sha256 {digest.hexdigest()} does not match the expected {item.sha256}"
            )
        os.replace(tmp, item.dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def copy_verified(source: Path, dest: Path, sha256: str | None = None) -> None:
    """Copy a file into place atomically; ``sha256`` (of the source) is checked on the copy."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        if sha256 is not None and file_sha256(Path(tmp)) != sha256:
            raise DownloadError(f"{source}: sha256 does not match the expected {sha256}")
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
