"""The app model, and the JSON spec the browser loader receives.

``App`` is what a block means, independent of the page it is on. ``App.to_spec(page_url)``
gives the ``AppSpec`` written into one page: the same fields as the JSDoc typedef in
``assets/stlite-docs/spec.js``; keep the two in step (a unit test compares their keys).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypedDict
from urllib.parse import quote

from .._version import __version__
from ..runtime import folder_url, site_url

SPEC_VERSION = 1


class TextFile(TypedDict):
    text: str


class UrlFile(TypedDict):
    url: str


class AppSpec(TypedDict):
    version: int
    generator: str
    entrypoint: str
    files: dict[str, TextFile | UrlFile]
    requirements: list[str]
    config: dict[str, Any]
    height: str
    maxHeight: str
    load: Literal["lazy", "eager", "click"]
    title: str
    stliteUrl: str
    pyodideUrl: str | None
    stliteIntegrity: dict[str, str] | None
    theme: Literal["auto", "light", "dark"]
    maxLiveApps: int
    concurrency: int
    showCode: Literal["none", "above", "below", "left", "right", "tabs"]
    editable: bool
    shareUrl: str | None
    runtime: Literal["isolated", "shared"]


@dataclass(frozen=True)
class AppFile:
    """A file of the app: inline text, or a source-tree file published into the site."""

    path: str
    text: str | None = None
    #: for files fetched by URL: absolute path of the source file, and its path from the site root
    source: str | None = None
    site_path: str | None = None
    #: True when the docs tool itself copies the file into the site (Zensical copies docs_dir),
    #: so nobody publishes it; ``site_path`` then carries a ``?v=`` content hash
    served: bool = False


@dataclass(frozen=True)
class App:
    entrypoint: str
    files: tuple[AppFile, ...]
    requirements: tuple[str, ...]
    config: dict[str, Any] = field(default_factory=dict)
    height: str = "auto"
    #: the tallest an auto-height frame grows (a CSS length), or "none"
    max_height: str = "80vh"
    load: str = "lazy"
    caption: str | None = None
    name: str | None = None
    stlite_url: str = ""
    pyodide_url: str | None = None
    #: Subresource Integrity of stlite.js and stlite.css, or None
    stlite_integrity: dict[str, str] | None = None
    #: the source shown without JavaScript: the block's code, or the entry file's text
    code: str = ""
    #: "auto" (follow the host page), "light" or "dark"
    theme: str = "auto"
    #: the block set ``theme`` itself (a page's theme setting then leaves it alone)
    theme_from_block: bool = False
    #: page settings the loader reads (the same on every app of a page)
    max_live_apps: int = 3
    concurrency: int = 1
    #: where the code is shown once the app runs: "none", "above", "below", "tabs"
    show_code: str = "none"
    #: the reader may edit the app's text files and rerun it
    editable: bool = False
    #: the stlite sharing site an "Open in stlite sharing" link opens, or None (no link)
    share_url: str | None = None
    #: "isolated" or "shared": a page setting, never a block's (one Python serves the page)
    runtime: str = "isolated"
    #: build-time pictures of the app (``previews.PreviewImage``), shown until it is live
    previews: tuple[Any, ...] = ()
    #: the preview cache key (``previews.preview_key``), or None (``preview: off`` or an
    #: author's image); written on the mount point for ``stlite-docs previews``
    preview_key: str | None = None

    @property
    def title(self) -> str:
        """The iframe's accessible name."""
        label = self.caption or self.name
        return f"Live app: {label}" if label else "Live Streamlit app"

    @property
    def published_files(self) -> list[AppFile]:
        """The files the front-end must copy into the site."""
        from .previews import images_for  # that module builds on this one

        return [f for f in self.files if f.site_path and not f.served] + [
            AppFile(image.site_path, source=image.source, site_path=image.site_path) for image in images_for(self)
        ]

    def for_page(self, overrides: dict[str, Any]) -> App:
        """This app on a page whose settings override the site's (``settings.page_settings``);
        a block's own ``theme`` wins over the page's."""
        changes = {key: overrides[key] for key in ("max_live_apps", "concurrency", "runtime") if key in overrides}
        if "theme" in overrides and not self.theme_from_block:
            changes["theme"] = overrides["theme"]
        return replace(self, **changes) if changes else self

    def to_spec(self, page_url: str) -> AppSpec:
        """The spec for one page; ``page_url`` is that page's URL relative to the site root."""
        files: dict[str, TextFile | UrlFile] = {}
        for f in self.files:
            if f.site_path:
                # A file name may hold characters that mean something in a URL ('#', '?', ' ').
                path, _, query = f.site_path.partition("?")
                files[f.path] = {"url": site_url(quote(path), page_url) + (f"?{query}" if query else "")}
            else:
                files[f.path] = {"text": f.text or ""}
        return {
            "version": SPEC_VERSION,
            "generator": __version__,
            "entrypoint": self.entrypoint,
            "files": files,
            "requirements": list(self.requirements),
            "config": dict(self.config),
            "height": self.height,
            "maxHeight": self.max_height,
            "load": self.load,  # type: ignore[typeddict-item]
            "title": self.title,
            "stliteUrl": folder_url(site_url(self.stlite_url, page_url)),
            "pyodideUrl": site_url(self.pyodide_url, page_url) if self.pyodide_url else None,
            "stliteIntegrity": dict(self.stlite_integrity) if self.stlite_integrity else None,
            "theme": self.theme,  # type: ignore[typeddict-item]
            "maxLiveApps": self.max_live_apps,
            "concurrency": self.concurrency,
            "showCode": self.show_code,  # type: ignore[typeddict-item]
            "editable": self.editable,
            "shareUrl": self.share_url,
            "runtime": self.runtime,  # type: ignore[typeddict-item]
        }


class SharedPageCheck:
    """``runtime: shared``: the apps of a page share one Streamlit config (it is process-wide:
    each app that starts applies its own over the others') and one theme (the host messages
    reach every app of the page). Fed a page's apps in order, after the page's settings, it
    says when one differs from the page's first shared app."""

    def __init__(self) -> None:
        self._first: tuple[str, str, int | None] | None = None

    def differs(self, app: App, line: int | None) -> str | None:
        if app.runtime != "shared":
            return None
        config = json.dumps(app.config, sort_keys=True)
        if self._first is None:
            self._first = (config, app.theme, line)
            return None
        first_config, first_theme, first_line = self._first
        where = f"the page's first app (line {first_line})" if first_line else "the page's first app"
        if config != first_config:
            return (
                f"this page runs its apps in one Python (runtime: shared), with one Streamlit config: this "
                f"block's config differs from that of {where}, and each app that starts applies its own over "
                "the others'; give them the same config, or set 'runtime: isolated' for the page"
            )
        if app.theme != first_theme:
            return (
                f"this page runs its apps in one Python (runtime: shared), with one theme: this block's theme "
                f"{app.theme!r} differs from {first_theme!r} of {where}, and cannot be kept apart; give them "
                "the same theme, or set 'runtime: isolated' for the page"
            )
        return None
