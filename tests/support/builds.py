"""Run the real ``sphinx-build`` and ``mkdocs build`` on copies of test projects."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOTS = Path(__file__).resolve().parent.parent / "builds" / "roots"


@dataclass
class Build:
    returncode: int
    output: str  # stdout + stderr
    outdir: Path
    srcdir: Path

    def page(self, relpath: str) -> str:
        return (self.outdir / relpath).read_text(encoding="utf-8")


def copy_root(name: str, dest: Path) -> Path:
    """A private copy of a test project, so builds never write into the repository."""
    src = dest / name
    shutil.copytree(ROOTS / name, src, dirs_exist_ok=True)
    return src


def sphinx_build(srcdir: Path, outdir: Path, builder: str = "html", *extra: str, doctrees: Path | None = None) -> Build:
    doctrees = doctrees or outdir.parent / (outdir.name + ".doctrees")
    # -N: no colours, whatever the environment says, so messages can be read back.
    cmd = [sys.executable, "-m", "sphinx", "-N", "-b", builder, "-d", str(doctrees), *extra, str(srcdir), str(outdir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env())
    return Build(proc.returncode, proc.stdout + proc.stderr, outdir, srcdir)


def _env():
    import os

    env = dict(os.environ)
    env.pop("SPHINXOPTS", None)
    env["PYTHONHASHSEED"] = "0"
    env["LC_ALL"] = "C.UTF-8"
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)
    return env


def mkdocs_build(project: Path, outdir: Path, *extra: str) -> Build:
    """The real ``mkdocs build`` of ``project`` (a folder with mkdocs.yml) into ``outdir``."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(outdir), *extra]
    env = _env()
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner is not our output
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return Build(proc.returncode, proc.stdout + proc.stderr, outdir, project / "docs")


def properdocs_build(project: Path, outdir: Path, *extra: str, config: str = "properdocs.yml") -> Build:
    """The real ``properdocs build`` (the community fork of MkDocs) of ``project``."""
    cmd = [sys.executable, "-m", "properdocs", "build", "-f", str(project / config), "-d", str(outdir), *extra]
    env = _env()
    env["NO_MKDOCS_2_WARNING"] = "1"
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return Build(proc.returncode, proc.stdout + proc.stderr, outdir, project / "docs")


def zensical_build(project: Path, *extra: str, config: str = "mkdocs.yml") -> Build:
    """The real ``zensical build`` of ``project``. Zensical writes into the project's own
    site_dir (it refuses one outside the project), so the project must be a private copy."""
    cmd = [sys.executable, "-m", "zensical", "build", "-f", str(project / config), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=project)
    return Build(proc.returncode, proc.stdout + proc.stderr, project / "site", project / "docs")


def stlite_docs(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The ``stlite-docs`` command, as installed with the package."""
    return subprocess.run([sys.executable, "-m", "stlite_docs.cli", *args], capture_output=True, text=True, cwd=cwd, env=_env())


#: The documented Zensical setup's asset lines for mkdocs.yml (the loader and CSS put into
#: docs/assets by ``stlite-docs assets docs/assets``).
ZENSICAL_ASSETS = """
extra_javascript:
  - path: assets/stlite-docs/loader.js
    type: module
extra_css:
  - assets/stlite-docs/stlite-docs.css
"""
