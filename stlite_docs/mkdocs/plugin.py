"""``plugins: [stlite]``: stlite fences in every page, assets only where apps are.

The Markdown work is ``stlite_docs.markdown``'s; this plugin adds what only a plugin can do:
typed options, the page being rendered (for URLs, file paths and located messages), the loader
files in the site, the loader tags on the pages that need them, and watching app files.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils import get_relative_url

from ..assets import ASSET_FOLDER, LOADER, STYLESHEET, assets_root
from ..markdown import Page, StliteExtension, StliteFences
from ..options import LOAD_MODES, normalize_height, normalize_requirements
from ..problems import BlockError
from ..runtime import DEFAULT_STLITE_URL
from ..settings import SettingsError, SiteSettings

log = get_plugin_logger(__name__)

# The tags our templates write (in code samples they would be escaped, so never match).
_MOUNT = re.compile(r'<figure class="stlite-docs"[^>]* data-stlite-docs="')
_NOTICE = re.compile(r'<div class="stlite-docs stlite-docs-invalid">')

#: Site path of the assets: "assets/stlite-docs/loader.js", beside the theme's own assets.
SITE_ASSETS = "assets"


class _CoreChecked(c.BaseConfigOption):
    """A plugin option checked by the core's own normalizer, so MkDocs reports a bad value in
    its usual form ("Plugin 'stlite' option 'height': ...") with the core's explanation."""

    def __init__(self, normalizer, default):
        super().__init__()
        self.normalizer = normalizer
        self.default = default

    def run_validation(self, value):
        try:
            return self.normalizer("", value)
        except BlockError as exc:
            raise ValidationError(exc.problem.message.replace("option '' ", "")) from None


class StliteConfig(Config):
    requirements = _CoreChecked(normalize_requirements, [])
    height = _CoreChecked(normalize_height, "auto")
    load = c.Choice(LOAD_MODES, default="lazy")
    stlite_url = c.Type(str, default=DEFAULT_STLITE_URL)
    pyodide_url = c.Optional(c.Type(str))
    enabled = c.Type(bool, default=True)


class StlitePlugin(BasePlugin[StliteConfig]):
    def __init__(self) -> None:
        self.fences: StliteFences | None = None
        self.dependencies: set[Path] = set()
        self._asset_versions: dict[str, str] = {}

    # ------------------------------------------------------------------ config and files
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        raw = {name: self.config[name] for name in ("requirements", "height", "load", "stlite_url", "pyodide_url")}
        try:
            settings = SiteSettings.from_raw(raw)
        except SettingsError as exc:
            raise PluginError(f"stlite: {exc}") from None
        self.dependencies = set()
        self.fences = StliteFences(
            settings=settings,
            docs_dir=Path(config.docs_dir),
            site_dir=Path(config.site_dir),
            report=self._report,
            on_dependency=self.dependencies.add,
        )
        config.markdown_extensions.append(StliteExtension(fences=self.fences))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        root = assets_root()
        self._asset_versions = {}
        for path in sorted((root / ASSET_FOLDER).rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                rel = path.relative_to(root).as_posix()
                files.append(File.generated(config, f"{SITE_ASSETS}/{rel}", abs_src_path=str(path)))
                # Cache busting from the content, so the same sources give the same pages.
                self._asset_versions[rel] = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        return files

    # ------------------------------------------------------------------ pages
    def on_page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str | None:
        if self.fences is not None:
            self.fences.page = Page(path=f"{_docs_name(config)}/{page.file.src_uri}", url=page.url, text=markdown)
        return None

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str | None:
        """Add the loader where the final HTML has a mount point (or on every page with
        Material's instant navigation, where a page reached without a reload must still find
        the loader already running)."""
        if not self.config.enabled:
            return None
        has_app = _MOUNT.search(output) is not None
        has_notice = _NOTICE.search(output) is not None
        instant = _instant_navigation(config)
        tags = []
        if has_app or has_notice or instant:
            tags.append(f'<link rel="stylesheet" href="{self._url(STYLESHEET, page)}">')
        if has_app or instant:
            tags.append(f'<script type="module" src="{self._url(LOADER, page)}"></script>')
        if not tags:
            return None
        return re.sub(r"</head>", "\n".join(tags) + "\n</head>", output, count=1)

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Watch app files outside docs_dir too (docs_dir itself is always watched)."""
        docs = Path(config.docs_dir).resolve()
        for path in sorted(self.dependencies):
            if docs not in path.parents:
                server.watch(str(path))
        return server

    # ------------------------------------------------------------------ helpers
    def _url(self, asset: str, page: MkDocsPage) -> str:
        url = get_relative_url(f"{SITE_ASSETS}/{asset}", page.url)
        return f"{url}?v={self._asset_versions.get(asset, '0')}"

    @staticmethod
    def _report(path: str, line: int | None, kind: str, message: str) -> None:
        where = f"{path}:{line}" if line else path
        log.warning(f"{where}: {message} [stlite.{kind}]")


def _docs_name(config: MkDocsConfig) -> str:
    """docs_dir as written relative to the config file, for messages (usually "docs")."""
    docs = Path(config.docs_dir)
    base = Path(config.config_file_path or ".").resolve().parent
    try:
        return docs.resolve().relative_to(base).as_posix()
    except ValueError:
        return str(docs)


def _instant_navigation(config: MkDocsConfig) -> bool:
    theme = config.theme
    features = theme.get("features") or [] if hasattr(theme, "get") else []
    return "navigation.instant" in features
