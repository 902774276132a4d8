"""The ``run`` check: an app runs once, headlessly, with Streamlit's ``AppTest``, in the build's
Python, within a time limit.

``AppRunner.run(files, entrypoint, timeout)`` writes the app's files into a fresh temporary folder
(the working directory of the run, and first on ``sys.path``, as in stlite), runs the entry
page, then every other app file that ``AppTest.switch_page`` accepts as a page (files under
``pages/`` next to the entry, or the ones the app gives ``st.navigation``), each once, in path
order, sharing one session (with Streamlit before 1.6x, ``st.navigation`` pages other than
the default are not reached). A page costs a few milliseconds once Streamlit is imported, so
running every page is cheap. No widget is touched, so callbacks (``on_click``...) do not run.

The apps run in a worker process (``_run_worker.py``), never in the build's own process: an
endless loop or ``time.sleep(1e9)`` is stopped by ending that process, and nothing an app does
to ``sys.modules``, ``os.environ`` or the working directory reaches the build. The worker is
started on first use and reused, so Streamlit is imported once per build (the build's session
owns the runner and closes it); it is replaced after a time-out (and when an app leaves a thread
running). A ``fork()`` child (``sphinx-build -j``) starts its own, and a lock makes concurrent
callers in one process take turns.

Outcomes (``RunOutcome.status``):

- ``ok``: the pages ran to the end (``st.stop()`` and ``st.rerun()`` included).
- ``exception``: an uncaught exception. ``path``/``line`` are the deepest traceback frame in
  an app file (for a ``SyntaxError`` in an app file, its own place), ``message`` is
  ``"ZeroDivisionError: division by zero"``, ``traceback`` shows only app frames, by app path.
- ``timeout``: not finished within ``timeout`` seconds (for the whole app); ``path``/``line``
  say where its code was when it was stopped, when that is known.
- ``skipped``: the build environment, not the app, is what stood in the way; ``detail`` says
  what and how to proceed: a module the build lacks, a browser-only module (``js``,
  ``pyodide``), top-level ``await`` (stlite runs it, AppTest cannot), no network, or syntax
  the build's Python is too old for.
- ``unavailable``: Streamlit cannot run here; ``detail`` has the pip command.

Messages hold no temporary paths and no times, so outcomes can be cached and compared.
"""

from __future__ import annotations

import json
import math
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

STATUSES = ("ok", "exception", "timeout", "unavailable", "skipped")
INSTALL_HINT = "pip install 'stlite-docs[check]'"
#: the Python that runs apps in the browser (Pyodide 0.29.3); code only it can compile is
#: "skipped" on another build Python rather than called a mistake
PYODIDE_PYTHON = (3, 13)
#: how long the worker may take to import Streamlit (not counted in an app's time limit)
START_TIMEOUT = 120.0
#: how long after an app's time limit the worker is killed if it has not reported the
#: time-out itself (its watchdog thread could not run: C code holding the GIL)
GRACE = 2.0

WORKER_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_run_worker.py")
#: ``python -c BOOT WORKER_SCRIPT``: runs the worker without the current directory (or this
#: package's folder) on ``sys.path``, so an app's ``import x`` finds only its own files,
#: then installed packages
BOOT = "import runpy, sys; del sys.path[0]; runpy.run_path(sys.argv[1], run_name='__main__')"


@dataclass(frozen=True)
class RunOutcome:
    """What one headless run of an app found."""

    #: one of ``STATUSES``
    status: str
    #: the app file (app path, e.g. ``"helpers.py"``) the error or the time-out points at
    path: str | None = None
    #: 1-based line in ``path``
    line: int | None = None
    #: one line: ``"ZeroDivisionError: division by zero"``, or what the time-out interrupted
    message: str | None = None
    #: the traceback with only app frames, named by app paths ("exception" only)
    traceback: str | None = None
    #: why the app was not run, and what to do ("skipped", "unavailable"); for "ok", the pages
    #: that were left out, if any
    detail: str | None = None


def worker_command() -> list[str]:
    """The command that starts a worker: this Python, so apps see the build's packages."""
    return [sys.executable, "-c", BOOT, WORKER_SCRIPT]


class AppRunner:
    """Runs apps in one reusable worker process; safe to share between threads and across
    ``fork()``. ``command`` replaces ``worker_command()`` (tests use it)."""

    def __init__(self, command: Sequence[str] | None = None) -> None:
        self.command = list(command) if command is not None else None
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._process: subprocess.Popen | None = None
        self._messages: queue.Queue | None = None
        #: why Streamlit cannot run here, once the worker said so (asked again only by a new runner)
        self._unavailable: RunOutcome | None = None
        #: for tests and diagnostics: the worker's Streamlit version and exception mode
        self.worker_info: dict = {}

    # ------------------------------------------------------------------ API
    def run(self, files: Mapping[str, str | bytes], entrypoint: str, timeout: float = 30.0) -> RunOutcome:
        _validate(files, entrypoint, timeout)
        root = tempfile.mkdtemp(prefix="stlite-docs-run-")
        try:
            for path, content in files.items():
                target = os.path.join(root, *path.split("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                if isinstance(content, str):
                    with open(target, "w", encoding="utf-8", newline="") as f:
                        f.write(content)
                else:
                    with open(target, "wb") as f:
                        f.write(content)
            request = {
                "root": root,
                "entry": entrypoint,
                "files": sorted(files),
                "timeout": float(timeout),
                "target": list(PYODIDE_PYTHON),
            }
            with self._lock:
                result = self._run_locked(request, timeout)
            return _scrubbed(result, root)
        finally:
            shutil.rmtree(root, ignore_errors=True)

    @property
    def worker_pid(self) -> int | None:
        """The worker's process id, while one is running for this process."""
        process = self._process
        if process is None or self._pid != os.getpid() or process.poll() is not None:
            return None
        return process.pid

    def close(self) -> None:
        with self._lock:
            self._stop()

    # ------------------------------------------------------------------ internals
    def _run_locked(self, request: dict, timeout: float) -> RunOutcome:
        for attempt in (1, 2):
            started = self._ensure_worker()
            if isinstance(started, RunOutcome):
                return started
            process, messages = started
            try:
                process.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
                process.stdin.flush()
            except OSError:  # it had just ended (after an app that left a thread): start anew
                self._stop()
                if attempt == 2:
                    raise
                continue
            return self._await_outcome(messages, request, timeout)
        raise AssertionError("unreachable")

    def _await_outcome(self, messages: queue.Queue, request: dict, timeout: float) -> RunOutcome:
        deadline = time.monotonic() + timeout + GRACE
        page = request["entry"]
        while True:
            try:
                message = messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self._stop()
                return RunOutcome("timeout", page, None, f"the app did not finish within {timeout:g} s")
            if message is None:  # the worker ended without an answer
                status = self._stop()
                return RunOutcome("exception", page, None, f"the process running the app ended unexpectedly ({status})")
            if "page" in message:
                page = message["page"]
                continue
            if "outcome" in message:
                if message.get("restart"):
                    self._stop()
                return _outcome(message["outcome"])

    def _ensure_worker(self) -> tuple[subprocess.Popen, queue.Queue] | RunOutcome:
        if self._pid != os.getpid():  # a fork() child: the parent's worker is not ours
            self._forget()
        if self._unavailable is not None:
            return self._unavailable
        if self._process is not None and self._process.poll() is None:
            return self._process, self._messages
        self._stop()
        command = self.command or worker_command()
        env = dict(os.environ)
        env.setdefault("PYTHONIOENCODING", "utf-8")
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=os.path.dirname(WORKER_SCRIPT),
                env=env,
                **_new_group(),
            )
        except OSError as exc:
            return RunOutcome("unavailable", detail=f"the run check could not start {command[0]} ({exc.strerror or exc})")
        messages: queue.Queue = queue.Queue()
        reader = threading.Thread(
            target=_read_messages, args=(process.stdout, messages), name="stlite-docs run-check reader", daemon=True
        )
        reader.start()
        self._process, self._messages, self._pid = process, messages, os.getpid()
        try:
            ready = messages.get(timeout=START_TIMEOUT)
        except queue.Empty:
            ready = {
                "ready": False,
                "status": "unavailable",
                "detail": f"Streamlit did not start within {START_TIMEOUT:g} s in the build environment",
            }
        if ready is None:
            status = self._stop()
            ready = {
                "ready": False,
                "status": "unavailable",
                "detail": f"the run check's worker process ended while starting ({status}): {INSTALL_HINT}",
            }
        if not ready.get("ready"):
            self._stop()
            self._unavailable = RunOutcome("unavailable", detail=ready.get("detail"))
            return self._unavailable
        self.worker_info = {k: v for k, v in ready.items() if k != "ready"}
        return process, messages

    def _stop(self) -> str | None:
        """End the worker and anything it started; how it ended (for messages)."""
        process, self._process, self._messages = self._process, None, None
        if process is None:
            return None
        if self._pid != os.getpid():
            return None
        try:
            process.stdin.close()
        except OSError:
            pass
        _kill_group(process)
        try:
            code = process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return "did not end"
        if code < 0:
            try:
                return f"signal {signal.Signals(-code).name}"
            except ValueError:
                return f"signal {-code}"
        return f"exit status {code}"

    def _forget(self) -> None:
        """After fork(): drop the parent's worker without touching it."""
        self._lock = threading.Lock()
        self._process, self._messages, self._pid = None, None, os.getpid()


def _read_messages(stream, messages: queue.Queue) -> None:
    try:
        for raw in stream:
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            if isinstance(message, dict):
                messages.put(message)
    except (OSError, ValueError):
        pass
    finally:
        stream.close()
    messages.put(None)


def _new_group() -> dict:
    """Popen arguments that put the worker in its own process group (so that what an app
    starts ends with it)."""
    if os.name == "posix":
        return {"start_new_session": True}
    return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}


def _kill_group(process: subprocess.Popen) -> None:
    if os.name == "posix":
        try:
            os.killpg(process.pid, signal.SIGKILL)
            return
        except (ProcessLookupError, PermissionError):
            pass
    try:
        process.kill()
    except OSError:
        pass


def _validate(files: Mapping[str, str | bytes], entrypoint: str, timeout: float) -> None:
    for path in files:
        parts = path.split("/")
        if not path or path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts) or ":" in parts[0]:
            raise ValueError(f"not a relative app path: {path!r}")
    if entrypoint not in files:
        raise ValueError(f"the entrypoint {entrypoint!r} is not one of the files")
    if not isinstance(timeout, (int, float)) or not math.isfinite(timeout) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")


def _outcome(data: dict) -> RunOutcome:
    status = data.get("status")
    if status not in STATUSES:
        return RunOutcome("skipped", detail=f"the run check's worker answered {status!r}")
    line = data.get("line")
    return RunOutcome(
        status,
        data.get("path"),
        line if isinstance(line, int) else None,
        data.get("message"),
        data.get("traceback"),
        data.get("detail"),
    )


def _scrubbed(outcome: RunOutcome, root: str) -> RunOutcome:
    """The outcome without the temporary folder in any text (the worker already removes it;
    this is the guarantee)."""

    def scrub(text):
        if text is None:
            return None
        for prefix in dict.fromkeys((root, os.path.realpath(root))):
            text = text.replace(prefix + os.sep, "").replace(prefix, ".")
        return text

    return RunOutcome(
        outcome.status, scrub(outcome.path), outcome.line, scrub(outcome.message), scrub(outcome.traceback), scrub(outcome.detail)
    )
