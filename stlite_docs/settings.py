"""Site-wide settings, shared by every front-end.

Sphinx reads them from ``conf.py`` (``stlite_docs_<name>``), MkDocs from the plugin's options;
both hand the raw values to ``SiteSettings.from_raw`` so validation and defaults live here once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

from .options import (
    normalize_assets, normalize_base_url, normalize_check, normalize_count, normalize_flag, normalize_height,
    normalize_integrity, normalize_load, normalize_max_height, normalize_requirements, normalize_runtime,
    normalize_share_url, normalize_show_code, normalize_theme, normalize_timeout,
)
from .previews import DEFAULT_DIR as DEFAULT_PREVIEWS_DIR
from .problems import BlockError
from .runtime import DEFAULT_MIRROR_URL, DEFAULT_STLITE_URL, SELFHOST_PYODIDE_URL, SELFHOST_STLITE_URL, folder_url

#: stlite's own sharing site; "Open in stlite sharing" links point here unless share_url says otherwise.
DEFAULT_SHARE_URL = "https://share.stlite.net/"

#: name -> default; the documented setting names (conf.py adds the ``stlite_docs_`` prefix).
SETTING_DEFAULTS: dict[str, Any] = {
    "requirements": [],
    "height": "auto",
    "max_height": "80vh",
    "load": "lazy",
    "stlite_url": DEFAULT_STLITE_URL,
    "pyodide_url": None,
    "check": "syntax",
    "check_timeout": 60,
    "assets": "cdn",
    "runtime_dir": None,
    "mirror_url": DEFAULT_MIRROR_URL,
    "vendor_requirements": False,
    "stlite_integrity": "auto",
    "max_live_apps": 3,
    "concurrency": 1,
    "theme": "auto",
    "show_code": "none",
    "share": False,
    "share_url": DEFAULT_SHARE_URL,
    "runtime": "isolated",
    "previews_dir": DEFAULT_PREVIEWS_DIR,
}

#: Settings a page may override (MkDocs front matter ``stlite: {max_live_apps: 2}``; Sphinx
#: file-wide metadata ``:stlite-max-live-apps: 2``), each with its normalizer.
PAGE_SETTINGS = {
    "max_live_apps": normalize_count,
    "concurrency": normalize_count,
    "theme": normalize_theme,
    "runtime": normalize_runtime,
}


class SettingsError(ValueError):
    """A site setting is invalid; front-ends turn this into their own config error."""


@dataclass(frozen=True)
class SiteSettings:
    requirements: list[str] = field(default_factory=list)
    height: str = "auto"
    #: the tallest a ``height: auto`` frame grows; past it the app scrolls inside ("none": no limit)
    max_height: str = "80vh"
    load: str = "lazy"
    stlite_url: str = DEFAULT_STLITE_URL
    pyodide_url: str | None = None
    #: the build-time check every block gets unless it sets its own ``check``
    check: str = "syntax"
    #: seconds an app's first headless run may take (``check: run``)
    check_timeout: float = 60.0
    #: "cdn": stlite_url/pyodide_url as set; "self-host": the build copies the runtime into the
    #: site (``selfhost.materialize``) and every app loads it from there
    assets: str = "cdn"
    #: self-host: a folder with stlite/ and pyodide/ to copy from; None downloads from mirror_url
    runtime_dir: str | None = None
    mirror_url: str = DEFAULT_MIRROR_URL
    #: self-host: serve app requirements that Pyodide's lock lacks from the site (pip wheels)
    vendor_requirements: bool = False
    #: Subresource Integrity of stlite.js and stlite.css for the frame, or None (none enforced)
    stlite_integrity: dict[str, str] | None = None
    #: at most this many apps of a page run at once; past it the farthest one is paused
    max_live_apps: int = 3
    #: how many apps of a page boot at the same time (the rest wait, nearest first)
    concurrency: int = 1
    #: the apps' Streamlit theme: "auto" follows the host page, "light"/"dark" force one
    theme: str = "auto"
    #: where each app's code is shown once it runs: none (the app replaces it), above, below, left, right, tabs
    show_code: str = "none"
    #: an "Open in stlite sharing" link under every app (off: it sends the code off-site)
    share: bool = False
    #: the stlite sharing site the links open (self-hosted sharing: its URL)
    share_url: str = DEFAULT_SHARE_URL
    #: "isolated": each app in its own iframe and Python; "shared": the page's apps in the
    #: page itself, in one Python (stlite's sharedWorker)
    runtime: str = "isolated"
    #: the build-time previews folder (``stlite-docs previews`` fills it): the front-end makes
    #: it absolute (relative to conf.py / mkdocs.yml) before the core looks images up there
    previews_dir: str = DEFAULT_PREVIEWS_DIR

    def anchored(self, base_dir: str | os.PathLike) -> SiteSettings:
        """These settings with a relative ``previews_dir`` made absolute under ``base_dir``: the
        folder of the configuration file (conf.py, mkdocs.yml), which every front-end knows and
        the core does not."""
        if os.path.isabs(self.previews_dir):
            return self
        return replace(self, previews_dir=os.path.join(os.path.abspath(base_dir), self.previews_dir))

    @classmethod
    def from_raw(cls, raw: dict[str, Any], prefix: str = "") -> SiteSettings:
        """Validate raw values; ``prefix`` is how the front-end spells the names in errors."""
        values = dict(SETTING_DEFAULTS)
        values.update({k: v for k, v in raw.items() if v is not None})
        try:
            requirements = normalize_requirements(prefix + "requirements", values["requirements"])
        except BlockError as exc:
            message = exc.problem.message
            if exc.problem.kind == "requirement":  # it names the requirement, not the setting
                message = f"{prefix}requirements: {message}"
            raise SettingsError(message) from None
        try:
            stlite_url = folder_url(_location(prefix + "stlite_url", values["stlite_url"]))
            pyodide_url = (
                _location(prefix + "pyodide_url", values["pyodide_url"]) if values["pyodide_url"] is not None else None
            )
            assets = normalize_assets(prefix + "assets", values["assets"])
            integrity = normalize_integrity(prefix + "stlite_integrity", values["stlite_integrity"])
            if assets == "self-host":
                if stlite_url != DEFAULT_STLITE_URL or pyodide_url is not None:
                    raise SettingsError(
                        f"{prefix}assets is self-host: the build puts stlite and Pyodide into the site and points "
                        f"every app there, so {prefix}stlite_url and {prefix}pyodide_url must stay unset"
                    )
                stlite_url, pyodide_url = SELFHOST_STLITE_URL, SELFHOST_PYODIDE_URL
            previews_dir = values["previews_dir"]
            if not isinstance(previews_dir, str) or not previews_dir.strip():
                raise SettingsError(f"{prefix}previews_dir must be the path of a folder (relative to the configuration file), got {previews_dir!r}")
            runtime_dir = values["runtime_dir"]
            if runtime_dir is not None and (not isinstance(runtime_dir, str) or not runtime_dir.strip()):
                raise SettingsError(f"{prefix}runtime_dir must be the path of a folder holding stlite/ and pyodide/, got {runtime_dir!r}")
            return cls(
                requirements=requirements,
                height=normalize_height(prefix + "height", values["height"]),
                max_height=normalize_max_height(prefix + "max_height", values["max_height"]),
                load=normalize_load(prefix + "load", values["load"]),
                stlite_url=stlite_url,
                pyodide_url=pyodide_url,
                check=normalize_check(prefix + "check", values["check"]),
                check_timeout=normalize_timeout(prefix + "check_timeout", values["check_timeout"]),
                assets=assets,
                runtime_dir=runtime_dir.strip() if runtime_dir else None,
                mirror_url=normalize_base_url(prefix + "mirror_url", values["mirror_url"]),
                vendor_requirements=normalize_flag(prefix + "vendor_requirements", values["vendor_requirements"]),
                stlite_integrity=_integrity(integrity, stlite_url),
                max_live_apps=normalize_count(prefix + "max_live_apps", values["max_live_apps"]),
                concurrency=normalize_count(prefix + "concurrency", values["concurrency"]),
                theme=normalize_theme(prefix + "theme", values["theme"]),
                show_code=normalize_show_code(prefix + "show_code", values["show_code"]),
                share=normalize_flag(prefix + "share", values["share"]),
                share_url=normalize_share_url(prefix + "share_url", values["share_url"]),
                runtime=normalize_runtime(prefix + "runtime", values["runtime"]),
                previews_dir=previews_dir.strip(),
            )
        except BlockError as exc:
            raise SettingsError(exc.problem.message) from None


def page_settings(raw: dict[str, Any], spell=lambda name: name) -> dict[str, Any]:
    """Validate a page's overrides of ``PAGE_SETTINGS`` (raw values by setting name);
    ``spell(name)`` is how the front-end writes a name in messages. Raises ``SettingsError``."""
    result = {}
    for name, value in raw.items():
        normalizer = PAGE_SETTINGS.get(name)
        if normalizer is None:
            raise SettingsError(
                f"unknown page setting {spell(name)!r}; a page may set {', '.join(spell(n) for n in PAGE_SETTINGS)}"
            )
        try:
            result[name] = normalizer(spell(name), value)
        except BlockError as exc:
            raise SettingsError(exc.problem.message) from None
    return result


def _location(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{name} must be a URL or a path from the site root, got {value!r}")
    return value.strip()


def _integrity(value: dict[str, str] | str, stlite_url: str) -> dict[str, str] | None:
    """The hashes the frame enforces: given ones; else, with ``auto``, the pinned ones where
    the pinned build is loaded (the default CDN URL, or the self-hosted copy, which the build
    checks file by file); else none (a custom stlite_url may hold any build)."""
    if isinstance(value, dict):
        return dict(value)
    if value == "pinned" or value == "auto" and stlite_url in (DEFAULT_STLITE_URL, SELFHOST_STLITE_URL):
        from .pins import load_pins

        return dict(load_pins()["stlite"]["integrity"])
    return None
