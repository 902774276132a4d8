"""The document front-end: a source document's stlite blocks, built into located apps.

``read_document`` is what ``stlite-docs check`` and ``stlite-docs previews`` use: every block of
a document (found by ``core.fences``), built, with each problem at its place in the sources.
``MarkdownSite`` is what the Markdown extension uses (under MkDocs, ProperDocs, Zensical or on its
own): its formatter is handed one fence at a time, which the site builds, locates in the page by
the same grammar, reports and renders. ``locate`` is the one mapping from a problem to a place,
which the Sphinx directive uses too.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .app import BuildResult, SourceTree, build_app
from .block import split_lines
from .fences import FENCE, FILE_ATTRIBUTE, SourceBlock, fence_body, find_blocks
from .problems import Problem
from .publish import publish_files
from .render import render_invalid, render_mount
from .session import BuildSession
from .settings import SiteSettings
from .spec import SharedPageCheck


@dataclass(frozen=True)
class Location:
    """Where an author finds a problem: a line of another file (``path``: an app file outside
    the document), or of the document itself (``path`` None); ``line`` None: the whole file."""

    path: Path | None
    line: int | None


def locate(problem: Problem, root_dir: Path, body_line: int | None, block_line: int | None) -> Location:
    """The place of ``problem`` of a block whose body starts at document line ``body_line`` and
    whose directive or fence line is ``block_line`` (None where the front-end cannot tell)."""
    if problem.path is not None:
        return Location(Path(root_dir) / problem.path, problem.line or 1)
    if problem.line is not None:
        return Location(None, body_line + problem.line - 1 if body_line is not None else None)
    return Location(None, block_line)


@dataclass
class BuiltBlock:
    block: SourceBlock
    result: BuildResult
    #: every problem of the block with its place
    located: list[tuple[Problem, Location]]


def read_document(
    text: str, suffix: str, settings: SiteSettings, tree: SourceTree, session: BuildSession, myst: bool = False
) -> list[BuiltBlock]:
    """Every block of a document (``suffix``: ".md", ".rst"...; ``myst``: Markdown read by MyST),
    built with ``settings`` and paths from ``tree``."""
    built = []
    for block in find_blocks(text, suffix, myst):
        result = build_app(block.body, block.options, settings, tree, block.entry_file, session=session)
        located = [(p, locate(p, tree.root_dir, block.body_line, block.line)) for p in result.problems]
        built.append(BuiltBlock(block, result, located))
    return built


SOURCE_SUFFIXES = (".md", ".markdown", ".rst")
#: Folders a docs tree holds that are never sources: builds, caches, environments.
SKIPPED_FOLDERS = {"_build", "site", "build", "node_modules", "__pycache__", ".venv", "venv", ".cache"}


def source_files(paths: list[Path]) -> list[Path]:
    """The given files, and the Markdown and reST files below the given folders, in order;
    raises ``FileNotFoundError`` for a path that is neither."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            for root, folders, files in os.walk(path):
                folders[:] = sorted(f for f in folders if f not in SKIPPED_FOLDERS and not f.startswith("."))
                found += [Path(root) / name for name in sorted(files) if name.lower().endswith(SOURCE_SUFFIXES)]
        else:
            raise FileNotFoundError(2, "no such file or folder", str(path))
    return found


def shown_path(path: Path | None) -> str:
    """A path relative to the working folder when it is below it, as editors link them."""
    if path is None:
        return "<settings>"
    try:
        relative = os.path.relpath(Path(path).resolve())
    except ValueError:  # another drive
        return str(path)
    return str(path) if relative.startswith("..") else Path(relative).as_posix()


#: (source path, line, kind, message, note=False); a note is information, not a mistake
Reporter = Callable[..., None]


@dataclass
class MarkdownPage:
    """The Markdown page being converted, as the Markdown extension's formatter needs it."""

    #: the page's source path as authors know it, for messages (``docs/guide/x.md``)
    path: str = "<markdown>"
    #: the page's URL relative to the site root (``guide/x/`` or ``guide/x.html``)
    url: str = ""
    #: the page's Markdown, to find each fence's line
    text: str = ""
    #: lines of the file above ``text`` (front matter that MkDocs removed before handing it on)
    line_offset: int = 0
    #: the page's overrides of the site settings (``settings.page_settings``)
    settings: dict = field(default_factory=dict)
    #: runtime: shared: the page's apps must agree on config and theme
    shared: SharedPageCheck = field(default_factory=SharedPageCheck, repr=False, compare=False)
    _cursor: int = field(default=0, repr=False)
    _fences: list[tuple[int, list[str]]] | None = field(default=None, repr=False)

    def locate(self, source: str) -> int | None:
        """The page line (1-based) of the first body line of the next fence with ``source``:
        SuperFences hands formatters the code only, so the fence bodies of the page are matched
        in order (the indentation of nested fences removed)."""
        if self._fences is None:
            lines = split_lines(self.text)
            self._fences = []
            for index, line in enumerate(lines):
                match = FENCE.match(line) if "stlite" in line else None
                if match is not None:
                    self._fences.append((index, fence_body(lines, index, match)[0]))
        wanted = split_lines(source.rstrip("\n"))
        starts = [index for index, _ in self._fences]
        for index, body in self._fences[bisect_left(starts, self._cursor) :]:
            if body == wanted:
                self._cursor = index + 1
                return index + 2 + self.line_offset
        return None


@dataclass
class MarkdownSite:
    """One build of a Markdown site: what the Markdown extension needs to turn a fence into its
    HTML. The MkDocs plugin makes one per build and sets ``page`` for each page; the extension
    on its own makes one per conversion."""

    settings: SiteSettings
    docs_dir: Path
    session: BuildSession
    report: Reporter
    #: where published files are copied; None leaves publishing to the caller
    site_dir: Path | None = None
    #: the docs tool copies docs_dir into the site itself (Zensical): see ``SourceTree.served``
    served: bool = False
    on_dependency: Callable[[Path], None] = lambda path: None
    #: called with (app, page path, line of the fence's first body line) for each app built
    on_app: Callable[..., None] = lambda app, path, line: None
    page: MarkdownPage = field(default_factory=MarkdownPage)

    def render(self, source: str, options: dict[str, Any]) -> str:
        """One fence's HTML. Never raises: an unexpected error is reported and shown in place
        (SuperFences would swallow an exception and print the block as ordinary code)."""
        try:
            return self._render(source, dict(options))
        except Exception as exc:  # noqa: BLE001 - see above
            self.report(self.page.path, None, "internal", f"stlite-docs failed on a block: {exc!r}")
            return render_invalid([f"stlite-docs failed on this block: {exc!r}"], source)

    def _render(self, source: str, options: dict[str, Any]) -> str:
        entry_file = options.pop(FILE_ATTRIBUTE, None)
        tree = SourceTree(base_dir=self.docs_dir, root_dir=self.docs_dir, served=self.served)
        result = build_app(source, options, self.settings, tree, entry_file, self.on_dependency, self.session)
        body_line = self.page.locate(source)
        fence_line = body_line - 1 if body_line else None
        for problem in result.problems:
            where = locate(problem, self.docs_dir, body_line, fence_line)
            path = str(where.path) if where.path is not None else self.page.path
            self.report(path, where.line, problem.kind, problem.message, note=problem.note)
        if result.app is None:
            return render_invalid([p.message for p in result.problems if not p.note], result.code)
        app = result.app
        self.on_app(app, self.page.path, body_line)
        if self.site_dir is not None:
            publish_files(app, self.site_dir)
        elif app.previews:
            # Nobody copies the images into the site (Zensical copies docs_dir only, and the
            # previews folder lies beside it): a preview would be a broken image.
            app = replace(app, previews=())
        app = app.for_page(self.page.settings)
        message = self.page.shared.differs(app, fence_line)
        if message:
            self.report(self.page.path, fence_line, "option", message)
        return render_mount(app, self.page.url)
