"""The app model, and the JSON spec the browser loader receives.

``App`` is what a block means, independent of the page it is on. ``App.to_spec(page_url)``
gives the ``AppSpec`` written into one page: the same fields as the JSDoc typedef in
``assets/stlite-docs/spec.js``; keep the two in step (a unit test compares their keys).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import quote
from typing import Any, Literal, TypedDict, Union

from ._version import __version__
from .runtime import folder_url, site_url

SPEC_VERSION = 1


class TextFile(TypedDict):
    text: str


class UrlFile(TypedDict):
    url: str


class AppSpec(TypedDict):
    version: int
    generator: str
    entrypoint: str
    files: dict[str, Union[TextFile, UrlFile]]
    requirements: list[str]
    config: dict[str, Any]
    height: str
    load: Literal["lazy", "eager", "click"]
    title: str
    stliteUrl: str
    pyodideUrl: str | None
    stliteIntegrity: dict[str, str] | None
    theme: Literal["auto", "light", "dark"]
    maxLiveApps: int
    concurrency: int


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
        changes = {key: overrides[key] for key in ("max_live_apps", "concurrency") if key in overrides}
        if "theme" in overrides and not self.theme_from_block:
            changes["theme"] = overrides["theme"]
        return replace(self, **changes) if changes else self

    def to_spec(self, page_url: str) -> AppSpec:
        """The spec for one page; ``page_url`` is that page's URL relative to the site root."""
        files: dict[str, Union[TextFile, UrlFile]] = {}
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
            "load": self.load,  # type: ignore[typeddict-item]
            "title": self.title,
            "stliteUrl": folder_url(site_url(self.stlite_url, page_url)),
            "pyodideUrl": site_url(self.pyodide_url, page_url) if self.pyodide_url else None,
            "stliteIntegrity": dict(self.stlite_integrity) if self.stlite_integrity else None,
            "theme": self.theme,  # type: ignore[typeddict-item]
            "maxLiveApps": self.max_live_apps,
            "concurrency": self.concurrency,
        }
