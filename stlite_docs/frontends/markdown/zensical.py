"""What the Markdown extension learns from Zensical, which runs no MkDocs plugins.

Zensical renders each page by calling Python-Markdown with a context extension of its own
(``zensical.extensions.context``): its preprocessor, registered as ``rendering_context``,
holds the page (``path`` relative to docs_dir, ``url``) and the project's config. Reading it
by duck typing keeps this module importable without Zensical installed.

Zensical copies ``docs_dir`` into the site on every build but never lets an extension add
files of its own, so the loader and its CSS come from ``docs_dir`` (put there by
``stlite-docs assets``) through ``extra_javascript``/``extra_css``. ``check_assets`` says,
at build time and located at the page, when that setup is missing or out of date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..._version import __version__
from ...core.assets import LOADER, STYLESHEET, loader_version

#: Name of the preprocessor that Zensical's context extension registers.
CONTEXT_PREPROCESSOR = "rendering_context"

_LOADER_PATH = re.compile(rf"(?:^|/){re.escape(LOADER)}$")
_STYLESHEET_PATH = re.compile(rf"(?:^|/){re.escape(STYLESHEET)}$")
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")


@dataclass(frozen=True)
class ZensicalContext:
    """One page being rendered by Zensical."""

    #: the page's source path for messages, as in MkDocs: ``docs/guide/x.md``
    page_path: str
    #: the page's URL relative to the site root: ``guide/x/``
    page_url: str
    docs_dir: Path
    #: docs_dir as the config writes it, for messages (usually ``docs``)
    docs_name: str = "docs"
    #: ``extra_javascript`` entries, as Zensical normalizes them (``{"path", "type", ...}``)
    extra_javascript: list[dict[str, Any]] = field(default_factory=list)
    extra_css: list[str] = field(default_factory=list)
    #: Zensical's configuration, made anew for each build: the build's session is kept in it
    config: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def check_assets(self, report: Callable[[str, int | None, str, str], None], page_path: str) -> None:
        """Report, for a page with apps, what keeps its apps from booting under Zensical."""
        for message in asset_problems(self.docs_dir, self.docs_name, self.extra_javascript, self.extra_css):
            report(page_path, None, "assets", message)


def zensical_context(md) -> ZensicalContext | None:
    """The context of the page ``md`` is converting, when Zensical is the one converting."""
    if CONTEXT_PREPROCESSOR not in md.preprocessors:
        return None
    processor = md.preprocessors[CONTEXT_PREPROCESSOR]
    page, config = getattr(processor, "page", None), getattr(processor, "config", None)
    if page is None or not isinstance(config, dict):
        return None
    root = Path(config.get("root_dir") or ".")
    docs = Path(config.get("docs_dir") or "docs")
    docs_dir = docs if docs.is_absolute() else root / docs
    docs_name = docs.as_posix() if not docs.is_absolute() else docs.name
    scripts = [item if isinstance(item, dict) else {"path": item, "type": None} for item in config.get("extra_javascript") or []]
    styles = [item if isinstance(item, str) else str(item.get("path", "")) for item in config.get("extra_css") or []]
    return ZensicalContext(
        page_path=f"{docs_name}/{page.path}",
        page_url=str(page.url or ""),
        docs_dir=docs_dir,
        docs_name=docs_name,
        extra_javascript=scripts,
        extra_css=styles,
        config=config,
    )


def asset_problems(docs_dir: Path, docs_name: str, scripts: list[dict[str, Any]], styles: list[str]) -> list[str]:
    """What is wrong with the loader setup of a site that gets its assets from docs_dir."""
    setup = f"run `stlite-docs assets {docs_name}/assets` and list the files it names under extra_javascript and extra_css"
    loaders = [item for item in scripts if _LOADER_PATH.search(str(item.get("path", "")))]
    has_stylesheet = any(_STYLESHEET_PATH.search(path) for path in styles)
    if not loaders and not has_stylesheet:
        return [f"no stlite-docs loader on this page, so its apps cannot start (Zensical runs no plugins): {setup}"]
    problems = []
    if not loaders:
        problems.append(f"extra_javascript does not list the stlite-docs loader ({LOADER}): {setup}")
    for item in loaders:
        path = str(item["path"])
        if item.get("type") != "module":
            problems.append(f"extra_javascript entry {path!r} must have 'type: module' (the loader is an ES module)")
        if _URL.match(path) or path.startswith("/"):
            continue  # served from elsewhere: nothing here to compare
        folder = f"{docs_name}/{path[: -len(LOADER)]}".rstrip("/")
        found = loader_version(docs_dir / path)
        if found is None:
            problems.append(
                f"extra_javascript names {path!r}, but {docs_name}/{path} does not exist: run `stlite-docs assets {folder}`"
            )
        elif found != __version__:
            problems.append(
                f"{docs_name}/{path} is the loader of stlite-docs {found}, but this build is {__version__}: "
                f"run `stlite-docs assets {folder}` again"
            )
    if not has_stylesheet:
        problems.append(f"extra_css does not list the stlite-docs stylesheet ({STYLESHEET}): {setup}")
    return problems
