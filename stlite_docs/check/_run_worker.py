"""The process that runs apps for ``stlite_docs.check.run`` (started by it; not an API).

It imports Streamlit once, then runs one app per request with ``AppTest``, so a site with
many apps pays Streamlit's import once. ``run.py`` starts it as ``python -c BOOT <this file>``
(the boot code drops the current directory from ``sys.path``); ``python -m
stlite_docs.check._run_worker`` works too, for debugging.

Protocol (UTF-8 JSON, one object a line). The protocol uses duplicates of the original stdin
and stdout; fds 0 and 1 are then pointed at the null device, so what an app prints (even from
C code) or reads never touches the protocol. Requests::

    {"root": "/tmp/x", "entry": "streamlit_app.py", "files": ["streamlit_app.py", ...],
     "timeout": 30.0, "target": [3, 13]}

Messages written back: first ``{"ready": true, "streamlit": "1.67.0", "mode": "log"}`` (or
``{"ready": false, "status": "unavailable", "detail": "..."}``, then the process exits); per
request, ``{"page": "pages/two.py"}`` before each page runs, then ``{"outcome": {...},
"restart": bool}``. ``restart`` means the run left something behind (a live thread); the
process exits after saying so and ``run.py`` starts a fresh one for the next app.

Time limit: a watchdog thread fires ``timeout`` seconds after the request arrives, reports
where the app's code was (the deepest frame in an app file, from ``sys._current_frames()``)
as a "timeout" outcome and ends the process at once: a script thread stuck in a loop cannot
be stopped any other way. If even the watchdog cannot run (C code holding the GIL), the
parent kills the process after a grace period.

Exceptions: Streamlit catches an app's uncaught exception, shows it as an ``st.exception``
element and logs it (``streamlit.error_util``, with ``exc_info``). The log record carries
the exception object itself, which tells an uncaught exception from one the app shows on
purpose with ``st.exception(e)``, and gives the real traceback. A self-test at start-up
checks that this works with the installed Streamlit; if it does not ("elements" mode),
``AppTest``'s exception elements are read instead (type, message, stack-trace text).
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.abc
import inspect
import json
import linecache
import logging
import os
import re
import socket
import sys
import tempfile
import threading
import traceback
import types
import urllib.error
import warnings

#: the lowest Streamlit this is tested with (1.40.0; and 1.67.0). Before AppTest.switch_page
#: learnt st.navigation's pages and to refuse a file that is no page (1.6x), it cannot reach
#: st.navigation pages, and a file that is no page just reruns the current one (harmless).
MIN_STREAMLIT = (1, 40)
INSTALL_HINT = "pip install 'stlite-docs[check]'"
#: modules that exist only in the browser (Pyodide); blocked here so that an installed
#: look-alike (the "pyodide-py" distribution, a "js" namespace package) behaves as it would
#: in any Python outside a browser
BROWSER_ONLY = ("js", "pyodide", "pyodide_js", "micropip")
#: import names whose distribution is called something else, for the "pip install" hint
DISTRIBUTIONS = {
    "PIL": "pillow",
    "sklearn": "scikit-learn",
    "skimage": "scikit-image",
    "cv2": "opencv-python",
    "yaml": "pyyaml",
    "bs4": "beautifulsoup4",
    "dateutil": "python-dateutil",
    "dotenv": "python-dotenv",
    "docx": "python-docx",
    "pptx": "python-pptx",
    "Bio": "biopython",
    "attr": "attrs",
    "google.protobuf": "protobuf",
    "jwt": "pyjwt",
    "magic": "python-magic",
    "serial": "pyserial",
}
#: network failures that mean "the build has no network", not "the app is wrong"
NETWORK_ERROR_NAMES = {
    "ConnectionError",
    "ConnectError",
    "ConnectTimeout",
    "ConnectTimeoutError",
    "NewConnectionError",
    "NameResolutionError",
    "MaxRetryError",
}
#: AppTest's own time limit; the watchdog always fires first, so this only bounds a run the
#: watchdog could not stop
APPTEST_TIMEOUT_SLACK = 3600.0


# ------------------------------------------------------------------ protocol
class Channel:
    """The protocol's output; one final message per request, whoever sends it first."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._final_sent = False

    def send(self, message: dict) -> None:
        with self._lock:
            self._write(message)

    def begin(self) -> None:
        with self._lock:
            self._final_sent = False

    def send_final(self, message: dict) -> bool:
        """Send the request's final message; False if one was sent already."""
        with self._lock:
            if self._final_sent:
                return False
            self._final_sent = True
            self._write(message)
            return True

    def _write(self, message: dict) -> None:
        self._stream.write(json.dumps(message) + "\n")
        self._stream.flush()


def outcome(status: str, path=None, line=None, message=None, traceback=None, detail=None) -> dict:
    return {"status": status, "path": path, "line": line, "message": message, "traceback": traceback, "detail": detail}


# ------------------------------------------------------------------ start-up
def start() -> dict:
    """Import Streamlit and set up; the first message."""
    try:
        import streamlit
    except ModuleNotFoundError as exc:
        if exc.name == "streamlit":
            return {
                "ready": False,
                "status": "unavailable",
                "detail": f"Streamlit is not installed in the build environment: {INSTALL_HINT}",
            }
        return _broken(exc)
    except Exception as exc:  # noqa: BLE001 - any failure to import is reported, not raised
        return _broken(exc)
    version = getattr(streamlit, "__version__", "0")
    if _version_tuple(version) < MIN_STREAMLIT:
        wanted = ".".join(map(str, MIN_STREAMLIT))
        return {
            "ready": False,
            "status": "unavailable",
            "detail": f"Streamlit {version} in the build environment is older than the run check "
            f"needs (>= {wanted}): {INSTALL_HINT}",
        }
    try:
        importlib.import_module("streamlit.testing.v1")
    except Exception as exc:  # noqa: BLE001
        return _broken(exc)
    # With rich importable (twine, typer... pull it in), Streamlit prints uncaught exceptions
    # through rich instead of its logger, and the capture would never see them.
    from streamlit import config

    config.set_option("logger.enableRich", False)
    logging.getLogger("streamlit.error_util").addHandler(CAPTURE)
    sys.meta_path.insert(0, BLOCKER)
    CLASS_STATE.update(_class_state())
    _scan_components_once()
    return {"ready": True, "streamlit": version, "mode": "log" if _self_test() else "elements"}


def _scan_components_once() -> None:
    """Every new AppTest (one per app) scans the metadata of every installed distribution for
    custom components (Streamlit >= 1.5x): about 0.1 s a time, more in a large environment.
    What is installed does not change while this process lives, so the scan's answer is kept."""
    try:
        from streamlit.components.v2 import manifest_scanner
    except Exception:  # noqa: BLE001 - an older Streamlit: nothing to speed up
        return
    scan = getattr(manifest_scanner, "scan_component_manifests", None)
    if scan is None:
        return
    answers: list = []

    @functools.wraps(scan)
    def scan_once(*args, **kwargs):
        if not answers:
            answers.append(list(scan(*args, **kwargs)))
        return list(answers[0])

    manifest_scanner.scan_component_manifests = scan_once


def _broken(exc: BaseException) -> dict:
    return {
        "ready": False,
        "status": "unavailable",
        "detail": f"Streamlit cannot be imported in the build environment ({_one_line(exc)}): {INSTALL_HINT}",
    }


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:2])


def _self_test() -> bool:
    """True when an uncaught exception reaches the log capture (see the module docstring)."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory(prefix="stlite-docs-selftest-") as root:
        script = os.path.join(root, "selftest.py")
        with open(script, "w", encoding="utf-8") as f:
            f.write("raise LookupError('stlite-docs self-test')\n")
        CAPTURE.clear()
        try:
            AppTest.from_file(script, default_timeout=60).run()
        except Exception:  # noqa: BLE001
            return False
        finally:
            linecache.clearcache()
        found = any(isinstance(e, LookupError) and "self-test" in str(e) for e in CAPTURE.exceptions)
        CAPTURE.clear()
        return found


class Capture(logging.Handler):
    """Keeps the exceptions Streamlit logs as uncaught app exceptions."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.exceptions: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, BaseException) and not any(exc is e for e in self.exceptions):
            self.exceptions.append(exc)

    def clear(self) -> None:
        self.exceptions = []


class BrowserOnlyBlocker(importlib.abc.MetaPathFinder):
    """Makes the browser-only modules unimportable, unless the app has a file of that name."""

    def __init__(self) -> None:
        self.app_modules: set[str] = set()

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top in BROWSER_ONLY and top not in self.app_modules:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


CAPTURE = Capture()
BLOCKER = BrowserOnlyBlocker()
#: Streamlit class attributes that outlive an AppTest run, as they were at start-up. Before
#: 1.4x, st.navigation switched ``PagesManager.DefaultStrategy`` for good, so a later app's
#: ``pages/`` folder went unseen.
CLASS_STATE: dict = {}


def _class_state() -> dict:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except Exception:  # noqa: BLE001
        return {}
    plain = {
        name: value
        for name, value in vars(PagesManager).items()
        if not name.startswith("__") and not isinstance(value, (types.FunctionType, property, staticmethod, classmethod))
    }
    return {PagesManager: plain}


# ------------------------------------------------------------------ one app
class App:
    """One request: where the files are and how to name them."""

    def __init__(self, request: dict) -> None:
        self.root: str = request["root"]
        self.real_root = os.path.realpath(self.root)
        self.entry: str = request["entry"]
        self.files: list[str] = list(request["files"])
        self.timeout: float = float(request["timeout"])
        self.target = tuple(request.get("target") or (3, 13))
        self._by_real = {_key(os.path.join(self.real_root, *p.split("/"))): p for p in self.files}
        # top-level module names of the app's files, from the root and from the entry's folder
        # (both are on sys.path)
        entry_dir = self.entry.rpartition("/")[0]
        prefix = entry_dir + "/" if entry_dir else ""
        self.modules = {p.split("/")[0].removesuffix(".py") for p in self.files}
        self.modules |= {p[len(prefix) :].split("/")[0].removesuffix(".py") for p in self.files if p.startswith(prefix)}
        #: the page running now (what a time-out names when no frame of the app is on a stack)
        self.page: str = self.entry

    def app_path(self, filename: str | None) -> str | None:
        """The app path of a file name from a code object or traceback, if it is an app file."""
        if not filename or filename.startswith("<"):
            return None
        return self._by_real.get(_key(os.path.realpath(filename)))

    def inside(self, filename: str | None) -> bool:
        """Whether a module's file is in the app's folder (as imported: through sys.path, which
        holds the folder as given)."""
        if not filename:
            return False
        return any(filename == root or filename.startswith(root + os.sep) for root in (self.root, self.real_root))

    def scrub(self, text: str | None) -> str | None:
        """``text`` without the temporary directory: app files named by their app paths."""
        if text is None:
            return None
        for root in dict.fromkeys((self.root, self.real_root)):
            text = text.replace(root + os.sep, "").replace(root, ".")
        return text


def _key(path: str) -> str:
    return os.path.normcase(os.path.normpath(path))


def run_request(request: dict, channel: Channel, mode: str) -> bool:
    """Run one app and send its outcome; True when the process is still clean to reuse."""
    app = App(request)
    channel.begin()
    threads_before = set(threading.enumerate())
    saved = _save_state()
    watchdog = threading.Timer(app.timeout, _on_timeout, args=(app, channel, threading.get_ident()))
    watchdog.daemon = True
    try:
        os.chdir(app.root)
        entry_dir = os.path.dirname(os.path.join(app.root, *app.entry.split("/")))
        for folder in dict.fromkeys((entry_dir, app.root)):
            sys.path.insert(0, folder)
        BLOCKER.app_modules = app.modules
        CAPTURE.clear()
        watchdog.start()
        result = run_app(app, channel, mode)
    except Exception as exc:  # noqa: BLE001 - a failure of AppTest itself, not of the app
        problem = app.scrub(_one_line(exc))
        problem = problem if len(problem) <= 300 else problem[:299] + "\u2026"
        result = outcome("skipped", detail=f"Streamlit's AppTest could not run the app ({problem})")
    finally:
        watchdog.cancel()
        watchdog.join()
        _restore_state(saved, app)
    left = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    clean = not left
    channel.send_final({"outcome": result, "restart": not clean})
    return clean


def run_app(app: App, channel: Channel, mode: str) -> dict:
    """The entry page, then every other app file that AppTest accepts as a page."""
    from streamlit.testing.v1 import AppTest

    entry_path = os.path.join(app.root, *app.entry.split("/"))
    problem = _precompile(app, app.entry)
    if problem is not None:
        return problem
    app.page = app.entry
    channel.send({"page": app.entry})
    at = AppTest.from_file(entry_path, default_timeout=app.timeout + APPTEST_TIMEOUT_SLACK)
    at.run()
    failure = _failure(app, at, mode)
    if failure is not None:
        return failure

    entry_dir = app.entry.rpartition("/")[0]
    prefix = entry_dir + "/" if entry_dir else ""
    not_run = []
    for path in sorted(app.files):
        if path == app.entry or not path.endswith(".py") or not path.startswith(prefix):
            continue
        try:
            at.switch_page(path[len(prefix) :])
        except ValueError:  # not a page of this app
            continue
        problem = _precompile(app, path)
        if problem is not None and problem["status"] == "skipped":
            not_run.append(problem["detail"].split(", so ")[0])
            continue
        if problem is not None:
            return problem
        app.page = path
        channel.send({"page": path})
        CAPTURE.clear()
        at.run()
        failure = _failure(app, at, mode)
        if failure is not None:
            return failure
    detail = ("some pages were not run: " + "; ".join(not_run)) if not_run else None
    return outcome("ok", detail=detail)


def _precompile(app: App, path: str) -> dict | None:
    """Compile a page as stlite does. Streamlit itself reports a page's compile error only to
    the browser, so AppTest would see an empty page; and it cannot run top-level await."""
    filename = os.path.join(app.root, *path.split("/"))
    with open(filename, "rb") as f:
        source = f.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = compile(source, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except SyntaxError as exc:
        return _syntax_failure(app, exc)
    except ValueError as exc:  # null bytes
        return outcome("exception", path, None, f"ValueError: {exc}")
    if code.co_flags & inspect.CO_COROUTINE:  # the module awaits at top level
        line = _first_await_line(source)
        where = f" (line {line})" if line else ""
        return outcome(
            "skipped",
            path,
            line,
            detail=f"{path} uses top-level await{where}, which stlite runs but Streamlit's AppTest "
            "cannot, so this app was not run; set check: imports for this block to leave the run out",
        )
    return None


def _first_await_line(source: bytes) -> int | None:
    try:
        tree = ast.parse(source)  # the parser accepts a top-level await; only the compiler refuses it
    except (SyntaxError, ValueError):
        return None
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    pending = list(ast.iter_child_nodes(tree))
    found = []
    while pending:
        node = pending.pop()
        if isinstance(node, scopes):
            continue
        if isinstance(node, (ast.Await, ast.AsyncFor, ast.AsyncWith)):
            found.append(node.lineno)
        pending.extend(ast.iter_child_nodes(node))
    return min(found) if found else None


# ------------------------------------------------------------------ failures
def _failure(app: App, at, mode: str) -> dict | None:
    if mode == "log":
        return _from_exception(app, CAPTURE.exceptions[0]) if CAPTURE.exceptions else None
    elements = list(at.exception)
    return _from_element(app, elements[0]) if elements else None


def _app_frames(app: App, tb) -> list[traceback.FrameSummary]:
    """The traceback's frames inside app files, renamed to app paths."""
    frames = []
    for frame in traceback.extract_tb(tb):
        path = app.app_path(frame.filename)
        if path is not None:
            frames.append(traceback.FrameSummary(path, frame.lineno, frame.name, lookup_line=False, line=frame.line))
    return frames


def _from_exception(app: App, exc: BaseException) -> dict:
    frames = _app_frames(app, exc.__traceback__)
    path, line = (frames[-1].filename, frames[-1].lineno) if frames else (None, None)
    if isinstance(exc, SyntaxError):
        located = _syntax_failure(app, exc)
        if located is not None:
            return located
    source = frames[-1].line if frames else ""
    skipped = _environment_skip(app, exc, path, line, source)
    if skipped is not None:
        return skipped
    return outcome("exception", path, line, app.scrub(_one_line(exc)), _format(app, exc))


def _syntax_failure(app: App, exc: SyntaxError) -> dict | None:
    """A SyntaxError in an app file: the app's mistake, or (when the build's Python is not
    Pyodide's) code that only the newer Python reads."""
    syntax_path = app.app_path(exc.filename)
    if syntax_path is None:  # exec() of a string, say: the frame that called it is the place
        return None
    if sys.version_info[:2] != app.target:
        have = f"{sys.version_info[0]}.{sys.version_info[1]}"
        want = ".".join(map(str, app.target))
        return outcome(
            "skipped",
            syntax_path,
            exc.lineno,
            detail=f"the build's Python {have} cannot compile line {exc.lineno} of {syntax_path} "
            f"({type(exc).__name__}: {exc.msg}), which Pyodide's Python {want} may accept, "
            f"so this app was not run; build with Python {want} to run it",
        )
    return outcome("exception", syntax_path, exc.lineno, f"{type(exc).__name__}: {exc.msg}", _format(app, exc))


def _environment_skip(app: App, exc: BaseException, path, line, source: str | None) -> dict | None:
    """ "skipped" when the build environment, not the app, is what failed."""
    where = f" on line {line} of {path}" if path else ""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        top = exc.name.partition(".")[0]
        if top in app.modules:
            return None  # one of the app's own files: the app's mistake
        if top in BROWSER_ONLY:
            return outcome(
                "skipped",
                path,
                line,
                detail=f"the app imports {exc.name!r}{where}, which exists only in the browser "
                "(Pyodide), so it was not run; set check: imports for this block to leave the run out",
            )
        verb = "imported" if (source or "").lstrip().startswith(("import ", "from ")) else "needed"
        at = f" ({verb}{where})" if path else ""
        dist = DISTRIBUTIONS.get(exc.name) or DISTRIBUTIONS.get(top) or top
        return outcome(
            "skipped",
            path,
            line,
            detail=f"the build environment lacks {exc.name!r}{at}, so this app was not run: "
            f"pip install {dist} into the build environment, or set check: imports for this block",
        )
    network = _network_error(exc)
    if network is not None:
        return outcome(
            "skipped",
            path,
            line,
            detail=f"the app could not reach the network from the build ({app.scrub(_one_line(network))}"
            f"{where}), so its run was cut short; set check: imports for this block to leave the run out",
        )
    return None


def _network_error(exc: BaseException) -> BaseException | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, urllib.error.HTTPError):
            return None  # a server answered: the network works
        if isinstance(exc, (ConnectionError, socket.gaierror, socket.herror, urllib.error.URLError)):
            return exc
        if any(cls.__name__ in NETWORK_ERROR_NAMES for cls in type(exc).__mro__):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _type_name(exc: BaseException) -> str:
    cls = type(exc)
    module = cls.__module__
    return cls.__qualname__ if module in ("builtins", "__main__", None) else f"{module}.{cls.__qualname__}"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, SyntaxError) and exc.msg:
        text = exc.msg
    first = text.splitlines()[0].strip() if text else ""
    return f"{_type_name(exc)}: {first}" if first else _type_name(exc)


def _format(app: App, exc: BaseException) -> str:
    """The traceback as Python prints it, with only app frames, named by app paths."""
    te = traceback.TracebackException(type(exc), exc, exc.__traceback__, lookup_lines=True)
    seen = set()
    pending = [(te, exc)]
    while pending:
        node, original = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node.stack = traceback.StackSummary.from_list(_app_frames(app, original.__traceback__))
        if getattr(node, "filename", None):
            node.filename = app.app_path(node.filename) or node.filename
        for attr in ("__cause__", "__context__"):
            child, child_exc = getattr(node, attr, None), getattr(original, attr, None)
            if child is not None and child_exc is not None:
                pending.append((child, child_exc))
    return app.scrub("".join(te.format()))


_FRAME = re.compile(r'^File "(?P<file>.*)", line (?P<line>\d+), in (?P<name>.*)$')


def _from_element(app: App, element) -> dict:
    """An exception element (the "elements" mode): its type, message and stack-trace text."""
    proto = element.proto
    kind = getattr(proto, "type", "") or "Exception"
    message = (getattr(element, "message", "") or "").strip()
    frames = []
    for entry in getattr(element, "stack_trace", []) or []:
        rows = entry.splitlines()
        match = _FRAME.match(rows[0].strip()) if rows else None
        if match is None:
            continue
        path = app.app_path(match["file"])
        if path is not None:
            code = rows[1].strip() if len(rows) > 1 else ""
            frames.append(traceback.FrameSummary(path, int(match["line"]), match["name"], lookup_line=False, line=code))
    path, line = (frames[-1].filename, frames[-1].lineno) if frames else (None, None)
    first = message.splitlines()[-1 if kind == "SyntaxError" else 0].strip() if message else ""
    if kind == "SyntaxError" and first.startswith("SyntaxError:"):
        first = first[len("SyntaxError:") :].strip()
    one_line = app.scrub(f"{kind}: {first}" if first else kind)
    if kind == "ModuleNotFoundError":
        name = re.search(r"No module named '([^']+)'", message)
        if name:
            fake = ModuleNotFoundError(message, name=name[1])
            skipped = _environment_skip(app, fake, path, line, frames[-1].line if frames else "")
            if skipped is not None:
                return skipped
    text = ""
    if frames:
        text = "Traceback (most recent call last):\n" + "".join(traceback.StackSummary.from_list(frames).format())
    text += (one_line if kind != "SyntaxError" else app.scrub(f"{kind}: {first}")) + "\n"
    return outcome("exception", path, line, one_line, text)


# ------------------------------------------------------------------ timeouts
def _on_timeout(app: App, channel: Channel, main_ident: int) -> None:
    """Say where the app was, then end this process (nothing else stops a runaway loop)."""
    path = line = None
    me = threading.get_ident()
    for ident, frame in sys._current_frames().items():
        if ident in (me, main_ident):
            continue
        while frame is not None:
            found = app.app_path(frame.f_code.co_filename)
            if found is not None:
                path, line = found, frame.f_lineno
                break
            frame = frame.f_back
        if path is not None:
            break
    if path is not None:
        where = f" (it was running line {line} of {path})"
    else:
        path, where = app.page, f" (it was running {app.page})"
    message = f"the app did not finish within {app.timeout:g} s{where}"
    if channel.send_final({"outcome": outcome("timeout", path, line, message), "restart": True}):
        os._exit(0)


# ------------------------------------------------------------------ state between apps
def _save_state() -> dict:
    return {
        "cwd": os.getcwd(),
        "path": list(sys.path),
        "environ": dict(os.environ),
        "main": sys.modules.get("__main__"),
        "warnings": list(warnings.filters),
        "argv": list(sys.argv),
        "recursion": sys.getrecursionlimit(),
        "streams": (sys.stdin, sys.stdout, sys.stderr),
    }


def _restore_state(saved: dict, app: App) -> None:
    os.chdir(saved["cwd"])
    sys.path[:] = saved["path"]
    if dict(os.environ) != saved["environ"]:
        os.environ.clear()
        os.environ.update(saved["environ"])
    if saved["main"] is not None:
        sys.modules["__main__"] = saved["main"]
    warnings.filters[:] = saved["warnings"]
    sys.argv[:] = saved["argv"]
    sys.setrecursionlimit(saved["recursion"])
    sys.stdin, sys.stdout, sys.stderr = saved["streams"]
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        paths = list(getattr(module, "__path__", None) or [])
        if app.inside(file) or any(app.inside(p) for p in paths):
            del sys.modules[name]
    BLOCKER.app_modules = set()
    for cls, plain in CLASS_STATE.items():
        for name in [n for n in vars(cls) if not n.startswith("__") and n not in plain]:
            value = vars(cls)[name]
            if not isinstance(value, (types.FunctionType, property, staticmethod, classmethod)):
                delattr(cls, name)
        for name, value in plain.items():
            if vars(cls).get(name, object()) is not value:
                setattr(cls, name, value)
    CAPTURE.clear()
    linecache.clearcache()
    try:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
    except Exception:  # noqa: BLE001
        pass


# ------------------------------------------------------------------ main
def main() -> None:
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    channel = Channel(os.fdopen(os.dup(1), "w", encoding="utf-8"))
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    sys.dont_write_bytecode = True
    # Streamlit's own settings, whatever a config.toml says: plain logging (the capture above
    # reads it) and magic on, as in stlite.
    os.environ["STREAMLIT_LOGGER_ENABLE_RICH"] = "false"
    os.environ["STREAMLIT_RUNNER_MAGIC_ENABLED"] = "true"
    os.environ.setdefault("MPLBACKEND", "Agg")

    ready = start()
    channel.send(ready)
    if not ready.get("ready"):
        return
    mode = ready["mode"]
    for raw in requests:
        if not raw.strip():
            continue
        if not run_request(json.loads(raw), channel, mode):
            break  # something of that app is still running: the parent starts a new process


if __name__ == "__main__":
    main()
