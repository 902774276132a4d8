"""Every setting and block option, declared once: its name, default, normalizer, scope and one
line of documentation (``SCHEMA``).

From the schema come: the site settings every front-end validates (``SiteSettings.from_raw``),
the Sphinx config values (``stlite_docs_<name>``), the MkDocs plugin's options, the Markdown
extension's options, what ``stlite-docs check`` reads from conf.py / mkdocs.yml /
zensical.toml, the page settings (MkDocs front matter, Sphinx file-wide metadata), the block
options (reST/MyST options, fence attributes, ``#|`` lines, with ``-`` or ``_``), and the
reference tables of the manual (``reference``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, make_dataclass, replace
from typing import Any

from ..runtime import DEFAULT_MIRROR_URL, DEFAULT_STLITE_URL, SELFHOST_PYODIDE_URL, SELFHOST_STLITE_URL
from . import options as o
from .previews import DEFAULT_DIR as DEFAULT_PREVIEWS_DIR
from .previews import normalize_preview
from .problems import BlockError

#: stlite's own sharing site; "Open in stlite sharing" links point here unless share_url says otherwise.
DEFAULT_SHARE_URL = "https://share.stlite.net/"
SITE, PAGE, BLOCK = "site", "page", "block"


@dataclass(frozen=True)
class Setting:
    #: as conf.py (after ``stlite_docs_``), mkdocs.yml and front matter write it; a block option
    #: is written with ``-`` (``option``), and ``_`` is accepted there too
    name: str
    #: the default, as a user would write it
    default: Any
    normalize: Callable[[str, Any], Any]
    scopes: frozenset[str]
    type: str
    doc: str
    example: str
    #: how a block reads it, where that differs (``editable`` written bare means on)
    block_normalize: Callable[[str, Any], Any] | None = None

    @property
    def option(self) -> str:
        return self.name.replace("_", "-")


def _setting(name, default, normalize, scopes, type_, doc, example, block_normalize=None) -> Setting:
    return Setting(name, default, normalize, frozenset(scopes.split()), type_, doc, example, block_normalize)


_LENGTH = "auto, or a CSS length (a bare number is px)"
SCHEMA: tuple[Setting, ...] = (
    _setting(
        "requirements",
        [],
        o.normalize_requirements,
        "site block",
        "list of PEP 508 requirements",
        "Packages micropip installs before the app runs; a block's own come after the site's and replace them for the same project.",
        "[numpy, pandas>=2]",
    ),
    _setting("height", "auto", o.normalize_height, "site block", _LENGTH, "The app's height: auto fits its content.", "400px"),
    _setting(
        "max_height",
        "80vh",
        o.normalize_max_height,
        "site block",
        "none, or a CSS length",
        "The tallest an auto-height app grows; past it the app scrolls inside.",
        "600px",
    ),
    _setting(
        "files",
        None,
        o.normalize_files,
        "block",
        "list, or mapping of app path to source path",
        "Source-tree files the app reads, attached under their path (a mapping names it).",
        "{data/cities.csv: ../data/cities.csv}",
    ),
    _setting(
        "config",
        None,
        o.normalize_config,
        "block",
        "mapping of Streamlit config",
        "Streamlit config for the app, dotted keys or nested sections.",
        '{theme.primaryColor: "#ff4b4b"}',
    ),
    _setting(
        "caption",
        None,
        o.normalize_caption,
        "block",
        "text",
        "A caption under the app; also its accessible name.",
        "Pick a number",
    ),
    _setting(
        "name",
        None,
        o.normalize_name,
        "block",
        "HTML id",
        "The app's id, a target for links and cross-references.",
        "slider-demo",
    ),
    _setting(
        "load",
        "lazy",
        o.normalize_load,
        "site block",
        "lazy | eager | click",
        "When an app boots: near the viewport, with the page, or when the reader clicks Run.",
        "click",
    ),
    _setting(
        "check",
        "syntax",
        o.normalize_check,
        "site block",
        "off | syntax | imports | run",
        "The build-time check; each level includes the ones before it.",
        "imports",
    ),
    _setting(
        "max_live_apps",
        3,
        o.normalize_count,
        "site page",
        "whole number, at least 1",
        "At most this many apps of a page run at once; past it the farthest one is paused.",
        "2",
    ),
    _setting(
        "concurrency",
        1,
        o.normalize_count,
        "site page",
        "whole number, at least 1",
        "How many apps of a page boot at the same time (the rest wait, nearest first).",
        "2",
    ),
    _setting(
        "theme",
        "auto",
        o.normalize_theme,
        "site page block",
        "auto | light | dark",
        "The app's Streamlit theme; auto follows the page's light or dark scheme.",
        "dark",
    ),
    _setting(
        "show_code",
        "none",
        o.normalize_show_code,
        "site block",
        "none | above | below | left | right | tabs",
        "Where an app's code is shown once it runs (none: the app replaces its listing;"
        " left, right: beside the app in a box 900 px wide or more, else above it).",
        "tabs",
    ),
    _setting(
        "editable",
        False,
        o.normalize_flag,
        "block",
        "true | false",
        "The reader may edit the app's code and run it again.",
        "true",
        o.normalize_switch,
    ),
    _setting(
        "share",
        False,
        o.normalize_flag,
        "site block",
        "true | false",
        'An "Open in stlite sharing" link under the app (it sends the code off-site).',
        "true",
        o.normalize_switch,
    ),
    _setting(
        "preview",
        "auto",
        normalize_preview,
        "block",
        "auto | off | image path",
        "The build-time picture shown until the app is live (auto: from the previews folder).",
        "off",
    ),
    _setting(
        "stlite_url",
        DEFAULT_STLITE_URL,
        o.normalize_folder_url,
        "site",
        "URL, or path from the site root",
        "The stlite build/ folder the apps load.",
        "_static/stlite/",
    ),
    _setting(
        "pyodide_url",
        None,
        o.normalize_optional_url,
        "site",
        "URL, or path from the site root",
        "pyodide.mjs to load instead of stlite's own pinned Pyodide.",
        "/pyodide/v0.29.3/full/pyodide.mjs",
    ),
    _setting(
        "check_timeout", 60, o.normalize_timeout, "site", "seconds", "How long an app's headless run may take (check: run).", "30"
    ),
    _setting(
        "assets",
        "cdn",
        o.normalize_assets,
        "site",
        "cdn | self-host",
        "Where readers' browsers get stlite and Pyodide: the CDN, or copies the build puts into the site.",
        "self-host",
    ),
    _setting(
        "runtime_dir",
        None,
        o.normalize_optional_folder,
        "site",
        "folder",
        "self-host: copy stlite/ and pyodide/ from this folder instead of downloading them.",
        "offline-runtime",
    ),
    _setting(
        "mirror_url",
        DEFAULT_MIRROR_URL,
        o.normalize_base_url,
        "site",
        "http(s) or file URL",
        "self-host: where the runtime is downloaded from (a mirror with jsDelivr's paths).",
        "https://mirror.example.org/",
    ),
    _setting(
        "vendor_requirements",
        False,
        o.normalize_flag,
        "site",
        "true | false",
        "self-host: serve requirements that Pyodide's lock lacks from the site too (pure-Python wheels).",
        "true",
    ),
    _setting(
        "stlite_integrity",
        "auto",
        o.normalize_integrity,
        "site",
        "auto | pinned | off | mapping",
        "Subresource Integrity of stlite.js and stlite.css that the app's frame enforces.",
        "pinned",
    ),
    _setting(
        "share_url",
        DEFAULT_SHARE_URL,
        o.normalize_share_url,
        "site",
        "http(s) URL, or path from the host",
        "The stlite sharing site the links open.",
        "/sharing/",
    ),
    _setting(
        "runtime",
        "isolated",
        o.normalize_runtime,
        "site page",
        "isolated | shared",
        "Each app in its own iframe and Python, or a page's apps in the page itself, in one Python.",
        "shared",
    ),
    _setting(
        "previews_dir",
        DEFAULT_PREVIEWS_DIR,
        o.normalize_folder,
        "site",
        "folder",
        "The build-time previews folder (`stlite-docs previews` fills it), relative to conf.py / mkdocs.yml.",
        "_previews",
    ),
)
SITE_SETTINGS = tuple(s for s in SCHEMA if SITE in s.scopes)
#: name -> default; the documented setting names (conf.py adds the ``stlite_docs_`` prefix).
SETTING_DEFAULTS: dict[str, Any] = {s.name: s.default for s in SITE_SETTINGS}
#: Settings a page may override (MkDocs front matter ``stlite: {max_live_apps: 2}``; Sphinx
#: file-wide metadata ``:stlite-max-live-apps: 2``), each with its normalizer.
PAGE_SETTINGS = {s.name: s.normalize for s in SCHEMA if PAGE in s.scopes}
#: Every block option, with its normalizer. The same keys work as directive options,
#: fence attributes and ``#|`` lines, so a block can be pasted between front-ends.
BLOCK_OPTIONS = {s.option: s.block_normalize or s.normalize for s in SCHEMA if BLOCK in s.scopes}
#: Settings of a whole page that a block cannot set, with why.
PAGE_ONLY = {
    "runtime": "all apps of a page share one Python or none does; set it for the page "
    "(MkDocs front matter 'stlite: {runtime: shared}', Sphinx ':stlite-runtime: shared') or the site",
}


class SettingsError(ValueError):
    """A site setting is invalid; front-ends turn this into their own config error."""


def _from_raw(cls, raw: dict[str, Any], prefix: str = ""):
    """Validate raw values (None: the default); ``prefix`` is how the front-end spells the
    names in errors."""
    values: dict[str, Any] = {}
    for setting in SITE_SETTINGS:
        value = raw.get(setting.name)
        try:
            values[setting.name] = setting.normalize(prefix + setting.name, setting.default if value is None else value)
        except BlockError as exc:
            message = exc.problem.message
            if exc.problem.kind == "requirement":  # it names the requirement, not the setting
                message = f"{prefix}requirements: {message}"
            raise SettingsError(message) from None
    if values["assets"] == "self-host":
        if values["stlite_url"] != DEFAULT_STLITE_URL or values["pyodide_url"] is not None:
            raise SettingsError(
                f"{prefix}assets is self-host: the build puts stlite and Pyodide into the site and points "
                f"every app there, so {prefix}stlite_url and {prefix}pyodide_url must stay unset"
            )
        values["stlite_url"], values["pyodide_url"] = SELFHOST_STLITE_URL, SELFHOST_PYODIDE_URL
    values["stlite_integrity"] = _integrity(values["stlite_integrity"], values["stlite_url"])
    return cls(**values)


def _anchored(self, base_dir: str | os.PathLike):
    """These settings with a relative ``previews_dir`` made absolute under ``base_dir``: the
    folder of the configuration file (conf.py, mkdocs.yml), which every front-end knows and
    the core does not."""
    if os.path.isabs(self.previews_dir):
        return self
    return replace(self, previews_dir=os.path.join(os.path.abspath(base_dir), self.previews_dir))


def _integrity(value: dict[str, str] | str, stlite_url: str) -> dict[str, str] | None:
    """The hashes the frame enforces: given ones; else, with ``auto``, the pinned ones where
    the pinned build is loaded (the default CDN URL, or the self-hosted copy, which the build
    checks file by file); else none (a custom stlite_url may hold any build)."""
    if isinstance(value, dict):
        return dict(value)
    if value == "pinned" or value == "auto" and stlite_url in (DEFAULT_STLITE_URL, SELFHOST_STLITE_URL):
        from ..runtime.pins import load_pins

        return dict(load_pins()["stlite"]["integrity"])
    return None


def _default(setting: Setting) -> Any:
    value = setting.normalize(setting.name, setting.default)
    if setting.name == "stlite_integrity":
        return _integrity(value, DEFAULT_STLITE_URL)
    return value


#: The validated site settings (a frozen dataclass whose fields are ``SITE_SETTINGS``):
#: ``SiteSettings.from_raw(raw, prefix)``, ``settings.anchored(config_dir)``.
SiteSettings = make_dataclass(
    "SiteSettings",
    [(s.name, Any, field(default_factory=lambda s=s: _default(s))) for s in SITE_SETTINGS],
    frozen=True,
    namespace={"from_raw": classmethod(_from_raw), "anchored": _anchored, "__module__": __name__},
)


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


def unknown_option_message(key: str) -> str:
    if key in PAGE_ONLY:
        return f"option {key!r} is not a block option: {PAGE_ONLY[key]}"
    return f"unknown option {key!r}{o.did_you_mean(key, BLOCK_OPTIONS)}; known options: {', '.join(BLOCK_OPTIONS)}"


def normalize_block_options(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate a mapping of block options; raise on the first bad one."""
    result = {}
    for key, value in raw.items():
        key = o.canonical_key(key)
        normalizer = BLOCK_OPTIONS.get(key)
        if normalizer is None:
            raise BlockError("option", unknown_option_message(key))
        result[key] = normalizer(key, value)
    return result


# ---------------------------------------------------------------------- reference tables
def reference(scope: str, fmt: str = "markdown") -> str:
    """The reference table of the site settings (``scope="site"``: with where pages may
    override them) or of the block options (``scope="block"``), as Markdown or reST
    (``fmt="rst"``, a list-table): name, default, scopes, type, what it does, an example."""
    rows = []
    for s in SCHEMA:
        if scope not in s.scopes:
            continue
        name = s.name if scope == SITE else s.option
        default = (
            "(none)" if s.default in (None, [], {}) else str(s.default).lower() if isinstance(s.default, bool) else str(s.default)
        )
        scopes = ", ".join(x for x in (SITE, PAGE, BLOCK) if x in s.scopes)
        rows.append([name, default, scopes, s.type, s.doc, s.example])
    header = ["Name", "Default", "Set for", "Type", "What it does", "Example"]
    if fmt == "rst":
        lines = [".. list-table::", "   :header-rows: 1", ""]
        for row in [header] + [[f"``{r[0]}``", f"``{r[1]}``", r[2], r[3], r[4], f"``{r[5]}``"] for r in rows]:
            lines.append("   * - " + row[0])
            lines += [f"     - {cell}" for cell in row[1:]]
        return "\n".join(lines) + "\n"
    cells = [header, ["---"] * 6] + [[f"`{r[0]}`", f"`{r[1]}`", r[2], r[3], r[4], f"`{r[5]}`"] for r in rows]
    return "\n".join("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells) + "\n"
