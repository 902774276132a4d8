"""``plugins: [stlite]``: stlite fences in every page, assets only where apps are.

The Markdown work is ``stlite_docs.markdown``'s; this plugin adds what only a plugin can do:
typed options, the page being rendered (for URLs, file paths and located messages), the loader
files in the site, the loader tags on the pages that need them, and watching app files.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils import get_relative_url

from ...core.assets import LOADER, STYLESHEET, asset_files
from ...core.document import MarkdownPage, MarkdownSite
from ...core.problems import BlockError
from ...core.project import EXTENSION_NAMES
from ...core.render import NOTICE_OPEN, SPEC_ELEMENT, SPEC_OPEN
from ...core.session import BuildSession
from ...core.settings import SETTING_DEFAULTS, SITE_SETTINGS, SettingsError, SiteSettings, page_settings
from ...runtime.selfhost import Need, SelfHostError, describe, materialize

log = get_plugin_logger(__name__)

# The tags our templates write (in code samples they would be escaped, so never match).
_MOUNT = re.compile(r'<figure class="stlite-docs"[^>]* data-stlite-docs="')

#: The problem of a spec whose stand-in another plugin removed (``_restore_specs``).
LOST_SPEC = (
    "the spec of app {n} on this page was lost: a plugin's on_page_context removed its placeholder (an HTML "
    "comment) while search indexers read the page, so that app cannot start; look for a plugin that strips "
    "HTML comments there"
)

#: Site path of the assets: "assets/stlite-docs/loader.js", beside the theme's own assets.
SITE_ASSETS = "assets"


class StandIns:
    """Numbered HTML comments that hold the place of pieces of HTML (a spec hidden from search
    indexers), put back later. A random word per set makes them unlike anything an author writes."""

    def __init__(self, kind: str) -> None:
        word = secrets.token_hex(8)
        self.start = f"<!--{kind} {word} "
        self._pattern = re.compile(re.escape(self.start) + r"(\d+)-->")

    def mark(self, index: int) -> str:
        return f"{self.start}{index}-->"

    def fill(self, html: str, pieces: list[str], on_missing: Callable[[int], None]) -> str:
        """``html`` with each comment replaced by its piece; ``on_missing`` is called with the
        index of each piece whose comment is gone (something removed it: the piece is lost)."""
        placed: set[int] = set()

        def put(match: re.Match) -> str:
            placed.add(int(match.group(1)))
            return pieces[int(match.group(1))]

        html = self._pattern.sub(put, html)
        for index in range(len(pieces)):
            if index not in placed:
                on_missing(index)
        return html


class _CoreChecked(c.BaseConfigOption):
    """A plugin option checked by the core's own normalizer, so MkDocs reports a bad value in
    its usual form ("Plugin 'stlite' option 'height': ...") with the core's explanation."""

    def __init__(self, normalizer):
        super().__init__()
        self.normalizer = normalizer
        self.default = None

    def run_validation(self, value):
        if value is None:
            return None
        try:
            return self.normalizer("", value)
        except BlockError as exc:
            raise ValidationError(exc.problem.message.replace("option '' ", "").strip()) from None


#: The plugin's options: every site setting, each checked by the core's normalizer. None means
#: "not set here": the value then comes from the stlite_docs.markdown entry of
#: markdown_extensions (where Zensical reads it), else from the core's default.
StliteConfig = type(
    "StliteConfig",
    (Config,),
    {
        **{setting.name: _CoreChecked(setting.normalize) for setting in SITE_SETTINGS},
        "enabled": c.Type(bool, default=True),
    },
)


#: The Markdown extension, by the module path users write (the plugin hands it its site).
EXTENSION = EXTENSION_NAMES[0]


class StlitePlugin(BasePlugin[StliteConfig]):
    def __init__(self) -> None:
        self.site: MarkdownSite | None = None
        self.dependencies: set[Path] = set()
        #: every app's requirements with its page and line, for assets: self-host
        self.needs: list[Need] = []
        self.settings: SiteSettings | None = None
        self._asset_versions: dict[str, str] = {}
        #: each page's specs while they stand aside for the search indexers (see _hide_specs)
        self._hidden_specs: dict[int, list[str]] = {}
        #: what stands in for a spec meanwhile
        self._spec_stand_ins = StandIns("stlite-docs-spec")
        #: site folder that holds stlite-docs/: where extra_javascript expects the loader, if
        #: the site lists it there (a site that also builds with Zensical), else "assets"
        self.assets_dir = SITE_ASSETS
        #: docs_dir as messages name it (see _docs_name), found once per build
        self.docs_name = "docs"

    # ------------------------------------------------------------------ config and files
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        raw = _settings(self.config, _adopt_extension(config))
        if not raw.get("previews_dir"):
            raw.pop("previews_dir", None)  # an empty value is the default folder
        try:
            # previews_dir is relative to mkdocs.yml, outside docs_dir: MkDocs would copy all of docs_dir
            settings = SiteSettings.from_raw(raw).anchored(_config_dir(config))
        except SettingsError as exc:
            raise PluginError(f"stlite: {exc}") from None
        self.assets_dir = _assets_dir(config)
        self.docs_name = _docs_name(config)  # (resolving paths costs a stat per folder: not per page)
        self.dependencies = set()
        self.needs = []
        self.settings = settings
        if self.site is not None:  # a rebuild (mkdocs serve) whose last build failed
            self.site.session.close()
        self.site = MarkdownSite(
            settings,
            Path(config.docs_dir),
            BuildSession(),
            self._report,
            site_dir=Path(config.site_dir),
            on_dependency=self.dependencies.add,
            on_app=self._note_app,
        )
        config.markdown_extensions.append(EXTENSION)
        config.mdx_configs[EXTENSION] = {"site": self.site}
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        self._asset_versions = {}
        for rel, path in asset_files():
            uri = f"{self.assets_dir}/{rel}".lstrip("/")
            # A copy that `stlite-docs assets` put into docs_dir (for Zensical) may be from
            # another version: MkDocs serves this package's own files in its place.
            stale = files.get_file_from_path(uri)
            if stale is not None:
                files.remove(stale)
            files.append(File.generated(config, uri, abs_src_path=str(path)))
            # Cache busting from the content, so the same sources give the same pages.
            self._asset_versions[rel] = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        return files

    # ------------------------------------------------------------------ pages
    def on_page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str | None:
        if self.site is not None:
            path = self._source_path(page)
            self.site.page = MarkdownPage(
                path=path,
                url=page.url,
                text=markdown,
                settings=self._page_settings(page, path),
                line_offset=_front_matter_lines(page, markdown),
            )
        return None

    def _page_settings(self, page: MkDocsPage, path: str) -> dict:
        """Front matter ``stlite: {max_live_apps: 2}``: this page's overrides (a mistake is a
        warning at the page, and the site's settings apply)."""
        raw = (page.meta or {}).get("stlite")
        if raw is None:
            return {}
        try:
            if not isinstance(raw, dict):
                raise SettingsError(f"front matter 'stlite' must be a mapping such as {{max_live_apps: 2}}, not {raw!r}")
            return page_settings(raw)
        except SettingsError as exc:
            self._report(path, None, "option", str(exc))
            return {}

    # A mount point carries its spec, JSON, in a <script>. MkDocs' own search plugin indexes
    # the text of every element, scripts included: each app's code would be in the search
    # index twice, once as JSON (search_index.json twice the size, results that show JSON,
    # and 2% of the benchmark's MkDocs build spent indexing it). Indexers read page.content in
    # on_page_context, so for that event each spec stands aside as a comment, and is put back
    # before the theme renders the page (Material's search skips scripts itself).
    @event_priority(100)
    def _hide_specs(self, context, page: MkDocsPage, config: MkDocsConfig, nav):
        content = page.content
        if not self.config.enabled or not content or SPEC_OPEN not in content:
            return context
        specs: list[str] = []

        def stand_aside(match: re.Match) -> str:
            specs.append(match.group(0))
            return self._spec_stand_ins.mark(len(specs) - 1)

        page.content = SPEC_ELEMENT.sub(stand_aside, content)
        self._hidden_specs[id(page)] = specs
        return context

    @event_priority(-100)
    def _restore_specs(self, context, page: MkDocsPage, config: MkDocsConfig, nav):
        specs = self._hidden_specs.pop(id(page), None)
        if specs is not None:
            path = self._source_path(page)
            page.content = self._spec_stand_ins.fill(
                page.content, specs, on_missing=lambda index: self._report(path, None, "lost", LOST_SPEC.format(n=index + 1))
            )
        return context

    on_page_context = CombinedEvent(_hide_specs, _restore_specs)

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str | None:
        """Add the loader where the final HTML has a mount point (or on every page with
        Material's instant navigation, where a page reached without a reload must still find
        the loader already running)."""
        if not self.config.enabled:
            return None
        has_app = _MOUNT.search(output) is not None
        has_notice = NOTICE_OPEN in output
        instant = _instant_navigation(config)
        tags = []
        # Where the site lists our files in extra_css/extra_javascript, the theme adds them.
        if (has_app or has_notice or instant) and not _lists(config.extra_css, STYLESHEET):
            tags.append(f'<link rel="stylesheet" href="{self._url(STYLESHEET, page)}">')
        if (has_app or instant) and not _lists(config.extra_javascript, LOADER):
            tags.append(f'<script type="module" src="{self._url(LOADER, page)}"></script>')
        if not tags:
            return None
        return re.sub(r"</head>", "\n".join(tags) + "\n</head>", output, count=1)

    def on_post_build(self, config: MkDocsConfig) -> None:
        """The build's session ends (now, not at exit: ``mkdocs serve`` lives on).
        ``assets: self-host``: the runtime the site's apps need, into the site."""
        if self.site is not None:
            self.site.session.close()
        if not self.config.enabled or self.settings is None or self.settings.assets != "self-host":
            return
        base = Path(config.config_file_path or ".").resolve().parent
        try:
            result = materialize(Path(config.site_dir), self.needs, self.settings, base_dir=base)
        except SelfHostError as exc:
            raise PluginError(f"stlite: {exc}") from None
        for (path, line), message in result.problems:
            self._report(path, line, "requirement", message)
        log.info(describe(result))

    def _note_app(self, app, path: str, line: int | None) -> None:
        where = (path, line - 1 if line else None)  # the fence's opening line
        self.needs.extend(Need(req, where) for req in app.requirements)

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Watch app files outside docs_dir too (docs_dir itself is always watched)."""
        docs = Path(config.docs_dir).resolve()
        for path in sorted(self.dependencies):
            if docs not in path.parents:
                server.watch(str(path))
        # New pictures from `stlite-docs previews` show without restarting `mkdocs serve`.
        if self.settings is not None and Path(self.settings.previews_dir).is_dir():
            server.watch(self.settings.previews_dir)
        return server

    # ------------------------------------------------------------------ helpers
    def _source_path(self, page: MkDocsPage) -> str:
        """A page's source as authors know it, for messages (``docs/guide/x.md``)."""
        return f"{self.docs_name}/{page.file.src_uri}"

    def _url(self, asset: str, page: MkDocsPage) -> str:
        url = get_relative_url(f"{self.assets_dir}/{asset}".lstrip("/"), page.url)
        return f"{url}?v={self._asset_versions.get(asset, '0')}"

    @staticmethod
    def _report(path: str, line: int | None, kind: str, message: str, note: bool = False) -> None:
        where = f"{path}:{line}" if line else path
        (log.info if note else log.warning)(f"{where}: {message} [stlite.{kind}]")


def _config_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or ".").resolve().parent


def _docs_name(config: MkDocsConfig) -> str:
    """docs_dir as written relative to the config file, for messages (usually "docs")."""
    docs = Path(config.docs_dir)
    base = Path(config.config_file_path or ".").resolve().parent
    try:
        return docs.resolve().relative_to(base).as_posix()
    except ValueError:
        return str(docs)


def _adopt_extension(config: MkDocsConfig) -> dict:
    """Take the ``stlite_docs.markdown`` entry out of ``markdown_extensions`` (the plugin adds
    the extension itself, with the page context only it has) and return its options, which
    the plugin uses as settings: one mkdocs.yml then serves MkDocs and Zensical alike."""
    options: dict = {}
    for name in EXTENSION_NAMES:
        while name in config.markdown_extensions:
            config.markdown_extensions.remove(name)
        options.update(config.mdx_configs.pop(name, None) or {})
    return options


def _settings(plugin_options, extension_options: dict) -> dict:
    """The site settings from the plugin's options and the extension's; a setting given in
    both places with different values is an error, not a silent choice."""
    raw = {}
    for name in SETTING_DEFAULTS:
        mine, theirs = plugin_options[name], extension_options.get(name)
        if mine is not None and theirs is not None and mine != theirs:
            raise PluginError(
                f"stlite: '{name}' is set both as a plugin option ({mine!r}) and under "
                f"markdown_extensions: stlite_docs.markdown ({theirs!r}); set it in one place"
            )
        raw[name] = mine if mine is not None else theirs
    return raw


def _front_matter_lines(page: MkDocsPage, markdown: str) -> int:
    """MkDocs hands plugins a page's Markdown without its front matter: how many lines of the
    file that took, so messages name the file's own lines (0 when the text was changed since)."""
    try:
        source = page.file.content_string
    except (OSError, AttributeError, TypeError):
        return 0
    if not markdown or not source.endswith(markdown):
        return 0
    return source[: len(source) - len(markdown)].count("\n")


def _paths(entries) -> list[str]:
    """The paths of extra_javascript / extra_css entries (strings or MkDocs' script values)."""
    return [str(getattr(entry, "path", entry)) for entry in entries or []]


def _lists(entries, asset: str) -> bool:
    return any(path == asset or path.endswith("/" + asset) for path in _paths(entries))


def _assets_dir(config: MkDocsConfig) -> str:
    """The site folder that holds stlite-docs/: the one extra_javascript names, if any."""
    for path in _paths(config.extra_javascript):
        if path == LOADER or path.endswith("/" + LOADER):
            if re.match(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|/)", path):
                raise PluginError(
                    f"stlite: extra_javascript loads the loader from {path!r}; with the plugin, list it as a path inside docs_dir"
                )
            return path[: -len(LOADER)].rstrip("/")
    return SITE_ASSETS


def _instant_navigation(config: MkDocsConfig) -> bool:
    theme = config.theme
    features = theme.get("features") or [] if hasattr(theme, "get") else []
    return "navigation.instant" in features
