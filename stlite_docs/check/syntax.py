"""Compile app files as the Python that runs them: Pyodide 0.29.3's Python 3.13.

The build's own Python may be older (3.10 cannot read ``f"{d["key"]}"``, valid since 3.12)
or newer (3.14 accepts ``except A, B:``, which 3.13 rejects). So the files are compiled by a
real Python 3.13 when there is one: the build's own, else one found on the machine
(``STLITE_DOCS_PYTHON313``, ``python3.13`` on PATH, or a pyenv install), run as a small compile
server that starts with the first file and ends with the build. Without any 3.13, the build's
Python compiles them and ``SyntaxChecker.python`` says which version that is.

Compiling (not only parsing) also catches what the compiler rejects: 'break' outside a loop,
'await' in a plain function. Top-level ``await`` is allowed, as stlite allows it.
"""

from __future__ import annotations

import ast
import glob
import json
import os
import shutil
import subprocess
import sys
import threading
import warnings
from dataclasses import dataclass

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


# The compile server: a line with its version, then one JSON reply per JSON request line.
_SERVER = r"""
import ast, json, sys, warnings
warnings.simplefilter("ignore")
print(json.dumps(list(sys.version_info[:2])), flush=True)
for request in sys.stdin:
    text, name = json.loads(request)
    reply = None
    try:
        compile(text, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except SyntaxError as exc:
        reply = [exc.lineno, exc.msg]
    except ValueError as exc:
        reply = [None, str(exc)]
    print(json.dumps(reply), flush=True)
"""


def python313_candidates() -> list[str]:
    """Where a Python 3.13 may be: the variable, PATH, pyenv's versions (newest first). A pyenv
    shim comes last: it only leads to one of those versions, through a bash and pyenv start."""
    on_path = shutil.which("python3.13")
    pyenv = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    shim = on_path is not None and os.path.dirname(on_path) == os.path.join(pyenv, "shims")
    candidates = [os.environ.get(PYTHON_VARIABLE), None if shim else on_path]
    candidates += sorted(glob.glob(os.path.join(pyenv, "versions", "3.13*", "bin", "python3.13")), reverse=True)
    candidates.append(on_path if shim else None)
    return [c for c in dict.fromkeys(candidates) if c]


def _start_server(executable: str) -> subprocess.Popen | None:
    """The compile server on ``executable``, if that is a working Python 3.13 (a pyenv shim
    may exist and refuse to run). ``-I -S``: isolated, and without ``site``: it needs only the
    standard library."""
    try:
        process = subprocess.Popen(
            [executable, "-I", "-S", "-c", _SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
    except OSError:
        return None
    try:
        version = json.loads(process.stdout.readline() or "null")
    except (OSError, ValueError):
        version = None
    if version == list(TARGET):
        return process
    process.kill()
    process.wait()
    return None


class SyntaxChecker:
    """Compiles app files as Python 3.13, each distinct text once. Its compile server starts at
    the first file and ends with ``close``; a forked process (``sphinx-build -j``) starts its
    own, and one that ends without ``close`` takes its server with it (the server ends when its
    input closes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._pid: int | None = None
        #: the interpreter the server runs on; "" once we know there is none
        self._executable: str | None = None
        self._answers: dict[str, CompileError | None] = {}

    @property
    def python(self) -> str:
        """The Python version files are compiled with, e.g. "3.13" (for messages)."""
        if sys.version_info[:2] == TARGET:
            return "3.13"
        with self._lock:
            found = self._server() is not None
        return "3.13" if found else f"{sys.version_info[0]}.{sys.version_info[1]}"

    def check(self, text: str, name: str) -> CompileError | None:
        if text not in self._answers:
            self._answers[text] = self._compile(text, name)
        return self._answers[text]

    def close(self) -> None:
        """End the compile server (a build calls this when it ends)."""
        with self._lock:
            process, self._process = self._process, None
            if process is not None and self._pid == os.getpid():
                _end(process)

    def _compile(self, text: str, name: str) -> CompileError | None:
        if sys.version_info[:2] == TARGET:
            return compile_in_process(text, name)
        with self._lock:
            process = self._server()
            if process is None:
                return compile_in_process(text, name)
            try:
                process.stdin.write(json.dumps([text, name]) + "\n")
                reply = json.loads(process.stdout.readline())
            except (OSError, ValueError):
                _end(process)
                self._process = None  # it died: this file compiles here, the next starts another
                return compile_in_process(text, name)
        return None if reply is None else CompileError(reply[0], reply[1])

    def _server(self) -> subprocess.Popen | None:
        if self._process is not None and self._pid == os.getpid() and self._process.poll() is None:
            return self._process
        self._process = None  # none yet, a dead one, or the parent's (this is a fork)
        if self._executable == "":
            return None
        for candidate in [self._executable] if self._executable else python313_candidates():
            process = _start_server(candidate)
            if process is not None:
                self._process, self._executable, self._pid = process, candidate, os.getpid()
                return process
        self._executable = ""
        return None


def _end(process: subprocess.Popen) -> None:
    try:
        process.stdin.close()
        process.wait(timeout=5)
    except (OSError, subprocess.SubprocessError):
        process.kill()
        process.wait()
