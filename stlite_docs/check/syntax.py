"""Compile app files as the Python that runs them: Pyodide 0.29.3's Python 3.13.

The build's own Python may be older (3.10 cannot read ``f"{d["key"]}"``, valid since 3.12)
or newer (3.14 accepts ``except A, B:``, which 3.13 rejects). So the files are compiled by a
real Python 3.13 when there is one: the build's own, else an interpreter found once per
process (``STLITE_DOCS_PYTHON313``, ``python3.13`` on PATH, or a pyenv install) and kept
running as a small compile server, so a large site pays its start-up once. Without any 3.13,
the build's Python compiles them and ``SyntaxChecker.python`` says which version that is.

Compiling (not only parsing) also catches what the compiler rejects: 'break' outside a loop,
'await' in a plain function. Top-level ``await`` is allowed, as stlite allows it.
"""

from __future__ import annotations

import ast
import atexit
import glob
import json
import os
import shutil
import subprocess
import sys
import threading
import warnings
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from .cache import PackedResults, key_of

TARGET = (3, 13)
#: Environment variable naming the Python 3.13 interpreter to compile with.
PYTHON_VARIABLE = "STLITE_DOCS_PYTHON313"


@dataclass(frozen=True)
class CompileError:
    line: int | None
    message: str


def compile_in_process(text: str, name: str) -> CompileError | None:
    """Compile with this interpreter; the error, if any."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is not our business
            compile(text, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except SyntaxError as exc:
        return CompileError(exc.lineno, exc.msg)
    except ValueError as exc:  # e.g. "source code string cannot contain null bytes"
        return CompileError(None, str(exc))
    return None


# The compile server: first a line with its version, then one JSON reply per JSON request line.
# A request may name the build's cache folder and key for its file: the server keeps those
# results and writes them as one pack (``cache.PackedResults``) when its input ends (the build
# closed it, or ended), so the build spends no time on cache files. It reads what has arrived
# and answers it in one write: a reply per write would cost a system call each, and wake a
# build waiting for its answers once per file instead of once per batch.
_SERVER = r"""
import ast, json, os, sys, time, warnings
warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is not our business
sys.stdout.write(json.dumps(list(sys.version_info[:2])) + "\n")
sys.stdout.flush()
packs = {}
partial = b""
while True:
    received = os.read(0, 1 << 16)
    if not received:
        break
    *requests, partial = (partial + received).split(b"\n")
    replies = []
    for request in requests:
        text, name, *entry = json.loads(request)
        reply = None
        try:
            compile(text, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        except SyntaxError as exc:
            reply = [exc.lineno, exc.msg]
        except ValueError as exc:
            reply = [None, str(exc)]
        if entry and entry[0]:
            packs.setdefault(entry[0], {})[entry[1]] = {"error": reply}
        replies.append(json.dumps(reply) + "\n")
    out = memoryview("".join(replies).encode())
    while out:
        out = out[os.write(1, out):]
for folder, entries in packs.items():
    name = "pack-%020d-%d-%s.json" % (time.time_ns(), os.getpid(), os.urandom(4).hex())
    tmp = os.path.join(folder, ".tmp-" + name)
    try:
        os.makedirs(folder, exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(json.dumps(entries, sort_keys=True))
        os.replace(tmp, os.path.join(folder, name))
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
"""


def python313_candidates() -> list[str]:
    """Where a Python 3.13 may be: the variable, PATH, pyenv's versions (newest first).

    A pyenv shim on PATH comes after pyenv's versions: it only leads to one of them, and
    running it costs a bash and pyenv start (a quarter second, even when it refuses because
    no 3.13 is selected), paid again by every process that starts a server (sphinx -j).
    """
    on_path = shutil.which("python3.13")
    pyenv = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    shim = on_path is not None and os.path.dirname(on_path) == os.path.join(pyenv, "shims")
    candidates = [os.environ.get(PYTHON_VARIABLE), None if shim else on_path]
    candidates += sorted(glob.glob(os.path.join(pyenv, "versions", "3.13*", "bin", "python3.13")), reverse=True)
    candidates.append(on_path if shim else None)
    return [c for c in dict.fromkeys(candidates) if c]


def _start_server(executable: str) -> subprocess.Popen | None:
    """The compile server on ``executable``, if that is a working Python 3.13 (a pyenv shim
    may exist and refuse to run)."""
    try:
        process = _spawn(executable)
    except OSError:
        return None
    return process if _answers_as_313(process) else None


def _spawn(executable: str) -> subprocess.Popen:
    """Start the compile server, without waiting for it. ``-I -S``: isolated, and without
    ``site``, whose import is most of a bare interpreter's start-up; the server needs only
    the standard library."""
    return subprocess.Popen(
        [executable, "-I", "-S", "-c", _SERVER],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, encoding="utf-8", bufsize=1,
    )


def _answers_as_313(process: subprocess.Popen) -> bool:
    """Whether a started server is a Python 3.13 (its first line); if not, it is ended."""
    try:
        version = json.loads(process.stdout.readline() or "null")
    except (OSError, ValueError):
        version = None
    if version == list(TARGET):
        return True
    process.kill()
    process.wait()
    return False


#: Requests sent ahead at most: their replies (a few dozen bytes each) must fit the pipe
#: buffer, or the server would block writing them while we block writing requests.
_MAX_PENDING = 256
#: Files ``compile_all`` sends at once (about two documents' worth).
_BATCH = 16


class _InFlight:
    """The keys of requests sent to the server and not yet answered: in the order sent (its
    replies come in that order), and a set beside, so that asking whether a file is on its
    way costs no walk through up to ``_MAX_PENDING`` keys."""

    def __init__(self) -> None:
        self._order: deque[str] = deque()
        self._keys: set[str] = set()

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def append(self, key: str) -> None:
        self._order.append(key)
        self._keys.add(key)

    def popleft(self) -> str:
        key = self._order.popleft()
        self._keys.discard(key)
        return key

    def clear(self) -> None:
        self._order.clear()
        self._keys.clear()


def _from_cache(value: dict) -> CompileError | None:
    error = value.get("error")
    return None if error is None else CompileError(error[0], error[1])


def _to_cache(error: CompileError | None) -> dict:
    return {"error": None if error is None else [error.line, error.message]}


class SyntaxChecker:
    """Compiles app files as Python 3.13, with results cached by content; safe to share
    between threads and across fork() (sphinx -j)."""

    def __init__(self, cache: PackedResults | None = None) -> None:
        self.cache = cache or PackedResults("syntax")
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._process: subprocess.Popen | None = None
        #: the interpreter the server runs on; "" once we know there is none
        self._executable: str | None = None
        #: texts sent to the server whose replies are still unread, in order (see prefetch)
        #: (their cache keys, which stand for them: a key is the hash of the text)
        self._pending = _InFlight()
        #: whether a file was missing from the cache in this process (see ``prefetch_document``)
        self.missed = False
        #: a server started ahead of need (``start_early``), not yet known to be a 3.13
        self._early: tuple[str, subprocess.Popen, int] | None = None
        #: servers whose input ended (``stop_sending``), writing their results: (process, pid)
        self._ending: list[tuple[subprocess.Popen, int]] = []
        atexit.register(self.close)

    @property
    def python(self) -> str:
        """The Python version files are compiled with, e.g. "3.13" (for messages)."""
        if sys.version_info[:2] == TARGET:
            return "3.13"
        with self._lock:
            found = self._server() is not None
        return "3.13" if found else f"{sys.version_info[0]}.{sys.version_info[1]}"

    def check(self, text: str, name: str) -> CompileError | None:
        in_process = sys.version_info[:2] == TARGET
        key = key_of("syntax", "3.13", text)
        if not in_process:
            with self._lock:
                pending = key in self._pending
            if pending:
                # Sent ahead, its reply still to be read: read it (a reply left unread would
                # be kept forever).
                return self._compile_elsewhere(text, name, key)[0]
        # A 3.13 answer from any earlier build (or read ahead in this one) needs no server: a
        # build whose files are all cached never starts one (sphinx -j would start one in
        # every reading process).
        cached = self.cache.get(key)
        if isinstance(cached, dict):
            return _from_cache(cached)
        self.missed = True
        version = "3.13" if in_process else self.python
        if version != "3.13":  # no 3.13 here: the build's own Python answers
            key = key_of("syntax", version, text)
            cached = self.cache.get(key)
            if isinstance(cached, dict):
                return _from_cache(cached)
        if in_process:
            error, stored = compile_in_process(text, name), False
        else:
            error, stored = self._compile_elsewhere(text, name, key)
        if not stored:  # (the server's answers are kept as they are read: see _keep)
            self.cache.add(key, _to_cache(error))
        return error

    def prefetch(self, files: Iterable[tuple[str, str]]) -> None:
        """Send the server files (text, name) that ``check`` will soon be asked about, without
        waiting for its answers: it compiles them while the build reads on, and ``check``
        finds the replies waiting instead of paying a round trip and a compile for each file in
        turn. Only a head start: ``check`` answers exactly as it would without it."""
        if sys.version_info[:2] == TARGET:
            return
        with self._lock:
            requests: list[str] = []
            for text, name in files:
                if len(self._pending) >= _MAX_PENDING:
                    break
                key = key_of("syntax", "3.13", text)
                if key in self._pending or isinstance(self.cache.get(key), dict):
                    continue
                if not requests:  # started only for a file that needs compiling
                    process = self._server()
                    if process is None:
                        return
                requests.append(self._request(text, name, key))
                self._pending.append(key)
            if not requests:
                return
            try:
                # One write for the lot: the pipe is line-buffered, and a write per file costs
                # the build a system call and the server a wake-up for each.
                process.stdin.write("".join(requests))
            except OSError:
                self._stop()

    def start_early(self) -> None:
        """Start the compile server now, without waiting for it, when the build will surely
        need it: the cache holds no answer at all (a first build, or CI without a kept cache).
        Its start, an interpreter's (about 20 ms), then overlaps the build's own instead of
        holding up the first block. With a cache, nothing: most builds then need no server."""
        if sys.version_info[:2] == TARGET:
            return
        with self._lock:
            if self._process is not None or self._early is not None or self._executable == "":
                return
            if not self.cache.empty():
                return
            candidate = self._executable or next(iter(python313_candidates()), None)
            if candidate is None:
                return
            try:
                self._early = (candidate, _spawn(candidate), os.getpid())
            except OSError:
                pass

    def compile_all(self, files: Iterable[tuple[str, str]]) -> None:
        """Compile now every file (text, name) the cache does not know, and end the server.

        For ``sphinx-build -j``, before it forks its reading processes: they inherit the
        answers in memory, so none of them starts a compile server of its own (each costs an
        interpreter start, and the first document of each process would wait for it).

        ``files`` is read as it comes: each few files go to the server at once, so it compiles
        them while the caller finds the next ones (reading and splitting documents), instead
        of both taking turns."""
        if sys.version_info[:2] == TARGET:
            return
        sent: deque[tuple[str, str]] = deque()  # sent ahead, their answers not yet read
        seen: set[str] = set()
        batch: list[tuple[str, str]] = []
        for text, name in files:
            if text not in seen:  # one per distinct text
                seen.add(text)
                batch.append((text, name))
            if len(batch) >= _BATCH:
                self._send_keeping_room(batch, sent)
                batch = []
        self._send_keeping_room(batch, sent)
        while sent:
            self.check(*sent.popleft())
        self.stop_sending()

    def _send_keeping_room(self, batch: list[tuple[str, str]], sent: deque[tuple[str, str]]) -> None:
        """Send ``batch`` ahead (``compile_all``), first reading the oldest answers while the
        requests in flight and the batch would be more than ``_MAX_PENDING``."""
        while sent and len(self._pending) + len(batch) > _MAX_PENDING:
            self.check(*sent.popleft())
        self.prefetch(batch)
        sent.extend(batch)

    def stop_sending(self) -> None:
        """The build checks no more files for now: end the compile server's input, so it
        writes its results to the cache while the build goes on with other work (MkDocs: every
        page is converted, none written yet; Sphinx: every document is read). ``close``
        waits for it. A file checked after this starts a new server."""
        with self._lock:
            self._stop(wait=False)

    def close(self) -> None:
        """End the compile server, which writes its results to the cache as it ends, and
        write those compiled here. A build calls it when it is done (and at exit)."""
        with self._lock:
            self._stop()
            self.cache.flush()

    # ------------------------------------------------------------------ internals
    def _compile_elsewhere(self, text: str, name: str, key: str) -> tuple[CompileError | None, bool]:
        """The answer, and whether the server stored it in the cache (under ``key``, the
        3.13 key of ``text``; with no server the key is not used)."""
        with self._lock:
            process = self._server()
            if process is None:
                return compile_in_process(text, name), False
            try:
                if key not in self._pending:
                    process.stdin.write(self._request(text, name, key))
                    process.stdin.flush()
                    self._pending.append(key)
                # Replies come in the order of the requests: those before ours were prefetched.
                while True:
                    reply = json.loads(process.stdout.readline())
                    sent = self._pending.popleft()
                    error = None if reply is None else CompileError(reply[0], reply[1])
                    self._keep(sent, error)
                    if sent == key:
                        return error, True
            except (OSError, ValueError, IndexError):
                self._stop()  # the server died: this file compiles here, the next restarts it
                return compile_in_process(text, name), False

    def _request(self, text: str, name: str, key: str) -> str:
        return json.dumps([text, name, os.path.abspath(self.cache.folder), key]) + "\n"

    def _keep(self, key: str, error: CompileError | None) -> None:
        """The answer for a file sent ahead, read before its turn: kept for ``check``."""
        self.cache.keep(key, _to_cache(error))

    def _server(self) -> subprocess.Popen | None:
        if self._process is not None and self._pid != os.getpid():
            self._process = None  # forked: the parent's server is not ours to talk to
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._process = None
        self._pending.clear()  # their replies went with that server
        early, self._early = self._early, None
        if early is not None and early[2] == os.getpid():
            candidate, process, pid = early
            if _answers_as_313(process):
                self._process, self._executable, self._pid = process, candidate, pid
                return process
        candidates = [self._executable] if self._executable else ([] if self._executable == "" else python313_candidates())
        for candidate in candidates:
            self._process = _start_server(candidate)
            if self._process is not None:
                self._executable, self._pid = candidate, os.getpid()
                return self._process
        self._executable = ""
        return None

    def _stop(self, wait: bool = True) -> None:
        """End the server: close its input, after which it writes its pack and exits; with
        ``wait``, wait for that (and for a server ended earlier without waiting). Only the
        process that started a server ends it: a forked one (sphinx -j) leaves it alone."""
        me = os.getpid()
        early, self._early = self._early, None
        if early is not None and early[2] == me:  # started early, never needed
            early[1].kill()
            early[1].wait()
        process, self._process = self._process, None
        self._pending.clear()  # their replies, if any, fit the pipe (_MAX_PENDING): it ends
        if process is not None and self._pid == me:
            try:
                process.stdin.close()
            except OSError:
                process.kill()
            self._ending.append((process, me))
        if wait:
            ending, self._ending = self._ending, []
            for process, pid in ending:
                if pid != me:
                    continue
                try:
                    process.wait(timeout=5)
                except subprocess.SubprocessError:
                    process.kill()


#: The checker every build in this process shares.
CHECKER = SyntaxChecker()


def block_files(body: str) -> list[tuple[str, str]]:
    """The Python files (text, name) of one inline block (``body``: its text, ``## file:``
    lines included), as ``build_app`` will check them."""
    from ..core.block import parse_body, with_final_newline

    return [(seg.text, seg.path) for seg in parse_body(with_final_newline(body)).segments if seg.path.endswith(".py")]


def document_files(text: str, suffix: str, myst: bool = False) -> list[tuple[str, str]]:
    """The Python app files (text, name) of one document's inline blocks, found as
    ``stlite-docs check`` finds them (``sources.find_blocks``). A file found differently here
    than by the front-end is only a file without a head start."""
    if "stlite" not in text:
        return []
    from ..core.fences import find_blocks

    return [file for block in find_blocks(text, suffix, myst) if block.entry_file is None for file in block_files(block.body)]


def _head_start_wanted(checker: SyntaxChecker) -> bool:
    """Whether to send files to the compile server ahead of their check: only when there is
    a server (the build's Python is not 3.13) and once a file of this build was missing from
    the cache. In a build whose files are all cached (the usual rebuild), finding the files
    would be the only work done, for nothing. The first new file is checked on its own; those
    after it get their head start."""
    return sys.version_info[:2] != TARGET and checker.missed


def prefetch_document(text: str, suffix: str, myst: bool = False, checker: SyntaxChecker = CHECKER) -> None:
    """Give the compile server a head start on the app files of one document, before the
    front-end builds its blocks one by one (see ``_head_start_wanted``)."""
    if _head_start_wanted(checker):
        checker.prefetch(document_files(text, suffix, myst))


def send_ahead(body: str, checker: SyntaxChecker = CHECKER) -> None:
    """Give the compile server one inline block's Python files, to compile while the
    front-end goes on; the block is checked later (see ``markdown.StliteFences.defer``
    and ``_head_start_wanted``)."""
    if _head_start_wanted(checker):
        checker.prefetch(block_files(body))
