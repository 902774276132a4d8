"""The Markdown front-end: ```` ```stlite ```` fences for Python-Markdown.

Used by the MkDocs plugin, by Zensical, and on its own::

    markdown.markdown(text, extensions=["stlite_docs.markdown"])

With ``pymdownx.superfences`` the fence is a SuperFences custom fence (so it works inside
admonitions, details, content tabs and lists); without it, a preprocessor finds fences at the
top level, as Python-Markdown's own ``fenced_code`` does. Either way the core's
``MarkdownSite`` builds and renders each block: this module only translates.

Which site a conversion uses: the one the MkDocs plugin hands over (option ``site``); else one
made for the conversion from the extension's options and, under Zensical, Zensical's rendering
context (``zensical.py``). Its build session (the syntax checker's process) lives as long as
the docs tool's build: Zensical's configuration (one per build), else the ``Markdown`` instance.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from ...core.document import MarkdownPage, MarkdownSite
from ...core.fences import find_blocks, superfences_header
from ...core.options import did_you_mean
from ...core.session import BuildSession
from ...core.settings import SETTING_DEFAULTS, SettingsError, SiteSettings
from .zensical import zensical_context

LANGUAGE = "stlite"
#: How users name this extension in messages (the module path they write).
NAME = "stlite_docs.markdown"
#: The attribute of a ``Markdown`` instance (or of Zensical's context) that holds the site of
#: its current conversion, and the session of its build.
_SITE, _SESSION = "stlite_docs_site", "stlite_docs_session"

logger = logging.getLogger("stlite_docs.markdown")


def _log_report(path: str, line: int | None, kind: str, message: str, note: bool = False) -> None:
    where = f"{path}:{line}" if line else path
    (logger.info if note else logger.warning)("%s: %s [stlite.%s]", where, message, kind)


class FencePreprocessor(Preprocessor):
    """Starts each conversion: picks its site, writes stlite fence headers as SuperFences reads
    them (``show-code=400px`` as ``show_code="400px"``), and hooks the fence into SuperFences when it is in
    use; otherwise renders top-level fences itself, as Python-Markdown's ``fenced_code`` would.
    Decided when the page is converted, so the order of ``markdown_extensions`` does not matter."""

    def __init__(self, md: markdown.Markdown, site_for):
        super().__init__(md)
        #: gives the site for one conversion, from the Markdown instance and the page text
        self.site_for = site_for

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        site = self.site_for(self.md, text)
        setattr(self.md, _SITE, site)
        if "stlite" not in text:
            return lines
        blocks = find_blocks(text, ".md")
        for block in blocks:
            lines[block.line - 1] = superfences_header(lines[block.line - 1])
        if _superfences(self.md) is not None:
            _hook_into(_superfences(self.md))
            return lines
        for block in reversed([b for b in blocks if not b.indent]):  # top level only, as fenced_code
            options = dict(block.options, **({"file": block.entry_file} if block.entry_file else {}))
            html = site.render(block.body, options)
            lines[block.line - 1 : block.end_line] = [self.md.htmlStash.store(html)]
        return lines


def _superfences(md: markdown.Markdown):
    return next((ext for ext in md.registeredExtensions if type(ext).__name__ == "SuperFencesCodeExtension"), None)


def _hook_into(superfences) -> None:
    """Register the fence with SuperFences unless the user's ``custom_fences`` already did."""
    if any(entry.get("name") == LANGUAGE for entry in superfences.superfences):
        return
    from pymdownx.superfences import _formatter, _reset, _validator, default_reset

    superfences.extend_super_fences(
        LANGUAGE,
        functools.partial(_formatter, class_name=LANGUAGE, _fmt=format_fence),
        functools.partial(_validator, validator=validate_fence),
        functools.partial(_reset, _reset=default_reset),
    )


# SuperFences' custom fence interface. Usable by name in ``custom_fences`` too:
#   format: !!python/name:stlite_docs.markdown.format_fence
#   validator: !!python/name:stlite_docs.markdown.validate_fence
def validate_fence(language: str, inputs: dict, options: dict, attrs: dict, md) -> bool:
    """Every header attribute is an option; the core judges them when the fence is formatted
    (a validator that raised or refused would turn the block into plain code, silently)."""
    options.update(inputs)
    return True


def format_fence(source: str, language: str, class_name: str, options: dict, md, **kwargs: Any) -> str:
    """Render one fence with the site of ``md``'s current conversion (or, where the extension
    is not loaded, with the defaults and whatever the docs tool's context says)."""
    site = getattr(md, _SITE, None) or _standalone_site(md, "", {})
    return site.render(source, options)


#: The extension's options besides the site settings.
EXTENSION_OPTIONS = {
    "docs_dir": ["", "folder that file paths are relative to (default: the docs tool's, else '.')"],
    "page_url": ["", "URL of the page relative to the site root"],
    "page_path": ["", "source path of the page, for messages"],
}


class StliteExtension(Extension):
    """``markdown.markdown(text, extensions=["stlite_docs.markdown"])``.

    Options: the site settings (``requirements``, ``height``, ``load``, ...), plus ``docs_dir``
    (where ``file=`` and ``files`` paths start; default: Zensical's docs_dir under Zensical, else
    the current directory), ``page_url`` and ``page_path``; or ``site``, a ready
    ``core.document.MarkdownSite`` (the MkDocs plugin hands over its own).
    """

    def __init__(self, **kwargs: Any):
        self.config = {
            # Python-Markdown turns a None default into a boolean option, so "" stands for None.
            **{name: ["" if default is None else default, f"site-wide {name}"] for name, default in SETTING_DEFAULTS.items()},
            **{name: list(entry) for name, entry in EXTENSION_OPTIONS.items()},
            "site": ["", "a core.document.MarkdownSite to use instead of one made from these options"],
        }
        unknown = [key for key in kwargs if key not in self.config]
        if unknown:  # Python-Markdown would raise a bare KeyError
            known = [key for key in self.config if key != "site"]
            raise SettingsError(
                f"{NAME}: unknown option {unknown[0]!r}{did_you_mean(unknown[0], known)}; known options: {', '.join(known)}"
            )
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        site = self.getConfig("site") or None
        if site is not None:
            site_for = lambda md, text: site  # noqa: E731 - the plugin sets the page itself
        else:
            # Settings are checked now, so a bad value fails the build at once, with its name.
            settings = SiteSettings.from_raw({name: self.getConfig(name) or None for name in SETTING_DEFAULTS})
            explicit = {name: self.getConfig(name) for name in EXTENSION_OPTIONS}
            site_for = functools.partial(_standalone_site, settings=settings, explicit=explicit)
        # Priority 29: before fenced_code and SuperFences (both 25), and after
        # normalize_whitespace (30), which would otherwise mangle the stash placeholders.
        md.preprocessors.register(FencePreprocessor(md, site_for), "stlite_fence", 29)
        md.registerExtension(self)


def _standalone_site(
    md: markdown.Markdown, text: str, explicit: dict[str, str], settings: SiteSettings | None = None
) -> MarkdownSite:
    """The site of one conversion outside MkDocs: the page comes from the explicit options,
    else from Zensical's rendering context, else it is an anonymous ``<markdown>`` text."""
    context = zensical_context(md)
    docs_dir = Path(explicit.get("docs_dir") or (context.docs_dir if context else "."))
    page = MarkdownPage(
        path=explicit.get("page_path") or (context.page_path if context else "<markdown>"),
        url=explicit.get("page_url") or (context.page_url if context else ""),
        text=text,
    )
    settings = (settings or SiteSettings()).anchored(docs_dir.resolve().parent)  # beside docs_dir, as with MkDocs
    site = MarkdownSite(
        settings, docs_dir, _session(context.config if context else md), _log_report, served=context is not None, page=page
    )
    if context is not None and "stlite" in text and find_blocks(text, ".md"):
        context.check_assets(site.report, page.path)
    return site


def _session(owner) -> BuildSession:
    """The build session kept in ``owner``: Zensical's configuration (made anew for each build),
    or the Markdown instance. Its processes end with the build process, or when ``owner`` goes
    (their input closes)."""
    if isinstance(owner, dict):
        if _SESSION not in owner:
            owner[_SESSION] = BuildSession()
        return owner[_SESSION]
    if getattr(owner, _SESSION, None) is None:
        setattr(owner, _SESSION, BuildSession())
    return getattr(owner, _SESSION)


def makeExtension(**kwargs: Any) -> StliteExtension:  # Python-Markdown's entry point
    return StliteExtension(**kwargs)
