"""Run the real ``sphinx-build`` on a copy of a test project."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOTS = Path(__file__).resolve().parent.parent / "build" / "roots"


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
    cmd = [sys.executable, "-m", "sphinx", "-b", builder, "-d", str(doctrees), *extra, str(srcdir), str(outdir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env())
    return Build(proc.returncode, proc.stdout + proc.stderr, outdir, srcdir)


def _env():
    import os

    env = dict(os.environ)
    env.pop("SPHINXOPTS", None)
    env["PYTHONHASHSEED"] = "0"
    env["LC_ALL"] = "C.UTF-8"
    return env
