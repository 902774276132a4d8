"""``mkdocs serve`` and ``properdocs serve`` rebuild a page when an app file it uses changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from support.builds import copy_root


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _get(url)
        if page is not None and text in page:
            return True
        time.sleep(0.3)
    return False


@pytest.mark.parametrize("tool, config", [("mkdocs", "mkdocs.yml"), ("properdocs", "properdocs.yml")])
def test_serve_rebuilds_when_an_app_file_changes(tmp_path, tool, config):
    project = copy_root("mkdocs-material", tmp_path)
    if config != "mkdocs.yml":
        (project / "mkdocs.yml").rename(project / config)
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen(
        [sys.executable, "-m", tool, "serve", "-f", str(project / config), "-a", f"127.0.0.1:{port}"],
        # (livereload stays on: without it MkDocs watches nothing)
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        assert _wait_for(url, "count * 2", 60), f"{tool} serve did not come up with the app"
        app = project / "docs" / "apps" / "counter.py"
        app.write_text(app.read_text().replace("count * 2", "count * 7"))
        assert _wait_for(url, "count * 7", 60), "the page was not rebuilt after the app file changed"
    finally:
        server.terminate()
        server.wait(timeout=20)
