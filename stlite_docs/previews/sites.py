"""The docs projects below a folder, their builds, and the apps a build wrote.

``stlite-docs previews`` builds each project exactly as its author does (Sphinx, MkDocs,
ProperDocs), only pointing stlite and Pyodide at the runtime it serves when ``--runtime`` is
given, and reads the mount points back from the built pages: the keys there are the keys the
author's own build looks up (they do not depend on where stlite comes from).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..core.previews import DEFAULT_DIR
from ..core.project import MKDOCS_FILES, Project, find_project

#: How deep below SOURCE_DIR projects are looked for (example_site/mkdocs/mkdocs.yml).
SEARCH_DEPTH = 2
_SKIPPED = {"_build", "site", "build", "node_modules", "__pycache__", ".venv", "venv", ".cache", ".git"}

_FIGURE = re.compile(r'<figure class="stlite-docs"[^>]*\bdata-stlite-docs="[^"]*"[^>]*>.*?</figure>', re.DOTALL)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_SPEC = re.compile(r'(<script type="application/json" class="stlite-docs-spec">)(.*?)(</script>)', re.DOTALL)
_PREVIEW = re.compile(r'<div class="stlite-docs-preview[^"]*">.*?</div>\n?', re.DOTALL)
_LOADER = re.compile(r'<script[^>]+src="([^"]*stlite-docs/loader\.js[^"]*)"')
_STYLESHEET = re.compile(r'<link[^>]+href="([^"]*stlite-docs/stlite-docs\.css[^"]*)"')


class SiteError(Exception):
    """A project cannot be found or built; the message says which and why."""


@dataclass
class DocsProject:
    kind: str  # "sphinx", "mkdocs" or "properdocs"
    config: Path
    #: the folder previews are written to
    previews_dir: Path
    #: source folder (Sphinx) or docs_dir (MkDocs)
    root: Path
    settings: dict = field(default_factory=dict)


@dataclass
class Mount:
    """One app as a built page holds it."""

    page: str  # path of the page from the site root
    index: int  # its position among the page's apps
    key: str
    schemes: tuple[str, ...]
    html: str  # the figure, as built
    loader: str  # the loader and stylesheet URLs as the page wrote them
    stylesheet: str


def find_projects(source: Path) -> list[DocsProject]:
    """The docs projects at ``source`` or up to ``SEARCH_DEPTH`` folders below it."""
    found: list[DocsProject] = []
    for folder in _folders(Path(source).resolve()):
        config = _project_file(folder)
        if config is None:
            continue
        if config.name == "zensical.toml":
            raise SiteError(
                f"{config}: Zensical projects are not supported by `stlite-docs previews` yet; "
                "capture with the same sources built by MkDocs or ProperDocs (a mkdocs.yml)"
            )
        project: Project = find_project(config)  # its settings, read without running anything
        kind = "sphinx" if config.name == "conf.py" else ("properdocs" if config.name.startswith("properdocs") else "mkdocs")
        previews = config.parent / str(project.settings.get("previews_dir") or DEFAULT_DIR)
        found.append(DocsProject(kind, config, previews, project.root or config.parent, project.settings))
    return found


def _folders(source: Path):
    yield source
    level = [source]
    for _ in range(SEARCH_DEPTH):
        level = [
            child
            for folder in level
            for child in sorted(folder.iterdir())
            if child.is_dir() and child.name not in _SKIPPED and not child.name.startswith(".") and _project_file(folder) is None
        ]
        yield from level


def _project_file(folder: Path) -> Path | None:
    for name in ("conf.py", *MKDOCS_FILES, "zensical.toml"):
        if (folder / name).is_file():
            return folder / name
    return None


# ------------------------------------------------------------------ building
def build(project: DocsProject, out: Path, stlite_url: str | None, pyodide_url: str | None) -> None:
    """Build ``project`` into ``out``; with URLs, every app loads stlite and Pyodide there."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if project.kind == "sphinx":
        overrides = []
        if stlite_url:
            overrides += [
                "-D",
                f"stlite_docs_stlite_url={stlite_url}",
                "-D",
                f"stlite_docs_pyodide_url={pyodide_url}",
                "-D",
                "stlite_docs_stlite_integrity=off",
            ]
        cmd = [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-b",
            "html",
            "-d",
            str(out.parent / "doctrees"),
            *overrides,
            str(project.config.parent),
            str(out),
        ]
    else:
        cmd = [
            sys.executable,
            "-m",
            "stlite_docs.previews._mkdocs_build",
            project.kind,
            str(project.config),
            str(out),
            stlite_url or "",
            pyodide_url or "",
        ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SiteError(f"building {project.config} failed:\n{(proc.stdout + proc.stderr).strip()[-3000:]}")


def mounts(site: Path) -> list[Mount]:
    """Every app with a preview key in the built site, page by page, in order."""
    found = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        loader, stylesheet = _LOADER.search(text), _STYLESHEET.search(text)
        for index, match in enumerate(_FIGURE.finditer(text)):
            opening = match.group(0).split(">", 1)[0]
            attrs = dict(_ATTR.findall(opening))
            key = attrs.get("data-preview-key")
            if not key or not loader:
                continue
            schemes = tuple(attrs.get("data-preview-schemes", "light").split())
            found.append(
                Mount(
                    page.relative_to(site).as_posix(),
                    index,
                    key,
                    schemes,
                    match.group(0),
                    html.unescape(loader.group(1)),
                    html.unescape(stylesheet.group(1)) if stylesheet else "",
                )
            )
    return found


def capture_figure(figure: str) -> str:
    """The figure for a capture page: boots at once, in a frame of its own (the app of a
    ``runtime: shared`` page looks the same in the page), and shows no preview of its own."""

    def eager(match: re.Match) -> str:
        [spec] = json.loads(match.group(2))
        spec["load"] = "eager"
        spec["runtime"] = "isolated"
        text = json.dumps([spec], sort_keys=True, ensure_ascii=False)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return match.group(1) + text + match.group(3)

    figure = _SPEC.sub(eager, figure, count=1)
    figure = re.sub(r'data-load="[^"]*"', 'data-load="eager"', figure, count=1)
    return _PREVIEW.sub("", figure, count=1)
