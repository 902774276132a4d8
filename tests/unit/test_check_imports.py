"""The ``imports`` check (``stlite_docs.check.imports``) and its data files."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stlite_docs.check.imports import UnresolvedImport, check_imports
from stlite_docs.runtime import PYODIDE_VERSION, STLITE_VERSION

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "stlite_docs" / "check" / "data"
SCRIPT = ROOT / "scripts" / "generate_check_data.py"
NPM = ROOT / ".cache" / "npm"
APP = "streamlit_app.py"


def check(code: str, requirements=(), **files) -> list[UnresolvedImport]:
    """The check on a one-file app (plus ``files``, keyword names with '__' for '/')."""
    app = {APP: code, **{name.replace("__", "/"): text for name, text in files.items()}}
    return check_imports(app, list(requirements))


def messages(code: str, requirements=(), **files) -> list[str]:
    return [found.message for found in check(code, requirements, **files)]


def tops(code: str, requirements=(), **files) -> list[str]:
    return [found.top for found in check(code, requirements, **files)]


def missing(top: str, line: int = 1, path: str = APP, requirement: str | None = None) -> str:
    return (
        f"module '{top}' (imported on line {line} of {path}) is not in the standard library, the app's files, "
        f"Pyodide 0.29.3 or the requirements: add '{requirement or top}' to requirements"
    )


def undeclared(top: str, requirement: str, line: int = 1, path: str = APP) -> str:
    return (
        f"module '{top}' (imported on line {line} of {path}) is in Pyodide 0.29.3, but stlite loads it only "
        f"when it is in the requirements: add '{requirement}' to requirements"
    )


# ----------------------------------------------------------------------------- what resolves
@pytest.mark.parametrize(
    "code",
    [
        "import os, sys, json, asyncio, tomllib, typing, dataclasses, zoneinfo",
        "from __future__ import annotations",
        "import collections.abc\nfrom importlib import metadata\nimport xml.etree.ElementTree as ET",
        "import hashlib, decimal, ssl",  # ssl: stlite installs it (anyio needs it)
        # stlite installs Streamlit and its dependencies before every app
        "import streamlit as st\nimport streamlit.components.v1 as components",
        "import numpy as np\nimport pandas as pd\nimport altair as alt\nfrom PIL import Image",
        "import google.protobuf\nimport jinja2, jsonschema, narwhals, packaging, typing_extensions, blinker",
        "import pyarrow\nimport micropip\nimport dateutil, pytz, fastparquet, starlette, anyio",
        # Pyodide's own modules
        "import pyodide\nfrom pyodide.http import pyfetch\nimport js\nimport pyodide_js",
    ],
)
def test_runtime_modules_resolve_without_requirements(code):
    assert check(code) == []


def test_app_files_are_modules():
    files = {
        APP: "import helpers\nimport pkg.sub\nimport ns.deep\nimport pages.two\nfrom pkg import thing\n",
        "helpers.py": "",
        "pkg/__init__.py": "",
        "ns/deep.py": "",  # a namespace package: no __init__.py
        "pages/two.py": "import helpers\n",  # the app folder is on sys.path for every page
        "data/cities.csv": "import nope\n",  # not a .py file: never read
    }
    assert check_imports(files, []) == []


def test_a_module_deep_in_a_namespace_package_makes_its_top_folder_importable():
    assert check_imports({APP: "import lib.sub.deep.m", "lib/sub/deep/m.py": ""}, []) == []


def test_other_files_are_not_modules():
    assert tops("import helpers\nimport data", **{"helpers.txt": "", "data/x.csv": ""}) == ["helpers", "data"]


def test_a_page_is_importable_only_through_pages():
    found = check_imports({APP: "", "pages/two.py": "import two\n", "pages/one.py": "import pages.two\n"}, [])
    assert [f.message for f in found] == [
        "module 'two' (imported on line 1 of pages/two.py) is not importable by that name: "
        "the app's file pages/two.py is imported as 'pages.two'"
    ]
    assert (found[0].reason, found[0].requirement) == ("misplaced", None)


def test_a_misplaced_folder_is_named():
    assert messages("import widgets\n", **{"lib/widgets/core.py": ""}) == [
        "module 'widgets' (imported on line 1 of streamlit_app.py) is not importable by that name: "
        "the app's folder lib/widgets/ is imported as 'lib.widgets'"
    ]


@pytest.mark.parametrize(
    ("requirement", "code"),
    [
        ("scikit-learn", "import sklearn.linear_model"),
        ("scikit-learn>=1.3", "from sklearn import datasets"),
        ("pillow", "from PIL import Image"),
        ("beautifulsoup4", "from bs4 import BeautifulSoup"),
        ("pyyaml", "import yaml"),
        ("PyYAML==6.0", "import yaml"),
        ("python-dateutil", "import dateutil.parser"),
        ("opencv-python", "import cv2"),
        ("opencv-python-headless", "import cv2"),
        ("opencv-contrib-python-headless", "import cv2"),
        ("attrs", "import attr\nimport attrs"),
        ("protobuf", "from google.protobuf import message"),
        ("pymupdf", "import fitz\nimport pymupdf"),
        ("scikit-image", "from skimage import io"),
        ("faiss-cpu", "import faiss"),
        ("faiss-gpu", "import faiss"),
        ("py-cpuinfo", "import cpuinfo"),
        ("msgpack-python", "import msgpack"),
        ("python-dotenv", "from dotenv import load_dotenv"),
        ("python-levenshtein", "import Levenshtein"),
        ("levenshtein", "import Levenshtein"),
        ("ruamel.yaml", "from ruamel.yaml import YAML"),
        ("google-cloud-storage", "from google.cloud import storage"),
        ("rich[jupyter]", "import rich"),
        ("pandas>=2", "import pandas"),
        ("Foo-Bar", "import foo_bar"),
        ("foo.bar", "import foo_bar"),
        ("sentence-transformers", "import sentence_transformers"),
        ("streamlit-aggrid", "from st_aggrid import AgGrid"),
        ("mypkg @ https://example.com/mypkg-1.0-py3-none-any.whl", "import mypkg"),
        ("requests; python_version >= '3.8'", "import requests"),
        # a lock package brings its lock dependencies, which micropip installs with it
        ("matplotlib", "import matplotlib.pyplot\nimport mpl_toolkits\nimport pylab\nimport kiwisolver, cycler"),
        ("sqlite3", "import sqlite3"),
    ],
)
def test_a_requirement_provides_its_import_names(requirement, code):
    assert check(code, [requirement]) == []


def test_the_name_tables_agree_with_the_pyodide_lock():
    from packaging.utils import canonicalize_name

    from stlite_docs.check.imports import DISTRIBUTION_IMPORTS, IMPORT_NAMES

    packages = _json(f"pyodide-{PYODIDE_VERSION}.json")["packages"]
    lock = {name: key for key, item in packages.items() for name in item["imports"]}
    for name, dist in IMPORT_NAMES.items():
        assert name.isidentifier() and canonicalize_name(dist).replace("-", "_") != name, name
        if name in lock:
            assert canonicalize_name(dist) == lock[name], name
    for dist, names in DISTRIBUTION_IMPORTS.items():
        assert dist == canonicalize_name(dist) and all(n.isidentifier() for n in names)


def test_requirement_names_match_without_case_or_separators():
    assert check("import Some_Thing\nimport other_thing", ["some-thing", "Other.Thing"]) == []


# ----------------------------------------------------------------------------- what does not
def test_an_unknown_module_names_the_requirement_to_add():
    found = check("import streamlit as st\n\nimport plotly.express as px\n")
    assert found == [UnresolvedImport(APP, 3, "plotly.express", "plotly", "plotly", missing("plotly", 3), "missing")]


@pytest.mark.parametrize(
    ("code", "requirement"),
    [
        ("import dotenv", "python-dotenv"),
        ("import faiss", "faiss-cpu"),
        ("import cpuinfo", "py-cpuinfo"),
        ("import jwt", "pyjwt"),
        ("from st_aggrid import AgGrid", "streamlit-aggrid"),
        ("import Levenshtein", "levenshtein"),
    ],
)
def test_the_suggested_requirement_comes_from_the_table(code, requirement):
    [found] = check(code)
    assert found.requirement == requirement
    assert found.message == missing(found.top, requirement=requirement)


@pytest.mark.parametrize(
    ("code", "top", "requirement"),
    [
        ("import sklearn.linear_model", "sklearn", "scikit-learn"),
        ("from PIL import ImageDraw\nimport matplotlib.pyplot as plt", "matplotlib", "matplotlib"),
        ("import yaml", "yaml", "pyyaml"),
        ("import cv2", "cv2", "opencv-python"),
        ("import bs4", "bs4", "beautifulsoup4"),
        ("import fitz", "fitz", "pymupdf"),
        ("import requests", "requests", "requests"),
        ("import scipy.stats", "scipy", "scipy"),
    ],
)
def test_a_pyodide_package_must_be_declared(code, top, requirement):
    """stlite's mount() leaves moduleAutoLoad off: Pyodide does not load a package on import."""
    [found] = check(code)
    assert (found.top, found.requirement, found.reason) == (top, requirement, "undeclared")
    assert found.message == undeclared(top, requirement, line=code.count("\n") + 1)
    assert check_imports({APP: code}, [], autoload=True) == []
    assert check(code, [requirement]) == []


def test_an_unvendored_standard_library_module_must_be_declared():
    assert messages("import json\nimport sqlite3\n") == [
        "module 'sqlite3' (imported on line 2 of streamlit_app.py) is a standard-library module that "
        "Pyodide 0.29.3 ships separately, and stlite loads it only when it is in the requirements: "
        "add 'sqlite3' to requirements"
    ]
    assert tops("import lzma") == ["lzma"]
    assert check_imports({APP: "import sqlite3, lzma"}, [], autoload=True) == []


@pytest.mark.parametrize("top", ["tkinter", "curses", "pwd", "termios", "venv", "turtle", "readline"])
def test_a_standard_module_pyodide_lacks_is_reported_without_a_requirement(top):
    [found] = check(f"import os\nimport {top}\n")
    assert (found.requirement, found.reason, found.line) == (None, "not-in-pyodide", 2)
    assert found.message == (
        f"module '{top}' (imported on line 2 of streamlit_app.py) is in Python's standard library but not in "
        "Pyodide 0.29.3: it cannot be imported in the browser"
    )


def test_distutils_is_gone_in_313():
    assert messages("import distutils") == [missing("distutils")]


def test_a_misspelt_requirement_is_named():
    [found] = check("import streamlit as st\nimport plotly.express as px\n", ["plotlyy"])
    assert (found.requirement, found.reason) == ("plotly", "misspelt")
    assert found.message == (
        "module 'plotly' (imported on line 2 of streamlit_app.py) is not in the standard library, the app's "
        "files, Pyodide 0.29.3 or the requirements: the requirement 'plotlyy' looks misspelt: did you mean 'plotly'?"
    )


def test_a_misspelt_requirement_of_a_pyodide_package_is_named():
    assert messages("import matplotlib.pyplot as plt", ["numpy", "matplotlibb>=3"]) == [
        "module 'matplotlib' (imported on line 1 of streamlit_app.py) is in Pyodide 0.29.3, but stlite loads it "
        "only when it is in the requirements: the requirement 'matplotlibb' looks misspelt: did you mean 'matplotlib'?"
    ]


def test_a_misspelling_is_compared_with_the_distribution_name():
    [found] = check("import sklearn", ["scikit-lern"])
    assert found.message.endswith("the requirement 'scikit-lern' looks misspelt: did you mean 'scikit-learn'?")


def test_only_unknown_unused_requirements_are_called_misspelt():
    # 'requests' is a known distribution: the import is the likelier typo
    assert messages("import request", ["requests"]) == [missing("request")]
    # 'plotlyy' provides something the app imports: it is not a misspelling
    assert messages("import plotlyy\nimport plotly", ["plotlyy"]) == [missing("plotly", 2)]
    # not close enough
    assert messages("import plotly", ["seaborn"]) == [missing("plotly")]


def test_the_fields_of_a_from_import():
    [found] = check("import os\n\nfrom sklearn.linear_model import (\n    LinearRegression,\n)\n")
    assert (found.path, found.line, found.module, found.top) == (APP, 3, "sklearn.linear_model", "sklearn")


def test_each_name_of_an_import_statement_has_its_own_line():
    found = check("import os, \\\n    plotly, \\\n    bokeh\n")
    assert [(f.top, f.line) for f in found] == [("plotly", 2), ("bokeh", 3)]


# ----------------------------------------------------------------------------- which imports count
@pytest.mark.parametrize(
    "code",
    [
        "def f():\n    import nope\n",
        "async def f():\n    import nope\n",
        "class A:\n    import nope\n",
        "if True:\n    def f():\n        import nope\n",
        "try:\n    import nope\nexcept ImportError:\n    nope = None\n",
        "try:\n    import nope\nexcept ModuleNotFoundError:\n    pass\n",
        "try:\n    import nope\nexcept (ValueError, ImportError):\n    pass\n",
        "try:\n    import nope\nexcept builtins.ImportError:\n    pass\n",
        "try:\n    import nope\nexcept Exception:\n    pass\n",
        "try:\n    import nope\nexcept BaseException:\n    pass\n",
        "try:\n    import nope\nexcept:\n    pass\n",
        "try:\n    import nope\nexcept ImportError:\n    HAVE = False\nelse:\n    import nope.sub\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import nope\n",
        "import typing\nif typing.TYPE_CHECKING:\n    import nope\n",
        "lambda: __import__('nope')\n",
        "x = 'import nope'\n# import nope\n",
    ],
)
def test_imports_that_do_not_run_with_the_module_are_not_checked(code):
    assert check(code) == []


@pytest.mark.parametrize(
    "code",
    [
        "import nope\n",
        "if x:\n    pass\nelse:\n    import nope\n",
        "if x:\n    import nope\n",
        "with open('f') as f:\n    import nope\n",
        "for i in range(3):\n    import nope\n",
        "while False:\n    import nope\nelse:\n    pass\n",
        "match x:\n    case 1:\n        import nope\n",
        "try:\n    import nope\nexcept ValueError:\n    pass\n",
        "try:\n    import json\nexcept ImportError:\n    import nope\n",  # the fallback runs
        "try:\n    pass\nfinally:\n    import nope\n",
        "try:\n    import x1\nexcept ImportError:\n    pass\nfinally:\n    import nope\n",
        "if __name__ == '__main__':\n    import nope\n",  # Streamlit runs scripts as __main__
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\nelse:\n    import nope\n",
        "import asyncio\nawait asyncio.sleep(0)\nimport nope\n",  # top-level await: stlite allows it
    ],
)
def test_imports_that_run_with_the_module_are_checked(code):
    assert tops(code) == ["nope"]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="except* needs Python 3.11 to parse")
def test_except_star_import_error_is_the_optional_idiom_too():
    assert check("try:\n    import nope\nexcept* ImportError:\n    pass\n") == []
    assert tops("try:\n    import nope\nexcept* ValueError:\n    pass\n") == ["nope"]


def test_one_problem_per_module_and_file_at_its_first_import():
    files = {
        APP: "import plotly\nfrom plotly import express\nimport plotly.graph_objects as go\nimport bokeh\n",
        "pages/a.py": "import plotly\n",
    }
    found = check_imports(files, [])
    assert [(f.path, f.line, f.top) for f in found] == [
        ("pages/a.py", 1, "plotly"),
        (APP, 1, "plotly"),
        (APP, 4, "bokeh"),
    ]


# ----------------------------------------------------------------------------- relative imports
def test_relative_imports_resolve_against_the_app_files():
    files = {
        APP: "from . import helpers\nfrom .helpers import f\nfrom .pkg.sub import g\n",
        "helpers.py": "",
        "pkg/__init__.py": "from .sub import g\nfrom . import anything_in_init\nfrom .. import helpers\n",
        "pkg/sub.py": "from .deep import h\nfrom . import deep\n",
        "pkg/deep/h.py": "from .. import sub\nfrom ... import helpers\n",
    }
    assert check_imports(files, []) == []


def test_a_relative_import_of_a_missing_file():
    files = {
        APP: "import os\nfrom .helpers import f\n",
        "pkg/mod.py": "from .util import x\nfrom . import a, b\n",
        "pkg/a.py": "",
    }
    found = check_imports(files, [])
    assert [f.message for f in found] == [
        "relative import '.util' (line 1 of pkg/mod.py) matches no file of the app: expected pkg/util.py or a folder pkg/util/",
        "relative import '.b' (line 2 of pkg/mod.py) matches no file of the app: expected pkg/b.py or a folder pkg/b/",
        "relative import '.helpers' (line 2 of streamlit_app.py) matches no file of the app: expected helpers.py or a folder helpers/",
    ]
    assert {(f.reason, f.requirement) for f in found} == {("relative", None)}
    assert (found[0].module, found[0].top) == (".util", ".util")


def test_a_relative_import_above_the_app_folder():
    found = check_imports({APP: "from .. import x\n", "pkg/m.py": "from ...up import y\n"}, [])
    assert [f.message for f in found] == [
        "relative import '...up' (line 1 of pkg/m.py) goes above the app's folder",
        "relative import '..x' (line 1 of streamlit_app.py) goes above the app's folder",
    ]


def test_a_star_import_from_the_app_folder():
    assert check("from . import *\n") == []


# ----------------------------------------------------------------------------- robustness
@pytest.mark.parametrize(
    "text",
    ["def (:\n", "import plotly\nx = (\n", "import plotly\0\n", "\ufeffimport os\n", "", "if x:\nimport y\n"],
)
def test_a_file_that_does_not_parse_gives_no_import_problems(text):
    found = check_imports({"broken.py": text, APP: "import plotly\n"}, [])
    assert [(f.path, f.top) for f in found] == [(APP, "plotly")]


def test_odd_inputs_do_not_raise():
    assert check_imports({}, []) == []
    assert check_imports({APP: b"import plotly\n"}, []) != []  # bytes are read as UTF-8
    assert check_imports({APP: None, "x.py": 3}, ["numpy"]) == []
    assert check_imports({APP: "import numpy"}, ["@@@", "", "numpy>>2"]) == []
    assert check_imports({APP: "import plotly"}, "plotly") == []
    assert check_imports({"/abs.py": "import plotly", "../up.py": "", "a\\b.py": "import b"}, [])[0].top == "plotly"


def test_the_result_is_deterministic_and_the_input_untouched():
    files = {"b.py": "import plotly\n", APP: "import bokeh\nfrom .nope import x\n", "a.py": "import tkinter\n"}
    snapshot = dict(files)
    first = check_imports(files, ["numpy"])
    assert check_imports(dict(reversed(list(files.items()))), ["numpy"]) == first
    assert files == snapshot
    assert [(f.path, f.line) for f in first] == [("a.py", 1), ("b.py", 1), (APP, 1), (APP, 2)]


_code_parts = st.sampled_from(
    [
        "import plotly\n",
        "from . import x\n",
        "from .. import y\n",
        "try:\n    import a\nexcept ImportError:\n    pass\n",
        "if TYPE_CHECKING:\n    import b\n",
        "def f():\n    import c\n",
        "import os.path as p\n",
        "from pkg.sub import *\n",
        "match v:\n    case _:\n        import d\n",
        "(\n",
        "\0",
        "import sklearn\n",
        "    ",
        "\\\n",
        "import tkinter\n",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.dictionaries(
        st.one_of(st.just(APP), st.text(max_size=20), st.from_regex(r"[a-z]{1,3}(/[a-z]{1,3}){0,2}\.py", fullmatch=True)),
        st.one_of(st.text(max_size=200), st.lists(_code_parts, max_size=12).map("".join)),
        max_size=5,
    ),
    requirements=st.lists(
        st.one_of(st.text(max_size=20), st.sampled_from(["numpy", "plotlyy", "scikit-learn", "a"])), max_size=4
    ),
)
def test_check_imports_never_raises(texts, requirements):
    found = check_imports(texts, requirements)
    for item in found:
        assert isinstance(item, UnresolvedImport)
        assert item.path in texts and item.line >= 1
        assert "\n" not in item.message or "\n" in item.path


def test_hundreds_of_apps_are_checked_fast():
    app = {
        APP: "import streamlit as st\nimport numpy as np\nimport pandas as pd\nfrom helpers import f\n" * 20,
        "helpers.py": "import json\nimport plotly\n" * 20,
        "pages/one.py": "import altair as alt\nfrom . import x\n" * 20,
    }
    check_imports(app, ["plotly"])  # loads the data once
    start = time.perf_counter()
    for _ in range(300):
        check_imports(app, ["plotly", "scikit-learn>=1"])
    assert time.perf_counter() - start < 10


# ----------------------------------------------------------------------------- the data
def _json(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_the_data_files_exist_for_the_pinned_versions():
    names = sorted(p.name for p in DATA.glob("*.json"))
    assert names == sorted([f"pyodide-{PYODIDE_VERSION}.json", "stdlib-3.13.json", f"stlite-{STLITE_VERSION}.json"])
    assert _json(f"pyodide-{PYODIDE_VERSION}.json")["pyodide"] == PYODIDE_VERSION
    assert _json(f"stlite-{STLITE_VERSION}.json")["stlite"] == STLITE_VERSION


def test_the_data_is_sane():
    stdlib = _json("stdlib-3.13.json")
    assert stdlib["python"].startswith("3.13.")
    assert {"asyncio", "tomllib", "json", "os", "__future__"} <= set(stdlib["modules"])
    assert "distutils" not in stdlib["modules"] and "imp" not in stdlib["modules"]  # both gone in 3.12

    pyodide = _json(f"pyodide-{PYODIDE_VERSION}.json")
    assert pyodide["python"].startswith("3.13.")
    packages = pyodide["packages"]
    assert packages["numpy"]["imports"] == ["numpy"]
    assert packages["pandas"]["imports"] == ["pandas"] and "numpy" in packages["pandas"]["depends"]
    assert "matplotlib" in packages["matplotlib"]["imports"]
    assert packages["scikit-learn"]["imports"] == ["sklearn"] and packages["pillow"]["imports"] == ["PIL"]
    assert packages["sqlite3"].get("unvendored") is True and "unvendored" not in packages["numpy"]
    assert "streamlit" not in packages  # stlite installs its own
    assert not any(key.endswith("-tests") for key in packages)
    assert all(dep in packages for item in packages.values() for dep in item["depends"])
    assert all(name.isidentifier() for item in packages.values() for name in item["imports"])
    assert {"tkinter", "curses", "pwd"} <= set(pyodide["missing_stdlib"]) <= set(stdlib["modules"])
    assert not {"json", "asyncio", "math", "zlib", "sys", "builtins"} & set(pyodide["missing_stdlib"])
    assert {"js", "pyodide", "pyodide_js"} <= set(pyodide["builtin"])

    stlite = _json(f"stlite-{STLITE_VERSION}.json")
    assert stlite["pyodide"] == PYODIDE_VERSION and stlite["module_autoload"] is False
    assert {"streamlit", "numpy", "pandas", "altair", "pillow", "protobuf", "micropip"} <= set(stlite["distributions"])
    assert {"streamlit", "numpy", "pandas", "altair", "PIL", "google", "pyarrow", "jinja2"} <= set(stlite["imports"])
    assert "pyarrow" in stlite["mocks"]


def test_the_data_files_are_sorted_and_one_entry_a_line():
    for path in DATA.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        for value in data.values():
            if isinstance(value, list):
                assert value == sorted(value), path.name
            if isinstance(value, dict):
                assert list(value) == sorted(value), path.name
        assert text.endswith("}\n") and max(len(line) for line in text.splitlines()) < 400


def _generator():
    spec = importlib.util.spec_from_file_location("generate_check_data", SCRIPT)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def test_the_shipped_data_is_what_the_generator_writes(tmp_path):
    """Regenerates into a temporary folder and compares. Needs the two npm tarballs and a
    Python 3.13; without them it skips, also under CI=true: the data files are committed, and
    this test only guards against hand edits and a stale regeneration on a developer machine."""
    generator = _generator()
    tarballs = [NPM / f"pyodide-{PYODIDE_VERSION}.tgz", NPM / f"stlite-browser-{STLITE_VERSION}.tgz"]
    absent = [p.name for p in tarballs if not p.is_file()]
    if absent:
        pytest.skip(
            f"npm tarballs missing from {NPM}: {', '.join(absent)} (npm pack pyodide@{PYODIDE_VERSION} @stlite/browser@{STLITE_VERSION})"
        )
    try:
        generator.stdlib_of(None)
    except generator.Failure as exc:
        pytest.skip(f"cannot regenerate the data here: {exc}")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tarballs[0]), "--stlite", str(tarballs[1]), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in DATA.glob("*.json"))
    for name in written:
        fresh, shipped = json.loads((tmp_path / name).read_text()), _json(name)
        if name.startswith("stdlib-"):  # another 3.13.x may have generated it
            fresh.pop("python"), shipped.pop("python")
        assert fresh == shipped, f"{name} is stale: run scripts/generate_check_data.py"
    for name in written:
        if not name.startswith("stdlib-"):
            assert (tmp_path / name).read_text() == (DATA / name).read_text()


def test_the_generator_refuses_a_python_that_is_not_313(tmp_path, capsys):
    if sys.version_info[:2] == (3, 13):
        pytest.skip("the test suite itself runs on Python 3.13")
    generator = _generator()
    assert generator.main(["--python", sys.executable, "--out", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("generate_check_data: no Python 3.13 found (tried: ") and "--python" in error
    assert list(tmp_path.iterdir()) == []


def test_the_generator_names_a_missing_tarball(tmp_path, capsys):
    generator = _generator()
    try:
        generator.stdlib_of(None)
    except generator.Failure as exc:
        pytest.skip(f"no Python 3.13 here: {exc}")
    assert generator.main([str(tmp_path / "nothing.tgz"), "--out", str(tmp_path / "out")]) == 1
    assert "nothing.tgz not found: create it with `npm pack`" in capsys.readouterr().err


def test_the_generator_output_format():
    generator = _generator()
    text = generator.dumps({"a": "1", "b": ["y", "x"], "c": {"k2": {"i": [1]}, "k1": []}, "d": {}, "e": []})
    assert text == (
        '{\n  "a": "1",\n  "b": [\n    "y",\n    "x"\n  ],\n  "c": {\n    "k1": [],\n    "k2": {"i": [1]}\n  },\n'
        '  "d": {},\n  "e": []\n}\n'
    )
    assert json.loads(text)["c"]["k2"] == {"i": [1]}


def test_the_environment_variable_names_python313_for_the_generator(monkeypatch):
    generator = _generator()
    monkeypatch.setenv("STLITE_DOCS_PYTHON313", "/nowhere/python3.13")
    assert generator.python_candidates(None)[0] == "/nowhere/python3.13"
    assert generator.python_candidates("/explicit") == ["/explicit"]
