#!/usr/bin/env python3
"""Build-time cost of live apps in a large documentation set, measured.

    python benchmarks/build.py                  # 100 pages x 5 apps, median of 5 builds
    python benchmarks/build.py --quick          # smoke run: 3 pages x 2 apps, 1 build

What it does:

- Generates (deterministically, from ``--seed``) a synthetic site: ``--pages`` pages in ten
  sections, each with prose, one ordinary Python listing and ``--apps`` app blocks. The apps are
  realistic docs apps of 10-40 lines: imports, widgets, charts, forms, session state; some take
  ``#|`` option lines, some directive options / fence attributes, some are multi-file
  (``## file:``, helpers and ``pages/``), some have ``requirements``, some attach a CSV with
  ``files``, some set ``config`` or ``name``.
- Writes it twice for each front-end: Sphinx (reStructuredText, ``extensions =
  ["stlite_docs"]``, default theme) and MkDocs (the plain ``mkdocs`` theme,
  ``pymdownx.superfences``, ``plugins: [search, stlite]``).
- The *baseline* is the identical site with every app block replaced by a plain Python code
  block holding the same text (Sphinx ``.. code-block:: python``, MkDocs a ```` ```python ````
  fence), **with the extension / plugin still enabled**: the ratio app-site / baseline is the
  cost of the blocks, not of loading stlite-docs. An extra line builds the baseline with the
  extension / plugin not enabled at all.
- Every build is a real subprocess (``sphinx-build -q -E`` with ``-j 1`` and ``-j 2`` into a
  fresh output folder, ``mkdocs build -q`` into a fresh site folder), with Python's bytecode
  cache on as in an installed wheel (``PYTHONDONTWRITEBYTECODE`` is cleared), app and baseline builds
  interleaved within each run (the order alternates between runs) so drift on a busy machine
  hits both alike. It prints the median of ``--runs`` builds of each and the ratio, and beside
  it the *paired* ratio (the median of each run's own app / baseline ratio, which cancels a
  shared machine's drift between runs), against a
  target of at most 1.10 for each front-end, with the default ``syntax`` check on: once with
  an empty check cache (every build gets a fresh ``STLITE_DOCS_CACHE_DIR``, as a CI build
  without a cache), once with a warm one (filled by an untimed build first). The user's own
  cache is never touched. Beside the wall-time ratio, the same ratio of user+sys CPU time
  (the build and every process it waited for, the compile server included).
- The noise line: each run also builds the baseline a second time, first in the run (as far
  from the baseline's own build as the apps are, or further). The baseline against itself is
  what a ratio reads when nothing differs: how far this machine alone moves a ratio in this
  run. It is printed, not judged.
- The sources, outputs and caches are in a temporary folder in memory (``/dev/shm``) where
  there is one: on disk the file system's own state adds noise (see ``memory_folder``).
- A one-page rebuild: after a full build, one page's prose is edited and the site rebuilt
  (with the warm check cache). Sphinx: an incremental build (no ``-E``, same output folder).
  MkDocs has no real incremental build: the figure is a full ``mkdocs build`` after the edit,
  with ``mkdocs build --dirty`` (MkDocs' "only changed files" mode, which warns that
  navigation may go stale) beside it.
- Page weight: per page, the gzip size of its HTML on the app site minus the baseline's (what
  its app blocks add: mount points, specs, the loader and stylesheet tags), and the raw and
  gzip sizes of the loader assets the build ships.

The builds use the Python running this script (``sys.executable -m sphinx`` / ``-m mkdocs``).
``--check`` exits 1 when a full-build ratio is above the target, beyond the run's noise; 2 when
a ratio is nearer the target than the noise line is to 1 (the run cannot tell; run it again, or
with more ``--runs``); 0 when every ratio is met.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

TARGET = 1.10
SECTIONS = 10
EDIT_MARK = "Reviewed in revision 1."
EDITED = "Reviewed in revision 2."
MOUNT = 'data-stlite-docs="1"'
INVALID = "stlite-docs-invalid"
#: what a page with apps links; the modules loader.js imports statically load with it
PAGE_ASSETS = ("loader.js", "stlite-docs.css")
_STATIC_IMPORT = re.compile(r'^import\b[^;]*?from\s+"\./([\w.-]+)"', re.MULTILINE)

# ----------------------------------------------------------------------------- the apps
WORDS = (
    "app widget slider chart table data frame column metric filter value range sample model "
    "input output state session cache layout sidebar page section result plot series trend "
    "average total count label option select number text button form submit download upload "
    "theme color width height preview report summary example dataset record field index"
).split()
TOPICS = [
    "sales",
    "weather",
    "traffic",
    "orders",
    "sensors",
    "budget",
    "survey",
    "inventory",
    "visitors",
    "energy",
    "latency",
    "revenue",
]
COLORS = ["#ff4b4b", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"]
HEIGHTS = ["300px", "400px", "480px", "32em", "60vh"]


@dataclass
class Block:
    """One app block: its body (``#|`` lines and ``## file:`` lines included) and the options
    written outside the body (directive options / fence attributes)."""

    body: str
    outer: dict[str, str] = field(default_factory=dict)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return textwrap.fill(" ".join(_sentence(rng) for _ in range(rng.randint(3, 5))), 92)


def _app_slider_chart(rng, topic):
    n = rng.randint(20, 200)
    return {
        "streamlit_app.py": f'''\
import numpy as np
import streamlit as st

st.subheader("{topic.title()} over time")
points = st.slider("Points", 10, {n * 2}, {n})
noise = st.slider("Noise", 0.0, 2.0, {rng.choice([0.1, 0.25, 0.5])})
smooth = st.checkbox("Smooth the series", value={rng.choice([True, False])})

rng = np.random.default_rng({rng.randint(0, 999)})
values = np.cumsum(rng.normal(0, noise, points))
if smooth:
    window = max(1, points // 10)
    values = np.convolve(values, np.ones(window) / window, mode="same")

st.line_chart(values)
st.caption(f"{{points}} points, last value {{values[-1]:.2f}}")
'''
    }, ["numpy"]


def _app_dataframe(rng, topic):
    cols = rng.sample(["region", "product", "channel", "team", "segment"], 2)
    return {
        "streamlit_app.py": f'''\
import pandas as pd
import streamlit as st

data = pd.DataFrame({{
    "{cols[0]}": ["north", "south", "east", "west"] * 5,
    "{cols[1]}": ["a", "b", "c", "d", "e"] * 4,
    "{topic}": [{", ".join(str(rng.randint(10, 99)) for _ in range(5))}] * 4,
}})

choice = st.multiselect("{cols[0].title()}", sorted(data["{cols[0]}"].unique()), default=["north"])
minimum = st.number_input("Minimum {topic}", 0, 100, {rng.randint(0, 40)})
view = data[data["{cols[0]}"].isin(choice) & (data["{topic}"] >= minimum)]

st.dataframe(view, use_container_width=True)
st.bar_chart(view.groupby("{cols[1]}")["{topic}"].sum())
st.write(f"{{len(view)}} of {{len(data)}} rows")
'''
    }, ["pandas"]


def _app_form(rng, topic):
    return {
        "streamlit_app.py": f'''\
import streamlit as st

st.header("Estimate your {topic}")
with st.form("{topic}-form"):
    name = st.text_input("Name", "{rng.choice(["Ada", "Grace", "Linus", "Guido"])}")
    amount = st.number_input("Amount", min_value=0, value={rng.randint(1, 500)})
    rate = st.select_slider("Rate", options=[0.5, 1.0, 1.5, 2.0], value=1.0)
    agree = st.checkbox("I have read the notes above")
    submitted = st.form_submit_button("Compute")

if submitted:
    if not agree:
        st.warning("Please confirm you have read the notes.")
    else:
        total = amount * rate
        st.success(f"{{name}}: {{total:.1f}} {topic}")
        st.metric("Total", f"{{total:.1f}}", delta=f"{{total - amount:+.1f}}")
'''
    }, []


def _app_counter(rng, topic):
    step = rng.randint(1, 5)
    return {
        "streamlit_app.py": f'''\
import streamlit as st

if "count" not in st.session_state:
    st.session_state.count = 0

left, middle, right = st.columns(3)
if left.button("- {step}"):
    st.session_state.count -= {step}
if middle.button("Reset"):
    st.session_state.count = 0
if right.button("+ {step}"):
    st.session_state.count += {step}

st.metric("{topic.title()} counted", st.session_state.count)
st.progress(min(abs(st.session_state.count), 100) / 100)
'''
    }, []


def _app_helpers(rng, topic):
    factor = rng.randint(2, 9)
    return {
        "streamlit_app.py": f'''\
import streamlit as st
from helpers import describe, scale

st.title("{topic.title()} calculator")
value = st.number_input("Value", value={rng.randint(1, 50)})
st.write(describe(value))
st.write("Scaled:", scale(value))
''',
        "helpers.py": f'''\
"""Helpers shared by the pages of the {topic} app."""

FACTOR = {factor}


def scale(value: float) -> float:
    return value * FACTOR


def describe(value: float) -> str:
    size = "large" if value > 25 else "small"
    return f"{{value}} is a {{size}} amount of {topic}"
''',
    }, []


def _app_multipage(rng, topic):
    return {
        "streamlit_app.py": f'''\
import streamlit as st

st.title("{topic.title()} explorer")
st.write("Pick a page in the sidebar.")
st.session_state.setdefault("unit", "{rng.choice(["kg", "m", "s", "items"])}")
st.selectbox("Unit", ["kg", "m", "s", "items"], key="unit")
''',
        "pages/1_Details.py": f"""\
import streamlit as st

st.header("Details")
st.write("Unit:", st.session_state.get("unit", "items"))
limit = st.slider("Limit", 1, {rng.randint(20, 90)}, 10)
for i in range(limit // 5):
    st.write(f"Row {{i}}: {{i * limit}}")
""",
        "pages/2_About.py": f"""\
import streamlit as st

st.header("About the {topic} explorer")
st.markdown("A small multipage app: each file in `pages/` is a page.")
""",
    }, []


def _app_csv(rng, topic):
    return {
        "streamlit_app.py": f"""\
import pandas as pd
import streamlit as st

frame = pd.read_csv("data/sales.csv")
st.subheader("Monthly {topic}")
metric = st.radio("Column", ["units", "revenue"], horizontal=True)
months = st.slider("Months", 1, len(frame), len(frame))
st.area_chart(frame.head(months).set_index("month")[metric])
with st.expander("Raw data"):
    st.table(frame.head(months))
"""
    }, ["pandas"]


def _app_tabs(rng, topic):
    return {
        "streamlit_app.py": f'''\
import streamlit as st

st.subheader("{topic.title()} dashboard")
overview, settings = st.tabs(["Overview", "Settings"])
with settings:
    target = st.number_input("Target", value={rng.randint(100, 900)})
    show = st.toggle("Show the breakdown", value=True)
with overview:
    a, b, c = st.columns(3)
    a.metric("Today", {rng.randint(10, 99)}, "+3")
    b.metric("Week", {rng.randint(100, 999)}, "-12")
    c.metric("Target", target)
    if show:
        st.json({{"today": {rng.randint(10, 99)}, "week": {rng.randint(100, 999)}}})
'''
    }, []


APP_KINDS = [_app_slider_chart, _app_dataframe, _app_form, _app_counter, _app_helpers, _app_multipage, _app_csv, _app_tabs]


def make_block(rng: random.Random, page: int, index: int) -> Block:
    topic = rng.choice(TOPICS)
    kind = rng.choice(APP_KINDS)
    files, requirements = kind(rng, topic)
    inner: list[str] = []  # '#|' lines
    outer: dict[str, str] = {}
    style = rng.random()
    caption = f"{topic.title()} {rng.choice(['demo', 'explorer', 'example', 'playground'])}"
    if requirements:
        if style < 0.5:
            inner.append(f"#| requirements: [{', '.join(requirements)}]")
        else:
            outer["requirements"] = ", ".join(requirements)
    if rng.random() < 0.6:
        if style < 0.5:
            outer["caption"] = caption
        else:
            inner.append(f"#| caption: {caption}")
    if rng.random() < 0.4:
        inner.append(f"#| height: {rng.choice(HEIGHTS)}")
    if rng.random() < 0.2:
        inner.append(f"#| load: {rng.choice(['click', 'eager'])}")
    if rng.random() < 0.15:
        inner.append(f'#| config: {{theme.primaryColor: "{rng.choice(COLORS)}"}}')
    if rng.random() < 0.15:
        outer["name"] = f"app-{page}-{index}"
    if kind is _app_csv:
        inner.append(f"#| files: {{data/sales.csv: /data/{topic}.csv}}")

    entry, *others = files
    body = "".join(line + "\n" for line in inner) + ("\n" if inner else "") + files[entry]
    for path in others:
        body += f"## file: {path}\n" + files[path]
    return Block(body, outer)


def make_csv(rng: random.Random) -> str:
    rows = ["month,units,revenue"]
    for month in range(1, 13):
        units = rng.randint(50, 500)
        rows.append(f"2024-{month:02d},{units},{units * rng.randint(3, 9)}")
    return "\n".join(rows) + "\n"


@dataclass
class PageSpec:
    path: str  # without suffix, e.g. "section_03/page_017"
    title: str
    intro: str
    listing: str
    parts: list[tuple[str, str, Block]]  # (heading, paragraph, block)


def make_pages(seed: int, pages: int, apps: int) -> list[PageSpec]:
    rng = random.Random(seed)
    result = []
    for p in range(pages):
        title = f"Page {p:03d}: {rng.choice(TOPICS)} {rng.choice(WORDS)}"
        listing = (
            f"from example import {rng.choice(WORDS)}\n\nresult = {rng.choice(WORDS)}({rng.randint(1, 99)})\nprint(result)\n"
        )
        parts = [
            (f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i + 1}", _paragraph(rng), make_block(rng, p, i))
            for i in range(apps)
        ]
        result.append(PageSpec(f"section_{p % SECTIONS:02d}/page_{p:03d}", title, _paragraph(rng), listing, parts))
    return result


# ----------------------------------------------------------------------------- writing sites
def _indent(text: str, prefix: str = "   ") -> str:
    return "".join(prefix + line if line.strip() else "\n" for line in text.splitlines(keepends=True))


def rst_page(page: PageSpec, variant: str) -> str:
    out = [
        page.title,
        "=" * len(page.title),
        "",
        page.intro,
        "",
        EDIT_MARK,
        "",
        ".. code-block:: python",
        "",
        _indent(page.listing),
    ]
    for heading, paragraph, block in page.parts:
        out += [heading, "-" * len(heading), "", paragraph, ""]
        body = block.body
        if variant == "app":
            out.append(".. stlite::")
            out += [f"   :{key}: {value}" for key, value in block.outer.items()]
        elif variant == "inner":  # the same options, as '#|' lines: docutils parses no option list
            out.append(".. stlite::")
            lines = "".join(f"#| {key}: {value}\n" for key, value in block.outer.items())
            body = lines + ("" if not lines or body.startswith("#|") else "\n") + body
        else:
            out.append(".. code-block:: python")
        out += ["", _indent(body)]
    return "\n".join(out)


def md_page(page: PageSpec, variant: str) -> str:
    out = [f"# {page.title}", "", page.intro, "", EDIT_MARK, "", "```python", page.listing + "```", ""]
    for heading, paragraph, block in page.parts:
        out += [f"## {heading}", "", paragraph, ""]
        if variant == "app":
            attrs = "".join(f' {key}="{value}"' for key, value in block.outer.items())
            out.append(f"```stlite{attrs}")
        else:
            out.append("```python")
        out += [block.body + "```", ""]
    return "\n".join(out)


def write_sphinx(root: Path, pages: list[PageSpec], csvs: dict[str, str], variant: str) -> Path:
    """``variant``: "app", "base" (plain code blocks, extension on) or "noext" (plain code
    blocks, extension off)."""
    src = root / f"sphinx-{variant}"
    extensions = [] if variant == "noext" else ["stlite_docs"]
    _write(src / "conf.py", f'project = "Benchmark"\nextensions = {extensions!r}\nexclude_patterns = ["_build"]\n')
    _write(src / "index.rst", "Benchmark\n=========\n\n.. toctree::\n   :glob:\n   :maxdepth: 1\n\n   section_*/*\n")
    for name, text in csvs.items():
        _write(src / "data" / name, text)
    for page in pages:
        _write(src / f"{page.path}.rst", rst_page(page, variant if variant in ("app", "inner") else "base"))
    return src


def write_mkdocs(root: Path, pages: list[PageSpec], csvs: dict[str, str], variant: str) -> Path:
    project = root / f"mkdocs-{variant}"
    plugins = "  - search\n" + ("" if variant == "noext" else "  - stlite\n")
    _write(
        project / "mkdocs.yml",
        f"site_name: Benchmark\ntheme:\n  name: mkdocs\nmarkdown_extensions:\n  - pymdownx.superfences\nplugins:\n{plugins}",
    )
    docs = project / "docs"
    _write(docs / "index.md", "# Benchmark\n\nA synthetic site.\n")
    for name, text in csvs.items():
        _write(docs / "data" / name, text)
    for page in pages:
        _write(docs / f"{page.path}.md", md_page(page, "app" if variant == "app" else "base"))
    return project


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ----------------------------------------------------------------------------- running builds
def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SPHINXOPTS", None)
    env.pop("FORCE_COLOR", None)
    # Python's bytecode cache on, as in an installed wheel (pip compiles it): an environment that
    # turns it off would charge the app builds, which import more of stlite-docs, for compiling
    # an editable checkout's modules from source on every build.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(PYTHONHASHSEED="0", LC_ALL="C.UTF-8", NO_COLOR="1", NO_MKDOCS_2_WARNING="1")
    env["STLITE_DOCS_CACHE_DIR"] = str(cache)  # never the user's own check cache
    return env


@dataclass
class Timing:
    wall: float
    cpu: float  # user + sys of the build and every process it waited for


def run(cmd: list[str], what: str, cache: Path) -> Timing:
    """Run one build; a failed build stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(cache))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{what} failed ({proc.returncode}):\n{' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def sphinx_cmd(src: Path, out: Path, jobs: int, fresh: bool = True) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-q",
        "-N",
        *(["-E"] if fresh else []),
        "-j",
        str(jobs),
        "-b",
        "html",
        str(src),
        str(out),
    ]


def mkdocs_cmd(project: Path, site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site), *extra]


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


#: Variants of a full build, in the order of a run: the baseline built a second time (the
#: noise line, see ``_report``), the app site with an empty check cache, the app site with a
#: warm one, the baseline, the baseline without stlite-docs.
VARIANTS = {
    "again": "baseline, again",
    "app": "apps",
    "warm": "apps, warm check cache",
    "inner": "apps, options as #| lines",
    "base": "baseline",
    "noext": "no extension",
}
#: Sphinx -j 1 only: the app site with every directive option written as a '#|' line instead.
ONLY_SPHINX_J1 = ("inner",)


@dataclass
class Case:
    """One kind of full build, timed for every variant."""

    label: str
    frontend: str
    jobs: int = 1
    times: dict[str, list[Timing]] = field(default_factory=lambda: {v: [] for v in VARIANTS})

    def median(self, variant: str, what: str = "wall") -> float:
        return median([getattr(t, what) for t in self.times[variant]])

    def ratio(self, variant: str, what: str = "wall") -> float:
        return self.median(variant, what) / self.median("base", what)

    def noise(self) -> float | None:
        """How far the baseline against itself is from 1 in this run (see ``_report``)."""
        return abs(self.ratio("again") - 1) if self.times["again"] else None

    def verdict(self, variant: str) -> str:
        """ "met" / "NOT met"; with a "?" when the ratio is nearer the target than the noise
        line is to 1: then this run cannot tell which side of the target the cost is on."""
        ratio, noise = self.ratio(variant), self.noise()
        verdict = "met" if ratio <= TARGET else "NOT met"
        return verdict + "?" if noise is not None and abs(ratio - TARGET) <= noise else verdict

    def paired(self, variant: str) -> float:
        """The median of each run's own ratio: a run builds the variant and the baseline one
        after the other, so a machine that is faster or slower in one run than in another
        (a shared VM) cancels out."""
        return median([a.wall / b.wall for a, b in zip(self.times[variant], self.times["base"], strict=False)])


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# ----------------------------------------------------------------------------- page weight
def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def page_weight(app_site: Path, base_site: Path, suffix_pages: list[str]) -> dict[str, float]:
    added_gz, added_raw = [], []
    for rel in suffix_pages:
        a, b = (app_site / rel).read_bytes(), (base_site / rel).read_bytes()
        added_gz.append(gz(a) - gz(b))
        added_raw.append(len(a) - len(b))
    return {
        "gz_median": median(added_gz),
        "gz_mean": statistics.fmean(added_gz),
        "gz_min": min(added_gz),
        "gz_max": max(added_gz),
        "raw_mean": statistics.fmean(added_raw),
    }


def asset_sizes(folder: Path) -> list[tuple[str, int, int]]:
    return [(p.name, len(p.read_bytes()), gz(p.read_bytes())) for p in sorted(folder.iterdir()) if p.is_file()]


def page_assets(folder: Path) -> set[str]:
    """The files a page with apps loads: what it links, and the modules those import."""
    found, todo = set(), list(PAGE_ASSETS)
    while todo:
        name = todo.pop()
        if name in found or not (folder / name).is_file():
            continue
        found.add(name)
        if name.endswith(".js"):
            todo += _STATIC_IMPORT.findall((folder / name).read_text(encoding="utf-8"))
    return found


def check_site(site: Path, pages: list[PageSpec], apps: int, page_suffix: str, what: str) -> None:
    """The app site must hold every app as a mount point and no notice: a generator mistake
    would otherwise make the benchmark measure error notices."""
    mounts = invalid = 0
    for page in pages:
        html = (site / (page.path + page_suffix)).read_text(encoding="utf-8")
        mounts += html.count(MOUNT)
        invalid += html.count(INVALID + '"') + html.count(INVALID + " ")
    if mounts != len(pages) * apps or invalid:
        sys.exit(f"{what}: expected {len(pages) * apps} mount points and no notice, found {mounts} and {invalid}")


# ----------------------------------------------------------------------------- main
def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or model
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for dist, name in (("sphinx", "Sphinx"), ("mkdocs", "MkDocs"), ("pymdown-extensions", "pymdown-extensions")):
        try:
            versions.append(f"{name} {version(dist)}")
        except PackageNotFoundError:
            versions.append(f"{name} -")
    return (
        f"{os.cpu_count()} cores, {model}, {platform.system()} {platform.release().split('-')[0]}, "
        f"Python {platform.python_version()}, " + ", ".join(versions)
    )


def syntax_python() -> str:
    """Which Python the default syntax check compiles with, as the builds will find it."""
    try:
        from stlite_docs.check.syntax import SyntaxChecker, python313_candidates
    except ImportError:
        return "unknown (stlite_docs.check.syntax not importable)"
    checker = SyntaxChecker()
    try:
        version = checker.python
        where = checker._executable if getattr(checker, "_process", None) is not None else "in process"
    finally:
        checker.close()
    if version == "3.13" and sys.version_info[:2] != (3, 13):
        return f"Python 3.13, a compile server ({where or python313_candidates()[0]})"
    return f"Python {version}, in the build's process"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 pages x 2 apps, 1 build (unless given)")
    parser.add_argument("--pages", type=int, help="pages in the site (default 100)")
    parser.add_argument("--apps", type=int, help="app blocks per page (default 5)")
    parser.add_argument("--runs", type=int, help="builds of each kind; the median is reported (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic site (default 0)")
    parser.add_argument("--only", choices=["sphinx", "mkdocs"], help="one front-end only")
    parser.add_argument("--no-extra", action="store_true", help="skip the warm-cache and no-extension builds")
    parser.add_argument(
        "--keep",
        type=Path,
        help="build in this folder and keep it (default: a temporary folder, in memory where there is a tmpfs)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 when a full-build ratio exceeds {TARGET}, 2 when a ratio is too near it for the run's noise",
    )
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # the report and stderr's progress in order
    pages_n = args.pages or (3 if args.quick else 100)
    apps_n = args.apps or (2 if args.quick else 5)
    runs = args.runs or (1 if args.quick else 5)
    frontends = [args.only] if args.only else ["sphinx", "mkdocs"]
    variants = ["app", "base"] if args.no_extra else list(VARIANTS)

    if args.keep:
        work = args.keep.resolve()
        work.mkdir(parents=True, exist_ok=True)
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="stlite-docs-bench-", dir=memory_folder())
        work = Path(cleanup.name)
    try:
        return _bench(work, pages_n, apps_n, runs, args.seed, frontends, variants, args.check, args.keep is not None)
    finally:
        if cleanup is not None:
            cleanup.cleanup()


def memory_folder() -> str | None:
    """Where to build by default: in memory (Linux's /dev/shm tmpfs), if there is one.

    On disk, a build's time depends on the file system's state as much as on the build: on
    the VM the README's figures come from, an eighth of a MkDocs build was the kernel's ext4
    inode allocator (``perf``), which slows as the same folders are deleted and made again,
    build after build. In memory, that noise is gone and both sites pay the same for their
    files. ``--keep DIR`` builds on disk, in DIR."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


class Bench:
    def __init__(self, work: Path, seed: int, pages: list[PageSpec], frontends: list[str], variants: list[str]):
        csv_rng = random.Random(seed + 1)
        csvs = {f"{topic}.csv": make_csv(csv_rng) for topic in TOPICS}
        sources = fresh(work / "src")
        site_variants = [v for v in ("app", "inner", "base", "noext") if v in variants]
        self.sphinx = {v: write_sphinx(sources, pages, csvs, v) for v in site_variants} if "sphinx" in frontends else {}
        self.mkdocs = (
            {v: write_mkdocs(sources, pages, csvs, v) for v in site_variants if v not in ONLY_SPHINX_J1}
            if "mkdocs" in frontends
            else {}
        )
        self.out = work / "out"
        self.cold = work / "cache" / "cold"
        self.warm = work / "cache" / "warm"
        self.edited = pages[len(pages) // 2].path

    def full(self, case: Case, variant: str) -> Timing:
        site = {"warm": "app", "again": "base"}.get(variant, variant)
        cache = self.warm if variant == "warm" else fresh(self.cold)
        outdir = fresh(self.out / f"{case.label.replace(' ', '')}-{variant}")
        if case.frontend == "sphinx":
            cmd = sphinx_cmd(self.sphinx[site], outdir, case.jobs)
        else:
            cmd = mkdocs_cmd(self.mkdocs[site], outdir)
        return run(cmd, f"{case.label} ({VARIANTS[variant]})", cache)

    def sphinx_rebuild(self, variant: str) -> Timing:
        """Edit one page, rebuild incrementally on what the last ``-j 1`` build left."""
        src = self.sphinx[variant]
        source = src / f"{self.edited}.rst"
        original = _edit(source, EDITED)
        try:
            return run(sphinx_cmd(src, self.out / f"sphinx-j1-{variant}", 1, fresh=False), "sphinx rebuild", self.warm)
        finally:
            source.write_text(original, encoding="utf-8")

    def mkdocs_rebuild(self, variant: str) -> tuple[Timing, Timing]:
        """Edit one page: a full build, and a ``--dirty`` one, on a copy of the last site."""
        project = self.mkdocs[variant]
        source = project / "docs" / f"{self.edited}.md"
        outdir = fresh(self.out / f"mkdocs-rebuild-{variant}")
        shutil.copytree(self.out / f"mkdocs-{variant}", outdir)  # copy2 keeps the mtimes --dirty compares
        original = _edit(source, EDITED)
        try:
            full = run(mkdocs_cmd(project, outdir), "mkdocs rebuild", self.warm)
            _edit(source, "Reviewed in revision 3.", original)
            dirty = run(mkdocs_cmd(project, outdir, "--dirty"), "mkdocs --dirty rebuild", self.warm)
        finally:
            source.write_text(original, encoding="utf-8")
        return full, dirty


def _edit(path: Path, mark: str, original: str | None = None) -> str:
    original = original if original is not None else path.read_text(encoding="utf-8")
    path.write_text(original.replace(EDIT_MARK, mark), encoding="utf-8")
    return original


def _bench(work: Path, pages_n: int, apps_n: int, runs: int, seed: int, frontends, variants, check, keep: bool) -> int:
    pages = make_pages(seed, pages_n, apps_n)
    bench = Bench(work, seed, pages, frontends, variants)

    print(f"stlite-docs build benchmark: {pages_n} pages x {apps_n} apps, median of {runs} build(s), seed {seed}")
    print(f"machine: {machine()}")
    print(f"syntax check (the default check): {syntax_python()}")
    print(f"builds: {sys.executable} -m sphinx / -m mkdocs, each a subprocess, in {work}", flush=True)

    cases: list[Case] = []
    if "sphinx" in frontends:
        cases += [Case("sphinx -j 1", "sphinx", 1), Case("sphinx -j 2", "sphinx", 2)]
    if "mkdocs" in frontends:
        cases.append(Case("mkdocs", "mkdocs"))
    rebuilds: dict[str, dict[str, list[Timing]]] = {}

    # Fill the warm cache, and check that every app of the site is built as an app.
    for case in cases:
        if case.jobs == 1:
            bench.full(case, "warm")
            suffix = ".html" if case.frontend == "sphinx" else "/index.html"
            check_site(bench.out / f"{case.label.replace(' ', '')}-warm", pages, apps_n, suffix, case.label)

    for r in range(runs):
        order = variants if r % 2 == 0 else variants[::-1]
        for case in cases:
            for variant in order:
                if variant in ONLY_SPHINX_J1 and (case.frontend, case.jobs) != ("sphinx", 1):
                    continue
                case.times[variant].append(bench.full(case, variant))
                if variant in ONLY_SPHINX_J1 and r == 0:
                    check_site(bench.out / f"{case.label.replace(' ', '')}-{variant}", pages, apps_n, ".html", case.label)
        for variant in [v for v in order if v in ("app", "base")]:
            if "sphinx" in frontends:
                rebuilds.setdefault("sphinx -j 1, incremental", {}).setdefault(variant, []).append(bench.sphinx_rebuild(variant))
            if "mkdocs" in frontends:
                full, dirty = bench.mkdocs_rebuild(variant)
                rebuilds.setdefault("mkdocs, full build [1]", {}).setdefault(variant, []).append(full)
                rebuilds.setdefault("mkdocs --dirty [2]", {}).setdefault(variant, []).append(dirty)
        print(f"  run {r + 1}/{runs} done", file=sys.stderr, flush=True)

    outcome = _report(cases, rebuilds, variants, bench.out, pages, apps_n)
    raw = {case.label: {v: [[t.wall, t.cpu] for t in ts] for v, ts in case.times.items() if ts} for case in cases}
    raw.update({label: {v: [[t.wall, t.cpu] for t in ts] for v, ts in times.items()} for label, times in rebuilds.items()})
    (work / "timings.json").write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
    if keep:
        print(f"\nEvery timing (wall, cpu), in build order: {work / 'timings.json'}")
    return {"met": 0, "NOT met": 1, "inconclusive": 2}[outcome] if check else 0


def _full_row(label: str, case: Case, variant: str, verdict: str) -> str:
    """One row of the full-build table: ``variant`` against the baseline."""
    return (
        f"{label:<31} {case.median(variant):6.2f} {case.median('base'):8.2f} {case.ratio(variant):6.3f}"
        f"  {verdict:<8} {case.ratio(variant, 'cpu'):9.3f} {case.paired(variant):6.3f}"
    )


def _report(cases: list[Case], rebuilds, variants, out: Path, pages: list[PageSpec], apps_n: int) -> str:
    """Print the tables; the outcome: "met", "NOT met" (a judged ratio is above the target,
    beyond the run's noise), or "inconclusive" (none is, but one is too near the target)."""
    verdicts = []
    print()
    print(
        f"Full build, median (s)          {'apps':>6} {'baseline':>8} {'ratio':>6}  {'target':<8} {'cpu ratio':>9}"
        f" {'paired':>6}" + ("  no extension" if "noext" in variants else "")
    )
    for case in cases:
        for variant in [v for v in ("app", "warm", "inner") if v in variants and case.times[v]]:
            label = case.label + {"app": "", "warm": ", warm check cache", "inner": ", options as #| [3]"}[variant]
            # The '#|' variant is a diagnostic of the option syntax (the site already mixes
            # both forms), not the benchmark's site: printed against the target, not judged.
            if variant == "inner":
                verdict = "(info)" if case.ratio(variant) <= TARGET else "(over)"
            else:
                verdict = case.verdict(variant)
                verdicts.append(verdict)
            line = _full_row(label, case, variant, verdict)
            if "noext" in variants and variant == "app":
                line += f"  {case.median('noext'):12.2f}"
            print(line)
    # The noise line: the baseline against itself, built as far from its first build in each
    # run as the apps are (further, for Sphinx -j 1). Nothing differs between the two, so its
    # distance from 1.000 is what the machine alone does to a ratio in this run.
    for case in cases:
        if case.times["again"]:
            print(_full_row(case.label + ", baseline again [4]", case, "again", "(noise)"))
    print(f"target: apps / baseline <= {TARGET:.2f} (wall time); cpu ratio: the same with user+sys CPU time;")
    print("paired: the median of each run's own apps / baseline (builds of one run follow each other: drift cancels).")
    if any(case.times["inner"] for case in cases):
        print(
            "[3] the same site with every directive option (:caption:, ...) written as a '#|' line instead;"
            " a diagnostic, not judged by --check."
        )
    if any(case.times["again"] for case in cases):
        print(
            "[4] the baseline built twice in each run: what a ratio reads when nothing differs (this machine's noise);"
            " not judged by --check."
        )
        print(
            "?: the ratio is nearer the target than that front-end's noise line [4] is to 1.000: this run cannot tell"
            " which side of the target it is on (--check: inconclusive)."
        )

    print()
    print(f"One-page rebuild, median (s)    {'apps':>6} {'baseline':>8} {'ratio':>6}")
    for label, times in rebuilds.items():
        a, b = median([t.wall for t in times["app"]]), median([t.wall for t in times["base"]])
        print(f"{label:<31} {a:6.2f} {b:8.2f} {a / b:6.3f}")
    if any(label.startswith("mkdocs") for label in rebuilds):
        print("[1] MkDocs has no incremental build: a full `mkdocs build` after editing one page.")
        print("[2] `mkdocs build --dirty` renders only changed pages (MkDocs warns that navigation may go stale).")

    print()
    print(f"Page weight: gzip bytes that a page's {apps_n} app blocks add (app page - baseline page)")
    print(f"{'':<31} {'median':>6} {'mean':>6} {'min':>6} {'max':>6} {'per app':>8} {'raw, mean':>10}")
    sites = []
    for case in cases:
        if case.jobs == 1 and case.frontend == "sphinx":
            sites.append(("sphinx", out / "sphinx-j2-app", out / "sphinx-j2-base", ".html", "_static/stlite-docs"))
        if case.frontend == "mkdocs":
            sites.append(("mkdocs", out / "mkdocs-app", out / "mkdocs-base", "/index.html", "assets/stlite-docs"))
    for label, app_site, base_site, suffix, _ in sites:
        w = page_weight(app_site, base_site, [p.path + suffix for p in pages])
        print(
            f"{label:<31} {w['gz_median']:6.0f} {w['gz_mean']:6.0f} {w['gz_min']:6.0f} {w['gz_max']:6.0f}"
            f" {w['gz_mean'] / apps_n:8.0f} {w['raw_mean']:10.0f}"
        )

    print()
    label, app_site, _, _, assets = sites[0]
    print(f"Loader assets: {assets}/ in the {label} site (bytes)")
    print(f"{'':<31} {'raw':>6} {'gzip':>6}")
    rows = asset_sizes(app_site / assets)
    on_page = page_assets(app_site / assets)
    for name, raw, packed in rows:
        when = "on every page with apps" if name in on_page else "when the first app boots"
        print(f"{name:<31} {raw:6d} {packed:6d}  {when}")
    first = [r for r in rows if r[0] in on_page]
    print(
        f"{'all on a page with apps':<31} {sum(r[1] for r in first):6d} {sum(r[2] for r in first):6d}"
        "  fetched once per site, then cached"
    )
    if "NOT met" in verdicts:
        return "NOT met"
    return "met" if all(v == "met" for v in verdicts) else "inconclusive"


if __name__ == "__main__":
    sys.exit(main())
