"""App listings highlighted ahead, by a helper process, while the build reads its documents.

Every mount point carries its app's code as a Pygments-highlighted listing (the view without
JavaScript, and what search indexes). Pygments' Python lexer is pure Python: about 0.7 ms for a
block of 25 lines, most of what a block costs a build, paid when its page is written. A build
in one process (``sphinx-build -j 1``, ``mkdocs build``) leaves the machine's other cores idle
meanwhile, and even ``sphinx-build -j 2`` leaves them idle while it reads, merges and writes in
its main process.

So, before such a build reads its documents, ``HighlightAhead.start`` forks the build: the
child finds every inline block of the documents about to be read (``sources.find_blocks``, as
``stlite-docs check`` finds them), highlights each block's code, and appends each document's
listings to an unnamed temporary file, while the parent goes on. When the parent needs a
listing (``get``), it takes what the child has finished by then; what is not there yet (or
never will be: an entry file's code, a block found differently) it highlights itself, as it
always did. It never waits for the child: at worst both highlight the same block.

A fork, not a fresh interpreter: the child is the build itself, with the same Python, Pygments
and ``render.highlight_code``, so its HTML is byte for byte the HTML the build would have made,
and nothing is imported or started again. Results are looked up by the code's exact text: a
listing is never shown for another block's code. Without ``os.fork`` (Windows), with one core,
or for a handful of documents (an incremental rebuild) there is no helper and nothing changes.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import tempfile
import threading
from collections.abc import Callable, Iterable
from typing import IO, NoReturn

from .core.block import parse_body, with_final_newline
from .core.fences import find_blocks

#: Set to 0 to never start a helper (a build that must stay in one process).
VARIABLE = "STLITE_DOCS_HIGHLIGHT_AHEAD"
#: Fewer documents than this are highlighted in the build itself: a fork and a hand-over cost
#: a few milliseconds, as much as a dozen listings.
MIN_DOCUMENTS = 4


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def worth_a_helper(documents: int) -> bool:
    """Whether a helper would help a build that reads ``documents`` documents with blocks:
    it needs ``os.fork`` (not on Windows), a second core, and enough to do; and not to be
    turned off (``STLITE_DOCS_HIGHLIGHT_AHEAD=0``). Only a process with one thread forks
    (``sphinx-build -j 1`` and ``mkdocs build`` have one; ``mkdocs serve`` has more): a
    thread holding a lock when the process forks would leave it held in the child forever."""
    if os.environ.get(VARIABLE, "").strip() == "0":
        return False
    return hasattr(os, "fork") and documents >= MIN_DOCUMENTS and cores() >= 2 and threading.active_count() == 1


class HighlightAhead:
    """One build's helper: ``start`` it before reading, ``get`` listings when writing,
    ``close`` it when the build ends."""

    def __init__(self) -> None:
        self._pid: int | None = None
        #: the file the helper appends its listings to (unnamed: it goes when closed)
        self._spool: IO[bytes] | None = None
        #: how far the spool has been read
        self._offset = 0
        #: code -> highlighted HTML, taken from the helper so far
        self._ready: dict[str, str] = {}

    def start(self, listings: Callable[[], Iterable[list[str]]], documents: int) -> bool:
        """Fork a helper that highlights the codes ``listings()`` gives, a list per document
        in the order the build will want them (it runs in the helper, so reading and splitting
        the documents happens there too); whether one started. ``documents``: how many
        documents with blocks the build is about to read."""
        self.close()
        if not worth_a_helper(documents):
            return False
        try:
            spool = tempfile.TemporaryFile()
        except OSError:
            return False
        try:
            pid = os.fork()
        except OSError:
            spool.close()
            return False
        if pid == 0:  # the helper: never returns into the build
            _helper(listings, spool.fileno())
        self._pid, self._spool = pid, spool
        return True

    def get(self, code: str) -> str | None:
        """The helper's HTML for ``code``, if it has made it by now: never waits for it (the
        build then highlights the code itself, as fast as the helper would)."""
        ready = self._ready.get(code)
        if ready is None and self._spool is not None:
            self._take_new()
            ready = self._ready.get(code)
        return ready

    def close(self) -> None:
        """End the helper if it is still running, and forget its listings (the next build
        has its own documents)."""
        pid, self._pid = self._pid, None
        if pid is not None:
            try:
                # Killed only while it is ours and running (done, as a rule): a child reaped
                # by someone else may have passed its number on to another process.
                if os.waitpid(pid, os.WNOHANG) == (0, 0):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
            except OSError:  # reaped elsewhere: not ours to signal
                pass
        spool, self._spool = self._spool, None
        if spool is not None:
            spool.close()
        self._offset = 0
        self._ready = {}

    def _take_new(self) -> None:
        """Read the documents the helper has finished since last time. It appends one frame
        per document (its length, then its pickled listings); a frame still being written is
        left for the next time."""
        fd = self._spool.fileno()
        try:
            size = os.fstat(fd).st_size
            while size - self._offset >= _HEAD.size:
                (length,) = _HEAD.unpack(os.pread(fd, _HEAD.size, self._offset))
                end = self._offset + _HEAD.size + length
                if end > size:
                    break
                frame = os.pread(fd, length, self._offset + _HEAD.size)
                if len(frame) != length:
                    break
                self._ready.update(pickle.loads(frame))
                self._offset = end
        except Exception:  # noqa: BLE001 - an unreadable spool: the build highlights the rest
            self._spool.close()
            self._spool = None


#: A frame's head: the length of the pickled listings after it.
_HEAD = struct.Struct("<Q")


def _helper(listings: Callable[[], Iterable[list[str]]], spool: int) -> NoReturn:
    """The forked child: highlight document by document, appending each document's listings
    to the spool, and leave without running anything of the build's (no atexit handlers, no
    buffered output flushed twice)."""
    status = 1
    try:
        gc.disable()  # short-lived: collecting would only copy the memory pages it walks
        _keep_only(spool)
        from .core.render import highlight_code

        done: set[str] = set()
        for codes in listings():
            made = {}
            for code in codes:
                if code not in done:
                    done.add(code)
                    made[code] = str(highlight_code(code))
            if made:
                frame = pickle.dumps(made, pickle.HIGHEST_PROTOCOL)
                view = memoryview(_HEAD.pack(len(frame)) + frame)
                while view:  # (a regular file takes all at once, as a rule)
                    view = view[os.write(spool, view):]
        status = 0
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return
        pass
    finally:
        os._exit(status)


def _keep_only(spool: int) -> None:
    """In the helper: close every inherited file but the standard ones and ``spool``. A pipe
    the build talks to (the compile server's input) must not stay open in the helper: the
    server ends when the last holder of its input closes it."""
    top = max(os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 0, spool + 1, 256)
    os.closerange(3, spool)
    os.closerange(spool + 1, top)


def document_listings(text: str, suffix: str, myst: bool = False) -> list[str]:
    """The code each inline block of a document shows (``build_app``'s ``code``), found as
    ``stlite-docs check`` finds blocks. A block found differently than by the front-end is
    only a listing the build highlights itself."""
    if "stlite" not in text:
        return []
    return [parse_body(with_final_newline(block.body)).code for block in find_blocks(text, suffix, myst) if block.entry_file is None]


#: The helper of the build running in this process.
AHEAD = HighlightAhead()


def highlight_documents(documents: Iterable[tuple[str, str]], count: int, myst: bool = False) -> bool:
    """Start the build's helper on the ``count`` documents (text, suffix) about to be read,
    in the order the build will write them; whether it started. They are read only if a
    helper could start for that many; then only those that mention ``stlite`` count: a site
    without apps forks nothing."""
    if not worth_a_helper(count):
        return False
    texts = [(text, suffix) for text, suffix in documents if "stlite" in text]

    def listings():  # runs in the helper, a list per document
        for text, suffix in texts:
            yield document_listings(text, suffix, myst)

    return AHEAD.start(listings, len(texts))
