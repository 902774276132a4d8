"""The manual (docs/) builds with ``-W`` with the real Sphinx and Furo, every internal link and
anchor of the built site resolves (an offline link check), its CLI reference covers the whole
command line, and the README stays a short entry point into it."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from support.builds import sphinx_build
from support.linkcheck import broken_links

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def manual(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("manual") / "html"
    build = sphinx_build(ROOT / "docs", out, "html", "-W", "--keep-going")
    assert build.returncode == 0, build.output
    return out


def test_the_manual_builds_with_W_and_every_internal_link_resolves(manual):
    assert broken_links(manual) == []
    pages = {p.relative_to(manual).as_posix() for p in manual.rglob("*.html")}
    for section in ("tutorials", "how-to", "reference", "explanation"):
        assert sum(p.startswith(section + "/") for p in pages) >= 3, section
    # The loader links readers here when a cross-origin stlite_url lacks CORS.
    assert 'id="cors"' in (manual / "troubleshooting.html").read_text()


def test_the_manual_is_built_with_stlite_docs_and_has_live_apps(manual):
    apps = sum(page.read_text().count("data-stlite-docs=") for page in manual.rglob("*.html"))
    assert apps >= 15
    # Its apps come with their committed previews (one check of the whole chain).
    assert '<div class="stlite-docs-preview' in (manual / "index.html").read_text()


def test_the_cli_reference_covers_every_command_and_option(manual):
    import argparse

    from stlite_docs.cli import build_parser

    text = (manual / "reference" / "cli.html").read_text()
    subparsers = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert len(subparsers.choices) >= 5
    for name, parser in subparsers.choices.items():
        assert f'id="stlite-docs-{name}"' in text, name
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in text, f"stlite-docs {name} {option}"


def test_the_link_checker_reports_a_missing_page_and_a_missing_anchor(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="sub/page.html#here">ok</a><a href="sub/">folder</a><a href="#top" id="top">self</a>'
        '<a href="https://example.org/x">external</a><a href="gone.html">x</a><a href="sub/page.html#nowhere">y</a>'
    )
    (tmp_path / "sub" / "page.html").write_text('<h1 id="here">t</h1><a href="../index.html#top">back</a>')
    (tmp_path / "sub" / "index.html").write_text('<a href="../../outside.html">out</a>')
    assert broken_links(tmp_path) == [
        "index.html: gone.html (no file gone.html)",
        "index.html: sub/page.html#nowhere (no id 'nowhere' in sub/page.html)",
        "sub/index.html: ../../outside.html (no file ../outside.html)",
    ]


def test_the_readme_is_short_and_its_local_links_exist():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 160
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme):
        if not re.match(r"[a-z]+:", target):
            assert (ROOT / target).exists(), target


def test_the_demo_server_says_when_its_port_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "serve.py"), "--probe", "--port", str(port)], capture_output=True, text=True
        )
    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is in use" in result.stderr and f"PORT={port + 1} scripts/demo" in result.stderr
    assert "Traceback" not in result.stderr
