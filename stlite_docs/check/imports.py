"""The ``imports`` check: every top-level import of an app must be importable in the browser.

``check_imports(files, requirements)`` reads each ``.py`` file of an app once with
``ast.parse`` and returns an ``UnresolvedImport`` for each module that stlite 1.9.2 on
Pyodide 0.29.3 (Python 3.13) would fail to import. It never raises: a file that does not
parse gives nothing here (the syntax check reports it; note that the build's own Python parses
here, so on a build Python older than 3.12 a file using newer syntax is skipped).

Which imports count
-------------------
Statements that run when the file runs: module level, including inside module-level ``if``/
``else``, ``with``, ``for``/``while``, ``match`` and ``try`` blocks. Not counted: imports inside
functions and classes; the body (and ``else``) of a ``try`` whose handlers catch
``ImportError``, ``ModuleNotFoundError``, ``Exception``, ``BaseException`` or everything (the
optional-import idiom; its handlers and ``finally`` do count, as the fallback runs); the body of
``if TYPE_CHECKING:``. ``import a.b.c`` and ``from a.b import c`` are checked by their first
name, ``a``. Each missing name is reported once per file, at its first import.

What resolves an import (checked in this order)
-----------------------------------------------
1. A module of the app's files (the app folder is on ``sys.path``): ``helpers.py`` gives
   ``helpers``; any ``.py`` file under ``pkg/`` gives ``pkg`` (packages, and namespace packages
   without ``__init__.py``); so ``pages/two.py`` is importable as ``pages.two``, never ``two``.
   Other files (``data/x.csv``) are not modules.
2. What stlite installs before every app (``stlite-1.9.2.json``, derived from stlite's build by
   ``scripts/generate_check_data.py``): Streamlit and its dependencies (altair, numpy, pandas,
   pillow ``PIL``, protobuf ``google``, jinja2, jsonschema, narwhals, ...), ``micropip``, and
   ``pyarrow`` (a stub: it imports, but fails when used); and Pyodide's own modules
   (``pyodide``, ``js``, ``pyodide_js``).
3. A declared requirement: its import names are those Pyodide's lock lists for it (and for the
   lock packages it depends on, which micropip installs with it), those ``IMPORT_NAMES``,
   ``DISTRIBUTION_IMPORTS`` and ``NAMESPACE_PREFIXES`` below give it, its name with ``-``/``.``
   as ``_`` and, for a dotted name (``ruamel.yaml``), its first part; compared without regard
   to case or ``-``/``_``. (The dependencies of a package micropip fetches from the package
   index are unknown here: an app must declare what it imports itself.)
4. The Python 3.13 standard library (``stdlib-3.13.json``), except the modules Pyodide 0.29.3
   does not have (``tkinter``, ``curses``, ``pwd``, ``termios``, ``venv``...: reported) and those
   it ships as separate packages (``sqlite3``, ``lzma``, ``_hashlib``...: like the next case).
5. A package of Pyodide 0.29.3 (``pyodide-0.29.3.json``, from its ``pyodide-lock.json``) is
   *not* enough on its own: stlite's ``mount()`` leaves its kernel's ``moduleAutoLoad`` off, so
   Pyodide only notes "is included in the Pyodide distribution, but it is not installed" and the
   import fails unless the package is in the requirements. ``check_imports(..., autoload=True)``
   accepts them, for a runtime that loads packages on import.

Relative imports (``from ..core.checks import x``, ``from ..core.checks.mod import y``) resolve against the app's files
from the importing file's folder (a file of the app folder counts the app folder as its
package): ``mod.py`` or a folder ``mod/`` must exist there.

Messages (``UnresolvedImport.message``; ``reason`` names the case)
------------------------------------------------------------------
- ``missing``: "module 'foo' (imported on line 3 of streamlit_app.py) is not in the standard
  library, the app's files, Pyodide 0.29.3 or the requirements: add 'foo' to requirements"
- ``undeclared``: "module 'sklearn' (imported on line 3 of streamlit_app.py) is in Pyodide
  0.29.3, but stlite loads it only when it is in the requirements: add 'scikit-learn' to
  requirements" (for ``sqlite3`` and the like: "is a standard-library module that Pyodide
  0.29.3 ships separately, and stlite loads it only when it is in the requirements: ...")
- ``misspelt``: either beginning, then "...: the requirement 'plotlyy' looks misspelt: did you
  mean 'plotly'?" -- when a declared requirement that is no known distribution and resolves
  nothing the app imports is a close match (``difflib``, ratio >= 0.8) of the requirement the
  import needs.
- ``not-in-pyodide``: "module 'tkinter' (imported on line 2 of streamlit_app.py) is in Python's
  standard library but not in Pyodide 0.29.3: it cannot be imported in the browser"
- ``misplaced``: "module 'helpers' (imported on line 2 of pages/two.py) is not importable by that
  name: the app's file lib/helpers.py is imported as 'lib.helpers'"
- ``relative``: "relative import '.helpers' (line 3 of pkg/mod.py) matches no file of the app:
  expected pkg/helpers.py or a folder pkg/helpers/", or "relative import '..x' (line 3 of
  streamlit_app.py) goes above the app's folder"

The requirement to add is the Pyodide lock's name for a lock module (``PIL`` -> ``pillow``),
else ``IMPORT_NAMES``' (``cv2`` -> ``opencv-python``), else the module's name.
"""

from __future__ import annotations

import ast
import difflib
import functools
import json
import posixpath
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from ..runtime import PYODIDE_VERSION, STLITE_VERSION

#: The Python version Pyodide ``PYODIDE_VERSION`` runs; names the standard-library data file.
PYTHON_VERSION = "3.13"

#: Well-known import names whose distribution is named differently (import -> the
#: distribution to require). Used after Pyodide's lock, which has its own packages' names.
IMPORT_NAMES: dict[str, str] = {
    "Bio": "biopython",
    "Crypto": "pycryptodome",
    "Cryptodome": "pycryptodomex",
    "Levenshtein": "levenshtein",
    "MySQLdb": "mysqlclient",
    "OpenSSL": "pyopenssl",
    "PIL": "pillow",
    "attr": "attrs",
    "box": "python-box",
    "bs4": "beautifulsoup4",
    "cairo": "pycairo",
    "community": "python-louvain",
    "cpuinfo": "py-cpuinfo",
    "cv2": "opencv-python",
    "dateutil": "python-dateutil",
    "decouple": "python-decouple",
    "discord": "discord.py",
    "dns": "dnspython",
    "docx": "python-docx",
    "dotenv": "python-dotenv",
    "faiss": "faiss-cpu",
    "fitz": "pymupdf",
    "gi": "pygobject",
    "git": "gitpython",
    "github": "pygithub",
    "google": "protobuf",
    "janitor": "pyjanitor",
    "jose": "python-jose",
    "jwt": "pyjwt",
    "magic": "python-magic",
    "msoffcrypto": "msoffcrypto-tool",
    "multipart": "python-multipart",
    "nacl": "pynacl",
    "newspaper": "newspaper3k",
    "osgeo": "gdal",
    "pdfminer": "pdfminer.six",
    "pkg_resources": "setuptools",
    "pptx": "python-pptx",
    "pywt": "pywavelets",
    "ruamel": "ruamel.yaml",
    "serial": "pyserial",
    "skimage": "scikit-image",
    "skfuzzy": "scikit-fuzzy",
    "sklearn": "scikit-learn",
    "skopt": "scikit-optimize",
    "slugify": "python-slugify",
    "socks": "pysocks",
    "st_aggrid": "streamlit-aggrid",
    "surprise": "scikit-surprise",
    "telegram": "python-telegram-bot",
    "umap": "umap-learn",
    "usb": "pyusb",
    "websocket": "websocket-client",
    "wx": "wxpython",
    "yaml": "pyyaml",
    "zmq": "pyzmq",
}

#: Distributions that provide an import of ``IMPORT_NAMES`` under another name (variants and
#: old names), and ones that provide more than one import name.
DISTRIBUTION_IMPORTS: dict[str, tuple[str, ...]] = {
    "attrs": ("attr", "attrs"),
    "faiss-gpu": ("faiss",),
    "msgpack-python": ("msgpack",),
    "opencv-contrib-python": ("cv2",),
    "opencv-contrib-python-headless": ("cv2",),
    "opencv-python-headless": ("cv2",),
    "psycopg2-binary": ("psycopg2",),
    "pymupdf": ("fitz", "pymupdf"),
    "python-levenshtein": ("Levenshtein",),
    "python-multipart": ("multipart", "python_multipart"),
    "setuptools": ("setuptools", "pkg_resources", "_distutils_hack"),
    "tensorflow-cpu": ("tensorflow",),
}

#: Distribution name prefixes of namespace packages: ``google-cloud-storage`` -> ``google``.
NAMESPACE_PREFIXES: dict[str, str] = {"google-": "google", "azure-": "azure"}

_OPTIONAL_CATCHES = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_NAME_PART = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
#: how close a declared requirement must be to the needed one to be called a misspelling
_MISSPELLING_CUTOFF = 0.8


@dataclass(frozen=True)
class UnresolvedImport:
    """One import an app's file makes that would fail in the browser."""

    #: the app file, as given to ``check_imports`` (``streamlit_app.py``, ``pages/two.py``)
    path: str
    #: 1-based line of the import in that file
    line: int
    #: the module as written: ``sklearn.linear_model``; relative: ``.helpers`` (for
    #: ``from ..core.checks import x``: ``.x``)
    module: str
    #: its first name: ``sklearn``; relative: the module as written
    top: str
    #: the requirement that would provide it (``scikit-learn``), or None when no requirement
    #: can (a relative import, a file of the app, a module Pyodide lacks)
    requirement: str | None
    #: the whole one-line message authors see
    message: str
    #: ``missing``, ``undeclared``, ``misspelt``, ``not-in-pyodide``, ``misplaced`` or ``relative``
    reason: str = "missing"


# ----------------------------------------------------------------------------- data
@dataclass(frozen=True)
class _Data:
    stdlib: frozenset[str]
    missing_stdlib: frozenset[str]
    preloaded: frozenset[str]  # stlite's installs and Pyodide's own modules
    preloaded_distributions: frozenset[str]
    lock_imports: Mapping[str, str]  # import name -> lock package
    lock_packages: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]  # key -> (imports, depends)
    unvendored: frozenset[str]  # import names of the lock's standard-library packages
    autoload: bool


def _load(name: str) -> dict:
    return json.loads((resources.files(__package__) / "data" / name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _data() -> _Data:
    stdlib = _load(f"stdlib-{PYTHON_VERSION}.json")
    pyodide = _load(f"pyodide-{PYODIDE_VERSION}.json")
    stlite = _load(f"stlite-{STLITE_VERSION}.json")
    packages = pyodide["packages"]
    lock_imports: dict[str, str] = {}
    for key in sorted(packages):
        for name in packages[key]["imports"]:
            lock_imports.setdefault(name, key)
    return _Data(
        stdlib=frozenset(stdlib["modules"]),
        missing_stdlib=frozenset(pyodide["missing_stdlib"]),
        preloaded=frozenset(stlite["imports"]) | frozenset(pyodide["builtin"]),
        preloaded_distributions=frozenset(stlite["distributions"]),
        lock_imports=lock_imports,
        lock_packages={k: (tuple(v["imports"]), tuple(v["depends"])) for k, v in packages.items()},
        unvendored=frozenset(n for v in packages.values() if v.get("unvendored") for n in v["imports"]),
        autoload=bool(stlite.get("module_autoload", False)),
    )


@functools.cache
def _lock_closure_imports(key: str) -> frozenset[str]:
    """Import names of lock package ``key`` and of every lock package it depends on."""
    packages = _data().lock_packages
    seen, todo, names = set(), [key], set()
    while todo:
        current = todo.pop()
        if current in seen or current not in packages:
            continue
        seen.add(current)
        imports, depends = packages[current]
        names.update(imports)
        todo.extend(depends)
    return frozenset(names)


@functools.lru_cache(maxsize=1)
def _known_distributions() -> dict[str, frozenset[str]]:
    """Canonical distribution -> import names, from ``IMPORT_NAMES`` and ``DISTRIBUTION_IMPORTS``."""
    known: dict[str, set[str]] = {}
    for name, dist in IMPORT_NAMES.items():
        known.setdefault(canonicalize_name(dist), set()).add(name)
    for dist, names in DISTRIBUTION_IMPORTS.items():
        known.setdefault(canonicalize_name(dist), set()).update(names)
    return {dist: frozenset(names) for dist, names in known.items()}


def _key(name: str) -> str:
    """Import names compared as requirement names are: no case, ``-``/``.`` as ``_``."""
    return re.sub(r"[-_.]+", "_", name).lower()


@dataclass(frozen=True)
class _Declared:
    written: str  # the name as the requirement spells it
    canonical: str
    keys: frozenset[str]  # ``_key`` of every import name it provides
    known: bool  # a distribution this module knows (lock, tables, stlite's installs)


@functools.lru_cache(maxsize=4096)
def _declared(spec: str) -> _Declared | None:
    try:
        written = Requirement(spec).name
    except (InvalidRequirement, TypeError, ValueError):
        match = _NAME_PART.match(spec) if isinstance(spec, str) else None
        if not match:
            return None
        written = match.group(1)
    canonical = canonicalize_name(written)
    data = _data()
    names = {canonical.replace("-", "_")}
    if "." in written:
        names.add(written.split(".", 1)[0])
    for prefix, namespace in NAMESPACE_PREFIXES.items():
        if canonical.startswith(prefix):
            names.add(namespace)
    known_dists = _known_distributions()
    names |= known_dists.get(canonical, frozenset())
    in_lock = canonical in data.lock_packages
    if in_lock:
        names |= _lock_closure_imports(canonical)
    known = in_lock or canonical in known_dists or canonical in data.preloaded_distributions
    return _Declared(written, canonical, frozenset(_key(n) for n in names), known)


def _requirement_for(top: str) -> str:
    """The requirement that provides the import ``top``."""
    data = _data()
    if top in data.lock_imports:
        return data.lock_imports[top]
    return IMPORT_NAMES.get(top, top)


# ----------------------------------------------------------------------------- the app's modules
@dataclass
class _AppFiles:
    paths: frozenset[str]  # normalized .py paths without ".py": "pkg/mod"
    folders: frozenset[str]  # every folder that holds a .py file at any depth: "pkg", "pkg/sub"
    tops: frozenset[str]  # importable top-level names

    @classmethod
    def of(cls, paths: Iterable[str]) -> _AppFiles:
        modules, folders, tops = set(), set(), set()
        for path in paths:
            parts = path[:-3].split("/")
            modules.add("/".join(parts))
            tops.add(parts[0])
            for i in range(1, len(parts)):
                folders.add("/".join(parts[:i]))
        return cls(frozenset(modules), frozenset(folders), frozenset(tops))

    def exists(self, parts: Sequence[str]) -> bool:
        joined = "/".join(parts)
        return joined in self.paths or joined in self.folders

    def elsewhere(self, top: str) -> str | None:
        """A deeper module or folder named ``top``, as ``folder/top.py`` (or ``folder/top/``)."""
        found = sorted(
            [(p.count("/"), p + ".py") for p in self.paths if "/" in p and p.rsplit("/", 1)[1] == top]
            + [(f.count("/"), f + "/") for f in self.folders if "/" in f and f.rsplit("/", 1)[1] == top]
        )
        for _, where in found:
            dotted = where.rstrip("/").removesuffix(".py").split("/")
            if all(part.isidentifier() for part in dotted):
                return where
        return None


def _normalize(path: str) -> str | None:
    """A Python file's path inside the app, posix and normalized (``""`` for a path that
    leaves the app folder: read, but no module); None for any other file."""
    if not isinstance(path, str) or not path.endswith(".py"):
        return None
    normal = posixpath.normpath(path.replace("\\", "/"))
    if normal.startswith(("/", "../")) or normal in (".", ".."):
        return ""
    return normal


# ----------------------------------------------------------------------------- reading a file
@dataclass(frozen=True)
class _Import:
    line: int
    level: int  # 0: absolute
    module: str | None  # dotted, as written (without the dots of a relative import)
    names: tuple[str, ...]  # what ``from ... import`` takes (for relative imports)


def _parse(text) -> ast.Module | None:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except Exception:  # SyntaxError, ValueError (NUL bytes), RecursionError, MemoryError...
        return None


def _catches_import_errors(handler: ast.ExceptHandler) -> bool:
    kind = handler.type
    kinds = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    for item in kinds:
        if item is None:
            return True
        name = item.id if isinstance(item, ast.Name) else item.attr if isinstance(item, ast.Attribute) else None
        if name in _OPTIONAL_CATCHES:
            return True
    return False


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


_TRY = (ast.Try, ast.TryStar) if hasattr(ast, "TryStar") else (ast.Try,)
_MATCH = getattr(ast, "Match", None)


def _top_level_imports(tree: ast.Module) -> list[_Import]:
    """The imports that run when the module runs, in source order."""
    found: list[_Import] = []
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(_Import(getattr(alias, "lineno", node.lineno), 0, alias.name, ()))
        elif isinstance(node, ast.ImportFrom):
            found.append(_Import(node.lineno, node.level or 0, node.module, tuple(a.name for a in node.names)))
        elif isinstance(node, ast.If):
            stack += node.orelse if _is_type_checking(node.test) else node.body + node.orelse
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            stack += node.body + node.orelse
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            stack += node.body
        elif isinstance(node, _TRY):
            optional = any(_catches_import_errors(h) for h in node.handlers)
            if not optional:
                stack += node.body + node.orelse
            for handler in node.handlers:
                stack += handler.body
            stack += node.finalbody
        elif _MATCH is not None and isinstance(node, _MATCH):
            for case in node.cases:
                stack += case.body
    found.sort(key=lambda item: item.line)
    return found


# ----------------------------------------------------------------------------- the check
def check_imports(
    files: Mapping[str, str], requirements: Sequence[str], *, autoload: bool | None = None
) -> list[UnresolvedImport]:
    """The top-level imports of the app's ``.py`` files that would fail in the browser.

    ``files``: app path -> text (only ``.py`` files are read; other files are not modules).
    ``requirements``: the app's PEP 508 requirements. ``autoload``: whether the runtime loads
    Pyodide packages on import (None: as the pinned stlite does, which is not).
    Sorted by path and line; never raises.
    """
    data = _data()
    if autoload is None:
        autoload = data.autoload
    try:
        items = list(files.items())
    except Exception:
        return []
    sources = [(path, normal, text) for path, text in items if (normal := _normalize(path)) is not None]
    app = _AppFiles.of(normal for _, normal, _ in sources if normal)
    declared = [d for d in map(_declared, _strings(requirements)) if d is not None]
    provided: dict[str, _Declared] = {}
    for item in declared:
        for key in item.keys:
            provided.setdefault(key, item)

    found: list[tuple[str, str, _Import, str]] = []  # (path, normalized path, import, top)
    used: set[str] = set()  # canonical names of requirements that resolve an import
    for path, normal, text in sorted(sources, key=lambda s: str(s[0])):
        tree = _parse(text)
        if tree is None:
            continue
        for item in _top_level_imports(tree):
            if item.level:
                found.append((path, normal, item, ""))
            elif item.module:
                top = item.module.split(".", 1)[0]
                found.append((path, normal, item, top))
                owner = provided.get(_key(top))
                if owner is not None:
                    used.add(owner.canonical)

    suspects = {d.canonical: d for d in declared if not d.known and d.canonical not in used}
    problems: list[UnresolvedImport] = []
    reported: set[tuple[str, str]] = set()
    for path, normal, item, top in found:
        if item.level:
            for problem in _relative(app, path, normal, item):
                if (path, problem.module) not in reported:
                    reported.add((path, problem.module))
                    problems.append(problem)
            continue
        if (path, top) in reported:
            continue
        problem = _absolute(data, app, provided, suspects, autoload, path, item, top)
        if problem is not None:
            reported.add((path, top))
            problems.append(problem)
    problems.sort(key=lambda p: (str(p.path), p.line))
    return problems


def _strings(requirements: Sequence[str]) -> list[str]:
    if isinstance(requirements, str):
        return [requirements]
    try:
        return [r for r in requirements if isinstance(r, str)]
    except Exception:
        return []


def _absolute(data: _Data, app: _AppFiles, provided, suspects, autoload, path, item: _Import, top: str):
    if top in app.tops or top in data.preloaded or _key(top) in provided:
        return None
    where = f"module '{top}' (imported on line {item.line} of {path})"
    lock = top in data.lock_imports
    if top in data.stdlib and top not in data.missing_stdlib and not (lock and top in data.unvendored):
        return None
    if lock and autoload:
        return None
    if top in data.missing_stdlib and not lock:
        message = (
            f"{where} is in Python's standard library but not in Pyodide {PYODIDE_VERSION}: it cannot be imported in the browser"
        )
        return UnresolvedImport(path, item.line, item.module, top, None, message, "not-in-pyodide")
    if not lock:
        elsewhere = app.elsewhere(top)
        if elsewhere is not None:
            dotted = elsewhere.rstrip("/").removesuffix(".py").replace("/", ".")
            what = "file" if elsewhere.endswith(".py") else "folder"
            message = f"{where} is not importable by that name: the app's {what} {elsewhere} is imported as '{dotted}'"
            return UnresolvedImport(path, item.line, item.module, top, None, message, "misplaced")
    requirement = _requirement_for(top)
    if lock and top in data.unvendored:
        prefix = (
            f"{where} is a standard-library module that Pyodide {PYODIDE_VERSION} ships separately, "
            "and stlite loads it only when it is in the requirements"
        )
    elif lock:
        prefix = f"{where} is in Pyodide {PYODIDE_VERSION}, but stlite loads it only when it is in the requirements"
    else:
        prefix = f"{where} is not in the standard library, the app's files, Pyodide {PYODIDE_VERSION} or the requirements"
    misspelt = _misspelling(requirement, top, suspects)
    if misspelt is not None:
        message = f"{prefix}: the requirement '{misspelt.written}' looks misspelt: did you mean '{requirement}'?"
        return UnresolvedImport(path, item.line, item.module, top, requirement, message, "misspelt")
    message = f"{prefix}: add '{requirement}' to requirements"
    reason = "undeclared" if lock else "missing"
    return UnresolvedImport(path, item.line, item.module, top, requirement, message, reason)


def _misspelling(requirement: str, top: str, suspects: Mapping[str, _Declared]) -> _Declared | None:
    """A declared requirement that looks like a misspelling of ``requirement`` (or of ``top``)."""
    if not suspects:
        return None
    candidates = sorted(suspects)
    for wanted in dict.fromkeys([canonicalize_name(requirement), canonicalize_name(top)]):
        close = difflib.get_close_matches(wanted, candidates, n=1, cutoff=_MISSPELLING_CUTOFF)
        if close:
            return suspects[close[0]]
    return None


def _relative(app: _AppFiles, path: str, normal: str, item: _Import) -> list[UnresolvedImport]:
    folder = normal.split("/")[:-1]
    dots = "." * item.level
    up = item.level - 1
    if up > len(folder):
        module = dots + (item.module or (item.names[0] if item.names else ""))
        message = f"relative import '{module}' (line {item.line} of {path}) goes above the app's folder"
        return [UnresolvedImport(path, item.line, module, module, None, message, "relative")]
    base = folder[: len(folder) - up]
    if item.module:
        targets = [(dots + item.module, item.module.split("."))]
    elif app.exists([*base, "__init__"]):
        return []  # ``from ..core.checks import x``: x may be a name defined in the package's __init__.py
    else:
        targets = [(dots + name, [name]) for name in item.names if name != "*"]
    problems = []
    for module, parts in targets:
        if app.exists(base + parts):
            continue
        where = "/".join(base + parts)
        message = (
            f"relative import '{module}' (line {item.line} of {path}) matches no file of the app: "
            f"expected {where}.py or a folder {where}/"
        )
        problems.append(UnresolvedImport(path, item.line, module, module, None, message, "relative"))
    return problems
