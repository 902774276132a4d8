"""``stlite-docs previews [SOURCE_DIR]``: capture the build-time preview of every app.

Finds the docs projects (``conf.py``, ``mkdocs.yml``, ``properdocs.yml``) at or below
SOURCE_DIR, builds each into a temporary folder, serves it on 127.0.0.1 (with the runtime
``--runtime`` names), boots every app that lacks a current preview in headless Chromium and
writes its pictures into the project's previews folder. Images no app uses any more are
removed. Builds themselves never start a browser: they only look the images up.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from ..core.document import shown_path as _shown
from ..core.previews import CACHE_NAME, CACHE_SUFFIXES, preview_name
from ..serve import serving
from .browser import BrowserMissing, Job, Shot, capture, write_capture_page
from .images import encode, write_atomically
from .sites import SEARCH_DEPTH, DocsProject, SiteError, build, capture_figure, find_projects, mounts

RUNTIME_PREFIX = "_stlite_runtime"


def run(source: Path, runtime: str | None, jobs: int, timeout: float, strict: bool, out=sys.stderr) -> int:
    try:
        projects = find_projects(source)
    except SiteError as exc:
        print(f"stlite-docs previews: {exc}", file=out)
        return 2
    if not projects:
        print(
            f"stlite-docs previews: no docs project (conf.py, mkdocs.yml, properdocs.yml) in {source} "
            f"or {SEARCH_DEPTH} levels below it",
            file=out,
        )
        return 2
    runtime_dir = Path(runtime) if runtime and "://" not in runtime else None
    if runtime_dir is not None and not (runtime_dir / "stlite" / "stlite.js").is_file():
        print(
            f"stlite-docs previews: --runtime {runtime}: no stlite/stlite.js there (a complete runtime has "
            "stlite/ and pyodide/; `stlite-docs fetch --dest DIR` makes one)",
            file=out,
        )
        return 2
    with (
        tempfile.TemporaryDirectory(prefix="stlite-previews-") as tmp,
        serving(Path(tmp), {RUNTIME_PREFIX: runtime_dir} if runtime_dir else {}) as base,
    ):
        stlite_url, pyodide_url = _runtime_urls(runtime, runtime_dir)
        todo: dict[str, tuple[Job, list[DocsProject]]] = {}
        used: dict[Path, set[str]] = {}
        for number, project in enumerate(projects):
            site = Path(tmp) / str(number)
            print(f"building {_shown(project.config)} ({project.kind})", file=out)
            try:
                build(project, site, stlite_url, pyodide_url)
            except SiteError as exc:
                print(f"stlite-docs previews: {exc}", file=out)
                return 1
            labels = _locations(project)
            names = used.setdefault(project.previews_dir, set())
            for mount in mounts(site):
                names.update(preview_name(mount.key, scheme) for scheme in mount.schemes)
                missing = tuple(s for s in mount.schemes if not _cached(project.previews_dir, preview_name(mount.key, s)))
                if not missing:
                    continue
                if mount.key in todo:
                    todo[mount.key][1].append(project)
                    continue
                page = write_capture_page(
                    site / "_stlite_capture",
                    f"{mount.key}.html",
                    f"{base}{number}/{mount.page}",
                    mount,
                    missing[0],
                    capture_figure(mount.html),
                )
                label = labels.get(mount.key, f"{_shown(project.config.parent)} page {mount.page}, app {mount.index + 1}")
                todo[mount.key] = (Job(f"{base}{number}/_stlite_capture/{page}", missing, label), [project])
        written, failures = _capture_all(todo, jobs, timeout, out)
    removed = sum(_prune(folder, names) for folder, names in used.items())
    print(
        f"stlite-docs previews: {written} image(s) written, {len(failures)} app(s) without a preview, "
        f"{removed} unused image(s) removed",
        file=out,
    )
    return 1 if failures and strict else 0


def _capture_all(todo: dict, jobs: int, timeout: float, out) -> tuple[int, list[Shot]]:
    if not todo:
        return 0, []
    progress = _Progress(len(todo), out)
    try:
        shots = asyncio.run(capture([job for job, _ in todo.values()], max(1, jobs), timeout, progress.done))
    except BrowserMissing as exc:
        print(f"stlite-docs previews: {exc}", file=out)
        return 0, [Shot(job, {}, str(exc)) for job, _ in todo.values()]
    progress.finish()
    written, failures = 0, []
    for key, (job, projects) in todo.items():
        shot = next(s for s in shots if s.job is job)
        if shot.error:
            failures.append(shot)
            print(f"{job.label}: no preview: {shot.error}", file=out)
            continue
        for scheme, png in shot.images.items():
            data, suffix = encode(png)
            for folder in {p.previews_dir for p in projects}:
                write_atomically(folder / (preview_name(key, scheme) + suffix), data)
                written += 1
    return written, failures


class _Progress:
    """``[#####-----] 3/21 docs/page.md:12``: on one line in a terminal, a line per app elsewhere."""

    def __init__(self, total: int, out):
        self.total, self.count, self.out = total, 0, out
        self.tty = getattr(out, "isatty", lambda: False)()
        self.started = time.monotonic()
        self._draw("")

    def done(self, shot: Shot) -> None:
        self.count += 1
        self._draw(f"{shot.job.label}{' (failed)' if shot.error else ''}")

    def _draw(self, current: str) -> None:
        filled = round(20 * self.count / self.total)
        line = f"[{'#' * filled}{'-' * (20 - filled)}] {self.count}/{self.total} apps  {current}"
        if self.tty:
            print("\r" + line[:150].ljust(150), end="", file=self.out, flush=True)
        else:
            print(line, file=self.out, flush=True)

    def finish(self) -> None:
        if self.tty:
            print(file=self.out)
        print(f"captured {self.total} app(s) in {time.monotonic() - self.started:.0f} s", file=self.out)


def _cached(folder: Path, name: str) -> bool:
    return any((folder / (name + suffix)).is_file() for suffix in CACHE_SUFFIXES)


def _prune(folder: Path, used: set[str]) -> int:
    """Remove the cache images no app uses any more (only files named as the cache names them)."""
    removed = 0
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        match = CACHE_NAME.match(path.name)
        if match and preview_name(match.group("key"), match.group("scheme")) not in used:
            path.unlink()
            removed += 1
    return removed


def _runtime_urls(runtime: str | None, runtime_dir: Path | None) -> tuple[str | None, str | None]:
    if runtime_dir is not None:
        return f"/{RUNTIME_PREFIX}/stlite/", f"/{RUNTIME_PREFIX}/pyodide/pyodide.mjs"
    if runtime:
        root = runtime.rstrip("/") + "/"
        return root + "stlite/", root + "pyodide/pyodide.mjs"
    return None, None  # the site's own configuration


def _locations(project: DocsProject) -> dict[str, str]:
    """Preview key -> "document:line" of the block, found in the sources as `stlite-docs check`
    finds blocks (the key does not depend on the page, so the built page is not needed)."""
    from ..core.document import read_document, shown_path, source_files
    from ..core.project import find_project
    from ..core.session import BuildSession
    from ..core.settings import SettingsError, SiteSettings

    found: dict[str, str] = {}
    with BuildSession() as session:
        for document in source_files([project.root]):
            source = find_project(document)
            try:
                settings = SiteSettings.from_raw({**source.settings, "check": "off", "previews_dir": str(project.previews_dir)})
            except SettingsError:
                return found
            text = document.read_bytes().decode("utf-8", errors="replace")
            for built in read_document(
                text, document.suffix.lower(), settings, source.tree(document), session, myst=source.kind == "sphinx"
            ):
                app = built.result.app
                if app is not None and app.preview_key:
                    found.setdefault(app.preview_key, f"{shown_path(document)}:{built.block.line}")
    return found
