"""``assets: self-host`` in real builds (sphinx-build, mkdocs build) and the ``stlite-docs fetch``
and ``info`` commands, from a runtime_dir made of the npm tarballs (see support/selfhost.py)."""

from __future__ import annotations

import hashlib
import json
import re
import textwrap
from pathlib import Path

import pytest

from stlite_docs.runtime.pins import load_pins
from support.builds import mkdocs_build, sphinx_build, stlite_docs
from support.html import scan
from support.selfhost import npm_runtime_dir, standin_wheel

RUNTIME = "_stlite_docs/runtime"
LOCK = f"{RUNTIME}/pyodide-0.29.3/pyodide-lock.json"
SPHINX_OWN = {".buildinfo"}


@pytest.fixture(scope="module")
def runtime_dir(tmp_path_factory):
    return npm_runtime_dir(tmp_path_factory.mktemp("runtime"))


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STLITE_DOCS_CACHE_DIR", str(tmp_path / "cache"))


def _project(root: Path, runtime_dir: Path, extra_conf: str = "", other: str = "requests") -> Path:
    src = root / "src"
    (src / "guide").mkdir(parents=True)
    (src / "conf.py").write_text(
        'extensions = ["stlite_docs"]\nstlite_docs_assets = "self-host"\n'
        f"stlite_docs_runtime_dir = {str(runtime_dir)!r}\n{extra_conf}"
    )
    (src / "index.rst").write_text(
        "Home\n====\n\n.. toctree::\n\n   guide/deep\n\n.. stlite::\n\n   import streamlit as st\n   st.write(1)\n"
    )
    (src / "guide" / "deep.rst").write_text(
        f"Deep\n====\n\n.. stlite::\n   :requirements: {other}\n\n   import streamlit as st\n   st.write(2)\n"
    )
    return src


def _tree(outdir: Path) -> dict[str, str]:
    return {
        p.relative_to(outdir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and p.name not in SPHINX_OWN
    }


def _packages(outdir: Path) -> set[str]:
    return set(json.loads((outdir / LOCK).read_text())["packages"])


# ---------------------------------------------------------------------- Sphinx
@pytest.mark.parametrize(
    "builder, page, prefix", [("html", "guide/deep.html", "../"), ("dirhtml", "guide/deep/index.html", "../../")]
)
def test_sphinx_self_hosts_and_points_every_app_there(runtime_dir, tmp_path, builder, page, prefix):
    src = _project(tmp_path, runtime_dir)
    build = sphinx_build(src, tmp_path / "out", builder, "-W")
    assert build.returncode == 0, build.output
    out = build.outdir
    spec = scan((out / page).read_text()).mounts[0].spec
    assert spec["stliteUrl"] == prefix + f"{RUNTIME}/stlite-1.9.2/"
    assert spec["pyodideUrl"] == prefix + f"{RUNTIME}/pyodide-0.29.3/pyodide.mjs"
    assert spec["stliteIntegrity"] == load_pins()["stlite"]["integrity"]
    assert (out / RUNTIME / "stlite-1.9.2" / "stlite.js").is_file()
    assert {"requests", "urllib3", "certifi", "streamlit-never-listed"} & _packages(out) == {"requests", "urllib3", "certifi"}
    assert "self-hosted runtime:" in build.output and "Python packages" in build.output
    assert not list(out.rglob("*.map"))


def test_sphinx_parallel_and_serial_self_hosted_sites_are_identical(runtime_dir, tmp_path):
    src = _project(tmp_path, runtime_dir)
    serial = sphinx_build(src, tmp_path / "serial", "html", "-j", "1")
    parallel = sphinx_build(src, tmp_path / "parallel", "html", "-j", "2", doctrees=tmp_path / "dt2")
    assert serial.returncode == 0 and parallel.returncode == 0, serial.output + parallel.output
    assert _tree(serial.outdir) == _tree(parallel.outdir)


def test_sphinx_incremental_builds_keep_the_requirements_of_unchanged_pages(runtime_dir, tmp_path):
    src = _project(tmp_path, runtime_dir)
    out = tmp_path / "out"
    assert sphinx_build(src, out, "html").returncode == 0
    index = src / "index.rst"
    index.write_text(index.read_text().replace("st.write(1)", "st.write(10)"))
    again = sphinx_build(src, out, "html")
    assert again.returncode == 0, again.output
    assert "guide/deep" not in re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", again.output)
    assert "requests" in _packages(out)  # from guide/deep, which was not read again
    fresh = sphinx_build(src, tmp_path / "fresh", "html", doctrees=tmp_path / "fresh-dt")
    assert _tree(out) == _tree(fresh.outdir)
    # The requirement gone from its page: its wheels leave the site.
    deep = src / "guide" / "deep.rst"
    deep.write_text(deep.read_text().replace("   :requirements: requests\n", ""))
    assert sphinx_build(src, out, "html").returncode == 0
    assert "requests" not in _packages(out)
    assert not list((out / RUNTIME).rglob("requests-*"))


def test_sphinx_non_html_builders_copy_nothing(runtime_dir, tmp_path):
    src = _project(tmp_path, runtime_dir)
    build = sphinx_build(src, tmp_path / "text", "text", "-W")
    assert build.returncode == 0, build.output
    assert not (build.outdir / "_stlite_docs").exists()


def test_sphinx_locates_requirements_the_site_cannot_serve(runtime_dir, tmp_path):
    src = _project(tmp_path, runtime_dir, other="no-such-package>=1")
    build = sphinx_build(src, tmp_path / "out", "html")
    assert build.returncode == 0, build.output
    assert re.search(
        r"guide/deep\.rst:4: WARNING: requirement 'no-such-package>=1' is not in Pyodide 0\.29\.3's lock: "
        r"readers' browsers will fetch it from PyPI; set vendor_requirements to serve it from the site \[stlite\.requirement\]",
        build.output,
    ), build.output
    strict = sphinx_build(src, tmp_path / "strict", "html", "-W")
    assert strict.returncode != 0


def test_sphinx_vendors_pure_wheels_and_locates_those_without_one(runtime_dir, tmp_path, monkeypatch):
    """pip, pointed at a local folder of wheels instead of an index (PIP_NO_INDEX, PIP_FIND_LINKS)."""
    links = tmp_path / "links"
    links.mkdir()
    name, data = standin_wheel("tiny-thing", "1.2.3")
    (links / name).write_bytes(data)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(links))
    src = _project(tmp_path, runtime_dir, "stlite_docs_vendor_requirements = True\n", other="tiny-thing, absent-thing")
    build = sphinx_build(src, tmp_path / "out", "html")
    assert build.returncode == 0, build.output
    lock = json.loads((build.outdir / LOCK).read_text())["packages"]
    assert lock["tiny-thing"]["file_name"] == name and lock["tiny-thing"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert (build.outdir / RUNTIME / "pyodide-0.29.3" / name).read_bytes() == data
    assert re.search(
        r"guide/deep\.rst:4: WARNING: requirement 'absent-thing' has no pure-Python wheel that pip can fetch "
        r"\(.*\); Pyodide's lock does not provide it either, so the site cannot serve it \[stlite\.requirement\]",
        build.output,
    ), build.output


def test_a_bad_runtime_dir_stops_the_build_with_its_name(tmp_path):
    src = _project(tmp_path, tmp_path / "nowhere")
    build = sphinx_build(src, tmp_path / "out", "html")
    assert build.returncode != 0
    assert f"runtime_dir {tmp_path / 'nowhere'} must hold stlite/" in build.output


# ---------------------------------------------------------------------- MkDocs
def _mkdocs(root: Path, runtime_dir: Path, requirement: str) -> Path:
    project = root / "mk"
    (project / "docs" / "guide").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(
        textwrap.dedent(f"""\
        site_name: t
        plugins:
          - stlite:
              assets: self-host
              runtime_dir: {runtime_dir}
        markdown_extensions: [pymdownx.superfences]
        """)
    )
    (project / "docs" / "index.md").write_text("# Home\n\n```stlite\nimport streamlit as st\n```\n")
    (project / "docs" / "guide" / "deep.md").write_text(
        f'# Deep\n\nText.\n\n```stlite requirements="{requirement}"\nimport streamlit as st\n```\n'
    )
    return project


def test_mkdocs_self_hosts_on_post_build(runtime_dir, tmp_path):
    build = mkdocs_build(_mkdocs(tmp_path, runtime_dir, "requests"), tmp_path / "site", "--strict")
    assert build.returncode == 0, build.output
    spec = scan((build.outdir / "guide" / "deep" / "index.html").read_text()).mounts[0].spec
    assert spec["stliteUrl"] == f"../../{RUNTIME}/stlite-1.9.2/"
    assert spec["stliteIntegrity"] == load_pins()["stlite"]["integrity"]
    assert "requests" in _packages(build.outdir)
    assert (build.outdir / RUNTIME / "pyodide-0.29.3" / "pyodide.asm.wasm").is_file()


def test_mkdocs_locates_requirements_the_site_cannot_serve(runtime_dir, tmp_path):
    build = mkdocs_build(_mkdocs(tmp_path, runtime_dir, "no-such-package"), tmp_path / "site", "--strict")
    assert build.returncode != 0
    assert "docs/guide/deep.md:5: requirement 'no-such-package' is not in Pyodide 0.29.3's lock" in build.output


def test_sphinx_and_mkdocs_serve_the_same_runtime(runtime_dir, tmp_path):
    sphinx = sphinx_build(_project(tmp_path, runtime_dir), tmp_path / "sx", "html", "-W")
    mkdocs = mkdocs_build(_mkdocs(tmp_path, runtime_dir, "requests"), tmp_path / "mk-site", "--strict")
    assert sphinx.returncode == 0 and mkdocs.returncode == 0

    def runtime(out: Path):
        return {k: v for k, v in _tree(out).items() if k.startswith(RUNTIME)}

    assert runtime(sphinx.outdir) == runtime(mkdocs.outdir)


# ---------------------------------------------------------------------- the commands
def test_fetch_fills_a_runtime_dir_and_a_docs_folder(runtime_dir, tmp_path):
    dest = tmp_path / "offline"
    done = stlite_docs("fetch", "--dest", str(dest), "--runtime-dir", str(runtime_dir), "--requirements", "requests", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "self-hosted runtime:" in done.stdout
    assert (dest / "stlite" / "stlite.js").is_file() and "requests" in json.loads(
        (dest / "pyodide" / "pyodide-lock.json").read_text()
    )["packages"]
    # That folder is a runtime_dir: a build from it needs nothing else.
    build = sphinx_build(_project(tmp_path, dest), tmp_path / "out", "html", "-W")
    assert build.returncode == 0, build.output
    docs = tmp_path / "docs"
    site = stlite_docs("fetch", "--site", str(docs), "--runtime-dir", str(dest), "--requirements", "requests", "--quiet")
    assert site.returncode == 0, site.stderr
    # What a Zensical author puts into docs/ is what a self-hosted build writes into its site.
    assert _tree(docs) == {k: v for k, v in _tree(build.outdir).items() if k.startswith(RUNTIME)}
    assert (docs / RUNTIME / "stlite-1.9.2" / "stlite.js").is_file()


def test_fetch_reports_a_failed_download_with_its_url(tmp_path):
    done = stlite_docs("fetch", "--dest", str(tmp_path / "x"), "--mirror-url", "http://127.0.0.1:9/", "--quiet")
    assert done.returncode == 1
    assert re.search(r"could not download http://127\.0\.0\.1:9/npm/@stlite/browser@1\.9\.2/build/\S+", done.stderr), done.stderr


def test_info_prints_versions_integrity_and_the_cache(runtime_dir, tmp_path):
    done = stlite_docs("info")
    assert done.returncode == 0, done.stderr
    assert "@stlite/browser 1.9.2" in done.stdout and "Pyodide    0.29.3" in done.stdout
    assert load_pins()["stlite"]["integrity"]["stlite.js"] in done.stdout
    assert str(tmp_path / "cache" / "runtime") in done.stdout
