"""HTML-only nodes, the transform that creates them, their writers, and per-page assets.

The directive writes generic nodes every builder understands. For the HTML builders that can
run an app (``html``, ``dirhtml``, ``singlehtml``; not ``epub``), ``StliteHtmlTransform``
replaces them with ``stlite_app`` / ``stlite_invalid``, which render through the core. The
literal block stays inside as a child so the search index still sees the code. For the other
builders ``StliteListingTransform`` adds the app's caption and an offline note around it.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from ...core.assets import LOADER, STYLESHEET
from ...core.publish import publish_files
from ...core.render import render_invalid, render_mount
from ...core.settings import SettingsError, page_settings
from ...core.spec import SharedPageCheck

logger = logging.getLogger(__name__)

#: File-wide metadata of a document that overrides a page setting: ``:stlite-max-live-apps: 2``.
PAGE_PREFIX = "stlite-"

#: HTML builders whose pages can run apps. epub has format "html" but no reader runs them.
APP_BUILDERS = ("html", "dirhtml", "singlehtml")


class stlite_app(nodes.General, nodes.Element):
    """A live app; attribute ``app`` holds the core's ``App``."""


class stlite_invalid(nodes.General, nodes.Element):
    """A block that failed validation; attributes ``messages`` and ``code``."""


def app_listings(document: nodes.Node):
    """The listings that carry an app (see the directive), in document order."""
    return [block for block in document.findall(nodes.literal_block) if "stlite_app" in block.attributes]


class StliteHtmlTransform(SphinxPostTransform):
    default_priority = 200
    builders = APP_BUILDERS

    def run(self, **kwargs) -> None:
        for listing in app_listings(self.document):
            node = stlite_app(app=listing.attributes.pop("stlite_app"))
            node.source, node.line = listing.source, listing.line
            listing.replace_self(node)
            node += listing  # kept inside, so the search index still sees the code
        for container in list(self.document.findall(nodes.container)):
            if "stlite_messages" not in container.attributes:
                continue
            node = stlite_invalid(messages=container["stlite_messages"])
            node.source, node.line = container.source, container.line
            listing = next(container.findall(nodes.literal_block), None)
            if listing is not None:  # moved, not copied: the container goes
                listing.parent.remove(listing)
                node += listing
            container.replace_self(node)


OFFLINE_NOTE = "This is a live, runnable app in the online version of this documentation."


class StliteListingTransform(SphinxPostTransform):
    """Builders that cannot run an app (LaTeX, text, man, texinfo, epub) show its code: the
    caption above the listing, and below it a note that the online version runs it, in a
    container that takes over the listing's target (a named app's id)."""

    default_priority = 200

    def is_supported(self) -> bool:
        return _builder_name(self) not in APP_BUILDERS

    def run(self, **kwargs) -> None:
        for listing in app_listings(self.document):
            app = listing.attributes.pop("stlite_app")
            container = nodes.container(classes=["stlite-docs"])
            container.source, container.line = listing.source, listing.line
            for key in ("ids", "names"):
                container[key], listing[key] = listing[key], []
            listing.replace_self(container)
            if app.caption:
                container += nodes.paragraph("", "", nodes.strong(app.caption, app.caption), classes=["stlite-docs-caption"])
            container += listing
            container += nodes.paragraph("", "", nodes.emphasis(OFFLINE_NOTE, OFFLINE_NOTE), classes=["stlite-docs-note"])


def _builder_name(transform: SphinxPostTransform) -> str:
    builder_class = getattr(transform.env, "_builder_cls", None)  # Sphinx 9
    return builder_class.name if builder_class is not None else transform.app.builder.name


# ---------------------------------------------------------------------- HTML writers
def _page_url(translator) -> str:
    builder = translator.builder
    return builder.get_target_uri(builder.current_docname)


def visit_app_html(translator, node: stlite_app) -> None:
    app = node["app"]
    publish_files(app, Path(translator.builder.outdir))
    translator.body.append(render_mount(app, _page_url(translator)))
    raise nodes.SkipNode


def visit_invalid_html(translator, node: stlite_invalid) -> None:
    code = node.astext()
    translator.body.append(render_invalid(node["messages"], code))
    raise nodes.SkipNode


def _visit_children(translator, node) -> None:
    """Other writers never get these nodes (the transform is HTML-only); should one ever see
    them, it writes the code listing inside rather than failing."""


def _depart(translator, node) -> None:
    pass


def apply_page_settings(app: Sphinx, doctree: nodes.document) -> None:
    """On ``doctree-read``: the document's own page settings (file-wide metadata such as
    ``:stlite-max-live-apps: 2``, or MyST front matter ``stlite-max-live-apps: 2``) go into
    its apps, so they are in the pickled doctree and reach every builder. On a page whose apps
    share one Python (``runtime: shared``), an app whose config or theme differs from the
    first's is a warning at its block."""
    docname = app.env.docname
    metadata = app.env.metadata.get(docname, {})
    raw = {key[len(PAGE_PREFIX) :].replace("-", "_"): value for key, value in metadata.items() if key.startswith(PAGE_PREFIX)}
    overrides: dict = {}
    if raw:
        try:
            overrides = page_settings(raw, spell=lambda name: PAGE_PREFIX + name.replace("_", "-"))
        except SettingsError as exc:
            logger.warning(str(exc), location=docname, type="stlite", subtype="option")
    shared = SharedPageCheck()
    for listing in app_listings(doctree):
        listing["stlite_app"] = listing["stlite_app"].for_page(overrides)
        message = shared.differs(listing["stlite_app"], listing.line)
        if message:
            logger.warning(message, location=listing, type="stlite", subtype="option")


def add_nodes(app: Sphinx) -> None:
    fallback = (_visit_children, _depart)
    others = {name: fallback for name in ("latex", "text", "man", "texinfo")}
    app.add_node(stlite_app, html=(visit_app_html, _depart), **others)
    app.add_node(stlite_invalid, html=(visit_invalid_html, _depart), **others)
    app.add_post_transform(StliteHtmlTransform)
    app.add_post_transform(StliteListingTransform)
    app.connect("doctree-read", apply_page_settings)


# ---------------------------------------------------------------------- page assets
def add_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On ``html-page-context``: the loader and CSS only on pages that need them.

    Decided from the doctree being written (for singlehtml, the assembled one), never from a
    flag set while reading. ``add_js_file`` here applies to this page only.
    """
    if app.builder.name not in APP_BUILDERS:
        return
    always = app.registry.html_assets_policy == "always"
    has_app = doctree is not None and next(doctree.findall(stlite_app), None) is not None
    has_notice = doctree is not None and next(doctree.findall(stlite_invalid), None) is not None
    if has_app or always:
        app.add_js_file(LOADER, type="module")
    if has_app or has_notice or always:
        app.add_css_file(STYLESHEET)
