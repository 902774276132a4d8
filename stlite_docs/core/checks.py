"""Build-time checks of apps: syntax, imports, and a headless run.

The ``check`` setting (site-wide) and block option pick how far to go; each level includes the
ones before it:

- ``off``: nothing.
- ``syntax`` (the default): every app file compiles as Python 3.13 (``check.syntax``).
- ``imports``: also, every top-level import resolves to the standard library, a file of the
  app, a package of Pyodide 0.29.3, or a declared requirement (``check.imports``).
- ``run``: also, the app runs once headlessly with Streamlit's ``AppTest`` in the build's
  Python, within ``check_timeout`` seconds (``check.run``; needs ``stlite-docs[check]``).

Problems point at the author's sources: an app file's line is mapped back through its
``Origin`` (the block body, or a source-tree file). The syntax check runs inside
``build_app``, file by file; ``check_app`` runs the others on the assembled app.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .._version import __version__
from ..check.cache import key_of
from .options import CHECK_LEVELS
from .problems import Problem


@dataclass(frozen=True)
class Origin:
    """Where the lines of one app file are in the author's sources."""

    #: a source-tree file (as authors see its path), or None for the block body
    path: str | None
    #: added to a line of the app file to give the line in ``path`` or in the body
    offset: int = 0


def includes(level: str, wanted: str) -> bool:
    """True when the check ``level`` includes the check ``wanted``."""
    return CHECK_LEVELS.index(level) >= CHECK_LEVELS.index(wanted)


def check_app(app, origins: Mapping[str, Origin], level: str, timeout: float, session) -> list[Problem]:
    """The ``imports`` and ``run`` checks of an assembled app (``core.spec.App``), with the
    build's ``session`` (``core.session.BuildSession``)."""
    if not includes(level, "imports"):
        return []
    contents = _contents(app)
    problems = _check_imports(app, contents, origins)
    if includes(level, "run") and not problems:  # an unresolved import would only fail the run
        problems += _check_run(app, contents, origins, timeout, session)
    return problems


def _contents(app) -> dict[str, str | bytes]:
    """Every file of the app: text for Python files, bytes for other published files."""
    contents: dict[str, str | bytes] = {}
    for f in app.files:
        if f.text is not None:
            contents[f.path] = f.text
        else:
            data = Path(f.source).read_bytes()
            contents[f.path] = data.decode("utf-8", errors="replace") if f.path.endswith(".py") else data
    return contents


def _locate(origins: Mapping[str, Origin], path: str | None, line: int | None) -> tuple[int | None, str | None]:
    """(line, path) of a Problem for ``line`` of the app file ``path``."""
    origin = origins.get(path or "")
    if origin is None or line is None:
        return None, None
    return line + origin.offset, origin.path


# ------------------------------------------------------------------ imports
def _check_imports(app, contents, origins) -> list[Problem]:
    from ..check.imports import check_imports

    sources = {path: text for path, text in contents.items() if path.endswith(".py") and isinstance(text, str)}
    problems = []
    # autoload: the loader mounts apps with moduleAutoLoad, so Pyodide packages need no requirement
    for found in check_imports(sources, list(app.requirements), autoload=True):
        line, path = _locate(origins, found.path, found.line)
        problems.append(Problem("import", found.message, line, path))
    return problems


# ------------------------------------------------------------------ run
#: Outcomes that depend on the app alone, so they may be cached; "skipped" and "unavailable"
#: depend on the build environment, which may change without the app changing.
_CACHEABLE = {"ok", "exception", "timeout"}


@functools.lru_cache(maxsize=1)
def _streamlit_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("streamlit")
    except PackageNotFoundError:
        return "none"


def _check_run(app, contents, origins, timeout: float, session) -> list[Problem]:
    key = key_of(
        "run",
        __version__,
        _streamlit_version(),
        sys.version,
        app.entrypoint,
        repr(timeout),
        *sorted(app.requirements),
        *(part for path in sorted(contents) for part in (path, contents[path])),
    )
    outcome = session.run_cache.get(key)
    if not isinstance(outcome, dict):
        result = session.runner.run(contents, app.entrypoint, timeout=timeout)
        outcome = {name: getattr(result, name, None) for name in ("status", "path", "line", "message", "traceback", "detail")}
        if outcome["status"] in _CACHEABLE:
            session.run_cache.put(key, outcome)
    return _run_problems(outcome, origins, timeout, session.said)


def _run_problems(outcome: dict, origins, timeout: float, said: set[str]) -> list[Problem]:
    status = outcome.get("status")
    if status == "exception":
        line, path = _locate(origins, outcome.get("path"), outcome.get("line"))
        trace = (outcome.get("traceback") or "").rstrip()
        message = f"the app failed on its headless run: {outcome.get('message')}"
        if trace:
            message += "\n" + "\n".join("    " + row for row in trace.splitlines())
        return [Problem("run", message, line, path)]
    if status == "timeout":
        # Where the code was when it was stopped, if the run could tell; else the block.
        line, path = _locate(origins, outcome.get("path"), outcome.get("line"))
        return [
            Problem(
                "run",
                f"the app's headless run did not finish within {timeout:g} s (an endless loop?); "
                "raise check_timeout, or set 'check: imports' on this block",
                line,
                path,
            )
        ]
    if status == "unavailable":
        detail = outcome.get("detail") or "the run check cannot run here"
        if detail in said:  # say it once per build, not once per app
            return []
        said.add(detail)
        return [Problem("run", detail)]
    if status == "skipped":
        return [Problem("run", f"not run: {outcome.get('detail')}", note=True)]
    return []
