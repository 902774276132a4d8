"""The vendored CodeMirror (assets/stlite-docs/vendor/codemirror.js and its licence notices) is
exactly what scripts/vendor-codemirror builds from the pinned packages of
scripts/codemirror/package-lock.json: no hand edit, no drift from the lockfile."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "assets" / "stlite-docs" / "vendor"
FILES = ("codemirror.js", "codemirror.LICENSE.txt")


def test_vendored_codemirror_is_what_the_lockfile_builds(tmp_path):
    if not (shutil.which("npm") and shutil.which("node")):
        pytest.skip("node and npm are not installed: the vendored CodeMirror cannot be rebuilt here")
    build = subprocess.run(
        ["bash", str(ROOT / "scripts" / "vendor-codemirror"), str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    if build.returncode == 3:  # the script's "npm ci failed"
        reason = f"npm could not install the pinned packages: {build.stderr.strip()[-500:]}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    assert build.returncode == 0, build.stdout + build.stderr
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (VENDOR / name).read_bytes(), (
            f"{name} differs from what scripts/vendor-codemirror builds: run it and commit the result"
        )


def test_the_bundle_names_its_packages_and_their_notices():
    head = (VENDOR / "codemirror.js").read_text(encoding="utf-8")[:2000]
    notices = (VENDOR / "codemirror.LICENSE.txt").read_text(encoding="utf-8")
    lock = (ROOT / "scripts" / "codemirror" / "package-lock.json").read_text(encoding="utf-8")
    for package in ("@codemirror/view@6.43.15", "@codemirror/lang-python@6.2.1", "@lezer/python@1.1.19"):
        assert package in head
        name, version = package.rsplit("@", 1)
        assert f"{name} {version} (MIT)" in notices and f'"node_modules/{name}"' in lock
    # One notice per package the bundle holds, each MIT's full text.
    packages = head.split("(do not edit): ", 1)[1].split(". MIT licensed", 1)[0].split(", ")
    assert len(packages) >= 10 and notices.count("Permission is hereby granted") == len(packages)
