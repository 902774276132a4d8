"""The ``run`` check (stlite_docs.check.run): real Streamlit, real worker processes.

These are "unit" tests by place only: each app runs in the worker subprocess with Streamlit's
own ``AppTest``, as in a build. One worker serves most tests (as one serves a build); tests
that end it check that it is replaced. Without Streamlit installed they skip (fail under
CI=true), except the "unavailable" tests, which need no Streamlit.
"""

from __future__ import annotations

import os
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from stlite_docs.check import run
from stlite_docs.check.run import AppRunner, RunOutcome

try:
    import streamlit  # noqa: F401

    HAVE_STREAMLIT = True
except ImportError:
    HAVE_STREAMLIT = False

needs_streamlit = pytest.mark.skipif(
    not HAVE_STREAMLIT and os.environ.get("CI") != "true",
    reason="Streamlit is not installed: pip install 'stlite-docs[check]'",
)
posix_only = pytest.mark.skipif(os.name != "posix", reason="process groups and /proc are POSIX")

#: the worker command with a hook: ``{prelude}`` runs in the worker before its main()
HOOKED_WORKER = (
    "import sys; del sys.path[0]; sys.path.insert(0, {root!r}); {prelude}; "
    "import stlite_docs.check._run_worker as worker; {patch}; worker.main()"
)
PACKAGE_ROOT = str(Path(run.__file__).resolve().parents[2])


def app(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def gone(pid: int) -> bool:
    """True when no process has this id any more (a zombie counts as gone: it runs nothing)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def wait_gone(pid: int, within: float = 5.0) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if gone(pid):
            return True
        time.sleep(0.05)
    return gone(pid)


@pytest.fixture(scope="module")
def runner():
    """One worker for the module's tests, as one serves a whole build."""
    shared = AppRunner()
    yield shared
    shared.close()


# ------------------------------------------------------------------ runs that end well
@needs_streamlit
def test_an_app_with_widgets_runs_ok(runner):
    files = {
        "streamlit_app.py": app("""
        import streamlit as st
        import pandas as pd

        st.title("Widgets")
        n = st.slider("n", 0, 10, 3)
        name = st.text_input("name", "Ada")
        kind = st.selectbox("kind", ["a", "b"])
        st.checkbox("tick")
        if st.button("go"):
            st.write("clicked")
        st.dataframe(pd.DataFrame({"n": range(n)}))
        st.write(f"{name} {kind} {n * 2}")
    """)
    }
    assert runner.run(files, "streamlit_app.py", timeout=30) == RunOutcome("ok")


@needs_streamlit
def test_st_stop_is_a_normal_end(runner):
    files = {"streamlit_app.py": "import streamlit as st\nst.write(1)\nst.stop()\n1 / 0\n"}
    assert runner.run(files, "streamlit_app.py", timeout=10) == RunOutcome("ok")


@needs_streamlit
def test_rerun_that_ends_is_fine(runner):
    files = {
        "streamlit_app.py": app("""
        import streamlit as st
        st.session_state.setdefault("n", 0)
        st.session_state.n += 1
        if st.session_state.n < 3:
            st.rerun()
        assert st.session_state.n == 3
    """)
    }
    assert runner.run(files, "streamlit_app.py", timeout=10).status == "ok"


@needs_streamlit
def test_an_exception_the_app_shows_on_purpose_is_not_a_failure(runner):
    files = {
        "streamlit_app.py": app("""
        import streamlit as st
        try:
            1 / 0
        except ZeroDivisionError as exc:
            st.exception(exc)
    """)
    }
    assert runner.run(files, "streamlit_app.py", timeout=10).status == "ok"


@needs_streamlit
def test_data_files_are_read_by_relative_path_and_bytes_stay_bytes(runner):
    blob = bytes(range(256)) * 4
    files = {
        "streamlit_app.py": app("""
            import streamlit as st
            import pandas as pd
            from pathlib import Path

            cities = pd.read_csv("data/cities.csv")
            st.dataframe(cities)
            assert list(cities["name"]) == ["Oslo", "Lima"], cities
            assert Path("data/blob.bin").read_bytes() == bytes(range(256)) * 4
            assert Path("notes.txt").read_bytes() == "caf\\u00e9\\r\\nline\\n".encode("utf-8")
        """),
        "data/cities.csv": "name,population\nOslo,709000\nLima,10000000\n",
        "data/blob.bin": blob,
        "notes.txt": "caf\u00e9\r\nline\n",
    }
    assert runner.run(files, "streamlit_app.py", timeout=30) == RunOutcome("ok")


@needs_streamlit
def test_callbacks_do_not_run_in_one_headless_run(runner):
    """Nothing is clicked, so a broken on_click callback is not found (documented)."""
    files = {
        "streamlit_app.py": app("""
        import streamlit as st
        def boom():
            1 / 0
        st.button("go", on_click=boom)
    """)
    }
    assert runner.run(files, "streamlit_app.py", timeout=10).status == "ok"


# ------------------------------------------------------------------ exceptions
@needs_streamlit
def test_division_by_zero_at_its_exact_line(runner):
    files = {"streamlit_app.py": "import streamlit as st\nst.write('hi')\n1/0\nst.write('never')\n"}
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert outcome == RunOutcome(
        "exception",
        "streamlit_app.py",
        3,
        "ZeroDivisionError: division by zero",
        "Traceback (most recent call last):\n"
        '  File "streamlit_app.py", line 3, in <module>\n'
        "    1/0\n"
        "ZeroDivisionError: division by zero\n",
    )


@needs_streamlit
def test_an_exception_in_a_helper_module_points_at_the_helper(runner):
    files = {
        "streamlit_app.py": app("""
            import streamlit as st
            import helpers

            st.write("ratio")
            st.write(helpers.ratio(1, 0))
        """),
        "helpers.py": app("""
            def ratio(a, b):
                scale = 1
                return scale * a / b
        """),
    }
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert (outcome.status, outcome.path, outcome.line) == ("exception", "helpers.py", 3)
    assert outcome.message == "ZeroDivisionError: division by zero"
    assert outcome.traceback == (
        "Traceback (most recent call last):\n"
        '  File "streamlit_app.py", line 5, in <module>\n'
        "    st.write(helpers.ratio(1, 0))\n"
        '  File "helpers.py", line 3, in ratio\n'
        "    return scale * a / b\n"
        "ZeroDivisionError: division by zero\n"
    )
    text = repr(outcome)
    assert "stlite-docs-run-" not in text and tempfile.gettempdir() not in text
    assert "site-packages" not in text and "streamlit/runtime" not in text


@needs_streamlit
def test_an_exception_raised_inside_a_library_points_at_the_app_line_that_called_it(runner):
    files = {"streamlit_app.py": "import streamlit as st\nimport pandas as pd\n\npd.read_csv('data/missing.csv')\n"}
    outcome = runner.run(files, "streamlit_app.py", timeout=30)
    assert (outcome.status, outcome.path, outcome.line) == ("exception", "streamlit_app.py", 4)
    assert outcome.message == "FileNotFoundError: [Errno 2] No such file or directory: 'data/missing.csv'"
    assert "pandas" not in outcome.traceback


@needs_streamlit
def test_an_absolute_temporary_path_in_a_message_is_shown_as_an_app_path(runner):
    files = {
        "streamlit_app.py": app("""
        import os
        open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "gone.csv"))
    """)
    }
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert outcome.message == "FileNotFoundError: [Errno 2] No such file or directory: 'data/gone.csv'"


@needs_streamlit
def test_an_exception_in_a_fragment(runner):
    files = {
        "streamlit_app.py": app("""
        import streamlit as st

        @st.fragment
        def part():
            st.write("in part")
            raise ValueError("bad part")

        part()
    """)
    }
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert (outcome.status, outcome.path, outcome.line, outcome.message) == (
        "exception",
        "streamlit_app.py",
        6,
        "ValueError: bad part",
    )
    assert '  File "streamlit_app.py", line 6, in part\n' in outcome.traceback


@needs_streamlit
def test_a_chained_exception_keeps_its_cause(runner):
    files = {
        "streamlit_app.py": app("""
        settings = {}
        try:
            settings["key"]
        except KeyError as exc:
            raise RuntimeError("no key") from exc
    """)
    }
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert (outcome.path, outcome.line, outcome.message) == ("streamlit_app.py", 5, "RuntimeError: no key")
    assert outcome.traceback == (
        "Traceback (most recent call last):\n"
        '  File "streamlit_app.py", line 3, in <module>\n'
        '    settings["key"]\n'
        "KeyError: 'key'\n"
        "\nThe above exception was the direct cause of the following exception:\n\n"
        "Traceback (most recent call last):\n"
        '  File "streamlit_app.py", line 5, in <module>\n'
        '    raise RuntimeError("no key") from exc\n'
        "RuntimeError: no key\n"
    )


@needs_streamlit
def test_a_syntax_error_at_run_time_from_exec_points_at_the_exec_line(runner):
    files = {"streamlit_app.py": "import streamlit as st\nst.write(1)\nexec('1 +')\n"}
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert (outcome.status, outcome.path, outcome.line, outcome.message) == (
        "exception",
        "streamlit_app.py",
        3,
        "SyntaxError: invalid syntax",
    )
    assert outcome.traceback.startswith('Traceback (most recent call last):\n  File "streamlit_app.py", line 3, in <module>\n')


@needs_streamlit
@pytest.mark.parametrize("where", ["entry", "helper"])
def test_a_syntax_error_in_an_app_file(runner, monkeypatch, where):
    """Streamlit shows a page's compile error only in the browser (AppTest sees an empty page),
    so the worker compiles each page first. With the build on Pyodide's Python it is the app's
    mistake; on another Python it may be newer syntax, so the app is skipped."""
    if where == "entry":
        files, path, line = {"streamlit_app.py": "import streamlit as st\nx = (\n"}, "streamlit_app.py", 2
    else:
        files = {"streamlit_app.py": "import streamlit as st\nimport helpers\n", "helpers.py": "x = 1\ndef f(:\n    pass\n"}
        path, line = "helpers.py", 2

    monkeypatch.setattr(run, "PYODIDE_PYTHON", tuple(sys.version_info[:2]))
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert (outcome.status, outcome.path, outcome.line) == ("exception", path, line)
    assert outcome.message.startswith("SyntaxError: ")

    monkeypatch.setattr(run, "PYODIDE_PYTHON", (3, 99))
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert (outcome.status, outcome.path, outcome.line) == ("skipped", path, line)
    have = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert outcome.detail.startswith(f"the build's Python {have} cannot compile line {line} of {path} (SyntaxError: ")
    assert outcome.detail.endswith(
        "which Pyodide's Python 3.99 may accept, so this app was not run; build with Python 3.99 to run it"
    )


@needs_streamlit
def test_the_same_failure_gives_the_same_outcome_every_time(runner):
    files = {"streamlit_app.py": "import helpers\nhelpers.go()\n", "helpers.py": "def go():\n    raise KeyError(object)\n"}
    first = runner.run(files, "streamlit_app.py", timeout=10)
    second = runner.run(files, "streamlit_app.py", timeout=10)
    assert first == second and first.status == "exception"


# ------------------------------------------------------------------ multipage
@needs_streamlit
def test_every_page_of_a_pages_folder_runs(runner):
    files = {
        "streamlit_app.py": "import streamlit as st\nst.title('Home')\n",
        "pages/1_One.py": "import streamlit as st\nst.write('one')\n",
        "pages/2_Two.py": "import streamlit as st\nst.write('two')\nraise LookupError('page two')\n",
        "helpers.py": "VALUE = 1\n",
    }
    outcome = runner.run(files, "streamlit_app.py", timeout=20)
    assert (outcome.status, outcome.path, outcome.line, outcome.message) == (
        "exception",
        "pages/2_Two.py",
        3,
        "LookupError: page two",
    )
    del files["pages/2_Two.py"]
    assert runner.run(files, "streamlit_app.py", timeout=20) == RunOutcome("ok")


@needs_streamlit
def test_every_page_given_to_st_navigation_runs(runner):
    files = {
        "streamlit_app.py": app("""
            import streamlit as st
            page = st.navigation([st.Page("home.py"), st.Page("other.py", url_path="elsewhere")])
            page.run()
        """),
        "home.py": "import streamlit as st\nst.write('home')\n",
        "other.py": "import streamlit as st\nst.write('other')\nraise LookupError('other page')\n",
    }
    outcome = runner.run(files, "streamlit_app.py", timeout=20)
    from streamlit.testing.v1 import AppTest

    if outcome.status == "ok" and not hasattr(AppTest, "_resolve_page_hash"):
        pytest.skip(f"Streamlit {streamlit.__version__}'s AppTest.switch_page cannot reach an st.navigation page")
    assert (outcome.status, outcome.path, outcome.line) == ("exception", "other.py", 3)
    assert '  File "streamlit_app.py", line 3, in <module>\n' in outcome.traceback


@needs_streamlit
def test_a_page_with_top_level_await_is_left_out_and_said_so(runner):
    files = {
        "streamlit_app.py": "import streamlit as st\nst.write('home')\n",
        "pages/a.py": "import asyncio\nawait asyncio.sleep(0)\n",
        "pages/b.py": "import streamlit as st\nst.write('b')\n",
    }
    assert runner.run(files, "streamlit_app.py", timeout=10) == RunOutcome(
        "ok",
        detail="some pages were not run: pages/a.py uses top-level await (line 2), which stlite runs "
        "but Streamlit's AppTest cannot",
    )


@needs_streamlit
def test_an_entry_in_a_folder_imports_beside_itself_and_reads_from_the_app_root(runner):
    files = {
        "app/main.py": "import streamlit as st\nimport util\nst.write(util.X, open('data/x.csv').read())\n",
        "app/util.py": "X = 1\n",
        "app/pages/p.py": "import util\nutil.missing()\n",
        "data/x.csv": "a\n",
    }
    outcome = runner.run(files, "app/main.py", timeout=10)
    assert (outcome.status, outcome.path, outcome.line, outcome.message) == (
        "exception",
        "app/pages/p.py",
        2,
        "AttributeError: module 'util' has no attribute 'missing'",
    )


# ------------------------------------------------------------------ time limits
@needs_streamlit
@posix_only
def test_an_endless_loop_times_out_and_its_worker_and_children_are_gone(runner, tmp_path):
    runner.run({"streamlit_app.py": "x = 1\n"}, "streamlit_app.py", timeout=10)
    old = runner.worker_pid
    child_file = tmp_path / "child.pid"
    files = {
        "streamlit_app.py": app(f"""
        import subprocess
        import streamlit as st

        child = subprocess.Popen(["sleep", "600"])
        open({str(child_file)!r}, "w").write(str(child.pid))
        st.write("looping")
        n = 0
        while True:
            n += 1
    """)
    }
    started = time.monotonic()
    outcome = runner.run(files, "streamlit_app.py", timeout=3)
    took = time.monotonic() - started
    assert (outcome.status, outcome.path) == ("timeout", "streamlit_app.py")
    assert outcome.line in (8, 9)  # "while True:" or "n += 1"
    assert outcome.message == f"the app did not finish within 3 s (it was running line {outcome.line} of streamlit_app.py)"
    assert 2.9 <= took <= 3 + 5
    assert wait_gone(old), "the worker that ran the endless loop is still there"
    assert wait_gone(int(child_file.read_text())), "a process the app started outlived its worker"
    assert runner.worker_pid is None

    assert runner.run(
        {"streamlit_app.py": "import streamlit as st\nst.write('next')\n"}, "streamlit_app.py", timeout=10
    ) == RunOutcome("ok")
    assert runner.worker_pid not in (None, old)


@needs_streamlit
@posix_only
def test_sleep_forever_times_out_at_the_sleep(runner):
    files = {"streamlit_app.py": "import time\nimport streamlit as st\nst.write(1)\ntime.sleep(1e9)\n"}
    started = time.monotonic()
    outcome = runner.run(files, "streamlit_app.py", timeout=1)
    assert time.monotonic() - started <= 1 + 5
    assert (outcome.status, outcome.path, outcome.line) == ("timeout", "streamlit_app.py", 4)


@needs_streamlit
@posix_only
def test_a_loop_in_c_that_holds_the_gil_is_killed_after_the_grace_period(runner):
    """The worker's watchdog thread cannot run, so the parent kills the worker."""
    files = {"streamlit_app.py": "import itertools\nimport streamlit as st\nst.write(1)\nsum(itertools.repeat(0))\n"}
    runner.run({"streamlit_app.py": "x = 1\n"}, "streamlit_app.py", timeout=10)
    old = runner.worker_pid
    started = time.monotonic()
    outcome = runner.run(files, "streamlit_app.py", timeout=1)
    took = time.monotonic() - started
    assert outcome == RunOutcome("timeout", "streamlit_app.py", None, "the app did not finish within 1 s")
    assert 1 + run.GRACE - 0.1 <= took <= 1 + run.GRACE + 5
    assert wait_gone(old)


@needs_streamlit
def test_the_time_limit_is_for_the_whole_app_and_names_the_page(runner):
    files = {
        "streamlit_app.py": "import streamlit as st\nst.write('home')\n",
        "pages/slow.py": "import time\nwhile True:\n    time.sleep(0.01)\n",
    }
    outcome = runner.run(files, "streamlit_app.py", timeout=1)
    assert (outcome.status, outcome.path) == ("timeout", "pages/slow.py")
    assert outcome.line in (2, 3)


@needs_streamlit
def test_an_app_that_leaves_a_thread_running_gets_a_fresh_worker_after_it(runner):
    runner.run({"streamlit_app.py": "x = 1\n"}, "streamlit_app.py", timeout=10)
    old = runner.worker_pid
    files = {
        "streamlit_app.py": app("""
        import threading, time
        import streamlit as st
        threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
        st.write("started")
    """)
    }
    assert runner.run(files, "streamlit_app.py", timeout=10) == RunOutcome("ok")
    assert runner.worker_pid is None
    if os.name == "posix":
        assert wait_gone(old)


@needs_streamlit
def test_an_app_that_ends_its_process_is_an_exception_and_the_next_app_runs(runner):
    outcome = runner.run({"streamlit_app.py": "import os\nos._exit(3)\n"}, "streamlit_app.py", timeout=10)
    assert outcome == RunOutcome(
        "exception", "streamlit_app.py", None, "the process running the app ended unexpectedly (exit status 3)"
    )
    assert runner.run({"streamlit_app.py": "x = 1\n"}, "streamlit_app.py", timeout=10).status == "ok"


# ------------------------------------------------------------------ the environment, not the app
@needs_streamlit
def test_a_module_the_build_lacks_skips_the_app_with_the_pip_command(runner):
    files = {"streamlit_app.py": "import streamlit as st\n\nimport stlite_docs_absent_pkg.express as px\n"}
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert outcome == RunOutcome(
        "skipped",
        "streamlit_app.py",
        3,
        detail="the build environment lacks 'stlite_docs_absent_pkg' (imported on line 3 of streamlit_app.py), "
        "so this app was not run: pip install stlite_docs_absent_pkg into the build environment, "
        "or set check: imports for this block",
    )


@needs_streamlit
def test_the_pip_command_names_the_distribution(runner):
    import importlib.util

    if importlib.util.find_spec("sklearn") is not None:
        pytest.skip("scikit-learn is installed here")
    outcome = runner.run({"streamlit_app.py": "from sklearn import datasets\n"}, "streamlit_app.py", timeout=10)
    assert outcome.status == "skipped"
    assert "pip install scikit-learn into the build environment" in outcome.detail


@needs_streamlit
def test_a_missing_helper_of_the_app_itself_is_the_apps_mistake(runner):
    files = {"streamlit_app.py": "import pages.util\n", "pages/other.py": "x = 1\n"}
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert (outcome.status, outcome.line, outcome.message) == (
        "exception",
        1,
        "ModuleNotFoundError: No module named 'pages.util'",
    )


@needs_streamlit
@pytest.mark.parametrize(
    "line, name",
    [
        ("import js", "js"),
        ("from js import document", "js"),
        ("from pyodide.http import pyfetch", "pyodide"),
        ("import micropip", "micropip"),
    ],
)
def test_browser_only_modules_skip_the_app(runner, line, name):
    files = {"streamlit_app.py": f"import streamlit as st\n{line}\n"}
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert outcome == RunOutcome(
        "skipped",
        "streamlit_app.py",
        2,
        detail=f"the app imports {name!r} on line 2 of streamlit_app.py, which exists only in the browser "
        "(Pyodide), so it was not run; set check: imports for this block to leave the run out",
    )


@needs_streamlit
def test_an_app_that_falls_back_when_pyodide_is_absent_runs(runner):
    files = {
        "streamlit_app.py": app("""
        import streamlit as st
        try:
            from pyodide.http import pyfetch
        except ImportError:
            pyfetch = None
        st.write("in the browser" if pyfetch else "elsewhere")
    """)
    }
    assert runner.run(files, "streamlit_app.py", timeout=10) == RunOutcome("ok")


@needs_streamlit
def test_top_level_await_skips_the_app(runner):
    files = {
        "streamlit_app.py": app("""
        import asyncio
        import streamlit as st

        async def fetch():
            await asyncio.sleep(0)

        st.write("before")
        await fetch()
    """)
    }
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert outcome == RunOutcome(
        "skipped",
        "streamlit_app.py",
        8,
        detail="streamlit_app.py uses top-level await (line 8), which stlite runs but Streamlit's AppTest "
        "cannot, so this app was not run; set check: imports for this block to leave the run out",
    )


@needs_streamlit
def test_no_network_skips_the_app(runner):
    import socket

    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    files = {"streamlit_app.py": f"import urllib.request\n\nurllib.request.urlopen('http://127.0.0.1:{port}/', timeout=5)\n"}
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert (outcome.status, outcome.path, outcome.line) == ("skipped", "streamlit_app.py", 3)
    assert outcome.detail.startswith("the app could not reach the network from the build (urllib.error.URLError: ")
    assert outcome.detail.endswith(
        " on line 3 of streamlit_app.py), so its run was cut short; set check: imports for this block to leave the run out"
    )


# ------------------------------------------------------------------ the protocol and isolation
@needs_streamlit
def test_what_an_app_prints_or_reads_never_reaches_the_protocol(runner):
    forged = '{"outcome": {"status": "ok"}, "restart": false}'
    files = {
        "streamlit_app.py": app(f"""
        import os, sys
        import streamlit as st

        print({forged!r})
        print("x" * 200000)
        sys.stdout.write({forged!r} + "\\n")
        sys.stdout.flush()
        os.write(1, b{forged!r} + b"\\n")
        os.write(2, b"to stderr\\n")
        print("to stderr", file=sys.stderr)
        st.write("printed")
        data = input()
    """)
    }
    outcome = runner.run(files, "streamlit_app.py", timeout=10)
    assert (outcome.status, outcome.line, outcome.message) == ("exception", 12, "EOFError: EOF when reading a line")
    assert runner.run({"streamlit_app.py": "print('again')\n"}, "streamlit_app.py", timeout=10) == RunOutcome("ok")


@needs_streamlit
def test_apps_do_not_see_each_other(runner):
    first = {
        "streamlit_app.py": app("""
            import os
            import streamlit as st
            import helpers

            assert helpers.NAME == "first", helpers.NAME
            os.environ["STLITE_DOCS_TEST_LEAK"] = "1"
            st.session_state.left = "first"

            @st.cache_data
            def value():
                return open("v.txt").read()

            assert value() == "first"
            os.chdir("/")
        """),
        "helpers.py": "NAME = 'first'\n",
        "v.txt": "first",
    }
    second = {
        "streamlit_app.py": app("""
            import os
            import streamlit as st
            import helpers

            assert helpers.NAME == "second", helpers.NAME
            assert "STLITE_DOCS_TEST_LEAK" not in os.environ
            assert os.path.exists("v.txt"), os.getcwd()
            assert "left" not in st.session_state

            @st.cache_data
            def value():
                return open("v.txt").read()

            assert value() == "second", value()
        """),
        "helpers.py": "NAME = 'second'\n",
        "v.txt": "second",
    }
    assert runner.run(first, "streamlit_app.py", timeout=10) == RunOutcome("ok")
    assert runner.run(second, "streamlit_app.py", timeout=10) == RunOutcome("ok")


@needs_streamlit
def test_the_build_directory_is_not_on_the_apps_path(runner, tmp_path, monkeypatch):
    (tmp_path / "conf.py").write_text("raise SystemExit('imported the build directory')\n")
    monkeypatch.chdir(tmp_path)
    fresh = AppRunner()  # started from this directory
    try:
        outcome = fresh.run({"streamlit_app.py": "import conf\n"}, "streamlit_app.py", timeout=10)
    finally:
        fresh.close()
    assert (outcome.status, outcome.detail) == (
        "skipped",
        "the build environment lacks 'conf' (imported on line 1 of streamlit_app.py), so this app was not run: "
        "pip install conf into the build environment, or set check: imports for this block",
    )


@needs_streamlit
def test_two_threads_at_once_each_get_their_own_outcome(runner):
    ok = {"streamlit_app.py": "import time\nimport streamlit as st\ntime.sleep(0.1)\nst.write('fine')\n"}
    bad = {"streamlit_app.py": "import time\nimport streamlit as st\ntime.sleep(0.1)\n{}['missing']\n"}
    results: dict[str, list[RunOutcome]] = {"ok": [], "bad": []}

    def call(name, files):
        for _ in range(3):
            results[name].append(runner.run(files, "streamlit_app.py", timeout=10))

    threads = [threading.Thread(target=call, args=("ok", ok)), threading.Thread(target=call, args=("bad", bad))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results["ok"] == [RunOutcome("ok")] * 3
    assert [(r.status, r.line, r.message) for r in results["bad"]] == [("exception", 4, "KeyError: 'missing'")] * 3


@needs_streamlit
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_starts_its_own_worker(runner):
    """As sphinx-build -j does: the child must not talk to the parent's worker."""
    assert runner.run({"streamlit_app.py": "x = 1\n"}, "streamlit_app.py", timeout=10).status == "ok"
    parent_worker = runner.worker_pid
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report, and leave without running the parent's atexit handlers
        try:
            outcome = runner.run({"streamlit_app.py": "1/0\n"}, "streamlit_app.py", timeout=10)
            worker = runner.worker_pid
            runner.close()
            os.write(write, f"{outcome.status} {outcome.line} {worker}".encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        reported = f.read()
    os.waitpid(pid, 0)
    status, line, worker = reported.split()
    assert (status, line) == ("exception", "1")
    assert int(worker) != parent_worker
    assert runner.worker_pid == parent_worker
    assert runner.run({"streamlit_app.py": "x = 2\n"}, "streamlit_app.py", timeout=10).status == "ok"


# ------------------------------------------------------------------ no Streamlit, and the fallback mode
def hooked(prelude: str = "pass", patch: str = "pass") -> list[str]:
    return [sys.executable, "-c", HOOKED_WORKER.format(root=PACKAGE_ROOT, prelude=prelude, patch=patch)]


def test_without_streamlit_the_check_is_unavailable_with_the_pip_command():
    """Test double at one boundary: the worker's start command, whose prelude makes
    ``import streamlit`` fail (``sys.modules["streamlit"] = None``) as it does where Streamlit
    is not installed. Everything after that (the worker, the protocol, the runner) is real."""
    runner = AppRunner(command=hooked(prelude="sys.modules['streamlit'] = None"))
    try:
        outcome = runner.run({"streamlit_app.py": "import streamlit as st\n"}, "streamlit_app.py", timeout=5)
        assert outcome == RunOutcome(
            "unavailable",
            detail="Streamlit is not installed in the build environment: pip install 'stlite-docs[check]'",
        )
        assert runner.worker_pid is None
        assert runner.run({"streamlit_app.py": "x = 1\n"}, "streamlit_app.py", timeout=5) == outcome
    finally:
        runner.close()


def test_an_old_streamlit_is_unavailable_with_the_pip_command():
    """Test double at the worker's start command: a stand-in ``streamlit`` module of version
    1.0.0 (a real one that old has no AppTest)."""
    prelude = "import types; sys.modules['streamlit'] = types.SimpleNamespace(__version__='1.0.0')"
    runner = AppRunner(command=hooked(prelude=prelude))
    try:
        outcome = runner.run({"streamlit_app.py": "x = 1\n"}, "streamlit_app.py", timeout=5)
    finally:
        runner.close()
    assert outcome.status == "unavailable"
    assert outcome.detail == (
        "Streamlit 1.0.0 in the build environment is older than the run check needs (>= 1.40): pip install 'stlite-docs[check]'"
    )


def test_a_python_that_cannot_start_is_unavailable():
    runner = AppRunner(command=[os.path.join(tempfile.gettempdir(), "stlite-docs-no-such-python"), "-c", "pass"])
    outcome = runner.run({"streamlit_app.py": "x = 1\n"}, "streamlit_app.py", timeout=5)
    assert outcome.status == "unavailable" and "could not start" in outcome.detail


@needs_streamlit
def test_the_elements_fallback_reads_the_same_outcome():
    """Test double at the worker's start command: its start-up self-test is made to fail, as it
    would if a Streamlit release stopped logging uncaught exceptions, so the worker reads
    AppTest's exception elements instead."""
    runner = AppRunner(command=hooked(patch="worker._self_test = lambda: False"))
    try:
        files = {
            "streamlit_app.py": "import streamlit as st\nimport helpers\nst.write(helpers.ratio(1, 0))\n",
            "helpers.py": "def ratio(a, b):\n    return a / b\n",
        }
        outcome = runner.run(files, "streamlit_app.py", timeout=10)
        assert runner.worker_info["mode"] == "elements"
        assert outcome == RunOutcome(
            "exception",
            "helpers.py",
            2,
            "ZeroDivisionError: division by zero",
            "Traceback (most recent call last):\n"
            '  File "streamlit_app.py", line 3, in <module>\n'
            "    st.write(helpers.ratio(1, 0))\n"
            '  File "helpers.py", line 2, in ratio\n'
            "    return a / b\n"
            "ZeroDivisionError: division by zero\n",
        )
        missing = runner.run({"streamlit_app.py": "import stlite_docs_absent_pkg\n"}, "streamlit_app.py", timeout=10)
        assert (missing.status, missing.line) == ("skipped", 1)
        assert runner.run(
            {"streamlit_app.py": "import streamlit as st\nst.stop()\n1/0\n"}, "streamlit_app.py", timeout=10
        ) == RunOutcome("ok")
    finally:
        runner.close()


# ------------------------------------------------------------------ the API
def test_bad_arguments_are_refused_before_anything_runs():
    runner = AppRunner(command=[sys.executable, "-c", "raise SystemExit(1)"])
    with pytest.raises(ValueError, match="entrypoint 'main.py' is not one of the files"):
        runner.run({"streamlit_app.py": ""}, "main.py")
    for bad in ("../x.py", "/abs.py", "a//b.py", "./a.py", "a\\b.py", ""):
        with pytest.raises(ValueError, match="not a relative app path"):
            runner.run({bad: "", "streamlit_app.py": ""}, "streamlit_app.py")
    for timeout in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="timeout must be a positive number"):
            runner.run({"streamlit_app.py": ""}, "streamlit_app.py", timeout=timeout)
    assert runner.worker_pid is None


def test_the_outcome_is_a_frozen_value():
    outcome = RunOutcome("ok")
    assert (outcome.path, outcome.line, outcome.message, outcome.traceback, outcome.detail) == (None,) * 5
    with pytest.raises(FrozenInstanceError):
        outcome.status = "exception"  # type: ignore[misc]
    assert set(run.STATUSES) == {"ok", "exception", "timeout", "unavailable", "skipped"}


@needs_streamlit
@posix_only
def test_close_ends_the_worker():
    runner = AppRunner()
    assert runner.run({"streamlit_app.py": "x = 1\n"}, "streamlit_app.py", timeout=10).status == "ok"
    pid = runner.worker_pid
    runner.close()
    assert runner.worker_pid is None and wait_gone(pid)
